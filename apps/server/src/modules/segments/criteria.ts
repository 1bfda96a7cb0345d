// The parts of a segment definition, one registered criterion each. A criterion on the member document becomes
// part of one database filter (tags, tier, profile: answered by indexes and counted without reading members); a
// criterion on other data (RFM class, activity) says what it needs and decides per member on the facts stream.
import { type SegmentDefinition, windowStartMs } from '@member-hub/shared';
import { Types } from 'mongoose';
import type { FactNeeds, MemberFacts } from '../tags/facts';

export interface SegmentCriterion {
  applies(d: SegmentDefinition): boolean;
  /** A condition on the member document. */
  memberFilter?(d: SegmentDefinition, nowMs: number): Record<string, unknown>;
  /** What else it needs (merged into the facts stream), and its test on a member's facts. */
  needs?(d: SegmentDefinition, nowMs: number, rfmRunId: string | null): FactNeeds;
  holds?(d: SegmentDefinition, m: MemberFacts, nowMs: number): boolean;
}

const ids = (hex: string[]) => hex.map((h) => new Types.ObjectId(h));
const two = (n: number) => String(n).padStart(2, '0');
/** Matches no document: what a criterion that cannot hold for anyone adds. */
const NOBODY = { _id: { $in: [] } };

const anyOrderSince = (m: MemberFacts, sinceMs: number, nowMs: number) =>
  m.orders.some((o) => o.atMs >= sinceMs && o.atMs <= nowMs);

export const SEGMENT_CRITERIA: Record<string, SegmentCriterion> = {
  tagsAll: {
    applies: (d) => d.tags.all.length > 0,
    memberFilter: (d) => ({ tags: { $all: ids(d.tags.all) } }),
  },
  tagsAny: {
    applies: (d) => d.tags.any.length > 0,
    memberFilter: (d) => ({ tags: { $in: ids(d.tags.any) } }),
  },
  tagsNone: {
    applies: (d) => d.tags.none.length > 0,
    memberFilter: (d) => ({ tags: { $nin: ids(d.tags.none) } }),
  },
  tiers: {
    applies: (d) => d.tiers.length > 0,
    memberFilter: (d) => ({ tier: { $in: d.tiers } }),
  },
  rfmClasses: {
    applies: (d) => d.rfmClasses.length > 0,
    // Before the first RFM run nobody has a class (planSegment then matches nobody).
    needs: (d, _now, runId) => (runId ? { rfm: { runId, classes: d.rfmClasses } } : {}),
    holds: (d, m) => m.rfmClass !== null && d.rfmClasses.includes(m.rfmClass),
  },
  activeWithin: {
    applies: (d) => d.activity.activeWithinDays !== null,
    needs: (d, now) => ({
      orders: { sinceMs: windowStartMs(now, d.activity.activeWithinDays as number), untilMs: now },
    }),
    holds: (d, m, now) => anyOrderSince(m, windowStartMs(now, d.activity.activeWithinDays as number), now),
  },
  inactive: {
    applies: (d) => d.activity.inactiveDays !== null,
    // Joined before the window: a member who joined yesterday is new, not asleep.
    memberFilter: (d, now) => ({ createdAt: { $lt: new Date(windowStartMs(now, d.activity.inactiveDays as number)) } }),
    needs: (d, now) => ({ orders: { sinceMs: windowStartMs(now, d.activity.inactiveDays as number), untilMs: now } }),
    holds: (d, m, now) => !anyOrderSince(m, windowStartMs(now, d.activity.inactiveDays as number), now),
  },
  gender: {
    applies: (d) => d.profile.gender !== null,
    // Members stored before gender existed read as unknown.
    memberFilter: (d) =>
      d.profile.gender === 'unknown' ? { gender: { $in: ['unknown', null] } } : { gender: d.profile.gender },
  },
  birthdayMonths: {
    applies: (d) => d.profile.birthdayMonths.length > 0,
    // Birthdays are stored as yyyy-MM-dd.
    memberFilter: (d) => ({ birthday: { $regex: `^\\d{4}-(${d.profile.birthdayMonths.map(two).join('|')})-` } }),
  },
  joinedWithin: {
    applies: (d) => d.profile.joinedWithinDays !== null,
    memberFilter: (d, now) => ({
      createdAt: { $gte: new Date(windowStartMs(now, d.profile.joinedWithinDays as number)), $lte: new Date(now) },
    }),
  },
  points: {
    applies: (d) => d.profile.points.min !== null || d.profile.points.max !== null,
    memberFilter: (d) => ({
      points: {
        ...(d.profile.points.min !== null && { $gte: d.profile.points.min }),
        ...(d.profile.points.max !== null && { $lte: d.profile.points.max }),
      },
    }),
  },
  hasPhone: {
    applies: (d) => d.profile.hasPhone !== null,
    memberFilter: (d) => (d.profile.hasPhone ? { phone: { $ne: null } } : { phone: null }),
  },
};

export interface SegmentPlan {
  /** The database part (without `status: 'active'`, which the readers add). */
  memberFilter: Record<string, unknown>;
  needs: FactNeeds;
  /** True when some criterion needs the facts stream; otherwise the filter alone answers. */
  streamed: boolean;
  holds(m: MemberFacts): boolean;
}

export function planSegment(d: SegmentDefinition, nowMs: number, rfmRunId: string | null): SegmentPlan {
  const active = Object.values(SEGMENT_CRITERIA).filter((c) => c.applies(d));
  const filters = active.flatMap((c) => (c.memberFilter ? [c.memberFilter(d, nowMs)] : []));
  if (d.rfmClasses.length > 0 && rfmRunId === null) filters.push(NOBODY);
  const nonEmpty = filters.filter((f) => Object.keys(f).length > 0);
  const needs: FactNeeds = {};
  for (const c of active) {
    const n = c.needs?.(d, nowMs, rfmRunId);
    if (n?.rfm) needs.rfm = n.rfm;
    if (n?.orders)
      needs.orders = {
        sinceMs: Math.min(n.orders.sinceMs, needs.orders?.sinceMs ?? Number.POSITIVE_INFINITY),
        untilMs: nowMs,
      };
  }
  const tests = active.filter((c) => c.holds && (c !== SEGMENT_CRITERIA.rfmClasses || rfmRunId !== null));
  return {
    memberFilter:
      nonEmpty.length === 0
        ? {}
        : nonEmpty.length === 1
          ? (nonEmpty[0] as Record<string, unknown>)
          : { $and: nonEmpty },
    needs,
    streamed: tests.length > 0,
    holds: (m) => tests.every((c) => c.holds?.(d, m, nowMs) ?? true),
  };
}
