// 会员分析, the pure part: the classes' names and R/F/M levels, the class charts, the quintile boundaries and
// churn texts for the tooltips, the members list's sorting, and the settings form (window days, churn factor in 倍,
// minimum orders) <-> RfmSettings with every problem in Chinese next to its input.
import {
  type ChurnWarning,
  formatFen,
  formatPoints,
  RFM_HIGH_SCORE,
  RfmClass,
  RfmClassInfo,
  type RfmRunInfo,
  RfmSettings,
  type RfmSortField,
  type RfmSummary,
} from '@member-hub/shared';
import { barOption, type ChartOption, pieOption } from '../../charts/options';
import { type FieldErrors, type FormCheck, type FormIssue, issueMessage, serverIssues } from '../../forms';
import type { SortOrder } from '../../route';
import { formatMultiplier, multiplierText, parseMultiplier, parseWhole } from '../../units';

// ---- Classes ----

export const RFM_CLASSES: readonly RfmClass[] = RfmClass.options;

export function className(rfmClass: RfmClass): string {
  return RfmClassInfo[rfmClass].name;
}

/** `R高 F高 M低`, or `—` for the members not scored (`none`). */
export function levelsText(rfmClass: RfmClass): string {
  const { r, f, m } = RfmClassInfo[rfmClass];
  if (r === null || f === null || m === null) return '—';
  const level = (high: boolean) => (high ? '高' : '低');
  return `R${level(r)} F${level(f)} M${level(m)}`;
}

/** The class filter's choices: every class, the eight first then `none`. */
export function classOptions(): [RfmClass, string][] {
  return RFM_CLASSES.map((rfmClass) => [rfmClass, className(rfmClass)]);
}

/** The summary's rows in the contract's order, each class once even when the server left one out. */
export function summaryRows(summary: RfmSummary): RfmSummary['classes'] {
  return RFM_CLASSES.map(
    (rfmClass) =>
      summary.classes.find((row) => row.class === rfmClass) ?? {
        class: rfmClass,
        name: className(rfmClass),
        members: 0,
        spendFen: 0,
        memberShareBp: 0,
        spendShareBp: 0,
      },
  );
}

/** People per class (bar), the eight scored classes and `none`. */
export function classMembersOption(summary: RfmSummary): ChartOption {
  const rows = summaryRows(summary);
  return barOption({
    categories: rows.map((row) => row.name),
    unit: 'count',
    series: [{ name: '会员数', values: rows.map((row) => row.members) }],
  });
}

/** Spend per class (pie); classes without spend are left out of the ring. */
export function classSpendOption(summary: RfmSummary): ChartOption {
  return pieOption({
    name: '消费金额',
    unit: 'fen',
    items: summaryRows(summary)
      .filter((row) => row.spendFen > 0)
      .map((row) => ({ name: row.name, value: row.spendFen })),
  });
}

// ---- The run ----

/**
 * The quintile boundaries of the run as three sentences for the tooltips: a score goes up by one for each boundary
 * a value is strictly better than.
 */
export function boundaryTexts(run: RfmRunInfo): { r: string; f: string; m: string; high: string } {
  const line = (head: string, values: readonly number[], format: (value: number) => string, better: string) =>
    values.length === 0
      ? `${head}：窗口内无消费会员，未分档`
      : `${head}：分界 ${values.map(format).join(' / ')}，${better}`;
  return {
    r: line('R 最近消费（天）', run.boundaries.recencyDays, (days) => `${days} 天`, '越近分越高'),
    f: line('F 消费频次（笔）', run.boundaries.orders, (orders) => `${orders} 笔`, '越多分越高'),
    m: line('M 消费金额', run.boundaries.monetaryFen, formatFen, '越多分越高'),
    high: `R、F、M 各按五分位打 1–5 分，${RFM_HIGH_SCORE} 分及以上为“高”；窗口内无消费的会员不参与评分。`,
  };
}

/** 「统计窗口 365 天 · 1,000 位会员中 600 位有消费 · 流失预警 12 人」 */
export function runText(run: RfmRunInfo): string {
  return [
    `统计窗口 ${run.settings.windowDays} 天`,
    `${formatPoints(run.members)} 位会员中 ${formatPoints(run.buyers)} 位有消费`,
    `流失预警 ${formatPoints(run.churnWarnings)} 人`,
    `用时 ${run.ms < 1000 ? `${run.ms} 毫秒` : `${Math.round(run.ms / 100) / 10} 秒`}`,
  ].join(' · ');
}

// ---- Members list ----

export const SORT_LABELS: Record<RfmSortField, string> = {
  memberNo: '会员号',
  lastVisit: '最近消费',
  orders: '订单数',
  spend: '消费金额',
};

/** Member numbers start ascending, the figures descending (the biggest first). */
export function firstOrder(column: RfmSortField): SortOrder {
  return column === 'memberNo' ? 'asc' : 'desc';
}

/** `3 天前`, `今天`, or a dash for members without an order in the window. */
export function daysAgoText(days: number | null): string {
  if (days === null) return '—';
  return days === 0 ? '今天' : `${formatPoints(days)} 天前`;
}

export function scoreText(score: number | null): string {
  return score === null ? '—' : String(score);
}

// ---- Churn ----

/** 「超出平常间隔 3.2 倍（预警线 2 倍）」 */
export function overdueText(warning: Pick<ChurnWarning, 'overdueBp' | 'factorBp'>): string {
  return `${multiplierText(roundBp(warning.overdueBp))}（预警线 ${multiplierText(warning.factorBp)}）`;
}

/** Basis points to one decimal of a multiple (31_234 -> 31_000 = 3.1 倍) for reading, not for storing. */
function roundBp(bp: number): number {
  return Math.round(bp / 1000) * 1000;
}

/** 「平常 12.5 天来一次」 */
export function typicalGapText(days: number): string {
  return `平常约 ${Math.round(days * 10) / 10} 天来一次`;
}

// ---- Settings ----

export interface RfmSettingsForm {
  windowDays: string;
  /** 倍, e.g. "2" or "1.5". */
  churnFactor: string;
  churnMinOrders: string;
}

export type RfmSettingsField = keyof RfmSettingsForm;
export type RfmSettingsErrors = FieldErrors<RfmSettingsField>;

export function rfmSettingsToForm(settings: RfmSettings): RfmSettingsForm {
  return {
    windowDays: String(settings.windowDays),
    churnFactor: formatMultiplier(settings.churnFactorBp),
    churnMinOrders: String(settings.churnMinOrders),
  };
}

const FIELD_OF: Readonly<Record<string, RfmSettingsField>> = {
  windowDays: 'windowDays',
  churnFactorBp: 'churnFactor',
  churnMinOrders: 'churnMinOrders',
};

const LABELS: Readonly<Record<string, string>> = {
  windowDays: '统计窗口',
  churnFactorBp: '流失倍数',
  churnMinOrders: '最少订单数',
};

const bound = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null);

/** The schema's own Chinese messages as they are; bounds without one get the field's label and unit. */
export function rfmIssueText(issue: FormIssue & { minimum?: unknown }): string {
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  const field = String(issue.path[0] ?? '');
  const label = LABELS[field] ?? '该项';
  const min = bound(issue.minimum);
  const max = bound(issue.maximum);
  const unit = field === 'windowDays' ? ' 天' : field === 'churnMinOrders' ? ' 笔' : '';
  const shown = (value: number) => (field === 'churnFactorBp' ? multiplierText(value) : `${value}${unit}`);
  if (issue.code === 'too_small' && min !== null) return `${label}至少 ${shown(min)}`;
  if (issue.code === 'too_big' && max !== null) return `${label}最多 ${shown(max)}`;
  return issueMessage(issue, LABELS);
}

function collect(issues: readonly (FormIssue & { minimum?: unknown })[]): RfmSettingsErrors {
  const errors: RfmSettingsErrors = {};
  for (const issue of issues) {
    const field = FIELD_OF[String(issue.path[0] ?? '')] ?? 'form';
    errors[field] ??= rfmIssueText(issue);
  }
  return errors;
}

/** The form -> the whole RfmSettings body, checked by the shared schema, or every problem found. */
export function rfmSettingsForm(form: RfmSettingsForm): FormCheck<RfmSettings, RfmSettingsField> {
  const errors: RfmSettingsErrors = {};
  const windowDays = parseWhole(form.windowDays);
  if (windowDays === null) errors.windowDays = '统计窗口请输入整数天数，例如 365';
  const churnFactorBp = parseMultiplier(form.churnFactor);
  if (churnFactorBp === null) errors.churnFactor = '流失倍数请输入数字，例如 2 或 1.5';
  const churnMinOrders = parseWhole(form.churnMinOrders);
  if (churnMinOrders === null) errors.churnMinOrders = '最少订单数请输入整数，例如 2';

  const parsed = RfmSettings.safeParse({
    windowDays: windowDays ?? 0,
    churnFactorBp: churnFactorBp ?? 0,
    churnMinOrders: churnMinOrders ?? 0,
  });
  if (!parsed.success) {
    for (const [field, message] of Object.entries(collect(parsed.error.issues as readonly FormIssue[])) as [
      RfmSettingsField | 'form',
      string,
    ][]) {
      errors[field] ??= message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** The server's VALIDATION_FAILED details (`[{ path, message, code? }]`) -> errors next to the inputs. */
export function rfmServerErrors(details: unknown): RfmSettingsErrors {
  return collect(serverIssues(details));
}
