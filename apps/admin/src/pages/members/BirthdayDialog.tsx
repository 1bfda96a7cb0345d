import type { AdminMemberDetail } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api';
import { setMemberBirthday } from '../../api/members';
import { useAuth } from '../../auth';
import { ErrorBanner, FormField, FormModal } from '../../ui';
import { birthdayForm } from './memberForms';

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function BirthdayDialog({
  member,
  onClose,
  onSaved,
}: {
  member: AdminMemberDetail;
  onClose(): void;
  onSaved(): void;
}) {
  const { withToken } = useAuth();
  const [birthday, setBirthday] = useState(member.birthday ?? '');
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const form = birthdayForm(birthday, reason);
    if (!form.ok) {
      setError(form.message);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await withToken((token) => setMemberBirthday(token, member.memberId, form.body));
      onSaved();
    } catch (cause) {
      setError(errorMessage(cause));
      setSaving(false);
    }
  }

  return (
    <FormModal
      title="修改生日"
      formId="birthday-form"
      submitLabel="保存"
      savingLabel="保存中…"
      saving={saving}
      onSubmit={submit}
      onClose={onClose}
    >
      <p className="muted">当前生日：{member.birthday ?? '未填写'}</p>
      <p className="muted">会员设置生日后不能自行修改，由店主或店员代改，修改会记入审计日志。</p>
      <FormField label="新生日">
        <input
          className="input"
          type="date"
          min="1900-01-01"
          max={today()}
          value={birthday}
          onChange={(event) => setBirthday(event.target.value)}
        />
      </FormField>
      <FormField label="修改原因">
        <textarea
          className="input"
          rows={3}
          maxLength={200}
          placeholder="例如：会员到店出示身份证，原生日填写错误"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </FormField>
      <ErrorBanner message={error} />
    </FormModal>
  );
}
