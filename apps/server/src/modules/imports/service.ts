// The import's steps for the owner: upload (store + preview), map columns (validate every row, keep the report),
// dry run (plan without writing), start (the job does the rest). Handlers in routes.ts stay thin.
import { createHash } from 'node:crypto';
import {
  IMPORT_MAX_ROWS,
  IMPORT_PREVIEW_ROWS,
  type ImportDryRun,
  type ImportMapping,
  type ImportReportQuery,
  type ImportState,
  type ImportUpload,
  suggestMapping,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { AppError } from '../../errors';
import type { Actor } from '../audit/model';
import { chinaDate } from '../points/expiry';
import { type ImportDeps, planRows } from './apply';
import { loadFile, saveFile } from './fileStore';
import { type ImportDoc, type ImportIssueDoc, importModels, ZERO_COUNTS } from './model';
import { dataRows, decodeCsv, detectFormat } from './reader';
import type { ImportRow } from './rules';
import { checkedRows, checkMapping } from './validate';

const ISSUE_BATCH = 1_000;
const PLAN_BATCH = 1_000;
/** Started (or finished) imports: their mapping is what the job follows and cannot change. */
const STARTED: ImportState[] = ['queued', 'running', 'done'];

export interface UploadInput {
  bytes: Buffer;
  fileName: string;
  contentType: string;
  actor: Actor;
}

async function ruleContext(deps: ImportDeps) {
  const rules = await deps.rules.get();
  return { rules, ctx: { tiers: rules.tiers.map((t) => t.name), today: chinaDate(new Date(deps.now())) } };
}

export async function uploadImport(
  deps: ImportDeps,
  input: UploadInput,
): Promise<{ doc: ImportDoc; upload: ImportUpload }> {
  const { bytes } = input;
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', '文件是空的，请选择要导入的文件');
  // An old binary .xls (OLE compound file) cannot be read: ask for .xlsx or CSV rather than guess.
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV');
  const format = detectFormat(bytes, input.fileName, input.contentType);
  if (!format) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只支持 CSV 或 Excel（.xlsx）文件');
  const encoding = format === 'csv' ? decodeCsv(bytes).encoding : null;

  let header: string[] = [];
  let rowCount = 0;
  const preview: ImportUpload['preview'] = [];
  for await (const { header: h, row } of dataRows(bytes, format)) {
    header = h;
    if (++rowCount > IMPORT_MAX_ROWS)
      throw new AppError(
        'VALIDATION_FAILED',
        `文件最多 ${IMPORT_MAX_ROWS.toLocaleString('en-US')} 行，请分成多个文件导入`,
      );
    if (preview.length < IMPORT_PREVIEW_ROWS) preview.push({ row: row.row, cells: row.cells });
  }
  if (rowCount === 0) throw new AppError('VALIDATION_FAILED', '文件中没有数据行（第一行应为表头）');

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await saveFile(deps.conn, sha256, input.fileName, bytes);
  const { Imports } = importModels(deps.conn);
  const earlier = await Imports.findOne({ sha256, state: { $in: STARTED } })
    .sort({ createdAt: -1 })
    .lean<ImportDoc>();
  const doc: ImportDoc = {
    _id: new Types.ObjectId(),
    fileName: input.fileName,
    format,
    encoding,
    sizeBytes: bytes.length,
    sha256,
    rowCount,
    header,
    state: 'uploaded',
    mapping: null,
    validation: null,
    job: {
      ...ZERO_COUNTS,
      total: rowCount,
      cursorRow: 0,
      pending: null,
      startedAt: null,
      finishedAt: null,
      startedBy: null,
      attempts: 0,
      error: null,
    },
    createdBy: input.actor,
    createdAt: new Date(deps.now()),
  };
  await Imports.create(doc);
  return {
    doc,
    upload: {
      importId: doc._id.toHexString(),
      fileName: doc.fileName,
      format,
      encoding,
      sizeBytes: doc.sizeBytes,
      sha256,
      rowCount,
      header,
      preview,
      suggestedMapping: suggestMapping(header),
      duplicateOf: earlier
        ? { importId: earlier._id.toHexString(), state: earlier.state, createdAt: earlier.createdAt.toISOString() }
        : null,
    },
  };
}

export async function getImport(deps: ImportDeps, id: Types.ObjectId): Promise<ImportDoc> {
  const doc = await importModels(deps.conn).Imports.findById(id).lean<ImportDoc>();
  if (!doc) throw new AppError('NOT_FOUND', undefined, { resource: 'import' });
  return doc;
}

export async function listImports(deps: ImportDeps, page: number, pageSize: number) {
  const { Imports } = importModels(deps.conn);
  const [items, total] = await Promise.all([
    Imports.find()
      .sort({ createdAt: -1, _id: -1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<ImportDoc[]>(),
    Imports.countDocuments(),
  ]);
  return { items, total };
}

/** Sets the mapping and validates every row with it; the issues replace any earlier report of this import. */
export async function mapImport(deps: ImportDeps, id: Types.ObjectId, mapping: ImportMapping): Promise<ImportDoc> {
  const doc = await getImport(deps, id);
  if (STARTED.includes(doc.state)) throw new AppError('CONFLICT', '导入已开始，不能再修改列映射');
  // A failed job keeps its cursor and counts: continuing it under another mapping would mix two imports.
  if (doc.state === 'failed') throw new AppError('CONFLICT', '该导入已失败，请重新上传文件');
  checkMapping(mapping, doc.header);
  const { ctx } = await ruleContext(deps);
  const { Imports, Issues } = importModels(deps.conn);
  await Issues.deleteMany({ importId: id });
  const bytes = await loadFile(deps.conn, doc.sha256);
  const summary = { rows: 0, goodRows: 0, badRows: 0, issues: 0, points: 0, balanceFen: 0 };
  const byColumn: Record<string, number> = {};
  let batch: Omit<ImportIssueDoc, '_id'>[] = [];
  const flush = async () => {
    if (batch.length) await Issues.insertMany(batch, { ordered: false });
    batch = [];
  };
  for await (const checked of checkedRows(bytes, doc.format, mapping, ctx)) {
    summary.rows++;
    if (checked.good) {
      summary.goodRows++;
      summary.points += checked.value.points;
      summary.balanceFen += checked.value.balanceFen;
      continue;
    }
    summary.badRows++;
    for (const issue of checked.issues) {
      const column = issue.column ?? 'row';
      byColumn[column] = (byColumn[column] ?? 0) + 1;
      batch.push({ importId: id, seq: summary.issues++, ...issue });
    }
    if (batch.length >= ISSUE_BATCH) await flush();
  }
  await flush();
  const validation = { mapping, ...summary, issuesByColumn: byColumn, validatedAt: new Date(deps.now()) };
  const updated = await Imports.findOneAndUpdate(
    { _id: id, state: { $in: ['uploaded', 'validated'] } },
    { $set: { mapping, validation, state: 'validated' } },
    { returnDocument: 'after' },
  ).lean<ImportDoc>();
  if (!updated) throw new AppError('CONFLICT', '导入已开始，不能再修改列映射');
  return updated;
}

export async function reportPage(deps: ImportDeps, id: Types.ObjectId, query: ImportReportQuery) {
  await getImport(deps, id);
  const filter: Record<string, unknown> = { importId: id };
  if (query.column) filter.column = query.column === 'row' ? null : query.column;
  const { Issues } = importModels(deps.conn);
  const [items, total] = await Promise.all([
    Issues.find(filter)
      .sort({ seq: 1 })
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<ImportIssueDoc[]>(),
    Issues.countDocuments(filter),
  ]);
  return { items, total };
}

/** Every issue in report order, for the CSV download (a cursor: no report is held in memory). */
export function reportCursor(deps: ImportDeps, id: Types.ObjectId) {
  return importModels(deps.conn).Issues.find({ importId: id }).sort({ seq: 1 }).lean<ImportIssueDoc[]>().cursor({
    batchSize: 1_000,
  });
}

function requireMapping(doc: ImportDoc): ImportMapping {
  if (!doc.mapping) throw new AppError('CONFLICT', '请先设置列映射并校验');
  return doc.mapping;
}

/** What the import would do now: the job's own plan over every good row, with nothing written. */
export async function dryRun(deps: ImportDeps, id: Types.ObjectId): Promise<ImportDryRun> {
  const doc = await getImport(deps, id);
  const mapping = requireMapping(doc);
  const { rules, ctx } = await ruleContext(deps);
  const bytes = await loadFile(deps.conn, doc.sha256);
  const out: ImportDryRun = {
    importId: id.toHexString(),
    rows: 0,
    create: 0,
    link: 0,
    skip: 0,
    bad: 0,
    points: 0,
    balanceFen: 0,
    checkedAt: new Date(deps.now()).toISOString(),
  };
  // One set over the whole file: nothing is written, so later batches cannot see what earlier rows would do.
  const planCtx = { source: mapping.externalSource, rules, claimed: new Set<string>() };
  let batch: ImportRow[] = [];
  const plan = async () => {
    for (const p of await planRows(deps, batch, planCtx)) {
      out[p.action]++;
      out.points += p.points;
      out.balanceFen += p.fen;
    }
    batch = [];
  };
  for await (const checked of checkedRows(bytes, doc.format, mapping, ctx)) {
    out.rows++;
    if (!checked.good) {
      out.bad++;
      continue;
    }
    batch.push(checked.value);
    if (batch.length >= PLAN_BATCH) await plan();
  }
  if (batch.length) await plan();
  return out;
}

/** Queues the import for the job; starting a started import again answers it as it is. */
export async function startImport(
  deps: ImportDeps,
  id: Types.ObjectId,
  actor: Actor,
): Promise<{ doc: ImportDoc; started: boolean }> {
  const doc = await getImport(deps, id);
  if (STARTED.includes(doc.state)) return { doc, started: false };
  if (doc.state === 'failed') throw new AppError('CONFLICT', '该导入已失败，请重新上传文件');
  requireMapping(doc);
  const started = await importModels(deps.conn)
    .Imports.findOneAndUpdate(
      { _id: id, state: 'validated' },
      { $set: { state: 'queued', 'job.startedBy': actor, 'job.startedAt': new Date(deps.now()) } },
      { returnDocument: 'after' },
    )
    .lean<ImportDoc>();
  if (!started) return { doc: await getImport(deps, id), started: false };
  return { doc: started, started: true };
}
