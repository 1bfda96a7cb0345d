// 标签, the pure part: the tag dialog's form (name, kind, colour, and for a rule tag its conditions, each kind with
// its own typed fields) <-> CreateTagRequest / UpdateTagRequest with every problem in Chinese next to its input, the
// live sentence of the rule (the shared describeTagRule, so it reads as the list shows it), the server's problems
// put back next to the inputs, and the texts of evaluation runs and bulk changes.
import {
  type Comparison,
  CreateTagRequest,
  describeTagCondition,
  describeTagRule,
  formatPoints,
  MAX_WINDOW_DAYS,
  type RfmClass,
  type Tag,
  TagCondition,
  TagConditionInfo,
  type TagConditionKind,
  type TagKind,
  type TagMembersResult,
  type TagRun,
  type UpdateTagRequest,
} from '@member-hub/shared';
import { type FieldErrors, type FormCheck, issueMessage, serverIssues } from '../../forms';
import type { TierName } from '../../route';
import { formatYuan, parseWhole, parseYuan } from '../../units';

export const CONDITION_KINDS = Object.keys(TagConditionInfo) as TagConditionKind[];
/** The most conditions one rule may have (the contract's). */
export const MAX_CONDITIONS = 10;

export const COMPARISON_LABELS: Record<Comparison, string> = { gte: '至少', lte: '不超过' };

/** The colours offered for a tag; '' = the default look. */
export const TAG_COLORS: readonly [string, string][] = [
  ['', '默认'],
  ['#d4380d', '红'],
  ['#d46b08', '橙'],
  ['#d4a017', '金'],
  ['#389e0d', '绿'],
  ['#0958d9', '蓝'],
  ['#531dab', '紫'],
  ['#595959', '灰'],
];

/** One condition as typed: every kind's fields, so switching the kind keeps what was typed for the others. */
export interface ConditionForm {
  kind: TagConditionKind;
  /** 近 N 天 (spend, visits, couponsUsed, store, joinedWithin). */
  days: string;
  op: Comparison;
  /** 元, for spend. */
  amount: string;
  /** 次 / 张, for visits and couponsUsed. */
  count: string;
  tiers: TierName[];
  /** 积分 bounds; blank = open. */
  min: string;
  max: string;
  months: number[];
  storeIds: string[];
  classes: RfmClass[];
  has: boolean;
}

export type ConditionField = Exclude<keyof ConditionForm, 'kind' | 'op' | 'has'>;

export interface TagForm {
  name: string;
  description: string;
  color: string;
  kind: TagKind;
  conditions: ConditionForm[];
}

/** `name`, `description`, `color`, `conditions` (the rule as a whole) and `conditions.<i>.<field>`. */
export type TagErrors = FieldErrors;

export const CONDITION_FIELDS: readonly ConditionField[] = [
  'days',
  'amount',
  'count',
  'tiers',
  'min',
  'max',
  'months',
  'storeIds',
  'classes',
];

export function conditionKey(index: number, field: ConditionField): string {
  return `conditions.${index}.${field}`;
}

/** Every problem key of the condition at `index`. */
export function conditionKeys(index: number): string[] {
  return CONDITION_FIELDS.map((field) => conditionKey(index, field));
}

export function emptyCondition(kind: TagConditionKind = 'spend'): ConditionForm {
  return {
    kind,
    days: '90',
    op: 'gte',
    amount: '',
    count: '',
    tiers: [],
    min: '',
    max: '',
    months: [],
    storeIds: [],
    classes: [],
    has: true,
  };
}

export function emptyTagForm(kind: TagKind = 'rule'): TagForm {
  return { name: '', description: '', color: '', kind, conditions: kind === 'rule' ? [emptyCondition()] : [] };
}

const text = (value: number | null) => (value === null ? '' : String(value));

export function conditionToForm(condition: TagCondition): ConditionForm {
  const form = emptyCondition(condition.kind);
  switch (condition.kind) {
    case 'spend':
      return { ...form, days: String(condition.days), op: condition.op, amount: formatYuan(condition.fen) };
    case 'visits':
    case 'couponsUsed':
      return { ...form, days: String(condition.days), op: condition.op, count: String(condition.count) };
    case 'tier':
      return { ...form, tiers: [...condition.tiers] };
    case 'points':
      return { ...form, min: text(condition.min), max: text(condition.max) };
    case 'birthdayMonth':
      return { ...form, months: [...condition.months] };
    case 'store':
      return { ...form, days: String(condition.days), storeIds: [...condition.storeIds] };
    case 'rfmClass':
      return { ...form, classes: [...condition.classes] };
    case 'joinedWithin':
      return { ...form, days: String(condition.days) };
    case 'hasPhone':
      return { ...form, has: condition.has };
  }
}

export function tagToForm(tag: Tag): TagForm {
  return {
    name: tag.name,
    description: tag.description,
    color: tag.color ?? '',
    kind: tag.kind,
    conditions: tag.rule ? tag.rule.all.map(conditionToForm) : [],
  };
}

/** The schema's field names -> the form's (money is typed in 元). */
const FORM_FIELD: Readonly<Record<string, ConditionField>> = {
  days: 'days',
  fen: 'amount',
  count: 'count',
  tiers: 'tiers',
  min: 'min',
  max: 'max',
  months: 'months',
  storeIds: 'storeIds',
  classes: 'classes',
};

const LABELS: Readonly<Record<string, string>> = {
  name: '标签名称',
  description: '说明',
  days: '天数',
  fen: '金额',
  count: '次数',
};

type ConditionCheck =
  | { ok: true; condition: TagCondition }
  | { ok: false; errors: Partial<Record<ConditionField, string>> };

/** One condition as typed -> the condition, or the problems of its fields. */
export function readCondition(form: ConditionForm): ConditionCheck {
  const errors: Partial<Record<ConditionField, string>> = {};
  const maxDays = form.kind === 'joinedWithin' ? 3_650 : MAX_WINDOW_DAYS;
  const days = () => {
    const value = parseWhole(form.days);
    if (value === null || value < 1 || value > maxDays) errors.days = `天数请填 1 到 ${maxDays} 的整数`;
    return value ?? 0;
  };
  const count = (unit: string) => {
    const value = parseWhole(form.count);
    if (value === null) errors.count = `${unit}请填不小于 0 的整数`;
    return value ?? 0;
  };
  const bound = (field: 'min' | 'max') => {
    if (form[field].trim() === '') return null;
    const value = parseWhole(form[field]);
    if (value === null) errors[field] = '积分请填不小于 0 的整数，留空表示不限';
    return value;
  };

  let candidate: unknown;
  switch (form.kind) {
    case 'spend': {
      const fen = parseYuan(form.amount);
      if (fen === null) errors.amount = '请填写金额（元），例如 2000 或 99.5';
      candidate = { kind: 'spend', days: days(), op: form.op, fen: fen ?? 0 };
      break;
    }
    case 'visits':
      candidate = { kind: 'visits', days: days(), op: form.op, count: count('次数') };
      break;
    case 'couponsUsed':
      candidate = { kind: 'couponsUsed', days: days(), op: form.op, count: count('张数') };
      break;
    case 'tier':
      candidate = { kind: 'tier', tiers: form.tiers };
      break;
    case 'points':
      candidate = { kind: 'points', min: bound('min'), max: bound('max') };
      break;
    case 'birthdayMonth':
      candidate = { kind: 'birthdayMonth', months: [...form.months].sort((a, b) => a - b) };
      break;
    case 'store':
      candidate = { kind: 'store', storeIds: form.storeIds, days: days() };
      break;
    case 'rfmClass':
      candidate = { kind: 'rfmClass', classes: form.classes };
      break;
    case 'joinedWithin':
      candidate = { kind: 'joinedWithin', days: days() };
      break;
    case 'hasPhone':
      candidate = { kind: 'hasPhone', has: form.has };
      break;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const result = TagCondition.safeParse(candidate);
  if (result.success) return { ok: true, condition: result.data };
  for (const issue of result.error.issues) {
    const field = FORM_FIELD[String(issue.path[0])] ?? 'days';
    errors[field] ??= issueMessage(issue, LABELS);
  }
  return { ok: false, errors };
}

export type TagBody = CreateTagRequest;

/** The dialog -> the create request, or every problem found (each condition's next to its fields). */
export function tagForm(form: TagForm): FormCheck<TagBody> {
  const errors: TagErrors = {};
  const conditions: TagCondition[] = [];
  if (form.kind === 'rule') {
    if (form.conditions.length === 0) errors.conditions = '请至少添加一个条件';
    if (form.conditions.length > MAX_CONDITIONS) errors.conditions = `最多 ${MAX_CONDITIONS} 个条件`;
    form.conditions.forEach((condition, index) => {
      const read = readCondition(condition);
      if (read.ok) conditions.push(read.condition);
      else
        for (const [field, message] of Object.entries(read.errors)) {
          errors[conditionKey(index, field as ConditionField)] = message;
        }
    });
  }
  const request = CreateTagRequest.safeParse({
    name: form.name,
    kind: form.kind,
    description: form.description,
    color: form.color === '' ? null : form.color,
    ...(form.kind === 'rule' && { rule: { all: conditions } }),
  });
  if (!request.success) {
    for (const issue of request.error.issues) {
      const field = String(issue.path[0]);
      if (field === 'rule') continue; // the conditions' own problems are already next to them
      errors[field] ??= issueMessage(issue, LABELS);
    }
  }
  if (!request.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: request.data };
}

/** A saved tag's PATCH: only what differs from it (an unchanged rule is not sent, so it stays evaluated). */
export function tagPatch(saved: Tag, body: TagBody): UpdateTagRequest | null {
  const patch: UpdateTagRequest = {};
  if (body.name !== saved.name) patch.name = body.name;
  if (body.description !== saved.description) patch.description = body.description;
  if ((body.color ?? null) !== saved.color) patch.color = body.color ?? null;
  if (saved.kind === 'rule' && body.rule && JSON.stringify(body.rule) !== JSON.stringify(saved.rule)) {
    patch.rule = body.rule;
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The server's VALIDATION_FAILED details (`name`, `rule.all.0.fen`…) next to the inputs. */
export function tagServerErrors(details: unknown): TagErrors {
  const errors: TagErrors = {};
  for (const issue of serverIssues(details)) {
    const [first, second, index, field] = issue.path.map(String);
    let key: string | null = null;
    if (first === 'name' || first === 'description' || first === 'color') key = first;
    else if (first === 'rule' && second === 'all' && index !== undefined && /^\d+$/.test(index)) {
      key = conditionKey(Number(index), FORM_FIELD[field ?? ''] ?? 'days');
    } else if (first === 'rule') key = 'conditions';
    if (key) errors[key] ??= issueMessage(issue, LABELS);
  }
  return errors;
}

/** Names the rule only holds ids of. */
export interface RuleNames {
  store?: (id: string) => string | undefined;
}

/**
 * The rule as the owner reads it, live: "近 90 天消费满 ¥2,000.00 且 金卡". The conditions not filled in yet are
 * left out and counted.
 */
export function ruleSentence(conditions: readonly ConditionForm[], names: RuleNames = {}): string {
  const ready = conditions.map(readCondition).flatMap((read) => (read.ok ? [read.condition] : []));
  const unfinished = conditions.length - ready.length;
  const sentence = ready.length > 0 ? describeTagRule({ all: ready }, names) : '';
  if (unfinished === 0) return sentence || '还没有条件';
  const rest = `${unfinished} 个条件未填完整`;
  return sentence ? `${sentence}（另有 ${rest}）` : rest;
}

/** One condition's phrase, or its name while it is not filled in. */
export function conditionPhrase(form: ConditionForm, names: RuleNames = {}): string {
  const read = readCondition(form);
  return read.ok ? describeTagCondition(read.condition, names) : `${TagConditionInfo[form.kind].label}（未填完整）`;
}

// ---- Evaluation and bulk changes ----

/** 「会员 1,000 位 · 新增 12 · 移除 3 · 用时 1.2 秒」 */
export function tagRunText(run: TagRun): string {
  const ms = run.ms < 1000 ? `${run.ms} 毫秒` : `${Math.round(run.ms / 100) / 10} 秒`;
  return [
    `会员 ${formatPoints(run.members)} 位`,
    `新增 ${formatPoints(run.added)}`,
    `移除 ${formatPoints(run.removed)}`,
    `用时 ${ms}`,
  ].join(' · ');
}

export const RUN_TRIGGER_LABELS: Record<TagRun['trigger'], string> = { schedule: '每日自动', manual: '手动' };

/** 「已为 10 位会员添加标签（2 位原本就有）；8 个会员号没有找到：…」 */
export function bulkResultText(result: TagMembersResult): string {
  const verb = result.action === 'add' ? '添加' : '移除';
  const unchanged = result.matched - result.changed;
  const already = result.action === 'add' ? '原本就有' : '原本就没有';
  const head = `已为 ${formatPoints(result.changed)} 位会员${verb}标签${unchanged > 0 ? `（${formatPoints(unchanged)} 位${already}）` : ''}`;
  const missing =
    result.notFound.length > 0
      ? `；${result.notFound.length} 个会员号没有找到：${result.notFound.slice(0, 10).join('、')}`
      : '';
  return `${head}${missing}。现有 ${formatPoints(result.memberCount)} 位会员带此标签`;
}
