import { type AdminMemberDetail, formatFen, formatPoints } from '@member-hub/shared';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { getMember } from '../../api/members';
import { clearFlash, peekFlash } from '../../flash';
import { formatDateTime, GENDER_LABELS, identityKindLabel, MEMBER_STATUS_LABELS, regionText } from '../../format';
import { routeHref } from '../../route';
import { OrDash, PlaceholderRow, SuccessBanner } from '../../ui';
import { useLoad } from '../../useLoad';
import { LedgerExportDialog } from '../exports/ExportDialogs';
import { BirthdayDialog } from './BirthdayDialog';
import { membersListHref } from './MembersPage';
import { MergePanel } from './MergePanel';
import { PointsDialog } from './PointsDialog';
import { TierDialog } from './TierDialog';

function Field({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="detail-field">
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

export function MemberDetailPage({ id }: { id: string }) {
  const load = useCallback(
    (token: string) =>
      getMember(token, id).catch((error: unknown) => {
        // The generic 资源不存在 says little here: a mistyped or stale link is the usual reason.
        if (error instanceof ApiError && error.code === 'NOT_FOUND') {
          throw new ApiError('NOT_FOUND', '未找到该会员，链接可能有误', error.status);
        }
        throw error;
      }),
    [id],
  );
  const { state, reload } = useLoad(load);
  const [notice, setNotice] = useState<string | null>(() => peekFlash(`member:${id}`));
  const [editingBirthday, setEditingBirthday] = useState(false);
  const [merging, setMerging] = useState(false);
  const [dialog, setDialog] = useState<'points' | 'tier' | null>(null);
  const [exportingLedger, setExportingLedger] = useState(false);

  useEffect(() => clearFlash(`member:${id}`), [id]);

  const member = state.data;
  return (
    <section className="page">
      <a className="back-link" href={membersListHref()}>
        ← 返回会员列表
      </a>
      <header className="page-header">
        <div>
          <h2>会员详情</h2>
          {member && <p className="muted mono">会员号 {member.memberNo}</p>}
        </div>
        {member && (
          <div className="header-actions">
            <a className="button" href={routeHref({ page: 'audit', memberId: member.memberId, action: null })}>
              审计日志
            </a>
            <button className="button member-ledger-export" type="button" onClick={() => setExportingLedger(true)}>
              导出流水
            </button>
            {member.status === 'active' && (
              <>
                <button className="button adjust-points" type="button" onClick={() => setDialog('points')}>
                  调整积分
                </button>
                <button className="button adjust-tier" type="button" onClick={() => setDialog('tier')}>
                  调整等级
                </button>
                <button className="button" type="button" onClick={() => setEditingBirthday(true)}>
                  修改生日
                </button>
                <button className="button" type="button" onClick={() => setMerging(true)} disabled={merging}>
                  合并会员
                </button>
              </>
            )}
          </div>
        )}
      </header>

      <SuccessBanner message={notice} />
      {state.status === 'failed' && (
        <div className="banner banner-error banner-with-action" role="alert">
          <span>{state.message}</span>
          <button className="button" type="button" onClick={reload}>
            重试
          </button>
        </div>
      )}
      {!member && state.status === 'loading' && <p className="card muted">加载中…</p>}

      {member && (
        <>
          <StatusBanner member={member} />
          <MemberProfile member={member} />
          <Identities member={member} />
        </>
      )}

      {member && merging && (
        <MergePanel
          current={member}
          onCancel={() => setMerging(false)}
          onMergedIntoCurrent={() => {
            setMerging(false);
            setNotice('合并完成，对方会员的积分、储值余额和优惠券已转入本会员');
            reload();
          }}
        />
      )}

      {member && dialog === 'points' && (
        <PointsDialog
          member={member}
          onClose={() => setDialog(null)}
          onSaved={(message) => {
            setDialog(null);
            setNotice(message);
            reload();
          }}
        />
      )}

      {member && dialog === 'tier' && (
        <TierDialog
          member={member}
          onClose={() => setDialog(null)}
          onSaved={(message) => {
            setDialog(null);
            setNotice(message);
            reload();
          }}
        />
      )}

      {member && editingBirthday && (
        <BirthdayDialog
          member={member}
          onClose={() => setEditingBirthday(false)}
          onSaved={() => {
            setEditingBirthday(false);
            setNotice('生日已修改');
            reload();
          }}
        />
      )}
      {member && exportingLedger && (
        <LedgerExportDialog memberNo={member.memberNo} onClose={() => setExportingLedger(false)} />
      )}
    </section>
  );
}

function StatusBanner({ member }: { member: AdminMemberDetail }) {
  if (member.status === 'merged') {
    return (
      <p className="banner banner-warning member-merged-banner">
        该会员已合并，资料和余额已转入其他会员。
        {member.mergedInto && (
          <>
            已合并至{' '}
            <a className="merged-into-link" href={routeHref({ page: 'member', id: member.mergedInto })}>
              查看保留的会员 →
            </a>
          </>
        )}
      </p>
    );
  }
  if (member.status === 'deleted') {
    return <p className="banner banner-warning">该会员已注销账号，个人资料已清除。</p>;
  }
  return null;
}

function MemberProfile({ member }: { member: AdminMemberDetail }) {
  return (
    <div className="card member-detail" data-member-id={member.memberId}>
      <div className="balance-row">
        <div className="balance">
          <span className="muted">积分</span>
          <strong>{formatPoints(member.points)}</strong>
        </div>
        <div className="balance">
          <span className="muted">储值余额</span>
          <strong>{formatFen(member.storedValueFen)}</strong>
        </div>
        <div className="balance">
          <span className="muted">成长值</span>
          <strong>{formatPoints(member.growth)}</strong>
        </div>
        <div className="balance">
          <span className="muted">等级</span>
          <strong>{member.tier}</strong>
        </div>
      </div>
      <dl className="detail-grid">
        <Field label="会员号" className="mono">
          {member.memberNo}
        </Field>
        <Field label="状态">
          <span className={`status status-${member.status}`}>{MEMBER_STATUS_LABELS[member.status]}</span>
        </Field>
        <Field label="昵称">
          <OrDash value={member.nickname} />
        </Field>
        <Field label="手机" className="mono member-detail-phone">
          {member.maskedPhone ?? <span className="muted">未绑定</span>}
        </Field>
        <Field label="生日">
          <OrDash value={member.birthday} />
        </Field>
        <Field label="性别">{GENDER_LABELS[member.gender] ?? member.gender}</Field>
        <Field label="地区">
          <OrDash value={regionText(member.region)} />
        </Field>
        <Field label="注册时间">{formatDateTime(member.createdAt)}</Field>
      </dl>
    </div>
  );
}

function Identities({ member }: { member: AdminMemberDetail }) {
  return (
    <div className="card table-card section">
      <h3 className="section-title">身份标识</h3>
      <table className="table">
        <thead>
          <tr>
            <th>类型</th>
            <th>标识</th>
          </tr>
        </thead>
        <tbody>
          {member.identities.length === 0 ? (
            <PlaceholderRow colSpan={2}>暂无数据</PlaceholderRow>
          ) : (
            member.identities.map((identity) => (
              <tr key={`${identity.kind}:${identity.value}`}>
                <td>{identityKindLabel(identity.kind)}</td>
                <td className="mono">{identity.value}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
