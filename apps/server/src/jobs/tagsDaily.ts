// Evaluating the rule tags: every day after the RFM run (so `rfmClass` conditions read today's classes) and on
// demand ("立即计算"). One pass over the active members in id order, with the orders, used coupons and RFM rows the
// rules need merged in (modules/tags/facts.ts): memory is one batch, whatever the number of members or tags.
//
// Only changes are written: a member who keeps the same rule tags is not written at all; one who gains or loses
// some gets `$addToSet` / `$pullAll` of exactly those tag ids, so manual tags written meanwhile are never
// overwritten, and a second run over the same data writes nothing. Safe to re-run and on several server copies: the lease keeps
// one runner; a run that dies half way has written only correct memberships, and the next run completes them.
// Per-tag counts are recorded on the run and on each tag.
import { randomUUID } from 'node:crypto';
import { type Connection, type mongo, Types } from 'mongoose';
import type { RfmRunDoc } from '../modules/rfm/model';
import { needsOf, needsRfm, ruleHolds } from '../modules/tags/conditions';
import { streamMemberFacts } from '../modules/tags/facts';
import {
  type MemberTagFields,
  memberTagsCollection,
  type TagDoc,
  type TagRunDoc,
  type TagRunTagStats,
  tagModels,
  tagRunsCollection,
} from '../modules/tags/model';
import { withLease } from './lease';

export const TAGS_JOB = 'tagsDaily';
/** Long enough for a million members on a small machine; a crashed holder's lease runs out after it. */
export const TAGS_LEASE_MS = 30 * 60 * 1000;

export interface TagJobDeps {
  conn: Connection;
  now: () => number;
  rfm: { latestRun(): Promise<RfmRunDoc | null> };
}

export interface TagJobOptions {
  trigger?: TagRunDoc['trigger'];
  /** Only these rule tags (others keep their members); all rule tags when absent. */
  tagIds?: Types.ObjectId[];
  batchSize?: number;
  onProgress?: (members: number) => void;
  /** Fixed by tests; otherwise dated and random. */
  runId?: string;
}

export interface TagJobResult {
  ran: boolean;
  runId: string | null;
  members: number;
  added: number;
  removed: number;
  writes: number;
  tags: TagRunTagStats[];
}

export async function tagsDaily(deps: TagJobDeps, options: TagJobOptions = {}): Promise<TagJobResult> {
  const outcome = await withLease(deps.conn, TAGS_JOB, TAGS_LEASE_MS, deps.now, () => evaluateTags(deps, options));
  return outcome.ran
    ? outcome.result
    : { ran: false, runId: null, members: 0, added: 0, removed: 0, writes: 0, tags: [] };
}

type Update = mongo.AnyBulkWriteOperation<MemberTagFields>;

async function evaluateTags(deps: TagJobDeps, options: TagJobOptions): Promise<TagJobResult> {
  const started = Date.now();
  const asOf = deps.now();
  const runId = options.runId ?? `${new Date(asOf).toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const { Tags } = tagModels(deps.conn);
  const runs = tagRunsCollection(deps.conn);
  const ruleFilter: Record<string, unknown> = { kind: 'rule' };
  if (options.tagIds) ruleFilter._id = { $in: options.tagIds };
  const rules = await Tags.find(ruleFilter).sort({ _id: 1 }).lean<TagDoc[]>();
  // Every tag now, so that ids left on members by a tag deleted meanwhile can be told apart and removed.
  const known = new Set(
    (await Tags.find({}, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((t) => t._id.toHexString()),
  );
  const rfmRun = needsRfm(rules.map((t) => t.rule).filter((r) => r !== null)) ? await deps.rfm.latestRun() : null;

  await runs.insertOne({
    _id: runId,
    trigger: options.trigger ?? 'schedule',
    status: 'running',
    asOf: new Date(asOf),
    startedAt: new Date(deps.now()),
    finishedAt: null,
    members: 0,
    added: 0,
    removed: 0,
    writes: 0,
    rfmRunId: rfmRun?._id ?? null,
    tags: [],
    ms: 0,
    error: null,
  });

  try {
    const evaluated = rules.map((t) => ({
      doc: t,
      hex: t._id.toHexString(),
      stats: { tagId: t._id, name: t.name, memberCount: 0, added: 0, removed: 0 } as TagRunTagStats,
    }));
    // A full run also recounts the manual tags, from the same pass.
    const counts = new Map<string, number>();
    const orphans = new Set<string>();
    const needs = needsOf(
      evaluated.flatMap((t) => (t.doc.rule ? [t.doc.rule] : [])),
      asOf,
      rfmRun?._id ?? null,
    );
    const members = memberTagsCollection(deps.conn);
    let seen = 0;
    let writes = 0;
    let inFlight: Promise<unknown> = Promise.resolve();

    for await (const batch of streamMemberFacts(deps.conn, { needs, batchSize: options.batchSize })) {
      const ops: Update[] = [];
      for (const m of batch) {
        const has = new Set(m.tags);
        const gain: Types.ObjectId[] = [];
        const loss: Types.ObjectId[] = [];
        for (const t of evaluated) {
          const holds = t.doc.rule !== null && ruleHolds(t.doc.rule, m, asOf);
          if (holds) t.stats.memberCount++;
          if (holds && !has.has(t.hex)) {
            gain.push(t.doc._id);
            t.stats.added++;
          } else if (!holds && has.has(t.hex)) {
            loss.push(t.doc._id);
            t.stats.removed++;
          }
        }
        for (const tag of m.tags) {
          counts.set(tag, (counts.get(tag) ?? 0) + 1);
          if (!known.has(tag)) orphans.add(tag);
        }
        // Per member, all its gains in one statement and all its losses in another (MongoDB refuses $addToSet and
        // $pullAll on the same array in one update): a document is rewritten once however many tags it gains.
        if (gain.length)
          ops.push({ updateOne: { filter: { _id: m.id }, update: { $addToSet: { tags: { $each: gain } } } } });
        if (loss.length) ops.push({ updateOne: { filter: { _id: m.id }, update: { $pullAll: { tags: loss } } } });
      }
      seen += batch.length;
      // One write in flight while the next batch is read: memory stays at two batches.
      await inFlight;
      if (ops.length) {
        writes += ops.length;
        inFlight = members.bulkWrite(ops, { ordered: false });
        // Its failure surfaces at the next await of it; this only keeps it from counting as unhandled meanwhile.
        inFlight.catch(() => {});
      }
      if (seen % 100_000 < batch.length) {
        options.onProgress?.(seen);
        await runs.updateOne({ _id: runId }, { $set: { members: seen } });
      }
    }
    await inFlight;
    options.onProgress?.(seen);

    if (orphans.size) {
      // Re-checked: a tag created during the run is not an orphan.
      const gone = [...orphans].map((hex) => new Types.ObjectId(hex));
      const stillThere = new Set(
        (await Tags.find({ _id: { $in: gone } }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((t) =>
          t._id.toHexString(),
        ),
      );
      const dead = gone.filter((id) => !stillThere.has(id.toHexString()));
      if (dead.length) await members.updateMany({ tags: { $in: dead } }, { $pullAll: { tags: dead } });
    }

    const finishedAt = new Date(deps.now());
    const tagWrites: mongo.AnyBulkWriteOperation[] = evaluated.map((t) => ({
      updateOne: {
        filter: { _id: t.doc._id },
        update: {
          $set: { memberCount: t.stats.memberCount, evaluatedAt: new Date(asOf), evaluatedVersion: t.doc.ruleVersion },
        },
      },
    }));
    if (!options.tagIds) {
      const manual = await Tags.find({ kind: 'manual' }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
      for (const t of manual)
        tagWrites.push({
          updateOne: {
            filter: { _id: t._id },
            update: { $set: { memberCount: counts.get(t._id.toHexString()) ?? 0 } },
          },
        });
    }
    if (tagWrites.length) await Tags.collection.bulkWrite(tagWrites, { ordered: false });

    const stats = evaluated.map((t) => t.stats);
    const added = stats.reduce((sum, s) => sum + s.added, 0);
    const removed = stats.reduce((sum, s) => sum + s.removed, 0);
    await runs.updateOne(
      { _id: runId },
      {
        $set: {
          status: 'done',
          finishedAt,
          members: seen,
          added,
          removed,
          writes,
          tags: stats,
          ms: Date.now() - started,
        },
      },
    );
    // Runs that died under an expired lease are over.
    await runs.updateMany(
      { _id: { $ne: runId }, status: 'running' },
      { $set: { status: 'failed', error: 'interrupted' } },
    );
    return { ran: true, runId, members: seen, added, removed, writes, tags: stats };
  } catch (err) {
    await runs
      .updateOne({ _id: runId }, { $set: { status: 'failed', error: String(err), finishedAt: new Date(deps.now()) } })
      .catch(() => {});
    throw err;
  }
}
