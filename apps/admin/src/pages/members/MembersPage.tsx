// 会员: the members, searched, filtered by tier, tag and segment, sorted and paged by the server; every one of them
// lives in the URL, so a reload or a shared link shows the same list. Exports of members and ledgers start here.
import { type AdminMemberSort, formatFen, formatPoints, type Segment, type Tag, TierNames } from '@member-hub/shared';
import { useCallback, useState } from 'react';
import { listMembers, MEMBER_PAGE_SIZE } from '../../api/members';
import { listAllSegments } from '../../api/segments';
import { listAllTags } from '../../api/tags';
import { formatDateTime } from '../../format';
import { rowRangeText } from '../../pagination';
import { MEMBERS, type MembersRoute, navigate, routeHref } from '../../route';
import { nextSort } from '../../sorting';
import { ErrorBanner, PageHeader, SearchBox, SortHeader, TableRows } from '../../ui';
import { useLoad } from '../../useLoad';
import { LedgerExportDialog, MemberExportDialog } from '../exports/ExportDialogs';
import { TagBadges } from '../tags/TagBadge';
import { MemberCells } from './MemberCells';
import {
  type CursorMemory,
  filteredRoute,
  MEMBER_SORT_LABELS,
  memberFirstOrder,
  memberListParams,
  nextPageRoute,
  previousPageRoute,
  remember,
} from './memberList';

const COLUMNS = 8;
const QUERY_MAX = 40;

/** Tags and segments for the filters; an empty list when they cannot be read (the filter then offers 全部 only). */
const loadTags = (token: string): Promise<Tag[]> => listAllTags(token).catch(() => []);
const loadSegments = (token: string): Promise<Segment[]> => listAllSegments(token).catch(() => []);

/** Kept while the tab is open: the cursors of the pages seen, and the list last shown (for 返回会员列表). */
let memory: CursorMemory = { key: '', cursors: [] };
let lastRoute: MembersRoute = MEMBERS;

/** The list as the owner last saw it, for the detail page's way back. */
export function membersListHref(): string {
  return routeHref(lastRoute);
}

export function MembersPage({ route }: { route: MembersRoute }) {
  memory = remember(memory, route);
  lastRoute = route;
  // The route is the same object until the hash changes (useRoute), so it loads again exactly then.
  const load = useCallback((token: string) => listMembers(token, memberListParams(route)), [route]);
  const { state } = useLoad(load);
  const tags = useLoad(loadTags).state.data ?? [];
  const segments = useLoad(loadSegments).state.data ?? [];
  const [exporting, setExporting] = useState<'members' | 'ledger' | null>(null);
  const list = state.data;
  const loading = state.status === 'loading';

  const filter = (change: Partial<MembersRoute>) => navigate(filteredRoute(route, change));
  const onSort = (column: AdminMemberSort) =>
    filter(nextSort({ sort: route.sort, order: route.order }, column, memberFirstOrder));
  const header = (column: AdminMemberSort, numeric = false) => (
    <SortHeader
      column={column}
      label={MEMBER_SORT_LABELS[column]}
      sort={route.sort}
      order={route.order}
      numeric={numeric}
      className="member-sort"
      onSort={onSort}
    />
  );
  const filtered = route.q !== '' || route.tier !== null || route.tagId !== null || route.segmentId !== null;

  return (
    <section className="page members-page">
      <PageHeader title="会员" description="按手机号、会员号或昵称查找会员，按等级、标签或分群筛选">
        <div className="header-actions">
          <button className="button member-export" type="button" onClick={() => setExporting('members')}>
            导出会员
          </button>
          <button className="button ledger-export" type="button" onClick={() => setExporting('ledger')}>
            导出流水
          </button>
        </div>
      </PageHeader>

      <SearchBox
        value={route.q}
        label="搜索会员"
        placeholder="手机号 / 会员号 / 昵称"
        maxLength={QUERY_MAX}
        className="member-search"
        onSearch={(q) => filter({ q })}
      >
        <FilterSelect
          label="等级"
          className="member-tier-filter"
          value={route.tier}
          options={TierNames.map((tier) => [tier, tier])}
          onChange={(tier) => filter({ tier: TierNames.find((known) => known === tier) ?? null })}
        />
        <FilterSelect
          label="标签"
          className="member-tag-filter"
          value={route.tagId}
          options={tags.map((tag) => [tag.id, tag.name])}
          onChange={(tagId) => filter({ tagId })}
        />
        <FilterSelect
          label="分群"
          className="member-segment-filter"
          value={route.segmentId}
          options={segments.map((segment) => [segment.id, segment.name])}
          onChange={(segmentId) => filter({ segmentId })}
        />
      </SearchBox>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}

      <div className="card table-card" aria-busy={loading}>
        <table className="table member-table">
          <thead>
            <tr>
              {header('memberNo')}
              <th>昵称</th>
              <th>手机</th>
              <th>等级</th>
              <th>标签</th>
              {header('points', true)}
              <th className="num">储值余额</th>
              {header('joined')}
            </tr>
          </thead>
          <tbody className={loading && list ? 'is-stale' : undefined}>
            <TableRows
              rows={list?.items ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={filtered ? '没有符合条件的会员' : '暂无数据'}
            >
              {(member) => (
                <tr
                  key={member.memberId}
                  className="member-row is-clickable"
                  data-member-id={member.memberId}
                  onClick={() => navigate({ page: 'member', id: member.memberId })}
                >
                  <MemberCells
                    member={member}
                    badge={
                      member.status !== 'active' && (
                        <span className="tag-merged">{member.status === 'merged' ? '已合并' : '已注销'}</span>
                      )
                    }
                  />
                  <td>
                    <TagBadges tags={member.tags} />
                  </td>
                  <td className="num">{formatPoints(member.points)}</td>
                  <td className="num">{formatFen(member.storedValueFen)}</td>
                  <td>{formatDateTime(member.createdAt)}</td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
        {list && <CursorPager route={route} next={list.next} total={list.total ?? null} busy={loading} />}
      </div>

      {exporting === 'members' && (
        <MemberExportDialog
          tier={route.tier}
          otherFilters={route.q !== '' || route.tagId !== null || route.segmentId !== null}
          onClose={() => setExporting(null)}
        />
      )}
      {exporting === 'ledger' && <LedgerExportDialog onClose={() => setExporting(null)} />}
    </section>
  );
}

function FilterSelect({
  label,
  className,
  value,
  options,
  onChange,
}: {
  label: string;
  className: string;
  value: string | null;
  options: readonly (readonly [string, string])[];
  onChange(value: string | null): void;
}) {
  const known = value === null || options.some(([option]) => option === value);
  return (
    <label className="inline-field">
      <span>{label}</span>
      <select
        className={`input input-compact ${className}`}
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">全部</option>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
        {!known && value !== null && <option value={value}>（加载中…）</option>}
      </select>
    </label>
  );
}

/** 第 21–40 条，共 95 条 with 首页 / 上一页 / 下一页 over the server's cursors. */
function CursorPager({
  route,
  next,
  total,
  busy,
}: {
  route: MembersRoute;
  next: string | null;
  total: number | null;
  busy: boolean;
}) {
  const previous = previousPageRoute(memory, route);
  const text = total === null ? `第 ${route.pageNo} 页` : rowRangeText(route.pageNo, MEMBER_PAGE_SIZE, total);
  return (
    <div className="pager">
      <span className="muted pager-rows member-total" data-total={total ?? ''}>
        {text}
      </span>
      {(route.pageNo > 1 || next) && (
        <>
          {route.pageNo > 2 && (
            <button className="button" type="button" disabled={busy} onClick={() => navigate(filteredRoute(route, {}))}>
              首页
            </button>
          )}
          <button
            className="button pager-previous"
            type="button"
            disabled={busy || !previous}
            onClick={() => previous && navigate(previous)}
          >
            上一页
          </button>
          <button
            className="button pager-next"
            type="button"
            disabled={busy || !next}
            onClick={() => next && navigate(nextPageRoute(route, next))}
          >
            下一页
          </button>
        </>
      )}
    </div>
  );
}
