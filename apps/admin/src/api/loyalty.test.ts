// The loyalty calls against the shared fetch stub: method, path, bearer, body, and how answers are read.
import { ApiError, isRouteMissing } from '../api';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import { defaultRules, mallItem } from '../testing/loyalty-fixtures';
import {
  adjustPoints,
  createMallItem,
  getLiability,
  getRules,
  grantTier,
  listMallItems,
  saveRules,
  updateMallItem,
} from './loyalty';

const ID = '65f0c0ffee0000000000aaaa';
const fetchMock = stubFetch();

const answer = (status: number, body: unknown) => answerOnce(fetchMock, status, body);
const sent = () => sentRequest(fetchMock);

describe('rules', () => {
  it('reads the rules', async () => {
    answer(200, defaultRules());
    await expect(getRules('tok')).resolves.toEqual(defaultRules());
    expect(sent()).toEqual({ url: '/api/v1/admin/rules', method: 'GET', auth: 'Bearer tok', body: undefined });
  });

  it('replaces them with PUT and returns the saved rules', async () => {
    const rules = { ...defaultRules(), pointsPerYuan: 2 };
    answer(200, rules);
    await expect(saveRules('tok', rules)).resolves.toEqual(rules);
    expect(sent()).toEqual({ url: '/api/v1/admin/rules', method: 'PUT', auth: 'Bearer tok', body: rules });
  });

  it('passes VALIDATION_FAILED through with its details for the form', async () => {
    const details = [{ path: 'tiers.1.threshold', message: '等级门槛必须逐级升高' }];
    answer(400, { error: { code: 'VALIDATION_FAILED', message: '请求参数有误', details } });
    await expect(saveRules('tok', defaultRules())).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details });
  });
});

describe('member points and tier', () => {
  const body = { amount: -50, reason: '误操作扣回', idempotencyKey: 'k'.repeat(32) };

  it('posts an adjustment and reads the balance from a member detail or a bare { points }', async () => {
    answer(200, { memberId: ID, points: 70, memberNo: '10001' });
    await expect(adjustPoints('tok', ID, body)).resolves.toEqual({ points: 70 });
    expect(sent()).toEqual({
      url: `/api/v1/admin/members/${ID}/points-adjustments`,
      method: 'POST',
      auth: 'Bearer tok',
      body,
    });
    answer(201, { points: 0 });
    await expect(adjustPoints('tok', ID, body)).resolves.toEqual({ points: 0 });
    answer(204, undefined);
    await expect(adjustPoints('tok', ID, body)).resolves.toEqual({ points: null });
  });

  it('reports INSUFFICIENT_POINTS with its code', async () => {
    answer(409, { error: { code: 'INSUFFICIENT_POINTS', message: '积分不足' } });
    await expect(adjustPoints('tok', ID, body)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS', status: 409 });
  });

  it('grants a tier and returns the change', async () => {
    answer(200, { from: '银卡', to: '金卡' });
    await expect(grantTier('tok', ID, { tier: '金卡', reason: '老顾客回馈' })).resolves.toEqual({
      from: '银卡',
      to: '金卡',
    });
    expect(sent()).toMatchObject({
      url: `/api/v1/admin/members/${ID}/tier`,
      method: 'POST',
      body: { tier: '金卡', reason: '老顾客回馈' },
    });
    answer(200, { ok: true });
    await expect(grantTier('tok', ID, { tier: '金卡', reason: '老顾客回馈' })).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
    });
  });
});

describe('liability', () => {
  it('reads the outstanding points', async () => {
    const liability = { outstandingPoints: 12_345, valueFen: 12_345, members: 12 };
    answer(200, liability);
    await expect(getLiability('tok')).resolves.toEqual(liability);
    expect(sent().url).toBe('/api/v1/admin/points/liability');
  });

  it('tells a route the server does not have yet from other failures', async () => {
    answer(404, { error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
    const missing = await getLiability('tok').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(isRouteMissing(missing)).toBe(true);

    answer(404, { error: { code: 'NOT_FOUND', message: '资源不存在' } });
    expect(isRouteMissing(await getLiability('tok').catch((e: unknown) => e))).toBe(false);
    expect(isRouteMissing(new Error('x'))).toBe(false);
  });
});

describe('mall items', () => {
  const body = {
    title: '帆布袋',
    description: '门店领取',
    imageUrl: null,
    pointsPrice: 500,
    stock: 20,
    perMemberLimit: null,
    kind: 'gift' as const,
    couponTemplateId: null,
    active: true,
  };

  it('lists, creates and patches', async () => {
    answer(200, [mallItem]);
    await expect(listMallItems('tok')).resolves.toEqual([mallItem]);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/mall/items', method: 'GET', auth: 'Bearer tok' });

    fetchMock.mockReset();
    answer(201, mallItem);
    await expect(createMallItem('tok', body)).resolves.toEqual(mallItem);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/mall/items', method: 'POST', body });

    fetchMock.mockReset();
    answer(200, { ...mallItem, active: false });
    await expect(updateMallItem('tok', mallItem.id, { ...body, active: false })).resolves.toMatchObject({
      active: false,
    });
    expect(sent()).toMatchObject({
      url: `/api/v1/admin/mall/items/${mallItem.id}`,
      method: 'PATCH',
      body: { ...body, active: false },
    });
  });

  it('refuses a list that is not MallItem[]', async () => {
    answer(200, { items: [mallItem] });
    await expect(listMallItems('tok')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
