// Tiers follow growth value: an upgrade happens the moment a threshold is reached, and every change is kept.
import type { LoyaltyRules } from '@member-hub/shared';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import { isDuplicateKey } from '../../lib/duplicateKey';
import { assertActiveMember, type Member, memberModel } from '../members/model';

export interface TierChange {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  from: string;
  to: string;
  reason: 'growth' | 'review' | 'manual' | 'import';
  note: string;
  dedupeKey: string;
  at: Date;
}

const TierChangeSchema = new Schema<TierChange>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    from: String,
    to: String,
    reason: String,
    note: String,
    dedupeKey: { type: String, required: true },
    at: Date,
  },
  { versionKey: false },
);
TierChangeSchema.index({ dedupeKey: 1 }, { unique: true });
TierChangeSchema.index({ memberId: 1, at: -1 });

export function tierChangeModel(conn: Connection): Model<TierChange> {
  return (
    (conn.models.TierChange as Model<TierChange> | undefined) ??
    conn.model<TierChange>('TierChange', TierChangeSchema, 'tier_changes')
  );
}

export function tierFor(growth: number, rules: LoyaltyRules): LoyaltyRules['tiers'][number] {
  let reached = rules.tiers[0];
  for (const tier of rules.tiers) if (growth >= tier.threshold) reached = tier;
  if (!reached) throw new Error('no tiers configured');
  return reached;
}

export function tierRank(name: string, rules: LoyaltyRules): number {
  return rules.tiers.findIndex((t) => t.name === name);
}

export class TierService {
  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Raises the member's tier if their growth now reaches a higher one; never lowers it (that is the review's job).
   * `known` is the member's tier and growth as the caller's own update just returned them (saves a read).
   */
  async upgradeIfReached(
    memberId: Types.ObjectId,
    rules: LoyaltyRules,
    dedupeKey: string,
    known?: Pick<Member, 'tier' | 'growth'>,
  ): Promise<string> {
    const member = known ?? (await memberModel(this.conn).findById(memberId, { tier: 1, growth: 1 }).lean<Member>());
    if (!member) throw new Error(`member ${memberId.toHexString()} vanished`);
    const target = tierFor(member.growth, rules);
    if (tierRank(target.name, rules) <= tierRank(member.tier, rules)) return member.tier;
    // Conditional on the tier we read, so two purchases crossing the line at once upgrade (and log) once. Straight
    // through the driver, complete documents: this is on the path of every purchase that crosses a line.
    const at = new Date(this.now());
    const changed = await memberModel(this.conn).collection.updateOne(
      { _id: memberId, tier: member.tier },
      { $set: { tier: target.name, tierSince: at, tierWarnedFor: null, updatedAt: at } },
    );
    if (changed.modifiedCount === 1) {
      const change: TierChange = {
        _id: new Types.ObjectId(),
        memberId,
        from: member.tier,
        to: target.name,
        reason: 'growth',
        note: `成长值达到 ${target.threshold}`,
        dedupeKey,
        at,
      };
      await tierChangeModel(this.conn)
        .collection.insertOne(change)
        .catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
        });
    }
    return target.name;
  }

  /** An owner's decision, with a reason: recorded like any other tier change, and audited by the caller. */
  async grant(
    memberId: Types.ObjectId,
    tier: string,
    note: string,
    dedupeKey: string,
  ): Promise<{ from: string; to: string }> {
    const member = await memberModel(this.conn).findById(memberId, { tier: 1, status: 1 }).lean<Member>();
    assertActiveMember(member);
    await memberModel(this.conn).updateOne(
      { _id: memberId },
      { $set: { tier, tierSince: new Date(this.now()), tierWarnedFor: null } },
    );
    if (member.tier !== tier) {
      await tierChangeModel(this.conn).create({
        memberId,
        from: member.tier,
        to: tier,
        reason: 'manual',
        note,
        dedupeKey,
        at: new Date(this.now()),
      });
    }
    return { from: member.tier, to: tier };
  }

  history(memberId: Types.ObjectId): Promise<TierChange[]> {
    return tierChangeModel(this.conn).find({ memberId }).sort({ at: -1 }).limit(50).lean<TierChange[]>();
  }
}
