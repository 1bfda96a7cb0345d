// 流失预警: members overdue against their own usual gap between visits, the most valuable first (or last), with
// a class filter; the class, order and page live in the URL.
import { type ChurnPage, formatFen, formatPoints, type RfmClass } from '@member-hub/shared';
import { useCallback } from 'react';
import { listChurnWarnings, RFM_PAGE_SIZE } from '../../api/rfm';
import { formatDateTime } from '../../format';
import { navigate, type RfmRoute, routeHref } from '../../route';
import { ErrorBanner, InfoTip, NumberPager, TableRows } from '../../ui';
import { useLoad } from '../../useLoad';
import { RfmExportButton } from '../exports/ExportDialogs';
import { ClassFilter } from './ClassFilter';
import { daysAgoText, overdueText, typicalGapText } from './rfmForms';

const COLUMNS = 7;

const CHURN_EXPLAIN =
  '统计窗口内至少有若干笔订单的会员，距上次消费的天数超过“平常间隔 × 流失倍数”即列入预警。平常间隔 =（最后一笔 − 第一笔订单的时间）÷（订单数 − 1）。按窗口内消费金额从高到低排列，先联系价值高的会员。';

/** Keyed by the run on screen (RfmPage): a finished run means new warnings, so the list starts again. */
export function ChurnTab({ route }: { route: RfmRoute }) {
  const { rfmClass, order, pageNo } = route;
  const load = useCallback(
    (token: string): Promise<ChurnPage> => listChurnWarnings(token, { rfmClass, order, pageNo }),
    [rfmClass, order, pageNo],
  );
  const { state } = useLoad(load);
  const page = state.data;
  const go = (change: Partial<RfmRoute>) => navigate({ ...route, ...change });

  return (
    <>
      <div className="toolbar">
        <ClassFilter
          className="churn-class-filter"
          value={rfmClass}
          onChange={(next: RfmClass | null) => go({ rfmClass: next, pageNo: 1 })}
        />
        <label className="inline-field">
          <span>排序</span>
          <select
            className="input churn-order"
            value={order}
            onChange={(event) => go({ order: event.target.value === 'asc' ? 'asc' : 'desc', pageNo: 1 })}
          >
            <option value="desc">价值从高到低</option>
            <option value="asc">价值从低到高</option>
          </select>
        </label>
        <InfoTip label="流失预警" text={CHURN_EXPLAIN} />
        <RfmExportButton list="churn" params={{ class: rfmClass ?? undefined }} />
      </div>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={state.status === 'loading'}>
        <table className="table churn-warnings">
          <thead>
            <tr>
              <th>会员号</th>
              <th>昵称</th>
              <th>分类</th>
              <th>最近消费</th>
              <th>超出平常间隔</th>
              <th className="num">订单数</th>
              <th className="num" aria-sort={order === 'asc' ? 'ascending' : 'descending'}>
                消费金额（价值）
              </th>
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={page?.items ?? null}
              loading={state.status === 'loading'}
              colSpan={COLUMNS}
              empty={page?.runId === null ? '尚未计算过，暂无流失预警' : '暂无流失预警'}
            >
              {(warning) => (
                <tr
                  key={warning.memberId}
                  className="churn-row"
                  data-member-id={warning.memberId}
                  data-value={warning.valueFen}
                >
                  <td className="mono">
                    <a href={routeHref({ page: 'member', id: warning.memberId })}>{warning.memberNo}</a>
                  </td>
                  <td>{warning.nickname ?? <span className="muted">—</span>}</td>
                  <td className="nowrap">{warning.className}</td>
                  <td className="nowrap">
                    {formatDateTime(warning.lastVisitAt)}
                    <div className="muted">{daysAgoText(warning.daysSinceLastVisit)}</div>
                  </td>
                  <td>
                    {overdueText(warning)}
                    <div className="muted">{typicalGapText(warning.typicalGapDays)}</div>
                  </td>
                  <td className="num">{formatPoints(warning.orders)}</td>
                  <td className="num churn-value">{formatFen(warning.valueFen)}</td>
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
