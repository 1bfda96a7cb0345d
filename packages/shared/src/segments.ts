// Issue 9 contract (tags and segments): member tags (manual, or computed from a rule every day and on demand),
// segments (saved combinations of tags, tier, RFM class, activity and profile fields, with a live count), and
// the sentences an owner reads for both. Coupon pushes target a segment (`IssueTarget` in coupons.ts).
//
// Time windows: "近 N 天" is today (China time) and the N - 1 days before it, from 00:00 of the first of them up to
// now, the same calendar days the dashboard's windows use (China has no daylight saving: a day is always
// [00:00+08:00, next 00:00+08:00)). So an order at 23:59 on the first day of the window counts and one a minute
// earlier does not. Money is integer fen, points integer points.
//
// What counts as a visit and as spend: orders with status `paid` or `partially_refunded` (pending orders never
// happened; fully refunded ones were undone), spend being paid minus refunded, as the RFM rules count it.
import { z } from 'zod';
import { Gender, ObjectIdText } from './identity';
import { formatFen, formatPoints } from './money';
import { RfmClass, RfmClassInfo } from './rfm';
import { TierNames } from './schemas';

const Fen = z.number().int();
const Tier = z.enum(TierNames);
const TagIdText = z.string().regex(/^[0-9a-f]{24}$/, '标签无效');
const StoreIdText = z.string().regex(/^[0-9a-f]{24}$/, '门店无效');
const MemberNoText = z.string().regex(/^\d{8}$/, '会员号应为 8 位数字');

/** The longest window a condition may look back over, days (three years, as the RFM window). */
export const MAX_WINDOW_DAYS = 1_095;
const WindowDays = z
  .number()
  .int('天数须为整数')
  .min(1, '天数至少为 1')
  .max(MAX_WINDOW_DAYS, `天数最多为 ${MAX_WINDOW_DAYS}`);
const Comparison = z.enum(['gte', 'lte']);
export type Comparison = z.infer<typeof Comparison>;

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The first instant of "近 N 天" at `nowMs`: 00:00 China time of the day N - 1 days before today. */
export function windowStartMs(nowMs: number, days: number): number {
  const chinaMidnight = Math.floor((nowMs + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  return chinaMidnight - (days - 1) * DAY_MS;
}

const unique = <T>(list: T[]) => new Set(list).size === list.length;
const Months = z
  .array(z.number().int().min(1, '月份为 1-12').max(12, '月份为 1-12'))
  .min(1, '请至少选择一个月份')
  .max(12)
  .refine(unique, '月份不能重复');

// ---- Rule tag conditions: each kind is a registered condition on the server (modules/tags/conditions) ----
export const TagCondition = z.discriminatedUnion('kind', [
  /** Spend (paid minus refunded) in the window, at least / at most `fen`. */
  z.strictObject({
    kind: z.literal('spend'),
    days: WindowDays,
    op: Comparison,
    fen: Fen.min(0, '金额不能为负').max(1_000_000_000, '金额过大'),
  }),
  /** Visits (paid orders) in the window, at least / at most `count`. */
  z.strictObject({
    kind: z.literal('visits'),
    days: WindowDays,
    op: Comparison,
    count: z.number().int('次数须为整数').min(0, '次数不能为负').max(10_000),
  }),
  z.strictObject({
    kind: z.literal('tier'),
    tiers: z.array(Tier).min(1, '请至少选择一个等级').max(TierNames.length).refine(unique, '等级不能重复'),
  }),
  /** Points balance now, within [min, max] (either bound may be left open). */
  z
    .strictObject({
      kind: z.literal('points'),
      min: z.number().int('积分须为整数').nullable().default(null),
      max: z.number().int('积分须为整数').nullable().default(null),
    })
    .refine((c) => c.min !== null || c.max !== null, { path: ['min'], message: '请至少填写积分下限或上限' })
    .refine((c) => c.min === null || c.max === null || c.min <= c.max, {
      path: ['max'],
      message: '积分上限不能小于下限',
    }),
  /** Coupons used (核销 or applied to an order) in the window, at least / at most `count`. */
  z.strictObject({
    kind: z.literal('couponsUsed'),
    days: WindowDays,
    op: Comparison,
    count: z.number().int('张数须为整数').min(0, '张数不能为负').max(10_000),
  }),
  z.strictObject({ kind: z.literal('birthdayMonth'), months: Months }),
  /** At least one visit at one of these stores in the window. */
  z.strictObject({
    kind: z.literal('store'),
    storeIds: z.array(StoreIdText).min(1, '请至少选择一家门店').max(50).refine(unique, '门店不能重复'),
    days: WindowDays,
  }),
  /** The member's class in the newest finished RFM run (a member joined after it has no class yet). */
  z.strictObject({
    kind: z.literal('rfmClass'),
    classes: z.array(RfmClass).min(1, '请至少选择一个 RFM 分类').max(9).refine(unique, '分类不能重复'),
  }),
  /** Joined (registered) within the window. */
  z.strictObject({ kind: z.literal('joinedWithin'), days: z.number().int().min(1, '天数至少为 1').max(3_650) }),
  z.strictObject({ kind: z.literal('hasPhone'), has: z.boolean().default(true) }),
]);
export type TagCondition = z.infer<typeof TagCondition>;
export type TagConditionInput = z.input<typeof TagCondition>;
export type TagConditionKind = TagCondition['kind'];

/** For the rule editor: the condition's name and what it asks for. */
export const TagConditionInfo: Record<TagConditionKind, { label: string; hint: string }> = {
  spend: { label: '消费金额', hint: '近 N 天实付减退款的合计' },
  visits: { label: '消费次数', hint: '近 N 天已支付的订单数' },
  tier: { label: '会员等级', hint: '当前等级为所选之一' },
  points: { label: '积分余额', hint: '当前可用积分在范围内' },
  couponsUsed: { label: '用券次数', hint: '近 N 天使用的优惠券张数' },
  birthdayMonth: { label: '生日月份', hint: '生日在所选月份' },
  store: { label: '消费门店', hint: '近 N 天在所选门店消费过' },
  rfmClass: { label: 'RFM 分类', hint: '最近一次 RFM 计算的分类' },
  joinedWithin: { label: '入会时间', hint: '近 N 天内注册成为会员' },
  hasPhone: { label: '手机号', hint: '是否已绑定手机号' },
};

/** A rule tag's rule: a member has the tag when every condition holds. */
export const TagRule = z.strictObject({
  all: z.array(TagCondition).min(1, '请至少添加一个条件').max(10, '最多 10 个条件'),
});
export type TagRule = z.infer<typeof TagRule>;
export type TagRuleInput = z.input<typeof TagRule>;

// ---- Tags ----
export const TagKind = z.enum(['manual', 'rule']);
export type TagKind = z.infer<typeof TagKind>;
export const TagKindLabels: Record<TagKind, string> = { manual: '手动标签', rule: '规则标签' };

const TagName = z.string().trim().min(1, '请填写标签名称').max(20, '标签名称最多 20 个字');
const TagDescription = z.string().trim().max(100, '说明最多 100 个字');
/** #RRGGBB, or null for the default look. */
const TagColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, '颜色格式应为 #RRGGBB')
  .nullable();

export const Tag = z.object({
  id: z.string(),
  name: z.string(),
  kind: TagKind,
  description: z.string(),
  color: z.string().nullable(),
  /** null for manual tags. */
  rule: TagRule.nullable(),
  /** The rule as the owner reads it ("近 90 天消费满 ¥2,000.00 且 金卡"), store names filled in; null for manual. */
  ruleText: z.string().nullable(),
  /** Active members with the tag (rule tags: as of the last evaluation). */
  memberCount: z.number().int(),
  /** When the rule was last evaluated; null for manual tags and before the first evaluation. */
  evaluatedAt: z.string().nullable(),
  /** The rule changed since it was last evaluated: members are the old rule's until the next evaluation. */
  pendingEvaluation: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Tag = z.infer<typeof Tag>;

/** The tag a member row shows. */
export const TagBadge = z.object({ id: z.string(), name: z.string(), color: z.string().nullable() });
export type TagBadge = z.infer<typeof TagBadge>;

export const CreateTagRequest = z
  .strictObject({
    name: TagName,
    kind: TagKind,
    description: TagDescription.default(''),
    color: TagColor.default(null),
    /** Required for a rule tag, absent for a manual one. A new rule takes effect at the next evaluation. */
    rule: TagRule.optional(),
  })
  .refine((t) => t.kind !== 'rule' || t.rule !== undefined, { path: ['rule'], message: '规则标签需要填写规则' })
  .refine((t) => t.kind !== 'manual' || t.rule === undefined, { path: ['rule'], message: '手动标签没有规则' });
export type CreateTagRequest = z.input<typeof CreateTagRequest>;

/** Names only what changes; the kind never changes; `rule` only on a rule tag. */
export const UpdateTagRequest = z
  .strictObject({ name: TagName, description: TagDescription, color: TagColor, rule: TagRule })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '至少修改一项');
export type UpdateTagRequest = z.input<typeof UpdateTagRequest>;

const PageFields = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

export const TagListQuery = z.strictObject({
  /** Part of the name. */
  q: z.string().trim().max(20).optional(),
  kind: TagKind.optional(),
  /** Newest first by default; `members` = most members first. Ties by name. */
  sort: z.enum(['created', 'name', 'members']).default('created'),
  ...PageFields,
});
export type TagListQuery = z.infer<typeof TagListQuery>;
export const TagPage = z.object({
  items: z.array(Tag),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TagPage = z.infer<typeof TagPage>;

/** The most members one bulk request may name. */
export const MAX_BULK_MEMBERS = 10_000;

/** Who a bulk change or a push is for: listed member numbers, or a saved segment's members now. */
export const MemberSelection = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('members'),
    memberNos: z
      .array(MemberNoText)
      .min(1, '请至少填写一个会员号')
      .max(MAX_BULK_MEMBERS, `一次最多 ${MAX_BULK_MEMBERS.toLocaleString('en-US')} 个会员`),
  }),
  z.strictObject({ kind: z.literal('segment'), segmentId: ObjectIdText }),
]);
export type MemberSelection = z.infer<typeof MemberSelection>;

/** POST tag members: add or remove a manual tag. Idempotent: adding a tag a member has changes nothing. */
export const TagMembersRequest = z.strictObject({
  action: z.enum(['add', 'remove']),
  target: MemberSelection,
});
export type TagMembersRequest = z.infer<typeof TagMembersRequest>;
export const TagMembersResult = z.object({
  tagId: z.string(),
  action: z.enum(['add', 'remove']),
  /** Active members the target named. */
  matched: z.number().int(),
  /** Of those, how many gained (add) or lost (remove) the tag; the rest already were so. */
  changed: z.number().int(),
  /** Member numbers that name no active member (the first 100). */
  notFound: z.array(z.string()),
  memberCount: z.number().int(),
});
export type TagMembersResult = z.infer<typeof TagMembersResult>;

// ---- Evaluating rule tags (the daily job, or "立即计算") ----
export const TagRunStatus = z.enum(['running', 'done', 'failed']);
export const TagRun = z.object({
  id: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  status: TagRunStatus,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Active members looked at. */
  members: z.number().int(),
  /** Memberships written: gained and lost (a member whose tags did not change is not written). */
  added: z.number().int(),
  removed: z.number().int(),
  /** The RFM run the `rfmClass` conditions read; null when there was none. */
  rfmRunId: z.string().nullable(),
  tags: z.array(
    z.object({
      tagId: z.string(),
      name: z.string(),
      memberCount: z.number().int(),
      added: z.number().int(),
      removed: z.number().int(),
    }),
  ),
  ms: z.number().int(),
  error: z.string().nullable(),
});
export type TagRun = z.infer<typeof TagRun>;

export const TagEvaluationStatus = z.object({
  /** A run is going on now (here or on another server copy). */
  running: z.boolean(),
  /** The newest run, running or finished; null before the first. */
  latest: TagRun.nullable(),
});
export type TagEvaluationStatus = z.infer<typeof TagEvaluationStatus>;

/** POST evaluate: every rule tag, or only these. Runs in the background (202); one run at a time. */
export const TagEvaluateRequest = z.strictObject({
  tagIds: z.array(TagIdText).min(1).max(200).refine(unique, '标签不能重复').optional(),
});
export type TagEvaluateRequest = z.infer<typeof TagEvaluateRequest>;
export const TagEvaluateResult = z.object({ started: z.boolean(), alreadyRunning: z.boolean() });
export type TagEvaluateResult = z.infer<typeof TagEvaluateResult>;

// ---- Segments ----
const TagIdList = z.array(TagIdText).max(20, '最多 20 个标签').refine(unique, '标签不能重复');

export const SegmentDefinition = z
  .strictObject({
    tags: z
      .strictObject({
        /** Has every one of these. */
        all: TagIdList.default([]),
        /** Has at least one of these (ignored when empty). */
        any: TagIdList.default([]),
        /** Has none of these. */
        none: TagIdList.default([]),
      })
      .default({ all: [], any: [], none: [] }),
    /** Empty = any tier. */
    tiers: z.array(Tier).max(TierNames.length).refine(unique, '等级不能重复').default([]),
    /** Empty = any class; the newest finished RFM run's classes. */
    rfmClasses: z.array(RfmClass).max(9).refine(unique, '分类不能重复').default([]),
    activity: z
      .strictObject({
        /** At least one visit in the last N days (活跃会员). */
        activeWithinDays: WindowDays.nullable().default(null),
        /** No visit in the last N days, and joined before them (沉睡会员). */
        inactiveDays: WindowDays.nullable().default(null),
      })
      .default({ activeWithinDays: null, inactiveDays: null })
      // Both: bought in the longer window but not in the shorter one (流失中), so the shorter must be inactivity.
      .refine((a) => a.activeWithinDays === null || a.inactiveDays === null || a.inactiveDays < a.activeWithinDays, {
        path: ['inactiveDays'],
        message: '同时设置时，未消费天数须小于活跃天数',
      }),
    profile: z
      .strictObject({
        gender: Gender.nullable().default(null),
        birthdayMonths: z
          .array(z.number().int().min(1, '月份为 1-12').max(12, '月份为 1-12'))
          .max(12)
          .refine(unique, '月份不能重复')
          .default([]),
        joinedWithinDays: z.number().int().min(1, '天数至少为 1').max(3_650).nullable().default(null),
        points: z
          .strictObject({
            min: z.number().int('积分须为整数').nullable().default(null),
            max: z.number().int('积分须为整数').nullable().default(null),
          })
          .refine((p) => p.min === null || p.max === null || p.min <= p.max, {
            path: ['max'],
            message: '积分上限不能小于下限',
          })
          .default({ min: null, max: null }),
        hasPhone: z.boolean().nullable().default(null),
      })
      .default({
        gender: null,
        birthdayMonths: [],
        joinedWithinDays: null,
        points: { min: null, max: null },
        hasPhone: null,
      }),
  })
  .refine(
    (d) => {
      const all = new Set(d.tags.all);
      return (
        ![...d.tags.any, ...d.tags.none].some((id) => all.has(id)) && !d.tags.any.some((id) => d.tags.none.includes(id))
      );
    },
    { path: ['tags'], message: '同一个标签不能同时出现在不同条件里' },
  );
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;
export type SegmentDefinitionInput = z.input<typeof SegmentDefinition>;

/** Every field at its default: all active members. */
export const EMPTY_SEGMENT_DEFINITION: SegmentDefinition = SegmentDefinition.parse({});

export const Segment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  definition: SegmentDefinition,
  /** describeSegment with tag names filled in. */
  summary: z.string(),
  /** Members matching when last counted (on save, on a recount, on a push); null before the first count. */
  count: z.number().int().nullable(),
  countedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Segment = z.infer<typeof Segment>;

const SegmentName = z.string().trim().min(1, '请填写分群名称').max(30, '分群名称最多 30 个字');
const SegmentDescription = z.string().trim().max(200, '说明最多 200 个字');

export const CreateSegmentRequest = z.strictObject({
  name: SegmentName,
  description: SegmentDescription.default(''),
  definition: SegmentDefinition,
});
export type CreateSegmentRequest = z.input<typeof CreateSegmentRequest>;
export const UpdateSegmentRequest = z
  .strictObject({ name: SegmentName, description: SegmentDescription, definition: SegmentDefinition })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '至少修改一项');
export type UpdateSegmentRequest = z.input<typeof UpdateSegmentRequest>;

export const SegmentListQuery = z.strictObject({ q: z.string().trim().max(30).optional(), ...PageFields });
export type SegmentListQuery = z.infer<typeof SegmentListQuery>;
export const SegmentPage = z.object({
  items: z.array(Segment),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type SegmentPage = z.infer<typeof SegmentPage>;

/** POST preview: the live count of a definition not saved yet, and a few of its members. */
export const SegmentPreviewRequest = z.strictObject({
  definition: SegmentDefinition,
  sampleSize: z.number().int().min(0).max(20).default(5),
});
export type SegmentPreviewRequest = z.input<typeof SegmentPreviewRequest>;

/** A sample member: never the phone number, only its mask. */
export const SegmentSampleMember = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  nickname: z.string().nullable(),
  maskedPhone: z.string().nullable(),
  tier: z.string(),
  points: z.number().int(),
  tags: z.array(TagBadge),
});
export type SegmentSampleMember = z.infer<typeof SegmentSampleMember>;

export const SegmentPreview = z.object({
  count: z.number().int(),
  countedAt: z.string(),
  summary: z.string(),
  /** The first members by member id (the order pushes use). */
  sample: z.array(SegmentSampleMember),
});
export type SegmentPreview = z.infer<typeof SegmentPreview>;

/** What a coupon push keeps of its segment: the name and definition as they were when it was pushed. */
export const SegmentSnapshot = z.object({ name: z.string(), definition: SegmentDefinition, summary: z.string() });
export type SegmentSnapshot = z.infer<typeof SegmentSnapshot>;

export const TagPaths = {
  /** GET TagListQuery -> TagPage; POST CreateTagRequest -> 201 Tag */
  tags: '/api/v1/admin/tags',
  /** GET -> Tag; PATCH UpdateTagRequest -> Tag; DELETE -> 204 (409 TAG_IN_USE while a segment names it) */
  tag: (id: string) => `/api/v1/admin/tags/${id}`,
  /** POST TagMembersRequest -> TagMembersResult (manual tags only: 409 TAG_NOT_MANUAL) */
  tagMembers: (id: string) => `/api/v1/admin/tags/${id}/members`,
  /** POST TagEvaluateRequest -> 202 TagEvaluateResult */
  evaluate: '/api/v1/admin/tags/evaluate',
  /** GET -> TagEvaluationStatus */
  evaluation: '/api/v1/admin/tags/evaluation',
} as const;

export const SegmentPaths = {
  /** GET SegmentListQuery -> SegmentPage; POST CreateSegmentRequest -> 201 Segment (counted on save) */
  segments: '/api/v1/admin/segments',
  /** GET -> Segment; PATCH UpdateSegmentRequest -> Segment (recounted when the definition changes); DELETE -> 204 */
  segment: (id: string) => `/api/v1/admin/segments/${id}`,
  /** POST SegmentPreviewRequest -> SegmentPreview */
  preview: '/api/v1/admin/segments/preview',
  /** POST -> SegmentPreview of the saved definition; the count is stored on the segment */
  count: (id: string) => `/api/v1/admin/segments/${id}/count`,
} as const;

// ---- The sentences owners read ----
/** How to name things the rule only holds ids of; without a name the sentence says how many there are. */
export interface DescribeNames {
  store?: (id: string) => string | undefined;
  tag?: (id: string) => string | undefined;
}

const COMPARISON_WORDS: Record<Comparison, string> = { gte: '至少', lte: '不超过' };

function monthsText(months: number[]): string {
  return `${[...months].sort((a, b) => a - b).join('、')} 月`;
}

function pointsText(min: number | null, max: number | null): string {
  if (min !== null && max !== null)
    return min === max ? `积分为 ${formatPoints(min)}` : `积分在 ${formatPoints(min)} 至 ${formatPoints(max)} 之间`;
  if (min !== null) return `积分至少 ${formatPoints(min)}`;
  return `积分不超过 ${formatPoints(max ?? 0)}`;
}

/** 「高消费」「常客」, or null when a name is missing (the sentence then says how many). */
function tagNames(ids: string[], name: ((id: string) => string | undefined) | undefined): string | null {
  const names = ids.map((id) => name?.(id));
  return names.every((n) => n !== undefined) ? names.map((n) => `「${n}」`).join('') : null;
}

function tagsText(mode: 'all' | 'any' | 'none', ids: string[], name: DescribeNames['tag']): string {
  const named = tagNames(ids, name);
  const one = ids.length === 1;
  if (mode === 'all') {
    if (named) return one ? `带有标签${named}` : `同时带有标签${named}`;
    return one ? '带有 1 个指定标签' : `同时带有 ${ids.length} 个指定标签`;
  }
  if (mode === 'any') {
    if (named) return one ? `带有标签${named}` : `带有标签${named}之一`;
    return one ? '带有 1 个指定标签' : `带有 ${ids.length} 个指定标签之一`;
  }
  return named ? `不带标签${named}` : `不带 ${ids.length} 个指定标签`;
}

/** One condition as a phrase: "近 90 天消费满 ¥2,000.00", "金卡", "生日在 3、4 月". */
export function describeTagCondition(c: TagConditionInput, names: DescribeNames = {}): string {
  const p = TagCondition.parse(c);
  switch (p.kind) {
    case 'spend':
      return p.op === 'gte'
        ? `近 ${p.days} 天消费满 ${formatFen(p.fen)}`
        : `近 ${p.days} 天消费不超过 ${formatFen(p.fen)}`;
    case 'visits':
      if (p.op === 'lte' && p.count === 0) return `近 ${p.days} 天没有消费`;
      return `近 ${p.days} 天消费${COMPARISON_WORDS[p.op]} ${p.count} 次`;
    case 'tier':
      return p.tiers.join('或');
    case 'points':
      return pointsText(p.min, p.max);
    case 'couponsUsed':
      if (p.op === 'lte' && p.count === 0) return `近 ${p.days} 天没有用券`;
      return `近 ${p.days} 天用券${COMPARISON_WORDS[p.op]} ${p.count} 张`;
    case 'birthdayMonth':
      return `生日在 ${monthsText(p.months)}`;
    case 'store': {
      const stores = p.storeIds.map((id) => names.store?.(id));
      if (stores.every((n) => n !== undefined)) return `近 ${p.days} 天在${stores.join('、')}消费过`;
      return `近 ${p.days} 天在 ${p.storeIds.length} 家指定门店消费过`;
    }
    case 'rfmClass':
      return `RFM 分类为 ${p.classes.map((k) => RfmClassInfo[k].name).join('或')}`;
    case 'joinedWithin':
      return `近 ${p.days} 天入会`;
    case 'hasPhone':
      return p.has ? '已绑定手机号' : '未绑定手机号';
  }
}

/** "近 90 天消费满 ¥2,000.00 且 金卡": every condition, joined by 且. */
export function describeTagRule(rule: TagRuleInput, names: DescribeNames = {}): string {
  return rule.all.map((c) => describeTagCondition(c, names)).join(' 且 ');
}

const GENDER_WORDS: Record<Gender, string> = { male: '男性', female: '女性', unknown: '性别未知' };

/** "带有标签「高消费」 且 金卡或黑钻 且 近 30 天有消费"; a definition with no condition is "全部会员". */
export function describeSegment(definition: SegmentDefinitionInput, names: DescribeNames = {}): string {
  const d = SegmentDefinition.parse(definition);
  const parts: string[] = [];
  for (const mode of ['all', 'any', 'none'] as const)
    if (d.tags[mode].length) parts.push(tagsText(mode, d.tags[mode], names.tag));
  if (d.tiers.length) parts.push(d.tiers.join('或'));
  if (d.rfmClasses.length) parts.push(`RFM 分类为 ${d.rfmClasses.map((k) => RfmClassInfo[k].name).join('或')}`);
  const { activeWithinDays: active, inactiveDays: inactive } = d.activity;
  if (active !== null && inactive !== null) parts.push(`近 ${active} 天有消费但近 ${inactive} 天没有消费`);
  else if (active !== null) parts.push(`近 ${active} 天有消费`);
  else if (inactive !== null) parts.push(`超过 ${inactive} 天没有消费`);
  const p = d.profile;
  if (p.gender !== null) parts.push(GENDER_WORDS[p.gender]);
  if (p.birthdayMonths.length) parts.push(`生日在 ${monthsText(p.birthdayMonths)}`);
  if (p.joinedWithinDays !== null) parts.push(`近 ${p.joinedWithinDays} 天入会`);
  if (p.points.min !== null || p.points.max !== null) parts.push(pointsText(p.points.min, p.points.max));
  if (p.hasPhone !== null) parts.push(p.hasPhone ? '已绑定手机号' : '未绑定手机号');
  return parts.length ? parts.join(' 且 ') : '全部会员';
}
