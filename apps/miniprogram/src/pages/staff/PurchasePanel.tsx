import { formatFen, formatPoints, type MemberSummary, type PurchaseResult } from '@member-hub/shared';
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { staffSession } from '../../services';
import {
  checkPurchase,
  createPurchaseSubmitter,
  describePurchaseError,
  type PurchaseDraft,
  parseAmount,
  purchaseHeadline,
} from '../../staff/purchase-form';
import { OffsetField } from './OffsetField';
import { AmountField, TillFormFooter, useTillForm } from './TillForm';
import '../../components/ui.css';
import './staff.css';

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
  const till = useTillForm(EMPTY, describePurchaseError);
  const { draft, set, fieldErrors } = till;
  const [result, setResult] = useState<PurchaseResult | null>(null);
  // Created once: the panel's idempotency key lives in it.
  const [submitter] = useState(() => createPurchaseSubmitter(staffSession.recordPurchase));
  const amount = parseAmount(draft.amount);

  function submit() {
    return till.submit(checkPurchase(draft, member.points), async (checked) => {
      const recorded = await submitter.submit({
        memberId: member.memberId,
        amountFen: checked.amountFen,
        offsetPoints: checked.offsetPoints,
      });
      setResult(recorded);
      onRecorded(recorded);
    });
  }

  function another() {
    setResult(null);
    till.reset(EMPTY);
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
      <AmountField
        label="消费金额（元）"
        className="staff-amount-input"
        placeholder="例如 128.00"
        value={draft.amount}
        errors={fieldErrors('amount')}
        onInput={(value) => set({ amount: value })}
      />

      <OffsetField
        draft={draft}
        onChange={set}
        amount={amount}
        memberPoints={member.points}
        errors={fieldErrors('offset')}
      />

      <TillFormFooter
        till={till}
        prefix="staff-purchase"
        label="确认记录"
        onRescan={onRescan}
        onSubmit={() => void submit()}
      />
    </View>
  );
}
