// Issue 9 contract: importing an existing member base (CSV / XLSX) and streamed CSV exports.
//
// Import, step by step (the admin page follows it):
// 1. POST the raw file to `ImportPaths.uploads` (body = the file's bytes; Content-Type `text/csv`, the xlsx type,
//    or `application/octet-stream`; the file name in the `X-File-Name` header, URL-encoded, or `?fileName=`).
//    At most IMPORT_MAX_BYTES (else 413 PAYLOAD_TOO_LARGE). The answer (201 ImportUpload) has the header, the first
//    rows and a suggested mapping read from the header names.
// 2. PUT a mapping (ImportMappingRequest) to `ImportPaths.mapping(id)`: every row is validated; the answer is the
//    ImportValidation summary; the bad rows are paged at `ImportPaths.report(id)` (or the whole report as CSV at
//    `ImportPaths.reportCsv(id)`). A new mapping may be PUT any time before the import starts.
// 3. POST `ImportPaths.dryRun(id)`: ImportDryRun, what the import would do now. Changes nothing.
// 4. POST `ImportPaths.start(id)`: 202 ImportJob. The import runs in the background in batches; poll
//    `ImportPaths.one(id)` (ImportDetail.job) for the progress bar. A restart or crash resumes it where it stopped.
//
// Row numbers are the spreadsheet's: the header is row 1, the first data row is row 2 (what Excel shows). Blank
// rows are ignored (not counted, not reported). Bad rows are never imported; the good rows are.
//
// Re-importing is safe: opening points and stored value are keyed by the member and the account (not by the file),
// so the same rows in the same file, a re-uploaded copy or another file change nothing the second time (ImportDryRun
// counts them as `skip`). A phone or external id already known links to that member instead of creating one.
import { z } from 'zod';
import { TierNames } from './schemas';

const Count = z.number().int().min(0);
const IsoText = z.string();

/** Largest file accepted, bytes (20 MB: about 300,000 member rows). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Most data rows one file may have (an XLSX of 20 MB can hold far more than a CSV). */
export const IMPORT_MAX_ROWS = 500_000;
/** Rows an upload preview shows. */
export const IMPORT_PREVIEW_ROWS = 10;
export const IMPORT_XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ---- Fields ----
/** What a column can be mapped to. `phone` or `externalId` is required (a row needs an identity). */
export const ImportField = z.enum(['phone', 'name', 'birthday', 'points', 'balance', 'tier', 'externalId']);
export type ImportField = z.infer<typeof ImportField>;

export const ImportFieldInfo: Record<ImportField, { label: string; hint: string; aliases: string[] }> = {
  phone: {
    label: '手机号',
    hint: '中国大陆 11 位手机号，可带 +86',
    aliases: ['手机号', '手机号码', '手机', '电话', '联系电话', '移动电话', 'phone', 'mobile', 'tel', 'cellphone'],
  },
  name: {
    label: '姓名',
    hint: '会员昵称（已有昵称的会员不覆盖）',
    aliases: ['姓名', '名字', '昵称', '会员名', '会员姓名', '客户姓名', 'name', 'nickname'],
  },
  birthday: {
    label: '生日',
    hint: 'yyyy-MM-dd 或 yyyy/M/d（已有生日的会员不覆盖）',
    aliases: ['生日', '出生日期', '出生年月日', 'birthday', 'birth', 'birthdate', 'dob'],
  },
  points: {
    label: '积分',
    hint: '非负整数，作为期初积分入账',
    aliases: ['积分', '可用积分', '积分余额', '当前积分', 'points', 'point'],
  },
  balance: {
    label: '储值余额',
    hint: '元，最多两位小数，如 12.34；作为储值本金入账',
    aliases: [
      '余额',
      '储值',
      '储值余额',
      '卡内余额',
      '账户余额',
      '储值金额',
      'balance',
      'stored value',
      'stored_value',
    ],
  },
  tier: {
    label: '等级',
    hint: '须为已配置的等级名称，如 银卡',
    aliases: ['等级', '会员等级', '级别', '会员级别', 'tier', 'level', 'grade'],
  },
  externalId: {
    label: '外部会员编号',
    hint: '原系统的会员号，与“来源”一起识别会员',
    aliases: [
      '会员编号',
      '外部编号',
      '会员号',
      '会员卡号',
      '卡号',
      '原会员号',
      'external id',
      'external_id',
      'externalid',
      'member id',
      'member_id',
      'memberno',
      'member no',
      'id',
    ],
  },
};

/** Suggests a field for a header cell from ImportFieldInfo's aliases (trimmed, case- and space-insensitive). */
export function suggestField(header: string): ImportField | null {
  const key = header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
  if (!key) return null;
  for (const field of ImportField.options) if (ImportFieldInfo[field].aliases.includes(key)) return field;
  return null;
}

/** The whole mapping from a header row: each field at most once, the first matching column wins. */
export function suggestMapping(header: string[]): ImportMapping {
  const columns: ImportMapping['columns'] = {};
  header.forEach((cell, index) => {
    const field = suggestField(cell);
    if (field && columns[field] === undefined) columns[field] = index;
  });
  return { columns, externalSource: 'import' };
}

// ---- Mapping ----
/** Column index (0-based, in the header) for each mapped field; unmapped fields are simply not imported. */
export const ImportMapping = z.strictObject({
  columns: z.partialRecord(ImportField, z.number().int().min(0).max(999)),
  /**
   * Where the external ids come from (the old system's name), part of the identity key: the same id from two
   * sources is two people. Letters, digits, `_` and `-`.
   */
  externalSource: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, '来源只能包含字母、数字、下划线和短横线，最多 32 个字符')
    .default('import'),
});
export type ImportMapping = z.infer<typeof ImportMapping>;

/** PUT mapping. Refused (400 VALIDATION_FAILED) when neither phone nor external id is mapped, a column is out of
 * range, or two fields share a column. */
export const ImportMappingRequest = ImportMapping;
export type ImportMappingRequest = z.infer<typeof ImportMappingRequest>;

// ---- Upload ----
export const ImportState = z.enum(['uploaded', 'validated', 'queued', 'running', 'done', 'failed']);
export type ImportState = z.infer<typeof ImportState>;
export const ImportStateLabels: Record<ImportState, string> = {
  uploaded: '待设置列',
  validated: '已校验',
  queued: '排队中',
  running: '导入中',
  done: '已完成',
  failed: '失败',
};

export const ImportFormat = z.enum(['csv', 'xlsx']);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const ImportUpload = z.object({
  importId: z.string(),
  fileName: z.string(),
  format: ImportFormat,
  /** CSV only: the text encoding detected (UTF-8 with or without BOM, or GBK as Excel saves it). */
  encoding: z.enum(['utf-8', 'gbk']).nullable(),
  sizeBytes: Count,
  /** Hex SHA-256 of the bytes: the same file uploaded again has the same hash. */
  sha256: z.string(),
  /** Data rows (header and blank rows not counted). */
  rowCount: Count,
  header: z.array(z.string()),
  /** The first IMPORT_PREVIEW_ROWS data rows, cells as text (phones unmasked: the owner's own file). */
  preview: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
  suggestedMapping: ImportMapping,
  /** An earlier import of the very same bytes that was started, if any (the admin page warns; importing again is
   * harmless). */
  duplicateOf: z.object({ importId: z.string(), state: ImportState, createdAt: IsoText }).nullable(),
});
export type ImportUpload = z.infer<typeof ImportUpload>;

// ---- Validation report ----
/** Why a row is bad, in words an owner reads. `{row}` is filled in for duplicates. */
export const ImportReasons = {
  phoneInvalid: '手机号格式不正确',
  identityMissing: '手机号和外部编号至少填一个',
  birthdayInvalid: '生日不是有效日期',
  pointsInvalid: '积分须为非负整数',
  balanceInvalid: '余额须为非负金额',
  balanceDecimals: '余额最多两位小数',
  tierUnknown: '等级不存在',
  nameTooLong: '姓名最多 32 个字',
  externalIdInvalid: '外部编号最多 64 个字符',
  duplicatePhone: (firstRow: number) => `同一文件中手机号重复（第 ${firstRow} 行）`,
  duplicateExternalId: (firstRow: number) => `同一文件中外部编号重复（第 ${firstRow} 行）`,
} as const;

/** One problem. A row may have several (one per column); `value` is the cell as given, phones masked. */
export const ImportIssue = z.object({
  row: z.number().int(),
  /** The mapped field, null for a row-level problem (no identity at all). */
  column: ImportField.nullable(),
  /** The header text of that column (what the owner sees in Excel). */
  columnName: z.string().nullable(),
  value: z.string(),
  reason: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportValidation = z.object({
  importId: z.string(),
  mapping: ImportMapping,
  rows: Count,
  goodRows: Count,
  badRows: Count,
  /** Problems (a bad row may have more than one). */
  issues: Count,
  /** Problems per field (`row` for row-level ones). */
  issuesByColumn: z.record(z.string(), Count),
  /** Sums over the good rows. */
  points: Count,
  balanceFen: Count,
  validatedAt: IsoText,
});
export type ImportValidation = z.infer<typeof ImportValidation>;

export const ImportReportQuery = z.strictObject({
  column: z.union([ImportField, z.literal('row')]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ImportReportQuery = z.infer<typeof ImportReportQuery>;

/** Issues in row order (then column), paged; `total` counts the filtered issues. */
export const ImportReportPage = z.object({
  importId: z.string(),
  items: z.array(ImportIssue),
  total: Count,
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ImportReportPage = z.infer<typeof ImportReportPage>;

// ---- Dry run ----
/** What the import would do with the good rows, against the members as they are now. */
export const ImportDryRun = z.object({
  importId: z.string(),
  rows: Count,
  /** No member has this phone / external id: one is created. */
  create: Count,
  /** A member already has it: linked, and whatever of the row is not yet there is added (opening points and
   * stored value once per member; birthday, name only where empty; tier only upwards; an existing member's phone
   * is never changed). */
  link: Count,
  /** A member already has it and everything the row carries: nothing changes (e.g. imported before). */
  skip: Count,
  bad: Count,
  /** What would be entered, points and fen (already-imported values not counted). */
  points: Count,
  balanceFen: Count,
  checkedAt: IsoText,
});
export type ImportDryRun = z.infer<typeof ImportDryRun>;

// ---- Job ----
export const ImportStartRequest = z.strictObject({}).default({});
export type ImportStartRequest = z.infer<typeof ImportStartRequest>;

export const ImportJob = z.object({
  importId: z.string(),
  state: ImportState,
  /** Data rows gone through (good and bad) out of `total`: the progress bar. */
  processed: Count,
  total: Count,
  created: Count,
  linked: Count,
  skipped: Count,
  bad: Count,
  /** Entered by this import (values already there before are not counted). */
  pointsEntered: Count,
  fenEntered: Count,
  startedAt: IsoText.nullable(),
  finishedAt: IsoText.nullable(),
  /** Chinese, for the owner, when `failed`. */
  error: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportDetail = z.object({
  importId: z.string(),
  fileName: z.string(),
  format: ImportFormat,
  sizeBytes: Count,
  sha256: z.string(),
  rowCount: Count,
  header: z.array(z.string()),
  state: ImportState,
  mapping: ImportMapping.nullable(),
  validation: ImportValidation.nullable(),
  job: ImportJob,
  createdBy: z.string().nullable(),
  createdAt: IsoText,
});
export type ImportDetail = z.infer<typeof ImportDetail>;

export const ImportListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ImportListQuery = z.infer<typeof ImportListQuery>;

/** Newest first. */
export const ImportList = z.object({
  items: z.array(ImportDetail),
  total: Count,
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ImportList = z.infer<typeof ImportList>;

export const ImportPaths = {
  /** POST raw file -> 201 ImportUpload; GET ImportListQuery -> ImportList */
  uploads: '/api/v1/admin/imports',
  /** GET -> ImportDetail */
  one: (id: string) => `/api/v1/admin/imports/${id}`,
  /** PUT ImportMappingRequest -> ImportValidation */
  mapping: (id: string) => `/api/v1/admin/imports/${id}/mapping`,
  /** GET ImportReportQuery -> ImportReportPage */
  report: (id: string) => `/api/v1/admin/imports/${id}/report`,
  /** GET -> text/csv: 行号, 列, 列名, 内容, 原因 */
  reportCsv: (id: string) => `/api/v1/admin/imports/${id}/report.csv`,
  /** POST -> ImportDryRun */
  dryRun: (id: string) => `/api/v1/admin/imports/${id}/dry-run`,
  /** POST ImportStartRequest -> 202 ImportJob (a second start of a started import answers its job, 202) */
  start: (id: string) => `/api/v1/admin/imports/${id}/start`,
} as const;

// ---- Owner permissions ----
/** What an owner account may do beyond the default. The first owner (created at boot) has all of them. */
export const OwnerPermission = z.enum(['export_personal_data']);
export type OwnerPermission = z.infer<typeof OwnerPermission>;
export const OwnerPermissionLabels: Record<OwnerPermission, string> = {
  export_personal_data: '导出完整手机号',
};

// ---- Exports ----
// Every export is a GET answering `text/csv; charset=utf-8`, streamed (chunked), with a UTF-8 BOM so Excel reads
// the Chinese, and `Content-Disposition: attachment; filename*=UTF-8''<name>.csv`. Amounts are ¥12.34, points are
// integers, times are China time `yyyy-MM-dd HH:mm:ss`. Every export is audited (what, filters, rows, masked).
// Phones are masked (138****1234) unless `phone=full` is asked AND the owner has `export_personal_data`
// (asked without it: 403 FORBIDDEN).
const DateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, '不是有效日期');

export const MemberExportQuery = z.strictObject({
  tier: z.enum(TierNames).optional(),
  /** Joined on or after / on or before, China time. */
  joinedFrom: DateText.optional(),
  joinedTo: DateText.optional(),
  phone: z.enum(['masked', 'full']).default('masked'),
});
export type MemberExportQuery = z.infer<typeof MemberExportQuery>;
/** Columns of the members export, in order. */
export const MemberExportColumns = [
  '会员号',
  '手机号',
  '昵称',
  '等级',
  '积分',
  '储值余额',
  '成长值',
  '加入时间',
  '生日',
] as const;

export const LedgerExportQuery = z.strictObject({
  /** points, or wallet (principal and bonus entries, one row each). */
  account: z.enum(['points', 'wallet']).default('points'),
  from: DateText.optional(),
  to: DateText.optional(),
  memberNo: z
    .string()
    .regex(/^\d{8,12}$/, '会员号格式不正确')
    .optional(),
});
export type LedgerExportQuery = z.infer<typeof LedgerExportQuery>;
/** Columns of the ledger export: 变动 is points, or ¥ for the wallet. */
export const LedgerExportColumns = ['时间', '会员号', '账户', '变动', '原因', '说明', '流水号'] as const;

export const RfmExportQuery = z.strictObject({
  class: z
    .enum([
      'important_value',
      'important_retain',
      'important_develop',
      'important_winback',
      'general_value',
      'general_retain',
      'general_develop',
      'general_winback',
      'none',
    ])
    .optional(),
});
export type RfmExportQuery = z.infer<typeof RfmExportQuery>;
export const RfmExportColumns = [
  '会员号',
  '昵称',
  '分类',
  'R',
  'F',
  'M',
  '最近消费',
  '距今天数',
  '订单数',
  '消费金额',
  '流失预警',
] as const;
export const ChurnExportColumns = [
  '会员号',
  '昵称',
  '分类',
  '最近消费',
  '距今天数',
  '平均间隔天数',
  '超出倍数',
  '订单数',
  '消费金额',
] as const;

export const ExportPaths = {
  /** GET MemberExportQuery -> CSV MemberExportColumns */
  members: '/api/v1/admin/exports/members.csv',
  /** GET LedgerExportQuery -> CSV LedgerExportColumns */
  ledger: '/api/v1/admin/exports/ledger.csv',
  /** GET RfmExportQuery -> CSV RfmExportColumns (the current RFM run) */
  rfm: '/api/v1/admin/exports/rfm.csv',
  /** GET RfmExportQuery -> CSV ChurnExportColumns (the current run's churn warnings, most valuable first) */
  churn: '/api/v1/admin/exports/churn.csv',
} as const;
