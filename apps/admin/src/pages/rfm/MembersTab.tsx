// 会员明细: the last run's scored members, paged by the server, sorted by a column and filtered by class; the
// class, sort, order and page live in the URL.
import { formatFen, formatPoints, type RfmClass, type RfmMemberPage, type RfmSortField } from '@member-hub/shared';
import { useCallback } from 'react';
import { listRfmMembers, RFM_PAGE_SIZE } from '../../api/rfm';
import { formatDateTime } from '../../format';
import { navigate, type RfmRoute, routeHref } from '../../route';
import { nextSort } from '../../sorting';
import { ErrorBanner, NumberPager, SortHeader, TableRows } from '../../ui';
import { useLoad } from '../../useLoad';
import { RfmExportButton } from '../exports/ExportDialogs';
import { ClassFilter } from './ClassFilter';
import { daysAgoText, firstOrder, SORT_LABELS, scoreText } from './rfmForms';

const COLUMNS = 9;

/** Keyed by the run on screen (RfmPage): a finished run means new rows, so the list starts again. */
export function MembersTab({ route }: { route: RfmRoute }) {
  const { rfmClass, sort, order, pageNo } = route;
  const load = useCallback(
    (token: string): Promise<RfmMemberPage> => listRfmMembers(token, { rfmClass, sort, order, pageNo }),
    [rfmClass, sort, order, pageNo],
  );
  const { state } = useLoad(load);
  const page = state.data;

  const go = (change: Partial<RfmRoute>) => navigate({ ...route, ...change });

  const onSort = (column: RfmSortField) => go({ ...nextSort({ sort, order }, column, firstOrder), pageNo: 1 });
  const header = (column: RfmSortField, numeric = false) => (
    <SortHeader
      column={column}
      label={SORT_LABELS[column]}
      numeric={numeric}
      sort={sort}
      order={order}
      className="rfm-sort"
      onSort={onSort}
    />
  );

  return (
    <>
      <div className="toolbar">
        <ClassFilter
          className="rfm-class-filter"
          value={rfmClass}
          onChange={(next: RfmClass | null) => go({ rfmClass: next, pageNo: 1 })}
        />
        {page?.runId === null && <span className="muted">尚未计算过，暂无会员明细</span>}
        <RfmExportButton list="rfm" params={{ class: rfmClass ?? undefined }} />
      </div>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={state.status === 'loading'}>
        <table className="table rfm-members">
          <thead>
            <tr>
              {header('memberNo')}
              <th>昵称</th>
              <th>分类</th>
              <th className="num">R</th>
              <th className="num">F</th>
              <th className="num">M</th>
              {header('lastVisit')}
              {header('orders', true)}
              {header('spend', true)}
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={page?.items ?? null}
              loading={state.status === 'loading'}
              colSpan={COLUMNS}
              empty={rfmClass ? '该分类暂无会员' : '暂无会员'}
            >
              {(member) => (
                <tr
                  key={member.memberId}
                  className={member.churn ? 'rfm-member-row is-churn' : 'rfm-member-row'}
                  data-member-id={member.memberId}
                  data-class={member.class}
                >
                  <td className="mono">
                    <a href={routeHref({ page: 'member', id: member.memberId })}>{member.memberNo}</a>
                  </td>
                  <td>{member.nickname ?? <span className="muted">—</span>}</td>
                  <td className="nowrap">
                    {member.className}
                    {member.churn && <span className="status status-deleted rfm-churn-flag">流失预警</span>}
                  </td>
                  <td className="num">{scoreText(member.r)}</td>
                  <td className="num">{scoreText(member.f)}</td>
                  <td className="num">{scoreText(member.m)}</td>
                  <td className="nowrap">
                    {member.lastVisitAt ? formatDateTime(member.lastVisitAt) : <span className="muted">—</span>}
                    <div className="muted">{daysAgoText(member.recencyDays)}</div>
                  </td>
                  <td className="num">{formatPoints(member.orders)}</td>
                  <td className="num">{formatFen(member.spendFen)}</td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
        {page && (
          <NumberPager
            pageNo={pageNo}
            pageSize={page.pageSize || RFM_PAGE_SIZE}
            total={page.total}
            busy={state.status === 'loading'}
            onChange={(next) => go({ pageNo: next })}
          />
        )}
      </div>
    </>
  );
}
