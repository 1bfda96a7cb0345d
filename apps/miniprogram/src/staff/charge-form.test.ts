import { type StaffProfile, WalletPaths } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { charge, memoryStore, NOW } from '../testing/fixtures';
import {
  chargeCancellable,
  chargeFinal,
  chargeOutcome,
  checkCharge,
  createChargeSubmitter,
  describeChargeError,
  EMPTY_CHARGE,
  isPayCode,
  normalizePayCode,
} from './charge-form';
import { createStaffSession, type StoredStaffSession } from './staff-session';

const memberId = '0123456789abcdef01234567';
const member = { kind: 'member' as const, memberId, points: 1_000 };
const CODE = '123456789012345678';

describe('checkCharge', () => {
  it('reads yuan and the points offset for a scanned member, as 记录消费 does', () => {
    expect(checkCharge({ ...EMPTY_CHARGE, amount: '100' }, member)).toEqual({
      ok: true,
      input: { memberId, amountFen: 10_000, offsetPoints: 0 },
    });
    expect(checkCharge({ ...EMPTY_CHARGE, amount: '100', useOffset: true, offset: '500' }, member)).toEqual({
      ok: true,
      input: { memberId, amountFen: 10_000, offsetPoints: 500 },
    });
  });

  it('refuses what the server would, on the field it belongs to', () => {
    expect(checkCharge({ ...EMPTY_CHARGE, amount: '12.345' }, member)).toEqual({
      ok: false,
      errors: [{ field: 'amount', message: '金额最多保留两位小数' }],
    });
    expect(checkCharge({ ...EMPTY_CHARGE, amount: '10', useOffset: true, offset: '900' }, member)).toMatchObject({
      ok: false,
      errors: [{ field: 'offset' }],
    });
  });

  it('with a payment code: the 18 digits as typed with spaces, no offset', () => {
    const draft = { ...EMPTY_CHARGE, amount: '100', payCode: ' 1234 5678 9012 3456 78 ', useOffset: true, offset: '1' };
    expect(checkCharge(draft, { kind: 'payCode' })).toEqual({
      ok: true,
      input: { payCode: CODE, amountFen: 10_000, offsetPoints: 0 },
    });
    expect(checkCharge({ ...EMPTY_CHARGE, amount: '', payCode: '12345' }, { kind: 'payCode' })).toEqual({
      ok: false,
      errors: [
        { field: 'amount', message: '请输入消费金额' },
        { field: 'payCode', message: '付款码应为 18 位数字' },
      ],
    });
    expect(checkCharge({ ...EMPTY_CHARGE, amount: '1' }, { kind: 'payCode' })).toEqual({
      ok: false,
      errors: [{ field: 'payCode', message: '请扫描或输入顾客的付款码' }],
    });
  });

  it('tells a payment code from a member code', () => {
    expect(normalizePayCode('1234-5678 9012')).toBe('123456789012');
    expect(isPayCode('1234 5678 9012 3456 78')).toBe(true);
    expect(isPayCode('12345678')).toBe(false);
    expect(isPayCode('MH1:demo:12345678')).toBe(false);
  });
});

describe('describeChargeError', () => {
  it('maps the server’s refusals to the till’s fields and next steps', () => {
    expect(describeChargeError(new ApiError('MEMBER_NOT_SCANNED', 'x', 409))).toMatchObject({ rescan: true });
    expect(describeChargeError(new ApiError('INSUFFICIENT_POINTS', '积分不足', 409)).errors).toEqual([
      { field: 'offset', message: '积分不足' },
    ]);
    expect(describeChargeError(new ApiError('INSUFFICIENT_BALANCE', '余额不足', 409)).errors[0]?.message).toBe(
      '余额不足，请让顾客充值或改用其他方式付款',
    );
    expect(
      describeChargeError(new ApiError('PAY_CODE_INVALID', '付款码无效或已过期，请刷新后重试', 400)).errors,
    ).toEqual([{ field: 'payCode', message: '付款码无效或已过期，请刷新后重试' }]);
    expect(describeChargeError(new ApiError('ORDER_CONFLICT', 'x', 409)).errors[0]?.message).toContain('不要重复收款');
    const invalid = new ApiError('VALIDATION_FAILED', '请求参数有误', 400, [
      { path: ['payCode'], message: '付款码应为 18 位数字' },
      { path: 'amountFen', message: '金额必须大于 0' },
      { path: ['memberId'], message: '请扫描会员码或付款码（二选一）' },
    ]);
    expect(describeChargeError(invalid).errors).toEqual([
      { field: 'payCode', message: '付款码应为 18 位数字' },
      { field: 'amount', message: '金额必须大于 0' },
      { field: 'form', message: '请扫描会员码或付款码（二选一）' },
    ]);
  });

  it('says a retry is safe when no answer came, and 即将上线 without the route', () => {
    expect(describeChargeError(new ApiError('NETWORK_ERROR', 'x', 0))).toMatchObject({ unknownOutcome: true });
    expect(describeChargeError(new ApiError('INTERNAL', '服务器开小差了', 500))).toMatchObject({
      unknownOutcome: true,
      errors: [{ field: 'form', message: '服务器开小差了' }],
    });
    expect(describeChargeError(new ApiError('ROUTE_NOT_FOUND', '接口不存在', 404))).toMatchObject({
      missing: true,
      errors: [{ field: 'form', message: '储值收款即将上线，服务器暂未开放' }],
    });
  });
});

describe('createChargeSubmitter', () => {
  it('resends the same key after a lost answer and starts a new one after a charge', async () => {
    const keys: string[] = [];
    let n = 0;
    const start = jest.fn(async (request: { idempotencyKey: string }) => {
      keys.push(request.idempotencyKey);
      if (keys.length === 1) throw new ApiError('NETWORK_ERROR', '网络连接失败', 0);
      return charge();
    });
    const submitter = createChargeSubmitter(start, () => `key-${++n}`);
    const input = { memberId, amountFen: 10_000, offsetPoints: 0 };
    await expect(submitter.submit(input)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await submitter.submit(input);
    await submitter.submit(input);
    expect(keys).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('starts a new key after a conflict with an earlier, different attempt', async () => {
    let n = 0;
    const submitter = createChargeSubmitter(
      async () => Promise.reject(new ApiError('ORDER_CONFLICT', '该订单号已用于另一笔不同的订单', 409)),
      () => `key-${++n}`,
    );
    await expect(submitter.submit({ memberId, amountFen: 1, offsetPoints: 0 })).rejects.toMatchObject({
      code: 'ORDER_CONFLICT',
    });
    expect(submitter.key()).toBe('key-2');
  });
});

describe('chargeOutcome', () => {
  it('waits for the member and their WeChat Pay, then says how it ended', () => {
    expect(chargeFinal(charge())).toBe(false);
    expect(chargeOutcome(charge())).toEqual({ kind: 'waiting', text: '等待会员确认…' });
    expect(chargeOutcome(charge({ status: 'awaiting_payment' })).kind).toBe('waiting');
    const done = charge({ status: 'completed', walletFen: 10_000, wechatFen: 0, pointsEarned: 100 });
    expect(chargeFinal(done)).toBe(true);
    expect(chargeOutcome(done)).toEqual({ kind: 'ok', text: '收款成功：储值 ¥100.00，微信 ¥0.00，积分 +100' });
    expect(chargeOutcome(charge({ status: 'cancelled' })).kind).toBe('stopped');
    expect(chargeOutcome(charge({ status: 'expired' })).text).toContain('已过期');
  });

  it('lets staff call off only a payment the member has not confirmed, and then says 已取消', () => {
    expect(chargeCancellable(charge())).toBe(true);
    expect(chargeCancellable(charge({ status: 'awaiting_payment' }))).toBe(false);
    expect(chargeCancellable(charge({ status: 'completed' }))).toBe(false);
    expect(chargeOutcome(charge({ status: 'cancelled' }), true)).toEqual({
      kind: 'stopped',
      text: '已取消这笔收款，未扣款',
    });
    expect(chargeOutcome(charge({ status: 'cancelled' })).text).toContain('会员已拒绝');
  });
});

describe('staff charges over the API', () => {
  const staff: StaffProfile = {
    staffId: 's1',
    name: '李店员',
    username: 'li',
    role: 'staff',
    store: { id: 'st1', name: '西湖店', code: 'HZ01' },
  };

  it('posts the charge with the staff token and reads it back, bare or wrapped', async () => {
    const store = memoryStore<StoredStaffSession>({ token: 'staff-tok', expiresAt: '2030-01-02T00:00:00Z', staff });
    const { transport, requests } = fakeTransport({
      [`POST ${WalletPaths.staffCharges}`]: () => ok(charge()),
      [`GET ${WalletPaths.staffCharge('c1')}`]: () => ok({ charge: charge({ status: 'completed' }) }),
      [`GET ${WalletPaths.staffCharge('gone')}`]: () => fail(404, 'NOT_FOUND', '资源不存在'),
    });
    const session = createStaffSession({ baseUrl: '', transport, store, onSignedOut: () => {}, now: () => NOW });
    const request = { memberId, amountFen: 10_000, offsetPoints: 0, idempotencyKey: 'k'.repeat(16) };
    await expect(session.startCharge(request)).resolves.toMatchObject({ id: 'c1', status: 'awaiting_member' });
    await expect(session.charge('c1')).resolves.toMatchObject({ status: 'completed' });
    await expect(session.charge('gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(requests[0]?.body).toEqual(request);
    expect(requests.map((r) => r.headers.Authorization)).toEqual(Array(3).fill('Bearer staff-tok'));
  });

  it('cancels an unconfirmed charge (取消收款) and answers the charge as the server left it', async () => {
    const store = memoryStore<StoredStaffSession>({ token: 'staff-tok', expiresAt: '2030-01-02T00:00:00Z', staff });
    const { transport, requests } = fakeTransport({
      [`POST ${WalletPaths.staffChargeCancel('c1')}`]: () => ok(charge({ status: 'cancelled' })),
      [`POST ${WalletPaths.staffChargeCancel('c2')}`]: () => ok({ charge: charge({ id: 'c2', status: 'completed' }) }),
    });
    const session = createStaffSession({ baseUrl: '', transport, store, onSignedOut: () => {}, now: () => NOW });
    await expect(session.cancelCharge('c1')).resolves.toMatchObject({ status: 'cancelled' });
    // The member confirmed first: nothing is cancelled and the till follows the answer.
    await expect(session.cancelCharge('c2')).resolves.toMatchObject({ id: 'c2', status: 'completed' });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/v1/staff/wallet/charges/c1/cancel',
      'POST /api/v1/staff/wallet/charges/c2/cancel',
    ]);
    expect(requests[0]?.headers.Authorization).toBe('Bearer staff-tok');
  });
});
