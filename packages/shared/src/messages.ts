// Subscription messages: what a member consented to, what the hub sends them and why, and the owner's view of the
// outbox. WeChat gives one send per accepted `wx.requestSubscribeMessage` per template; the server counts those
// quotas and never sends without one.
import { z } from 'zod';

/** The messages the hub sends, each tied to one template (see `MessageKindInfo`). */
export const MessageKind = z.enum([
  'points_earned',
  'points_expiring',
  'tier_up',
  'tier_down_warning',
  'coupon_expiring',
  'birthday',
  'win_back',
  'referral_reward',
  'top_up_success',
  'campaign',
  'campaign_points',
]);
export type MessageKind = z.infer<typeof MessageKind>;

/**
 * Transactional messages answer something the member just did (a purchase, a top-up, a reward they earned): they are
 * exempt from the weekly marketing cap and from quiet hours, never from consent. Everything else is marketing.
 */
export const MessageCategory = z.enum(['transactional', 'marketing']);
export type MessageCategory = z.infer<typeof MessageCategory>;

/** The sandbox's / WeChat public library's template each kind uses (its stable key; ids come from config). */
export const MessageTemplateKey = z.enum([
  'points_changed',
  'points_expiring',
  'tier_changed',
  'coupon_expiring',
  'birthday_gift',
  'topup_succeeded',
  'referral_reward',
  'coupon_received',
]);
export type MessageTemplateKey = z.infer<typeof MessageTemplateKey>;

export const MessageKindInfo: Record<
  MessageKind,
  { label: string; category: MessageCategory; template: MessageTemplateKey; hint: string }
> = {
  points_earned: {
    label: '积分到账',
    category: 'transactional',
    template: 'points_changed',
    hint: '消费后 5 分钟内告诉您获得的积分',
  },
  points_expiring: {
    label: '积分即将过期',
    category: 'marketing',
    template: 'points_expiring',
    hint: '积分过期前 7 天提醒',
  },
  tier_up: { label: '会员升级', category: 'transactional', template: 'tier_changed', hint: '等级提升时通知' },
  tier_down_warning: {
    label: '等级保级提醒',
    category: 'marketing',
    template: 'tier_changed',
    hint: '等级复核前 30 天提醒',
  },
  coupon_expiring: {
    label: '优惠券即将过期',
    category: 'marketing',
    template: 'coupon_expiring',
    hint: '优惠券到期前 3 天提醒',
  },
  birthday: { label: '生日礼遇', category: 'marketing', template: 'birthday_gift', hint: '生日前 7 天送上生日券' },
  win_back: {
    label: '好久不见',
    category: 'marketing',
    template: 'coupon_received',
    hint: '30 / 90 天未到店时送上回归礼券',
  },
  referral_reward: {
    label: '邀请奖励到账',
    category: 'transactional',
    template: 'referral_reward',
    hint: '好友首单后奖励到账时通知',
  },
  top_up_success: {
    label: '储值成功',
    category: 'transactional',
    template: 'topup_succeeded',
    hint: '充值到账时通知',
  },
  campaign: { label: '活动礼券', category: 'marketing', template: 'coupon_received', hint: '商家活动送出的优惠券' },
  campaign_points: {
    label: '活动赠积分',
    category: 'marketing',
    template: 'points_changed',
    hint: '商家活动赠送的积分',
  },
};

// ---- Consent (member) ----
export const SubscribeDecision = z.enum(['accept', 'reject', 'ban', 'filter']);
export type SubscribeDecisionValue = z.infer<typeof SubscribeDecision>;

/** Where the mini-program asked; kept with the consent so owners see which moments work. */
export const ConsentScene = z.enum(['after_purchase', 'points_page', 'top_up', 'preferences', 'coupons', 'other']);
export type ConsentScene = z.infer<typeof ConsentScene>;

export const RecordConsentRequest = z.strictObject({
  scene: ConsentScene,
  /** What `wx.requestSubscribeMessage` answered, by template id. */
  decisions: z
    .record(z.string().min(1).max(64), SubscribeDecision)
    .refine((d) => Object.keys(d).length >= 1 && Object.keys(d).length <= 3, '一次最多订阅 3 个消息模板'),
});
export type RecordConsentRequest = z.infer<typeof RecordConsentRequest>;

export const MessagePreference = z.object({
  kind: MessageKind,
  label: z.string(),
  hint: z.string(),
  category: MessageCategory,
  templateId: z.string(),
  /** Sends left from the member's consents for this template (shared by the kinds using it). */
  quota: z.number().int(),
  /** The member turned this kind off in the hub: nothing is sent even with quota. */
  muted: z.boolean(),
});
export type MessagePreference = z.infer<typeof MessagePreference>;

export const MessagePreferences = z.object({
  preferences: z.array(MessagePreference),
  /** Template ids to pass to `wx.requestSubscribeMessage` for each asking moment (at most 3 each). */
  scenes: z.record(ConsentScene, z.array(z.string())),
});
export type MessagePreferences = z.infer<typeof MessagePreferences>;

export const UpdateMessagePreferencesRequest = z.strictObject({
  muted: z.array(MessageKind).max(MessageKind.options.length),
});
export type UpdateMessagePreferencesRequest = z.infer<typeof UpdateMessagePreferencesRequest>;

// ---- Outbox (owner) ----
export const OutboxStatus = z.enum([
  'pending',
  'sending',
  'sent',
  /** No consent left for the template. */
  'no_quota',
  /** Marketing over the weekly cap, or a kind the member muted. */
  'suppressed',
  /** WeChat refused it for good (bad field, bad user, bad template) or retries ran out. */
  'failed',
  /** The sender stopped after handing it to WeChat and before hearing back: never retried, it may have arrived. */
  'uncertain',
]);
export type OutboxStatus = z.infer<typeof OutboxStatus>;

export const OutboxStatusLabels: Record<OutboxStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  no_quota: '无订阅次数',
  suppressed: '已拦截',
  failed: '失败',
  uncertain: '结果未知',
};

export const OutboxMessage = z.object({
  id: z.string(),
  memberNo: z.string(),
  kind: MessageKind,
  category: MessageCategory,
  templateId: z.string(),
  data: z.record(z.string(), z.string()),
  page: z.string().nullable(),
  status: OutboxStatus,
  attempts: z.number().int(),
  notBefore: z.string(),
  sentAt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const OutboxQuery = z.strictObject({
  status: OutboxStatus.optional(),
  kind: MessageKind.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  after: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional(),
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export const OutboxPage = z.object({
  items: z.array(OutboxMessage),
  next: z.string().nullable(),
  counts: z.record(OutboxStatus, z.number().int()),
});
export type OutboxPage = z.infer<typeof OutboxPage>;

export const MessagePaths = {
  myPreferences: '/api/v1/me/messages/preferences',
  myConsents: '/api/v1/me/messages/consents',
  adminOutbox: '/api/v1/admin/messages',
} as const;
