// The member import job: runs started imports (one at a time, oldest first) in batches, under a lease, so a
// restart or a second server copy carries on where the last batch ended; the scheduler calls it every minute.
//
// Exact totals across crashes: before a batch is applied, its counts (from the plan, made before any of its
// writes) are saved on the import as `pending`; after it is applied they are added to the totals and the cursor
// moves, in one conditional update. A crash in between leaves `pending`: the resume applies the same rows again
// (every write is idempotent: identity keys are unique, opening entries are keyed by member, tier changes by a
// dedupe key) and commits exactly the saved counts.
import type { Types } from 'mongoose';
import { applyPlans, type ImportDeps, planRows } from '../modules/imports/apply';
import { loadFile } from '../modules/imports/fileStore';
import { type ImportCounts, type ImportDoc, importModels } from '../modules/imports/model';
import type { ImportRow } from '../modules/imports/rules';
import { type CheckedRow, checkedRows } from '../modules/imports/validate';
import { chinaDate } from '../modules/points/expiry';
import { withLease } from './lease';

export const IMPORT_JOB = 'importMembers';
/** A holder that crashed blocks others this long at most; a live one hands the lease back every half of it. */
export const IMPORT_LEASE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 5;

export interface ImportJobOptions {
  batchSize?: number;
  /** Only this import (tests); otherwise every started one, oldest first. */
  importId?: Types.ObjectId;
  /** After each committed batch (tests watch progress; the child-process test is killed from here). */
  onBatch?: (progress: { importId: string; processed: number; total: number }) => void;
}

export interface ImportJobResult {
  ran: boolean;
  imports: number;
  rows: number;
}

export async function importMembers(deps: ImportDeps, options: ImportJobOptions = {}): Promise<ImportJobResult> {
  const total: ImportJobResult = { ran: false, imports: 0, rows: 0 };
  // The lease is given back and taken again every stretch, so a long import never outlives its lease.
  for (;;) {
    const deadline = Date.now() + IMPORT_LEASE_MS / 2;
    const stretch = await withLease(deps.conn, IMPORT_JOB, IMPORT_LEASE_MS, deps.now, () =>
      runStretch(deps, options, deadline),
    );
    if (!stretch.ran) return total;
    total.ran = true;
    total.imports += stretch.result.imports;
    total.rows += stretch.result.rows;
    if (stretch.result.finishedAll) return total;
  }
}

async function runStretch(deps: ImportDeps, options: ImportJobOptions, deadline: number) {
  const { Imports } = importModels(deps.conn);
  let imports = 0;
  let rows = 0;
  for (;;) {
    const next = await Imports.findOne({
      state: { $in: ['queued', 'running'] },
      ...(options.importId && { _id: options.importId }),
    })
      .sort({ createdAt: 1 })
      .lean<ImportDoc>();
    if (!next) return { imports, rows, finishedAll: true };
    imports++;
    try {
      const outcome = await runImport(deps, next, options, deadline);
      rows += outcome.rows;
      if (!outcome.finished) return { imports, rows, finishedAll: false };
    } catch (err) {
      await recordFailure(deps, next, err);
      // Another import may still run; this one is retried by the next tick (or was marked failed).
      return { imports, rows, finishedAll: true };
    }
  }
}

async function recordFailure(deps: ImportDeps, doc: ImportDoc, err: unknown): Promise<void> {
  deps.logger.error({ err, importId: doc._id.toHexString() }, 'member import batch failed');
  const attempts = (doc.job.attempts ?? 0) + 1;
  const failed = attempts >= MAX_ATTEMPTS;
  await importModels(deps.conn).Imports.updateOne(
    { _id: doc._id },
    {
      $set: {
        'job.attempts': attempts,
        'job.error': failed ? '导入多次中断，已停止。请检查文件后重新上传，或联系技术支持' : '导入中断，稍后自动继续',
        ...(failed && { state: 'failed', 'job.finishedAt': new Date(deps.now()) }),
      },
    },
  );
}

function countsOf(plans: Awaited<ReturnType<typeof planRows>>, batch: CheckedRow[]): ImportCounts {
  const counts: ImportCounts = {
    processed: batch.length,
    created: 0,
    linked: 0,
    skipped: 0,
    bad: batch.filter((r) => !r.good).length,
    pointsEntered: 0,
    fenEntered: 0,
  };
  for (const p of plans) {
    if (p.action === 'create') counts.created++;
    else if (p.action === 'link') counts.linked++;
    else counts.skipped++;
    counts.pointsEntered += p.points;
    counts.fenEntered += p.fen;
  }
  return counts;
}

async function runImport(
  deps: ImportDeps,
  doc: ImportDoc,
  options: ImportJobOptions,
  deadline: number,
): Promise<{ finished: boolean; rows: number }> {
  const { Imports } = importModels(deps.conn);
  if (!doc.mapping) throw new Error(`import ${doc._id.toHexString()} has no mapping`);
  if (doc.state === 'queued')
    await Imports.updateOne(
      { _id: doc._id, state: 'queued' },
      { $set: { state: 'running', 'job.startedAt': doc.job.startedAt ?? new Date(deps.now()) } },
    );
  const batchSize = options.batchSize ?? 500;
  const rules = await deps.rules.get();
  const source = doc.mapping.externalSource;
  const bytes = await loadFile(deps.conn, doc.sha256);
  const ctx = { tiers: rules.tiers.map((t) => t.name), today: chinaDate(new Date(deps.now())) };
  let cursor = doc.job.cursorRow;
  let pending = doc.job.pending;
  let rows = 0;

  const runBatch = async (batch: CheckedRow[]) => {
    const toRow = (batch[batch.length - 1] as CheckedRow).row;
    const good = batch.flatMap((r) => (r.good ? [r.value] : [])) as ImportRow[];
    const plans = await planRows(deps, good, { source, rules, claimed: new Set() });
    let counts: ImportCounts;
    if (pending) {
      // Resuming a batch a crash interrupted: its counts were fixed before any of its writes.
      if (pending.toRow !== toRow) throw new Error(`pending batch ends at ${pending.toRow}, rows end at ${toRow}`);
      counts = pending.counts;
    } else {
      counts = countsOf(plans, batch);
      const claimed = await Imports.updateOne(
        { _id: doc._id, 'job.cursorRow': cursor, 'job.pending': null },
        { $set: { 'job.pending': { toRow, counts } } },
      );
      if (claimed.matchedCount !== 1) throw new Error('import moved on elsewhere');
    }
    await applyPlans(deps, plans, { importId: doc._id, source, rules });
    const inc: Record<string, number> = {};
    for (const [key, value] of Object.entries(counts)) inc[`job.${key}`] = value;
    const committed = await Imports.updateOne(
      { _id: doc._id, 'job.cursorRow': cursor, 'job.pending.toRow': toRow },
      { $set: { 'job.cursorRow': toRow, 'job.pending': null, 'job.attempts': 0, 'job.error': null }, $inc: inc },
    );
    if (committed.matchedCount !== 1) throw new Error('import moved on elsewhere');
    cursor = toRow;
    pending = null;
    rows += batch.length;
    if (options.onBatch) {
      const fresh = await Imports.findById(doc._id, { job: 1 }).lean<Pick<ImportDoc, 'job'>>();
      options.onBatch({
        importId: doc._id.toHexString(),
        processed: fresh?.job.processed ?? 0,
        total: fresh?.job.total ?? doc.rowCount,
      });
    }
  };

  let batch: CheckedRow[] = [];
  // The whole file is checked again from the top (duplicates need every earlier row); committed rows are passed.
  for await (const checked of checkedRows(bytes, doc.format, doc.mapping, ctx)) {
    if (checked.row <= cursor) continue;
    batch.push(checked);
    const full = pending ? checked.row >= pending.toRow : batch.length >= batchSize;
    if (!full) continue;
    await runBatch(batch);
    batch = [];
    if (Date.now() > deadline) return { finished: false, rows };
  }
  if (batch.length) await runBatch(batch);

  const finishedAt = new Date(deps.now());
  const done = await Imports.findOneAndUpdate(
    { _id: doc._id, state: 'running' },
    { $set: { state: 'done', 'job.finishedAt': finishedAt } },
    { returnDocument: 'after' },
  ).lean<ImportDoc>();
  if (done) {
    const { job } = done;
    await deps.audit.record({
      actor: job.startedBy ?? { kind: 'system', id: IMPORT_JOB, name: null },
      action: 'member.import.finish',
      dedupeKey: `member.import.finish:${doc._id.toHexString()}`,
      details: {
        importId: doc._id.toHexString(),
        fileName: doc.fileName,
        sha256: doc.sha256,
        rows: job.processed,
        created: job.created,
        linked: job.linked,
        skipped: job.skipped,
        bad: job.bad,
        pointsEntered: job.pointsEntered,
        fenEntered: job.fenEntered,
      },
    });
  }
  return { finished: true, rows };
}
