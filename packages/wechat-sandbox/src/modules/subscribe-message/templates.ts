import { httpErrors } from '../../core/http-errors';
import { type SubscribeFieldType, subscribeFieldTypeOf } from './fields';

/** One keyword of a template: its key (which names its type), its label on the card, and a value WeChat takes. */
export interface SubscribeTemplateField {
  key: string;
  type: SubscribeFieldType;
  name: string;
  example: string;
}

/** A subscription message template in the app's "my templates" (我的模板), as the control API lists it. */
export interface SubscribeTemplate {
  /** What subscribe/send and wx.requestSubscribeMessage take (43 characters, like WeChat's ids). */
  template_id: string;
  /** The sandbox's stable name for it, for config and tests. */
  key: string;
  title: string;
  fields: SubscribeTemplateField[];
}

type Definition = Omit<SubscribeTemplate, 'fields'> & { fields: Array<[key: string, name: string, example: string]> };

/**
 * The templates a member hub picks from WeChat's public library. Every sandbox app has them all; the ids are fixed
 * so a server's config can name them.
 */
const DEFINITIONS: Definition[] = [
  {
    template_id: '-e1qG86CvFWukBHUAifwx0yHZfOuOZekVlNd_vkD_zU',
    key: 'points_changed',
    title: '积分变动提醒',
    fields: [
      ['thing1', '变动原因', '消费获得积分'],
      ['number2', '变动积分', '120'],
      ['number3', '当前积分', '1520'],
      ['time4', '变动时间', '2026-12-02 15:01'],
      ['phrase5', '变动类型', '增加'],
    ],
  },
  {
    template_id: 'wiOnOf-45hi9L2U697hoUudVBrDRSMTfzFQkdSLc4Fw',
    key: 'points_expiring',
    title: '积分到期提醒',
    fields: [
      ['number1', '即将过期积分', '500'],
      ['date2', '过期时间', '2026年12月31日'],
      ['number3', '当前积分', '1520'],
      ['thing4', '温馨提示', '积分即将过期，请尽快使用'],
    ],
  },
  {
    template_id: 'jkL_EsCuZh1qbGcCodu6OvW8TS0HXNI-GLWtyaBNRoo',
    key: 'tier_changed',
    title: '会员等级变更',
    fields: [
      ['phrase1', '原等级', '银卡'],
      ['phrase2', '当前等级', '金卡'],
      ['time3', '变更时间', '2026-12-02 15:01'],
      ['thing4', '备注', '升级礼包已发放至卡包'],
    ],
  },
  {
    template_id: 'D7YCICTKUcnEd_G0rTwn-zkllLPXciV6nVRVj-eY0-Q',
    key: 'coupon_expiring',
    title: '优惠券到期提醒',
    fields: [
      ['thing1', '优惠券名称', '满100减20券'],
      ['date2', '到期时间', '2026年12月5日'],
      ['character_string3', '券码', 'CP20261202A1'],
      ['thing4', '温馨提示', '优惠券将于3天后到期'],
    ],
  },
  {
    template_id: '5mmHy9lZhgtFE3Se4F8WKRyGjP-DYT2k3njGVp01Jfg',
    key: 'birthday_gift',
    title: '生日礼遇',
    fields: [
      ['name1', '会员姓名', '张三'],
      ['thing2', '礼遇内容', '生日券20元'],
      ['date3', '有效期至', '2026年12月31日'],
      ['thing4', '温馨提示', '祝您生日快乐'],
    ],
  },
  {
    template_id: 'R6l6tDWXnztiRywJTplH6zlixfO0kRRP4S-VfjZ9ylA',
    key: 'topup_succeeded',
    title: '储值成功通知',
    fields: [
      ['amount1', '充值金额', '¥500.00'],
      ['amount2', '赠送金额', '¥50.00'],
      ['amount3', '储值余额', '¥550.00'],
      ['time4', '充值时间', '2026-12-02 15:01'],
      ['character_string5', '订单号', 'T2026120215010001'],
    ],
  },
  {
    template_id: 'pRI6LXiDbNXaGdJspi7vRLoM1_avnIkV4-ALv718JNc',
    key: 'referral_reward',
    title: '邀请奖励到账',
    fields: [
      ['thing1', '奖励内容', '50元优惠券(满200可用)'],
      ['thing2', '邀请好友', '好友138****8000'],
      ['time3', '到账时间', '2026-12-02 15:01'],
      ['phrase4', '奖励状态', '已到账'],
    ],
  },
  {
    template_id: 'wIgBHqPrSpffbR2bLUNI5Wd3cETUJZ4XsuaIElpWO44',
    key: 'coupon_received',
    title: '优惠券到账',
    fields: [
      ['thing1', '优惠券名称', '满200减50券'],
      ['amount2', '优惠金额', '¥50.00'],
      ['date3', '有效期至', '2026年12月31日'],
      ['character_string4', '券码', 'CP20261202B7'],
      ['thing5', '使用说明', '满200元可用，每单限用一张'],
    ],
  },
];

function build(definition: Definition): SubscribeTemplate {
  return {
    ...definition,
    fields: definition.fields.map(([key, name, example]) => {
      const type = subscribeFieldTypeOf(key);
      if (!type) throw new Error(`wechat-sandbox: template ${definition.key} has a keyword of no known type: ${key}`);
      return { key, type, name, example };
    }),
  };
}

export const SUBSCRIBE_TEMPLATES: readonly SubscribeTemplate[] = DEFINITIONS.map(build);

/** The templates every sandbox app has, by id. */
export class SubscribeTemplates {
  private readonly byId = new Map(SUBSCRIBE_TEMPLATES.map((template) => [template.template_id, template]));

  find(templateId: string): SubscribeTemplate | undefined {
    return this.byId.get(templateId);
  }

  /** Checks every id names a template (404 naming the unknown ones), for consent given outside subscribe/send. */
  requireAll(templateIds: readonly string[]): void {
    const unknown = templateIds.filter((id) => !this.byId.has(id));
    if (unknown.length > 0) throw httpErrors.unknownTemplates(unknown);
  }

  list(): SubscribeTemplate[] {
    return [...this.byId.values()].map((template) => ({
      ...template,
      fields: template.fields.map((field) => ({ ...field })),
    }));
  }
}
