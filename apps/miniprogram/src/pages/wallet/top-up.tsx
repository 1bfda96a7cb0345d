import { formatFen, type TopUp, type Wallet } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/errors';
import { Field } from '../../components/Field';
import { LoadStatus } from '../../components/LoadStatus';
import { formatDateTime } from '../../loyalty/format';
import { createKeyedAction } from '../../loyalty/idempotency';
import { consent, errorMessage, platform, wallet } from '../../services';
import { splitText, topUpAmountText } from '../../wallet/format';
import { payAndReturn, readWxPay } from '../../wallet/payment';
import {
  canRefundTopUp,
  createTopUpTracker,
  HISTORY_PAGE,
  readTopUpTicket,
  refundConfirmText,
  refundStateText,
  type TopUpTicket,
  type TopUpTracker,
  type TopUpView,
  topUpPagePath,
  topUpStatusText,
  WALLET_PAGE,
} from '../../wallet/top-up';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './wallet.css';

/**
 * A refund asked again after a lost answer carries the same key, so the server refunds once; kept for the app
 * run (not the page) so that leaving and coming back to retry is still the same request.
 */
const askRefund = createKeyedAction((topUpId: string, idempotencyKey: string, reason: string) =>
  wallet.refundTopUp(topUpId, idempotencyKey, reason),
);

export default function TopUpResultPage() {
  const [view, setView] = useState<TopUpView>({ phase: 'loading' });
  const [ticket, setTicket] = useState<TopUpTicket | null>(null);
  const [balance, setBalance] = useState<Wallet | null>(null);
  const [paying, setPaying] = useState(false);
  const [refunding, setRefunding] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const tracker = useRef<TopUpTracker | null>(null);

  // Arrival: from the 储值 page (weapp, after the pay sheet) or from the sandbox cashier (H5), with `wxpay`.
  useLoad((params: Record<string, string | undefined>) => {
    // So that 完成 opens WeChat's consent sheet within the tap.
    consent.prefetch();
    const found = readTopUpTicket(params);
    if (!found) {
      setView({ phase: 'error', message: '没有找到这笔充值', missing: false });
      return;
    }
    setTicket(found);
    tracker.current = createTopUpTracker({
      topUpId: found.topUpId,
      wxpay: readWxPay(params.wxpay),
      confirm: wallet.confirmTopUp,
      load: wallet.topUp,
      onChange: setView,
    });
    tracker.current.start();
  });
  useEffect(() => () => tracker.current?.stop(), []);

  // Once the top-up is known: the balance it left (and whether refunds are allowed).
  const shown = view.phase === 'shown' ? view.topUp : null;
  const shownKey = shown ? `${shown.id}:${shown.status}:${shown.refund?.status ?? ''}` : null;
  useEffect(() => {
    if (!shownKey) return;
    let current = true;
    wallet
      .wallet()
      .then((loaded) => current && setBalance(loaded))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [shownKey]);

  async function payAgain() {
    if (paying || !ticket) return;
    if (!ticket.packageId || !ticket.idempotencyKey) {
      void Taro.redirectTo({ url: WALLET_PAGE });
      return;
    }
    setPaying(true);
    setNotice(null);
    try {
      // The first attempt's key: the server answers with the same top-up and, while it is payable, its payment.
      const { topUp, payment } = await wallet.createTopUp(ticket.packageId, ticket.idempotencyKey);
      if (!payment) {
        tracker.current?.show(topUp);
        return;
      }
      const back = topUpPagePath({ ...ticket, topUpId: topUp.id });
      const next = await payAndReturn((params, path) => platform.requestPayment(params, path), payment, back);
      if (next) void Taro.redirectTo({ url: next });
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(error, '支付失败，请稍后重试') });
      // Paid or closed in the meantime: show it as it is now.
      if (error instanceof ApiError && error.code === 'PAYMENT_NOT_PAYABLE') tracker.current?.reload();
    } finally {
      setPaying(false);
    }
  }

  async function refund(topUp: TopUp) {
    if (refunding) return;
    const answer = await Taro.showModal({
      title: '申请退款',
      content: refundConfirmText(topUp),
      confirmText: '确认退款',
      confirmColor: '#c0392b',
      cancelText: '再想想',
    });
    if (!answer.confirm) return;
    setRefunding(true);
    setNotice(null);
    try {
      const updated = await askRefund(topUp.id, reason.trim());
      if (updated) tracker.current?.show(updated);
      else tracker.current?.reload();
      setNotice({ kind: 'ok', text: '退款申请已提交，款项将原路退回' });
    } catch (error) {
      setNotice({ kind: 'error', text: errorMessage(error, '退款申请失败，请稍后重试') });
    } finally {
      setRefunding(false);
    }
  }

  /** 完成 / 查看余额明细 after a credited top-up: offer 储值成功 and points messages (once a day), then go. */
  async function leave(url: string) {
    await consent.ask('top_up');
    void Taro.redirectTo({ url });
  }

  const back = (
    <Button
      className="btn btn--ghost btn--spaced topup-back"
      onClick={() => void Taro.redirectTo({ url: WALLET_PAGE })}
    >
      返回储值
    </Button>
  );
  const retry = (label: string) => (
    <Button
      className="btn btn--gold btn--spaced topup-retry"
      loading={paying}
      disabled={paying || undefined}
      onClick={() => void payAgain()}
    >
      {label}
    </Button>
  );

  if (view.phase === 'loading') {
    return (
      <View className="page">
        <LoadStatus error={null} onRetry={() => tracker.current?.reload()} />
      </View>
    );
  }
  if (view.phase === 'error') {
    if (view.missing) {
      return (
        <View className="page">
          <View className="status wallet-coming-soon">
            <Text className="panel__title">储值即将上线</Text>
            <Text className="panel__text">充值功能正在准备中，敬请期待</Text>
          </View>
        </View>
      );
    }
    return (
      <View className="page">
        <LoadStatus error={view.message} onRetry={() => tracker.current?.reload()} />
      </View>
    );
  }

  const topUp = 'topUp' in view ? view.topUp : null;
  return (
    <View className="page topup">
      {notice && <View className={`notice notice--${notice.kind} topup-notice`}>{notice.text}</View>}

      {view.phase === 'confirming' && (
        <Result icon="…" tone="wait" title="支付结果确认中…" className="topup-confirming" topUp={topUp}>
          <Text className="wallet-result__text">正在向微信支付确认，请稍候，不要重复支付</Text>
        </Result>
      )}

      {view.phase === 'timeout' && (
        <Result icon="…" tone="wait" title="支付结果确认中" className="topup-timeout" topUp={topUp}>
          <Text className="wallet-result__text">暂未收到微信支付的结果。如已付款，到账可能稍有延迟。</Text>
          <Button className="btn btn--gold btn--spaced topup-poll-again" onClick={() => tracker.current?.pollAgain()}>
            再查一次
          </Button>
          {back}
        </Result>
      )}

      {(view.phase === 'cancelled' || view.phase === 'failed') && (
        <Result
          icon="!"
          tone="stop"
          title={view.phase === 'cancelled' ? '已取消支付' : '支付失败'}
          className={view.phase === 'cancelled' ? 'topup-cancelled' : 'topup-failed'}
          topUp={topUp}
        >
          <Text className="wallet-result__text">
            {view.phase === 'cancelled' ? '您取消了这次支付，没有扣款。' : '这次支付没有成功，没有扣款。'}
          </Text>
          {retry('重新支付')}
          {back}
        </Result>
      )}

      {view.phase === 'shown' && (
        <Shown
          topUp={view.topUp}
          balance={balance}
          retry={retry}
          back={back}
          reason={reason}
          onReason={setReason}
          refunding={refunding}
          onRefund={() => void refund(view.topUp)}
          onReload={() => tracker.current?.reload()}
          onLeave={(url) => void leave(url)}
        />
      )}
    </View>
  );
}

function Result({
  icon,
  tone,
  title,
  className,
  topUp,
  children,
}: {
  icon: string;
  tone: 'ok' | 'wait' | 'stop';
  title: string;
  className: string;
  topUp: TopUp | null;
  children?: ReactNode;
}) {
  return (
    <View className={`panel wallet-result ${className}`}>
      <Text className={`wallet-result__icon${tone === 'ok' ? '' : ` wallet-result__icon--${tone}`}`}>{icon}</Text>
      <Text className="wallet-result__title topup-title">{title}</Text>
      {topUp && <Text className="wallet-result__amount topup-amount">{topUpAmountText(topUp)}</Text>}
      {children}
    </View>
  );
}

function Shown({
  topUp,
  balance,
  retry,
  back,
  reason,
  onReason,
  refunding,
  onRefund,
  onReload,
  onLeave,
}: {
  topUp: TopUp;
  balance: Wallet | null;
  retry: (label: string) => ReactNode;
  back: ReactNode;
  reason: string;
  onReason: (value: string) => void;
  refunding: boolean;
  onRefund: () => void;
  onReload: () => void;
  onLeave: (url: string) => void;
}) {
  const refundText = refundStateText(topUp);
  const credited = topUp.status === 'paid' || topUp.status === 'refunding' || topUp.status === 'refunded';
  return (
    <>
      {credited ? (
        <Result icon="✓" tone="ok" title="充值成功" className="topup-paid" topUp={topUp}>
          {balance && (
            <Text className="wallet-result__text topup-balance">
              当前余额 {formatFen(balance.balanceFen)}（{splitText(balance.principalFen, balance.bonusFen)}）
            </Text>
          )}
        </Result>
      ) : topUp.status === 'closed' ? (
        <Result icon="!" tone="stop" title="订单已关闭" className="topup-closed" topUp={topUp}>
          <Text className="wallet-result__text">这笔充值已超时关闭，没有扣款，请重新选择套餐充值。</Text>
          {back}
        </Result>
      ) : (
        <Result icon="…" tone="wait" title="待支付" className="topup-pending" topUp={topUp}>
          <Text className="wallet-result__text">请在 {formatDateTime(topUp.expiresAt)} 前完成支付。</Text>
          {retry('去支付')}
          {back}
        </Result>
      )}

      <View className="panel topup-detail">
        <View className="wallet-lines">
          <Line label="套餐" value={topUp.packageName} />
          <Line label="状态" value={topUpStatusText(topUp)} className="topup-status" />
          <Line label="订单号" value={topUp.outTradeNo} />
          <Line label="下单时间" value={formatDateTime(topUp.createdAt)} />
          {topUp.paidAt && <Line label="到账时间" value={formatDateTime(topUp.paidAt)} />}
        </View>
        {refundText && (
          <Text className="field__note topup-refund-state" onClick={onReload}>
            {refundText}
            {topUp.refund?.status === 'processing' ? '（点此刷新）' : ''}
          </Text>
        )}
      </View>

      {canRefundTopUp(topUp, balance) && (
        <View className="panel topup-refund">
          <Text className="panel__title">申请退款</Text>
          <Text className="panel__text">可退还这笔充值中未使用的本金，赠送金额按退款比例作废。</Text>
          <Field label="退款原因（选填）">
            <Input
              className="field__input topup-refund-reason"
              value={reason}
              maxlength={80}
              placeholder="例如：不再需要"
              onInput={(e) => onReason(e.detail.value)}
            />
          </Field>
          <Button
            className="btn btn--danger btn--spaced topup-refund-button"
            loading={refunding}
            disabled={refunding || undefined}
            onClick={onRefund}
          >
            申请退款
          </Button>
        </View>
      )}

      {credited && (
        <View className="actions">
          <Button className="btn btn--gold topup-done" onClick={() => onLeave(WALLET_PAGE)}>
            完成
          </Button>
          <Button className="btn btn--ghost btn--spaced topup-history" onClick={() => onLeave(HISTORY_PAGE)}>
            查看余额明细
          </Button>
        </View>
      )}
    </>
  );
}

function Line({ label, value, className }: { label: string; value: string; className?: string }) {
  return (
    <View className="wallet-line">
      <Text className="wallet-line__label">{label}</Text>
      <Text className={`wallet-line__value${className ? ` ${className}` : ''}`}>{value}</Text>
    </View>
  );
}
