// Hash routes: the part after `#` decides the page, so a reload or a shared link opens the same page
// and the server only ever serves /admin/index.html.
import { useMemo, useSyncExternalStore } from 'react';

export type Route =
  | { page: 'overview' }
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
  | { page: 'notFound'; hash: string };

export type WalletTab = 'packages' | 'payments' | 'reconciliation';
export type CouponTab = 'templates' | 'issues' | 'settings' | 'referrals';
const COUPON_TABS: readonly CouponTab[] = ['templates', 'issues', 'settings', 'referrals'];

/** The left-nav entry a route belongs to (a member's detail page lights up 会员). */
export type NavKey = 'overview' | 'members' | 'stores' | 'staff' | 'audit' | 'rules' | 'mall' | 'wallet' | 'coupons';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MEMBER_NO = /^\d{8}$/;

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
    case 'overview':
      return second === undefined ? { page: 'overview' } : notFound;
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
    case 'overview':
      return '#/';
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
