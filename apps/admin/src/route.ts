// Hash routes: the part after `#` decides the page, so a reload or a shared link opens the same page
// and the server only ever serves /admin/index.html.
import { AdminMemberSort, RfmClass, RfmSortField, TagKind, TagListQuery, TierNames } from '@member-hub/shared';
import { useMemo, useSyncExternalStore } from 'react';
import { type OpsNavKey, type OpsRoute, opsHref, opsNavKey, parseOpsHash } from './opsRoutes';

export type Route =
  /** 概览: the dashboard's range (yyyy-MM-dd, null = the last 30 days) and store (null = every store). */
  | { page: 'overview'; from: string | null; to: string | null; storeId: string | null }
  | MembersRoute
  | { page: 'member'; id: string }
  | { page: 'stores' }
  | { page: 'staff' }
  | { page: 'audit'; memberId: string | null; action: string | null }
  | { page: 'rules' }
  | { page: 'mall' }
  /** 储值: packages and settings, the payments list, or one day's reconciliation (`date` yyyy-MM-dd). */
  | { page: 'wallet'; tab: WalletTab; date: string | null }
  /** 优惠券: templates, issuing, gift settings, or referrals (`memberNo`: the chain around that member). */
  | { page: 'coupons'; tab: CouponTab; memberNo: string | null }
  /**
   * 会员分析: the RFM classes, the scored members (class filter, sort, order, page number) and the churn warnings
   * (class filter, order, page number; always by value), and the settings. The list fields keep their defaults on
   * the other tabs.
   */
  | RfmRoute
  /** 标签: search, kind filter, sort, page number. */
  | TagsRoute
  /** 分群: the list (search, page number), and one segment's editor (`id` 'new' for a new one). */
  | { page: 'segments'; q: string; pageNo: number }
  | { page: 'segment'; id: string }
  /** 导入: the upload and the past imports (page number), and one import's mapping, report and progress. */
  | { page: 'imports'; pageNo: number }
  | { page: 'import'; id: string }
  /** 营销活动, 后台任务, 消息记录 (opsRoutes.ts). */
  | OpsRoute
  | { page: 'notFound'; hash: string };

export type TierName = (typeof TierNames)[number];
export type TagSort = TagListQuery['sort'];

/**
 * 会员: search, filters, sort and order, and the page on screen: its cursor (`after`, null on the first page) and
 * number (for 第 21–40 条).
 */
export interface MembersRoute {
  page: 'members';
  q: string;
  tier: TierName | null;
  tagId: string | null;
  segmentId: string | null;
  sort: AdminMemberSort;
  order: SortOrder;
  after: string | null;
  /** 1-based. */
  pageNo: number;
}

export interface TagsRoute {
  page: 'tags';
  q: string;
  kind: TagKind | null;
  sort: TagSort;
  pageNo: number;
}

export interface RfmRoute {
  page: 'rfm';
  tab: RfmTab;
  rfmClass: RfmClass | null;
  sort: RfmSortField;
  order: SortOrder;
  /** 1-based. */
  pageNo: number;
}

export type WalletTab = 'packages' | 'payments' | 'reconciliation';
export type CouponTab = 'templates' | 'issues' | 'settings' | 'referrals';
const COUPON_TABS: readonly CouponTab[] = ['templates', 'issues', 'settings', 'referrals'];
export type RfmTab = 'summary' | 'members' | 'churn' | 'settings';
const RFM_TABS: readonly RfmTab[] = ['summary', 'members', 'churn', 'settings'];
export type SortOrder = 'asc' | 'desc';

/** The left-nav entry a route belongs to (a member's detail page lights up 会员). */
export type NavKey =
  | 'overview'
  | 'members'
  | 'stores'
  | 'staff'
  | 'audit'
  | 'rules'
  | 'mall'
  | 'wallet'
  | 'coupons'
  | 'rfm'
  | 'tags'
  | 'segments'
  | OpsNavKey
  | 'imports';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MEMBER_NO = /^\d{8}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/i;
/** The deepest page a list URL may ask for (the contract's own limit). */
const MAX_PAGE_NO = 100_000;

/** An RFM route with the list fields at their defaults: `#/rfm`, `#/rfm/churn`, … */
export function rfmRoute(tab: RfmTab, fields: Partial<Omit<RfmRoute, 'page' | 'tab'>> = {}): RfmRoute {
  return { page: 'rfm', tab, rfmClass: null, sort: 'spend', order: 'desc', pageNo: 1, ...fields };
}

/** The overview with the default range and every store. */
export const OVERVIEW: Route = { page: 'overview', from: null, to: null, storeId: null };

/** Every member, newest first, first page. */
export const MEMBERS: MembersRoute = {
  page: 'members',
  q: '',
  tier: null,
  tagId: null,
  segmentId: null,
  sort: 'joined',
  order: 'desc',
  after: null,
  pageNo: 1,
};

export const TAGS: TagsRoute = { page: 'tags', q: '', kind: null, sort: 'created', pageNo: 1 };
const TAGS_DEFAULTS = { sort: 'created', page: 1 };

/** The longest search text a list URL keeps (the contracts allow at most 40). */
const MAX_QUERY = 40;
/** The longest cursor the members list takes (the contract's own limit). */
const MAX_CURSOR = 64;

function textParam(query: URLSearchParams, key: string, max = MAX_QUERY): string {
  return (query.get(key) ?? '').trim().slice(0, max);
}

function idParam(query: URLSearchParams, key: string): string | null {
  const value = query.get(key);
  return value && OBJECT_ID.test(value) ? value.toLowerCase() : null;
}

function oneOf<T extends string>(options: readonly T[], value: string | null): T | null {
  return options.find((known) => known === value) ?? null;
}

function parseMembers(query: URLSearchParams): MembersRoute {
  const after = query.get('after');
  const usableAfter = after && after.length <= MAX_CURSOR ? after : null;
  return {
    page: 'members',
    q: textParam(query, 'q'),
    tier: oneOf(TierNames, query.get('tier')),
    tagId: idParam(query, 'tag'),
    segmentId: idParam(query, 'segment'),
    sort: oneOf(AdminMemberSort.options, query.get('sort')) ?? 'joined',
    order: query.get('order') === 'asc' ? 'asc' : 'desc',
    after: usableAfter,
    // A page number without its cursor cannot be shown: the first page then.
    pageNo: usableAfter ? pageNoParam(query) : 1,
  };
}

/** `#/path?query`, or `#/path` when every field is at its default. */
function withQuery(path: string, fields: Readonly<Record<string, string | number | null>>, defaults = {}): string {
  const query = new URLSearchParams();
  const skip: Readonly<Record<string, string | number | null>> = defaults;
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === '' || skip[key] === value) continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

function membersHref(route: MembersRoute): string {
  return withQuery(
    '#/members',
    {
      q: route.q,
      tier: route.tier,
      tag: route.tagId,
      segment: route.segmentId,
      sort: route.sort,
      order: route.order,
      after: route.after,
      page: route.after ? route.pageNo : null,
    },
    { sort: 'joined', order: 'desc' },
  );
}

function dayParam(query: URLSearchParams, key: string): string | null {
  const value = query.get(key);
  return value && DAY.test(value) ? value : null;
}

function pageNoParam(query: URLSearchParams): number {
  const value = query.get('page');
  if (!value || !/^\d{1,6}$/.test(value)) return 1;
  const pageNo = Number(value);
  return pageNo >= 1 && pageNo <= MAX_PAGE_NO ? pageNo : 1;
}

function parseRfm(second: string | undefined, query: URLSearchParams): Route | null {
  const tab = second === undefined ? 'summary' : RFM_TABS.find((known) => known === second);
  if (!tab) return null;
  if (tab === 'summary' || tab === 'settings') return rfmRoute(tab);
  const rfmClass = RfmClass.options.find((known) => known === query.get('class')) ?? null;
  const order: SortOrder = query.get('order') === 'asc' ? 'asc' : 'desc';
  const sort =
    tab === 'members' ? (RfmSortField.options.find((known) => known === query.get('sort')) ?? 'spend') : 'spend';
  return rfmRoute(tab, { rfmClass, sort, order, pageNo: pageNoParam(query) });
}

function rfmHref(route: RfmRoute): string {
  const path = route.tab === 'summary' ? '#/rfm' : `#/rfm/${route.tab}`;
  if (route.tab !== 'members' && route.tab !== 'churn') return path;
  const query = new URLSearchParams();
  if (route.rfmClass) query.set('class', route.rfmClass);
  if (route.tab === 'members' && route.sort !== 'spend') query.set('sort', route.sort);
  if (route.order !== 'desc') query.set('order', route.order);
  if (route.pageNo !== 1) query.set('page', String(route.pageNo));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `#/members/abc` -> `{ page: 'member', id: 'abc' }`. Tolerates a missing leading slash and trailing slashes. */
export function parseHash(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = raw.indexOf('?');
  const pathPart = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  const segments = pathPart.split('/').filter((segment) => segment !== '');
  const notFound: Route = { page: 'notFound', hash: raw };

  const [first, second, ...rest] = segments;
  if (rest.length > 0) return notFound;
  switch (first) {
    case undefined:
    case 'overview': {
      if (second !== undefined) return notFound;
      const storeId = query.get('storeId');
      return {
        page: 'overview',
        from: dayParam(query, 'from'),
        to: dayParam(query, 'to'),
        storeId: storeId && OBJECT_ID.test(storeId) ? storeId : null,
      };
    }
    case 'members': {
      if (second === undefined) return parseMembers(query);
      const id = decodeSegment(second);
      return id ? { page: 'member', id } : notFound;
    }
    case 'tags':
      if (second !== undefined) return notFound;
      return {
        page: 'tags',
        q: textParam(query, 'q', 20),
        kind: oneOf(TagKind.options, query.get('kind')),
        sort: oneOf(TagListQuery.shape.sort.unwrap().options, query.get('sort')) ?? 'created',
        pageNo: pageNoParam(query),
      };
    case 'segments': {
      if (second === undefined) return { page: 'segments', q: textParam(query, 'q', 30), pageNo: pageNoParam(query) };
      return second === 'new' || OBJECT_ID.test(second) ? { page: 'segment', id: second.toLowerCase() } : notFound;
    }
    case 'imports': {
      if (second === undefined) return { page: 'imports', pageNo: pageNoParam(query) };
      return OBJECT_ID.test(second) ? { page: 'import', id: second.toLowerCase() } : notFound;
    }
    case 'campaigns':
    case 'jobs':
    case 'messages':
    case 'backup':
      return parseOpsHash(first, second, query) ?? notFound;
    case 'stores':
      return second === undefined ? { page: 'stores' } : notFound;
    case 'staff':
      return second === undefined ? { page: 'staff' } : notFound;
    case 'rules':
      return second === undefined ? { page: 'rules' } : notFound;
    case 'mall':
      return second === undefined ? { page: 'mall' } : notFound;
    case 'wallet': {
      if (second === undefined) return { page: 'wallet', tab: 'packages', date: null };
      if (second === 'payments') return { page: 'wallet', tab: 'payments', date: null };
      if (second !== 'reconciliation') return notFound;
      const date = query.get('date');
      return { page: 'wallet', tab: 'reconciliation', date: date && DAY.test(date) ? date : null };
    }
    case 'coupons': {
      const tab = second === undefined ? 'templates' : COUPON_TABS.find((known) => known === second);
      if (!tab) return notFound;
      const memberNo = tab === 'referrals' ? query.get('memberNo') : null;
      return { page: 'coupons', tab, memberNo: memberNo && MEMBER_NO.test(memberNo) ? memberNo : null };
    }
    case 'rfm':
      return parseRfm(second, query) ?? notFound;
    case 'audit':
      return second === undefined
        ? { page: 'audit', memberId: query.get('memberId') || null, action: query.get('action') || null }
        : notFound;
    default:
      return notFound;
  }
}

/** The inverse of parseHash, for links and navigation. */
export function routeHref(route: Route): string {
  switch (route.page) {
    case 'overview': {
      const query = new URLSearchParams();
      if (route.from) query.set('from', route.from);
      if (route.to) query.set('to', route.to);
      if (route.storeId) query.set('storeId', route.storeId);
      const text = query.toString();
      return text === '' ? '#/' : `#/?${text}`;
    }
    case 'members':
      return membersHref(route);
    case 'tags':
      return withQuery('#/tags', { q: route.q, kind: route.kind, sort: route.sort, page: route.pageNo }, TAGS_DEFAULTS);
    case 'segments':
      return withQuery('#/segments', { q: route.q, page: route.pageNo }, { page: 1 });
    case 'segment':
      return `#/segments/${encodeURIComponent(route.id)}`;
    case 'imports':
      return withQuery('#/imports', { page: route.pageNo }, { page: 1 });
    case 'import':
      return `#/imports/${encodeURIComponent(route.id)}`;
    case 'campaigns':
    case 'campaign':
    case 'jobs':
    case 'messages':
    case 'backup':
      return opsHref(route);
    case 'member':
      return `#/members/${encodeURIComponent(route.id)}`;
    case 'stores':
      return '#/stores';
    case 'staff':
      return '#/staff';
    case 'rules':
      return '#/rules';
    case 'mall':
      return '#/mall';
    case 'wallet':
      if (route.tab === 'packages') return '#/wallet';
      if (route.tab === 'payments') return '#/wallet/payments';
      return route.date ? `#/wallet/reconciliation?date=${route.date}` : '#/wallet/reconciliation';
    case 'coupons': {
      const path = route.tab === 'templates' ? '#/coupons' : `#/coupons/${route.tab}`;
      return route.tab === 'referrals' && route.memberNo ? `${path}?memberNo=${route.memberNo}` : path;
    }
    case 'audit': {
      const query = new URLSearchParams();
      if (route.memberId) query.set('memberId', route.memberId);
      if (route.action) query.set('action', route.action);
      const text = query.toString();
      return text === '' ? '#/audit' : `#/audit?${text}`;
    }
    case 'rfm':
      return rfmHref(route);
    case 'notFound':
      return `#${route.hash}`;
  }
}

export function navKeyOf(route: Route): NavKey | null {
  switch (route.page) {
    case 'overview':
      return 'overview';
    case 'members':
    case 'member':
      return 'members';
    case 'stores':
    case 'staff':
    case 'audit':
    case 'rules':
    case 'mall':
    case 'wallet':
    case 'coupons':
    case 'rfm':
    case 'tags':
    case 'segments':
    case 'imports':
      return route.page;
    case 'segment':
      return 'segments';
    case 'import':
      return 'imports';
    case 'campaigns':
    case 'campaign':
    case 'jobs':
    case 'messages':
    case 'backup':
      return opsNavKey(route);
    case 'notFound':
      return null;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentHash(): string {
  return window.location.hash;
}

/** The current route; re-renders on every hash change (links, back/forward, navigate()). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parseHash(hash), [hash]);
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}
