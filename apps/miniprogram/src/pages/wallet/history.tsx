import type { WalletEntry } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import { formatDateTime } from '../../loyalty/format';
import { wallet } from '../../services';
import { walletEntryLines } from '../../wallet/format';
import { useWalletPager, WalletPagedList } from './WalletPagedList';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './wallet.css';

export default function WalletHistoryPage() {
  const { state, more } = useWalletPager<WalletEntry>((after) => wallet.history(after), '余额明细加载失败');
  return (
    <View className="page wallet-history-page">
      <WalletPagedList
        state={state}
        onMore={more}
        className="wallet-history"
        empty="还没有余额变动"
        emptyClassName="wallet-history-empty"
        prefix="wallet"
        row={(entry) => {
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
        }}
      />
    </View>
  );
}
