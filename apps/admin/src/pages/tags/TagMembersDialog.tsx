// 批量添加 / 移除 a manual tag: member numbers pasted from Excel or typed, one per line or separated by commas; the
// answer says how many changed, how many already were so, and which numbers name no member.
import type { Tag, TagMembersResult } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { changeTagMembers } from '../../api/tags';
import { useAuth } from '../../auth';
import { parseMemberNos, readMemberNos } from '../../memberNos';
import { ErrorBanner, FieldWithError, FormModal, SuccessBanner } from '../../ui';
import { useAction } from '../../useAction';
import { bulkResultText } from './tagForms';

export function TagMembersDialog({
  tag,
  onClose,
  onChanged,
}: {
  tag: Tag;
  onClose(): void;
  onChanged(result: TagMembersResult): void;
}) {
  const { withToken } = useAuth();
  const [action, setAction] = useState<'add' | 'remove'>('add');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<TagMembersResult | null>(null);
  const saving = useAction('操作失败，请稍后再试');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setResult(null);
    const read = readMemberNos(text);
    if (!read.ok) {
      setProblem(read.message);
      return;
    }
    setProblem(null);
    await saving.run(async () => {
      const answer = await withToken((token) =>
        changeTagMembers(token, tag.id, { action, target: { kind: 'members', memberNos: read.memberNos } }),
      );
      setResult(answer);
      onChanged(answer);
    });
  }

  const typed = parseMemberNos(text).memberNos.length;
  return (
    <FormModal
      title={`「${tag.name}」批量添加 / 移除会员`}
      formId="tag-members-form"
      formClassName="tag-members-form"
      submitClassName="tag-members-submit"
      submitLabel={action === 'add' ? '添加' : '移除'}
      savingLabel="处理中…"
      saving={saving.busy}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="inline-field" role="radiogroup" aria-label="操作">
        <span>操作</span>
        {(
          [
            ['add', '添加标签'],
            ['remove', '移除标签'],
          ] as const
        ).map(([kind, label]) => (
          <label key={kind} className="radio">
            <input
              type="radio"
              name="tag-members-action"
              className={`tag-members-${kind}`}
              checked={action === kind}
              onChange={() => setAction(kind)}
            />
            {label}
          </label>
        ))}
      </div>
      <FieldWithError
        path="memberNos"
        label="会员号（可从 Excel 整列粘贴；每行一个，或用逗号隔开）"
        htmlFor="tag-member-nos"
        error={problem ?? undefined}
      >
        <textarea
          id="tag-member-nos"
          className={problem ? 'input is-invalid' : 'input'}
          rows={6}
          placeholder={'10000001\n10000002'}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
          }}
        />
      </FieldWithError>
      <p className="muted">已识别 {typed} 个会员号</p>
      <ErrorBanner message={saving.error} />
      <SuccessBanner message={result && bulkResultText(result)} />
    </FormModal>
  );
}
