import type { PayCode } from '@member-hub/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import { useMemo } from 'react';
import type { CardView } from '../card/code-refresher';
import { svgDataUri } from '../code/base64';
import { spacedDigits } from '../code/digits';
import { code128Svg } from '../code/svg';
import './ui.css';
import './MemberCodeView.css';

/**
 * 付款码: 18 digits (grouped 4-4-4-4-2) and their Code 128 bar code for the till's scanner, the seconds until
 * the code expires, and 刷新. Staff who scan it take stored value at once, without asking the member.
 */
export function PayCodeView({ view, onRefresh }: { view: CardView<PayCode>; onRefresh: () => void }) {
  const code = view.status === 'ready' ? view.card.code : null;
  const barcode = useMemo(() => (code ? svgDataUri(code128Svg(code)) : null), [code]);

  if (view.status !== 'ready' || !code || !barcode) {
    return (
      <View className="member-code pay-code">
        <Text className="member-code__title">付款码</Text>
        {view.status === 'error' ? (
          <>
            <Text className="notice notice--error pay-code-error">{view.message}</Text>
            <Button className="btn btn--primary pay-code-retry" onClick={onRefresh}>
              重试
            </Button>
          </>
        ) : (
          <Text className="member-code__hint">正在生成付款码…</Text>
        )}
      </View>
    );
  }

  const dim = view.refreshing || view.expired;
  return (
    <View className="member-code pay-code">
      <Text className="member-code__title">付款码</Text>
      <Text className="member-code__hint">向店员出示，扫码后直接从储值余额扣款，请勿截图发给他人</Text>
      <View className={`member-code__codes${dim ? ' member-code__codes--dim' : ''}`}>
        <Image className="member-code-barcode pay-code-barcode" src={barcode} mode="scaleToFill" />
        <Text className="member-code-numeric pay-code-numeric">{spacedDigits(code)}</Text>
        {view.expired && (
          <View className="member-code__expired">
            <Text>付款码已过期</Text>
          </View>
        )}
      </View>
      <View className="member-code__footer">
        <Text className={`member-code__countdown${view.refreshError ? ' member-code__countdown--error' : ''}`}>
          {view.refreshing
            ? '正在刷新…'
            : view.refreshError
              ? `刷新失败：${view.refreshError}`
              : `${view.secondsLeft} 秒后失效，届时自动刷新`}
        </Text>
        <Button
          className="member-code-refresh pay-code-refresh"
          size="mini"
          disabled={view.refreshing || undefined}
          onClick={onRefresh}
        >
          刷新
        </Button>
      </View>
    </View>
  );
}
