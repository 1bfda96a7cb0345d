// 调整等级: the owner sets a member's tier by hand, with a reason (recorded in the tier history and audit log).
import { type AdminMemberDetail, TierNames } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api';
import { grantTier } from '../../api/loyalty';
import { useAuth } from '../../auth';
import { ErrorBanner, FormField, FormModal } from '../../ui';
import { useAction } from '../../useAction';
import { grantTierErrorMessage, grantTierForm } from './memberForms';

export function TierDialog({
  member,
  onClose,
  onSaved,
}: {
  member: AdminMemberDetail;
  onClose(): void;
  onSaved(message: string): void;
}) {
  const { withToken } = useAuth();
  const [tier, setTier] = useState('');
  const [reason, setReason] = useState('');
  const { busy: saving, error, setError, run } = useAction();

  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const form = grantTierForm({ tier, reason, current: member.tier });
    if (!form.ok) {
      setError(form.message);
      return;
    }
    await run(async () => {
      try {
        const change = await withToken((token) => grantTier(token, member.memberId, form.body));
        onSaved(change.from === change.to ? `等级未变化（${change.to}）` : `等级已从${change.from}调整为${change.to}`);
      } catch (cause) {
        if (cause instanceof ApiError) {
          throw new ApiError(cause.code, grantTierErrorMessage(cause), cause.status, cause.details);
        }
        throw cause;
      }
    });
  }

  return (
    <FormModal
      title="调整等级"
      formId="tier-form"
      formClassName="tier-grant"
      submitLabel="确认调整"
      savingLabel="提交中…"
      saving={saving}
      onSubmit={submit}
      onClose={onClose}
    >
      <p className="muted">
        当前等级：{member.tier}（成长值 {member.growth}）。手动调整不改变成长值，之后消费达到更高门槛时仍会自动升级。
      </p>
      <FormField label="新等级">
        <select className="input tier-select" value={tier} onChange={(event) => setTier(event.target.value)}>
          <option value="">请选择</option>
          {TierNames.map((name) => (
            <option key={name} value={name} disabled={name === member.tier}>
              {name}
              {name === member.tier ? '（当前）' : ''}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="调整原因">
        <textarea
          className="input tier-reason"
          rows={3}
          maxLength={200}
          placeholder="例如：老顾客回馈，直接升为金卡"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </FormField>
      <ErrorBanner message={error} />
    </FormModal>
  );
}
