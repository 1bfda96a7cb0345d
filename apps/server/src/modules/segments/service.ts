// Segments: saved definitions with a live count, previews of unsaved ones, and the members of a segment as a
// sorted stream of ids (coupon pushes, bulk tagging) or as a restriction on the member list. A segment stores no
// members: they are found when asked for, from the member documents and, for RFM classes and activity, the facts
// stream (modules/tags/facts.ts).
import {
  type CreateSegmentRequest,
  CreateSegmentRequest as CreateSegmentSchema,
  describeSegment,
  SegmentDefinition,
  type SegmentDefinitionInput,
  type SegmentListQuery,
  type SegmentPreview,
  type SegmentSnapshot,
  type UpdateSegmentRequest,
  UpdateSegmentRequest as UpdateSegmentSchema,
} from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError, errors } from '../../errors';
import type { IdentityService } from '../identity/service';
import { type Member, memberModel } from '../members/model';
import type { MemberRestriction } from '../members/service';
import type { RfmRunDoc } from '../rfm/model';
import { streamMemberFacts } from '../tags/facts';
import type { SegmentLookup, TagService } from '../tags/service';
import { planSegment, type SegmentPlan } from './criteria';
import { type SegmentDoc, segmentModel } from './model';

const BATCH = 1_000;

export class SegmentService implements SegmentLookup {
  constructor(
    private readonly conn: Connection,
    private readonly tags: TagService,
    private readonly rfm: { latestRun(): Promise<RfmRunDoc | null> },
    private readonly identity: Pick<IdentityService, 'maskedPhoneOf'>,
    private readonly now: () => number = Date.now,
  ) {}

  private get Segments() {
    return segmentModel(this.conn);
  }

  async list(query: SegmentListQuery): Promise<{ items: SegmentDoc[]; total: number }> {
    const filter: Record<string, unknown> = {};
    if (query.q) filter.name = { $regex: query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    const [items, total] = await Promise.all([
      this.Segments.find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean<SegmentDoc[]>(),
      this.Segments.countDocuments(filter),
    ]);
    return { items, total };
  }

  async get(id: Types.ObjectId): Promise<SegmentDoc> {
    const segment = await this.Segments.findById(id).lean<SegmentDoc>();
    if (!segment) throw new AppError('NOT_FOUND', '分群不存在', { resource: 'segment' });
    return segment;
  }

  /** Saved with its count, so the list shows how many members it means right away. */
  async create(input: CreateSegmentRequest): Promise<SegmentDoc> {
    const s = CreateSegmentSchema.parse(input);
    await this.checkTags(s.definition, 'definition');
    const at = new Date(this.now());
    const doc: SegmentDoc = {
      _id: new Types.ObjectId(),
      name: s.name,
      description: s.description,
      definition: s.definition,
      count: await this.count(s.definition),
      countedAt: at,
      createdAt: at,
      updatedAt: at,
    };
    await this.write(() => this.Segments.collection.insertOne(doc));
    return doc;
  }

  async update(id: Types.ObjectId, input: UpdateSegmentRequest): Promise<SegmentDoc> {
    const patch = UpdateSegmentSchema.parse(input);
    await this.get(id);
    const set: Record<string, unknown> = { ...patch, updatedAt: new Date(this.now()) };
    if (patch.definition) {
      await this.checkTags(patch.definition, 'definition');
      set.count = await this.count(patch.definition);
      set.countedAt = new Date(this.now());
    }
    const updated = await this.write(() =>
      this.Segments.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' }).lean<SegmentDoc>(),
    );
    if (!updated) throw new AppError('NOT_FOUND', '分群不存在', { resource: 'segment' });
    return updated;
  }

  /** Pushes already made keep their own copy of the definition, so a segment can always be deleted. */
  async remove(id: Types.ObjectId): Promise<SegmentDoc> {
    const segment = await this.get(id);
    await this.Segments.deleteOne({ _id: id });
    return segment;
  }

  /** The live count of a definition, and its first few members (phone masked). */
  async preview(definition: SegmentDefinitionInput, sampleSize: number): Promise<SegmentPreview> {
    const d = SegmentDefinition.parse(definition);
    await this.checkTags(d, 'definition');
    const countedAt = new Date(this.now()).toISOString();
    const [count, sample, summary] = await Promise.all([this.count(d), this.sample(d, sampleSize), this.summary(d)]);
    return { count, countedAt, summary, sample };
  }

  /** Counts a saved segment now and keeps the count on it. */
  async recount(id: Types.ObjectId, sampleSize: number): Promise<SegmentPreview> {
    const segment = await this.get(id);
    const preview = await this.preview(segment.definition, sampleSize);
    await this.Segments.updateOne(
      { _id: id },
      { $set: { count: preview.count, countedAt: new Date(preview.countedAt) } },
    );
    return preview;
  }

  /** What a push keeps: the name, definition and summary as they are now. */
  async snapshot(id: Types.ObjectId): Promise<SegmentSnapshot> {
    const segment = await this.get(id);
    return { name: segment.name, definition: segment.definition, summary: await this.summary(segment.definition) };
  }

  async count(definition: SegmentDefinition, otherFilter: Record<string, unknown> = {}): Promise<number> {
    const plan = await this.plan(definition);
    const memberFilter = and(plan.memberFilter, otherFilter);
    if (!plan.streamed) return memberModel(this.conn).countDocuments({ ...memberFilter, status: 'active' });
    let n = 0;
    for await (const batch of streamMemberFacts(this.conn, { memberFilter, needs: plan.needs, fields: 'idOnly' }))
      for (const m of batch) if (plan.holds(m)) n++;
    return n;
  }

  /** The members' ids in ascending order, in batches; after `after` when given (a resumed push). */
  async *memberIds(
    definition: SegmentDefinition,
    options: { after?: Types.ObjectId | null; batchSize?: number } = {},
  ): AsyncGenerator<Types.ObjectId[]> {
    const plan = await this.plan(definition);
    const batchSize = options.batchSize ?? BATCH;
    if (!plan.streamed) {
      const cursor = memberModel(this.conn).collection.find<{ _id: Types.ObjectId }>(
        and({ status: 'active', ...(options.after && { _id: { $gt: options.after } }) }, plan.memberFilter),
        { projection: { _id: 1 }, sort: { _id: 1 }, batchSize: Math.max(batchSize, 1_000) },
      );
      try {
        let ids: Types.ObjectId[] = [];
        for await (const row of cursor) {
          ids.push(row._id);
          if (ids.length >= batchSize) {
            yield ids;
            ids = [];
          }
        }
        if (ids.length) yield ids;
      } finally {
        await cursor.close();
      }
      return;
    }
    let pending: Types.ObjectId[] = [];
    for await (const batch of streamMemberFacts(this.conn, {
      memberFilter: plan.memberFilter,
      after: options.after ?? null,
      needs: plan.needs,
      fields: 'idOnly',
    })) {
      for (const m of batch) if (plan.holds(m)) pending.push(m.id);
      if (pending.length >= batchSize) {
        yield pending;
        pending = [];
      }
    }
    if (pending.length) yield pending;
  }

  // ---- SegmentLookup, for the tags module ----
  async memberIdBatches(segmentId: Types.ObjectId): Promise<AsyncIterable<Types.ObjectId[]>> {
    const segment = await this.get(segmentId);
    return this.memberIds(segment.definition);
  }

  async namesUsingTag(tagId: Types.ObjectId): Promise<string[]> {
    const hex = tagId.toHexString();
    const using = await this.Segments.find(
      { $or: [{ 'definition.tags.all': hex }, { 'definition.tags.any': hex }, { 'definition.tags.none': hex }] },
      { name: 1 },
    ).lean<{ name: string }[]>();
    return using.map((s) => s.name);
  }

  /** The member list's filter for a saved segment. */
  async restriction(id: Types.ObjectId): Promise<MemberRestriction> {
    const { definition } = await this.get(id);
    const plan = await this.plan(definition);
    const filter = and({ status: 'active' }, plan.memberFilter);
    if (!plan.streamed) return { filter };
    return {
      filter,
      keep: async (ids) => {
        const kept = new Set<string>();
        for await (const batch of streamMemberFacts(this.conn, {
          memberFilter: plan.memberFilter,
          ids,
          needs: plan.needs,
          fields: 'idOnly',
        }))
          for (const m of batch) if (plan.holds(m)) kept.add(m.hex);
        return kept;
      },
      count: (otherFilter) => this.count(definition, otherFilter),
    };
  }

  /** describeSegment with the tags' names. */
  async summary(definition: SegmentDefinition): Promise<string> {
    const badges = await this.tags.badges([...definition.tags.all, ...definition.tags.any, ...definition.tags.none]);
    return describeSegment(definition, { tag: (id) => badges.get(id)?.name });
  }

  private async plan(definition: SegmentDefinition): Promise<SegmentPlan> {
    const runId = definition.rfmClasses.length > 0 ? ((await this.rfm.latestRun())?._id ?? null) : null;
    return planSegment(definition, this.now(), runId);
  }

  private async sample(d: SegmentDefinition, size: number): Promise<SegmentPreview['sample']> {
    if (size === 0) return [];
    const ids: Types.ObjectId[] = [];
    for await (const batch of this.memberIds(d, { batchSize: size })) {
      ids.push(...batch.slice(0, size - ids.length));
      if (ids.length >= size) break;
    }
    const members = await memberModel(this.conn)
      .find({ _id: { $in: ids } })
      .sort({ _id: 1 })
      .lean<Member[]>();
    const badges = await this.tags.badges(members.flatMap((m) => m.tags ?? []));
    return members.map((m) => ({
      memberId: m._id.toHexString(),
      memberNo: m.memberNo,
      nickname: m.nickname,
      maskedPhone: this.identity.maskedPhoneOf(m),
      tier: m.tier,
      points: m.points,
      tags: (m.tags ?? []).flatMap((t) => badges.get(t.toHexString()) ?? []),
    }));
  }

  /** A definition naming a tag that does not exist would silently mean something else: refused, naming it. */
  private async checkTags(d: SegmentDefinition, prefix: string): Promise<void> {
    const known = await this.tags.badges([...d.tags.all, ...d.tags.any, ...d.tags.none]);
    const problems = (['all', 'any', 'none'] as const).flatMap((list) =>
      d.tags[list].flatMap((id, i) =>
        known.has(id) ? [] : [{ path: `${prefix}.tags.${list}.${i}`, code: 'custom', message: '标签不存在' }],
      ),
    );
    if (problems.length) throw errors.validation(problems);
  }

  private async write<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new AppError('SEGMENT_NAME_TAKEN');
      throw err;
    }
  }
}

function and(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const nonEmpty = parts.filter((p) => Object.keys(p).length > 0);
  if (nonEmpty.length === 0) return {};
  return nonEmpty.length === 1 ? (nonEmpty[0] as Record<string, unknown>) : { $and: nonEmpty };
}
