// Each message kind as a registered object: which template it uses, how its input becomes the template's fields
// (fitted to WeChat's rules by `fitSubscribeData`), and which mini-program page the card opens.
import {
  fitSubscribeData,
  type MessageCategory,
  type MessageKind,
  MessageKindInfo,
  type MessageTemplateKey,
  type SubscribeFieldValue,
} from '@member-hub/shared';

export interface MessageInputs {
  points_earned: { points: number; balance: number; at: Date; reason: string };
  points_expiring: { points: number; expiresOn: Date; balance: number };
  tier_up: { from: string; to: string; at: Date };
  tier_down_warning: { current: string; next: string; reviewOn: Date; hint: string };
  coupon_expiring: { title: string; validUntil: Date; code: string };
  birthday: { name: string; gift: string; validUntil: Date };
  win_back: { title: string; faceFen: number; validUntil: Date; code: string; usage: string };
  referral_reward: { reward: string; friend: string; at: Date };
  top_up_success: { paidFen: number; bonusFen: number; balanceFen: number; at: Date; orderNo: string };
  campaign: { title: string; faceFen: number; validUntil: Date; code: string; usage: string };
  campaign_points: { campaign: string; points: number; balance: number; at: Date };
}

interface MessageDefinition<K extends MessageKind> {
  page: string;
  fields(input: MessageInputs[K]): Record<string, SubscribeFieldValue>;
}

const couponReceived = (i: MessageInputs['win_back']): Record<string, SubscribeFieldValue> => ({
  thing1: { type: 'thing', value: i.title },
  amount2: { type: 'amount', value: i.faceFen },
  date3: { type: 'date', value: i.validUntil },
  character_string4: { type: 'character_string', value: i.code },
  thing5: { type: 'thing', value: i.usage },
});

const DEFINITIONS: { [K in MessageKind]: MessageDefinition<K> } = {
  points_earned: {
    page: 'pages/points/index',
    fields: (i) => ({
      thing1: { type: 'thing', value: i.reason },
      number2: { type: 'number', value: i.points },
      number3: { type: 'number', value: Math.max(0, i.balance) },
      time4: { type: 'time', value: i.at },
      phrase5: { type: 'phrase', value: '增加' },
    }),
  },
  points_expiring: {
    page: 'pages/points/index',
    fields: (i) => ({
      number1: { type: 'number', value: i.points },
      date2: { type: 'date', value: i.expiresOn },
      number3: { type: 'number', value: Math.max(0, i.balance) },
      thing4: { type: 'thing', value: '积分即将过期，去积分商城看看' },
    }),
  },
  tier_up: {
    page: 'pages/tier/index',
    fields: (i) => ({
      phrase1: { type: 'phrase', value: i.from },
      phrase2: { type: 'phrase', value: i.to },
      time3: { type: 'time', value: i.at },
      thing4: { type: 'thing', value: '新等级权益已生效' },
    }),
  },
  tier_down_warning: {
    page: 'pages/tier/index',
    fields: (i) => ({
      phrase1: { type: 'phrase', value: i.current },
      phrase2: { type: 'phrase', value: i.next },
      time3: { type: 'time', value: i.reviewOn },
      thing4: { type: 'thing', value: i.hint },
    }),
  },
  coupon_expiring: {
    page: 'pages/coupons/index',
    fields: (i) => ({
      thing1: { type: 'thing', value: i.title },
      date2: { type: 'date', value: i.validUntil },
      character_string3: { type: 'character_string', value: i.code },
      thing4: { type: 'thing', value: '优惠券将于3天后到期' },
    }),
  },
  birthday: {
    page: 'pages/coupons/index',
    fields: (i) => ({
      name1: { type: 'name', value: i.name },
      thing2: { type: 'thing', value: i.gift },
      date3: { type: 'date', value: i.validUntil },
      thing4: { type: 'thing', value: '祝您生日快乐' },
    }),
  },
  win_back: { page: 'pages/coupons/index', fields: couponReceived },
  referral_reward: {
    page: 'pages/coupons/index',
    fields: (i) => ({
      thing1: { type: 'thing', value: i.reward },
      thing2: { type: 'thing', value: i.friend },
      time3: { type: 'time', value: i.at },
      phrase4: { type: 'phrase', value: '已到账' },
    }),
  },
  top_up_success: {
    page: 'pages/wallet/index',
    fields: (i) => ({
      amount1: { type: 'amount', value: i.paidFen },
      amount2: { type: 'amount', value: i.bonusFen },
      amount3: { type: 'amount', value: i.balanceFen },
      time4: { type: 'time', value: i.at },
      character_string5: { type: 'character_string', value: i.orderNo },
    }),
  },
  campaign: { page: 'pages/coupons/index', fields: couponReceived },
  campaign_points: {
    page: 'pages/points/index',
    fields: (i) => ({
      thing1: { type: 'thing', value: i.campaign },
      number2: { type: 'number', value: i.points },
      number3: { type: 'number', value: Math.max(0, i.balance) },
      time4: { type: 'time', value: i.at },
      phrase5: { type: 'phrase', value: '赠送' },
    }),
  },
};

export interface BuiltMessage {
  category: MessageCategory;
  template: MessageTemplateKey;
  data: Record<string, string>;
  page: string;
}

/** The template, fitted data and page of a message of `kind`. Throws SubscribeFieldError if a value cannot fit. */
export function buildMessage<K extends MessageKind>(kind: K, input: MessageInputs[K]): BuiltMessage {
  const definition = DEFINITIONS[kind] as MessageDefinition<K>;
  const info = MessageKindInfo[kind];
  return {
    category: info.category,
    template: info.template,
    data: fitSubscribeData(definition.fields(input)),
    page: definition.page,
  };
}
