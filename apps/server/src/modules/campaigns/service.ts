// Campaigns: assign the segment's members to treatment or control (a stable hash, so a rerun puts everyone in the
// same group), give the treatment group the offer, and measure revenue per member in the 30 days after against the
// control group. Passes run in the background (runDue, every minute), resumable from a cursor.
import { createHash } from 'node:crypto';
import {
  CAMPAIGN_RESULT_DAYS,
  type Campaign,
  type CampaignDryRun,
  CampaignInput,
  type CampaignResults,
  chinaDay,
  chinaHour,
  couponFace,
  DAY_MS,
  formatFen,
  type GroupResult,
} from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { withLease } from '../../jobs/lease';
import { duplicateCount } from '../../lib/duplicateKey';
import { couponModels } from '../coupons/model';
import type { CouponService } from '../coupons/service';
import type { LedgerService } from '../ledger/service';
import { messageModels } from '../messages/model';
import { type MessageService, quotaId } from '../messages/service';
import { orderModel } from '../orders/model';
import { expiryDay } from '../points/expiry';
import type { RulesService } from '../rules/service';
import type { SegmentService } from '../segments/service';
import { type CampaignDoc, type CampaignMemberDoc, campaignModels } from './model';

const BATCH = 500;
const ACT_CONCURRENCY = 8;

/** 0..9999 from (campaign, member): the same member always lands in the same group of a campaign. */
export function groupHashBp(campaignId: Types.ObjectId, memberId: Types.ObjectId): number {
  const digest = createHash('sha256').update(`${campaignId.toHexString()}:${memberId.toHexString()}`).digest();
  return digest.readUInt32BE(0) % 10_000;
}

const isControl = (c: Pick<CampaignDoc, '_id' | 'controlPct'>, memberId: Types.ObjectId) =>
  groupHashBp(c._id, memberId) < c.controlPct * 100;

export const actionKey = (campaignId: Types.ObjectId, memberId: Types.ObjectId) =>
  `campaign:${campaignId.toHexString()}:${memberId.toHexString()}`;

export class CampaignService {
  private readonly models;

  constructor(
    private readonly conn: Connection,
    private readonly segments: SegmentService,
    private readonly coupons: CouponService,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly messages: MessageService,
    private readonly now: () => number,
  ) {
    this.models = campaignModels(conn);
  }

  private async actionText(action: CampaignDoc['action']): Promise<string> {
    if (action.kind === 'points') return `赠送 ${action.points} 积分`;
    const t = await this.coupons.template(new Types.ObjectId(action.templateId));
    return `发放「${t.title}」`;
  }

  private async present(c: CampaignDoc): Promise<Campaign> {
    return {
      id: c._id.toHexString(),
      name: c.name,
      segmentId: c.segmentId.toHexString(),
      segmentName: c.segmentName,
      action: c.action,
      actionText: await this.actionText(c.action),
      schedule: c.schedule,
      controlPct: c.controlPct,
      notify: c.notify,
      status: c.status,
      treatment: c.treatment,
      control: c.control,
      createdAt: c.createdAt.toISOString(),
      startedAt: c.startedAt?.toISOString() ?? null,
      finishedAt: c.finishedAt?.toISOString() ?? null,
    };
  }

  async get(id: Types.ObjectId): Promise<CampaignDoc> {
    const c = await this.models.Campaigns.findById(id).lean<CampaignDoc>();
    if (!c) throw new AppError('NOT_FOUND', '没有这个活动', { resource: 'campaign' });
    return c;
  }

  async view(id: Types.ObjectId): Promise<Campaign> {
    return this.present(await this.get(id));
  }

  async list(): Promise<Campaign[]> {
    const rows = await this.models.Campaigns.find().sort({ _id: -1 }).limit(200).lean<CampaignDoc[]>();
    return Promise.all(rows.map((c) => this.present(c)));
  }

  /** Checks what the campaign names exists (segment, coupon template) before anything is saved. */
  private async check(input: CampaignInput) {
    const parsed = CampaignInput.parse(input);
    const segment = await this.segments.get(new Types.ObjectId(parsed.segmentId));
    if (parsed.action.kind === 'coupon') await this.coupons.template(new Types.ObjectId(parsed.action.templateId));
    if (parsed.schedule.kind === 'daily' && parsed.schedule.until < parsed.schedule.from)
      throw new AppError('VALIDATION_FAILED', '结束日期不能早于开始日期', [{ path: 'schedule.until' }]);
    return { parsed, segment };
  }

  async create(input: CampaignInput): Promise<Campaign> {
    const { parsed, segment } = await this.check(input);
    const doc = await this.models.Campaigns.create({
      ...parsed,
      segmentId: new Types.ObjectId(parsed.segmentId),
      segmentName: segment.name,
      status: 'draft',
    });
    return this.present(doc.toObject());
  }

  /** Who would be reached and what it could cost, without assigning or giving anything. */
  async dryRun(input: CampaignInput): Promise<CampaignDryRun> {
    const { parsed, segment } = await this.check(input);
    // The split of a saved campaign depends on its id; a draft's estimate uses a fixed one (same proportions).
    const probe = { _id: new Types.ObjectId('000000000000000000000000'), controlPct: parsed.controlPct };
    const kind = parsed.action.kind === 'coupon' ? 'campaign' : 'campaign_points';
    const templateId = this.messages.templateIdOf(kind);
    const { Quotas } = messageModels(this.conn);
    let members = 0;
    let control = 0;
    let reachable = 0;
    for await (const ids of this.segments.memberIds(segment.definition, { batchSize: BATCH })) {
      members += ids.length;
      const treated = ids.filter((id) => !isControl(probe, id));
      control += ids.length - treated.length;
      if (parsed.notify && treated.length)
        reachable += await Quotas.countDocuments({
          _id: { $in: treated.map((id) => quotaId(id, templateId)) },
          quota: { $gt: 0 },
        });
    }
    const treatment = members - control;
    let maxCostFen: number | null;
    let costNote: string;
    if (parsed.action.kind === 'points') {
      maxCostFen = treatment * parsed.action.points; // 100 points = ¥1, so a point is a fen
      costNote = `${treatment} 人 × ${parsed.action.points} 积分（100 积分 = ¥1）`;
    } else {
      const t = await this.coupons.template(new Types.ObjectId(parsed.action.templateId));
      const face = couponFace(t);
      if (t.effect.kind === 'cash_off') {
        maxCostFen = treatment * t.effect.valueFen;
        costNote = `${treatment} 张 × ${formatFen(t.effect.valueFen)}，全部核销时的上限`;
      } else {
        maxCostFen = null;
        costNote = `${treatment} 张「${face.headline}」，成本取决于订单金额`;
      }
    }
    return { members, treatment, control, reachableByMessage: reachable, maxCostFen, costNote };
  }

  async start(id: Types.ObjectId): Promise<Campaign> {
    const updated = await this.models.Campaigns.findOneAndUpdate(
      { _id: id, status: 'draft' },
      { $set: { status: 'scheduled' } },
      { returnDocument: 'after' },
    ).lean<CampaignDoc>();
    if (!updated) {
      const current = await this.get(id);
      if (current.status === 'scheduled') return this.present(current); // a repeated tap
      throw new AppError('CONFLICT', '只有草稿可以开始');
    }
    return this.present(updated);
  }

  async cancel(id: Types.ObjectId): Promise<Campaign> {
    const updated = await this.models.Campaigns.findOneAndUpdate(
      { _id: id, status: { $in: ['draft', 'scheduled', 'running'] } },
      { $set: { status: 'cancelled', finishedAt: new Date(this.now()) } },
      { returnDocument: 'after' },
    ).lean<CampaignDoc>();
    if (!updated) throw new AppError('CONFLICT', '活动已结束');
    return this.present(updated);
  }

  /** Runs every pass that is due now (the minutely job); each campaign under its own lease. */
  async runDue(): Promise<{ campaigns: number }> {
    const now = this.now();
    const today = chinaDay(now);
    const due = await this.models.Campaigns.find({ status: { $in: ['scheduled', 'running'] } }).lean<CampaignDoc[]>();
    let ran = 0;
    for (const c of due) {
      const s = c.schedule;
      const isDue =
        s.kind === 'once'
          ? Date.parse(s.at) <= now
          : today >= s.from && chinaHour(now) >= s.hour && c.lastPassDay !== today && today <= s.until;
      const expired = s.kind === 'daily' && today > s.until;
      if (expired) {
        await this.models.Campaigns.updateOne(
          { _id: c._id, status: c.status },
          { $set: { status: 'done', finishedAt: new Date(now) } },
        );
        continue;
      }
      if (!isDue) continue;
      const outcome = await withLease(this.conn, `campaign:${c._id.toHexString()}`, 10 * 60_000, this.now, () =>
        this.pass(c._id),
      );
      if (outcome.ran) ran++;
    }
    return { campaigns: ran };
  }

  /** One walk over the segment: assign new members, act on the new treatment members, move the cursor. */
  private async pass(id: Types.ObjectId): Promise<void> {
    const { Campaigns, Assigned } = this.models;
    let c = await this.get(id);
    if (c.status === 'scheduled')
      await Campaigns.updateOne({ _id: id }, { $set: { status: 'running', startedAt: new Date(this.now()) } });
    const segment = await this.segments.get(c.segmentId);
    const rules = await this.rules.get();
    for await (const ids of this.segments.memberIds(segment.definition, { after: c.cursor, batchSize: BATCH })) {
      c = await this.get(id);
      if (c.status === 'cancelled') return;
      const reachedAt = new Date(this.now());
      const rows = ids.map((memberId) => ({
        campaignId: id,
        memberId,
        group: isControl(c, memberId) ? ('control' as const) : ('treatment' as const),
        reachedAt,
      }));
      const known = new Set(
        (await Assigned.find({ campaignId: id, memberId: { $in: ids } }, { memberId: 1 }).lean()).map((r) =>
          r.memberId.toHexString(),
        ),
      );
      const fresh = rows.filter((r) => !known.has(r.memberId.toHexString()));
      try {
        if (fresh.length) await Assigned.insertMany(fresh, { ordered: false });
      } catch (err) {
        if (duplicateCount(err) === null) throw err;
      }
      // Acting on every treatment member of the batch (not only the fresh ones) finishes a pass that died between
      // assigning and giving: the action keys make a second gift impossible.
      const treated = await Assigned.find({ campaignId: id, memberId: { $in: ids }, group: 'treatment' }).lean<
        CampaignMemberDoc[]
      >();
      // A few at a time: each gift is a ledger post or a coupon insert, independent of the others.
      for (let i = 0; i < treated.length; i += ACT_CONCURRENCY)
        await Promise.all(
          treated.slice(i, i + ACT_CONCURRENCY).map((r) => this.act(c, r.memberId, rules.expiryMonths)),
        );
      const last = ids[ids.length - 1];
      const freshControl = fresh.filter((r) => r.group === 'control').length;
      await Campaigns.updateOne(
        { _id: id },
        { $set: { cursor: last }, $inc: { treatment: fresh.length - freshControl, control: freshControl } },
      );
    }
    const done = c.schedule.kind === 'once';
    await Campaigns.updateOne(
      { _id: id, status: 'running' },
      done
        ? { $set: { status: 'done', cursor: null, finishedAt: new Date(this.now()) } }
        : { $set: { cursor: null, lastPassDay: chinaDay(this.now()) } },
    );
  }

  private async act(c: CampaignDoc, memberId: Types.ObjectId, expiryMonths: number): Promise<void> {
    const key = actionKey(c._id, memberId);
    const at = new Date(this.now());
    if (c.action.kind === 'coupon') {
      const template = await this.coupons.template(new Types.ObjectId(c.action.templateId));
      const { coupon } = await this.coupons.issue(
        { templateId: template._id, memberId, source: 'push', key, enforceSupply: false },
        template,
      );
      if (c.notify)
        await this.messages.enqueue([
          {
            memberId,
            kind: 'campaign',
            dedupeKey: key,
            input: {
              title: coupon.title,
              faceFen: template.effect.kind === 'cash_off' ? template.effect.valueFen : 0,
              validUntil: coupon.validUntil,
              code: coupon.code,
              usage: c.name,
            },
          },
        ]);
      return;
    }
    const posted = await this.ledger.post({
      memberId,
      account: 'points',
      amount: c.action.points,
      reason: 'adjustment',
      idempotencyKey: key,
      note: `活动赠送：${c.name}`,
      refs: { campaignId: c._id.toHexString() },
      expiresOn: expiryDay(at, expiryMonths),
    });
    if (c.notify)
      await this.messages.enqueue([
        {
          memberId,
          kind: 'campaign_points',
          dedupeKey: key,
          input: { campaign: c.name, points: c.action.points, balance: posted.balances.points, at },
        },
      ]);
  }

  /** Revenue per member in the 30 days after each member was reached, treatment against control. */
  async results(id: Types.ObjectId): Promise<CampaignResults> {
    const c = await this.get(id);
    const { Assigned } = this.models;
    const sums = {
      treatment: { members: 0, buyers: 0, revenueFen: 0, daily: new Array<number>(CAMPAIGN_RESULT_DAYS).fill(0) },
      control: { members: 0, buyers: 0, revenueFen: 0, daily: new Array<number>(CAMPAIGN_RESULT_DAYS).fill(0) },
    };
    let couponCostFen = 0;
    const campaignCoupons = new Set(
      (
        await couponModels(this.conn)
          .Coupons.find({ key: { $regex: `^campaign:${c._id.toHexString()}:` } }, { _id: 1, status: 1 })
          .lean()
      ).map((x) => x._id.toHexString()),
    );
    const cursor = Assigned.find({ campaignId: id })
      .sort({ _id: 1 })
      .lean<CampaignMemberDoc[]>()
      .cursor({ batchSize: BATCH });
    let batch: CampaignMemberDoc[] = [];
    const settle = async () => {
      if (!batch.length) return;
      const byMember = new Map(batch.map((r) => [r.memberId.toHexString(), r]));
      const earliest = Math.min(...batch.map((r) => r.reachedAt.getTime()));
      const orders = await orderModel(this.conn)
        .find(
          {
            memberId: { $in: batch.map((r) => r.memberId) },
            createdAt: { $gte: new Date(earliest) },
            status: { $ne: 'pending' },
          },
          { memberId: 1, createdAt: 1, paidFen: 1, refundedFen: 1, coupons: 1 },
        )
        .lean();
      const bought = new Set<string>();
      for (const o of orders) {
        const r = byMember.get(o.memberId.toHexString());
        if (!r) continue;
        const day = Math.floor((o.createdAt.getTime() - r.reachedAt.getTime()) / DAY_MS);
        if (day < 0 || day >= CAMPAIGN_RESULT_DAYS) continue;
        const g = sums[r.group];
        const net = o.paidFen - o.refundedFen;
        g.revenueFen += net;
        g.daily[day] = (g.daily[day] ?? 0) + net;
        bought.add(o.memberId.toHexString());
        for (const used of o.coupons)
          if (campaignCoupons.has(used.couponId.toHexString())) couponCostFen += used.discountFen;
      }
      for (const r of batch) {
        sums[r.group].members++;
        if (bought.has(r.memberId.toHexString())) sums[r.group].buyers++;
      }
      batch = [];
    };
    for await (const r of cursor) {
      batch.push(r);
      if (batch.length >= BATCH) await settle();
    }
    await settle();

    const group = (g: (typeof sums)['treatment']): GroupResult => ({
      members: g.members,
      buyers: g.buyers,
      revenueFen: g.revenueFen,
      revenuePerMemberFen: g.members ? Math.floor(g.revenueFen / g.members) : 0,
      conversionBp: g.members ? Math.floor((g.buyers * 10_000) / g.members) : 0,
    });
    const treatment = group(sums.treatment);
    const control = group(sums.control);
    // Per-member figures as exact fractions, so rounding happens once at the end.
    const perT = sums.treatment.members ? sums.treatment.revenueFen / sums.treatment.members : 0;
    const perC = sums.control.members ? sums.control.revenueFen / sums.control.members : 0;
    const upliftBp = sums.control.members && perC > 0 ? Math.round(((perT - perC) / perC) * 10_000) : null;
    const incrementalRevenueFen = sums.control.members ? Math.round((perT - perC) * sums.treatment.members) : 0;
    const pointsCostFen = c.action.kind === 'points' ? sums.treatment.members * c.action.points : 0;
    const costFen = couponCostFen + pointsCostFen;
    const issued = c.action.kind === 'coupon' ? campaignCoupons.size : 0;
    const redeemed =
      c.action.kind === 'coupon'
        ? await couponModels(this.conn).Coupons.countDocuments({
            key: { $regex: `^campaign:${c._id.toHexString()}:` },
            status: 'used',
          })
        : 0;
    const messagesSent = await messageModels(this.conn).Outbox.countDocuments({
      dedupeKey: { $regex: `^campaign:${c._id.toHexString()}:` },
      status: 'sent',
    });
    return {
      campaignId: c._id.toHexString(),
      asOf: new Date(this.now()).toISOString(),
      reached: treatment.members,
      messagesSent,
      couponsIssued: issued,
      couponsRedeemed: redeemed,
      redemptionBp: issued ? Math.floor((redeemed * 10_000) / issued) : null,
      treatment,
      control,
      upliftBp,
      incrementalRevenueFen,
      costFen,
      roiBp: costFen > 0 ? Math.round(((incrementalRevenueFen - costFen) / costFen) * 10_000) : null,
      daily: sums.treatment.daily.map((t, day) => ({
        day,
        treatmentFen: sums.treatment.members ? Math.floor(t / sums.treatment.members) : 0,
        controlFen: sums.control.members ? Math.floor((sums.control.daily[day] ?? 0) / sums.control.members) : 0,
      })),
    };
  }
}
