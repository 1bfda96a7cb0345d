// 调整积分: the owner adds or removes points by hand, with a reason; one idempotency key per opened dialog.
import { type AdminMemberDetail, formatPoints } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api';
import { adjustPoints } from '../../api/loyalty';
import { useAuth } from '../../auth';
import { newIdempotencyKey } from '../../idempotency';
import { ErrorBanner, FormField, FormModal } from '../../ui';
import { parseWhole } from '../../units';
import { useAction } from '../../useAction';
import { type AdjustDirection, adjustErrorMessage, adjustPointsForm } from './memberForms';

export function PointsDialog({
  member,
  onClose,
  onSaved,
}: {
  member: AdminMemberDetail;
  onClose(): void;
  onSaved(message: string): void;
}) {
  const { withToken } = useAuth();
  const [idempotencyKey] = useState(() => newIdempotencyKey());
  const [direction, setDirection] = useState<AdjustDirection>('add');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const { busy: saving, error, setError, run } = useAction();

  const typed = parseWhole(amount);
  const after = typed === null ? null : member.points + (direction === 'add' ? typed : -typed);

  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const form = adjustPointsForm({ direction, amount, reason, idempotencyKey, currentPoints: member.points });
    if (!form.ok) {
      setError(form.message);
      return;
    }
    await run(async () => {
      try {
        const answer = await withToken((token) => adjustPoints(token, member.memberId, form.body));
        const change = `${form.body.amount > 0 ? '+' : '-'}${formatPoints(Math.abs(form.body.amount))}`;
        onSaved(
          answer.points === null
            ? `积分已调整 ${change}`
            : `积分已调整 ${change}，当前 ${formatPoints(answer.points)} 积分`,
        );
      } catch (cause) {
        if (cause instanceof ApiError) {
          throw new ApiError(cause.code, adjustErrorMessage(cause, member.points), cause.status, cause.details);
        }
        throw cause;
      }
    });
  }

  return (
    <FormModal
      title="调整积分"
      formId="points-form"
      formClassName="points-adjust"
      submitLabel="确认调整"
      savingLabel="提交中…"
      saving={saving}
      onSubmit={submit}
      onClose={onClose}
    >
      <p className="muted">当前积分：{formatPoints(member.points)}。调整会记入积分明细和审计日志，会员可以看到原因。</p>
      <div className="form-row">
        <FormField label="方向">
          <select
            className="input points-direction"
            value={direction}
            onChange={(event) => setDirection(event.target.value as AdjustDirection)}
          >
            <option value="add">增加</option>
            <option value="remove">扣减</option>
          </select>
        </FormField>
        <FormField label="积分数量">
          <input
            className="input input-number points-amount"
            inputMode="numeric"
            placeholder="例如：100"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
          />
        </FormField>
      </div>
      {after !== null && typed !== 0 && (
        <p className={after < 0 ? 'inline-error' : 'muted'}>
          调整后：{formatPoints(after)} 积分{after < 0 ? '（积分不足，不能扣减这么多）' : ''}
        </p>
      )}
      <FormField label="调整原因">
        <textarea
          className="input points-reason"
          rows={3}
          maxLength={200}
          placeholder="例如：系统故障补发 / 误操作扣回"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </FormField>
      <ErrorBanner message={error} />
    </FormModal>
  );
}
