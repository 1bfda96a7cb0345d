// Tags: the owner's list, manual tags added and removed in bulk, and rule tags evaluated by jobs/tagsDaily.ts (daily,
// or now in the background). Membership is the `tags` array on member documents.
import type {
  CreateTagRequest,
  MemberSelection,
  TagBadge,
  TagEvaluateResult,
  TagListQuery,
  TagRule,
  UpdateTagRequest,
} from '@member-hub/shared';
import { CreateTagRequest as CreateTagSchema, UpdateTagRequest as UpdateTagSchema } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError, errors } from '../../errors';
import { TAGS_JOB, type TagJobDeps, tagsDaily } from '../../jobs/tagsDaily';
import { storeModel } from '../stores/model';
import { memberTagsCollection, type TagDoc, type TagRunDoc, tagModels } from './model';

/** A shop's tags stay a list an owner can read; the job also tests every rule tag on every member. */
export const MAX_TAGS = 500;
/** Members updated per statement in a bulk change. */
const BULK_BATCH = 1_000;
const NOT_FOUND_SHOWN = 100;

/** What the tags module asks of segments (wired in deps.ts; segments depend on tags, not the other way). */
export interface SegmentLookup {
  /** The segment's member ids now, ascending, in batches; 404 when there is no such segment. */
  memberIdBatches(segmentId: Types.ObjectId): Promise<AsyncIterable<Types.ObjectId[]>>;
  /** Names of the saved segments whose definition names this tag. */
  namesUsingTag(tagId: Types.ObjectId): Promise<string[]>;
}

export interface TagMembersOutcome {
  matched: number;
  changed: number;
  notFound: string[];
  memberCount: number;
}

const SORTS: Record<TagListQuery['sort'], Record<string, 1 | -1>> = {
  created: { createdAt: -1, _id: -1 },
  name: { name: 1 },
  members: { memberCount: -1, name: 1 },
};

export class TagService {
  /** The run this process started on demand, so a second request while it goes says so. */
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly jobDeps: Omit<TagJobDeps, 'conn' | 'now'>,
    private readonly segments: () => SegmentLookup,
    private readonly now: () => number = Date.now,
  ) {}

  private get Tags() {
    return tagModels(this.conn).Tags;
  }

  async list(query: TagListQuery): Promise<{ items: TagDoc[]; total: number }> {
    const filter: Record<string, unknown> = {};
    if (query.kind) filter.kind = query.kind;
    if (query.q) filter.name = { $regex: query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    const [items, total] = await Promise.all([
      this.Tags.find(filter)
        .sort(SORTS[query.sort])
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean<TagDoc[]>(),
      this.Tags.countDocuments(filter),
    ]);
    return { items, total };
  }

  async get(id: Types.ObjectId): Promise<TagDoc> {
    const tag = await this.Tags.findById(id).lean<TagDoc>();
    if (!tag) throw new AppError('NOT_FOUND', '标签不存在', { resource: 'tag' });
    return tag;
  }

  async create(input: CreateTagRequest): Promise<TagDoc> {
    const t = CreateTagSchema.parse(input);
    if (t.rule) await this.checkStores(t.rule);
    if ((await this.Tags.estimatedDocumentCount()) >= MAX_TAGS)
      throw new AppError('CONFLICT', `标签最多 ${MAX_TAGS} 个，请先删除不用的标签`);
    const at = new Date(this.now());
    const doc: TagDoc = {
      _id: new Types.ObjectId(),
      name: t.name,
      kind: t.kind,
      description: t.description,
      color: t.color,
      rule: t.rule ?? null,
      ruleVersion: t.rule ? 1 : 0,
      evaluatedVersion: null,
      memberCount: 0,
      evaluatedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    await this.write(() => this.Tags.collection.insertOne(doc));
    return doc;
  }

  async update(id: Types.ObjectId, input: UpdateTagRequest): Promise<TagDoc> {
    const patch = UpdateTagSchema.parse(input);
    const tag = await this.get(id);
    if (patch.rule && tag.kind !== 'rule')
      throw errors.validation([{ path: 'rule', code: 'custom', message: '手动标签没有规则' }]);
    if (patch.rule) await this.checkStores(patch.rule);
    const set: Record<string, unknown> = { ...patch, updatedAt: new Date(this.now()) };
    const ruleChanged = patch.rule !== undefined && JSON.stringify(patch.rule) !== JSON.stringify(tag.rule);
    if (!ruleChanged) delete set.rule;
    const update: Record<string, unknown> = { $set: set };
    // Members stay those of the old rule until the next evaluation; the version says the tag is pending.
    if (ruleChanged) update.$inc = { ruleVersion: 1 };
    const updated = await this.write(() =>
      this.Tags.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<TagDoc>(),
    );
    if (!updated) throw new AppError('NOT_FOUND', '标签不存在', { resource: 'tag' });
    return updated;
  }

  /** Deletes the tag and takes it off every member; refused while a saved segment names it. */
  async remove(id: Types.ObjectId): Promise<TagDoc> {
    const tag = await this.get(id);
    const using = await this.segments().namesUsingTag(id);
    if (using.length) throw new AppError('TAG_IN_USE', undefined, { segments: using });
    await this.Tags.deleteOne({ _id: id });
    await memberTagsCollection(this.conn).updateMany({ tags: id }, { $pull: { tags: id } });
    return tag;
  }

  /** Adds or removes a manual tag; idempotent (a member who already is so is matched, not changed). */
  async changeMembers(
    id: Types.ObjectId,
    action: 'add' | 'remove',
    target: MemberSelection,
  ): Promise<TagMembersOutcome> {
    const tag = await this.get(id);
    if (tag.kind !== 'manual') throw new AppError('TAG_NOT_MANUAL');
    const Members = memberTagsCollection(this.conn);
    let matched = 0;
    let changed = 0;
    let notFound: string[] = [];
    const apply = async (ids: Types.ObjectId[]) => {
      if (!ids.length) return;
      matched += ids.length;
      // The filter leaves out members already so: modifiedCount is what this request changed, even under a race.
      const result =
        action === 'add'
          ? await Members.updateMany({ _id: { $in: ids }, tags: { $ne: id } }, { $addToSet: { tags: id } })
          : await Members.updateMany({ _id: { $in: ids }, tags: id }, { $pull: { tags: id } });
      changed += result.modifiedCount;
    };
    if (target.kind === 'members') {
      const wanted = [...new Set(target.memberNos)];
      const found = new Set<string>();
      for (let i = 0; i < wanted.length; i += BULK_BATCH) {
        const rows = await Members.find<{ _id: Types.ObjectId; memberNo: string }>(
          { memberNo: { $in: wanted.slice(i, i + BULK_BATCH) }, status: 'active' },
          { projection: { _id: 1, memberNo: 1 } },
        ).toArray();
        for (const r of rows) found.add(r.memberNo);
        await apply(rows.map((r) => r._id));
      }
      notFound = wanted.filter((no) => !found.has(no)).slice(0, NOT_FOUND_SHOWN);
    } else {
      for await (const ids of await this.segments().memberIdBatches(new Types.ObjectId(target.segmentId)))
        await apply(ids);
    }
    const memberCount = await Members.countDocuments({ tags: id, status: 'active' });
    await this.Tags.updateOne({ _id: id }, { $set: { memberCount } });
    return { matched, changed, notFound, memberCount };
  }

  /**
   * Starts an evaluation in the background unless one is going on (here, or on another server copy holding the
   * lease). `done` settles when it finishes; the route does not wait for it.
   */
  async evaluate(tagIds?: Types.ObjectId[]): Promise<TagEvaluateResult & { done: Promise<unknown> }> {
    if (tagIds) {
      const rules = await this.Tags.countDocuments({ _id: { $in: tagIds }, kind: 'rule' });
      if (rules !== tagIds.length)
        throw errors.validation([{ path: 'tagIds', code: 'custom', message: '只能计算已有的规则标签' }]);
    }
    if (this.running || (await this.isRunning()))
      return { started: false, alreadyRunning: true, done: this.running ?? Promise.resolve() };
    const done = tagsDaily(
      { conn: this.conn, now: this.now, ...this.jobDeps },
      { trigger: 'manual', ...(tagIds && { tagIds }) },
    ).finally(() => {
      this.running = null;
    });
    this.running = done;
    return { started: true, alreadyRunning: false, done };
  }

  async evaluationStatus(): Promise<{ running: boolean; latest: TagRunDoc | null }> {
    const [running, latest] = await Promise.all([
      this.isRunning(),
      tagModels(this.conn).TagRuns.findOne().sort({ startedAt: -1 }).lean<TagRunDoc>(),
    ]);
    return { running, latest };
  }

  /** Name and colour of each of these tag ids that still exists. */
  async badges(ids: Iterable<Types.ObjectId | string>): Promise<Map<string, TagBadge>> {
    const wanted = [...new Set([...ids].map((id) => String(id)))];
    if (!wanted.length) return new Map();
    const tags = await this.Tags.find(
      { _id: { $in: wanted.map((id) => new Types.ObjectId(id)) } },
      { name: 1, color: 1 },
    ).lean<Pick<TagDoc, '_id' | 'name' | 'color'>[]>();
    return new Map(tags.map((t) => [t._id.toHexString(), { id: t._id.toHexString(), name: t.name, color: t.color }]));
  }

  /** Names of the stores these tags' rules mention, for the rule sentences. */
  async storeNames(tags: Pick<TagDoc, 'rule'>[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const t of tags)
      for (const c of t.rule?.all ?? []) if (c.kind === 'store') for (const s of c.storeIds) ids.add(s);
    if (!ids.size) return new Map();
    const stores = await storeModel(this.conn)
      .find({ _id: { $in: [...ids].map((id) => new Types.ObjectId(id)) } }, { name: 1 })
      .lean<{ _id: Types.ObjectId; name: string }[]>();
    return new Map(stores.map((s) => [s._id.toHexString(), s.name]));
  }

  private async isRunning(): Promise<boolean> {
    if (this.running) return true;
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    const lease = await db
      .collection<{ _id: string; until: Date }>('job_leases')
      .findOne({ _id: TAGS_JOB, until: { $gt: new Date(this.now()) } });
    return lease !== null;
  }

  /** A rule naming a store that does not exist would silently match nobody: refused, naming the field. */
  private async checkStores(rule: TagRule): Promise<void> {
    const known = await this.storeNames([{ rule }]);
    const problems = rule.all.flatMap((c, i) =>
      c.kind === 'store'
        ? c.storeIds.flatMap((s, j) =>
            known.has(s) ? [] : [{ path: `rule.all.${i}.storeIds.${j}`, code: 'custom', message: '门店不存在' }],
          )
        : [],
    );
    if (problems.length) throw errors.validation(problems);
  }

  private async write<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new AppError('TAG_NAME_TAKEN');
      throw err;
    }
  }
}
