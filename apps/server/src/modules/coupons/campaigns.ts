// Pushing a coupon to many members: a campaign row (one per idempotency key) resolves its target to member ids and
// issues in batches, saving progress after each. Every coupon's key is (campaign, member), so a campaign that is
// resumed after a crash, or run by two server copies at once, still gives each member at most one.
import type { IssueTarget } from '@member-hub/shared';
import { IssueTarget as IssueTargetSchema } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { withLease } from '../../jobs/lease';
import type { Logger } from '../../logger';
import { memberModel } from '../members/model';
import { orderModel } from '../orders/model';
import { type CouponIssueDoc, couponModels } from './model';
import type { CouponService } from './service';

const BATCH = 200;
/** Issues in flight at once within a batch: enough to overlap round trips, few enough to leave the till fast. */
const PARALLEL = 8;
const LEASE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export class CouponCampaigns {
  constructor(
    private readonly conn: Connection,
    private readonly coupons: CouponService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private get Issues() {
    return couponModels(this.conn).Issues;
  }

  async create(input: {
    templateId: Types.ObjectId;
    target: IssueTarget;
    key: string;
    createdBy: string;
  }): Promise<{ issue: CouponIssueDoc; replayed: boolean }> {
    const template = await this.coupons.template(input.templateId);
    if (!template.active) throw new AppError('COUPON_NOT_CLAIMABLE', '该优惠券已停用');
    const doc: CouponIssueDoc = {
      _id: new Types.ObjectId(),
      key: input.key,
      templateId: template._id,
      templateTitle: template.title,
      target: IssueTargetSchema.parse(input.target),
      status: 'queued',
      total: null,
      issued: 0,
      skipped: 0,
      cursor: null,
      createdBy: input.createdBy,
      createdAt: new Date(this.now()),
      heartbeatAt: null,
      finishedAt: null,
      error: null,
    };
    try {
      await this.Issues.collection.insertOne(doc);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await this.Issues.findOne({ key: input.key }).lean<CouponIssueDoc>();
      if (!existing) throw err;
      if (!existing.templateId.equals(input.templateId))
        throw new AppError('ORDER_CONFLICT', '该发券单号已用于其他优惠券');
      return { issue: existing, replayed: true };
    }
    return { issue: doc, replayed: false };
  }

  async get(id: Types.ObjectId): Promise<CouponIssueDoc> {
    const issue = await this.Issues.findById(id).lean<CouponIssueDoc>();
    if (!issue) throw new AppError('NOT_FOUND', undefined, { resource: 'coupon issue' });
    return issue;
  }

  list(): Promise<CouponIssueDoc[]> {
    return this.Issues.find().sort({ createdAt: -1 }).limit(100).lean<CouponIssueDoc[]>();
  }

  /** Starts a campaign in the background; the scheduler picks up any that were interrupted. */
  kick(id: Types.ObjectId): void {
    this.run(id).catch((err) => this.logger.error({ err, issueId: id.toHexString() }, 'coupon issue failed'));
  }

  /** Runs every queued or interrupted campaign (each under its own lease). */
  async resumeAll(): Promise<number> {
    const open = await this.Issues.find({ status: { $in: ['queued', 'running'] } }, { _id: 1 }).lean<
      { _id: Types.ObjectId }[]
    >();
    for (const { _id } of open) await this.run(_id);
    return open.length;
  }

  async run(id: Types.ObjectId): Promise<void> {
    await withLease(this.conn, `coupon-issue:${id.toHexString()}`, LEASE_MS, this.now, () => this.process(id));
  }

  private async process(id: Types.ObjectId): Promise<void> {
    const issue = await this.get(id);
    if (issue.status === 'done' || issue.status === 'failed') return;
    const members = await this.resolve(issue.target);
    const todo = issue.cursor
      ? members.filter((m) => m.toHexString() > (issue.cursor as Types.ObjectId).toHexString())
      : members;
    await this.Issues.updateOne(
      { _id: id },
      { $set: { status: 'running', total: members.length, heartbeatAt: new Date(this.now()) } },
    );
    let soldOut = false;
    for (let i = 0; i < todo.length; i += BATCH) {
      const batch = todo.slice(i, i + BATCH);
      let issued = 0;
      let skipped = 0;
      if (soldOut) skipped = batch.length;
      else {
        for (let j = 0; j < batch.length; j += PARALLEL) {
          const results = await Promise.all(
            batch.slice(j, j + PARALLEL).map((memberId) =>
              this.coupons
                .issue({
                  templateId: issue.templateId,
                  memberId,
                  source: 'push',
                  key: `push:${id.toHexString()}:${memberId.toHexString()}`,
                  enforceSupply: true,
                })
                .then(({ replayed }) => (replayed ? 'replayed' : 'issued'))
                .catch((err: unknown) => {
                  const code = (err as { code?: string }).code;
                  if (code === 'COUPON_SOLD_OUT') soldOut = true;
                  if (code === 'COUPON_SOLD_OUT' || code === 'COUPON_LIMIT_REACHED') return 'skipped';
                  throw err;
                }),
            ),
          );
          // A replayed member was counted by the run that issued it.
          issued += results.filter((r) => r === 'issued').length;
          skipped += results.filter((r) => r === 'skipped').length;
        }
      }
      const last = batch[batch.length - 1];
      await this.Issues.updateOne(
        { _id: id },
        { $inc: { issued, skipped }, $set: { cursor: last, heartbeatAt: new Date(this.now()) } },
      );
    }
    await this.Issues.updateOne({ _id: id }, { $set: { status: 'done', finishedAt: new Date(this.now()) } });
  }

  /** The target's member ids, sorted (the cursor relies on the order). */
  async resolve(target: IssueTarget): Promise<Types.ObjectId[]> {
    const t = IssueTargetSchema.parse(target);
    const Members = memberModel(this.conn);
    if (t.kind === 'members') {
      const found = await Members.find({ memberNo: { $in: t.memberNos }, status: 'active' }, { _id: 1 })
        .sort({ _id: 1 })
        .lean<{ _id: Types.ObjectId }[]>();
      return found.map((m) => m._id);
    }
    const filter: Record<string, unknown> = { status: 'active' };
    if (t.tiers.length) filter.tier = { $in: t.tiers };
    const candidates = await Members.find(filter, { _id: 1, createdAt: 1 })
      .sort({ _id: 1 })
      .lean<{ _id: Types.ObjectId; createdAt: Date }[]>();
    if (t.inactiveDays === null && t.activeWithinDays === null && t.minSpendFen === null)
      return candidates.map((m) => m._id);
    // Last visit and total spend, from the orders (paid, net of refunds).
    const stats = await orderModel(this.conn).aggregate<{ _id: Types.ObjectId; lastAt: Date; spendFen: number }>([
      { $match: { status: { $ne: 'pending' } } },
      {
        $group: {
          _id: '$memberId',
          lastAt: { $max: '$createdAt' },
          spendFen: { $sum: { $subtract: ['$paidFen', '$refundedFen'] } },
        },
      },
    ]);
    const byMember = new Map(stats.map((s) => [s._id.toHexString(), s]));
    const now = this.now();
    return candidates
      .filter((m) => {
        const s = byMember.get(m._id.toHexString());
        // A member who never bought counts as last seen when they joined.
        const lastAt = (s?.lastAt ?? m.createdAt).getTime();
        if (t.inactiveDays !== null && now - lastAt < t.inactiveDays * DAY_MS) return false;
        if (t.activeWithinDays !== null && (!s || now - lastAt > t.activeWithinDays * DAY_MS)) return false;
        if (t.minSpendFen !== null && (s?.spendFen ?? 0) < t.minSpendFen) return false;
        return true;
      })
      .map((m) => m._id);
  }
}
