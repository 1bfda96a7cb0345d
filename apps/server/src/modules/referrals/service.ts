// Invite a friend (老带新). A member shares a short token; a member who registered moments ago accepts it and is
// bound to that first inviter (one per invitee, by a unique index). When the invitee's first paid order is
// recorded, both get the reward coupon, held for a few days and revoked if that order is refunded meanwhile.
// Abuse checks: no self-invites, only new members, a phone that was already a member voids the invite, a daily
// limit per inviter (a conditional counter), and device / phone-range / burst signals for the owner.
import { randomBytes } from 'node:crypto';
import type { ReferralOverview } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import type { PersonalDataVault } from '../../lib/personalData';
import type { Logger } from '../../logger';
import type { CouponService } from '../coupons/service';
import type { CouponSettingsService } from '../coupons/settings';
import { type Member, memberModel } from '../members/model';
import type { OrderDoc } from '../orders/model';
import { orderModel } from '../orders/model';
import { chinaDate } from '../points/expiry';
import { type ReferralDoc, referralModels } from './model';

const DAY_MS = 86_400_000;
const PHONE_PREFIX = 'phone-prefix';
/** Tokens use an alphabet without look-alikes (0/O, 1/I/L), 8 characters: ~10^12 combinations. */
const TOKEN_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TOKEN_LENGTH = 8;
const BURST_WINDOW_MS = 10 * 60_000;
const BURST_SIZE = 5;
const CLUSTER_SIZE = 3;
/** A reward stuck between "claimed" and "coupons issued" (a crash) is retried after this long. */
const REWARD_STALE_MS = 60_000;

function newToken(): string {
  const bytes = randomBytes(TOKEN_LENGTH);
  return Array.from(bytes, (b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join('');
}

type Who = Pick<Member, '_id' | 'memberNo' | 'nickname'>;

export class ReferralService {
  constructor(
    private readonly conn: Connection,
    private readonly coupons: CouponService,
    private readonly settings: CouponSettingsService,
    private readonly vault: PersonalDataVault,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private get models() {
    return referralModels(this.conn);
  }

  private daily() {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    return db.collection<{ _id: string; count: number }>('referral_daily_counts');
  }

  /** The member's token, created on first use. */
  async tokenOf(memberId: Types.ObjectId): Promise<string> {
    const { Tokens } = this.models;
    const existing = await Tokens.findOne({ memberId }).lean();
    if (existing) return existing._id;
    for (let attempt = 0; attempt < 5; attempt++) {
      const token = newToken();
      try {
        await Tokens.create({ _id: token, memberId, createdAt: new Date(this.now()) });
        return token;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // A concurrent first use made one already: that one is the member's.
        const made = await Tokens.findOne({ memberId }).lean();
        if (made) return made._id;
      }
    }
    throw new Error('could not draw an invite token');
  }

  async inviterOf(token: string): Promise<Member> {
    const row = /^[0-9A-Z]{4,24}$/.test(token) ? await this.models.Tokens.findById(token).lean() : null;
    const inviter = row && (await memberModel(this.conn).findById(row.memberId).lean<Member>());
    if (inviter?.status !== 'active') throw new AppError('REFERRAL_TOKEN_INVALID');
    return inviter;
  }

  async rewardTemplate() {
    const { referral } = await this.settings.get();
    if (!referral.enabled || !referral.rewardTemplateId) return null;
    return this.coupons.template(new Types.ObjectId(referral.rewardTemplateId)).catch(() => null);
  }

  /** The invitee accepts an invite: bound to this inviter, once, if every rule allows it. */
  async accept(
    inviteeId: Types.ObjectId,
    token: string,
    device?: string,
  ): Promise<{ referral: ReferralDoc; inviter: Member }> {
    const { referral: rules } = await this.settings.get();
    if (!rules.enabled) throw new AppError('REFERRAL_DISABLED');
    const inviter = await this.inviterOf(token);
    if (inviter._id.equals(inviteeId)) throw new AppError('REFERRAL_SELF');
    const { Referrals } = this.models;
    const already = await Referrals.findOne({ inviteeId }).lean<ReferralDoc>();
    if (already) {
      // The same invite accepted again (a double tap) is an answer, not an error.
      if (already.inviterId.equals(inviter._id) && already.status !== 'void') return { referral: already, inviter };
      throw new AppError('REFERRAL_ALREADY_BOUND');
    }
    const invitee = await memberModel(this.conn).findById(inviteeId).lean<Member>();
    if (invitee?.status !== 'active') throw new AppError('TOKEN_INVALID');
    const at = this.now();
    if (at - invitee.createdAt.getTime() > rules.acceptWithinHours * 3_600_000) throw new AppError('REFERRAL_NOT_NEW');
    // Known to the shop already (a POS customer, an import, an earlier purchase): not a new customer.
    if (invitee.externalIds.length > 0 || (await orderModel(this.conn).exists({ memberId: inviteeId })))
      throw new AppError('REFERRAL_NOT_NEW');

    const dayId = `${inviter._id.toHexString()}:${chinaDate(new Date(at))}`;
    try {
      await this.daily().updateOne(
        { _id: dayId, count: { $lt: rules.dailyLimit } },
        { $inc: { count: 1 } },
        { upsert: true },
      );
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new AppError('REFERRAL_INVITER_LIMIT');
      throw err;
    }
    const referral: ReferralDoc = {
      _id: new Types.ObjectId(),
      inviterId: inviter._id,
      inviteeId,
      token,
      status: 'bound',
      voidReason: null,
      deviceHash: device ? this.vault.blindIndex(device, 'device') : null,
      phonePrefixHash: null,
      phonePrefix: null,
      rewardOrderId: null,
      heldUntil: null,
      createdAt: new Date(at),
      rewardedAt: null,
    };
    try {
      await Referrals.collection.insertOne(referral);
    } catch (err) {
      await this.daily().updateOne({ _id: dayId }, { $inc: { count: -1 } });
      if ((err as { code?: number }).code === 11000) throw new AppError('REFERRAL_ALREADY_BOUND');
      throw err;
    }
    // The purchase flow reads this flag with the buyer (no extra query on every other purchase).
    await memberModel(this.conn).updateOne({ _id: inviteeId }, { $set: { referralPending: true } });
    return { referral, inviter };
  }

  /**
   * After a phone binding: a phone that was already a member means this was not a new customer, so the invite
   * is void; otherwise the phone's first 7 digits are kept for the owner's abuse view.
   */
  async phoneBound(inviteeId: Types.ObjectId, phone: string | null, linkedExisting: boolean): Promise<void> {
    const { Referrals } = this.models;
    if (linkedExisting) {
      const voided = await Referrals.updateOne(
        { inviteeId, status: 'bound' },
        { $set: { status: 'void', voidReason: 'phone_registered' } },
      );
      if (voided.modifiedCount)
        this.logger.info({ inviteeId: inviteeId.toHexString() }, 'referral void: phone was a member');
      return;
    }
    if (!phone) return;
    const prefix = phone.slice(0, 7);
    await Referrals.updateOne(
      { inviteeId },
      {
        $set: {
          phonePrefix: this.vault.seal(prefix, PHONE_PREFIX),
          phonePrefixHash: this.vault.blindIndex(prefix, PHONE_PREFIX),
        },
      },
    );
  }

  /** The invitee's first paid order: claim the reward once, then issue both coupons (each once, by key). */
  async onPaidOrder(order: Pick<OrderDoc, '_id' | 'memberId' | 'paidFen' | 'createdAt'>): Promise<void> {
    if (order.paidFen <= 0) return;
    const { Referrals } = this.models;
    const { referral: rules } = await this.settings.get();
    const heldUntil = new Date(this.now() + rules.holdDays * DAY_MS);
    const claimed = await Referrals.findOneAndUpdate(
      { inviteeId: order.memberId, status: 'bound' },
      { $set: { status: 'rewarding', rewardOrderId: order._id, heldUntil, rewardedAt: new Date(this.now()) } },
      { returnDocument: 'after' },
    ).lean<ReferralDoc>();
    await memberModel(this.conn).updateOne({ _id: order.memberId }, { $set: { referralPending: false } });
    if (claimed) await this.issueRewards(claimed);
  }

  private async issueRewards(referral: ReferralDoc): Promise<void> {
    const template = await this.rewardTemplate();
    const { Referrals } = this.models;
    if (!template) {
      // Referrals were switched off (or the template removed) after binding: nothing to give.
      await Referrals.updateOne({ _id: referral._id, status: 'rewarding' }, { $set: { status: 'rewarded' } });
      return;
    }
    for (const [side, memberId] of [
      ['inviter', referral.inviterId],
      ['invitee', referral.inviteeId],
    ] as const) {
      await this.coupons.issue({
        templateId: template._id,
        memberId,
        source: 'referral',
        key: `referral:${referral._id.toHexString()}:${side}`,
        enforceSupply: false,
        heldUntil: referral.heldUntil,
        referralId: referral._id,
      });
    }
    const held = referral.heldUntil !== null && referral.heldUntil.getTime() > this.now();
    await Referrals.updateOne(
      { _id: referral._id, status: 'rewarding' },
      { $set: { status: held ? 'held' : 'rewarded' } },
    );
  }

  /** A fully refunded order that earned a referral reward still on hold: the reward is revoked. */
  async onOrderRefunded(orderId: Types.ObjectId): Promise<void> {
    const { Referrals } = this.models;
    const referral = await Referrals.findOneAndUpdate(
      { rewardOrderId: orderId, status: { $in: ['held', 'rewarding'] } },
      { $set: { status: 'revoked' } },
      { returnDocument: 'after' },
    ).lean<ReferralDoc>();
    if (referral) await this.coupons.revokeHeld(referral._id);
  }

  /** Job: release rewards whose hold is over; finish any reward a crash left half issued. */
  async releaseDue(): Promise<{ released: number; retried: number }> {
    const { Referrals } = this.models;
    const at = new Date(this.now());
    const stuck = await Referrals.find({
      status: 'rewarding',
      rewardedAt: { $lt: new Date(at.getTime() - REWARD_STALE_MS) },
    }).lean<ReferralDoc[]>();
    for (const r of stuck) await this.issueRewards(r);
    const due = await Referrals.find({ status: 'held', heldUntil: { $lte: at } }).lean<ReferralDoc[]>();
    for (const r of due) {
      // Conditional: a refund that revoked it first wins.
      const moved = await Referrals.updateOne({ _id: r._id, status: 'held' }, { $set: { status: 'rewarded' } });
      if (moved.modifiedCount) await this.coupons.releaseHeld({ referralId: r._id });
    }
    return { released: due.length, retried: stuck.length };
  }

  /** The invitee's phone range (号段), opened for the owner's view. */
  phonePrefixOf(r: Pick<ReferralDoc, 'phonePrefix'>): string | null {
    return r.phonePrefix ? this.vault.open(r.phonePrefix, PHONE_PREFIX) : null;
  }

  // ---- Views ----
  async mine(memberId: Types.ObjectId) {
    const { Referrals } = this.models;
    const [invited, invitedBy] = await Promise.all([
      Referrals.find({ inviterId: memberId }).sort({ createdAt: -1 }).limit(200).lean<ReferralDoc[]>(),
      Referrals.findOne({ inviteeId: memberId, status: { $ne: 'void' } }).lean<ReferralDoc>(),
    ]);
    const people = await this.people([...invited.map((r) => r.inviteeId), ...(invitedBy ? [invitedBy.inviterId] : [])]);
    return { invited, invitedBy, people };
  }

  async people(ids: Types.ObjectId[]): Promise<Map<string, Who>> {
    if (ids.length === 0) return new Map();
    const found = await memberModel(this.conn)
      .find({ _id: { $in: ids } }, { memberNo: 1, nickname: 1 })
      .lean<Who[]>();
    return new Map(found.map((m) => [m._id.toHexString(), m]));
  }

  /** The owner's list: newest first, or the chain around one member (their inviter, invitees and theirs). */
  async list(input: { memberNo?: string; limit: number }): Promise<ReferralDoc[]> {
    const { Referrals } = this.models;
    if (!input.memberNo) return Referrals.find().sort({ createdAt: -1 }).limit(input.limit).lean<ReferralDoc[]>();
    const member = await memberModel(this.conn).findOne({ memberNo: input.memberNo }, { _id: 1 }).lean<Member>();
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    const up = await Referrals.find({ inviteeId: member._id }).lean<ReferralDoc[]>();
    const down = await Referrals.find({ inviterId: member._id }).limit(input.limit).lean<ReferralDoc[]>();
    const second = await Referrals.find({ inviterId: { $in: down.map((r) => r.inviteeId) } })
      .limit(input.limit)
      .lean<ReferralDoc[]>();
    return [...up, ...down, ...second];
  }

  /** Top inviters and suspected abuse over the last 30 days. */
  async overview(): Promise<ReferralOverview> {
    const since = new Date(this.now() - 30 * DAY_MS);
    const recent = await this.models.Referrals.find({ createdAt: { $gte: since } })
      .sort({ createdAt: 1 })
      .lean<ReferralDoc[]>();
    const byInviter = new Map<string, ReferralDoc[]>();
    for (const r of recent) {
      const list = byInviter.get(r.inviterId.toHexString()) ?? [];
      list.push(r);
      byInviter.set(r.inviterId.toHexString(), list);
    }
    const people = await this.people([...byInviter.keys()].map((id) => new Types.ObjectId(id)));
    const who = (id: string) => {
      const m = people.get(id);
      return { memberId: id, memberNo: m?.memberNo ?? '', nickname: m?.nickname ?? null };
    };
    const topInviters = [...byInviter.entries()]
      .map(([id, list]) => ({
        ...who(id),
        invitees: list.filter((r) => r.status !== 'void').length,
        rewarded: list.filter((r) => r.status === 'held' || r.status === 'rewarded').length,
      }))
      .sort((a, b) => b.invitees - a.invitees)
      .slice(0, 20);
    const suspicious: ReferralOverview['suspicious'] = [];
    for (const [id, list] of byInviter) {
      const devices = largestGroup(list.map((r) => r.deviceHash));
      if (devices >= CLUSTER_SIZE)
        suspicious.push({
          inviter: who(id),
          reason: 'shared_device',
          count: devices,
          detail: `${devices} 位受邀人使用同一设备`,
        });
      const prefixes = largestGroup(list.map((r) => r.phonePrefixHash));
      if (prefixes >= CLUSTER_SIZE) {
        const prefix = mostCommon(list.map((r) => this.phonePrefixOf(r)));
        suspicious.push({
          inviter: who(id),
          reason: 'phone_prefix',
          count: prefixes,
          detail: `${prefixes} 位受邀人手机号同属 ${prefix ?? '同一'} 号段`,
        });
      }
      const burst = largestBurst(list.map((r) => r.createdAt.getTime()));
      if (burst >= BURST_SIZE)
        suspicious.push({ inviter: who(id), reason: 'burst', count: burst, detail: `10 分钟内邀请 ${burst} 人` });
    }
    return { topInviters, suspicious: suspicious.sort((a, b) => b.count - a.count) };
  }
}

function largestGroup(values: (string | null)[]): number {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** The most invites inside any 10-minute window (times sorted ascending). */
function largestBurst(times: number[]): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) > BURST_WINDOW_MS) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
