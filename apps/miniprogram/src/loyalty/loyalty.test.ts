import { ApiPaths, LoyaltyPaths, PointsPaths, type Redemption } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { createSession, type StoredSession } from '../session/session';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memberCard, memoryStore, NOW } from '../testing/fixtures';
import { createActionKey, newIdempotencyKey, outcomeUnknown } from './idempotency';
import { createLoyaltyService, createShareVisitor, SHARE_PATHS } from './loyalty';
import { createPager } from './pager';
import { createRedeemer, mallNotBuilt, stockText } from './redeem';
import { shareLink, sharePath } from './share';

function setup(routes: Record<string, (r: HttpRequest) => HttpResponse | Promise<HttpResponse>>) {
  const store = memoryStore<StoredSession>({ token: 'tok-a', expiresAt: '2030-01-02T00:00:00Z' });
  const { transport, requests } = fakeTransport({
    [`POST ${ApiPaths.wechatLogin}`]: () =>
      ok({ token: 'tok-b', expiresAt: '2030-01-02T00:00:00Z', isNewMember: false, member: memberCard }),
    ...routes,
  });
  const platform = { login: jest.fn(async () => ({ code: 'c' })) };
  const api = createApiClient({ baseUrl: '', transport, getToken: () => session.token() });
  const session = createSession({ api, platform, store, now: () => NOW });
  return { loyalty: createLoyaltyService({ api, session }), requests, platform };
}

const entry = (id: string, amount: number) => ({
  id,
  amount,
  reason: 'order',
  note: `消费 +${amount}`,
  at: '2030-01-01T04:00:00Z',
});
const redemption: Redemption = {
  id: 'r1',
  itemId: '0123456789abcdef01234567',
  title: '帆布袋',
  pointsSpent: 500,
  pickupCode: '4821',
  couponId: null,
  status: 'awaiting_pickup',
  at: '2030-01-01T04:00:00Z',
  replayed: false,
};

describe('points history over the API', () => {
  it('pages with limit=20 and the previous page’s cursor, and stops at next=null', async () => {
    const { loyalty, requests } = setup({
      [`GET ${PointsPaths.myPointsHistory}?limit=20`]: () =>
        ok({ items: [entry('e3', 128), entry('e2', -500)], next: 'e2' }),
      [`GET ${PointsPaths.myPointsHistory}?limit=20&after=e2`]: () => ok({ items: [entry('e1', 5)], next: null }),
    });
    const pager = createPager({ load: (after) => loyalty.history(after), onChange: () => {} });
    await pager.loadMore();
    await pager.loadMore();
    await pager.loadMore();
    expect(pager.state().items.map((e) => e.amount)).toEqual([128, -500, 5]);
    expect(pager.state().done).toBe(true);
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/me/points/history?limit=20',
      '/api/v1/me/points/history?limit=20&after=e2',
    ]);
    expect(requests[0]?.headers.Authorization).toBe('Bearer tok-a');
  });

  it('logs in again once when the token expired mid-way', async () => {
    const { loyalty, platform } = setup({
      [`GET ${PointsPaths.myPoints}`]: (r) =>
        r.headers.Authorization === 'Bearer tok-b'
          ? ok({ points: 1280, nextExpiry: { points: 500, on: '2030-12-31' } })
          : fail(401, 'TOKEN_EXPIRED'),
    });
    await expect(loyalty.points()).resolves.toEqual({ points: 1280, nextExpiry: { points: 500, on: '2030-12-31' } });
    expect(platform.login).toHaveBeenCalledTimes(1);
  });
});

describe('shares', () => {
  it('a visit is reported once per link, and its failures stay quiet', async () => {
    const { loyalty, requests } = setup({
      [`POST ${SHARE_PATHS.shareVisits}`]: (r) =>
        (r.body as { shareId: string }).shareId === 'bad-share-id-0000'
          ? fail(404, 'NOT_FOUND', '分享链接无效')
          : ok({ credited: true }),
    });
    const visit = createShareVisitor(loyalty.visitShare);
    await visit('good-share-id-000');
    await visit('good-share-id-000');
    await expect(visit('bad-share-id-0000')).resolves.toBeUndefined();
    await visit(undefined);
    await visit('  ');
    expect(requests.map((r) => r.body)).toEqual([{ shareId: 'good-share-id-000' }, { shareId: 'bad-share-id-0000' }]);
  });

  it('builds the mini-program path and the H5 link to copy', () => {
    expect(sharePath('abc_DEF-123')).toBe('/pages/index/index?share=abc_DEF-123');
    expect(shareLink({ origin: 'http://localhost:3077', pathname: '/h5/' }, 'abc')).toBe(
      'http://localhost:3077/h5/#/pages/index/index?share=abc',
    );
  });
});

describe('points mall', () => {
  it('a server without the mall answers 404 ROUTE_NOT_FOUND: the page says it is coming', async () => {
    const { loyalty } = setup({
      [`GET ${LoyaltyPaths.mallItems}`]: () => fail(404, 'ROUTE_NOT_FOUND', '接口不存在'),
    });
    const error = await loyalty.mallItems().catch((e: unknown) => e);
    expect(mallNotBuilt(error)).toBe(true);
    expect(mallNotBuilt(new ApiError('NOT_FOUND', 'x', 404))).toBe(false);
  });

  it('redeeming resends the same key after a lost answer, and a new one after a clear answer', async () => {
    const answers: (() => HttpResponse)[] = [
      () => {
        throw new Error('timeout');
      },
      () => ok(redemption),
      () => fail(409, 'INSUFFICIENT_POINTS', '积分不足'),
      () => ok({ ...redemption, id: 'r2' }),
    ];
    const { loyalty, requests } = setup({
      [`POST ${LoyaltyPaths.myRedemptions}`]: () => (answers.shift() ?? (() => ok(redemption)))(),
    });
    let n = 0;
    const redeemer = createRedeemer(loyalty.redeem, () => `key-000${++n}`);
    const item = '0123456789abcdef01234567';

    await expect(redeemer.redeem(item)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(redeemer.redeem(item)).resolves.toMatchObject({ pickupCode: '4821' });
    await expect(redeemer.redeem(item)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS', message: '积分不足' });
    await redeemer.redeem(item);
    expect(requests.map((r) => (r.body as { idempotencyKey: string }).idempotencyKey)).toEqual([
      'key-0001',
      'key-0001',
      'key-0002',
      'key-0003',
    ]);
  });

  it.each([
    ['OUT_OF_STOCK', '已兑完'],
    ['LIMIT_REACHED', '已达到兑换上限'],
  ])('passes the server’s %s refusal on with its Chinese message', async (code, message) => {
    const { loyalty } = setup({ [`POST ${LoyaltyPaths.myRedemptions}`]: () => fail(409, code, message) });
    await expect(createRedeemer(loyalty.redeem).redeem('0123456789abcdef01234567')).rejects.toMatchObject({
      code,
      message,
      status: 409,
    });
  });

  it('reads the stock as members read it', () => {
    expect(stockText(null)).toBeNull();
    expect(stockText(0)).toBe('已兑完');
    expect(stockText(3)).toBe('仅剩 3 件');
    expect(stockText(50)).toBe('剩余 50 件');
  });
});

describe('idempotency keys', () => {
  it('are 8 to 64 characters, as the contract requires, and differ between actions', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-z]+-[0-9a-f]{16}$/);
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
  });

  it('an action key stays until renewed', () => {
    let n = 0;
    const key = createActionKey(() => `k${++n}`);
    expect([key.current(), key.current()]).toEqual(['k1', 'k1']);
    expect(key.renew()).toBe('k2');
    expect(key.current()).toBe('k2');
  });

  it('only a missing, failed or unreadable answer leaves the outcome unknown', () => {
    expect(outcomeUnknown(new ApiError('NETWORK_ERROR', 'x', 0))).toBe(true);
    expect(outcomeUnknown(new ApiError('INTERNAL', 'x', 500))).toBe(true);
    expect(outcomeUnknown(new ApiError('BAD_RESPONSE', 'x', 200))).toBe(true);
    expect(outcomeUnknown(new ApiError('OUT_OF_STOCK', '已兑完', 409))).toBe(false);
    expect(outcomeUnknown(new ApiError('VALIDATION_FAILED', 'x', 400))).toBe(false);
  });
});
