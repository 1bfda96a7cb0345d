import { type AdminMemberDetail, type AdminMemberRow, formatFen, formatPoints } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api';
import { listMembers, type MergeMembersBody, mergeMembers } from '../../api/members';
import { useAuth } from '../../auth';
import { setFlash } from '../../flash';
import { formatDateTime } from '../../format';
import { navigate } from '../../route';
import { ErrorBanner, FormField, Modal, OrDash } from '../../ui';
import { useAction } from '../../useAction';
import { findByMemberNo, mergeForm, mergeLookupProblem, type Survivor } from './memberForms';

export function MergePanel({
  current,
  onCancel,
  onMergedIntoCurrent,
}: {
  current: AdminMemberDetail;
  onCancel(): void;
  onMergedIntoCurrent(): void;
}) {
  const { withToken } = useAuth();
  const [memberNo, setMemberNo] = useState('');
  const { busy: searching, error, setError, run } = useAction('查找失败，请稍后再试');
  const [other, setOther] = useState<AdminMemberRow | null>(null);
  const [survivor, setSurvivor] = useState<Survivor>('current');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<MergeMembersBody | null>(null);

  async function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = mergeLookupProblem(memberNo, current);
    if (problem) {
      setError(problem);
      return;
    }
    setOther(null);
    await run(async () => {
      const list = await withToken((token) => listMembers(token, { q: memberNo.trim() }));
      const found = findByMemberNo(list.items, memberNo);
      if (!found) setError(`未找到会员号为 ${memberNo.trim()} 的会员`);
      else if (found.memberId === current.memberId) setError('不能与自己合并，请输入另一个会员的会员号');
      else if (found.status !== 'active') setError(`会员 ${found.memberNo} 已合并或已注销，不能再合并`);
      else setOther(found);
    });
  }

  function review() {
    if (!other) return;
    const form = mergeForm({ currentId: current.memberId, otherId: other.memberId, survivor, reason });
    if (!form.ok) {
      setError(form.message);
      return;
    }
    setError(null);
    setPending(form.body);
  }

  const kept = survivor === 'current' ? current : other;
  const merged = survivor === 'current' ? other : current;

  return (
    <div className="card section merge-panel">
      <header className="section-header">
        <h3 className="section-title">合并会员</h3>
        <button className="button button-text" type="button" onClick={onCancel}>
          收起
        </button>
      </header>
      <p className="muted">
        同一位顾客有两个会员账号时（例如先在收银台登记、后在小程序注册），可以合并为一个。输入另一个会员的会员号查找。
      </p>

      <form className="toolbar" onSubmit={lookUp}>
        <input
          className="input merge-member-no"
          aria-label="另一个会员的会员号"
          placeholder="另一个会员的会员号"
          value={memberNo}
          onChange={(event) => {
            setMemberNo(event.target.value);
            setOther(null);
          }}
        />
        <button className="button" type="submit" disabled={searching}>
          {searching ? '查找中…' : '查找'}
        </button>
      </form>

      {other && (
        <>
          <div className="compare-grid">
            <CompareCard
              title="当前会员"
              member={current}
              survives={survivor === 'current'}
              onChoose={() => setSurvivor('current')}
            />
            <CompareCard
              title="查找到的会员"
              member={other}
              survives={survivor === 'other'}
              onChoose={() => setSurvivor('other')}
            />
          </div>
          <FormField label="合并原因">
            <textarea
              className="input"
              rows={2}
              maxLength={200}
              placeholder="例如：顾客到店确认两个账号为同一人"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </FormField>
        </>
      )}

      <ErrorBanner message={pending ? null : error} />

      {other && (
        <div className="form-actions">
          <button className="button button-danger merge-review" type="button" onClick={review}>
            合并…
          </button>
        </div>
      )}

      {pending && kept && merged && (
        <ConfirmMerge
          body={pending}
          kept={kept}
          merged={merged}
          onCancel={() => setPending(null)}
          onDone={(survivorId) => {
            if (survivorId === current.memberId) {
              onMergedIntoCurrent();
              return;
            }
            setFlash(
              `member:${survivorId}`,
              `合并完成，会员号 ${merged.memberNo} 的积分、储值余额和优惠券已转入本会员`,
            );
            navigate({ page: 'member', id: survivorId });
          }}
          run={(body) => withToken((token) => mergeMembers(token, body))}
        />
      )}
    </div>
  );
}

function CompareCard({
  title,
  member,
  survives,
  onChoose,
}: {
  title: string;
  member: AdminMemberRow;
  survives: boolean;
  onChoose(): void;
}) {
  return (
    <div className={survives ? 'compare-card is-kept' : 'compare-card is-merged'}>
      <div className="compare-head">
        <strong>{title}</strong>
        <span className={survives ? 'tag tag-kept' : 'tag tag-merged'}>{survives ? '保留' : '将被合并'}</span>
      </div>
      <dl className="compare-fields">
        <dt>会员号</dt>
        <dd className="mono">{member.memberNo}</dd>
        <dt>昵称</dt>
        <dd>
          <OrDash value={member.nickname} />
        </dd>
        <dt>手机</dt>
        <dd className="mono">
          <OrDash value={member.maskedPhone} />
        </dd>
        <dt>等级</dt>
        <dd>{member.tier}</dd>
        <dt>积分</dt>
        <dd>{formatPoints(member.points)}</dd>
        <dt>储值余额</dt>
        <dd>{formatFen(member.storedValueFen)}</dd>
        <dt>注册时间</dt>
        <dd>{formatDateTime(member.createdAt)}</dd>
      </dl>
      <label className="radio">
        <input type="radio" name="merge-survivor" checked={survives} onChange={onChoose} />
        保留此会员
      </label>
    </div>
  );
}

function ConfirmMerge({
  body,
  kept,
  merged,
  onCancel,
  onDone,
  run,
}: {
  body: MergeMembersBody;
  kept: AdminMemberRow;
  merged: AdminMemberRow;
  onCancel(): void;
  onDone(survivorId: string): void;
  run(body: MergeMembersBody): Promise<{ survivorId: string }>;
}) {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setSubmitting(true);
    setError(null);
    try {
      const result = await run(body);
      onDone(result.survivorId);
    } catch (cause) {
      setError(errorMessage(cause, '合并失败，请稍后再试'));
      setSubmitting(false);
    }
  }

  return (
    <Modal
      title="确认合并会员"
      onClose={submitting ? () => undefined : onCancel}
      footer={
        <>
          <button className="button" type="button" onClick={onCancel} disabled={submitting}>
            取消
          </button>
          <button className="button button-danger merge-confirm" type="button" onClick={confirm} disabled={submitting}>
            {submitting ? '合并中…' : '确认合并'}
          </button>
        </>
      }
    >
      <div className="form-stack">
        <p>
          将把会员 <strong className="mono">{merged.memberNo}</strong> 合并到会员{' '}
          <strong className="mono">{kept.memberNo}</strong>：
        </p>
        <ul className="merge-effects">
          <li>
            积分 {formatPoints(merged.points)}、储值余额 {formatFen(merged.storedValueFen)} 和优惠券全部转入会员{' '}
            {kept.memberNo}；
          </li>
          <li>会员 {merged.memberNo} 标记为「已合并」，不能再使用。</li>
        </ul>
        <p className="danger-text">合并后不能撤销，请确认两个账号属于同一位顾客。</p>
        <p className="muted">原因：{body.reason}</p>
        <ErrorBanner message={error} />
      </div>
    </Modal>
  );
}
