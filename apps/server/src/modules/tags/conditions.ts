// The rule tag conditions, one registered object per kind (the shapes are `TagCondition` in packages/shared):
// each says what data it needs beyond the member document and how far back, and decides for one member. The job
// asks every condition of every rule tag for its needs, streams the union once, and runs the tests per member.
import { type TagCondition, type TagConditionKind, type TagRule, windowStartMs } from '@member-hub/shared';
import type { FactNeeds, MemberFacts } from './facts';

type ConditionOf<K extends TagConditionKind> = Extract<TagCondition, { kind: K }>;

export interface ConditionNeeds {
  /** Orders since this instant. */
  ordersSinceMs?: number;
  /** Used coupons since this instant. */
  couponsSinceMs?: number;
  rfm?: true;
}

export interface TagConditionDef<K extends TagConditionKind> {
  needs(c: ConditionOf<K>, nowMs: number): ConditionNeeds;
  holds(c: ConditionOf<K>, member: MemberFacts, nowMs: number): boolean;
}

const compare = (value: number, op: 'gte' | 'lte', bound: number) => (op === 'gte' ? value >= bound : value <= bound);

/** Spend and visits in "近 N 天", in one loop over the member's orders (no array made per member and condition). */
function inWindow(member: MemberFacts, days: number, nowMs: number, storeIds?: string[]) {
  const since = windowStartMs(nowMs, days);
  let spendFen = 0;
  let visits = 0;
  let atStore = false;
  for (const o of member.orders) {
    if (o.atMs < since || o.atMs > nowMs) continue;
    spendFen += o.netFen;
    visits++;
    if (storeIds && o.storeId !== null && storeIds.includes(o.storeId)) atStore = true;
  }
  return { spendFen, visits, atStore };
}

const monthOf = (birthday: string | null) => (birthday ? Number(birthday.slice(5, 7)) : null);

export const TAG_CONDITIONS: { [K in TagConditionKind]: TagConditionDef<K> } = {
  spend: {
    needs: (c, now) => ({ ordersSinceMs: windowStartMs(now, c.days) }),
    holds: (c, m, now) => compare(inWindow(m, c.days, now).spendFen, c.op, c.fen),
  },
  visits: {
    needs: (c, now) => ({ ordersSinceMs: windowStartMs(now, c.days) }),
    holds: (c, m, now) => compare(inWindow(m, c.days, now).visits, c.op, c.count),
  },
  tier: {
    needs: () => ({}),
    holds: (c, m) => (c.tiers as string[]).includes(m.tier),
  },
  points: {
    needs: () => ({}),
    holds: (c, m) => (c.min === null || m.points >= c.min) && (c.max === null || m.points <= c.max),
  },
  couponsUsed: {
    needs: (c, now) => ({ couponsSinceMs: windowStartMs(now, c.days) }),
    holds: (c, m, now) => {
      const since = windowStartMs(now, c.days);
      let used = 0;
      for (const at of m.couponsUsedAtMs) if (at >= since && at <= now) used++;
      return compare(used, c.op, c.count);
    },
  },
  birthdayMonth: {
    needs: () => ({}),
    holds: (c, m) => {
      const month = monthOf(m.birthday);
      return month !== null && c.months.includes(month);
    },
  },
  store: {
    needs: (c, now) => ({ ordersSinceMs: windowStartMs(now, c.days) }),
    holds: (c, m, now) => inWindow(m, c.days, now, c.storeIds).atStore,
  },
  rfmClass: {
    needs: () => ({ rfm: true }),
    holds: (c, m) => m.rfmClass !== null && c.classes.includes(m.rfmClass),
  },
  joinedWithin: {
    needs: () => ({}),
    holds: (c, m, now) => m.createdAtMs >= windowStartMs(now, c.days) && m.createdAtMs <= now,
  },
  hasPhone: {
    needs: () => ({}),
    holds: (c, m) => m.hasPhone === c.has,
  },
};

function definitionOf<K extends TagConditionKind>(c: ConditionOf<K>): TagConditionDef<K> {
  return TAG_CONDITIONS[c.kind as K];
}

/** A member has a rule tag when every condition holds. */
export function ruleHolds(rule: TagRule, member: MemberFacts, nowMs: number): boolean {
  return rule.all.every((c) => definitionOf(c).holds(c as never, member, nowMs));
}

/** The union of what these rules need: the earliest window of each source, the RFM run if any asks for it. */
export function needsOf(rules: TagRule[], nowMs: number, rfmRunId: string | null): FactNeeds {
  let ordersSinceMs = Number.POSITIVE_INFINITY;
  let couponsSinceMs = Number.POSITIVE_INFINITY;
  let rfm = false;
  for (const rule of rules)
    for (const c of rule.all) {
      const n = definitionOf(c).needs(c as never, nowMs);
      if (n.ordersSinceMs !== undefined) ordersSinceMs = Math.min(ordersSinceMs, n.ordersSinceMs);
      if (n.couponsSinceMs !== undefined) couponsSinceMs = Math.min(couponsSinceMs, n.couponsSinceMs);
      if (n.rfm) rfm = true;
    }
  return {
    ...(Number.isFinite(ordersSinceMs) && { orders: { sinceMs: ordersSinceMs, untilMs: nowMs } }),
    ...(Number.isFinite(couponsSinceMs) && { coupons: { sinceMs: couponsSinceMs, untilMs: nowMs } }),
    // Without a finished RFM run there are no classes: an rfmClass condition then holds for nobody.
    ...(rfm && rfmRunId !== null && { rfm: { runId: rfmRunId } }),
  };
}

/** Whether any of these rules reads the RFM classes (so the job looks the current run up). */
export function needsRfm(rules: TagRule[]): boolean {
  return rules.some((rule) => rule.all.some((c) => c.kind === 'rfmClass'));
}
