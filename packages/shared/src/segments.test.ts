import {
  CreateTagRequest,
  describeSegment,
  describeTagCondition,
  describeTagRule,
  SegmentDefinition,
  TagMembersRequest,
  TagRule,
  windowStartMs,
} from './segments';

const messages = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('describeTagRule: the sentence an owner reads', () => {
  it('joins the conditions with 且, as in the domain example', () => {
    expect(
      describeTagRule({
        all: [
          { kind: 'spend', days: 90, op: 'gte', fen: 200_000 },
          { kind: 'tier', tiers: ['金卡'] },
        ],
      }),
    ).toBe('近 90 天消费满 ¥2,000.00 且 金卡');
  });

  it('words every condition kind', () => {
    const cases: [Parameters<typeof describeTagCondition>[0], string][] = [
      [{ kind: 'spend', days: 30, op: 'lte', fen: 5_050 }, '近 30 天消费不超过 ¥50.50'],
      [{ kind: 'visits', days: 30, op: 'gte', count: 3 }, '近 30 天消费至少 3 次'],
      [{ kind: 'visits', days: 60, op: 'lte', count: 1 }, '近 60 天消费不超过 1 次'],
      [{ kind: 'visits', days: 60, op: 'lte', count: 0 }, '近 60 天没有消费'],
      [{ kind: 'tier', tiers: ['银卡', '金卡'] }, '银卡或金卡'],
      [{ kind: 'points', min: 1_000, max: null }, '积分至少 1,000'],
      [{ kind: 'points', min: null, max: 500 }, '积分不超过 500'],
      [{ kind: 'points', min: 1_000, max: 5_000 }, '积分在 1,000 至 5,000 之间'],
      [{ kind: 'couponsUsed', days: 7, op: 'gte', count: 2 }, '近 7 天用券至少 2 张'],
      [{ kind: 'couponsUsed', days: 7, op: 'lte', count: 0 }, '近 7 天没有用券'],
      [{ kind: 'birthdayMonth', months: [4, 3] }, '生日在 3、4 月'],
      [{ kind: 'rfmClass', classes: ['important_value', 'important_retain'] }, 'RFM 分类为 重要价值或重要保持'],
      [{ kind: 'joinedWithin', days: 30 }, '近 30 天入会'],
      [{ kind: 'hasPhone' }, '已绑定手机号'],
      [{ kind: 'hasPhone', has: false }, '未绑定手机号'],
    ];
    for (const [condition, text] of cases) expect(describeTagCondition(condition)).toBe(text);
  });

  it('names stores when it can, and says how many when it cannot', () => {
    const a = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    const b = 'bbbbbbbbbbbbbbbbbbbbbbbb';
    const store = { kind: 'store' as const, storeIds: [a, b], days: 30 };
    const names = { store: (id: string) => ({ [a]: '南京西路店', [b]: '徐家汇店' })[id] };
    expect(describeTagCondition(store, names)).toBe('近 30 天在南京西路店、徐家汇店消费过');
    expect(describeTagCondition(store)).toBe('近 30 天在 2 家指定门店消费过');
  });
});

describe('describeSegment', () => {
  const hi = '111111111111111111111111';
  const vip = '222222222222222222222222';
  const blocked = '333333333333333333333333';
  const tag = (id: string) => ({ [hi]: '高消费', [vip]: 'VIP', [blocked]: '黑名单' })[id];

  it('is 全部会员 with no condition', () => {
    expect(describeSegment({})).toBe('全部会员');
  });

  it('reads tags, tier, RFM class, activity and profile in a fixed order', () => {
    expect(
      describeSegment(
        {
          tags: { all: [hi], any: [], none: [blocked] },
          tiers: ['金卡', '黑钻'],
          activity: { activeWithinDays: 30 },
        },
        { tag },
      ),
    ).toBe('带有标签「高消费」 且 不带标签「黑名单」 且 金卡或黑钻 且 近 30 天有消费');
    expect(
      describeSegment(
        {
          tags: { any: [hi, vip] },
          rfmClasses: ['important_winback'],
          activity: { activeWithinDays: 90, inactiveDays: 30 },
          profile: {
            gender: 'female',
            birthdayMonths: [12],
            joinedWithinDays: 365,
            points: { min: 100 },
            hasPhone: true,
          },
        },
        { tag },
      ),
    ).toBe(
      '带有标签「高消费」「VIP」之一 且 RFM 分类为 重要挽留 且 近 90 天有消费但近 30 天没有消费 且 女性 且 生日在 12 月 且 近 365 天入会 且 积分至少 100 且 已绑定手机号',
    );
    expect(describeSegment({ tags: { all: [hi, vip] }, activity: { inactiveDays: 90 } })).toBe(
      '同时带有 2 个指定标签 且 超过 90 天没有消费',
    );
  });
});

describe('validation, with messages an owner can act on', () => {
  it('refuses rules that cannot mean anything', () => {
    expect(messages(TagRule.safeParse({ all: [] }))).toEqual(['all: 请至少添加一个条件']);
    expect(messages(TagRule.safeParse({ all: [{ kind: 'points', min: null, max: null }] }))).toEqual([
      'all.0.min: 请至少填写积分下限或上限',
    ]);
    expect(messages(TagRule.safeParse({ all: [{ kind: 'points', min: 10, max: 5 }] }))).toEqual([
      'all.0.max: 积分上限不能小于下限',
    ]);
    expect(messages(TagRule.safeParse({ all: [{ kind: 'spend', days: 0, op: 'gte', fen: 1 }] }))).toEqual([
      'all.0.days: 天数至少为 1',
    ]);
    expect(messages(TagRule.safeParse({ all: [{ kind: 'birthdayMonth', months: [3, 3] }] }))).toEqual([
      'all.0.months: 月份不能重复',
    ]);
    expect(TagRule.safeParse({ all: [{ kind: 'teleport' }] }).success).toBe(false);
    expect(TagRule.safeParse({ all: [{ kind: 'spend', days: 10, op: 'gt', fen: 1 }] }).success).toBe(false);
  });

  it('a rule tag needs a rule and a manual tag has none', () => {
    expect(messages(CreateTagRequest.safeParse({ name: '常客', kind: 'rule' }))).toEqual([
      'rule: 规则标签需要填写规则',
    ]);
    expect(
      messages(
        CreateTagRequest.safeParse({ name: '常客', kind: 'manual', rule: { all: [{ kind: 'hasPhone', has: true }] } }),
      ),
    ).toEqual(['rule: 手动标签没有规则']);
    expect(CreateTagRequest.parse({ name: ' 常客 ', kind: 'manual' })).toEqual({
      name: '常客',
      kind: 'manual',
      description: '',
      color: null,
    });
  });

  it('segments: one tag in two lists, an empty activity window and bad bounds are refused', () => {
    const t = '111111111111111111111111';
    expect(messages(SegmentDefinition.safeParse({ tags: { all: [t], none: [t] } }))).toEqual([
      'tags: 同一个标签不能同时出现在不同条件里',
    ]);
    expect(messages(SegmentDefinition.safeParse({ activity: { activeWithinDays: 30, inactiveDays: 30 } }))).toEqual([
      'activity.inactiveDays: 同时设置时，未消费天数须小于活跃天数',
    ]);
    expect(messages(SegmentDefinition.safeParse({ profile: { points: { min: 9, max: 1 } } }))).toEqual([
      'profile.points.max: 积分上限不能小于下限',
    ]);
    expect(SegmentDefinition.safeParse({ tiers: ['钻石'] }).success).toBe(false);
    expect(SegmentDefinition.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('bulk requests name at most 10,000 members', () => {
    const memberNos = Array.from({ length: 10_001 }, (_, i) => String(10_000_000 + i));
    expect(messages(TagMembersRequest.safeParse({ action: 'add', target: { kind: 'members', memberNos } }))).toEqual([
      'target.memberNos: 一次最多 10,000 个会员',
    ]);
    expect(
      TagMembersRequest.safeParse({ action: 'add', target: { kind: 'members', memberNos: memberNos.slice(0, 10_000) } })
        .success,
    ).toBe(true);
  });
});

describe('windowStartMs: 近 N 天 in China days', () => {
  it('starts at 00:00 China time of the day N - 1 days before today', () => {
    const now = Date.parse('2026-12-10T15:30:00+08:00');
    expect(new Date(windowStartMs(now, 1)).toISOString()).toBe('2026-12-09T16:00:00.000Z');
    expect(windowStartMs(now, 30)).toBe(Date.parse('2026-11-11T00:00:00+08:00'));
    // Just after midnight China time (still the previous day in UTC) is already the new day.
    expect(windowStartMs(Date.parse('2026-12-10T00:00:01+08:00'), 1)).toBe(Date.parse('2026-12-10T00:00:00+08:00'));
    expect(windowStartMs(Date.parse('2026-12-09T23:59:59+08:00'), 1)).toBe(Date.parse('2026-12-09T00:00:00+08:00'));
  });
});
