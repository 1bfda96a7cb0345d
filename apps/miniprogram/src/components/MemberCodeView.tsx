import type { MemberCode } from '@member-hub/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import { useMemo } from 'react';
import { svgDataUri } from '../code/base64';
import { spacedDigits } from '../code/digits';
import { code128Svg, qrSvg } from '../code/svg';
import './MemberCodeView.css';

export interface MemberCodeViewProps {
  code: MemberCode;
  secondsLeft: number;
  refreshing: boolean;
  expired: boolean;
  refreshError: string | null;
  onRefresh: () => void;
}

export function MemberCodeView({
  code,
  secondsLeft,
  refreshing,
  expired,
  refreshError,
  onRefresh,
}: MemberCodeViewProps) {
  const qr = useMemo(() => svgDataUri(qrSvg(code.qrPayload)), [code.qrPayload]);
  const barcode = useMemo(() => svgDataUri(code128Svg(code.numeric)), [code.numeric]);
  const dim = refreshing || expired;

  return (
    <View className="member-code">
      <Text className="member-code__title">出示会员码</Text>
      <Text className="member-code__hint">请向店员出示，每分钟自动更新，仅限一次使用</Text>
      <View className={`member-code__codes${dim ? ' member-code__codes--dim' : ''}`}>
        <Image className="member-code-barcode" src={barcode} mode="scaleToFill" />
        <Text className="member-code-numeric">{spacedDigits(code.numeric)}</Text>
        <Image className="member-code-qr" src={qr} mode="aspectFit" />
        {expired && (
          <View className="member-code__expired">
            <Text>会员码已过期</Text>
          </View>
        )}
      </View>
      <View className="member-code__footer">
        <Text className={`member-code__countdown${refreshError ? ' member-code__countdown--error' : ''}`}>
          {refreshing ? '正在刷新…' : refreshError ? `刷新失败：${refreshError}` : `${secondsLeft} 秒后自动刷新`}
        </Text>
        <Button className="member-code-refresh" size="mini" disabled={refreshing || undefined} onClick={onRefresh}>
          刷新
        </Button>
      </View>
    </View>
  );
}
