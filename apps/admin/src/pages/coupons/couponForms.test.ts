import {
  type AdminReferral,
  type CouponIssue,
  type CouponSettings,
  type CouponTemplate,
  EMPTY_SEGMENT_DEFINITION,
} from '@member-hub/shared';
import {
  type CouponTemplateForm,
  couponPreview,
  couponTemplateForm,
  emptyCouponForm,
  emptyIssueForm,
  issueForm,
  issueProgress,
  memberNoQuery,
  redemptionText,
  referralChain,
  settingsForm,
  settingsToForm,
  splitList,
  stockText,
  targetText,
  templateOptionText,
  templateServerErrors,
  templateToForm,
  upsertIssue,
} from './couponForms';

const STORE = '65f0c0ffee0000000000aaaa';
const TEMPLATE = '65f0c0ffee0000000000bbbb';
const SEGMENT = '65f0c0ffee0000000000cccc';
const KEY = 'k'.repeat(32);

const cashOff = (patch: Partial<CouponTemplateForm> = {}): CouponTemplateForm => ({
  ...emptyCouponForm(),
  title: ' 满100减20 ',
  cashOff: '20',
  threshold: '100',
  ...patch,
});

const template: CouponTemplate = {
  id: TEMPLATE,
  systemKey: null,
  title: '满100减20',
  description: '全场通用',
  effect: { kind: 'cash_off', valueFen: 2_000 },
  conditions: { thresholdFen: 10_000, storeIds: [STORE], categories: ['饮品', '甜点'], stackable: true },
  validity: { type: 'fixed', from: '2030-01-01', until: '2030-01-31' },
  totalStock: 100,
  stockLeft: 80,
  perMemberLimit: 2,
  claimable: true,
  active: true,
  createdAt: '2030-01-01T00:00:00Z',
  stats: { issued: 20, claimed: 5, used: 3, redemptionRateBp: 1_500, salesFen: 45_600 },
};

describe('couponTemplateForm', () => {
  it('reads yuan as fen, blanks as 不限 / 无门槛, and trims', () => {
    expect(couponTemplateForm(cashOff())).toEqual({
      ok: true,
      body: {
        title: '满100减20',
        description: '',
        effect: { kind: 'cash_off', valueFen: 2_000 },
        conditions: { thresholdFen: 10_000, storeIds: [], categories: [], stackable: false },
        validity: { type: 'relative', days: 30 },
        totalStock: null,
        perMemberLimit: 1,
        claimable: false,
        active: true,
      },
    });
    expect(couponTemplateForm(cashOff({ threshold: '' }))).toMatchObject({
      ok: true,
      body: { conditions: { thresholdFen: 0 } },
    });
  });

  it('reads 8.8 折 as 8800 basis points with an optional cap', () => {
    const form = cashOff({ kind: 'discount', rate: '8.8', discountCap: '50', threshold: '' });
    expect(couponTemplateForm(form)).toMatchObject({
      ok: true,
      body: { effect: { kind: 'discount', rateBp: 8_800, capFen: 5_000 } },
    });
    expect(couponTemplateForm({ ...form, discountCap: '' })).toMatchObject({
      ok: true,
      body: { effect: { kind: 'discount', rateBp: 8_800, capFen: null } },
    });
  });

  it('reads gift and free-shipping coupons, stores, categories and fixed dates', () => {
    const gift = cashOff({
      kind: 'gift',
      giftName: ' 招牌奶茶 ',
      threshold: '',
      storeIds: [STORE],
      categories: '饮品，甜点, 饮品',
      stackable: true,
      validityType: 'fixed',
      from: '2030-01-01',
      until: '2030-01-01',
      stock: '0',
      perMemberLimit: '3',
      claimable: true,
      active: false,
    });
    expect(couponTemplateForm(gift)).toMatchObject({
      ok: true,
      body: {
        effect: { kind: 'gift', giftName: '招牌奶茶' },
        conditions: { thresholdFen: 0, storeIds: [STORE], categories: ['饮品', '甜点'], stackable: true },
        validity: { type: 'fixed', from: '2030-01-01', until: '2030-01-01' },
        totalStock: 0,
        perMemberLimit: 3,
        claimable: true,
        active: false,
      },
    });
    expect(couponTemplateForm(cashOff({ kind: 'free_shipping', shippingCap: '8' }))).toMatchObject({
      ok: true,
      body: { effect: { kind: 'free_shipping', capFen: 800 } },
    });
    expect(couponTemplateForm(cashOff({ kind: 'free_shipping' }))).toMatchObject({
      ok: true,
      body: { effect: { kind: 'free_shipping', capFen: null } },
    });
  });

  it('round-trips a template through the form', () => {
    const { id: _id, systemKey: _key, stockLeft: _left, createdAt: _at, stats: _stats, ...body } = template;
    expect(couponTemplateForm(templateToForm(template))).toEqual({ ok: true, body });
    const discount: CouponTemplate = {
      ...template,
      effect: { kind: 'discount', rateBp: 8_850, capFen: null },
      validity: { type: 'relative', days: 7 },
      totalStock: null,
    };
    expect(templateToForm(discount)).toMatchObject({ kind: 'discount', rate: '8.85', discountCap: '', days: '7' });
    expect(couponTemplateForm(templateToForm(discount))).toMatchObject({ ok: true, body: { effect: discount.effect } });
  });

  it.each([
    [{ title: ' ' }, 'title', '请填写名称'],
    [{ title: '券'.repeat(31) }, 'title', '名称最多 30 个字'],
    [{ cashOff: '' }, 'cashOff', '请填写减免金额'],
    [{ cashOff: '2.001' }, 'cashOff', '减免金额请输入金额，例如 20 或 9.9（最多两位小数）'],
    [{ cashOff: '0', threshold: '' }, 'cashOff', '减免金额至少 ¥0.01'],
    [{ cashOff: '100' }, 'cashOff', '减免金额须小于使用门槛'],
    [{ cashOff: '100001', threshold: '' }, 'cashOff', '减免金额最多 ¥100,000.00'],
    [{ threshold: '满100' }, 'threshold', '使用门槛请输入金额，留空表示无门槛'],
    [{ kind: 'discount', rate: '' }, 'rate', '请填写折扣，例如 8.8'],
    [{ kind: 'discount', rate: '八折' }, 'rate', '折扣请输入 0.1 到 9.99 之间的数，例如 8.8'],
    [{ kind: 'discount', rate: '88' }, 'rate', '折扣须低于 10 折，例如八八折请填 8.8'],
    [{ kind: 'discount', rate: '0.05' }, 'rate', '折扣不能低于 0.1 折'],
    [{ kind: 'discount', rate: '8', discountCap: 'x' }, 'discountCap', '最高减请输入金额，留空表示不限'],
    [{ kind: 'discount', rate: '8', discountCap: '0' }, 'discountCap', '最高减至少 ¥0.01'],
    [{ kind: 'gift', giftName: ' ' }, 'giftName', '请填写兑换的商品'],
    [{ kind: 'free_shipping', shippingCap: '-1' }, 'shippingCap', '运费上限请输入金额，留空表示运费全免'],
    [{ validityType: 'fixed' }, 'from', '请选择开始日期'],
    [{ validityType: 'fixed', from: '2030-01-01' }, 'until', '请选择结束日期'],
    [{ validityType: 'fixed', from: '2030-02-01', until: '2030-01-31' }, 'until', '结束日期不能早于开始日期'],
    [{ days: '' }, 'days', '请填写有效天数'],
    [{ days: '1.5' }, 'days', '有效天数请输入整数'],
    [{ days: '0' }, 'days', '有效天数请填 1 到 3650 天'],
    [{ stock: '十' }, 'stock', '库存请输入整数，留空表示不限'],
    [{ stock: '10000001' }, 'stock', '库存最多 10,000,000 张'],
    [{ perMemberLimit: '' }, 'perMemberLimit', '请填写每人限领张数'],
    [{ perMemberLimit: '0' }, 'perMemberLimit', '每人限领请填 1 到 100 张'],
    [{ perMemberLimit: '101' }, 'perMemberLimit', '每人限领请填 1 到 100 张'],
    [{ categories: `饮品,${'长'.repeat(41)}` }, 'categories', '每个商品类别最多 40 个字'],
    [{ storeIds: ['not-an-id'] }, 'storeIds', '编号无效'],
  ] as [Partial<CouponTemplateForm>, string, string][])('refuses %j on %s: %s', (patch, field, message) => {
    const result = couponTemplateForm(cashOff(patch));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field as keyof typeof result.errors]).toBe(message);
  });

  it('reports every problem at once, each next to its input', () => {
    expect(couponTemplateForm(cashOff({ title: '', cashOff: 'x', days: '', perMemberLimit: '0' }))).toEqual({
      ok: false,
      errors: {
        title: '请填写名称',
        cashOff: '减免金额请输入金额，例如 20 或 9.9（最多两位小数）',
        days: '请填写有效天数',
        perMemberLimit: '每人限领请填 1 到 100 张',
      },
    });
  });
});

describe('templateServerErrors', () => {
  it('puts the server’s details next to the inputs, money bounds in ¥', () => {
    expect(
      templateServerErrors(
        [
          { path: ['effect', 'capFen'], code: 'too_small', minimum: 1, message: 'Too small' },
          { path: 'conditions.thresholdFen', code: 'too_big', maximum: 100_000_000, message: 'Too big' },
          { path: ['validity', 'until'], message: '结束日期不能早于开始日期' },
          { path: [], message: '同名券模板已存在' },
          'not a detail',
        ],
        'free_shipping',
      ),
    ).toEqual({
      shippingCap: '运费上限至少 ¥0.01',
      threshold: '使用门槛最多 ¥1,000,000.00',
      until: '结束日期不能早于开始日期',
      form: '同名券模板已存在',
    });
    expect(templateServerErrors([{ path: ['effect', 'capFen'], message: '太大' }], 'discount')).toEqual({
      discountCap: '太大',
    });
    expect(templateServerErrors(undefined, 'gift')).toEqual({});
  });
});

describe('couponPreview', () => {
  it('shows the shared coupon face of what is typed, updating with every field', () => {
    expect(couponPreview(cashOff())).toEqual({
      title: '满100减20',
      description: '',
      face: { headline: '¥20', condition: '满¥100.00可用', validity: '领取当日起 30 天内有效' },
    });
    const discount = couponPreview(
      cashOff({
        kind: 'discount',
        rate: '8.8',
        discountCap: '50',
        threshold: '',
        storeIds: [STORE],
        categories: '饮品，甜点',
        description: ' 周末可用 ',
        validityType: 'fixed',
        from: '2030-12-01',
        until: '2030-12-31',
      }),
    );
    expect(discount).toEqual({
      title: '满100减20',
      description: '周末可用',
      face: {
        headline: '8.8折',
        condition: '无门槛，最高减¥50.00，限指定门店，限饮品、甜点',
        validity: '2030-12-01 至 2030-12-31',
      },
    });
    expect(couponPreview(cashOff({ kind: 'gift', giftName: '奶茶' })).face).toMatchObject({
      headline: '兑换券',
      condition: '满¥100.00可用，兑换奶茶',
    });
    expect(couponPreview(cashOff({ kind: 'free_shipping', threshold: '' })).face.headline).toBe('免运费');
  });

  it('stands in for what is not typed yet', () => {
    expect(couponPreview(emptyCouponForm())).toEqual({
      title: '优惠券名称',
      description: '',
      face: { headline: '满减券', condition: '无门槛', validity: '领取当日起 30 天内有效' },
    });
    expect(couponPreview(cashOff({ kind: 'discount', rate: '88' })).face.headline).toBe('折扣券');
    expect(couponPreview(cashOff({ kind: 'gift' })).face.condition).toBe('满¥100.00可用，兑换指定商品');
    expect(couponPreview(cashOff({ days: '' })).face.validity).toBe('领取当日起 N 天内有效');
    expect(couponPreview(cashOff({ validityType: 'fixed', from: '2030-01-01' })).face.validity).toBe(
      '2030-01-01 至 结束日期',
    );
    expect(couponPreview(cashOff({ threshold: 'abc' })).face.condition).toBe('无门槛');
  });
});

describe('template texts', () => {
  it('describe stock, redemption and the select option', () => {
    expect(stockText(template)).toBe('80 / 100');
    expect(stockText({ totalStock: null, stockLeft: null })).toBe('不限');
    expect(stockText({ totalStock: 12_000, stockLeft: 0 })).toBe('0 / 12,000');
    expect(redemptionText(1_500)).toBe('15%');
    expect(redemptionText(1_234)).toBe('12.34%');
    expect(templateOptionText(template)).toBe('满100减20（¥20）');
    expect(templateOptionText({ ...template, active: false })).toBe('满100减20（¥20）（已停用）');
  });

  it('splits category lists on either comma, 、 and new lines', () => {
    expect(splitList(' 饮品，甜点,饮品、 \n 面包 ')).toEqual(['饮品', '甜点', '面包']);
    expect(splitList('  ')).toEqual([]);
  });
});

describe('issueForm', () => {
  const members = { ...emptyIssueForm(TEMPLATE), memberNos: '10000001\n10000002, 10000001，10000003' };

  it('sends the 会员号 typed, one per line or comma separated, deduplicated', () => {
    expect(issueForm(members, KEY)).toEqual({
      ok: true,
      body: {
        templateId: TEMPLATE,
        target: { kind: 'members', memberNos: ['10000001', '10000002', '10000003'] },
        idempotencyKey: KEY,
      },
    });
  });

  it('sends the segment picked', () => {
    const segment = { ...emptyIssueForm(TEMPLATE), targetKind: 'segment' as const, segmentId: SEGMENT };
    expect(issueForm(segment, KEY)).toEqual({
      ok: true,
      body: { templateId: TEMPLATE, target: { kind: 'segment', segmentId: SEGMENT }, idempotencyKey: KEY },
    });
    // What was typed for the other target is not sent.
    expect(issueForm({ ...segment, memberNos: 'abc' }, KEY)).toMatchObject({ ok: true });
  });

  it.each([
    [{ templateId: '' }, 'templateId', '请选择要发放的优惠券'],
    [{ memberNos: '' }, 'memberNos', '请填写会员号，每行一个或用逗号隔开'],
    [{ memberNos: '10000001, 1234, abc' }, 'memberNos', '会员号应为 8 位数字：1234、abc'],
    [{ memberNos: '1,2,3,4,5,6,7' }, 'memberNos', '会员号应为 8 位数字：1、2、3、4、5 等 7 个'],
    [{ targetKind: 'segment' }, 'segmentId', '请选择要发放的分群'],
  ] as [Partial<typeof members>, string, string][])('refuses %j on %s: %s', (patch, field, message) => {
    const result = issueForm({ ...members, ...patch }, KEY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field as keyof typeof result.errors]).toBe(message);
  });
});

describe('campaign texts', () => {
  const issue: CouponIssue = {
    id: 'i1',
    templateId: TEMPLATE,
    templateTitle: '满100减20',
    target: { kind: 'members', memberNos: ['10000001', '10000002'] },
    status: 'running',
    total: 200,
    issued: 120,
    skipped: 3,
    createdAt: '2030-01-01T00:00:00Z',
    finishedAt: null,
    error: null,
  };

  it('describe the target', () => {
    expect(targetText(issue.target)).toBe('2 位指定会员');
    expect(targetText({ kind: 'segment', segmentId: SEGMENT })).toBe('指定分群');
    expect(
      targetText({
        kind: 'segment',
        segmentId: SEGMENT,
        segment: { name: '金卡人群', definition: EMPTY_SEGMENT_DEFINITION, summary: '金卡' },
      }),
    ).toBe('分群「金卡人群」（金卡）');
  });

  it('describe the progress', () => {
    expect(issueProgress(issue)).toEqual({ text: '已发 120 · 跳过 3 · 共 200', percent: 61 });
    expect(issueProgress({ ...issue, total: null, issued: 0, skipped: 0, status: 'queued' })).toEqual({
      text: '已发 0 · 跳过 0 · 正在统计会员',
      percent: null,
    });
    expect(issueProgress({ ...issue, total: 0, issued: 0, skipped: 0, status: 'done' }).percent).toBe(100);
    expect(issueProgress({ ...issue, issued: 1_200, skipped: 0, total: 1_200, status: 'done' })).toEqual({
      text: '已发 1,200 · 跳过 0 · 共 1,200',
      percent: 100,
    });
  });

  it('puts a new campaign on top and replaces a known one', () => {
    const done = { ...issue, status: 'done' as const };
    expect(upsertIssue([issue], done)).toEqual([done]);
    const other = { ...issue, id: 'i2' };
    expect(upsertIssue([issue], other)).toEqual([other, issue]);
  });
});

describe('settingsForm', () => {
  const settings: CouponSettings = {
    tierGifts: [{ tier: '金卡', birthdayTemplateId: TEMPLATE, monthlyTemplateId: null }],
    referral: { enabled: true, rewardTemplateId: TEMPLATE, holdDays: 7, dailyLimit: 20, acceptWithinHours: 72 },
  };

  it('shows every tier, the missing ones as 不发, and saves them all', () => {
    const form = settingsToForm(settings);
    expect(form.tierGifts.map((row) => row.tier)).toEqual(['普通会员', '银卡', '金卡', '黑钻']);
    expect(form.tierGifts[2]).toEqual({ tier: '金卡', birthdayTemplateId: TEMPLATE, monthlyTemplateId: '' });
    const result = settingsForm(form);
    expect(result).toEqual({
      ok: true,
      body: {
        tierGifts: [
          { tier: '普通会员', birthdayTemplateId: null, monthlyTemplateId: null },
          { tier: '银卡', birthdayTemplateId: null, monthlyTemplateId: null },
          { tier: '金卡', birthdayTemplateId: TEMPLATE, monthlyTemplateId: null },
          { tier: '黑钻', birthdayTemplateId: null, monthlyTemplateId: null },
        ],
        referral: settings.referral,
      },
    });
    expect(settingsForm({ ...form, rewardTemplateId: '', referralEnabled: false })).toMatchObject({
      ok: true,
      body: { referral: { enabled: false, rewardTemplateId: null } },
    });
  });

  it('refuses numbers out of range, each next to its input', () => {
    const form = { ...settingsToForm(settings), holdDays: '31', dailyLimit: '0', acceptWithinHours: '1.5' };
    expect(settingsForm(form)).toEqual({
      ok: false,
      errors: {
        holdDays: '奖励冻结天数请填 0 到 30 的整数',
        dailyLimit: '每人每日邀请上限请填 1 到 1000 的整数',
        acceptWithinHours: '接受邀请时限请填 1 到 720 小时',
      },
    });
    expect(settingsForm({ ...settingsToForm(settings), holdDays: '0' }).ok).toBe(true);
  });
});

describe('referrals', () => {
  const member = (memberNo: string, nickname: string | null = null) => ({
    memberId: `m${memberNo}`,
    memberNo,
    nickname,
  });
  const referral = (id: string, inviter: string, invitee: string): AdminReferral => ({
    id,
    inviter: member(inviter),
    invitee: member(invitee),
    status: 'bound',
    createdAt: '2030-01-01T00:00:00Z',
    rewardOrderId: null,
    heldUntil: null,
    phonePrefix: null,
    sameDeviceCount: 1,
  });

  it('orders the chain: the inviter, then direct, then indirect invitees', () => {
    const rows = [
      referral('r3', '10000002', '10000004'),
      referral('r2', '10000001', '10000002'),
      referral('r1', '10000009', '10000001'),
      referral('r4', '10000001', '10000003'),
    ];
    const chain = referralChain(rows, '10000001');
    expect(chain.rows.map((row) => [row.referral.id, row.level])).toEqual([
      ['r1', 'up'],
      ['r2', 'direct'],
      ['r4', 'direct'],
      ['r3', 'indirect'],
    ]);
    expect(chain.invitedBy?.memberNo).toBe('10000009');
    expect([chain.direct, chain.indirect]).toEqual([2, 1]);
    expect(referralChain([], '10000001')).toEqual({ rows: [], invitedBy: null, direct: 0, indirect: 0 });
  });

  it('reads the search box', () => {
    expect(memberNoQuery(' 10000001 ')).toEqual({ ok: true, memberNo: '10000001' });
    expect(memberNoQuery('')).toEqual({ ok: true, memberNo: null });
    expect(memberNoQuery('1234')).toEqual({ ok: false, message: '会员号应为 8 位数字' });
  });
});
