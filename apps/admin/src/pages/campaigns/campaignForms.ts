// 营销活动, the pure part: the editor's form (name, segment, coupon or points, once at a China-time date and time or
// daily at an hour between two days, control group %, notify) <-> CampaignInput with every problem in Chinese next
// to its input; the texts of the list, the dry-run and the results (¥ amounts, basis points as % with one decimal);
// and the results' charts.
import {
  addDays,
  type Campaign,
  type CampaignDryRun,
  CampaignInput,
  type CampaignResults,
  type CampaignSchedule,
  type CampaignStatus,
  chinaDay,
  DAY_MS,
  formatFen,
  formatPoints,
} from '@member-hub/shared';
import type { CampaignBody } from '../../api/campaigns';
import { barOption, type ChartOption, lineOption } from '../../charts/options';
import { type FieldErrors, type FormCheck, type FormIssue, serverIssues } from '../../forms';
import { parseWhole } from '../../units';

// ---- The editor ----

export type ActionKind = CampaignBody['action']['kind'];
export type ScheduleKind = CampaignSchedule['kind'];

export interface CampaignForm {
  name: string;
  /** The saved segment picked; '' = none yet. */
  segmentId: string;
  actionKind: ActionKind;
  /** The coupon template given, for 发券. */
  templateId: string;
  /** Points given to each member, for 送积分. */
  points: string;
  scheduleKind: ScheduleKind;
  /** 执行一次: the day (yyyy-MM-dd) and time (HH:mm), China time. */
  onceDate: string;
  onceTime: string;
  /** 每天执行: the hour (0-23, China time) and the days (yyyy-MM-dd) it runs from and until, both included. */
  dailyHour: string;
  dailyFrom: string;
  dailyUntil: string;
  /** 对照组 in whole percent. */
  controlPct: string;
  notify: boolean;
}

export type CampaignField =
  | 'name'
  | 'segmentId'
  | 'templateId'
  | 'points'
  | 'onceDate'
  | 'onceTime'
  | 'dailyHour'
  | 'dailyFrom'
  | 'dailyUntil'
  | 'controlPct';
export type CampaignErrors = FieldErrors<CampaignField>;

export const DEFAULT_CONTROL_PCT = 10;
export const MAX_CONTROL_PCT = 50;
/** The hour a new campaign runs at: mid-morning, outside the quiet hours. */
const DEFAULT_HOUR = 10;
/** A new daily campaign runs for this many days, today included. */
const DEFAULT_DAILY_DAYS = 30;

export const ACTION_KINDS: readonly (readonly [ActionKind, string])[] = [
  ['coupon', '发优惠券'],
  ['points', '送积分'],
];
export const SCHEDULE_KINDS: readonly (readonly [ScheduleKind, string])[] = [
  ['once', '执行一次'],
  ['daily', '每天执行'],
];
export const HOURS: readonly number[] = Array.from({ length: 24 }, (_, hour) => hour);

const pad = (value: number) => String(value).padStart(2, '0');

/** A new campaign: tomorrow at 10:00 once, or daily at 10:00 for 30 days from today; 10% held out; notify. */
export function emptyCampaignForm(now = Date.now()): CampaignForm {
  const today = chinaDay(now);
  return {
    name: '',
    segmentId: '',
    actionKind: 'coupon',
    templateId: '',
    points: '',
    scheduleKind: 'once',
    onceDate: addDays(today, 1),
    onceTime: `${pad(DEFAULT_HOUR)}:00`,
    dailyHour: String(DEFAULT_HOUR),
    dailyFrom: today,
    dailyUntil: addDays(today, DEFAULT_DAILY_DAYS - 1),
    controlPct: String(DEFAULT_CONTROL_PCT),
    notify: true,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A China-time day and time as the ISO instant the contract takes: `2030-01-05T10:00:00+08:00`. */
export function chinaInstant(day: string, time: string): string {
  return `${day}T${time}:00+08:00`;
}

/** `2030-01-05 10:00` of an ISO instant on a clock in China; unparsable text as is. */
export function chinaDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function readSchedule(form: CampaignForm, now: number, errors: CampaignErrors): CampaignSchedule {
  if (form.scheduleKind === 'once') {
    const day = form.onceDate.trim();
    const time = form.onceTime.trim();
    if (day === '') errors.onceDate = '请选择执行日期';
    else if (!DAY.test(day)) errors.onceDate = '执行日期格式不正确';
    if (time === '') errors.onceTime = '请选择执行时间';
    else if (!TIME.test(time)) errors.onceTime = '执行时间格式不正确，例如 10:00';
    const at = chinaInstant(day, time);
    if (!errors.onceDate && !errors.onceTime && Date.parse(at) <= now) {
      errors.onceTime = '执行时间已过，请选择现在之后的时间';
    }
    return { kind: 'once', at };
  }
  const hour = parseWhole(form.dailyHour);
  if (hour === null || hour > 23) errors.dailyHour = '请选择每天执行的时间';
  const from = form.dailyFrom.trim();
  const until = form.dailyUntil.trim();
  if (from === '') errors.dailyFrom = '请选择开始日期';
  else if (!DAY.test(from)) errors.dailyFrom = '开始日期格式不正确';
  if (until === '') errors.dailyUntil = '请选择结束日期';
  else if (!DAY.test(until)) errors.dailyUntil = '结束日期格式不正确';
  else if (!errors.dailyFrom && until < from) errors.dailyUntil = '结束日期不能早于开始日期';
  else if (until < chinaDay(now)) errors.dailyUntil = '结束日期已过，请选择今天或以后';
  return { kind: 'daily', hour: hour ?? DEFAULT_HOUR, from, until };
}

function readAction(form: CampaignForm, errors: CampaignErrors): CampaignBody['action'] {
  if (form.actionKind === 'coupon') {
    if (form.templateId === '') errors.templateId = '请选择要发放的优惠券';
    return { kind: 'coupon', templateId: form.templateId };
  }
  const points = parseWhole(form.points);
  if (form.points.trim() === '') errors.points = '请填写每人赠送的积分';
  else if (points === null) errors.points = '积分请输入整数';
  return { kind: 'points', points: points ?? 0 };
}

/** The input a schema path belongs to. */
function fieldOf(path: readonly PropertyKey[], form: CampaignForm): CampaignField | 'form' {
  const [first, second] = path.map(String);
  switch (first) {
    case 'name':
    case 'segmentId':
    case 'controlPct':
      return first;
    case 'action':
      if (second === 'templateId') return 'templateId';
      if (second === 'points') return 'points';
      return form.actionKind === 'coupon' ? 'templateId' : 'points';
    case 'schedule':
      if (second === 'at') return 'onceTime';
      if (second === 'hour') return 'dailyHour';
      if (second === 'from') return 'dailyFrom';
      if (second === 'until') return 'dailyUntil';
      return form.scheduleKind === 'once' ? 'onceTime' : 'dailyFrom';
    default:
      return 'form';
  }
}

const FIELD_FALLBACKS: Readonly<Record<CampaignField | 'form', string>> = {
  name: '活动名称最多 40 个字',
  segmentId: '分群无效，请重新选择',
  templateId: '优惠券无效，请重新选择',
  points: '积分请填 1 到 100000 的整数',
  onceDate: '执行日期格式不正确',
  onceTime: '执行时间格式不正确',
  dailyHour: '请选择每天执行的时间',
  dailyFrom: '开始日期格式不正确',
  dailyUntil: '结束日期格式不正确',
  controlPct: `对照组比例请填 0 到 ${MAX_CONTROL_PCT} 的整数`,
  form: '请检查填写的内容',
};

const CJK = /[\u4e00-\u9fff]/;

/** One Chinese sentence for a schema problem: the shared schema's own when it has one (编号无效 is too vague). */
function issueText(issue: FormIssue, field: CampaignField | 'form'): string {
  if (CJK.test(issue.message) && issue.message !== '编号无效') return issue.message;
  return FIELD_FALLBACKS[field];
}

/**
 * The form -> the CampaignInput body (defaults filled in), checked by the shared schema, or every problem found.
 * `now` decides what is in the past (a once time already gone, a daily range already over).
 */
export function campaignForm(form: CampaignForm, now = Date.now()): FormCheck<CampaignBody, CampaignField> {
  const errors: CampaignErrors = {};
  if (form.name.trim() === '') errors.name = '请填写活动名称';
  if (form.segmentId === '') errors.segmentId = '请选择目标分群';
  const action = readAction(form, errors);
  const schedule = readSchedule(form, now, errors);
  const controlPct = parseWhole(form.controlPct);
  if (form.controlPct.trim() === '') errors.controlPct = '请填写对照组比例，默认 10%';
  else if (controlPct === null) errors.controlPct = FIELD_FALLBACKS.controlPct;

  const parsed = CampaignInput.safeParse({
    name: form.name,
    segmentId: form.segmentId,
    action,
    schedule,
    controlPct: controlPct ?? DEFAULT_CONTROL_PCT,
    notify: form.notify,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues as readonly FormIssue[]) {
      const field = fieldOf(issue.path, form);
      errors[field] ??= issueText(issue, field);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** The server's VALIDATION_FAILED details (`[{ path, message }]`, e.g. `schedule.until`) -> errors by input. */
export function campaignServerErrors(details: unknown, form: CampaignForm): CampaignErrors {
  const errors: CampaignErrors = {};
  for (const issue of serverIssues(details)) {
    const field = fieldOf(issue.path, form);
    errors[field] ??= issueText(issue, field);
  }
  return errors;
}

/** A saved campaign as the body of a dry-run: what its draft would reach if started now. */
export function campaignBody(campaign: Campaign): CampaignBody {
  const { name, segmentId, action, schedule, controlPct, notify } = campaign;
  return { name, segmentId, action, schedule, controlPct, notify };
}

// ---- Texts ----

/** A count of people: `1,200 人`. */
export function peopleText(count: number): string {
  return `${formatPoints(count)} 人`;
}

/** Basis points as a percentage with one decimal (rounded half away from zero): 1234 -> `12.3%`; null -> `—`. */
export function bpText(bp: number | null): string {
  if (bp === null) return '—';
  const tenths = Math.round(Math.abs(bp) / 10);
  const sign = bp < 0 && tenths > 0 ? '-' : '';
  return `${sign}${Math.trunc(tenths / 10)}.${tenths % 10}%`;
}

/** A change in basis points with its sign: 1250 -> `+12.5%`, -300 -> `-3.0%`, 0 -> `0.0%`; null -> `—`. */
export function signedBpText(bp: number | null): string {
  if (bp === null) return '—';
  const text = bpText(bp);
  return bp > 0 && text !== '0.0%' ? `+${text}` : text;
}

/** `2030-01-05 10:00 执行一次` or `每天 10:00，2030-01-01 至 2030-01-30`, China time. */
export function scheduleText(schedule: CampaignSchedule): string {
  if (schedule.kind === 'once') return `${chinaDateTime(schedule.at)} 执行一次`;
  return `每天 ${pad(schedule.hour)}:00，${schedule.from} 至 ${schedule.until}`;
}

/** `目标组 900 人 · 对照组 100 人（10%）`. */
export function groupsText(campaign: Pick<Campaign, 'treatment' | 'control' | 'controlPct'>): string {
  return `目标组 ${peopleText(campaign.treatment)} · 对照组 ${peopleText(campaign.control)}（${campaign.controlPct}%）`;
}

/** Only a draft starts (it becomes 待执行; the scheduler reaches the members at its time). */
export function canStart(status: CampaignStatus): boolean {
  return status === 'draft';
}

/** Anything not over yet can be cancelled: members already reached keep what they were given. */
export function canCancel(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'scheduled' || status === 'running';
}

/** Results mean something once members have been reached: a campaign cancelled before it ran has none. */
export function hasResults(campaign: Pick<Campaign, 'status' | 'startedAt'>): boolean {
  if (campaign.status === 'cancelled') return campaign.startedAt !== null;
  return campaign.status === 'running' || campaign.status === 'done';
}

export interface FigureRow {
  key: string;
  label: string;
  value: string;
}

/** The 试算 panel: who is in the segment, who gets the offer, who is held out, who gets a message, the most it costs. */
export function dryRunRows(dryRun: CampaignDryRun, notify: boolean): FigureRow[] {
  return [
    { key: 'members', label: '分群当前人数', value: peopleText(dryRun.members) },
    { key: 'treatment', label: '将触达（目标组）', value: peopleText(dryRun.treatment) },
    { key: 'control', label: '对照组（不发放）', value: peopleText(dryRun.control) },
    {
      key: 'reachable',
      label: '可收到订阅消息',
      value: notify ? peopleText(dryRun.reachableByMessage) : '不发送消息',
    },
    {
      key: 'cost',
      label: '最高成本',
      value: dryRun.maxCostFen === null ? '视订单金额而定' : formatFen(dryRun.maxCostFen),
    },
  ];
}

export const UPLIFT_EXPLAIN =
  '提升 =（目标组人均消费 − 对照组人均消费）÷ 对照组人均消费。人均消费：每位会员被触达后 30 天内的实付金额（扣除退款）÷ 组内人数。对照组没有消费时无法计算。';
export const ROI_EXPLAIN =
  'ROI =（增量收入 − 成本）÷ 成本。增量收入 =（目标组人均消费 − 对照组人均消费）× 目标组人数；成本 = 活动券在订单上抵扣的金额 + 赠送的积分（100 积分 = ¥1）。';

export interface ResultCard {
  key: string;
  label: string;
  value: string;
  /** The muted line under the value. */
  foot: string;
  /** How the figure is computed (an ⓘ next to the label). */
  explain?: string;
}

/** The results' cards, in the order they are shown; coupon figures only mean something for a coupon campaign. */
export function resultCards(results: CampaignResults, actionKind: ActionKind): ResultCard[] {
  const { treatment, control } = results;
  const coupon = actionKind === 'coupon';
  return [
    {
      key: 'reached',
      label: '触达人数',
      value: peopleText(results.reached),
      foot: `对照组 ${peopleText(control.members)}`,
    },
    {
      key: 'messages',
      label: '消息发送',
      value: `${formatPoints(results.messagesSent)} 条`,
      foot: '已成功发送的订阅消息',
    },
    {
      key: 'coupons',
      label: '发券数',
      value: coupon ? `${formatPoints(results.couponsIssued)} 张` : '—',
      foot: coupon ? `已核销 ${formatPoints(results.couponsRedeemed)} 张` : '本活动赠送积分，不发券',
    },
    {
      key: 'redemption',
      label: '核销率',
      value: coupon ? bpText(results.redemptionBp) : '—',
      foot: coupon ? '核销张数 ÷ 发券张数' : '本活动赠送积分，不发券',
    },
    {
      key: 'perMember',
      label: '人均消费（目标组 / 对照组）',
      value: `${formatFen(treatment.revenuePerMemberFen)} / ${formatFen(control.revenuePerMemberFen)}`,
      foot: `购买转化 ${bpText(treatment.conversionBp)} / ${bpText(control.conversionBp)}`,
    },
    {
      key: 'uplift',
      label: '人均消费提升',
      value: signedBpText(results.upliftBp),
      foot: results.upliftBp === null ? '对照组暂无消费，无法计算' : '目标组相对对照组',
      explain: UPLIFT_EXPLAIN,
    },
    {
      key: 'incremental',
      label: '增量收入',
      value: formatFen(results.incrementalRevenueFen),
      foot: '（目标组人均 − 对照组人均）× 目标组人数',
    },
    {
      key: 'cost',
      label: '活动成本',
      value: formatFen(results.costFen),
      foot: coupon ? '活动券在订单上的抵扣金额' : '赠送积分折算（100 积分 = ¥1）',
    },
    {
      key: 'roi',
      label: 'ROI',
      value: signedBpText(results.roiBp),
      foot: results.roiBp === null ? '暂无成本，无法计算' : '（增量收入 − 成本）÷ 成本',
      explain: ROI_EXPLAIN,
    },
  ];
}

// ---- Charts ----

/**
 * The days of the window that have begun for the first members reached (the campaign's start): the later ones are
 * still ahead, so their zeros say nothing. Every day when the start is unknown.
 */
export function elapsedDaily(results: CampaignResults, startedAt: string | null): CampaignResults['daily'] {
  const start = startedAt === null ? Number.NaN : Date.parse(startedAt);
  const asOf = Date.parse(results.asOf);
  if (Number.isNaN(start) || Number.isNaN(asOf)) return results.daily;
  const days = Math.max(1, Math.floor((asOf - start) / DAY_MS) + 1);
  return results.daily.filter((point) => point.day < days);
}

/** Revenue per member on each day after being reached (day 1 = the day reached), targeted against control. */
export function dailyRevenueOption(results: CampaignResults, startedAt: string | null = null): ChartOption {
  const daily = elapsedDaily(results, startedAt);
  return lineOption({
    categories: daily.map((point) => `第 ${point.day + 1} 天`),
    // Like days: ECharts spaces the 30 labels out instead of printing every one.
    days: true,
    unit: 'fen',
    series: [
      { name: '目标组', values: daily.map((point) => point.treatmentFen) },
      { name: '对照组', values: daily.map((point) => point.controlFen) },
    ],
  });
}

/** Revenue per member over the whole window, one bar per group. */
export function groupCompareOption(results: CampaignResults): ChartOption {
  return barOption({
    categories: ['人均消费'],
    unit: 'fen',
    series: [
      { name: '目标组', values: [results.treatment.revenuePerMemberFen] },
      { name: '对照组', values: [results.control.revenuePerMemberFen] },
    ],
  });
}

/** What the charts show, for screen readers. */
export function chartSummaries(
  results: CampaignResults,
  startedAt: string | null = null,
): { daily: string; groups: string } {
  const t = formatFen(results.treatment.revenuePerMemberFen);
  const c = formatFen(results.control.revenuePerMemberFen);
  const days = elapsedDaily(results, startedAt).length;
  return {
    daily: `触达后前 ${days} 天每天的人均消费折线图：30 天内目标组人均 ${t}，对照组人均 ${c}`,
    groups: `人均消费柱状图：目标组 ${t}，对照组 ${c}，提升 ${signedBpText(results.upliftBp)}`,
  };
}
