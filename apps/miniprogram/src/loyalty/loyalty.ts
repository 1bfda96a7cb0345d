import {
  CheckInResult,
  LoyaltyPaths,
  MallItem,
  MyTasks,
  MyTier,
  PointsHistory,
  PointsPaths,
  PointsSummary,
  Redemption,
} from '@member-hub/shared';
import { type ApiClient, anyBody, arrayOf, type Schema } from '../api/client';
import type { Session } from '../session/session';

/** Not in the shared contract's path tables yet: the server's task routes spell them. */
export const SHARE_PATHS = { myShares: '/api/v1/me/shares', shareVisits: '/api/v1/share-visits' } as const;

const ShareCreated: Schema<{ shareId: string }> = {
  parse(data) {
    const shareId = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).shareId : undefined;
    if (typeof shareId === 'string' && shareId) return { shareId };
    throw new TypeError('share answer must be { shareId: string }');
  },
};

const MallItems = arrayOf(MallItem);
const Redemptions = arrayOf(Redemption);

/** The member's points, tier, tasks and points mall: every call logs in first and renews an expired session. */
export interface LoyaltyService {
  points(): Promise<PointsSummary>;
  /** One page of history, newest first; `after` is the previous page's `next`. */
  history(after: string | null, limit?: number): Promise<PointsHistory>;
  tier(): Promise<MyTier>;
  tasks(): Promise<MyTasks>;
  checkIn(): Promise<CheckInResult>;
  createShare(): Promise<{ shareId: string }>;
  /** Tells the server this member opened someone's shared link (the sharer gets the points, not us). */
  visitShare(shareId: string): Promise<void>;
  mallItems(): Promise<MallItem[]>;
  redeem(itemId: string, idempotencyKey: string): Promise<Redemption>;
  myRedemptions(): Promise<Redemption[]>;
}

export function createLoyaltyService({ api, session }: { api: ApiClient; session: Session }): LoyaltyService {
  const authed = <T>(call: () => Promise<T>) => session.withSession(call);
  return {
    points: () => authed(() => api.get(PointsPaths.myPoints, PointsSummary)),
    history(after, limit = 20) {
      const query = `?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      return authed(() => api.get(`${PointsPaths.myPointsHistory}${query}`, PointsHistory));
    },
    tier: () => authed(() => api.get(LoyaltyPaths.myTier, MyTier)),
    tasks: () => authed(() => api.get(LoyaltyPaths.myTasks, MyTasks)),
    checkIn: () => authed(() => api.post(LoyaltyPaths.myCheckIn, {}, CheckInResult)),
    createShare: () => authed(() => api.post(SHARE_PATHS.myShares, {}, ShareCreated)),
    async visitShare(shareId) {
      await authed(() => api.post(SHARE_PATHS.shareVisits, { shareId }, anyBody));
    },
    mallItems: () => authed(() => api.get(LoyaltyPaths.mallItems, MallItems)),
    redeem: (itemId, idempotencyKey) =>
      authed(() => api.post(LoyaltyPaths.myRedemptions, { itemId, idempotencyKey }, Redemption)),
    myRedemptions: () => authed(() => api.get(LoyaltyPaths.myRedemptions, Redemptions)),
  };
}

/**
 * Records a visit to each shared link at most once per app run, after login; any failure (an invalid link, our
 * own link, no network) is dropped quietly: the visitor came for the shop, not for the sharer's points.
 */
export function createShareVisitor(visit: (shareId: string) => Promise<void>) {
  const seen = new Set<string>();
  return (shareId: string | undefined | null): Promise<void> => {
    const id = shareId?.trim();
    if (!id || seen.has(id)) return Promise.resolve();
    seen.add(id);
    return visit(id).catch(() => {});
  };
}
