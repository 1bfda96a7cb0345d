// The owner's member import: upload, map + validate, report, dry run, start, progress. Every step is audited;
// the import itself runs in the background (jobs/importMembers), so start answers 202 at once.
import Router from '@koa/router';
import {
  IMPORT_MAX_BYTES,
  IMPORT_XLSX_MIME,
  type ImportDryRun,
  type ImportList,
  ImportListQuery,
  ImportMappingRequest,
  ImportPaths,
  type ImportReportPage,
  ImportReportQuery,
  ImportStartRequest,
} from '@member-hub/shared';
import type { Context } from 'koa';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { importMembers } from '../../jobs/importMembers';
import { idParam } from '../../lib/params';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { chinaDateTime, sendCsv } from '../exports/csv';
import { presentImport, presentIssue, presentJob, presentValidation } from './presenter';
import {
  dryRun,
  getImport,
  listImports,
  mapImport,
  reportCursor,
  reportPage,
  startImport,
  uploadImport,
} from './service';

const ACCEPTED_TYPES = [
  'text/csv',
  'text/plain',
  // What browsers on Windows send for a .csv when Excel is installed.
  'application/vnd.ms-excel',
  IMPORT_XLSX_MIME,
  'application/octet-stream',
];

/** The raw request body, at most `limit` bytes. Past the limit the rest is read and dropped, so the client gets
 * the 413 answer instead of a reset connection. */
async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit * 4) throw new AppError('PAYLOAD_TOO_LARGE', `文件不能超过 ${limit / 1024 / 1024} MB`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size <= limit) parts.push(chunk as Buffer);
    else if (size > limit * 4) break;
  }
  if (size > limit) throw new AppError('PAYLOAD_TOO_LARGE', `文件不能超过 ${limit / 1024 / 1024} MB`);
  return Buffer.concat(parts);
}

function fileNameOf(ctx: Context): string {
  const raw = ctx.get('x-file-name') || (typeof ctx.query.fileName === 'string' ? ctx.query.fileName : '');
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // Not URL-encoded: take it as it is.
  }
  // A name, not a path; control characters would end up in logs and audit records.
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((ch) => (ch.codePointAt(0) ?? 0) >= 0x20)
    .join('')
    .trim();
  return cleaned.slice(0, 200) || 'import';
}

export function importRoutes(deps: AppDeps): Router {
  const router = new Router();
  const importing = authorize('member.import');
  const audit = (ctx: Context, action: string, details: Record<string, unknown>) =>
    deps.audit.record({ actor: actorOf(ctx), action, ip: ctx.ip, details });
  const kick = () =>
    importMembers(deps).catch((err: unknown) => deps.logger.error({ err, job: 'importMembers' }, 'import failed'));

  router.post(ImportPaths.uploads, importing, async (ctx) => {
    const contentType = (ctx.get('content-type') || '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_TYPES.includes(contentType))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请直接上传 CSV 或 Excel（.xlsx）文件内容');
    const bytes = await readBody(ctx, IMPORT_MAX_BYTES);
    const { doc, upload } = await uploadImport(deps, {
      bytes,
      fileName: fileNameOf(ctx),
      contentType,
      actor: actorOf(ctx),
    });
    await audit(ctx, 'member.import.upload', {
      importId: upload.importId,
      fileName: doc.fileName,
      sha256: doc.sha256,
      sizeBytes: doc.sizeBytes,
      rows: doc.rowCount,
    });
    ctx.status = 201;
    ctx.body = upload;
  });

  router.get(ImportPaths.uploads, importing, validate(ImportListQuery, 'query'), async (ctx) => {
    const { page, pageSize } = inputOf(ctx, ImportListQuery);
    const { items, total } = await listImports(deps, page, pageSize);
    const body: ImportList = { items: items.map(presentImport), total, page, pageSize };
    ctx.body = body;
  });

  router.get('/api/v1/admin/imports/:id', importing, async (ctx) => {
    ctx.body = presentImport(await getImport(deps, idParam(ctx.params.id, 'import')));
  });

  router.put('/api/v1/admin/imports/:id/mapping', importing, validate(ImportMappingRequest), async (ctx) => {
    const id = idParam(ctx.params.id, 'import');
    const doc = await mapImport(deps, id, inputOf(ctx, ImportMappingRequest));
    const validation = presentValidation(doc);
    await audit(ctx, 'member.import.map', {
      importId: id.toHexString(),
      mapping: doc.mapping,
      goodRows: validation?.goodRows,
      badRows: validation?.badRows,
    });
    ctx.body = validation;
  });

  router.get('/api/v1/admin/imports/:id/report', importing, validate(ImportReportQuery, 'query'), async (ctx) => {
    const id = idParam(ctx.params.id, 'import');
    const query = inputOf(ctx, ImportReportQuery);
    const { items, total } = await reportPage(deps, id, query);
    const body: ImportReportPage = {
      importId: id.toHexString(),
      items: items.map(presentIssue),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
    ctx.body = body;
  });

  router.get('/api/v1/admin/imports/:id/report.csv', importing, async (ctx) => {
    const id = idParam(ctx.params.id, 'import');
    const doc = await getImport(deps, id);
    async function* rows() {
      for await (const issue of reportCursor(deps, id))
        yield [issue.row, issue.column ?? '', issue.columnName ?? '', issue.value, issue.reason];
    }
    const stamp = chinaDateTime(new Date(deps.now())).replace(/[-: ]/g, '').slice(0, 12);
    sendCsv(ctx, {
      fileName: `导入校验报告-${doc.fileName.replace(/\.[^.]+$/, '')}-${stamp}.csv`,
      columns: ['行号', '字段', '列名', '内容', '原因'],
      rows: rows(),
    });
  });

  router.post('/api/v1/admin/imports/:id/dry-run', importing, async (ctx) => {
    const body: ImportDryRun = await dryRun(deps, idParam(ctx.params.id, 'import'));
    ctx.body = body;
  });

  router.post('/api/v1/admin/imports/:id/start', importing, validate(ImportStartRequest), async (ctx) => {
    const id = idParam(ctx.params.id, 'import');
    const { doc, started } = await startImport(deps, id, actorOf(ctx));
    if (started) {
      await audit(ctx, 'member.import.start', {
        importId: id.toHexString(),
        fileName: doc.fileName,
        sha256: doc.sha256,
        rows: doc.rowCount,
        goodRows: doc.validation?.goodRows ?? null,
      });
      // Runs here now if no other copy holds the job's lease; otherwise that copy (or the next tick) takes it.
      void kick();
    }
    ctx.status = 202;
    ctx.body = presentJob(doc);
  });

  return router;
}
