// 邀请: who brings in the most new members, the inviters that look like abuse (one device, one phone range, many
// in a short time), and the referrals: the newest, or the chain around one 会员号 (its inviter, whom it invited and
// whom those invited).
import { type AdminReferral, ReferralStatusLabels } from '@member-hub/shared';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError } from '../../api';
import { listReferrals } from '../../api/coupons';
import { formatDateTime } from '../../format';
import { navigate, routeHref } from '../../route';
import { ErrorBanner, InlineError, OrDash, RefreshButton, TableRows } from '../../ui';
import { useLoad } from '../../useLoad';
import {
  CHAIN_LEVEL_LABELS,
  type ChainLevel,
  memberNoQuery,
  memberText,
  referralChain,
  SUSPICIOUS_REASON_LABELS,
} from './couponForms';
import { loadReferralOverview, MISSING_TEXT, orMissing } from './loaders';

const chainHref = (memberNo: string) => routeHref({ page: 'coupons', tab: 'referrals', memberNo });

export function ReferralsTab({ memberNo }: { memberNo: string | null }) {
  const overview = useLoad(loadReferralOverview);
  if (overview.state.status === 'ready' && overview.state.data === null) {
    return <p className="card muted coming-soon">{MISSING_TEXT}</p>;
  }
  const data = overview.state.data ?? null;
  const loading = overview.state.status === 'loading';
  const ranked = data?.topInviters.map((row, index) => ({ ...row, rank: index + 1 })) ?? null;

  return (
    <>
      <div className="toolbar">
        <RefreshButton loading={loading} onRefresh={overview.reload} />
      </div>
      {overview.state.status === 'failed' && <ErrorBanner message={overview.state.message} />}
      <div className="two-columns">
        <div className="card table-card" aria-busy={loading}>
          <div className="table-card-header">
            <h3 className="section-title">邀请排行</h3>
          </div>
          <table className="table top-inviters">
            <thead>
              <tr>
                <th className="num">名次</th>
                <th>邀请人</th>
                <th className="num">邀请人数</th>
                <th className="num">已奖励</th>
              </tr>
            </thead>
            <tbody>
              <TableRows rows={ranked} loading={loading} colSpan={4} empty="还没有人邀请过新会员">
                {(row) => (
                  <tr key={row.memberId} className="top-inviter-row" data-member-no={row.memberNo}>
                    <td className="num">{row.rank}</td>
                    <td>
                      <a href={chainHref(row.memberNo)} title="查看邀请链">
                        {memberText(row)}
                      </a>
                    </td>
                    <td className="num">{row.invitees}</td>
                    <td className="num">{row.rewarded}</td>
                  </tr>
                )}
              </TableRows>
            </tbody>
          </table>
        </div>

        <div className="card table-card" aria-busy={loading}>
          <div className="table-card-header">
            <h3 className="section-title">异常提醒</h3>
          </div>
          <table className="table suspicious-referrals">
            <thead>
              <tr>
                <th>邀请人</th>
                <th>原因</th>
                <th>说明</th>
              </tr>
            </thead>
            <tbody>
              <TableRows rows={data?.suspicious ?? null} loading={loading} colSpan={3} empty="暂无异常">
                {(row) => (
                  <tr
                    key={`${row.inviter.memberId}|${row.reason}`}
                    className="suspicious-row"
                    data-member-no={row.inviter.memberNo}
                    data-reason={row.reason}
                  >
                    <td>
                      <a href={chainHref(row.inviter.memberNo)} title="查看邀请链">
                        {memberText(row.inviter)}
                      </a>
                    </td>
                    <td>
                      <span className="tag tag-merged suspicious-reason">{SUSPICIOUS_REASON_LABELS[row.reason]}</span>
                    </td>
                    <td>
                      {row.detail}
                      <span className="muted">（{row.count}）</span>
                    </td>
                  </tr>
                )}
              </TableRows>
            </tbody>
          </table>
        </div>
      </div>

      <ReferralList key={memberNo ?? ''} memberNo={memberNo} />
    </>
  );
}

function ReferralList({ memberNo }: { memberNo: string | null }) {
  const load = useMemo(
    () =>
      orMissing((token: string) =>
        listReferrals(token, memberNo).catch((error: unknown) => {
          // The chain of a 会员号 nobody has: say so rather than the generic 资源不存在.
          if (memberNo && error instanceof ApiError && error.code === 'NOT_FOUND') {
            throw new ApiError(error.code, `没有会员号为 ${memberNo} 的会员`, error.status);
          }
          throw error;
        }),
      ),
    [memberNo],
  );
  const { state, reload } = useLoad(load);
  const [query, setQuery] = useState(memberNo ?? '');
  const [queryError, setQueryError] = useState<string | null>(null);
  const loading = state.status === 'loading';
  const referrals = state.data ?? null;
  const chain = memberNo && referrals ? referralChain(referrals, memberNo) : null;
  const rows: { referral: AdminReferral; level: ChainLevel }[] | null =
    chain?.rows ?? referrals?.map((referral) => ({ referral, level: 'other' as const })) ?? null;

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = memberNoQuery(query);
    if (!checked.ok) {
      setQueryError(checked.message);
      return;
    }
    setQueryError(null);
    if (checked.memberNo === memberNo) reload();
    else navigate({ page: 'coupons', tab: 'referrals', memberNo: checked.memberNo });
  }

  return (
    <div className="card table-card" aria-busy={loading}>
      <div className="section-header table-card-header">
        <h3 className="section-title">{memberNo ? `会员 ${memberNo} 的邀请链` : '最近的邀请'}</h3>
        <form className="inline-field referral-search-form" onSubmit={search} noValidate>
          <input
            id="referral-member-no"
            className={queryError ? 'input is-invalid' : 'input'}
            type="search"
            inputMode="numeric"
            placeholder="输入 8 位会员号查看邀请链"
            aria-label="会员号"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <button className="button referral-search" type="submit" disabled={loading}>
            查询
          </button>
          {memberNo && (
            <a
              className="button referral-search-clear"
              href={routeHref({ page: 'coupons', tab: 'referrals', memberNo: null })}
            >
              全部
            </a>
          )}
        </form>
      </div>
      <InlineError message={queryError} />
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      {chain && memberNo && (
        <p className="muted referral-chain-summary">
          {chain.invitedBy ? `由 ${memberText(chain.invitedBy)} 邀请` : '不是受邀加入'} · 直接邀请 {chain.direct} 人 ·
          间接邀请 {chain.indirect} 人
        </p>
      )}
      {state.status === 'ready' && state.data === null ? (
        <p className="muted coming-soon">{MISSING_TEXT}</p>
      ) : (
        <table className="table referrals">
          <thead>
            <tr>
              {memberNo && <th>关系</th>}
              <th>邀请人</th>
              <th>受邀人</th>
              <th>状态</th>
              <th>邀请时间</th>
              <th>奖励生效</th>
              <th>手机号段</th>
              <th className="num">同设备</th>
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={rows}
              loading={loading}
              colSpan={memberNo ? 8 : 7}
              empty={memberNo ? '这位会员没有邀请关系' : '还没有邀请记录'}
            >
              {({ referral, level }) => (
                <ReferralRow key={referral.id} referral={referral} level={level} showLevel={memberNo !== null} />
              )}
            </TableRows>
          </tbody>
        </table>
      )}
    </div>
  );
}

function ReferralRow({
  referral,
  level,
  showLevel,
}: {
  referral: AdminReferral;
  level: ChainLevel;
  showLevel: boolean;
}) {
  return (
    <tr className="referral-row" data-id={referral.id} data-level={level} data-status={referral.status}>
      {showLevel && <td className="referral-level">{CHAIN_LEVEL_LABELS[level]}</td>}
      <td>
        <a className="referral-inviter" href={chainHref(referral.inviter.memberNo)} title="查看邀请链">
          {memberText(referral.inviter)}
        </a>
      </td>
      <td>
        <a className="referral-invitee" href={chainHref(referral.invitee.memberNo)} title="查看邀请链">
          {memberText(referral.invitee)}
        </a>
      </td>
      <td>
        <span className={`status referral-status referral-status-${referral.status}`}>
          {ReferralStatusLabels[referral.status]}
        </span>
      </td>
      <td className="nowrap">{formatDateTime(referral.createdAt)}</td>
      <td className="nowrap">
        <OrDash value={referral.heldUntil && formatDateTime(referral.heldUntil)} />
      </td>
      <td>
        <OrDash value={referral.phonePrefix} />
      </td>
      <td className={referral.sameDeviceCount > 1 ? 'num danger-text' : 'num'}>{referral.sameDeviceCount}</td>
    </tr>
  );
}
