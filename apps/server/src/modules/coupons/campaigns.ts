// Pushing a coupon to many members: a campaign row (one per idempotency key) resolves its target to member ids and
// issues in batches, saving progress after each. Every coupon's key is (campaign, member), so a campaign that is
// resumed after a crash, or run by two server copies at once, still gives each member at most one.
import type { IssueTarget, IssueTargetRecord, SegmentDefinition, SegmentSnapshot } from '@member-hub/shared';
import { IssueTarget as IssueTargetSchema } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { withLease } from '../../jobs/lease';
import type { Logger } from '../../logger';
import { memberModel } from '../members/model';
import { type CouponIssueDoc, couponModels } from './model';
import type { CouponService } from './service';

const BATCH = 200;
/** Issues in flight at once within a batch: enough to overlap round trips, few enough to leave the till fast. */
const PARALLEL = 8;
const LEASE_MS = 10 * 60_000;

/** What a push needs of segments (modules/segments/service.ts). */
export interface SegmentMembers {
  /** The segment as it is now; 404 when there is no such segment. */
  snapshot(id: Types.ObjectId): Promise<SegmentSnapshot>;
  count(definition: SegmentDefinition): Promise<number>;
  /** Member ids in ascending order, in batches, after `after` when given. */
  memberIds(
    definition: SegmentDefinition,
    options: { after?: Types.ObjectId | null; batchSize?: number },
  ): AsyncIterable<Types.ObjectId[]>;
}

/** Who a push goes to: how many, and their ids in ascending order from where it stopped. */
interface ResolvedTarget {
  total: number;
  batches: AsyncIterable<Types.ObjectId[]>;
}

export class CouponCampaigns {
  constructor(
    private readonly conn: Connection,
    private readonly coupons: CouponService,
    private readonly segments: SegmentMembers,
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
    const asked = IssueTargetSchema.parse(input.target);
    // The segment as it is now goes on the row: later edits of the segment change neither who this push reaches
    // (a resumed run reads the copy) nor what the push list says it was for.
    const target: IssueTargetRecord =
      asked.kind === 'segment'
        ? { ...asked, segment: await this.segments.snapshot(new Types.ObjectId(asked.segmentId)) }
        : asked;
    const doc: CouponIssueDoc = {
      _id: new Types.ObjectId(),
      key: input.key,
      templateId: template._id,
      templateTitle: template.title,
      target,
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
    const target = await this.resolve(issue.target as IssueTargetRecord, issue.cursor);
    if (!target) {
      // A row from before segments (the old ad-hoc filter): nothing to resolve it with any more.
      await this.Issues.updateOne(
        { _id: id },
        {
          $set: { status: 'failed', error: '该发放对象已不再支持，请按分群重新发放', finishedAt: new Date(this.now()) },
        },
      );
      return;
    }
    await this.Issues.updateOne(
      { _id: id },
      { $set: { status: 'running', total: target.total, heartbeatAt: new Date(this.now()) } },
    );
    let soldOut = false;
    for await (const batch of target.batches) {
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

  /**
   * The target's members in ascending id order (the cursor relies on it), after `after` when resuming; null for
   * a kind of target this version no longer has.
   */
  private async resolve(target: IssueTargetRecord, after: Types.ObjectId | null): Promise<ResolvedTarget | null> {
    if (target.kind === 'members') {
      const found = await memberModel(this.conn)
        .find({ memberNo: { $in: target.memberNos }, status: 'active' }, { _id: 1 })
        .sort({ _id: 1 })
        .lean<{ _id: Types.ObjectId }[]>();
      const ids = found.map((m) => m._id);
      const todo = after ? ids.filter((m) => m.toHexString() > after.toHexString()) : ids;
      return { total: ids.length, batches: inBatches(todo, BATCH) };
    }
    if (target.kind === 'segment') {
      const definition =
        target.segment?.definition ?? (await this.segments.snapshot(new Types.ObjectId(target.segmentId))).definition;
      return {
        total: await this.segments.count(definition),
        batches: this.segments.memberIds(definition, { after, batchSize: BATCH }),
      };
    }
    return null;
  }
}

async function* inBatches<T>(items: T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
