// 储值 forms: what the owner typed (yuan, blank = 不限) -> the contract's fen, every problem in Chinese next to its
// input; the payments list's filters and refunds; the reconciliation's labels and default day.
import {
  ChargeStatusLabels,
  formatFen,
  formatPoints,
  type PaymentKind,
  type PaymentRow,
  type ReconciliationReport,
  type TopUpPackage,
  TopUpPackageInput,
  TopUpStatusLabels,
} from '@member-hub/shared';
import type { ChargeRefundBody, TopUpPackageBody, TopUpRefundBody } from '../../api/wallet';
import { type FieldErrors, type FormCheck, type FormIssue, issueMessage, serverIssues } from '../../forms';
import { formatYuan, parseWhole, parseYuan } from '../../units';

// ---- Packages ----

export interface PackageForm {
  name: string;
  /** 充值金额 in yuan. */
  pay: string;
  /** 赠送金额 in yuan; blank = 0. */
  bonus: string;
  /** yyyy-MM-dd, blank = 不限. */
  validFrom: string;
  validUntil: string;
  /** Blank = 不限. */
  perMemberLimit: string;
  sort: string;
  active: boolean;
}

export type PackageField = Exclude<keyof PackageForm, 'active'>;
export type PackageErrors = FieldErrors<PackageField>;

export function emptyPackageForm(): PackageForm {
  return {
    name: '',
    pay: '',
    bonus: '',
    validFrom: '',
    validUntil: '',
    perMemberLimit: '',
    sort: '0',
    active: true,
  };
}

export function packageToForm(pkg: TopUpPackage): PackageForm {
  return {
    name: pkg.name,
    pay: formatYuan(pkg.payFen),
    bonus: formatYuan(pkg.bonusFen),
    validFrom: pkg.validFrom ?? '',
    validUntil: pkg.validUntil ?? '',
    perMemberLimit: pkg.perMemberLimit === null ? '' : String(pkg.perMemberLimit),
    sort: String(pkg.sort),
    active: pkg.active,
  };
}

/** The whole body for a package as it is, with `active` switched (上架 / 下架). */
export function packageBody(pkg: TopUpPackage, active: boolean): TopUpPackageBody {
  return {
    name: pkg.name,
    payFen: pkg.payFen,
    bonusFen: pkg.bonusFen,
    validFrom: pkg.validFrom,
    validUntil: pkg.validUntil,
    perMemberLimit: pkg.perMemberLimit,
    active,
    sort: pkg.sort,
  };
}

/** Contract field -> the input it is typed in. */
const FIELD_OF: Readonly<Record<string, PackageField>> = {
  name: 'name',
  payFen: 'pay',
  bonusFen: 'bonus',
  validFrom: 'validFrom',
  validUntil: 'validUntil',
  perMemberLimit: 'perMemberLimit',
  sort: 'sort',
};

const LABELS: Readonly<Record<string, string>> = {
  name: '名称',
  payFen: '充值金额',
  bonusFen: '赠送金额',
  validFrom: '开始日期',
  validUntil: '结束日期',
  perMemberLimit: '每人限购',
  sort: '排序',
};

const bound = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null);

/**
 * One Chinese sentence for a problem with a package field: the schema's own Chinese messages as they are; bounds
 * of money fields in ¥ (the owner types yuan, the schema counts fen), counts and lengths with their unit.
 */
export function packageIssueText(issue: FormIssue & { minimum?: unknown }): string {
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  const field = String(issue.path[0] ?? '');
  const label = LABELS[field] ?? '该项';
  const min = bound(issue.minimum);
  const max = bound(issue.maximum);
  if (field === 'payFen' || field === 'bonusFen') {
    if (issue.code === 'too_small')
      return min !== null && min > 0 ? `${label}至少 ${formatFen(min)}` : `${label}不能为负数`;
    if (issue.code === 'too_big' && max !== null) return `${label}最多 ${formatFen(max)}`;
    return `${label}请输入金额，例如 500 或 500.50`;
  }
  if (field === 'perMemberLimit') {
    if (issue.code === 'too_small') return `${label}至少 ${min ?? 1} 次，留空表示不限`;
    if (issue.code === 'too_big') return `${label}最多 ${max ?? 1000} 次`;
    return `${label}请输入整数，留空表示不限`;
  }
  if (field === 'sort') return `排序请输入 0 到 999 的整数`;
  return issueMessage(issue, LABELS);
}

/** Problems keyed by the input they belong to; the first one per input wins, the rest go to the form. */
function collect(issues: readonly (FormIssue & { minimum?: unknown })[]): PackageErrors {
  const errors: PackageErrors = {};
  for (const issue of issues) {
    const field = FIELD_OF[String(issue.path[0] ?? '')] ?? 'form';
    errors[field] ??= packageIssueText(issue);
  }
  return errors;
}

export type PackageResult = FormCheck<TopUpPackageBody, PackageField>;

/** The form -> the package body, checked by the shared TopUpPackageInput, or every problem found. */
export function packageForm(form: PackageForm): PackageResult {
  const errors: PackageErrors = {};
  const payFen = form.pay.trim() === '' ? null : parseYuan(form.pay);
  if (form.pay.trim() === '') errors.pay = '请填写充值金额';
  else if (payFen === null) errors.pay = '充值金额请输入金额，例如 500 或 500.50（最多两位小数）';
  const bonusFen = form.bonus.trim() === '' ? 0 : parseYuan(form.bonus);
  if (bonusFen === null) errors.bonus = '赠送金额请输入金额，例如 50（不送请填 0 或留空）';
  const perMemberLimit = form.perMemberLimit.trim() === '' ? null : parseWhole(form.perMemberLimit);
  if (form.perMemberLimit.trim() !== '' && perMemberLimit === null) {
    errors.perMemberLimit = '每人限购请输入整数，留空表示不限';
  }
  const sort = form.sort.trim() === '' ? 0 : parseWhole(form.sort);
  if (sort === null) errors.sort = '排序请输入 0 到 999 的整数';

  const parsed = TopUpPackageInput.safeParse({
    name: form.name,
    payFen: payFen ?? 0,
    bonusFen: bonusFen ?? 0,
    validFrom: form.validFrom.trim() || null,
    validUntil: form.validUntil.trim() || null,
    perMemberLimit,
    active: form.active,
    sort: sort ?? 0,
  });
  if (!parsed.success) {
    // An input that could not be read keeps its own message rather than the schema's verdict on a stand-in 0,
    // and "赠送不能超过充值" means nothing while the 充值金额 itself is unreadable.
    const issues = (parsed.error.issues as readonly FormIssue[]).filter(
      (issue) => !(issue.code === 'custom' && issue.path[0] === 'bonusFen' && errors.pay),
    );
    const fromSchema = collect(issues);
    for (const [field, message] of Object.entries(fromSchema) as [PackageField | 'form', string][]) {
      errors[field] ??= message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** The server's VALIDATION_FAILED details (`[{ path, message, code? }]`) -> errors next to the inputs. */
export function packageServerErrors(details: unknown): PackageErrors {
  return collect(serverIssues(details));
}

/** "充 ¥500.00 送 ¥50.00" for the table and the confirmations. */
export function packageText(pkg: Pick<TopUpPackage, 'payFen' | 'bonusFen'>): string {
  return pkg.bonusFen > 0 ? `充 ${formatFen(pkg.payFen)} 送 ${formatFen(pkg.bonusFen)}` : `充 ${formatFen(pkg.payFen)}`;
}

/** 长期有效 / 2030-01-01 起 / 至 2030-12-31 / 2030-01-01 至 2030-12-31. */
export function validityText(pkg: Pick<TopUpPackage, 'validFrom' | 'validUntil'>): string {
  if (pkg.validFrom && pkg.validUntil) return `${pkg.validFrom} 至 ${pkg.validUntil}`;
  if (pkg.validFrom) return `${pkg.validFrom} 起`;
  if (pkg.validUntil) return `至 ${pkg.validUntil}`;
  return '长期有效';
}

export function limitText(limit: number | null): string {
  return limit === null ? '不限' : `${formatPoints(limit)} 次`;
}

// ---- Payments ----

export const PAYMENT_KIND_LABELS: Record<PaymentKind, string> = { top_up: '充值', charge: '储值消费' };

/** The status filter's choices for a kind (both kinds: every status once). */
export function statusOptions(kind: PaymentKind | null): [string, string][] {
  if (kind === 'top_up') return Object.entries(TopUpStatusLabels);
  if (kind === 'charge') return Object.entries(ChargeStatusLabels);
  return Object.entries({ ...TopUpStatusLabels, ...ChargeStatusLabels });
}

/** How the money came in: "微信 ¥500.00" / "储值 ¥90.00 · 微信 ¥10.00". */
export function paidWithText(row: Pick<PaymentRow, 'walletFen' | 'wechatFen'>): string {
  const parts: string[] = [];
  if (row.walletFen > 0) parts.push(`储值 ${formatFen(row.walletFen)}`);
  if (row.wechatFen > 0) parts.push(`微信 ${formatFen(row.wechatFen)}`);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** What the refund dialog asks before sending. */
export function refundWarning(row: PaymentRow): string {
  if (row.kind === 'top_up') {
    return `将退还这笔充值中会员未使用的本金（最多 ${formatFen(row.refundableFen)}），原路退回微信；赠送金额按退款比例作废。退款提交后不可撤销。`;
  }
  return `最多可退 ${formatFen(row.refundableFen)}：储值部分退回会员余额（本金与赠送按原比例），微信支付部分原路退回。退款提交后不可撤销。`;
}

export type RefundResult =
  | { ok: true; kind: 'top_up'; body: TopUpRefundBody; fen: number }
  | { ok: true; kind: 'charge'; body: ChargeRefundBody; fen: number }
  | { ok: false; message: string };

/** The refund dialog -> the request body; a charge takes an amount (at most what is refundable). */
export function refundForm(
  row: PaymentRow,
  input: { amount: string; reason: string; idempotencyKey: string },
): RefundResult {
  if (row.refundableFen <= 0) return { ok: false, message: '这笔支付没有可退金额' };
  if (row.kind === 'top_up') {
    const reason = input.reason.trim();
    if (reason.length > 80) return { ok: false, message: '退款原因最多 80 个字' };
    return { ok: true, kind: 'top_up', body: { idempotencyKey: input.idempotencyKey, reason }, fen: row.refundableFen };
  }
  if (input.amount.trim() === '') return { ok: false, message: '请填写退款金额' };
  const fen = parseYuan(input.amount);
  if (fen === null) return { ok: false, message: '退款金额请输入金额，例如 10 或 10.50（最多两位小数）' };
  if (fen <= 0) return { ok: false, message: '退款金额必须大于 0' };
  if (fen > row.refundableFen) return { ok: false, message: `退款金额不能超过可退的 ${formatFen(row.refundableFen)}` };
  return { ok: true, kind: 'charge', body: { amountFen: fen, idempotencyKey: input.idempotencyKey }, fen };
}

// ---- Reconciliation ----

export const DIFFERENCE_LABELS: Record<ReconciliationReport['differences'][number]['kind'], string> = {
  missing_in_ours: '我方无记录',
  missing_in_theirs: '微信无记录',
  amount_mismatch: '金额不一致',
  state_mismatch: '状态不一致',
};

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The day before `now` in China time (the trade bill of a day is ready the next morning), as yyyy-MM-dd. */
export function defaultReconciliationDate(now: number = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS - 24 * 3600 * 1000).toISOString().slice(0, 10);
}

export interface ComparisonRow {
  label: string;
  ours: string;
  theirs: string;
  /** Ours minus theirs, as text; null when equal. */
  difference: string | null;
}

/** The four sums side by side: 支付笔数, 支付金额, 退款笔数, 退款金额. */
export function comparisonRows(report: ReconciliationReport): ComparisonRow[] {
  const { ours, theirs } = report;
  const count = (a: number, b: number) => (a === b ? null : `${a - b > 0 ? '+' : ''}${a - b} 笔`);
  const money = (a: number, b: number) => (a === b ? null : `${a - b > 0 ? '+' : ''}${formatFen(a - b)}`);
  return [
    {
      label: '支付笔数',
      ours: `${ours.payments} 笔`,
      theirs: `${theirs.payments} 笔`,
      difference: count(ours.payments, theirs.payments),
    },
    {
      label: '支付金额',
      ours: formatFen(ours.paidFen),
      theirs: formatFen(theirs.paidFen),
      difference: money(ours.paidFen, theirs.paidFen),
    },
    {
      label: '退款笔数',
      ours: `${ours.refunds} 笔`,
      theirs: `${theirs.refunds} 笔`,
      difference: count(ours.refunds, theirs.refunds),
    },
    {
      label: '退款金额',
      ours: formatFen(ours.refundedFen),
      theirs: formatFen(theirs.refundedFen),
      difference: money(ours.refundedFen, theirs.refundedFen),
    },
  ];
}
