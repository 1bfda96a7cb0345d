import type { PaymentRow, ReconciliationReport } from '@member-hub/shared';
import {
  comparisonRows,
  defaultReconciliationDate,
  emptyPackageForm,
  limitText,
  packageBody,
  packageForm,
  packageServerErrors,
  packageText,
  packageToForm,
  paidWithText,
  refundForm,
  refundWarning,
  statusOptions,
  validityText,
} from './walletForms';

const filled = { ...emptyPackageForm(), name: ' 充500送50 ', pay: '500', bonus: '50' };
const pkg = {
  id: '65f0c0ffee0000000000aaaa',
  name: '充500送50',
  payFen: 50_000,
  bonusFen: 5_000,
  validFrom: null,
  validUntil: '2030-12-31',
  perMemberLimit: 2,
  active: true,
  sort: 1,
};

describe('packageForm', () => {
  it('reads yuan as fen and blanks as 不限', () => {
    expect(packageForm(filled)).toEqual({
      ok: true,
      body: {
        name: '充500送50',
        payFen: 50_000,
        bonusFen: 5_000,
        validFrom: null,
        validUntil: null,
        perMemberLimit: null,
        active: true,
        sort: 0,
      },
    });
    expect(packageForm({ ...filled, pay: '99.9', bonus: '' })).toMatchObject({
      ok: true,
      body: { payFen: 9_990, bonusFen: 0 },
    });
  });

  it('round-trips a package through the form', () => {
    expect(packageToForm(pkg)).toEqual({
      name: '充500送50',
      pay: '500',
      bonus: '50',
      validFrom: '',
      validUntil: '2030-12-31',
      perMemberLimit: '2',
      sort: '1',
      active: true,
    });
    const { id: _id, ...rest } = pkg;
    expect(packageForm(packageToForm(pkg))).toEqual({ ok: true, body: rest });
    expect(packageBody(pkg, false)).toEqual({ ...rest, active: false });
  });

  it.each([
    [{ name: ' ' }, 'name', '请填写名称'],
    [{ name: '一'.repeat(21) }, 'name', '名称最多 20 个字'],
    [{ pay: '' }, 'pay', '请填写充值金额'],
    [{ pay: '5.001' }, 'pay', '充值金额请输入金额，例如 500 或 500.50（最多两位小数）'],
    [{ pay: '0.5', bonus: '0' }, 'pay', '充值金额至少 ¥1.00'],
    [{ pay: '50000.01', bonus: '0' }, 'pay', '充值金额最多 ¥50,000.00'],
    [{ bonus: 'abc' }, 'bonus', '赠送金额请输入金额，例如 50（不送请填 0 或留空）'],
    [{ bonus: '600' }, 'bonus', '赠送金额不能超过充值金额'],
    [{ validFrom: '2030-02-01', validUntil: '2030-01-31' }, 'validUntil', '结束日期不能早于开始日期'],
    [{ validFrom: '2030/02/01' }, 'validFrom', '日期格式应为 YYYY-MM-DD'],
    [{ perMemberLimit: '0' }, 'perMemberLimit', '每人限购至少 1 次，留空表示不限'],
    [{ perMemberLimit: '1001' }, 'perMemberLimit', '每人限购最多 1000 次'],
    [{ perMemberLimit: '1.5' }, 'perMemberLimit', '每人限购请输入整数，留空表示不限'],
    [{ sort: '1000' }, 'sort', '排序请输入 0 到 999 的整数'],
  ])('refuses %j on %s: %s', (patch, field, message) => {
    const result = packageForm({ ...filled, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field as keyof typeof result.errors]).toBe(message);
  });

  it('reports every problem at once, each next to its input', () => {
    const result = packageForm({ ...filled, name: '', pay: 'x', perMemberLimit: '0' });
    expect(result).toEqual({
      ok: false,
      errors: {
        name: '请填写名称',
        pay: '充值金额请输入金额，例如 500 或 500.50（最多两位小数）',
        perMemberLimit: '每人限购至少 1 次，留空表示不限',
      },
    });
  });
});

describe('packageServerErrors', () => {
  it('puts the server’s details next to the inputs, money bounds in ¥', () => {
    expect(
      packageServerErrors([
        { path: ['payFen'], message: '充值金额至少 ¥1.00' },
        { path: 'bonusFen', code: 'too_big', maximum: 5_000_000, message: 'Too big: expected number to be <=5000000' },
        { path: ['validUntil'], message: '结束日期不能早于开始日期' },
        { path: [], message: '同名套餐已存在' },
        'not a detail',
      ]),
    ).toEqual({
      pay: '充值金额至少 ¥1.00',
      bonus: '赠送金额最多 ¥50,000.00',
      validUntil: '结束日期不能早于开始日期',
      form: '同名套餐已存在',
    });
    expect(packageServerErrors(undefined)).toEqual({});
  });
});

describe('package texts', () => {
  it('describe amounts, validity and limits', () => {
    expect(packageText(pkg)).toBe('充 ¥500.00 送 ¥50.00');
    expect(packageText({ payFen: 10_000, bonusFen: 0 })).toBe('充 ¥100.00');
    expect(validityText(pkg)).toBe('至 2030-12-31');
    expect(validityText({ validFrom: '2030-01-01', validUntil: null })).toBe('2030-01-01 起');
    expect(validityText({ validFrom: '2030-01-01', validUntil: '2030-12-31' })).toBe('2030-01-01 至 2030-12-31');
    expect(validityText({ validFrom: null, validUntil: null })).toBe('长期有效');
    expect(limitText(null)).toBe('不限');
    expect(limitText(2)).toBe('2 次');
  });
});

const row: PaymentRow = {
  id: 'p1',
  kind: 'charge',
  memberId: 'm1',
  memberNo: '10000001',
  description: '西湖店',
  amountFen: 30_000,
  wechatFen: 10_000,
  walletFen: 20_000,
  outTradeNo: 'CH1',
  status: 'completed',
  statusLabel: '已完成',
  refundedFen: 5_000,
  refundableFen: 25_000,
  createdAt: '2030-01-01T00:00:00Z',
};

describe('payments', () => {
  it('offers the statuses of the chosen kind, or all of them once', () => {
    expect(statusOptions('top_up').map(([s]) => s)).toEqual(['pending', 'paid', 'closed', 'refunding', 'refunded']);
    expect(statusOptions('charge')).toContainEqual(['awaiting_member', '等待会员确认']);
    const all = statusOptions(null).map(([s]) => s);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(['paid', 'refunded', 'partially_refunded']));
  });

  it('says how the money came in', () => {
    expect(paidWithText(row)).toBe('储值 ¥200.00 · 微信 ¥100.00');
    expect(paidWithText({ walletFen: 0, wechatFen: 50_000 })).toBe('微信 ¥500.00');
    expect(paidWithText({ walletFen: 0, wechatFen: 0 })).toBe('—');
  });

  it('reads a charge refund amount in yuan, at most the refundable amount', () => {
    const key = 'k'.repeat(32);
    expect(refundForm(row, { amount: '250', reason: '', idempotencyKey: key })).toEqual({
      ok: true,
      kind: 'charge',
      body: { amountFen: 25_000, idempotencyKey: key },
      fen: 25_000,
    });
    expect(refundForm(row, { amount: '250.01', reason: '', idempotencyKey: key })).toEqual({
      ok: false,
      message: '退款金额不能超过可退的 ¥250.00',
    });
    expect(refundForm(row, { amount: '0', reason: '', idempotencyKey: key })).toMatchObject({ ok: false });
    expect(refundForm(row, { amount: '', reason: '', idempotencyKey: key })).toMatchObject({
      message: '请填写退款金额',
    });
    expect(refundForm({ ...row, refundableFen: 0 }, { amount: '1', reason: '', idempotencyKey: key })).toMatchObject({
      message: '这笔支付没有可退金额',
    });
  });

  it('refunds a top-up whole with an optional reason, and warns about the bonus', () => {
    const topUp = { ...row, kind: 'top_up' as const, refundableFen: 50_000 };
    expect(refundForm(topUp, { amount: '', reason: ' 会员申请 ', idempotencyKey: 'k' })).toEqual({
      ok: true,
      kind: 'top_up',
      body: { idempotencyKey: 'k', reason: '会员申请' },
      fen: 50_000,
    });
    expect(refundWarning(topUp)).toContain('赠送金额按退款比例作废');
    expect(refundWarning(row)).toContain('最多可退 ¥250.00');
  });
});

describe('reconciliation', () => {
  it('defaults to yesterday in China time', () => {
    expect(defaultReconciliationDate(Date.parse('2030-01-02T15:59:00Z'))).toBe('2030-01-01');
    expect(defaultReconciliationDate(Date.parse('2030-01-02T16:00:00Z'))).toBe('2030-01-02');
  });

  it('lines ours up with WeChat’s and shows only real differences', () => {
    const report: ReconciliationReport = {
      date: '2030-01-01',
      ours: { payments: 3, paidFen: 150_000, refunds: 1, refundedFen: 10_000 },
      theirs: { payments: 2, paidFen: 100_000, refunds: 1, refundedFen: 10_000 },
      differences: [],
      createdAt: '2030-01-02T01:00:00Z',
    };
    expect(comparisonRows(report)).toEqual([
      { label: '支付笔数', ours: '3 笔', theirs: '2 笔', difference: '+1 笔' },
      { label: '支付金额', ours: '¥1,500.00', theirs: '¥1,000.00', difference: '+¥500.00' },
      { label: '退款笔数', ours: '1 笔', theirs: '1 笔', difference: null },
      { label: '退款金额', ours: '¥100.00', theirs: '¥100.00', difference: null },
    ]);
    const fewer = { ...report, ours: { ...report.ours, paidFen: 50_000 } };
    expect(comparisonRows(fewer)[1]?.difference).toBe('-¥500.00');
  });
});
