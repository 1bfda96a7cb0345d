// Importing a member base: upload the raw file, map its columns (every row is validated), page through or download
// the report of bad rows, dry run, start, and poll the job for the progress bar; the list of past imports.
import {
  IMPORT_XLSX_MIME,
  ImportDetail,
  ImportDryRun,
  type ImportField,
  ImportJob,
  ImportList,
  type ImportMapping,
  ImportPaths,
  ImportReportPage,
  ImportUpload,
  ImportValidation,
} from '@member-hub/shared';
import { apiDownload, apiRequest, apiUpload, type Download } from '../api';
import { buildQuery, pathId } from './query';

export const IMPORT_LIST_PAGE_SIZE = 20;
export const IMPORT_REPORT_PAGE_SIZE = 50;

/** The Content-Type the server reads the file by: the name's ending decides, as the browser's guess varies. */
export function importContentType(fileName: string): string {
  const name = fileName.toLowerCase();
  if (name.endsWith('.xlsx')) return IMPORT_XLSX_MIME;
  if (name.endsWith('.csv')) return 'text/csv';
  return 'application/octet-stream';
}

/** POST the file's bytes; its name travels URL-encoded in X-File-Name (Chinese names survive the header). */
export function uploadImport(token: string, file: Blob, fileName: string): Promise<ImportUpload> {
  return apiUpload(ImportPaths.uploads, {
    token,
    file,
    contentType: importContentType(fileName),
    headers: { 'X-File-Name': encodeURIComponent(fileName) },
    schema: ImportUpload,
  });
}

export function importListPath(pageNo: number, pageSize = IMPORT_LIST_PAGE_SIZE): string {
  return `${ImportPaths.uploads}${buildQuery({ page: pageNo, pageSize })}`;
}

export function listImports(token: string, pageNo: number): Promise<ImportList> {
  return apiRequest(importListPath(pageNo), { token, schema: ImportList });
}

export function getImport(token: string, id: string): Promise<ImportDetail> {
  return apiRequest(ImportPaths.one(pathId(id)), { token, schema: ImportDetail });
}

/** Validates every row with this mapping; may be sent again until the import starts. */
export function mapImport(token: string, id: string, body: ImportMapping): Promise<ImportValidation> {
  return apiRequest(ImportPaths.mapping(pathId(id)), { method: 'PUT', token, body, schema: ImportValidation });
}

export interface ReportParams {
  /** One field's problems, `row` for the row-level ones; null = all. */
  column: ImportField | 'row' | null;
  pageNo: number;
  pageSize?: number;
}

export function importReportPath(id: string, { column, pageNo, pageSize = IMPORT_REPORT_PAGE_SIZE }: ReportParams) {
  return `${ImportPaths.report(pathId(id))}${buildQuery({ column, page: pageNo, pageSize })}`;
}

export function getImportReport(token: string, id: string, params: ReportParams): Promise<ImportReportPage> {
  return apiRequest(importReportPath(id, params), { token, schema: ImportReportPage });
}

/** The whole report as CSV (行号, 列, 列名, 内容, 原因). */
export function downloadImportReport(token: string, id: string): Promise<Download> {
  return apiDownload(ImportPaths.reportCsv(pathId(id)), token);
}

/** What the import would do now; changes nothing. */
export function dryRunImport(token: string, id: string): Promise<ImportDryRun> {
  return apiRequest(ImportPaths.dryRun(pathId(id)), { method: 'POST', token, body: {}, schema: ImportDryRun });
}

/** 202 with the job; starting a started import answers its job again. */
export function startImport(token: string, id: string): Promise<ImportJob> {
  return apiRequest(ImportPaths.start(pathId(id)), { method: 'POST', token, body: {}, schema: ImportJob });
}
