// The rules editor's pure part: LoyaltyRules <-> what the form holds (text as typed, in display units), the
// checks before saving (the shared LoyaltyRules schema plus each earn rule's own params), and the server's
// VALIDATION_FAILED details turned into Chinese messages keyed by the same paths the inputs use.
import { type EarnRuleConfig, LoyaltyRules, type TierRule } from '@member-hub/shared';
import { formatMultiplier, formatPercent, parseMultiplier, parsePercent, parseWhole } from '../../units';

/** Field errors keyed by the stored path (`maxOffsetBp`, `tiers.2.multiplierBp`, `earnRules.0.params.label`). */
export type FieldErrors = Record<string, string>;

export const KNOWN_EARN_RULES = ['excludeCategories', 'storeRate', 'promotion', 'tierMultiplier'] as const;
export type KnownEarnRule = (typeof KNOWN_EARN_RULES)[number];

export const EARN_RULE_LABELS: Record<KnownEarnRule, string> = {
  excludeCategories: '不计积分的商品类别',
  storeRate: '门店加倍',
  promotion: '限时活动加倍',
  tierMultiplier: '等级倍率',
};

export const EARN_RULE_HINTS: Record<KnownEarnRule, string> = {
  excludeCategories: '这些类别的商品金额不计积分（例如储值充值、运费）',
  storeRate: '在指定门店消费时积分乘以倍数',
  promotion: '在日期范围内、指定星期几消费时积分乘以倍数',
  tierMultiplier: '按会员等级的倍率计算积分（见上方等级表）',
};

export const WEEKDAY_LABELS = ['一', '二', '三', '四', '五', '六', '日'] as const;

export interface TierForm {
  name: TierRule['name'];
  threshold: string;
  /** 倍, e.g. "1.5". */
  multiplier: string;
  /** One benefit per line. */
  benefits: string;
}

interface EarnRuleBase {
  /** A stable React key for the row (earn rules have no ids). */
  key: string;
  enabled: boolean;
}

export type EarnRuleForm =
  | (EarnRuleBase & { type: 'excludeCategories'; categories: string })
  | (EarnRuleBase & { type: 'storeRate'; storeId: string; multiplier: string; label: string })
  | (EarnRuleBase & {
      type: 'promotion';
      label: string;
      multiplier: string;
      from: string;
      to: string;
      /** 1 = Monday ... 7 = Sunday; none ticked = every day. */
      weekdays: number[];
    })
  | (EarnRuleBase & { type: 'tierMultiplier' })
  /** A type this page does not know yet: kept as it is, can be switched on/off or removed. */
  | (EarnRuleBase & { type: 'other'; originalType: string; params: Record<string, unknown> });

export interface RulesForm {
  pointsPerYuan: string;
  pointsPerYuanOffset: string;
  /** %, e.g. "50". */
  maxOffset: string;
  expiryMonths: string;
  tiers: TierForm[];
  tasks: {
    checkInPoints: string;
    streakDays: string;
    streakBonus: string;
    profile: string;
    phone: string;
    sharePoints: string;
    sharePerDay: string;
    review: string;
    dailyCap: string;
  };
  earnRules: EarnRuleForm[];
}

let keySeq = 0;
function nextKey(): string {
  keySeq += 1;
  return `rule-${keySeq}`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function multiplierField(value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) ? formatMultiplier(value) : '';
}

function earnRuleToForm(rule: EarnRuleConfig): EarnRuleForm {
  const { params, enabled } = rule;
  const key = nextKey();
  switch (rule.type) {
    case 'excludeCategories':
      return {
        key,
        enabled,
        type: 'excludeCategories',
        categories: Array.isArray(params.categories) ? params.categories.map(String).join('\n') : '',
      };
    case 'storeRate':
      return {
        key,
        enabled,
        type: 'storeRate',
        storeId: text(params.storeId),
        multiplier: multiplierField(params.multiplierBp),
        label: text(params.label),
      };
    case 'promotion':
      return {
        key,
        enabled,
        type: 'promotion',
        label: text(params.label),
        multiplier: multiplierField(params.multiplierBp),
        from: text(params.from),
        to: text(params.to),
        weekdays: Array.isArray(params.weekdays)
          ? params.weekdays.filter((day): day is number => Number.isInteger(day))
          : [],
      };
    case 'tierMultiplier':
      return { key, enabled, type: 'tierMultiplier' };
    default:
      return { key, enabled, type: 'other', originalType: rule.type, params };
  }
}

export function rulesToForm(rules: LoyaltyRules): RulesForm {
  const { tasks } = rules;
  return {
    pointsPerYuan: String(rules.pointsPerYuan),
    pointsPerYuanOffset: String(rules.pointsPerYuanOffset),
    maxOffset: formatPercent(rules.maxOffsetBp),
    expiryMonths: String(rules.expiryMonths),
    tiers: rules.tiers.map((tier) => ({
      name: tier.name,
      threshold: String(tier.threshold),
      multiplier: formatMultiplier(tier.multiplierBp),
      benefits: tier.benefits.join('\n'),
    })),
    tasks: {
      checkInPoints: String(tasks.checkIn.points),
      streakDays: String(tasks.checkIn.streakDays),
      streakBonus: String(tasks.checkIn.streakBonus),
      profile: String(tasks.profile),
      phone: String(tasks.phone),
      sharePoints: String(tasks.share.points),
      sharePerDay: String(tasks.share.perDay),
      review: String(tasks.review),
      dailyCap: String(tasks.dailyCap),
    },
    earnRules: rules.earnRules.map(earnRuleToForm),
  };
}

/** A fresh rule of a known type, as the 添加 button makes it. */
export function newEarnRule(type: KnownEarnRule): EarnRuleForm {
  const key = nextKey();
  switch (type) {
    case 'excludeCategories':
      return { key, enabled: true, type, categories: '' };
    case 'storeRate':
      return { key, enabled: true, type, storeId: '', multiplier: '2', label: '门店加倍' };
    case 'promotion':
      return { key, enabled: true, type, label: '', multiplier: '2', from: '', to: '', weekdays: [] };
    case 'tierMultiplier':
      return { key, enabled: true, type };
  }
}

/** "a\n b \n\n c" -> ["a", "b", "c"]; commas and 、 separate too for the category list. */
export function splitLines(value: string, alsoCommas = false): string[] {
  const separator = alsoCommas ? /[\n,，、]/ : /\n/;
  return value
    .split(separator)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const NOT_WHOLE = '请输入整数';
const NOT_MULTIPLIER = '请输入倍数，例如 1.5（最多 4 位小数）';
const NOT_PERCENT = '请输入百分比，例如 50（最多 2 位小数）';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;

/** A typed value -> the stored integer, recording a problem under `path` when it cannot be read. */
class Reader {
  readonly errors: FieldErrors = {};

  whole(path: string, value: string): number {
    const parsed = parseWhole(value);
    if (parsed === null) this.fail(path, value.trim() === '' ? '请填写' : NOT_WHOLE);
    return parsed ?? 0;
  }

  multiplier(path: string, value: string): number {
    const parsed = parseMultiplier(value);
    if (parsed === null) this.fail(path, value.trim() === '' ? '请填写倍数' : NOT_MULTIPLIER);
    return parsed ?? 0;
  }

  percent(path: string, value: string): number {
    const parsed = parsePercent(value);
    if (parsed === null) this.fail(path, value.trim() === '' ? '请填写百分比' : NOT_PERCENT);
    return parsed ?? 0;
  }

  fail(path: string, message: string): void {
    this.errors[path] ??= message;
  }
}

function earnRuleFromForm(rule: EarnRuleForm, index: number, read: Reader): EarnRuleConfig {
  const at = (name: string) => `earnRules.${index}.params.${name}`;
  switch (rule.type) {
    case 'excludeCategories': {
      const categories = splitLines(rule.categories, true);
      if (rule.enabled && categories.length === 0) read.fail(at('categories'), '请至少填写一个类别');
      if (categories.length > 50) read.fail(at('categories'), '最多 50 个类别');
      return { type: rule.type, enabled: rule.enabled, params: { categories } };
    }
    case 'storeRate': {
      if (!OBJECT_ID.test(rule.storeId)) read.fail(at('storeId'), '请选择门店');
      const multiplierBp = read.multiplier(at('multiplierBp'), rule.multiplier);
      const label = rule.label.trim() === '' ? '门店加倍' : rule.label.trim();
      if (label.length > 20) read.fail(at('label'), '名称最多 20 个字');
      return { type: rule.type, enabled: rule.enabled, params: { storeId: rule.storeId, multiplierBp, label } };
    }
    case 'promotion': {
      const label = rule.label.trim();
      if (label === '') read.fail(at('label'), '请填写活动名称');
      if (label.length > 20) read.fail(at('label'), '名称最多 20 个字');
      const multiplierBp = read.multiplier(at('multiplierBp'), rule.multiplier);
      const params: Record<string, unknown> = { label, multiplierBp };
      const from = rule.from.trim();
      const to = rule.to.trim();
      if (from !== '') {
        if (!DATE.test(from)) read.fail(at('from'), '日期格式为 yyyy-MM-dd');
        params.from = from;
      }
      if (to !== '') {
        if (!DATE.test(to)) read.fail(at('to'), '日期格式为 yyyy-MM-dd');
        else if (from !== '' && to < from) read.fail(at('to'), '结束日期不能早于开始日期');
        params.to = to;
      }
      if (rule.weekdays.length > 0) params.weekdays = [...new Set(rule.weekdays)].sort((a, b) => a - b);
      return { type: rule.type, enabled: rule.enabled, params };
    }
    case 'tierMultiplier':
      return { type: rule.type, enabled: rule.enabled, params: {} };
    case 'other':
      return { type: rule.originalType, enabled: rule.enabled, params: rule.params };
  }
}

export type RulesResult = { ok: true; body: LoyaltyRules } | { ok: false; errors: FieldErrors };

/**
 * The form -> the rules to PUT, or every problem found, keyed by path. Unreadable numbers are reported first;
 * what reads fine is then checked by the shared schema and the rules the server also enforces (tier thresholds).
 */
export function formToRules(form: RulesForm): RulesResult {
  const read = new Reader();
  const { tasks } = form;
  const candidate: LoyaltyRules = {
    pointsPerYuan: read.whole('pointsPerYuan', form.pointsPerYuan),
    pointsPerYuanOffset: read.whole('pointsPerYuanOffset', form.pointsPerYuanOffset),
    maxOffsetBp: read.percent('maxOffsetBp', form.maxOffset),
    expiryMonths: read.whole('expiryMonths', form.expiryMonths),
    tiers: form.tiers.map((tier, i) => ({
      name: tier.name,
      threshold: read.whole(`tiers.${i}.threshold`, tier.threshold),
      multiplierBp: read.multiplier(`tiers.${i}.multiplierBp`, tier.multiplier),
      benefits: splitLines(tier.benefits),
    })),
    earnRules: form.earnRules.map((rule, i) => earnRuleFromForm(rule, i, read)),
    tasks: {
      checkIn: {
        points: read.whole('tasks.checkIn.points', tasks.checkInPoints),
        streakDays: read.whole('tasks.checkIn.streakDays', tasks.streakDays),
        streakBonus: read.whole('tasks.checkIn.streakBonus', tasks.streakBonus),
      },
      profile: read.whole('tasks.profile', tasks.profile),
      phone: read.whole('tasks.phone', tasks.phone),
      share: {
        points: read.whole('tasks.share.points', tasks.sharePoints),
        perDay: read.whole('tasks.share.perDay', tasks.sharePerDay),
      },
      review: read.whole('tasks.review', tasks.review),
      dailyCap: read.whole('tasks.dailyCap', tasks.dailyCap),
    },
  };

  const thresholdsRead = form.tiers.every((_, i) => !(`tiers.${i}.threshold` in read.errors));
  candidate.tiers.forEach((tier, i) => {
    if (!thresholdsRead) return;
    const previous = candidate.tiers[i - 1];
    if (i === 0 && tier.threshold !== 0) read.fail('tiers.0.threshold', '第一个等级的门槛必须为 0');
    if (previous && tier.threshold <= previous.threshold) read.fail(`tiers.${i}.threshold`, '等级门槛必须逐级升高');
  });

  const parsed = LoyaltyRules.safeParse(candidate);
  const errors: FieldErrors = { ...read.errors };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldKey(issue.path.map(String).join('.'));
      errors[key] ??= issueText(key, issue);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

// ---- Messages ----

type Unit = 'count' | 'percent' | 'multiplier' | 'text' | 'list';

interface FieldInfo {
  label: string;
  unit: Unit;
}

/** Labels by path, with list indexes written as `*`. */
const FIELDS: Readonly<Record<string, FieldInfo>> = {
  pointsPerYuan: { label: '每消费 ¥1 所得积分', unit: 'count' },
  pointsPerYuanOffset: { label: '抵扣 ¥1 所需积分', unit: 'count' },
  maxOffsetBp: { label: '最高抵扣比例', unit: 'percent' },
  expiryMonths: { label: '积分有效期', unit: 'count' },
  tiers: { label: '等级', unit: 'list' },
  'tiers.*.name': { label: '等级名称', unit: 'text' },
  'tiers.*.threshold': { label: '成长值门槛', unit: 'count' },
  'tiers.*.multiplierBp': { label: '积分倍率', unit: 'multiplier' },
  'tiers.*.benefits': { label: '权益', unit: 'list' },
  earnRules: { label: '积分规则', unit: 'list' },
  'earnRules.*.type': { label: '规则类型', unit: 'text' },
  'earnRules.*.params.categories': { label: '商品类别', unit: 'list' },
  'earnRules.*.params.storeId': { label: '门店', unit: 'text' },
  'earnRules.*.params.multiplierBp': { label: '倍数', unit: 'multiplier' },
  'earnRules.*.params.label': { label: '名称', unit: 'text' },
  'earnRules.*.params.from': { label: '开始日期', unit: 'text' },
  'earnRules.*.params.to': { label: '结束日期', unit: 'text' },
  'earnRules.*.params.weekdays': { label: '星期', unit: 'list' },
  'tasks.checkIn.points': { label: '每日签到积分', unit: 'count' },
  'tasks.checkIn.streakDays': { label: '连续签到天数', unit: 'count' },
  'tasks.checkIn.streakBonus': { label: '连续签到奖励', unit: 'count' },
  'tasks.profile': { label: '完善资料积分', unit: 'count' },
  'tasks.phone': { label: '绑定手机积分', unit: 'count' },
  'tasks.share.points': { label: '分享积分', unit: 'count' },
  'tasks.share.perDay': { label: '每日分享次数', unit: 'count' },
  'tasks.review': { label: '评价积分', unit: 'count' },
  'tasks.dailyCap': { label: '每日任务积分上限', unit: 'count' },
};

function pattern(path: string): string {
  return path
    .split('.')
    .map((segment) => (/^\d+$/.test(segment) ? '*' : segment))
    .join('.');
}

/**
 * The input a path belongs to: a benefit line or a category belongs to its whole list
 * (`tiers.1.benefits.2` -> `tiers.1.benefits`, `earnRules.0.params.categories.3` -> `earnRules.0.params.categories`).
 */
export function fieldKey(path: string): string {
  const segments = path.split('.').filter((segment) => segment !== '');
  if (segments[0] === 'tiers' && segments.length > 3) return segments.slice(0, 3).join('.');
  if (segments[0] === 'earnRules' && segments[2] === 'params' && segments.length > 4)
    return segments.slice(0, 4).join('.');
  return segments.join('.');
}

export function fieldLabel(path: string): string {
  return FIELDS[pattern(fieldKey(path))]?.label ?? '该项';
}

function display(unit: Unit, value: number): string {
  if (unit === 'percent') return `${formatPercent(value)}%`;
  if (unit === 'multiplier') return `${formatMultiplier(value)} 倍`;
  return String(value);
}

export interface IssueLike {
  code?: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * One Chinese sentence for a problem with the field at `path`: zod's English defaults are rewritten with the
 * field's label, and bounds are shown in the unit the owner types (50%, 1.5 倍), not the stored integer.
 */
export function issueText(path: string, issue: IssueLike): string {
  if (CJK.test(issue.message)) return issue.message;
  const info = FIELDS[pattern(fieldKey(path))] ?? { label: '该项', unit: 'text' as Unit };
  const { label, unit } = info;
  const bound = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null);
  const minimum = bound(issue.minimum);
  const maximum = bound(issue.maximum);
  const isList = issue.origin === 'array' || (issue.origin === undefined && unit === 'list');
  const isText = issue.origin === 'string' || (issue.origin === undefined && unit === 'text');
  switch (issue.code) {
    case 'too_small':
      if (isList) return minimum === null ? `${label}数量不足` : `${label}至少 ${minimum} 项`;
      if (isText) return minimum === null || minimum <= 1 ? `请填写${label}` : `${label}至少 ${minimum} 个字`;
      return minimum === null ? `${label}太小` : `${label}不能小于 ${display(unit, minimum)}`;
    case 'too_big':
      if (isList) return maximum === null ? `${label}太多` : `${label}最多 ${maximum} 项`;
      if (isText) return maximum === null ? `${label}太长` : `${label}最多 ${maximum} 个字`;
      return maximum === null ? `${label}太大` : `${label}不能大于 ${display(unit, maximum)}`;
    case 'invalid_type':
      return unit === 'count' ? `${label}请输入整数` : `${label}格式不正确`;
    case 'unrecognized_keys':
      return `${label}包含不支持的设置`;
    default:
      return `${label}格式不正确`;
  }
}

/**
 * The earn rule params checks on the server send zod's English text without the code or bounds
 * ("Too big: expected number to be <=100000"); this reads them back so the message can use the display unit.
 */
export function boundsFromText(message: string): Omit<IssueLike, 'message'> {
  const match = /^Too (big|small): expected (number|string|array) to (?:be|have) [<>]=?\s*(\d+)/.exec(message);
  if (!match) return {};
  const bound = Number(match[3]);
  return match[1] === 'big'
    ? { code: 'too_big', origin: match[2], maximum: bound }
    : { code: 'too_small', origin: match[2], minimum: bound };
}

/**
 * The server's VALIDATION_FAILED details (`[{ path: 'tiers.1.threshold', message, code? }]`) -> field errors.
 * Anything not in that shape gives no field errors (the banner still shows the server's message).
 */
export function serverFieldErrors(details: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const detail of details) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { path, message, code } = detail as { path?: unknown; message?: unknown; code?: unknown };
    if (typeof message !== 'string') continue;
    const key = fieldKey(typeof path === 'string' ? path : Array.isArray(path) ? path.join('.') : '');
    errors[key] ??= issueText(key, { ...boundsFromText(message), message, ...(typeof code === 'string' && { code }) });
  }
  return errors;
}

/** The paths the editor shows an error next to; the rest are listed above the save button. */
export function placedPaths(form: RulesForm): Set<string> {
  const paths = new Set([
    'pointsPerYuan',
    'pointsPerYuanOffset',
    'maxOffsetBp',
    'expiryMonths',
    'tasks.checkIn.points',
    'tasks.checkIn.streakDays',
    'tasks.checkIn.streakBonus',
    'tasks.profile',
    'tasks.phone',
    'tasks.share.points',
    'tasks.share.perDay',
    'tasks.review',
    'tasks.dailyCap',
  ]);
  form.tiers.forEach((_, i) => {
    for (const name of ['threshold', 'multiplierBp', 'benefits']) paths.add(`tiers.${i}.${name}`);
  });
  form.earnRules.forEach((rule, i) => {
    const names: Record<EarnRuleForm['type'], string[]> = {
      excludeCategories: ['categories'],
      storeRate: ['storeId', 'multiplierBp', 'label'],
      promotion: ['label', 'multiplierBp', 'from', 'to', 'weekdays'],
      tierMultiplier: [],
      other: [],
    };
    for (const name of names[rule.type]) paths.add(`earnRules.${i}.params.${name}`);
    // Shown under the rule as a whole.
    paths.add(`earnRules.${i}.type`);
    paths.add(`earnRules.${i}.params`);
  });
  return paths;
}

/** Errors that have no input of their own, as "label：message" lines. */
export function unplacedMessages(form: RulesForm, errors: FieldErrors): string[] {
  const placed = placedPaths(form);
  return Object.entries(errors)
    .filter(([path]) => !placed.has(path))
    .map(([path, message]) => {
      const rule = /^earnRules\.(\d+)/.exec(path);
      const where = rule ? `第 ${Number(rule[1]) + 1} 条积分规则` : fieldLabel(path);
      return where === '该项' ? message : `${where}：${message}`;
    });
}

/** 每消费 ¥1 得 N 积分 … in one line, for the page's header. */
export function rulesSummary(rules: LoyaltyRules): string {
  return `每消费 ¥1 得 ${rules.pointsPerYuan} 积分，${rules.pointsPerYuanOffset} 积分抵 ¥1，最多抵扣订单金额的 ${formatPercent(rules.maxOffsetBp)}%`;
}
