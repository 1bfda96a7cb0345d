// 分群: the saved segments, searched and paged by the server (the search and page live in the URL), with each one's
// conditions, its member count and when it was counted; 重新统计 counts one now, 查看会员 opens its members.
import type { Segment, SegmentPage } from '@member-hub/shared';
import { useCallback } from 'react';
import { countSegment, listSegments } from '../../api/segments';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { MEMBERS, navigate, type Route, routeHref } from '../../route';
import { ErrorBanner, InlineError, PageHeader, PageNumbers, RefreshButton, SearchBox, TableRows } from '../../ui';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import { savedCountText } from './segmentForms';

type SegmentsRoute = Extract<Route, { page: 'segments' }>;

const COLUMNS = 5;

export function SegmentsPage({ route }: { route: SegmentsRoute }) {
  const { q, pageNo } = route;
  const load = useCallback((token: string): Promise<SegmentPage> => listSegments(token, { q, pageNo }), [q, pageNo]);
  const { state, reload, update } = useLoad(load);
  const page = state.data;
  const loading = state.status === 'loading';

  const counted = (next: Segment) =>
    update((current) => ({ ...current, items: current.items.map((row) => (row.id === next.id ? next : row)) }));

  return (
    <section className="page segments-page">
      <PageHeader title="分群" description="按标签、等级、RFM 分类、活跃度和资料圈出一批会员，用于发券和营销活动">
        <div className="header-actions">
          <RefreshButton loading={loading} onRefresh={reload} />
          <a className="button button-primary segment-new" href={routeHref({ page: 'segment', id: 'new' })}>
            新建分群
          </a>
        </div>
      </PageHeader>
      <SearchBox
        value={q}
        label="搜索分群"
        placeholder="分群名称"
        maxLength={30}
        className="segment-search"
        onSearch={(text) => navigate({ page: 'segments', q: text, pageNo: 1 })}
      />
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={loading}>
        <table className="table segment-table">
          <thead>
            <tr>
              <th>名称</th>
              <th>条件</th>
              <th className="num">人数</th>
              <th>更新时间</th>
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody className={loading && page ? 'is-stale' : undefined}>
            <TableRows
              rows={page?.items ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={q === '' ? '还没有分群，点击「新建分群」开始' : `没有名称包含「${q}」的分群`}
            >
              {(segment) => <SegmentRow key={segment.id} segment={segment} onCounted={counted} />}
            </TableRows>
          </tbody>
        </table>
        <PageNumbers
          page={page ?? null}
          pageNo={pageNo}
          busy={loading}
          onChange={(next) => navigate({ ...route, pageNo: next })}
        />
      </div>
    </section>
  );
}

function SegmentRow({ segment, onCounted }: { segment: Segment; onCounted(segment: Segment): void }) {
  const { withToken } = useAuth();
  const { busy, error, run } = useAction('统计失败，请稍后再试');

  function recount() {
    void run(async () => {
      const preview = await withToken((token) => countSegment(token, segment.id));
      onCounted({ ...segment, count: preview.count, countedAt: preview.countedAt });
    });
  }

  return (
    <tr className="segment-row" data-id={segment.id} data-count={segment.count ?? ''}>
      <td>
        <a className="segment-name" href={routeHref({ page: 'segment', id: segment.id })}>
          {segment.name}
        </a>
        {segment.description && <div className="muted">{segment.description}</div>}
      </td>
      <td className="segment-summary">{segment.summary}</td>
      <td className="num segment-count">{savedCountText(segment)}</td>
      <td className="nowrap">{formatDateTime(segment.updatedAt)}</td>
      <td className="actions-col">
        <div className="row-actions">
          <button className="button button-small segment-recount" type="button" onClick={recount} disabled={busy}>
            {busy ? '统计中…' : '重新统计'}
          </button>
          <a className="button button-small" href={routeHref({ ...MEMBERS, segmentId: segment.id })}>
            查看会员
          </a>
        </div>
        <InlineError message={error} />
      </td>
    </tr>
  );
}
