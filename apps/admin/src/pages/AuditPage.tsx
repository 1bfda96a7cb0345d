import { type FormEvent, useCallback, useState } from 'react';
import { errorMessage } from '../api';
import { listAudit } from '../api/audit';
import { listMembers } from '../api/members';
import { listStores } from '../api/stores';
import {
  AUDIT_ACTION_LABELS,
  actionLabel,
  actorText,
  compactDetails,
  isKnownAction,
  parseMemberFilter,
  shortId,
} from '../auditLabels';
import { useAuth } from '../auth';
import { formatDateTime } from '../format';
import { type CursorStack, currentCursor, FIRST_PAGE } from '../pagination';
import { navigate, type Route, routeHref } from '../route';
import { ErrorBanner, OrDash, PageHeader, Pager, RefreshButton, TableRows } from '../ui';
import { useLoad } from '../useLoad';

const COLUMNS = 7;

type AuditRoute = Extract<Route, { page: 'audit' }>;

export function AuditPage({ route }: { route: AuditRoute }) {
  const { withToken } = useAuth();
  const [pages, setPages] = useState<CursorStack>(FIRST_PAGE);
  const [memberInput, setMemberInput] = useState(route.memberId ?? '');
  const [actionInput, setActionInput] = useState(route.action ?? '');
  const [filterError, setFilterError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);

  const after = currentCursor(pages);
  const load = useCallback(
    (token: string) => listAudit(token, { memberId: route.memberId, action: route.action, after }),
    [route.memberId, route.action, after],
  );
  const { state, reload } = useLoad(load);
  const stores = useLoad(listStores).state.data ?? [];
  const storeName = (id: string) => stores.find((store) => store.id === id)?.name ?? shortId(id);

  // Filters live in the URL (#/audit?memberId=…&action=…), so a reload or a shared link keeps them.
  async function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilterError(null);
    const member = parseMemberFilter(memberInput);
    let memberId: string | null = null;
    if (member.kind === 'id') memberId = member.id;
    if (member.kind === 'memberNo') {
      setApplying(true);
      try {
        const list = await withToken((token) => listMembers(token, { q: member.memberNo }));
        memberId = list.items.find((item) => item.memberNo === member.memberNo)?.memberId ?? null;
        if (!memberId) {
          setFilterError(`未找到会员号为 ${member.memberNo} 的会员`);
          return;
        }
      } catch (cause) {
        setFilterError(errorMessage(cause, '查找会员失败，请稍后再试'));
        return;
      } finally {
        setApplying(false);
      }
    }
    const action = actionInput.trim() || null;
    if (memberId === route.memberId && action === route.action) {
      setPages(FIRST_PAGE);
      if (pages === FIRST_PAGE) reload();
      return;
    }
    navigate({ page: 'audit', memberId, action });
  }

  const hasFilters = route.memberId !== null || route.action !== null;
  const knownActions = Object.entries(AUDIT_ACTION_LABELS);
  const actionIsKnown = route.action === null || isKnownAction(route.action);
  const list = state.data;
  const loading = state.status === 'loading';

  return (
    <section className="page">
      <PageHeader title="审计日志" description="谁在什么时候查看或修改了会员、门店和员工数据">
        <RefreshButton loading={loading} onRefresh={reload} />
      </PageHeader>

      <form className="toolbar" onSubmit={applyFilters}>
        <input
          className="input audit-member-filter"
          aria-label="按会员筛选"
          placeholder="会员号或会员 ID"
          value={memberInput}
          onChange={(event) => setMemberInput(event.target.value)}
        />
        <select
          className="input audit-action-filter"
          aria-label="按操作筛选"
          value={actionInput}
          onChange={(event) => setActionInput(event.target.value)}
        >
          <option value="">全部操作</option>
          {!actionIsKnown && route.action && <option value={route.action}>{route.action}</option>}
          {knownActions.map(([action, label]) => (
            <option key={action} value={action}>
              {label}
            </option>
          ))}
        </select>
        <button className="button button-primary" type="submit" disabled={applying}>
          {applying ? '查找中…' : '筛选'}
        </button>
        {hasFilters && (
          <a className="button button-text" href={routeHref({ page: 'audit', memberId: null, action: null })}>
            清除筛选
          </a>
        )}
      </form>
      <ErrorBanner message={filterError} />
      {state.status === 'failed' && <ErrorBanner message={state.message} />}

      <div className="card table-card" aria-busy={loading}>
        <table className="table audit-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作人</th>
              <th>操作</th>
              <th>会员</th>
              <th>门店</th>
              <th>IP</th>
              <th>详情</th>
            </tr>
          </thead>
          <tbody className={loading && list ? 'is-stale' : undefined}>
            <TableRows
              rows={list?.items ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={hasFilters ? '没有符合筛选条件的记录' : '暂无数据'}
            >
              {(entry) => {
                const details = compactDetails(entry.details);
                return (
                  <tr key={entry.id} className="audit-row">
                    <td className="nowrap">{formatDateTime(entry.at, true)}</td>
                    <td>{actorText(entry.actor)}</td>
                    <td title={entry.action}>{actionLabel(entry.action)}</td>
                    <td>
                      {entry.memberId ? (
                        <a
                          className="mono"
                          href={routeHref({ page: 'member', id: entry.memberId })}
                          title={entry.memberId}
                        >
                          {shortId(entry.memberId)}
                        </a>
                      ) : (
                        <OrDash value={null} />
                      )}
                    </td>
                    <td>{entry.storeId ? storeName(entry.storeId) : <OrDash value={null} />}</td>
                    <td className="mono">
                      <OrDash value={entry.ip} />
                    </td>
                    <td className="mono details-cell" title={details.full}>
                      {details.short}
                    </td>
                  </tr>
                );
              }}
            </TableRows>
          </tbody>
        </table>
        <Pager pages={pages} next={list?.next ?? null} busy={loading} onChange={setPages} />
      </div>
    </section>
  );
}
