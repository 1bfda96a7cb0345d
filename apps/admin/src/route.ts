// Hash routes: the part after `#` decides the page, so a reload or a shared link opens the same page
// and the server only ever serves /admin/index.html.
import { RfmClass, RfmSortField } from '@member-hub/shared';
import { useMemo, useSyncExternalStore } from 'react';

export type Route =
  /** 概览: the dashboard's range (yyyy-MM-dd, null = the last 30 days) and store (null = every store). */
  | { page: 'overview'; from: string | null; to: string | null; storeId: string | null }
  | { page: 'members' }
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
  | { page: 'notFound'; hash: string };

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
  | 'rfm';

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
      if (second === undefined) return { page: 'members' };
      const id = decodeSegment(second);
      return id ? { page: 'member', id } : notFound;
    }
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
      return '#/members';
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
      return route.page;
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
