import { formatFen, formatPoints, type MemberSummary, type PurchaseResult } from '@member-hub/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { ErrorList, Field } from '../../components/Field';
import { staffSession } from '../../services';
import {
  checkPurchase,
  createPurchaseSubmitter,
  describePurchaseError,
  type PurchaseDraft,
  type PurchaseError,
  parseAmount,
  purchaseHeadline,
} from '../../staff/purchase-form';
import { OffsetField } from './OffsetField';
import '../../components/ui.css';
import './staff.css';

const isWeapp = process.env.TARO_ENV === 'weapp';
const EMPTY: PurchaseDraft = { amount: '', useOffset: false, offset: '' };

/**
 * 记录消费 for the member just scanned. The panel is keyed by the scan, so each scan starts a new form with its own
 * idempotency key; retries of one submit reuse it.
 */
export function PurchasePanel({
  member,
  onRecorded,
  onRescan,
}: {
  member: MemberSummary;
  /** The member's balance after the purchase, for the summary above. */
  onRecorded: (result: PurchaseResult) => void;
  /** The server no longer counts the scan: go back to scanning. */
  onRescan: () => void;
}) {
  const [draft, setDraft] = useState<PurchaseDraft>(EMPTY);
  const [errors, setErrors] = useState<PurchaseError[]>([]);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(false);
  const [rescan, setRescan] = useState(false);
  const [result, setResult] = useState<PurchaseResult | null>(null);
  const submitter = useRef<ReturnType<typeof createPurchaseSubmitter> | null>(null);
  submitter.current ??= createPurchaseSubmitter(staffSession.recordPurchase);

  const set = (patch: Partial<PurchaseDraft>) => {
    setDraft({ ...draft, ...patch });
    setErrors([]);
  };
  const amount = parseAmount(draft.amount);
  const fieldErrors = (field: PurchaseError['field']) => errors.filter((e) => e.field === field).map((e) => e.message);

  async function submit() {
    if (busy || !submitter.current) return;
    const checked = checkPurchase(draft, member.points);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    setErrors([]);
    setRescan(false);
    try {
      const recorded = await submitter.current.submit({
        memberId: member.memberId,
        amountFen: checked.amountFen,
        offsetPoints: checked.offsetPoints,
      });
      setResult(recorded);
      setRetry(false);
      onRecorded(recorded);
    } catch (error) {
      const problem = describePurchaseError(error);
      setErrors(problem.errors);
      setRetry(problem.unknownOutcome);
      setRescan(problem.rescan);
    } finally {
      setBusy(false);
    }
  }

  function another() {
    setResult(null);
    setDraft(EMPTY);
    setErrors([]);
  }

  if (result) {
    return (
      <View className="panel staff-purchase-result">
        <Text className="staff-result__headline">{purchaseHeadline(result)}</Text>
        {result.replayed && <Text className="staff-result__line">这笔消费之前已记录过，本次没有重复记录</Text>}
        <Text className="staff-result__line staff-result__explanation">{result.explanation}</Text>
        {result.offsetPoints > 0 && (
          <Text className="staff-result__line">
            积分抵扣 {formatPoints(result.offsetPoints)} 积分（-{formatFen(result.offsetFen)}），应收{' '}
            {formatFen(result.paidFen)}
          </Text>
        )}
        <Text className="staff-result__line staff-result__balance">
          会员当前积分 {formatPoints(result.balance.points)} · {result.balance.tier}
        </Text>
        <Button className="btn btn--ghost btn--spaced staff-purchase-another" onClick={another}>
          再记一笔
        </Button>
      </View>
    );
  }

  return (
    <View className="panel staff-purchase">
      <Text className="panel__title">记录消费</Text>
      <Field label="消费金额（元）" errors={fieldErrors('amount')}>
        <Input
          className="field__input staff-amount-input"
          type={isWeapp ? 'digit' : 'text'}
          value={draft.amount}
          maxlength={12}
          placeholder="例如 128.00"
          onInput={(e) => set({ amount: e.detail.value })}
        />
      </Field>

      <OffsetField
        draft={draft}
        onChange={set}
        amount={amount}
        memberPoints={member.points}
        errors={fieldErrors('offset')}
      />

      <ErrorList className="staff-purchase-errors" messages={fieldErrors('form')} />
      {rescan && (
        <Button className="btn btn--ghost btn--spaced staff-purchase-rescan" onClick={onRescan}>
          重新识别会员
        </Button>
      )}

      <Button
        className="btn btn--gold btn--spaced staff-purchase-submit"
        loading={busy}
        disabled={busy || undefined}
        onClick={() => void submit()}
      >
        {retry ? '重新提交' : '确认记录'}
      </Button>
    </View>
  );
}
