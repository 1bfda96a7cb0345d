import { type Charge, formatFen, type PayCode, type RequestPaymentParams } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useLoad } from '@tarojs/taro';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { isRouteMissing } from '../../api/errors';
import { type CardView, type CodeRefresher, createCodeRefresher } from '../../card/code-refresher';
import { PayCodeView } from '../../components/PayCodeView';
import { createKeyedAction } from '../../loyalty/idempotency';
import { consent, errorMessage, platform, wallet } from '../../services';
import {
  type ChargeTicket,
  chargeDone,
  chargeEndText,
  chargePagePath,
  createChargeWatcher,
  PENDING_CHARGE_POLL_MS,
  readChargeTicket,
} from '../../wallet/charge';
import { chargeLines, chargeSettledText } from '../../wallet/format';
import { payAndReturn, readWxPay } from '../../wallet/payment';
import { createPoller, type Poller } from '../../wallet/poller';
import { HISTORY_PAGE } from '../../wallet/top-up';
import '../../components/ui.css';
import '../../components/loyalty.css';
import './wallet.css';

type PayView =
  /** Waiting for staff to start a payment (asked every 2 s), or showing the one they started. */
  | { kind: 'watching'; charge: Charge | null; loaded: boolean; error: string | null }
  /** Back from WeChat Pay with ok: waiting for the server to see the money. */
  | { kind: 'paying'; charge: Charge | null }
  | { kind: 'unpaid'; result: 'cancel' | 'fail'; charge: Charge | null }
  | { kind: 'timeout'; charge: Charge | null }
  | { kind: 'done'; charge: Charge }
  | { kind: 'error'; message: string }
  | { kind: 'coming-soon' };

/**
 * 确认支付, one key per charge: confirming again after a lost answer (even after leaving the page) finds the first
 * confirmation instead of paying twice. The key also rides along to the WeChat Pay return page.
 */
const confirmOnce = createKeyedAction(async (chargeId: string, idempotencyKey: string) => ({
  ...(await wallet.confirmCharge(chargeId, idempotencyKey)),
  idempotencyKey,
}));

const PAY_CODE_MISSING = '付款码功能即将上线';

function loadPayCode(): Promise<PayCode> {
  return wallet.payCode().catch((error: unknown) => {
    throw isRouteMissing(error) ? new Error(PAY_CODE_MISSING) : error;
  });
}

export default function PayPage() {
  const [view, setView] = useState<PayView>({ kind: 'watching', charge: null, loaded: false, error: null });
  const [busy, setBusy] = useState<'confirm' | 'decline' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [codeShown, setCodeShown] = useState(false);
  const [codeView, setCodeView] = useState<CardView<PayCode>>({ status: 'loading' });
  const ticket = useRef<ChargeTicket | null>(null);
  const pending = useRef<Poller | null>(null);
  const watched = useRef<Poller | null>(null);
  const refresher = useRef<CodeRefresher | null>(null);
  const codeOn = useRef(false);
  const wasHidden = useRef(false);
  // For the show/hide handlers, which may hold an earlier render's closure.
  const viewKind = useRef(view.kind);
  viewKind.current = view.kind;

  pending.current ??= createPoller<Charge | null>({
    load: wallet.pendingCharge,
    settled: () => false,
    intervalMs: PENDING_CHARGE_POLL_MS,
    fatal: isRouteMissing,
    onChange(state) {
      if (state.status === 'failed') {
        setView({ kind: 'coming-soon' });
        return;
      }
      if (state.status !== 'waiting') return;
      setView((current) =>
        current.kind !== 'watching'
          ? current
          : {
              kind: 'watching',
              charge: state.value,
              loaded: current.loaded || state.error === null,
              error: state.error === null ? null : errorMessage(state.error, '加载失败，请稍后重试'),
            },
      );
    },
  });
  refresher.current ??= createCodeRefresher({ load: loadPayCode, endsAt: (c) => c.expiresAt, onChange: setCodeView });

  function stopAll() {
    pending.current?.stop();
    watched.current?.stop();
    refresher.current?.stop();
  }

  /** Follows one charge until it is done (after WeChat Pay, or a confirmation the server is still finishing). */
  function watchCharge(chargeId: string, charge: Charge | null) {
    pending.current?.stop();
    watched.current?.stop();
    setView({ kind: 'paying', charge });
    watched.current = createChargeWatcher({
      chargeId,
      load: wallet.charge,
      onChange(state) {
        if (state.status === 'settled') setView({ kind: 'done', charge: state.value });
        else if (state.status === 'waiting') setView({ kind: 'paying', charge: state.value });
        else if (state.status === 'timeout') setView({ kind: 'timeout', charge: state.value });
        else if (isRouteMissing(state.error)) setView({ kind: 'coming-soon' });
        else setView({ kind: 'error', message: errorMessage(state.error, '加载失败，请稍后重试') });
      },
    });
    watched.current.start();
  }

  function watchPending() {
    ticket.current = null;
    watched.current?.stop();
    setView({ kind: 'watching', charge: null, loaded: false, error: null });
    pending.current?.start();
  }

  // Back from the WeChat Pay cashier (H5) or the pay sheet (weapp): `charge`, its key and `wxpay`.
  useLoad((params: Record<string, string | undefined>) => {
    const found = readChargeTicket(params);
    if (!found) return;
    ticket.current = found;
    const wxpay = readWxPay(params.wxpay);
    if (wxpay === 'cancel' || wxpay === 'fail') {
      setView({ kind: 'unpaid', result: wxpay, charge: null });
      wallet
        .charge(found.chargeId)
        .then((charge) =>
          setView((current) =>
            current.kind !== 'unpaid'
              ? current
              : chargeDone(charge)
                ? { kind: 'done', charge }
                : { ...current, charge },
          ),
        )
        .catch(() => {});
      return;
    }
    watchCharge(found.chargeId, null);
  });

  // Polling only while the page is on screen.
  // The first show after a return from WeChat Pay keeps the read useLoad already sent (restarting would drop it
  // and ask WeChat Pay twice); coming back to the page later starts the watch again, asking at once.
  useDidShow(() => {
    // So that the taps after a payment open WeChat's consent sheet within the tap.
    consent.prefetch();
    if (!ticket.current && viewKind.current === 'watching') pending.current?.start();
    if (ticket.current && viewKind.current === 'paying' && wasHidden.current) watched.current?.start();
    if (codeOn.current) refresher.current?.start();
    wasHidden.current = false;
  });
  useDidHide(() => {
    wasHidden.current = true;
    stopAll();
  });
  useEffect(
    () => () => {
      pending.current?.stop();
      watched.current?.stop();
      refresher.current?.stop();
    },
    [],
  );

  async function settle(charge: Charge, payment: RequestPaymentParams | null, back: ChargeTicket) {
    if (payment) {
      ticket.current = back;
      const next = await payAndReturn(
        (params, path) => platform.requestPayment(params, path),
        payment,
        chargePagePath(back),
      );
      // null: on its way to the H5 cashier, which comes back here with `wxpay`.
      if (next) void Taro.redirectTo({ url: next });
      return;
    }
    if (chargeDone(charge)) {
      pending.current?.stop();
      setView({ kind: 'done', charge });
      return;
    }
    watchCharge(charge.id, charge);
  }

  async function confirm(charge: Charge) {
    if (busy) return;
    setBusy('confirm');
    setNotice(null);
    pending.current?.stop();
    try {
      const result = await confirmOnce(charge.id);
      await settle(result.charge, result.payment, { chargeId: charge.id, idempotencyKey: result.idempotencyKey });
    } catch (error) {
      setNotice(errorMessage(error, '支付失败，请稍后重试'));
      if (!ticket.current) pending.current?.start();
    } finally {
      setBusy(null);
    }
  }

  /** 重新支付 after backing out of WeChat Pay: the first key brings back the same payment. */
  async function payAgain() {
    const back = ticket.current;
    if (busy || !back) return;
    setBusy('confirm');
    setNotice(null);
    try {
      const result = back.idempotencyKey
        ? { ...(await wallet.confirmCharge(back.chargeId, back.idempotencyKey)), idempotencyKey: back.idempotencyKey }
        : await confirmOnce(back.chargeId);
      await settle(result.charge, result.payment, { chargeId: back.chargeId, idempotencyKey: result.idempotencyKey });
    } catch (error) {
      setNotice(errorMessage(error, '支付失败，请稍后重试'));
    } finally {
      setBusy(null);
    }
  }

  async function decline(charge: Charge) {
    if (busy) return;
    const answer = await Taro.showModal({
      title: '拒绝付款',
      content: `拒绝${charge.storeName}发起的这笔 ${formatFen(charge.amountFen)} 付款吗？拒绝后不会扣款。`,
      confirmText: '拒绝',
      confirmColor: '#c0392b',
      cancelText: '返回',
    });
    if (!answer.confirm) return;
    setBusy('decline');
    setNotice(null);
    pending.current?.stop();
    try {
      const updated = await wallet.declineCharge(charge.id);
      setView({ kind: 'done', charge: updated ?? { ...charge, status: 'cancelled' } });
    } catch (error) {
      setNotice(errorMessage(error, '操作失败，请稍后重试'));
      if (!ticket.current) pending.current?.start();
    } finally {
      setBusy(null);
    }
  }

  /**
   * The taps after a completed payment at the till (a purchase): offer the points and coupon messages it leads to,
   * once a day; the page goes on whatever the member answers.
   */
  function afterPurchase(charge: Charge): Promise<unknown> {
    return charge.status === 'completed' ? consent.ask('after_purchase') : Promise.resolve();
  }

  function toggleCode() {
    codeOn.current = !codeShown;
    setCodeShown(!codeShown);
    if (codeOn.current) refresher.current?.start();
    else refresher.current?.stop();
  }

  if (view.kind === 'coming-soon') {
    return (
      <View className="page">
        <View className="status wallet-coming-soon">
          <Text className="panel__title">储值支付即将上线</Text>
          <Text className="panel__text">储值消费功能正在准备中，敬请期待</Text>
        </View>
      </View>
    );
  }

  return (
    <View className="page pay">
      {notice && <View className="notice notice--error pay-notice">{notice}</View>}

      {view.kind === 'watching' && (
        <>
          {view.charge ? (
            <PendingCharge
              charge={view.charge}
              busy={busy}
              onConfirm={() => view.charge && void confirm(view.charge)}
              onDecline={() => view.charge && void decline(view.charge)}
            />
          ) : view.loaded ? (
            <View className="panel pending-charge-empty">
              <Text className="panel__title">暂无待确认的付款</Text>
              <Text className="panel__text">
                店员发起储值收款后会在这里显示，核对门店和金额后确认支付；也可以出示下方的付款码。
              </Text>
            </View>
          ) : view.error ? (
            <View className="notice notice--error pending-charge-error">{view.error}</View>
          ) : (
            <View className="status">
              <Text className="loading">加载中…</Text>
            </View>
          )}

          <View className="actions">
            <Button className={`btn ${codeShown ? 'btn--ghost' : 'btn--primary'} pay-code-toggle`} onClick={toggleCode}>
              {codeShown ? '收起付款码' : '出示付款码'}
            </Button>
          </View>
          {codeShown && <PayCodeView view={codeView} onRefresh={() => refresher.current?.refresh()} />}
        </>
      )}

      {view.kind === 'paying' && (
        <ChargeResult tone="wait" title="支付结果确认中…" className="charge-paying" charge={view.charge}>
          <Text className="wallet-result__text">正在确认微信支付结果，请稍候，不要重复支付</Text>
        </ChargeResult>
      )}

      {view.kind === 'timeout' && (
        <ChargeResult tone="wait" title="支付结果确认中" className="charge-timeout" charge={view.charge}>
          <Text className="wallet-result__text">暂未收到支付结果。如已付款，请稍后查看余额明细，或向店员确认。</Text>
          <Button
            className="btn btn--gold btn--spaced charge-poll-again"
            onClick={() => ticket.current && watchCharge(ticket.current.chargeId, view.charge)}
          >
            再查一次
          </Button>
        </ChargeResult>
      )}

      {view.kind === 'unpaid' && (
        <ChargeResult
          tone="stop"
          title={view.result === 'cancel' ? '已取消支付' : '支付失败'}
          className="charge-unpaid"
          charge={view.charge}
        >
          <Text className="wallet-result__text">微信支付没有完成，没有扣款。可以重新支付，或拒绝这笔付款。</Text>
          <Button
            className="btn btn--gold btn--spaced charge-retry"
            loading={busy === 'confirm'}
            disabled={busy !== null || undefined}
            onClick={() => void payAgain()}
          >
            重新支付
          </Button>
          {view.charge && (
            <Button
              className="btn btn--danger btn--spaced charge-decline"
              disabled={busy !== null || undefined}
              onClick={() => view.charge && void decline(view.charge)}
            >
              拒绝这笔付款
            </Button>
          )}
        </ChargeResult>
      )}

      {view.kind === 'done' && (
        <ChargeResult
          tone={view.charge.status === 'cancelled' || view.charge.status === 'expired' ? 'stop' : 'ok'}
          title={chargeEndText(view.charge)}
          className="charge-done"
          charge={view.charge}
        >
          {view.charge.status === 'completed' && (
            <Text className="wallet-result__text charge-done-split">{chargeSettledText(view.charge, 'member')}</Text>
          )}
          <Button
            className="btn btn--gold btn--spaced charge-history"
            onClick={() => void afterPurchase(view.charge).then(() => Taro.redirectTo({ url: HISTORY_PAGE }))}
          >
            查看余额明细
          </Button>
          <Button
            className="btn btn--ghost btn--spaced charge-again"
            onClick={() => {
              void afterPurchase(view.charge);
              watchPending();
            }}
          >
            继续付款
          </Button>
        </ChargeResult>
      )}

      {view.kind === 'error' && (
        <View className="status">
          <Text className="notice notice--error">{view.message}</Text>
          <Button className="btn btn--primary" onClick={watchPending}>
            返回
          </Button>
        </View>
      )}
    </View>
  );
}

function PendingCharge({
  charge,
  busy,
  onConfirm,
  onDecline,
}: {
  charge: Charge;
  busy: 'confirm' | 'decline' | null;
  onConfirm: () => void;
  onDecline: () => void;
}) {
  return (
    <View className="panel pending-charge" data-charge-id={charge.id}>
      <Text className="panel__title">待确认的付款</Text>
      <Lines charge={charge} />
      <Button
        className="btn btn--gold btn--spaced pending-charge-confirm"
        loading={busy === 'confirm'}
        disabled={busy !== null || undefined}
        onClick={onConfirm}
      >
        {charge.wechatFen > 0 ? `确认支付（微信支付 ${formatFen(charge.wechatFen)}）` : '确认支付'}
      </Button>
      <Button
        className="btn btn--ghost btn--spaced pending-charge-decline"
        loading={busy === 'decline'}
        disabled={busy !== null || undefined}
        onClick={onDecline}
      >
        拒绝
      </Button>
    </View>
  );
}

function ChargeResult({
  tone,
  title,
  className,
  charge,
  children,
}: {
  tone: 'ok' | 'wait' | 'stop';
  title: string;
  className: string;
  charge: Charge | null;
  children?: ReactNode;
}) {
  const icon = tone === 'ok' ? '✓' : tone === 'wait' ? '…' : '!';
  return (
    <>
      <View className={`panel wallet-result ${className}`}>
        <Text className={`wallet-result__icon${tone === 'ok' ? '' : ` wallet-result__icon--${tone}`}`}>{icon}</Text>
        <Text className="wallet-result__title charge-title">{title}</Text>
        {charge && <Text className="wallet-result__amount charge-amount">{formatFen(charge.amountFen)}</Text>}
        {children}
      </View>
      {charge && (
        <View className="panel">
          <Lines charge={charge} />
        </View>
      )}
    </>
  );
}

function Lines({ charge }: { charge: Charge }) {
  return (
    <View className="wallet-lines pending-charge-lines">
      {chargeLines(charge).map((line) => (
        <View key={line.label} className="wallet-line">
          <Text className="wallet-line__label">{line.label}</Text>
          <View className="wallet-line__value">
            <Text>{line.value}</Text>
            {line.note && <Text className="wallet-line__note">{line.note}</Text>}
          </View>
        </View>
      ))}
    </View>
  );
}
