// 导入, the pure part: which files are taken, the column mapping (one select per column of the file, prefilled from
// the header names) <-> ImportMapping with every problem in Chinese next to its column, and the texts of the
// validation, the dry run and the job's progress bar.
import {
  formatFen,
  formatPoints,
  IMPORT_MAX_BYTES,
  type ImportDryRun,
  ImportField,
  ImportFieldInfo,
  type ImportJob,
  ImportMapping,
  type ImportState,
  type ImportValidation,
} from '@member-hub/shared';
import { type FieldErrors, type FormCheck, issueMessage, serverIssues } from '../../forms';

export const IMPORT_FIELDS: readonly ImportField[] = ImportField.options;
export const ACCEPTED_FILES = '.csv,.xlsx';

/** Why the file cannot be uploaded, or null. The server checks again (and reads the file itself). */
export function fileProblem(file: { name: string; size: number }): string | null {
  const name = file.name.toLowerCase();
  if (!name.endsWith('.csv') && !name.endsWith('.xlsx')) return '只支持 CSV 或 Excel（.xlsx）文件';
  if (file.size === 0) return '文件是空的';
  if (file.size > IMPORT_MAX_BYTES) return `文件不能超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB`;
  return null;
}

/** "12.3 KB", "1.5 MB". */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** Excel's column name: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let rest = index + 1;
  let letters = '';
  while (rest > 0) {
    const digit = (rest - 1) % 26;
    letters = String.fromCharCode(65 + digit) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

// ---- Mapping ----

export interface MappingForm {
  /** One per column of the file: the field it is imported as, '' = 不导入. */
  columns: (ImportField | '')[];
  externalSource: string;
}

/** `columns` (the mapping as a whole), `externalSource`, and `column.<index>` for one column. */
export type MappingErrors = FieldErrors;

export function columnKey(index: number): string {
  return `column.${index}`;
}

/** The selects as `mapping` has them (the suggested one, or the one saved), one per header cell. */
export function mappingToForm(header: readonly string[], mapping: ImportMapping): MappingForm {
  const columns: (ImportField | '')[] = header.map(() => '');
  for (const field of IMPORT_FIELDS) {
    const index = mapping.columns[field];
    if (index !== undefined && index < columns.length) columns[index] = field;
  }
  return { columns, externalSource: mapping.externalSource };
}

/** The selects -> the mapping, or the problems: a field picked twice, no identity column, a bad source. */
export function mappingForm(form: MappingForm, header: readonly string[]): FormCheck<ImportMapping> {
  const errors: MappingErrors = {};
  const columns: ImportMapping['columns'] = {};
  form.columns.forEach((field, index) => {
    if (field === '') return;
    const first = columns[field];
    if (first === undefined) columns[field] = index;
    else {
      errors[columnKey(index)] =
        `「${ImportFieldInfo[field].label}」已选给第 ${columnLetter(first)} 列（${header[first] ?? ''}），每项只能选一列`;
    }
  });
  if (columns.phone === undefined && columns.externalId === undefined) {
    errors.columns = '请至少把一列设为「手机号」或「外部会员编号」，用来识别会员';
  }
  const result = ImportMapping.safeParse({ columns, externalSource: form.externalSource });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0] === 'externalSource' ? 'externalSource' : 'columns';
      errors[field] ??= issueMessage(issue, { externalSource: '来源' });
    }
  }
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: result.data };
}

/** The server's VALIDATION_FAILED details on a mapping: the source next to its input, the rest over the columns. */
export function mappingServerErrors(details: unknown): MappingErrors {
  const errors: MappingErrors = {};
  for (const issue of serverIssues(details)) {
    const field = issue.path[0] === 'externalSource' ? 'externalSource' : 'columns';
    errors[field] ??= issueMessage(issue, { externalSource: '来源' });
  }
  return errors;
}

/** The select's choice for a field: "手机号", with what it expects as the title. */
export function fieldOptionText(field: ImportField): string {
  return ImportFieldInfo[field].label;
}

// ---- Validation and report ----

/** 「共 4 行：3 行可导入，1 行有问题（共 1 处）」 */
export function validationText(validation: ImportValidation): string {
  const head = `共 ${formatPoints(validation.rows)} 行：${formatPoints(validation.goodRows)} 行可导入`;
  if (validation.badRows === 0) return `${head}，没有问题`;
  return `${head}，${formatPoints(validation.badRows)} 行有问题（共 ${formatPoints(validation.issues)} 处），有问题的行不会导入`;
}

/** 「可导入的期初积分合计 300，储值合计 ¥12.34」 */
export function validationTotalsText(validation: Pick<ImportValidation, 'points' | 'balanceFen'>): string {
  return `可导入的期初积分合计 ${formatPoints(validation.points)}，储值合计 ${formatFen(validation.balanceFen)}`;
}

export type ReportColumn = ImportField | 'row';

/** A report column's name: the field's label, 整行 for the row-level problems. */
export function reportColumnText(column: ReportColumn): string {
  return column === 'row' ? '整行' : ImportFieldInfo[column].label;
}

/** The report's column filter: the columns with problems, most first, with their counts. */
export function reportColumnOptions(validation: ImportValidation): { column: ReportColumn; text: string }[] {
  return Object.entries(validation.issuesByColumn)
    .filter(([, count]) => count > 0)
    .flatMap(([key, count]) => {
      const column: ReportColumn | undefined = key === 'row' ? 'row' : IMPORT_FIELDS.find((field) => field === key);
      return column ? [{ column, count, text: `${reportColumnText(column)}（${formatPoints(count)}）` }] : [];
    })
    .sort((a, b) => b.count - a.count)
    .map(({ column, text }) => ({ column, text }));
}

// ---- Dry run and job ----

/** What the import would do, one line each. */
export function dryRunLines(dry: ImportDryRun): string[] {
  return [
    `新建会员 ${formatPoints(dry.create)} 位`,
    `关联已有会员 ${formatPoints(dry.link)} 位`,
    `无需变动 ${formatPoints(dry.skip)} 行（之前已导入过）`,
    `有问题不导入 ${formatPoints(dry.bad)} 行`,
    `将入账期初积分 ${formatPoints(dry.points)}，储值 ${formatFen(dry.balanceFen)}`,
  ];
}

/** Still being worked on by the server: the page polls it. */
export function isJobRunning(state: ImportState): boolean {
  return state === 'queued' || state === 'running';
}

/** Started at some point: the mapping can no longer change. */
export function isStarted(state: ImportState): boolean {
  return state !== 'uploaded' && state !== 'validated';
}

/** The progress bar: how far along (0–100) and 「已处理 2 / 4 行 · 新建 1 · 关联 0 · 跳过 0 · 有问题 1」. */
export function jobProgress(job: ImportJob): { percent: number; text: string } {
  const percent =
    job.total === 0 ? (job.state === 'done' ? 100 : 0) : Math.min(100, Math.floor((job.processed * 100) / job.total));
  const text = [
    `已处理 ${formatPoints(job.processed)} / ${formatPoints(job.total)} 行`,
    `新建 ${formatPoints(job.created)}`,
    `关联 ${formatPoints(job.linked)}`,
    `跳过 ${formatPoints(job.skipped)}`,
    `有问题 ${formatPoints(job.bad)}`,
  ].join(' · ');
  return { percent, text };
}

/** The finished import's line: what it entered. */
export function jobResultText(job: ImportJob): string {
  if (job.state === 'failed') return `导入失败：${job.error ?? '请稍后重试'}`;
  return `导入完成：新建 ${formatPoints(job.created)} 位，关联 ${formatPoints(job.linked)} 位，入账积分 ${formatPoints(job.pointsEntered)}，储值 ${formatFen(job.fenEntered)}`;
}
