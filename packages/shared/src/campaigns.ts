// Owner-defined campaigns: a segment, an offer (a coupon or points, with a subscription message), a schedule, and a
// held-out control group so the results say what the campaign added, not just what its members spent.
import { z } from 'zod';
import { ObjectIdText } from './identity';

export const CampaignSchedule = z.discriminatedUnion('kind', [
  /** Everyone in the segment at that moment, once. */
  z.strictObject({ kind: z.literal('once'), at: z.iso.datetime({ offset: true }) }),
  /** Every day at `hour` (China time) from `from` to `until`: members who entered the segment since are reached. */
  z.strictObject({
    kind: z.literal('daily'),
    hour: z.number().int().min(0).max(23),
    from: z.iso.date(),
    until: z.iso.date(),
  }),
]);
export type CampaignSchedule = z.infer<typeof CampaignSchedule>;

export const CampaignAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('coupon'), templateId: ObjectIdText }),
  z.strictObject({
    kind: z.literal('points'),
    points: z.number().int('积分须为整数').min(1, '积分至少 1').max(100_000, '积分最多 100000'),
  }),
]);
export type CampaignAction = z.infer<typeof CampaignAction>;

export const CampaignStatus = z.enum(['draft', 'scheduled', 'running', 'done', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;
export const CampaignStatusLabels: Record<CampaignStatus, string> = {
  draft: '草稿',
  scheduled: '待执行',
  running: '执行中',
  done: '已完成',
  cancelled: '已取消',
};

/** Days after a member is reached during which their orders count towards the results. */
export const CAMPAIGN_RESULT_DAYS = 30;

export const CampaignInput = z.strictObject({
  name: z.string().trim().min(1, '请填写活动名称').max(40, '名称最多 40 个字'),
  segmentId: ObjectIdText,
  action: CampaignAction,
  schedule: CampaignSchedule,
  /** Held out: assigned like everyone else, given nothing, compared against. 10% by default. */
  controlPct: z.number().int().min(0).max(50, '对照组最多 50%').default(10),
  /** Also send a subscription message (members with consent, within the weekly cap and outside quiet hours). */
  notify: z.boolean().default(true),
});
export type CampaignInput = z.input<typeof CampaignInput>;

export const Campaign = z.object({
  id: z.string(),
  name: z.string(),
  segmentId: z.string(),
  segmentName: z.string(),
  action: CampaignAction,
  actionText: z.string(),
  schedule: CampaignSchedule,
  controlPct: z.number().int(),
  notify: z.boolean(),
  status: CampaignStatus,
  /** Members assigned so far, by group. */
  treatment: z.number().int(),
  control: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignList = z.object({ campaigns: z.array(Campaign) });
export type CampaignList = z.infer<typeof CampaignList>;

export const CampaignDryRun = z.object({
  /** In the segment now. */
  members: z.number().int(),
  treatment: z.number().int(),
  control: z.number().int(),
  /** Treatment members who have consent for the message's template now. */
  reachableByMessage: z.number().int(),
  /** The most the offer can cost: every coupon used in full, or every point spent (100 points = ¥1). */
  maxCostFen: z.number().int().nullable(),
  costNote: z.string(),
});
export type CampaignDryRun = z.infer<typeof CampaignDryRun>;

export const GroupResult = z.object({
  members: z.number().int(),
  /** Members with at least one paid order in the result window. */
  buyers: z.number().int(),
  revenueFen: z.number().int(),
  /** Revenue per member, in fen (rounded down). */
  revenuePerMemberFen: z.number().int(),
  /** buyers / members, in basis points. */
  conversionBp: z.number().int(),
});
export type GroupResult = z.infer<typeof GroupResult>;

export const CampaignResults = z.object({
  campaignId: z.string(),
  asOf: z.string(),
  reached: z.number().int(),
  messagesSent: z.number().int(),
  couponsIssued: z.number().int(),
  couponsRedeemed: z.number().int(),
  /** couponsRedeemed / couponsIssued, basis points. */
  redemptionBp: z.number().int().nullable(),
  treatment: GroupResult,
  control: GroupResult,
  /** (treatment per member - control per member) / control per member, basis points; null without a baseline. */
  upliftBp: z.number().int().nullable(),
  /** (treatment per member - control per member) x treatment members, fen. */
  incrementalRevenueFen: z.number().int(),
  /** What the offer cost: coupon discounts on orders + points given (100 points = ¥1). */
  costFen: z.number().int(),
  /** (incremental revenue - cost) / cost, basis points; null when it cost nothing. */
  roiBp: z.number().int().nullable(),
  /** Revenue per member by day since reached, for the chart. */
  daily: z.array(z.object({ day: z.number().int(), treatmentFen: z.number().int(), controlFen: z.number().int() })),
});
export type CampaignResults = z.infer<typeof CampaignResults>;

export const CampaignPaths = {
  campaigns: '/api/v1/admin/campaigns',
  dryRun: '/api/v1/admin/campaigns/dry-run',
  one: (id: string) => `/api/v1/admin/campaigns/${id}`,
  start: (id: string) => `/api/v1/admin/campaigns/${id}/start`,
  cancel: (id: string) => `/api/v1/admin/campaigns/${id}/cancel`,
  results: (id: string) => `/api/v1/admin/campaigns/${id}/results`,
} as const;
