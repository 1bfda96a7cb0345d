// The yearly tier review: on the anniversary of reaching (or last keeping) a tier, the member keeps it if the
// growth earned in the past 12 months meets its threshold, else drops exactly one tier. 30 days before a review
// that would drop them, a warning is recorded once (the subscription-message trigger sends it in a later issue).
import type { LoyaltyRules } from '@member-hub/shared';
import type { Connection } from 'mongoose';
import type { AuditService } from '../modules/audit/service';
import { ledgerModel } from '../modules/ledger/model';
import { type Member, memberModel } from '../modules/members/model';
import type { RulesService } from '../modules/rules/service';
import { tierChangeModel, tierRank } from '../modules/tiers/service';
import { withLease } from './lease';

const WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

function addYears(at: Date, years: number): Date {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

export interface TierReviewRun {
  ran: boolean;
  reviewed: number;
  kept: number;
  dropped: number;
  warned: number;
}

export async function reviewTiers(deps: {
  conn: Connection;
  rules: RulesService;
  audit: AuditService;
  now: () => number;
}): Promise<TierReviewRun> {
  const outcome = await withLease(deps.conn, 'reviewTiers', 10 * 60 * 1000, deps.now, async () => {
    const rules = await deps.rules.get();
    const now = new Date(deps.now());
    const run = { ran: true, reviewed: 0, kept: 0, dropped: 0, warned: 0 };
    const lowest = rules.tiers[0]?.name;
    // Anyone above the lowest tier whose review falls within the warning window.
    const cursor = memberModel(deps.conn)
      .find({
        status: 'active',
        tier: { $ne: lowest },
        tierSince: { $lte: addYears(new Date(now.getTime() + WARNING_DAYS * DAY_MS), -1) },
      })
      .lean<Member[]>()
      .cursor();
    for await (const member of cursor) {
      if (!member.tierSince) continue;
      const due = addYears(member.tierSince, 1);
      const rank = tierRank(member.tier, rules);
      const tier = rules.tiers[rank];
      if (!tier) continue;
      const earned = await growthSince(deps.conn, member, addYears(due, -1));
      if (due > now) {
        const dueDay = due.toISOString().slice(0, 10);
        if (earned < tier.threshold && member.tierWarnedFor !== dueDay) {
          await memberModel(deps.conn).updateOne({ _id: member._id }, { $set: { tierWarnedFor: dueDay } });
          run.warned++;
        }
        continue;
      }
      run.reviewed++;
      if (earned >= tier.threshold) {
        await memberModel(deps.conn).updateOne(
          { _id: member._id, tierSince: member.tierSince },
          { $set: { tierSince: due, tierWarnedFor: null } },
        );
        run.kept++;
        continue;
      }
      await dropOne(deps, member, rules, rank, due);
      run.dropped++;
    }
    return run;
  });
  return outcome.ran ? outcome.result : { ran: false, reviewed: 0, kept: 0, dropped: 0, warned: 0 };
}

/** Growth earned (net of refunds) in the 12 months before the review. */
async function growthSince(conn: Connection, member: Member, since: Date): Promise<number> {
  const [row] = await ledgerModel(conn).aggregate<{ total: number }>([
    {
      $match: {
        memberId: member._id,
        account: 'growth',
        reason: { $in: ['order', 'refund_reversal', 'adjustment'] },
        createdAt: { $gte: since },
      },
    },
    { $group: { _id: null, total: { $sum: '$amount' } } },
  ]);
  return row?.total ?? 0;
}

async function dropOne(
  deps: { conn: Connection; audit: AuditService; now: () => number },
  member: Member,
  rules: LoyaltyRules,
  rank: number,
  due: Date,
): Promise<void> {
  const lower = rules.tiers[rank - 1];
  if (!lower) return;
  // Conditional on the state reviewed, so a second runner (or a rerun) cannot drop the member twice.
  const changed = await memberModel(deps.conn).updateOne(
    { _id: member._id, tier: member.tier, tierSince: member.tierSince },
    { $set: { tier: lower.name, tierSince: due, tierWarnedFor: null } },
  );
  if (changed.modifiedCount === 0) return;
  const dedupeKey = `review:${member._id.toHexString()}:${due.toISOString().slice(0, 10)}`;
  await tierChangeModel(deps.conn)
    .create({
      memberId: member._id,
      from: member.tier,
      to: lower.name,
      reason: 'review',
      note: '年度等级复核未达标，降一级',
      dedupeKey,
      at: new Date(deps.now()),
    })
    .catch((err: { code?: number }) => {
      if (err.code !== 11000) throw err;
    });
}
