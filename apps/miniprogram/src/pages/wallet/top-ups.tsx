import type { TopUp } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { wallet } from '../../services';
import { topUpRowLines } from '../../wallet/format';
import { topUpPagePath } from '../../wallet/top-up';
import { useWalletPager, WalletPagedList } from './WalletPagedList';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './wallet.css';

/** 充值记录: the member's top-ups, newest first; a row opens its result page (status, 申请退款). */
export default function WalletTopUpsPage() {
  const { state, more } = useWalletPager<TopUp>((after) => wallet.topUps(after), '充值记录加载失败');
  return (
    <View className="page wallet-top-ups-page">
      <WalletPagedList
        state={state}
        onMore={more}
        className="wallet-top-ups"
        empty="还没有充值记录"
        emptyClassName="wallet-top-ups-empty"
        prefix="wallet-top-ups"
        row={(topUp) => {
          const lines = topUpRowLines(topUp);
          return (
            <View
              key={topUp.id}
              className="entry wallet-top-up"
              data-status={topUp.status}
              onClick={() =>
                void Taro.navigateTo({
                  url: topUpPagePath({ topUpId: topUp.id, packageId: topUp.packageId, idempotencyKey: null }),
                })
              }
            >
              <View className="entry__main">
                <Text className="entry__note">{lines.title}</Text>
                <Text className="wallet-top-up__amount">{lines.amount}</Text>
                <Text className="entry__time">{lines.time}</Text>
              </View>
              <View className="wallet-top-up__side">
                <Text className={`wallet-top-up__status wallet-top-up__status--${topUp.status}`}>{lines.status}</Text>
                {lines.refund && <Text className="wallet-top-up__refund">{lines.refund}</Text>}
              </View>
            </View>
          );
        }}
      />
    </View>
  );
}
