// 消息记录: the subscription messages the hub queued, newest first: how many there are in each status (for the kind
// filtered), filters by status and kind kept in the URL, and the messages paged by the server's cursor.
import type { OutboxPage, OutboxStatus } from '@member-hub/shared';
import { useCallback, useState } from 'react';
import { listOutbox } from '../../api/messages';
import { formatDateTime } from '../../format';
import type { MessagesRoute } from '../../opsRoutes';
import { type CursorStack, currentCursor, FIRST_PAGE } from '../../pagination';
import { MEMBERS, navigate, routeHref } from '../../route';
import { ErrorBanner, FormField, PageHeader, Pager, RefreshButton, TableRows } from '../../ui';
import { type LoadState, useLoad } from '../../useLoad';
import {
  categoryText,
  countChips,
  deliveryText,
  filteredRoute,
  filterKey,
  KIND_OPTIONS,
  kindText,
  STATUS_OPTIONS,
  statusText,
} from './messageForms';

const COLUMNS = 6;

export function MessagesPage({ route }: { route: MessagesRoute }) {
  // Other filters: a fresh list from the newest message.
  return <OutboxList key={filterKey(route)} route={route} />;
}

function OutboxList({ route }: { route: MessagesRoute }) {
  const [pages, setPages] = useState<CursorStack>(FIRST_PAGE);
  const after = currentCursor(pages);
  const { status, kind } = route;
  const load = useCallback((token: string) => listOutbox(token, { status, kind, after }), [status, kind, after]);
  const { state, reload } = useLoad(load);
  const page = state.data;
  const loading = state.status === 'loading';
  const filtered = status !== null || kind !== null;

  return (
    <section className="page messages-page">
      <PageHeader title="消息记录" description="发给会员的订阅消息：发送状态、尝试次数和失败原因">
        <RefreshButton loading={loading} onRefresh={reload} />
      </PageHeader>

      <StatusCounts route={route} state={state} />

      <div className="toolbar message-filters">
        <FormField label="状态" className="inline-field" htmlFor="message-status">
          <select
            id="message-status"
            className="input message-status-filter"
            value={status ?? ''}
            onChange={(event) =>
              navigate(
                filteredRoute(route, {
                  status: STATUS_OPTIONS.find(([value]) => value === event.target.value)?.[0] ?? null,
                }),
              )
            }
          >
            <option value="">全部状态</option>
            {STATUS_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="类型" className="inline-field" htmlFor="message-kind">
          <select
            id="message-kind"
            className="input message-kind-filter"
            value={kind ?? ''}
            onChange={(event) =>
              navigate(
                filteredRoute(route, {
                  kind: KIND_OPTIONS.find(([value]) => value === event.target.value)?.[0] ?? null,
                }),
              )
            }
          >
            <option value="">全部类型</option>
            {KIND_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </FormField>
        {filtered && (
          <a
            className="button button-text message-filters-clear"
            href={routeHref({ page: 'messages', status: null, kind: null })}
          >
            清除筛选
          </a>
        )}
      </div>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={loading}>
        <table className="table message-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>会员号</th>
              <th>类型</th>
              <th>状态</th>
              <th className="num">尝试次数</th>
              <th>错误</th>
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={page?.items ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={filtered ? '没有符合筛选条件的消息' : '还没有发送过消息'}
            >
              {(message) => {
                const delivery = deliveryText(message);
                return (
                  <tr key={message.id} className="message-row" data-id={message.id} data-status={message.status}>
                    <td className="nowrap">
                      {formatDateTime(message.createdAt, true)}
                      {delivery && <div className="muted">{delivery}</div>}
                    </td>
                    <td className="mono">
                      {message.memberNo ? (
                        <a href={routeHref({ ...MEMBERS, q: message.memberNo })}>{message.memberNo}</a>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      {kindText(message.kind)}
                      <div className="muted">{categoryText(message.category)}</div>
                    </td>
                    <td className="nowrap">
                      <span className={`status message-status message-status-${message.status}`}>
                        {statusText(message.status)}
                      </span>
                    </td>
                    <td className="num">{message.attempts}</td>
                    <td className="message-error">
                      {message.error ? (
                        <span className="inline-error">{message.error}</span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                );
              }}
            </TableRows>
          </tbody>
        </table>
        {page && <Pager pages={pages} next={page.next} busy={loading} onChange={setPages} />}
      </div>
    </section>
  );
}

/** 全部 and each status with its count; pressing one filters the list by it (again: back to 全部). */
function StatusCounts({ route, state }: { route: MessagesRoute; state: LoadState<OutboxPage> }) {
  // The last page's counts stay on screen while the next one loads.
  const counts = state.data?.counts;
  if (!counts) return null;
  const pick = (status: OutboxStatus | null) => navigate(filteredRoute(route, { status }));
  return (
    <fieldset className="message-counts section">
      <legend className="visually-hidden">各状态消息数{route.kind ? `（${kindText(route.kind)}）` : ''}</legend>
      {countChips(counts).map((chip) => {
        const active = chip.status === route.status;
        return (
          <button
            key={chip.status ?? 'all'}
            type="button"
            className={active ? 'count-chip is-active' : 'count-chip'}
            data-status={chip.status ?? 'all'}
            aria-pressed={active}
            onClick={() => pick(active ? null : chip.status)}
          >
            <span className="count-chip-label">{chip.label}</span>
            <strong className="count-chip-value">{chip.count.toLocaleString('zh-CN')}</strong>
          </button>
        );
      })}
    </fieldset>
  );
}
