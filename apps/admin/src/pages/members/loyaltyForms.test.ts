import { ApiError } from '../../api';
import { adjustErrorMessage, adjustPointsForm, grantTierErrorMessage, grantTierForm } from './memberForms';

const KEY = 'a'.repeat(32);
const base = {
  direction: 'add' as const,
  amount: '100',
  reason: '系统故障补发',
  idempotencyKey: KEY,
  currentPoints: 80,
};

describe('adjustPointsForm', () => {
  it('signs the amount by direction', () => {
    expect(adjustPointsForm(base)).toEqual({
      ok: true,
      body: { amount: 100, reason: '系统故障补发', idempotencyKey: KEY },
    });
    expect(adjustPointsForm({ ...base, direction: 'remove', amount: '80' })).toMatchObject({
      ok: true,
      body: { amount: -80 },
    });
  });

  it.each([
    [{ amount: '' }, '请输入调整的积分数量'],
    [{ amount: '1.5' }, '积分数量请输入正整数'],
    [{ amount: '-5' }, '积分数量请输入正整数'],
    [{ amount: '0' }, '调整数量不能为 0'],
    [{ amount: '1000001' }, '单次最多调整 1,000,000 积分'],
    [{ direction: 'remove' as const, amount: '81' }, '积分不足：该会员当前只有 80 积分'],
    [{ reason: ' ' }, '请填写调整原因'],
    [{ reason: '好'.repeat(201) }, '原因最多 200 个字'],
  ])('refuses %p with %p', (patch, message) => {
    expect(adjustPointsForm({ ...base, ...patch })).toEqual({ ok: false, message });
  });

  it('explains the server refusals in place', () => {
    expect(adjustErrorMessage(new ApiError('INSUFFICIENT_POINTS', '积分不足', 409), 1234)).toBe(
      '积分不足：该会员当前只有 1,234 积分，不能扣减更多',
    );
    expect(adjustErrorMessage(new ApiError('ROUTE_NOT_FOUND', '接口不存在', 404), 0)).toBe(
      '积分调整功能即将上线，服务器暂未开放',
    );
    expect(adjustErrorMessage(new ApiError('MEMBER_MERGED', '该会员已合并到其他会员', 409), 0)).toBe(
      '该会员已合并到其他会员',
    );
    expect(adjustErrorMessage(new Error('boom'), 0)).toBe('操作失败，请稍后再试');
  });
});

describe('grantTierForm', () => {
  it('builds the request', () => {
    expect(grantTierForm({ tier: '金卡', reason: '老顾客回馈', current: '银卡' })).toEqual({
      ok: true,
      body: { tier: '金卡', reason: '老顾客回馈' },
    });
  });

  it.each([
    [{ tier: '' }, '请选择等级'],
    [{ tier: '银卡' }, '该会员已是银卡，请选择其他等级'],
    [{ tier: '钻石' }, '请选择有效的等级'],
    [{ reason: '' }, '请填写原因'],
  ])('refuses %p with %p', (patch, message) => {
    expect(grantTierForm({ tier: '金卡', reason: '老顾客回馈', current: '银卡', ...patch })).toEqual({
      ok: false,
      message,
    });
  });

  it('says 即将上线 while the server lacks the route', () => {
    expect(grantTierErrorMessage(new ApiError('ROUTE_NOT_FOUND', '接口不存在', 404))).toBe(
      '调整等级功能即将上线，服务器暂未开放',
    );
    expect(grantTierErrorMessage(new ApiError('MEMBER_DELETED', '该会员已注销', 410))).toBe('该会员已注销');
  });
});
