// Merging two members into one survivor. Each step is idempotent and the flow's progress is kept in
// member_merges, so a crash after any step is healed by running the same merge again: same end state,
// no value lost or doubled.
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { AppError } from '../errors';
import { memberOwnedCollections } from '../lib/memberOwned';
import type { SealedValue } from '../lib/personalData';
import type { Actor } from '../modules/audit/model';
import type { AuditService } from '../modules/audit/service';
import { identityKey } from '../modules/identity/keys';
import { type LedgerAccount, LedgerAccounts } from '../modules/ledger/model';
import type { LedgerService } from '../modules/ledger/service';
import { type Member, memberModel } from '../modules/members/model';

export const MERGE_STEPS = [
  'lockSource',
  'captureSource',
  'moveIdentities',
  'moveBalances',
  'moveReferences',
  'finish',
] as const;
export type MergeStep = (typeof MERGE_STEPS)[number];

interface Captured {
  keys: string[];
  wechat: Member['wechat'];
  unionid: string | null;
  phone: SealedValue | null;
  externalIds: Member['externalIds'];
  nickname: string | null;
  avatarUrl: string | null;
  birthday: string | null;
  balances: Record<LedgerAccount, number>;
  /** The source's unspent points by the day they expire: they keep that day at the survivor. */
  pointsByExpiry?: Record<string, number>;
}

interface MergeRecord {
  _id: string;
  sourceId: Types.ObjectId;
  targetId: Types.ObjectId;
  reason: string;
  actor: Actor;
  state: 'running' | 'done';
  steps: MergeStep[];
  captured?: Captured;
  createdAt: Date;
  doneAt: Date | null;
}

const MergeSchema = new Schema<MergeRecord>(
  {
    _id: String,
    sourceId: { type: Schema.Types.ObjectId, required: true },
    targetId: { type: Schema.Types.ObjectId, required: true },
    reason: String,
    actor: { type: Schema.Types.Mixed },
    state: { type: String, enum: ['running', 'done'] },
    steps: [String],
    captured: { type: Schema.Types.Mixed },
    createdAt: Date,
    doneAt: { type: Date, default: null },
  },
  { versionKey: false },
);
MergeSchema.index({ sourceId: 1 }, { unique: true });

function mergeModel(conn: Connection): Model<MergeRecord> {
  return (
    (conn.models.MemberMerge as Model<MergeRecord> | undefined) ??
    conn.model<MergeRecord>('MemberMerge', MergeSchema, 'member_merges')
  );
}

export interface MergeOutcome {
  mergeId: string;
  survivorId: Types.ObjectId;
  mergedId: Types.ObjectId;
}

export interface MergeHooks {
  /** Test seam: called after each step completes; throwing here simulates a crash at that point. */
  afterStep?: (step: MergeStep) => void;
}

export class MergeMembersFlow {
  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  async run(
    input: { sourceId: Types.ObjectId; targetId: Types.ObjectId; reason: string; actor: Actor },
    hooks: MergeHooks = {},
  ): Promise<MergeOutcome> {
    const { sourceId, targetId } = input;
    if (sourceId.equals(targetId)) throw new AppError('MERGE_INVALID', '不能与自己合并');
    const mergeId = `${sourceId.toHexString()}>${targetId.toHexString()}`;
    const Merges = mergeModel(this.conn);
    const existing = await Merges.findOne({ sourceId }).lean<MergeRecord>();
    if (existing && existing._id !== mergeId) throw new AppError('MERGE_INVALID', '该会员已合并到其他会员');
    if (existing?.state === 'done') return { mergeId, survivorId: targetId, mergedId: sourceId };
    if (!existing) await this.validate(sourceId, targetId);
    await Merges.updateOne(
      { _id: mergeId },
      {
        $setOnInsert: {
          sourceId,
          targetId,
          reason: input.reason,
          actor: input.actor,
          state: 'running',
          steps: [],
          createdAt: new Date(this.now()),
        },
      },
      { upsert: true },
    );
    const steps: Record<MergeStep, () => Promise<void>> = {
      lockSource: () => this.lockSource(sourceId, targetId),
      captureSource: () => this.captureSource(mergeId, sourceId),
      moveIdentities: async () => this.moveIdentities(sourceId, targetId, await this.captured(mergeId)),
      moveBalances: async () => this.moveBalances(mergeId, sourceId, targetId, await this.captured(mergeId)),
      moveReferences: () => this.moveReferences(sourceId, targetId),
      finish: () => this.finish(mergeId, sourceId, targetId, input),
    };
    for (const step of MERGE_STEPS) {
      await steps[step]();
      await Merges.updateOne({ _id: mergeId }, { $addToSet: { steps: step } });
      hooks.afterStep?.(step);
    }
    return { mergeId, survivorId: targetId, mergedId: sourceId };
  }

  private async validate(sourceId: Types.ObjectId, targetId: Types.ObjectId): Promise<void> {
    const Members = memberModel(this.conn);
    const [source, target] = await Promise.all([
      Members.findById(sourceId).lean<Member>(),
      Members.findById(targetId).lean<Member>(),
    ]);
    if (!source || !target) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    if (target.status !== 'active') throw new AppError('MERGE_INVALID', '目标会员不是正常状态');
    if (source.status !== 'active') throw new AppError('MERGE_INVALID', '被合并会员不是正常状态');
  }

  /** From now on no value can arrive at the source: ledger posts require status 'active'. */
  private async lockSource(sourceId: Types.ObjectId, targetId: Types.ObjectId): Promise<void> {
    const Members = memberModel(this.conn);
    await Members.updateOne({ _id: sourceId, status: 'active' }, { $set: { status: 'merging', mergedInto: targetId } });
    const source = await Members.findById(sourceId, { status: 1, mergedInto: 1 }).lean<Member>();
    if (!source?.mergedInto?.equals(targetId)) throw new AppError('MERGE_INVALID', '被合并会员状态已改变');
  }

  /** Taken once, after the lock: later steps use these numbers, so a rerun never moves value twice. */
  private async captureSource(mergeId: string, sourceId: Types.ObjectId): Promise<void> {
    const source = await memberModel(this.conn).findById(sourceId).lean<Member>();
    if (!source) throw new AppError('NOT_FOUND');
    const balances = {} as Record<LedgerAccount, number>;
    for (const account of Object.keys(LedgerAccounts) as LedgerAccount[])
      balances[account] = source[LedgerAccounts[account]];
    const captured: Captured = {
      keys: source.identityKeys,
      wechat: source.wechat,
      unionid: source.unionid,
      phone: source.phone,
      externalIds: source.externalIds,
      nickname: source.nickname,
      avatarUrl: source.avatarUrl,
      birthday: source.birthday,
      balances,
      pointsByExpiry: unspentByExpiry(source.pointsByExpiry ?? {}, source.pointsConsumed ?? 0),
    };
    await mergeModel(this.conn).updateOne({ _id: mergeId, captured: { $exists: false } }, { $set: { captured } });
  }

  private async captured(mergeId: string): Promise<Captured> {
    const record = await mergeModel(this.conn).findById(mergeId).lean<MergeRecord>();
    if (!record?.captured) throw new Error(`merge ${mergeId} has no captured source`);
    return record.captured;
  }

  /** Keys leave the source before they reach the target (the unique index allows no overlap); a rerun completes both. */
  private async moveIdentities(sourceId: Types.ObjectId, targetId: Types.ObjectId, c: Captured): Promise<void> {
    const Members = memberModel(this.conn);
    await Members.updateOne(
      { _id: sourceId },
      { $addToSet: { identityKeys: identityKey.retired(sourceId.toHexString()) } },
    );
    await Members.updateOne(
      { _id: sourceId },
      { $pull: { identityKeys: { $in: c.keys } }, $set: { wechat: [], unionid: null, externalIds: [], phone: null } },
    );
    await Members.updateOne(
      { _id: targetId },
      {
        $addToSet: {
          identityKeys: { $each: c.keys },
          wechat: { $each: c.wechat },
          externalIds: { $each: c.externalIds },
        },
      },
    );
    // Fill what the survivor lacks; never overwrite what it has.
    const fillIns: [string, unknown][] = [
      ['unionid', c.unionid],
      ['phone', c.phone],
      ['nickname', c.nickname],
      ['avatarUrl', c.avatarUrl],
      ['birthday', c.birthday],
    ];
    for (const [field, value] of fillIns) {
      if (value != null) await Members.updateOne({ _id: targetId, [field]: null }, { $set: { [field]: value } });
    }
  }

  private async moveBalances(
    mergeId: string,
    sourceId: Types.ObjectId,
    targetId: Types.ObjectId,
    c: Captured,
  ): Promise<void> {
    for (const account of Object.keys(LedgerAccounts) as LedgerAccount[]) {
      const amount = c.balances[account];
      if (amount === 0) continue;
      const refs = { mergeId };
      await this.ledger.post({
        memberId: sourceId,
        account,
        amount: -amount,
        reason: 'merge',
        idempotencyKey: `merge:${mergeId}:${account}:out`,
        note: '会员合并转出',
        refs,
        allowStatuses: ['merging', 'merged'],
      });
      // Points arrive in their expiry buckets (one entry per day), so merging never makes points immortal.
      const buckets = account === 'points' && amount > 0 ? bucketsFor(amount, c.pointsByExpiry ?? {}) : [];
      for (const bucket of buckets) {
        await this.ledger.post({
          memberId: targetId,
          account,
          amount: bucket.points,
          reason: 'merge',
          idempotencyKey: `merge:${mergeId}:${account}:in:${bucket.expiresOn}`,
          note: '会员合并转入',
          refs,
          allowStatuses: ['active'],
          expiresOn: bucket.expiresOn,
        });
      }
      const rest = amount - buckets.reduce((sum, b) => sum + b.points, 0);
      if (rest === 0) continue;
      await this.ledger.post({
        memberId: targetId,
        account,
        amount: rest,
        reason: 'merge',
        idempotencyKey: `merge:${mergeId}:${account}:in`,
        note: '会员合并转入',
        refs,
        allowStatuses: ['active'],
      });
    }
  }

  private async moveReferences(sourceId: Types.ObjectId, targetId: Types.ObjectId): Promise<void> {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    for (const { collection, field } of memberOwnedCollections()) {
      await db.collection(collection).updateMany({ [field]: sourceId }, { $set: { [field]: targetId } });
    }
  }

  private async finish(
    mergeId: string,
    sourceId: Types.ObjectId,
    targetId: Types.ObjectId,
    input: { reason: string; actor: Actor },
  ): Promise<void> {
    await memberModel(this.conn).updateOne({ _id: sourceId }, { $set: { status: 'merged', cardCode: null } });
    const c = await this.captured(mergeId);
    await this.audit.record({
      actor: input.actor,
      action: 'member.merge',
      memberId: targetId,
      details: { mergedMemberId: sourceId.toHexString(), reason: input.reason, moved: c.balances },
      dedupeKey: `merge:${mergeId}`,
    });
    await mergeModel(this.conn).updateOne({ _id: mergeId }, { $set: { state: 'done', doneAt: new Date(this.now()) } });
  }
}

/** The member an id stands for now: a merged member's id leads to its survivor. */
export async function resolveSurvivor(conn: Connection, memberId: Types.ObjectId): Promise<Member | null>;
/** With a projection (which always brings status and mergedInto): only those fields, straight from the driver. */
export async function resolveSurvivor<K extends keyof Member>(
  conn: Connection,
  memberId: Types.ObjectId,
  fields: readonly K[],
): Promise<Pick<Member, K | '_id' | 'status' | 'mergedInto'> | null>;
export async function resolveSurvivor(
  conn: Connection,
  memberId: Types.ObjectId,
  fields?: readonly (keyof Member)[],
): Promise<Partial<Member> | null> {
  const members = memberModel(conn).collection;
  const projection = fields && Object.fromEntries([...fields, 'status', 'mergedInto'].map((f) => [f, 1]));
  const read = (id: Types.ObjectId) => members.findOne({ _id: id }, projection ? { projection } : {});
  let member = (await read(memberId)) as Partial<Member> | null;
  for (let hops = 0; member && member.status === 'merged' && member.mergedInto && hops < 5; hops++) {
    member = (await read(member.mergedInto)) as Partial<Member> | null;
  }
  return member;
}

/** What is left of each expiry bucket once `consumed` points were taken oldest first. */
export function unspentByExpiry(buckets: Record<string, number>, consumed: number): Record<string, number> {
  let left = consumed;
  const out: Record<string, number> = {};
  for (const day of Object.keys(buckets).sort()) {
    const take = Math.min(left, buckets[day] ?? 0);
    left -= take;
    const rest = (buckets[day] ?? 0) - take;
    if (rest > 0) out[day] = rest;
  }
  return out;
}

/** Splits `amount` transferred points over the source's buckets (latest last); never more than the amount. */
function bucketsFor(amount: number, unspent: Record<string, number>): { expiresOn: string; points: number }[] {
  let left = amount;
  const out: { expiresOn: string; points: number }[] = [];
  for (const day of Object.keys(unspent).sort()) {
    const points = Math.min(left, unspent[day] ?? 0);
    if (points > 0) out.push({ expiresOn: day, points });
    left -= points;
  }
  return out;
}
