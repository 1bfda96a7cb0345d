// The stored-value calls against the shared fetch stub: method, path, bearer, body, and how answers are read.
import { isRouteMissing } from '../api';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import {
  createPackage,
  getReconciliation,
  getWalletLiability,
  getWalletSettings,
  listPackages,
  listPayments,
  paymentListPath,
  refundCharge,
  refundTopUp,
  saveWalletSettings,
  updatePackage,
} from './wallet';

const ID = '65f0c0ffee0000000000aaaa';
const fetchMock = stubFetch();

const answer = (status: number, body: unknown) => answerOnce(fetchMock, status, body);
const sent = () => sentRequest(fetchMock);

const pkg = {
  id: ID,
  name: '充500送50',
  payFen: 50_000,
  bonusFen: 5_000,
  validFrom: null,
  validUntil: null,
  perMemberLimit: null,
  active: true,
  sort: 0,
};
const body = {
  name: '充500送50',
  payFen: 50_000,
  bonusFen: 5_000,
  validFrom: null,
  validUntil: null,
  perMemberLimit: null,
  active: true,
  sort: 0,
};
const row = {
  id: ID,
  kind: 'charge',
  memberId: ID,
  memberNo: '10000001',
  description: '西湖店 储值消费',
  amountFen: 10_000,
  wechatFen: 0,
  walletFen: 10_000,
  outTradeNo: null,
  status: 'completed',
  statusLabel: '已完成',
  refundedFen: 0,
  refundableFen: 10_000,
  createdAt: '2030-01-01T00:00:00Z',
};

describe('packages', () => {
  it('lists them, bare or wrapped in { packages }', async () => {
    answer(200, [pkg]);
    await expect(listPackages('tok')).resolves.toEqual([pkg]);
    expect(sent()).toEqual({
      url: '/api/v1/admin/wallet/packages',
      method: 'GET',
      auth: 'Bearer tok',
      body: undefined,
    });
    fetchMock.mockReset();
    answer(200, { packages: [pkg] });
    await expect(listPackages('tok')).resolves.toEqual([pkg]);
  });

  it('creates with POST and edits with PATCH on the package path', async () => {
    answer(201, pkg);
    await expect(createPackage('tok', body)).resolves.toEqual(pkg);
    expect(sent()).toEqual({ url: '/api/v1/admin/wallet/packages', method: 'POST', auth: 'Bearer tok', body });
    fetchMock.mockReset();
    answer(200, { ...pkg, active: false });
    await updatePackage('tok', ID, { ...body, active: false });
    expect(sent()).toMatchObject({ url: `/api/v1/admin/wallet/packages/${ID}`, method: 'PATCH' });
  });

  it('passes VALIDATION_FAILED through with its details, and ROUTE_NOT_FOUND as route missing', async () => {
    const details = [{ path: ['bonusFen'], message: '赠送金额不能超过充值金额' }];
    answer(400, { error: { code: 'VALIDATION_FAILED', message: '请求参数有误', details } });
    await expect(createPackage('tok', body)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details });
    answer(404, { error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
    const error = await listPackages('tok').catch((e: unknown) => e);
    expect(isRouteMissing(error)).toBe(true);
  });
});

describe('liability and settings', () => {
  it('reads the liability and the refund setting, and PUTs the setting', async () => {
    const liability = { principalFen: 40_909, bonusFen: 4_091, totalFen: 45_000, members: 1 };
    answer(200, liability);
    await expect(getWalletLiability('tok')).resolves.toEqual(liability);
    expect(sent().url).toBe('/api/v1/admin/wallet/liability');
    fetchMock.mockReset();
    answer(200, { refundEnabled: false });
    await expect(getWalletSettings('tok')).resolves.toEqual({ refundEnabled: false });
    fetchMock.mockReset();
    answer(200, { refundEnabled: true });
    await expect(saveWalletSettings('tok', { refundEnabled: true })).resolves.toEqual({ refundEnabled: true });
    expect(sent()).toEqual({
      url: '/api/v1/admin/wallet/settings',
      method: 'PUT',
      auth: 'Bearer tok',
      body: { refundEnabled: true },
    });
  });
});

describe('payments', () => {
  it('pages with the filters and the cursor, leaving out empty ones', async () => {
    expect(paymentListPath({})).toBe('/api/v1/admin/payments?limit=20');
    expect(paymentListPath({ kind: 'top_up', status: 'paid', cursor: 'c2' })).toBe(
      '/api/v1/admin/payments?kind=top_up&status=paid&limit=20&cursor=c2',
    );
    answer(200, { payments: [row], nextCursor: 'c2' });
    await expect(listPayments('tok', { kind: 'charge', status: null })).resolves.toEqual({
      payments: [row],
      nextCursor: 'c2',
    });
    expect(sent().url).toBe('/api/v1/admin/payments?kind=charge&limit=20');
  });

  it('refunds a top-up with the key and reason, a charge with the amount, whatever the answer', async () => {
    answer(200, { ok: true });
    await refundTopUp('tok', ID, { idempotencyKey: 'k'.repeat(32), reason: '会员申请' });
    expect(sent()).toEqual({
      url: `/api/v1/admin/wallet/top-ups/${ID}/refunds`,
      method: 'POST',
      auth: 'Bearer tok',
      body: { idempotencyKey: 'k'.repeat(32), reason: '会员申请' },
    });
    fetchMock.mockReset();
    answer(201, undefined);
    await refundCharge('tok', ID, { amountFen: 5_000, idempotencyKey: 'k'.repeat(32) });
    expect(sent()).toMatchObject({
      url: `/api/v1/admin/wallet/charges/${ID}/refunds`,
      body: { amountFen: 5_000, idempotencyKey: 'k'.repeat(32) },
    });
  });

  it('reads one day of reconciliation', async () => {
    const report = {
      date: '2030-01-01',
      ours: { payments: 1, paidFen: 50_000, refunds: 0, refundedFen: 0 },
      theirs: { payments: 1, paidFen: 50_000, refunds: 0, refundedFen: 0 },
      differences: [],
      createdAt: '2030-01-02T01:00:00Z',
    };
    answer(200, report);
    await expect(getReconciliation('tok', '2030-01-01')).resolves.toEqual(report);
    expect(sent().url).toBe('/api/v1/admin/payments/reconciliation?date=2030-01-01');
  });
});
