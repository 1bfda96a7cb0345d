import { DEFAULT_RFM_SETTINGS, type RfmRunInfo, type RfmSummary } from '@member-hub/shared';
import {
  boundaryTexts,
  classMembersOption,
  classOptions,
  classSpendOption,
  daysAgoText,
  firstOrder,
  levelsText,
  overdueText,
  rfmServerErrors,
  rfmSettingsForm,
  rfmSettingsToForm,
  runText,
  summaryRows,
} from './rfmForms';

const run: RfmRunInfo = {
  runId: 'r1',
  asOf: '2030-01-10T00:00:00.000Z',
  finishedAt: '2030-01-10T00:00:02.000Z',
  settings: DEFAULT_RFM_SETTINGS,
  members: 1_000,
  buyers: 600,
  boundaries: { recencyDays: [7, 15, 30, 60], orders: [1, 1, 2, 4], monetaryFen: [5_000, 10_000, 20_000, 50_000] },
  churnWarnings: 12,
  ms: 2_345,
};

const summary: RfmSummary = {
  run,
  running: false,
  classes: [
    {
      class: 'important_value',
      name: '重要价值',
      members: 100,
      spendFen: 900_000,
      memberShareBp: 1000,
      spendShareBp: 6000,
    },
    { class: 'none', name: '窗口内无消费', members: 400, spendFen: 0, memberShareBp: 4000, spendShareBp: 0 },
  ],
  totalSpendFen: 1_500_000,
};

describe('classes', () => {
  it('names the levels of each class, and none for the unscored', () => {
    expect(levelsText('important_value')).toBe('R高 F高 M高');
    expect(levelsText('general_develop')).toBe('R高 F低 M低');
    expect(levelsText('none')).toBe('—');
    expect(classOptions()).toHaveLength(9);
    expect(classOptions()[8]).toEqual(['none', '窗口内无消费']);
  });

  it('lists every class once in the contract order, with zeros for the ones the server left out', () => {
    const rows = summaryRows(summary);
    expect(rows.map((row) => row.class)).toEqual([
      'important_value',
      'important_retain',
      'important_develop',
      'important_winback',
      'general_value',
      'general_retain',
      'general_develop',
      'general_winback',
      'none',
    ]);
    expect(rows[1]).toMatchObject({ name: '重要保持', members: 0, spendFen: 0 });
  });

  it('charts people per class as bars and spend as a ring without the empty classes', () => {
    const bars = classMembersOption(summary);
    expect((bars.xAxis as { data: string[] }).data[0]).toBe('重要价值');
    expect((bars.series as { data: number[] }[])[0]?.data).toEqual([100, 0, 0, 0, 0, 0, 0, 0, 400]);
    const ring = classSpendOption(summary);
    expect((ring.series as { data: unknown[] }[])[0]?.data).toEqual([{ name: '重要价值', value: 9_000 }]);
  });
});

describe('the run', () => {
  it('explains the quintile boundaries and the run in Chinese', () => {
    const texts = boundaryTexts(run);
    expect(texts.r).toBe('R 最近消费（天）：分界 7 天 / 15 天 / 30 天 / 60 天，越近分越高');
    expect(texts.m).toContain('¥50.00');
    expect(texts.high).toContain('3 分及以上');
    expect(boundaryTexts({ ...run, boundaries: { recencyDays: [], orders: [], monetaryFen: [] } }).f).toContain(
      '未分档',
    );
    expect(runText(run)).toBe('统计窗口 365 天 · 1,000 位会员中 600 位有消费 · 流失预警 12 人 · 用时 2.3 秒');
  });
});

describe('sorting and texts', () => {
  it('starts a new column descending, member numbers ascending', () => {
    expect(firstOrder('spend')).toBe('desc');
    expect(firstOrder('lastVisit')).toBe('desc');
    expect(firstOrder('memberNo')).toBe('asc');
  });

  it('writes days ago and how overdue a member is', () => {
    expect(daysAgoText(0)).toBe('今天');
    expect(daysAgoText(1234)).toBe('1,234 天前');
    expect(daysAgoText(null)).toBe('—');
    expect(overdueText({ overdueBp: 31_234, factorBp: 20_000 })).toBe('3.1 倍（预警线 2 倍）');
  });
});

describe('settings form', () => {
  it('round-trips the settings, the factor in 倍', () => {
    const form = rfmSettingsToForm({ windowDays: 180, churnFactorBp: 15_000, churnMinOrders: 3 });
    expect(form).toEqual({ windowDays: '180', churnFactor: '1.5', churnMinOrders: '3' });
    expect(rfmSettingsForm(form)).toEqual({
      ok: true,
      body: { windowDays: 180, churnFactorBp: 15_000, churnMinOrders: 3 },
    });
  });

  it('puts every problem next to its input, in Chinese', () => {
    expect(rfmSettingsForm({ windowDays: '10', churnFactor: '0.5', churnMinOrders: '51' })).toEqual({
      ok: false,
      errors: {
        windowDays: '统计窗口至少 30 天',
        churnFactor: '流失倍数至少为 1.0',
        churnMinOrders: '最少订单数最多 50 笔',
      },
    });
    expect(rfmSettingsForm({ windowDays: '一年', churnFactor: '', churnMinOrders: '2.5' })).toEqual({
      ok: false,
      errors: {
        windowDays: '统计窗口请输入整数天数，例如 365',
        churnFactor: '流失倍数请输入数字，例如 2 或 1.5',
        churnMinOrders: '最少订单数请输入整数，例如 2',
      },
    });
  });

  it('maps the server VALIDATION_FAILED details to the inputs', () => {
    expect(
      rfmServerErrors([
        { path: 'churnFactorBp', code: 'too_big', message: '流失倍数最多为 10.0' },
        { path: 'other', code: 'unrecognized_keys', message: 'Unrecognized key' },
      ]),
    ).toEqual({ churnFactor: '流失倍数最多为 10.0', form: 'other格式不正确' });
    expect(rfmServerErrors('nope')).toEqual({});
  });
});
