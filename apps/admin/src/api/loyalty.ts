// Loyalty settings and tools for the owner: the rules document, manual points and tier changes, the points
// liability and the points mall's items.
import {
  type GrantTierRequest,
  LoyaltyPaths,
  LoyaltyRules,
  MallItem,
  type PointsAdjustmentRequest,
  PointsLiability,
  PointsPaths,
  type UpsertMallItemRequest,
} from '@member-hub/shared';
import { apiRequest } from '../api';
import { pathId } from './query';

export type PointsAdjustmentBody = ReturnType<typeof PointsAdjustmentRequest.parse>;
export type GrantTierBody = ReturnType<typeof GrantTierRequest.parse>;
export type MallItemBody = ReturnType<typeof UpsertMallItemRequest.parse>;

export function getRules(token: string): Promise<LoyaltyRules> {
  return apiRequest(PointsPaths.rules, { token, schema: LoyaltyRules });
}

/** Replaces the whole rules document; the answer is the rules as saved. */
export function saveRules(token: string, rules: LoyaltyRules): Promise<LoyaltyRules> {
  return apiRequest(PointsPaths.rules, { method: 'PUT', token, body: rules, schema: LoyaltyRules });
}

/**
 * The contract lets the adjustment answer with the member detail or just `{ points }`; either way the page reloads
 * the member afterwards. This returns the new balance when the answer carries one.
 */
export const AdjustmentAnswer = {
  parse(input: unknown): { points: number | null } {
    if (typeof input === 'object' && input !== null && 'points' in input && Number.isSafeInteger(input.points)) {
      return { points: input.points as number };
    }
    return { points: null };
  },
};

export function adjustPoints(
  token: string,
  memberId: string,
  body: PointsAdjustmentBody,
): Promise<{ points: number | null }> {
  return apiRequest(LoyaltyPaths.adminPointsAdjustments(pathId(memberId)), {
    method: 'POST',
    token,
    body,
    schema: AdjustmentAnswer,
  });
}

export interface TierChange {
  from: string;
  to: string;
}

const TierChangeAnswer = {
  parse(input: unknown): TierChange {
    if (
      typeof input === 'object' &&
      input !== null &&
      'from' in input &&
      'to' in input &&
      typeof input.from === 'string' &&
      typeof input.to === 'string'
    ) {
      return { from: input.from, to: input.to };
    }
    throw new TypeError('not a tier change');
  },
};

export function grantTier(token: string, memberId: string, body: GrantTierBody): Promise<TierChange> {
  return apiRequest(LoyaltyPaths.adminGrantTier(pathId(memberId)), {
    method: 'POST',
    token,
    body,
    schema: TierChangeAnswer,
  });
}

export function getLiability(token: string): Promise<PointsLiability> {
  return apiRequest(LoyaltyPaths.adminLiability, { token, schema: PointsLiability });
}

const MallItemList = { parse: (input: unknown): MallItem[] => MallItem.array().parse(input) };

export function listMallItems(token: string): Promise<MallItem[]> {
  return apiRequest(LoyaltyPaths.adminMallItems, { token, schema: MallItemList });
}

export function createMallItem(token: string, body: MallItemBody): Promise<MallItem> {
  return apiRequest(LoyaltyPaths.adminMallItems, { method: 'POST', token, body, schema: MallItem });
}

export function updateMallItem(token: string, id: string, body: MallItemBody): Promise<MallItem> {
  return apiRequest(LoyaltyPaths.adminMallItem(pathId(id)), { method: 'PATCH', token, body, schema: MallItem });
}
