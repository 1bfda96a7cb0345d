import { formatFen, type TopUpPackage, type Wallet } from '@member-hub/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { isRouteMissing } from '../../api/errors';
import { PageLoadStatus, usePageLoad } from '../../components/PageLoad';
import { createKeyedAction } from '../../loyalty/idempotency';
import { errorMessage, platform, wallet } from '../../services';
import { PAY_PAGE } from '../../wallet/charge';
import { packageLines, splitText } from '../../wallet/format';
import { payAndReturn } from '../../wallet/payment';
import { HISTORY_PAGE, TOP_UPS_PAGE, topUpPagePath } from '../../wallet/top-up';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './wallet.css';

const COMING_SOON = {
  className: 'wallet-coming-soon',
  title: '储值即将上线',
  text: '充值、储值消费功能正在准备中，敬请期待',
};

const SHORTCUTS = [
  { text: '付款', icon: '付', url: PAY_PAGE, className: 'wallet-link-pay' },
  { text: '余额明细', icon: '明', url: HISTORY_PAGE, className: 'wallet-link-history' },
  { text: '充值记录', icon: '充', url: TOP_UPS_PAGE, className: 'wallet-link-top-ups' },
] as const;

/** The balance decides whether stored value exists here; the packages may fail alone. */
async function loadWallet(): Promise<{ balance: Wallet; packages: TopUpPackage[] | null }> {
  const [balance, packages] = await Promise.all([wallet.wallet(), wallet.packages().catch(() => null)]);
  return { balance, packages };
}

/**
 * One tap on a package: the top-up and its key. A tap repeated after a lost answer (even after leaving the page
 * and coming back) resends the key and gets the same top-up, so no second order is opened.
 */
const tapPackage = createKeyedAction(async (packageId: string, idempotencyKey: string) => ({
  ...(await wallet.createTopUp(packageId, idempotencyKey)),
  idempotencyKey,
}));

export default function WalletPage() {
  const { state, load } = usePageLoad(loadWallet, isRouteMissing);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function buy(pkg: TopUpPackage) {
    if (busy) return;
    setBusy(pkg.id);
    setNotice(null);
    try {
      const { topUp, payment, idempotencyKey } = await tapPackage(pkg.id);
      const resultPage = topUpPagePath({ topUpId: topUp.id, packageId: pkg.id, idempotencyKey });
      // No payment: this top-up can no longer be paid (already paid, closed); its page says which.
      const next = payment
        ? await payAndReturn((params, back) => platform.requestPayment(params, back), payment, resultPage)
        : resultPage;
      // null: the H5 build is on its way to the cashier, which comes back to the result page by itself.
      if (next) void Taro.navigateTo({ url: next });
    } catch (error) {
      setNotice(errorMessage(error, '下单失败，请稍后重试'));
    } finally {
      setBusy(null);
    }
  }

  if (state.status !== 'ready')
    return <PageLoadStatus state={state} onRetry={() => void load()} comingSoon={COMING_SOON} />;

  const { balance, packages } = state.data;
  return (
    <View className="page wallet">
      <View className="hero wallet-hero">
        <Text className="hero__label">储值余额</Text>
        <Text className="hero__value wallet-balance">{formatFen(balance.balanceFen)}</Text>
        <Text className="hero__note wallet-split">{splitText(balance.principalFen, balance.bonusFen)}</Text>
      </View>

      <View className="shortcuts">
        {SHORTCUTS.map((s) => (
          <View key={s.url} className={`shortcut ${s.className}`} onClick={() => void Taro.navigateTo({ url: s.url })}>
            <Text className="shortcut__icon">{s.icon}</Text>
            <Text className="shortcut__text">{s.text}</Text>
          </View>
        ))}
      </View>

      {notice && <View className="notice notice--error wallet-error">{notice}</View>}

      <Text className="section-title">充值</Text>
      {packages === null ? (
        <Text className="empty wallet-packages-error">充值套餐暂时无法加载，请稍后再试</Text>
      ) : packages.length === 0 ? (
        <Text className="empty wallet-packages-empty">暂无充值套餐</Text>
      ) : (
        <View className="wallet-packages">
          {packages.map((pkg) => {
            const lines = packageLines(pkg);
            const mine = busy === pkg.id;
            return (
              <View
                key={pkg.id}
                className={`wallet-package${mine ? ' wallet-package--busy' : ''}${lines.soldOut ? ' wallet-package--off' : ''}`}
                data-package-id={pkg.id}
                onClick={() => {
                  if (!lines.soldOut) void buy(pkg);
                }}
              >
                <Text className="wallet-package__name">{pkg.name}</Text>
                <Text className="wallet-package__pay">{lines.pay}</Text>
                {lines.bonus && <Text className="wallet-package__bonus">{lines.bonus}</Text>}
                <Text className="wallet-package__total">{mine ? '正在下单…' : lines.total}</Text>
                {lines.notes.map((note) => (
                  <Text key={note} className="wallet-package__note">
                    {note}
                  </Text>
                ))}
              </View>
            );
          })}
        </View>
      )}
      <Text className="wallet-hint">
        储值余额可在门店消费时使用，本金与赠送金额按比例扣减。
        {balance.refundEnabled ? '未使用的本金可在充值详情中申请退款，赠送金额按比例作废。' : '充值后暂不支持退款。'}
      </Text>
    </View>
  );
}
