import type { WalletEntry } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import { useDidShow, useReachBottom } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { isRouteMissing } from '../../api/errors';
import { PagerFooter } from '../../components/PagerFooter';
import { formatDateTime } from '../../loyalty/format';
import { createPager, type Pager, type PagerState } from '../../loyalty/pager';
import { errorMessage, wallet } from '../../services';
import { walletEntryLines } from '../../wallet/format';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './wallet.css';

const MISSING = '储值即将上线';

export default function WalletHistoryPage() {
  const [history, setHistory] = useState<PagerState<WalletEntry> | null>(null);
  const pager = useRef<Pager<WalletEntry> | null>(null);

  pager.current ??= createPager({
    load: (after) => wallet.history(after),
    onChange: setHistory,
    describeError: (error) => (isRouteMissing(error) ? MISSING : errorMessage(error, '余额明细加载失败')),
  });

  // Every show starts from the newest entries: a top-up or a payment may just have landed.
  useDidShow(() => {
    void pager.current?.reload();
  });
  useReachBottom(() => {
    void pager.current?.loadMore();
  });

  const more = () => void pager.current?.loadMore();
  return (
    <View className="page wallet-history-page">
      <HistoryList state={history} onMore={more} />
    </View>
  );
}

function HistoryList({ state, onMore }: { state: PagerState<WalletEntry> | null; onMore: () => void }) {
  if (!state || (!state.loaded && !state.error)) {
    return (
      <View className="list">
        <Text className="list-footer">加载中…</Text>
      </View>
    );
  }
  if (!state.loaded && state.error === MISSING) {
    return (
      <View className="status wallet-coming-soon">
        <Text className="panel__title">储值即将上线</Text>
        <Text className="panel__text">充值、储值消费功能正在准备中，敬请期待</Text>
      </View>
    );
  }
  if (state.loaded && state.items.length === 0 && !state.error) {
    return (
      <View className="list">
        <Text className="empty wallet-history-empty">还没有余额变动</Text>
      </View>
    );
  }
  return (
    <>
      <View className="list wallet-history">
        {state.items.map((entry) => {
          const lines = walletEntryLines(entry);
          return (
            <View key={entry.id} className="entry wallet-entry" data-kind={entry.kind}>
              <View className="entry__main">
                <Text className="entry__note">{lines.title}</Text>
                <Text className="wallet-entry__split">{lines.split}</Text>
                <Text className="entry__time">{formatDateTime(entry.at)}</Text>
              </View>
              <Text
                className={`entry__amount wallet-entry__amount${entry.amountFen > 0 ? ' entry__amount--plus' : ''}`}
              >
                {lines.amount}
              </Text>
            </View>
          );
        })}
      </View>
      <PagerFooter state={state} onMore={onMore} prefix="wallet" />
    </>
  );
}
