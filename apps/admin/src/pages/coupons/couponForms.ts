// 优惠券 forms, the pure part: what the owner typed (yuan, 折, blank = 不限) <-> CouponTemplateInput with every
// problem in Chinese next to its input; the live preview (the shared couponFace, so it reads as members see it);
// the 发券 target (member numbers or a saved segment); the gift settings; and the texts of the tables (stats, campaign progress, referral chains).
import {
  type AdminReferral,
  type CouponFace,
  type CouponIssue,
  type CouponKind,
  CouponKindLabels,
  type CouponSettings,
  type CouponTemplate,
  CouponTemplateInput,
  couponFace,
  formatFen,
  formatPoints,
  type IssueTarget,
  type ReferralOverview,
  TierNames,
} from '@member-hub/shared';
import type { CouponIssueBody, CouponTemplateBody } from '../../api/coupons';
import { type FieldErrors, type FormCheck, type FormIssue, issueMessage } from '../../forms';
import { readMemberNos } from '../../memberNos';
import type { TierName } from '../../route';
import { formatDiscount, formatYuan, parseDiscount, parseWhole, parseYuan, percentText } from '../../units';

const bound = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null);
const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

// ---- Templates ----

export const COUPON_KINDS = Object.keys(CouponKindLabels) as CouponKind[];

export interface CouponTemplateForm {
  title: string;
  description: string;
  kind: CouponKind;
  /** 减免金额 (元), for 满减券. */
  cashOff: string;
  /** 折, e.g. "8.8", for 折扣券. */
  rate: string;
  /** 最高减 (元) of a 折扣券; blank = 不限. */
  discountCap: string;
  /** 兑换的商品, for 兑换券. */
  giftName: string;
  /** 运费上限 (元) of a 免运费券; blank = 运费全免. */
  shippingCap: string;
  /** 使用门槛 (元); blank or 0 = 无门槛. */
  threshold: string;
  /** None ticked = 全部门店. */
  storeIds: string[];
  /** Comma separated; blank = 全部商品. */
  categories: string;
  stackable: boolean;
  validityType: 'fixed' | 'relative';
  /** yyyy-MM-dd */
  from: string;
  until: string;
  /** 领取当日起 N 天内有效. */
  days: string;
  /** Blank = 不限. */
  stock: string;
  perMemberLimit: string;
  claimable: boolean;
  active: boolean;
}

export type CouponField = Exclude<
  keyof CouponTemplateForm,
  'kind' | 'stackable' | 'validityType' | 'claimable' | 'active'
>;
export type CouponErrors = FieldErrors<CouponField>;

export function emptyCouponForm(): CouponTemplateForm {
  return {
    title: '',
    description: '',
    kind: 'cash_off',
    cashOff: '',
    rate: '',
    discountCap: '',
    giftName: '',
    shippingCap: '',
    threshold: '',
    storeIds: [],
    categories: '',
    stackable: false,
    validityType: 'relative',
    from: '',
    until: '',
    days: '30',
    stock: '',
    perMemberLimit: '1',
    claimable: false,
    active: true,
  };
}

export function templateToForm(template: CouponTemplate): CouponTemplateForm {
  const form = emptyCouponForm();
  const { effect, conditions, validity } = template;
  form.title = template.title;
  form.description = template.description;
  form.kind = effect.kind;
  if (effect.kind === 'cash_off') form.cashOff = formatYuan(effect.valueFen);
  if (effect.kind === 'discount') {
    form.rate = formatDiscount(effect.rateBp);
    form.discountCap = effect.capFen === null ? '' : formatYuan(effect.capFen);
  }
  if (effect.kind === 'gift') form.giftName = effect.giftName;
  if (effect.kind === 'free_shipping') form.shippingCap = effect.capFen === null ? '' : formatYuan(effect.capFen);
  form.threshold = conditions.thresholdFen === 0 ? '' : formatYuan(conditions.thresholdFen);
  form.storeIds = [...conditions.storeIds];
  form.categories = conditions.categories.join('，');
  form.stackable = conditions.stackable;
  form.validityType = validity.type;
  if (validity.type === 'fixed') {
    form.from = validity.from;
    form.until = validity.until;
  } else {
    form.days = String(validity.days);
  }
  form.stock = template.totalStock === null ? '' : String(template.totalStock);
  form.perMemberLimit = String(template.perMemberLimit);
  form.claimable = template.claimable;
  form.active = template.active;
  return form;
}

/** "饮品, 甜点，饮品" -> ["饮品", "甜点"]: commas (either width), 、 or new lines; blanks and repeats dropped. */
export function splitList(text: string): string[] {
  const items = text
    .split(/[,，、;；\n]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...new Set(items)];
}

const TEMPLATE_LABELS: Readonly<Record<CouponField, string>> = {
  title: '名称',
  description: '说明',
  cashOff: '减免金额',
  rate: '折扣',
  discountCap: '最高减',
  giftName: '兑换商品',
  shippingCap: '运费上限',
  threshold: '使用门槛',
  storeIds: '适用门店',
  categories: '商品类别',
  from: '开始日期',
  until: '结束日期',
  days: '有效天数',
  stock: '库存',
  perMemberLimit: '每人限领',
};

const MONEY_FIELDS: ReadonlySet<CouponField> = new Set(['cashOff', 'discountCap', 'shippingCap', 'threshold']);

/** The input a schema path belongs to (`effect.capFen` is the cap of whichever kind is chosen). */
function templateFieldOf(path: readonly PropertyKey[], kind: CouponKind): CouponField | 'form' {
  const [first, second] = path.map(String);
  switch (first) {
    case 'title':
    case 'description':
    case 'perMemberLimit':
      return first;
    case 'totalStock':
      return 'stock';
    case 'effect':
      if (second === 'valueFen') return 'cashOff';
      if (second === 'rateBp') return 'rate';
      if (second === 'giftName') return 'giftName';
      if (second === 'capFen') return kind === 'discount' ? 'discountCap' : 'shippingCap';
      return 'form';
    case 'conditions':
      if (second === 'thresholdFen') return 'threshold';
      if (second === 'storeIds') return 'storeIds';
      if (second === 'categories') return 'categories';
      return 'form';
    case 'validity':
      if (second === 'from' || second === 'until' || second === 'days') return second;
      return 'form';
    default:
      return 'form';
  }
}

/** One Chinese sentence for a schema problem with a template input: money in ¥, counts with their unit. */
export function templateIssueText(issue: FormIssue & { minimum?: unknown }, field: CouponField | 'form'): string {
  if (hasChinese(issue.message)) return issue.message;
  if (field === 'form') return issueMessage(issue, {});
  const label = TEMPLATE_LABELS[field];
  const min = bound(issue.minimum);
  const max = bound(issue.maximum);
  if (MONEY_FIELDS.has(field)) {
    if (issue.code === 'too_small') {
      return min !== null && min > 0 ? `${label}至少 ${formatFen(min)}` : `${label}不能为负数`;
    }
    if (issue.code === 'too_big' && max !== null) return `${label}最多 ${formatFen(max)}`;
    return `${label}请输入金额，例如 20 或 9.9`;
  }
  switch (field) {
    case 'stock':
      return issue.code === 'too_big' && max !== null
        ? `库存最多 ${formatPoints(max)} 张`
        : '库存请输入整数，留空表示不限';
    case 'perMemberLimit':
      return '每人限领请填 1 到 100 张';
    case 'days':
      return '有效天数请填 1 到 3650 天';
    case 'categories':
      return issue.code === 'too_big' && issue.path.length <= 2
        ? `商品类别最多 ${max ?? 50} 个`
        : '每个商品类别最多 40 个字';
    case 'storeIds':
      return '适用门店无效，请重新选择';
    default:
      return issueMessage({ ...issue, path: [field] }, TEMPLATE_LABELS);
  }
}

/** Blank -> `blank`, an amount -> fen, anything else -> undefined (a problem). */
function optionalYuan(text: string, blank: number | null): number | null | undefined {
  if (text.trim() === '') return blank;
  return parseYuan(text) ?? undefined;
}

/** The effect as far as it can be read from the form, with the problems of its inputs. */
function readEffect(form: CouponTemplateForm, errors: CouponErrors): CouponTemplateBody['effect'] {
  switch (form.kind) {
    case 'cash_off': {
      const valueFen = parseYuan(form.cashOff);
      if (form.cashOff.trim() === '') errors.cashOff = '请填写减免金额';
      else if (valueFen === null) errors.cashOff = '减免金额请输入金额，例如 20 或 9.9（最多两位小数）';
      return { kind: 'cash_off', valueFen: valueFen ?? 1 };
    }
    case 'discount': {
      const rateBp = parseDiscount(form.rate);
      if (form.rate.trim() === '') errors.rate = '请填写折扣，例如 8.8';
      else if (rateBp === null) errors.rate = '折扣请输入 0.1 到 9.99 之间的数，例如 8.8';
      else if (rateBp >= 10_000) errors.rate = '折扣须低于 10 折，例如八八折请填 8.8';
      const capFen = optionalYuan(form.discountCap, null);
      if (capFen === undefined) errors.discountCap = '最高减请输入金额，留空表示不限';
      return { kind: 'discount', rateBp: rateBp ?? 9_000, capFen: capFen ?? null };
    }
    case 'gift':
      return { kind: 'gift', giftName: form.giftName };
    case 'free_shipping': {
      const capFen = optionalYuan(form.shippingCap, null);
      if (capFen === undefined) errors.shippingCap = '运费上限请输入金额，留空表示运费全免';
      return { kind: 'free_shipping', capFen: capFen ?? null };
    }
  }
}

function readValidity(form: CouponTemplateForm, errors: CouponErrors): CouponTemplateBody['validity'] {
  if (form.validityType === 'fixed') {
    const from = form.from.trim();
    const until = form.until.trim();
    if (from === '') errors.from = '请选择开始日期';
    if (until === '') errors.until = '请选择结束日期';
    if (from !== '' && until !== '' && from > until) errors.until = '结束日期不能早于开始日期';
    return { type: 'fixed', from, until };
  }
  const days = parseWhole(form.days);
  if (form.days.trim() === '') errors.days = '请填写有效天数';
  else if (days === null) errors.days = '有效天数请输入整数';
  return { type: 'relative', days: days ?? 1 };
}

/** The form -> the template body, checked by the shared CouponTemplateInput, or every problem found. */
export function couponTemplateForm(form: CouponTemplateForm): FormCheck<CouponTemplateBody, CouponField> {
  const errors: CouponErrors = {};
  if (form.title.trim() === '') errors.title = '请填写名称';
  const effect = readEffect(form, errors);
  const thresholdFen = optionalYuan(form.threshold, 0);
  if (thresholdFen === undefined) errors.threshold = '使用门槛请输入金额，留空表示无门槛';
  if (
    effect.kind === 'cash_off' &&
    !errors.cashOff &&
    typeof thresholdFen === 'number' &&
    thresholdFen > 0 &&
    effect.valueFen >= thresholdFen
  ) {
    errors.cashOff = '减免金额须小于使用门槛';
  }
  const validity = readValidity(form, errors);
  const totalStock = form.stock.trim() === '' ? null : parseWhole(form.stock);
  if (form.stock.trim() !== '' && totalStock === null) errors.stock = '库存请输入整数，留空表示不限';
  const perMemberLimit = parseWhole(form.perMemberLimit);
  if (form.perMemberLimit.trim() === '') errors.perMemberLimit = '请填写每人限领张数';
  else if (perMemberLimit === null) errors.perMemberLimit = '每人限领请填 1 到 100 张';

  const parsed = CouponTemplateInput.safeParse({
    title: form.title,
    description: form.description,
    effect,
    conditions: {
      thresholdFen: thresholdFen ?? 0,
      storeIds: form.storeIds,
      categories: splitList(form.categories),
      stackable: form.stackable,
    },
    validity,
    totalStock,
    perMemberLimit: perMemberLimit ?? 1,
    claimable: form.claimable,
    active: form.active,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues as readonly (FormIssue & { minimum?: unknown })[]) {
      const field = templateFieldOf(issue.path, form.kind);
      errors[field] ??= templateIssueText(issue, field);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** The server's VALIDATION_FAILED details (`[{ path, message, code? }]`) -> errors next to the inputs. */
export function templateServerErrors(details: unknown, kind: CouponKind): CouponErrors {
  if (!Array.isArray(details)) return {};
  const errors: CouponErrors = {};
  for (const detail of details) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { path, message, code, minimum, maximum } = detail as Record<string, unknown>;
    if (typeof message !== 'string') continue;
    const segments = Array.isArray(path) ? path : typeof path === 'string' ? path.split('.') : [];
    const field = templateFieldOf(segments, kind);
    errors[field] ??= templateIssueText(
      { code: typeof code === 'string' ? code : '', path: segments, message, minimum, maximum },
      field,
    );
  }
  return errors;
}

export interface CouponPreview {
  title: string;
  description: string;
  face: CouponFace;
}

/**
 * What the coupon will look like while the owner types: the shared couponFace of what can be read so far; the
 * kind's name stands in for an amount not typed (yet), and 开始日期 / 结束日期 for dates not picked.
 */
export function couponPreview(form: CouponTemplateForm): CouponPreview {
  let readable = true;
  const effect = ((): CouponTemplateBody['effect'] => {
    switch (form.kind) {
      case 'cash_off': {
        const valueFen = parseYuan(form.cashOff);
        readable = valueFen !== null && valueFen > 0;
        return { kind: 'cash_off', valueFen: valueFen ?? 0 };
      }
      case 'discount': {
        const rateBp = parseDiscount(form.rate);
        readable = rateBp !== null && rateBp > 0 && rateBp < 10_000;
        const capFen = parseYuan(form.discountCap);
        return { kind: 'discount', rateBp: rateBp ?? 0, capFen: capFen !== null && capFen > 0 ? capFen : null };
      }
      case 'gift':
        return { kind: 'gift', giftName: form.giftName.trim() || '指定商品' };
      case 'free_shipping':
        return { kind: 'free_shipping', capFen: null };
    }
  })();
  const validity: CouponTemplateBody['validity'] =
    form.validityType === 'fixed'
      ? { type: 'fixed', from: form.from.trim() || '开始日期', until: form.until.trim() || '结束日期' }
      : { type: 'relative', days: parseWhole(form.days) ?? 0 };
  const face = couponFace({
    effect,
    conditions: {
      thresholdFen: parseYuan(form.threshold) ?? 0,
      storeIds: form.storeIds,
      categories: splitList(form.categories),
      stackable: form.stackable,
    },
    validity,
  });
  if (!readable) face.headline = CouponKindLabels[form.kind];
  if (validity.type === 'relative' && validity.days === 0) face.validity = '领取当日起 N 天内有效';
  return { title: form.title.trim() || '优惠券名称', description: form.description.trim(), face };
}

/** 不限, or what is left of the stock: "80 / 100". */
export function stockText(template: Pick<CouponTemplate, 'totalStock' | 'stockLeft'>): string {
  if (template.totalStock === null) return '不限';
  return `${formatPoints(template.stockLeft ?? template.totalStock)} / ${formatPoints(template.totalStock)}`;
}

/** 核销率 as a percent: 1500 -> "15%", 1234 -> "12.34%". */
export function redemptionText(bp: number): string {
  return percentText(bp);
}

/** A template in a select: "满100减20（¥20）", with 已停用 when it is switched off. */
export function templateOptionText(template: CouponTemplate): string {
  const { headline } = couponFace(template);
  const text = `${template.title}（${headline}）`;
  return template.active ? text : `${text}（已停用）`;
}

// ---- 发券 ----

export interface IssueForm {
  templateId: string;
  targetKind: IssueTarget['kind'];
  /** One per line, or separated by commas. */
  memberNos: string;
  /** The saved segment picked; '' = none yet. */
  segmentId: string;
}

export type IssueField = 'templateId' | 'memberNos' | 'segmentId';
export type IssueErrors = FieldErrors<IssueField>;

export function emptyIssueForm(templateId = ''): IssueForm {
  return { templateId, targetKind: 'members', memberNos: '', segmentId: '' };
}

/** The 发券 form -> the request, or every problem found. */
export function issueForm(form: IssueForm, idempotencyKey: string): FormCheck<CouponIssueBody, IssueField> {
  const errors: IssueErrors = {};
  if (form.templateId === '') errors.templateId = '请选择要发放的优惠券';
  let target: IssueTarget | null = null;
  if (form.targetKind === 'members') {
    const read = readMemberNos(form.memberNos);
    if (read.ok) target = { kind: 'members', memberNos: read.memberNos };
    else errors.memberNos = read.message;
  } else if (form.segmentId === '') {
    errors.segmentId = '请选择要发放的分群';
  } else {
    target = { kind: 'segment', segmentId: form.segmentId };
  }
  if (!target || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: { templateId: form.templateId, target, idempotencyKey } };
}

/** Who a campaign goes to: "3 位指定会员", or the segment as it was when pushed: "分群「金卡人群」（金卡）". */
export function targetText(target: CouponIssue['target']): string {
  if (target.kind === 'members') return `${formatPoints(target.memberNos.length)} 位指定会员`;
  if (!target.segment) return '指定分群';
  return `分群「${target.segment.name}」（${target.segment.summary}）`;
}

export const ISSUE_STATUS_LABELS: Record<CouponIssue['status'], string> = {
  queued: '排队中',
  running: '发放中',
  done: '已完成',
  failed: '失败',
};

/** Still being worked on by the server: the page polls it. */
export function isIssueRunning(issue: Pick<CouponIssue, 'status'>): boolean {
  return issue.status === 'queued' || issue.status === 'running';
}

/** "已发 120 · 跳过 3 · 共 200" and how far along it is (null while the total is not known yet). */
export function issueProgress(issue: Pick<CouponIssue, 'issued' | 'skipped' | 'total' | 'status'>): {
  text: string;
  percent: number | null;
} {
  const done = `已发 ${formatPoints(issue.issued)} · 跳过 ${formatPoints(issue.skipped)}`;
  if (issue.total === null) return { text: `${done} · 正在统计会员`, percent: null };
  const text = `${done} · 共 ${formatPoints(issue.total)}`;
  if (issue.total === 0) return { text, percent: issue.status === 'done' ? 100 : 0 };
  return { text, percent: Math.min(100, Math.floor(((issue.issued + issue.skipped) * 100) / issue.total)) };
}

/** A campaign the server answered: replaces the one with the same id, or goes on top (newest first). */
export function upsertIssue(list: readonly CouponIssue[], issue: CouponIssue): CouponIssue[] {
  return list.some((row) => row.id === issue.id)
    ? list.map((row) => (row.id === issue.id ? issue : row))
    : [issue, ...list];
}

// ---- 礼券设置 ----

export interface SettingsForm {
  /** Every tier, in tier order; '' = 不发. */
  tierGifts: { tier: TierName; birthdayTemplateId: string; monthlyTemplateId: string }[];
  referralEnabled: boolean;
  /** '' = 不发奖励. */
  rewardTemplateId: string;
  holdDays: string;
  dailyLimit: string;
  acceptWithinHours: string;
}

export type SettingsField = 'holdDays' | 'dailyLimit' | 'acceptWithinHours';
export type SettingsErrors = FieldErrors<SettingsField>;

export function settingsToForm(settings: CouponSettings): SettingsForm {
  return {
    tierGifts: TierNames.map((tier) => {
      const gift = settings.tierGifts.find((row) => row.tier === tier);
      return {
        tier,
        birthdayTemplateId: gift?.birthdayTemplateId ?? '',
        monthlyTemplateId: gift?.monthlyTemplateId ?? '',
      };
    }),
    referralEnabled: settings.referral.enabled,
    rewardTemplateId: settings.referral.rewardTemplateId ?? '',
    holdDays: String(settings.referral.holdDays),
    dailyLimit: String(settings.referral.dailyLimit),
    acceptWithinHours: String(settings.referral.acceptWithinHours),
  };
}

function wholeIn(text: string, min: number, max: number): number | null {
  const value = parseWhole(text);
  return value !== null && value >= min && value <= max ? value : null;
}

export function settingsForm(form: SettingsForm): FormCheck<CouponSettings, SettingsField> {
  const errors: SettingsErrors = {};
  const holdDays = wholeIn(form.holdDays, 0, 30);
  if (holdDays === null) errors.holdDays = '奖励冻结天数请填 0 到 30 的整数';
  const dailyLimit = wholeIn(form.dailyLimit, 1, 1_000);
  if (dailyLimit === null) errors.dailyLimit = '每人每日邀请上限请填 1 到 1000 的整数';
  const acceptWithinHours = wholeIn(form.acceptWithinHours, 1, 720);
  if (acceptWithinHours === null) errors.acceptWithinHours = '接受邀请时限请填 1 到 720 小时';
  if (holdDays === null || dailyLimit === null || acceptWithinHours === null) return { ok: false, errors };
  return {
    ok: true,
    body: {
      tierGifts: form.tierGifts.map((row) => ({
        tier: row.tier,
        birthdayTemplateId: row.birthdayTemplateId || null,
        monthlyTemplateId: row.monthlyTemplateId || null,
      })),
      referral: {
        enabled: form.referralEnabled,
        rewardTemplateId: form.rewardTemplateId || null,
        holdDays,
        dailyLimit,
        acceptWithinHours,
      },
    },
  };
}

// ---- 邀请 ----

type Suspicion = ReferralOverview['suspicious'][number]['reason'];

export const SUSPICIOUS_REASON_LABELS: Record<Suspicion, string> = {
  shared_device: '共用设备',
  phone_prefix: '手机号段集中',
  burst: '短时间大量邀请',
};

/** "小明（10000001）", or the number alone when the member has no nickname. */
export function memberText(member: { memberNo: string; nickname: string | null }): string {
  return member.nickname ? `${member.nickname}（${member.memberNo}）` : member.memberNo;
}

/** The search box: an 8-digit 会员号, blank for the newest referrals, or why it is neither. */
export function memberNoQuery(text: string): { ok: true; memberNo: string | null } | { ok: false; message: string } {
  const value = text.trim();
  if (value === '') return { ok: true, memberNo: null };
  return /^\d{8}$/.test(value) ? { ok: true, memberNo: value } : { ok: false, message: '会员号应为 8 位数字' };
}

export type ChainLevel = 'up' | 'direct' | 'indirect' | 'other';

export const CHAIN_LEVEL_LABELS: Record<ChainLevel, string> = {
  up: '邀请了TA',
  direct: '直接邀请',
  indirect: '间接邀请',
  other: '',
};

export interface ReferralChain {
  rows: { referral: AdminReferral; level: ChainLevel }[];
  invitedBy: AdminReferral['inviter'] | null;
  direct: number;
  indirect: number;
}

/** The chain around one member: who invited them first, then whom they invited, then whom those invited. */
export function referralChain(referrals: readonly AdminReferral[], memberNo: string): ReferralChain {
  const directInvitees = new Set(
    referrals.filter((row) => row.inviter.memberNo === memberNo).map((row) => row.invitee.memberNo),
  );
  const levelOf = (row: AdminReferral): ChainLevel => {
    if (row.invitee.memberNo === memberNo) return 'up';
    if (row.inviter.memberNo === memberNo) return 'direct';
    if (directInvitees.has(row.inviter.memberNo)) return 'indirect';
    return 'other';
  };
  const order: ChainLevel[] = ['up', 'direct', 'indirect', 'other'];
  const rows = referrals
    .map((referral) => ({ referral, level: levelOf(referral) }))
    .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
  return {
    rows,
    invitedBy: rows.find((row) => row.level === 'up')?.referral.inviter ?? null,
    direct: rows.filter((row) => row.level === 'direct').length,
    indirect: rows.filter((row) => row.level === 'indirect').length,
  };
}
