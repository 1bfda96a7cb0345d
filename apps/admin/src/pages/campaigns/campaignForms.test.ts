import type { Campaign, CampaignResults } from '@member-hub/shared';
import {
  bpText,
  type CampaignForm,
  campaignBody,
  campaignForm,
  campaignServerErrors,
  canCancel,
  canStart,
  chartSummaries,
  chinaDateTime,
  dailyRevenueOption,
  dryRunRows,
  elapsedDaily,
  emptyCampaignForm,
  groupCompareOption,
  groupsText,
  hasResults,
  resultCards,
  scheduleText,
  signedBpText,
} from './campaignForms';

const SEGMENT = '65f0c0ffee0000000000bbbb';
const TEMPLATE = '65f0c0ffee0000000000cccc';
/** 2030-01-01 12:00 China time. */
const NOW = Date.parse('2030-01-01T04:00:00Z');

function filled(change: Partial<CampaignForm> = {}): CampaignForm {
  return { ...emptyCampaignForm(NOW), name: ' 沉睡唤醒 ', segmentId: SEGMENT, templateId: TEMPLATE, ...change };
}

describe('a new campaign form', () => {
  it('starts tomorrow at 10:00 once, or daily for 30 days from today, with 10% held out and notify on', () => {
    expect(emptyCampaignForm(NOW)).toEqual({
      name: '',
      segmentId: '',
      actionKind: 'coupon',
      templateId: '',
      points: '',
      scheduleKind: 'once',
      onceDate: '2030-01-02',
      onceTime: '10:00',
      dailyHour: '10',
      dailyFrom: '2030-01-01',
      dailyUntil: '2030-01-30',
      controlPct: '10',
      notify: true,
    });
  });

  it('takes the China day, not the UTC one', () => {
    // 2030-01-01 20:00 UTC is already 2 January in China.
    expect(emptyCampaignForm(Date.parse('2030-01-01T20:00:00Z')).dailyFrom).toBe('2030-01-02');
  });
});

describe('campaignForm', () => {
  it('makes a coupon campaign once at a China-time instant', () => {
    expect(campaignForm(filled(), NOW)).toEqual({
      ok: true,
      body: {
        name: '沉睡唤醒',
        segmentId: SEGMENT,
        action: { kind: 'coupon', templateId: TEMPLATE },
        schedule: { kind: 'once', at: '2030-01-02T10:00:00+08:00' },
        controlPct: 10,
        notify: true,
      },
    });
  });

  it('makes a daily points campaign without a message and its own control group', () => {
    const form = filled({
      actionKind: 'points',
      points: '200',
      scheduleKind: 'daily',
      dailyHour: '9',
      dailyFrom: '2030-01-05',
      dailyUntil: '2030-01-05',
      controlPct: '0',
      notify: false,
    });
    expect(campaignForm(form, NOW)).toMatchObject({
      ok: true,
      body: {
        action: { kind: 'points', points: 200 },
        schedule: { kind: 'daily', hour: 9, from: '2030-01-05', until: '2030-01-05' },
        controlPct: 0,
        notify: false,
      },
    });
  });

  it('names every missing field in Chinese', () => {
    const form: CampaignForm = { ...emptyCampaignForm(NOW), onceDate: '', onceTime: '', controlPct: '' };
    expect(campaignForm(form, NOW)).toEqual({
      ok: false,
      errors: {
        name: '请填写活动名称',
        segmentId: '请选择目标分群',
        templateId: '请选择要发放的优惠券',
        onceDate: '请选择执行日期',
        onceTime: '请选择执行时间',
        controlPct: '请填写对照组比例，默认 10%',
      },
    });
  });

  it('checks the points with the shared limits', () => {
    const points = (text: string) => campaignForm(filled({ actionKind: 'points', points: text }), NOW);
    expect(points('')).toEqual({ ok: false, errors: { points: '请填写每人赠送的积分' } });
    expect(points('1.5')).toEqual({ ok: false, errors: { points: '积分请输入整数' } });
    expect(points('0')).toEqual({ ok: false, errors: { points: '积分至少 1' } });
    expect(points('100001')).toEqual({ ok: false, errors: { points: '积分最多 100000' } });
    expect(points(' 100000 ')).toMatchObject({ ok: true, body: { action: { points: 100_000 } } });
  });

  it('refuses a once time already gone and a bad time', () => {
    expect(campaignForm(filled({ onceDate: '2030-01-01', onceTime: '11:59' }), NOW)).toEqual({
      ok: false,
      errors: { onceTime: '执行时间已过，请选择现在之后的时间' },
    });
    expect(campaignForm(filled({ onceDate: '2030-01-01', onceTime: '12:01' }), NOW).ok).toBe(true);
    expect(campaignForm(filled({ onceTime: '25:00' }), NOW)).toEqual({
      ok: false,
      errors: { onceTime: '执行时间格式不正确，例如 10:00' },
    });
  });

  it('checks the daily range', () => {
    const daily = (change: Partial<CampaignForm>) => campaignForm(filled({ scheduleKind: 'daily', ...change }), NOW);
    expect(daily({ dailyFrom: '2030-01-10', dailyUntil: '2030-01-09' })).toEqual({
      ok: false,
      errors: { dailyUntil: '结束日期不能早于开始日期' },
    });
    expect(daily({ dailyFrom: '2029-12-01', dailyUntil: '2029-12-31' })).toEqual({
      ok: false,
      errors: { dailyUntil: '结束日期已过，请选择今天或以后' },
    });
    expect(daily({ dailyFrom: '', dailyUntil: '', dailyHour: '' })).toEqual({
      ok: false,
      errors: { dailyHour: '请选择每天执行的时间', dailyFrom: '请选择开始日期', dailyUntil: '请选择结束日期' },
    });
    // The once fields do not matter for a daily campaign.
    expect(daily({ onceDate: '', onceTime: '' }).ok).toBe(true);
  });

  it('keeps the control group between 0 and 50%', () => {
    expect(campaignForm(filled({ controlPct: '51' }), NOW)).toEqual({
      ok: false,
      errors: { controlPct: '对照组最多 50%' },
    });
    expect(campaignForm(filled({ controlPct: '12.5' }), NOW)).toEqual({
      ok: false,
      errors: { controlPct: '对照组比例请填 0 到 50 的整数' },
    });
    expect(campaignForm(filled({ controlPct: '50' }), NOW)).toMatchObject({ ok: true, body: { controlPct: 50 } });
  });

  it('uses the shared messages for the name and a sentence of its own for a bad id', () => {
    expect(campaignForm(filled({ name: '活'.repeat(41) }), NOW)).toEqual({
      ok: false,
      errors: { name: '名称最多 40 个字' },
    });
    expect(campaignForm(filled({ segmentId: 'nope' }), NOW)).toEqual({
      ok: false,
      errors: { segmentId: '分群无效，请重新选择' },
    });
  });
});

describe('campaignServerErrors', () => {
  it('puts the server’s problems next to the inputs', () => {
    const form = filled({ scheduleKind: 'daily' });
    expect(
      campaignServerErrors(
        [
          { path: 'schedule.until', message: '结束日期不能早于开始日期' },
          { path: ['action', 'templateId'], message: '编号无效' },
          { path: 'controlPct', message: 'Too big', code: 'too_big' },
        ],
        form,
      ),
    ).toEqual({
      dailyUntil: '结束日期不能早于开始日期',
      templateId: '优惠券无效，请重新选择',
      controlPct: '对照组比例请填 0 到 50 的整数',
    });
    expect(campaignServerErrors('nope', form)).toEqual({});
  });
});

const campaign: Campaign = {
  id: '65f0c0ffee0000000000aaaa',
  name: '沉睡唤醒',
  segmentId: SEGMENT,
  segmentName: '沉睡会员',
  action: { kind: 'points', points: 100 },
  actionText: '赠送 100 积分',
  schedule: { kind: 'daily', hour: 8, from: '2030-01-01', until: '2030-01-31' },
  controlPct: 10,
  notify: false,
  status: 'draft',
  treatment: 1_800,
  control: 200,
  createdAt: '2030-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
};

describe('texts', () => {
  it('shows basis points as a percentage with one decimal', () => {
    expect(bpText(1_234)).toBe('12.3%');
    expect(bpText(1_235)).toBe('12.4%');
    expect(bpText(10_000)).toBe('100.0%');
    expect(bpText(5)).toBe('0.1%');
    expect(bpText(0)).toBe('0.0%');
    expect(bpText(-1_235)).toBe('-12.4%');
    expect(bpText(-4)).toBe('0.0%');
    expect(bpText(null)).toBe('—');
    expect(signedBpText(1_250)).toBe('+12.5%');
    expect(signedBpText(-300)).toBe('-3.0%');
    expect(signedBpText(4)).toBe('0.0%');
    expect(signedBpText(null)).toBe('—');
  });

  it('says when a campaign runs, in China time', () => {
    expect(chinaDateTime('2030-01-02T02:00:00.000Z')).toBe('2030-01-02 10:00');
    expect(scheduleText({ kind: 'once', at: '2030-01-02T10:00:00+08:00' })).toBe('2030-01-02 10:00 执行一次');
    expect(scheduleText(campaign.schedule)).toBe('每天 08:00，2030-01-01 至 2030-01-31');
  });

  it('names the groups and what each status allows', () => {
    expect(groupsText(campaign)).toBe('目标组 1,800 人 · 对照组 200 人（10%）');
    expect([canStart('draft'), canStart('scheduled')]).toEqual([true, false]);
    expect(['draft', 'scheduled', 'running', 'done', 'cancelled'].map((s) => canCancel(s as never))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    const at = '2030-01-02T00:00:00.000Z';
    expect(
      [
        { status: 'draft', startedAt: null },
        { status: 'scheduled', startedAt: null },
        { status: 'running', startedAt: at },
        { status: 'done', startedAt: at },
        { status: 'cancelled', startedAt: at },
        { status: 'cancelled', startedAt: null },
      ].map((c) => hasResults(c as Pick<Campaign, 'status' | 'startedAt'>)),
    ).toEqual([false, false, true, true, true, false]);
  });

  it('turns a saved campaign back into the body of a dry-run', () => {
    expect(campaignBody(campaign)).toEqual({
      name: '沉睡唤醒',
      segmentId: SEGMENT,
      action: { kind: 'points', points: 100 },
      schedule: campaign.schedule,
      controlPct: 10,
      notify: false,
    });
  });

  it('lays out the dry-run', () => {
    const dryRun = {
      members: 2_000,
      treatment: 1_800,
      control: 200,
      reachableByMessage: 700,
      maxCostFen: 180_000,
      costNote: '1800 人 × 100 积分（100 积分 = ¥1）',
    };
    expect(dryRunRows(dryRun, true).map((row) => `${row.label}：${row.value}`)).toEqual([
      '分群当前人数：2,000 人',
      '将触达（目标组）：1,800 人',
      '对照组（不发放）：200 人',
      '可收到订阅消息：700 人',
      '最高成本：¥1,800.00',
    ]);
    const byOrder = dryRunRows({ ...dryRun, maxCostFen: null }, false);
    expect(byOrder.find((row) => row.key === 'reachable')?.value).toBe('不发送消息');
    expect(byOrder.find((row) => row.key === 'cost')?.value).toBe('视订单金额而定');
  });
});

const results: CampaignResults = {
  campaignId: campaign.id,
  asOf: '2030-02-01T00:00:00.000Z',
  reached: 900,
  messagesSent: 612,
  couponsIssued: 900,
  couponsRedeemed: 123,
  redemptionBp: 1_366,
  treatment: { members: 900, buyers: 180, revenueFen: 1_800_000, revenuePerMemberFen: 2_000, conversionBp: 2_000 },
  control: { members: 100, buyers: 10, revenueFen: 150_000, revenuePerMemberFen: 1_500, conversionBp: 1_000 },
  upliftBp: 3_333,
  incrementalRevenueFen: 450_000,
  costFen: 246_000,
  roiBp: 8_293,
  daily: [
    { day: 0, treatmentFen: 300, controlFen: 100 },
    { day: 1, treatmentFen: 120, controlFen: 90 },
  ],
};

describe('results', () => {
  it('shows the cards of a coupon campaign', () => {
    const cards = Object.fromEntries(resultCards(results, 'coupon').map((card) => [card.key, card]));
    expect(Object.keys(cards)).toEqual([
      'reached',
      'messages',
      'coupons',
      'redemption',
      'perMember',
      'uplift',
      'incremental',
      'cost',
      'roi',
    ]);
    expect(cards.reached).toMatchObject({ value: '900 人', foot: '对照组 100 人' });
    expect(cards.messages?.value).toBe('612 条');
    expect(cards.coupons).toMatchObject({ value: '900 张', foot: '已核销 123 张' });
    expect(cards.redemption?.value).toBe('13.7%');
    expect(cards.perMember).toMatchObject({ value: '¥20.00 / ¥15.00', foot: '购买转化 20.0% / 10.0%' });
    expect(cards.uplift?.value).toBe('+33.3%');
    expect(cards.uplift?.explain).toContain('（目标组人均消费 − 对照组人均消费）÷ 对照组人均消费');
    expect(cards.incremental?.value).toBe('¥4,500.00');
    expect(cards.cost?.value).toBe('¥2,460.00');
    expect(cards.roi?.value).toBe('+82.9%');
    expect(cards.roi?.explain).toContain('（增量收入 − 成本）÷ 成本');
  });

  it('says why uplift and ROI are missing, and leaves coupons out of a points campaign', () => {
    const none = { ...results, upliftBp: null, roiBp: null, incrementalRevenueFen: -1_234, redemptionBp: null };
    const cards = Object.fromEntries(resultCards(none, 'points').map((card) => [card.key, card]));
    expect(cards.uplift).toMatchObject({ value: '—', foot: '对照组暂无消费，无法计算' });
    expect(cards.roi).toMatchObject({ value: '—', foot: '暂无成本，无法计算' });
    expect(cards.incremental?.value).toBe('-¥12.34');
    expect(cards.coupons).toMatchObject({ value: '—', foot: '本活动赠送积分，不发券' });
    expect(cards.redemption?.value).toBe('—');
    expect(cards.cost?.foot).toBe('赠送积分折算（100 积分 = ¥1）');
  });

  it('draws revenue per member by day and by group, in yuan', () => {
    const daily = dailyRevenueOption(results) as {
      xAxis: { data: string[] };
      series: { name: string; type: string; data: number[] }[];
    };
    expect(daily.xAxis.data).toEqual(['第 1 天', '第 2 天']);
    expect(daily.series.map((s) => [s.type, s.name, s.data])).toEqual([
      ['line', '目标组', [3, 1.2]],
      ['line', '对照组', [1, 0.9]],
    ]);
    const groups = groupCompareOption(results) as { series: { name: string; type: string; data: number[] }[] };
    expect(groups.series.map((s) => [s.type, s.name, s.data])).toEqual([
      ['bar', '目标组', [20]],
      ['bar', '对照组', [15]],
    ]);
    expect(chartSummaries(results).groups).toBe('人均消费柱状图：目标组 ¥20.00，对照组 ¥15.00，提升 +33.3%');
  });

  it('draws only the days that have begun since the campaign started', () => {
    const month = {
      ...results,
      asOf: '2030-01-03T12:00:00.000Z',
      daily: Array.from({ length: 30 }, (_, day) => ({ day, treatmentFen: 10, controlFen: 5 })),
    };
    const started = '2030-01-01T02:00:00.000Z';
    expect(elapsedDaily(month, started).map((point) => point.day)).toEqual([0, 1, 2]);
    expect(elapsedDaily(month, null)).toHaveLength(30);
    expect(elapsedDaily({ ...month, asOf: '2030-03-01T00:00:00.000Z' }, started)).toHaveLength(30);
    const option = dailyRevenueOption(month, started) as { xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(['第 1 天', '第 2 天', '第 3 天']);
    expect(chartSummaries(month, started).daily).toBe(
      '触达后前 3 天每天的人均消费折线图：30 天内目标组人均 ¥20.00，对照组人均 ¥15.00',
    );
  });
});
