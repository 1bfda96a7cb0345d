import { type Charge, formatFen, formatPoints, type MemberSummary } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { ApiError, isRouteMissing } from '../../api/errors';
import { Field } from '../../components/Field';
import { PlatformError } from '../../platform/types';
import { errorMessage, platform, staffSession } from '../../services';
import {
  type ChargeDraft,
  type ChargePayer,
  type ChargeProblem,
  chargeCancellable,
  chargeFinal,
  chargeOutcome,
  checkCharge,
  createChargeSubmitter,
  describeChargeError,
  EMPTY_CHARGE,
  normalizePayCode,
  STAFF_CHARGE_POLL_MS,
  STAFF_CHARGE_POLL_TIMEOUT_MS,
} from '../../staff/charge-form';
import { parseAmount } from '../../staff/purchase-form';
import { createPoller, type Poller } from '../../wallet/poller';
import { OffsetField } from './OffsetField';
import { AmountField, TillFormFooter, useTillForm } from './TillForm';
import '../../components/ui.css';
import './staff.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

export type ChargeSubject = { kind: 'member'; member: MemberSummary } | { kind: 'payCode'; code: string };

/**
 * 储值收款: stored value (points offset and WeChat Pay for the rest as the member chooses) for the member just
 * scanned, who confirms on their phone; or, with the member's payment code, taken at once. Keyed by the scan like
 * 记录消费, so each scan is a new payment with its own idempotency key, reused by retries of one submit.
 */
export function ChargePanel({
  subject,
  onCharged,
  onRescan,
}: {
  subject: ChargeSubject;
  /** A payment went through: the summary above takes what it moved. */
  onCharged: (charge: Charge) => void;
  /** The server no longer counts the scan: go back to scanning. */
  onRescan: () => void;
}) {
  const member = subject.kind === 'member' ? subject.member : null;
  const till = useTillForm<ChargeDraft, ChargeProblem>(
    { ...EMPTY_CHARGE, payCode: subject.kind === 'payCode' ? subject.code : '' },
    describeChargeError,
  );
  const { draft, set, fieldErrors } = till;
  const [missing, setMissing] = useState(false);
  const [charge, setCharge] = useState<Charge | null>(null);
  const [waitProblem, setWaitProblem] = useState<string | null>(null);
  const [timedOut, setTimedOut] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  /** The charge this till called off (取消收款), so its end reads 已取消 rather than the member's refusal. */
  const [cancelledId, setCancelledId] = useState<string | null>(null);
  // Created once: the panel's idempotency key lives in it.
  const [submitter] = useState(() => createChargeSubmitter(staffSession.startCharge));
  const poller = useRef<Poller | null>(null);
  const reported = useRef<string | null>(null);

  function settled(done: Charge) {
    if (done.status !== 'completed' || reported.current === done.id) return;
    reported.current = done.id;
    onCharged(done);
  }

  /** Asks every 1.5 s how the member answered, until the payment is done, declined or expired. */
  function follow(started: Charge) {
    poller.current?.stop();
    setCharge(started);
    setWaitProblem(null);
    setTimedOut(false);
    if (chargeFinal(started)) {
      settled(started);
      return;
    }
    poller.current = createPoller({
      load: () => staffSession.charge(started.id),
      settled: chargeFinal,
      intervalMs: STAFF_CHARGE_POLL_MS,
      timeoutMs: STAFF_CHARGE_POLL_TIMEOUT_MS,
      fatal: (error) => isRouteMissing(error) || (error instanceof ApiError && error.status === 401),
      onChange(state) {
        if (state.status === 'settled') {
          setCharge(state.value);
          setWaitProblem(null);
          settled(state.value);
        } else if (state.status === 'waiting') {
          if (state.value) setCharge(state.value);
          setWaitProblem(state.error ? errorMessage(state.error, '查询失败，正在重试') : null);
        } else if (state.status === 'timeout') {
          setTimedOut(true);
        } else {
          setWaitProblem(errorMessage(state.error, '查询失败，请稍后重试'));
        }
      },
    });
    poller.current.start();
  }

  // Only while the till shows this page; a payment still awaited is looked up again on return.
  useDidHide(() => poller.current?.stop());
  useDidShow(() => {
    if (charge && !chargeFinal(charge) && !timedOut) poller.current?.start();
  });
  useEffect(() => () => poller.current?.stop(), []);

  function submit() {
    const payer: ChargePayer = member
      ? { kind: 'member', memberId: member.memberId, points: member.points }
      : { kind: 'payCode' };
    return till.submit(
      checkCharge(draft, payer),
      async (checked) => follow(await submitter.submit(checked.input)),
      (problem) => setMissing(problem.missing),
    );
  }

  async function scanPayCode() {
    try {
      const text = await platform.scanCode();
      set({ payCode: normalizePayCode(text.trim()) });
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'CANCELLED') return;
      till.setErrors([{ field: 'payCode', message: errorMessage(error, '扫码失败，请输入付款码') }]);
    }
  }

  /** 取消收款: the server calls it off unless the member confirmed first; either way the answer is followed. */
  async function cancel(waiting: Charge) {
    if (cancelling) return;
    setCancelling(true);
    setWaitProblem(null);
    poller.current?.stop();
    try {
      const answer = await staffSession.cancelCharge(waiting.id);
      if (answer.status === 'cancelled') setCancelledId(answer.id);
      follow(answer);
    } catch (error) {
      setWaitProblem(errorMessage(error, '取消失败，请重试'));
      if (!timedOut) poller.current?.start();
    } finally {
      setCancelling(false);
    }
  }

  function another() {
    poller.current?.stop();
    setCancelledId(null);
    setCharge(null);
    till.reset({ ...EMPTY_CHARGE });
    setWaitProblem(null);
    setTimedOut(false);
  }

  if (missing) {
    return (
      <View className="panel staff-charge staff-charge-coming-soon">
        <Text className="panel__title">储值收款</Text>
        <Text className="panel__text">储值收款即将上线，服务器暂未开放。</Text>
      </View>
    );
  }

  if (charge) {
    const outcome = chargeOutcome(charge, cancelledId === charge.id);
    if (outcome.kind === 'waiting') {
      return (
        <View className="panel staff-charge-waiting">
          <Text className="staff-result__headline staff-result__headline--wait">{outcome.text}</Text>
          <Text className="staff-result__line">
            金额 {formatFen(charge.amountFen)}
            {charge.offsetPoints > 0 ? `，积分抵扣 ${formatPoints(charge.offsetPoints)} 积分` : ''}
          </Text>
          <Text className="staff-result__line">请让顾客打开小程序，在「付款」中核对金额并确认支付。</Text>
          {waitProblem && <Text className="field__error staff-charge-wait-error">{waitProblem}</Text>}
          {timedOut && (
            <Button className="btn btn--gold btn--spaced staff-charge-refresh" onClick={() => follow(charge)}>
              重新查询
            </Button>
          )}
          {chargeCancellable(charge) && (
            <Button
              className="btn btn--ghost btn--spaced staff-charge-cancel"
              loading={cancelling}
              disabled={cancelling || undefined}
              onClick={() => void cancel(charge)}
            >
              取消收款
            </Button>
          )}
        </View>
      );
    }
    return (
      <View className={`panel ${outcome.kind === 'ok' ? 'staff-charge-result' : 'staff-charge-stopped'}`}>
        <Text className={`staff-result__headline${outcome.kind === 'ok' ? '' : ' staff-result__headline--stop'}`}>
          {outcome.text}
        </Text>
        {outcome.kind === 'ok' && charge.offsetPoints > 0 && (
          <Text className="staff-result__line">
            积分抵扣 {formatPoints(charge.offsetPoints)} 积分（-{formatFen(charge.offsetFen)}）
          </Text>
        )}
        <Text className="staff-result__line">应收 {formatFen(charge.amountFen)}</Text>
        <Button className="btn btn--ghost btn--spaced staff-charge-another" onClick={another}>
          {outcome.kind === 'ok' ? '再收一笔' : '重新发起'}
        </Button>
      </View>
    );
  }

  const amount = parseAmount(draft.amount);
  return (
    <View className="panel staff-charge">
      <Text className="panel__title">{member ? '储值收款' : '付款码收款'}</Text>
      <AmountField
        label="收款金额（元）"
        className="staff-charge-amount"
        placeholder="例如 100.00"
        value={draft.amount}
        errors={fieldErrors('amount')}
        onInput={(value) => set({ amount: value })}
      />

      {member ? (
        <>
          <OffsetField
            draft={draft}
            onChange={set}
            amount={amount}
            memberPoints={member.points}
            errors={fieldErrors('offset')}
          />
          <Text className="field__note staff-charge-balance">
            会员储值余额 {formatFen(member.storedValueFen)}，不足部分由会员用微信支付；会员在小程序中确认后完成收款。
          </Text>
        </>
      ) : (
        <Field label="付款码" errors={fieldErrors('payCode')}>
          <Input
            className="field__input staff-paycode-input"
            type={isWeapp ? 'number' : 'text'}
            value={draft.payCode}
            maxlength={24}
            placeholder="顾客小程序「付款码」下的 18 位数字"
            onInput={(e) => set({ payCode: e.detail.value })}
          />
          {isWeapp && (
            <Text className="link staff-paycode-scan" onClick={() => void scanPayCode()}>
              扫描付款码
            </Text>
          )}
          <Text className="field__note">付款码收款直接从会员储值余额扣款，无需会员确认。</Text>
        </Field>
      )}

      <TillFormFooter
        till={till}
        prefix="staff-charge"
        label={member ? '发起收款' : '确认收款'}
        onRescan={onRescan}
        onSubmit={() => void submit()}
      />
    </View>
  );
}
