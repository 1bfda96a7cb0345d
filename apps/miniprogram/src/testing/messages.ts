// The 消息订阅 preferences as the server answers them, for the unit tests.
import {
  type MessageKind,
  MessageKindInfo,
  type MessagePreferences,
  type MessageTemplateKey,
} from '@member-hub/shared';

/** Short template ids, one per template key (the server's config maps keys to WeChat's ids). */
export const TEMPLATE: Record<MessageTemplateKey, string> = {
  points_changed: 'tpl-points',
  points_expiring: 'tpl-expiring',
  tier_changed: 'tpl-tier',
  coupon_expiring: 'tpl-coupon-exp',
  birthday_gift: 'tpl-birthday',
  topup_succeeded: 'tpl-topup',
  referral_reward: 'tpl-referral',
  coupon_received: 'tpl-coupon-new',
};

/** The kinds a template sends, as the contract lists them. */
export function kindsOf(template: MessageTemplateKey): MessageKind[] {
  return (Object.keys(MessageKindInfo) as MessageKind[]).filter((kind) => MessageKindInfo[kind].template === template);
}

/** What the H5 sheet calls a template: the labels of the kinds it sends, joined with 、. */
export function titleOf(template: MessageTemplateKey): string {
  return kindsOf(template)
    .map((kind) => MessageKindInfo[kind].label)
    .join('、');
}

/** Every kind with no quota and nothing muted unless told, and the server's scenes. */
export function preferencesFixture(
  patch: { quota?: Partial<Record<MessageTemplateKey, number>>; muted?: MessageKind[] } = {},
): MessagePreferences {
  const kinds = Object.keys(MessageKindInfo) as MessageKind[];
  return {
    preferences: kinds.map((kind) => {
      const info = MessageKindInfo[kind];
      return {
        kind,
        label: info.label,
        hint: info.hint,
        category: info.category,
        templateId: TEMPLATE[info.template],
        quota: patch.quota?.[info.template] ?? 0,
        muted: patch.muted?.includes(kind) ?? false,
      };
    }),
    scenes: {
      after_purchase: [TEMPLATE.points_changed, TEMPLATE.points_expiring, TEMPLATE.coupon_expiring],
      points_page: [TEMPLATE.points_changed, TEMPLATE.points_expiring, TEMPLATE.tier_changed],
      top_up: [TEMPLATE.topup_succeeded, TEMPLATE.points_changed],
      coupons: [TEMPLATE.coupon_expiring, TEMPLATE.coupon_received, TEMPLATE.birthday_gift],
      preferences: [TEMPLATE.points_changed, TEMPLATE.coupon_received, TEMPLATE.referral_reward],
      other: [TEMPLATE.coupon_received],
    },
  };
}
