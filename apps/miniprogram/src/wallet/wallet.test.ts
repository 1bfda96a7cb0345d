import { ApiPaths, WalletPaths } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { createKeyedAction } from '../loyalty/idempotency';
import { createPager } from '../loyalty/pager';
import { createSession, type StoredSession } from '../session/session';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { charge, memberCard, memoryStore, NOW, topUp, topUpPackage, wallet } from '../testing/fixtures';
import { createWalletService } from './wallet';

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
  return { wallet: createWalletService({ api, session }), requests };
}

const payment = {
  appId: 'wx1',
  timeStamp: '1700000000',
  nonceStr: 'n',
  package: 'prepay_id=wx1',
  signType: 'RSA',
  paySign: 's',
};

describe('wallet over the API', () => {
  it('reads the balance and the packages, whether the list comes bare or wrapped', async () => {
    const bare = setup({
      [`GET ${WalletPaths.myWallet}`]: () => ok(wallet),
      [`GET ${WalletPaths.packages}`]: () => ok([topUpPackage]),
    });
    await expect(bare.wallet.wallet()).resolves.toEqual(wallet);
    await expect(bare.wallet.packages()).resolves.toEqual([topUpPackage]);
    const wrapped = setup({ [`GET ${WalletPaths.packages}`]: () => ok({ packages: [topUpPackage] }) });
    await expect(wrapped.wallet.packages()).resolves.toEqual([topUpPackage]);
  });

  it('pages the history with limit and the previous page’s cursor (`cursor`, as the server names it)', async () => {
    const entry = (id: string) => ({
      id,
      kind: 'spend',
      amountFen: -10_000,
      principalFen: -9_091,
      bonusFen: -909,
      note: '西湖店',
      at: '2030-01-01T00:00:00Z',
    });
    const { wallet: service, requests } = setup({
      [`GET ${WalletPaths.myWalletHistory}?limit=20`]: () => ok({ entries: [entry('e2')], nextCursor: 'e2' }),
      [`GET ${WalletPaths.myWalletHistory}?limit=20&cursor=e2`]: () => ok({ entries: [entry('e1')], nextCursor: null }),
    });
    const pager = createPager({ load: (after) => service.history(after), onChange: () => {} });
    await pager.loadMore();
    await pager.loadMore();
    expect(pager.state()).toMatchObject({ done: true, items: [{ id: 'e2' }, { id: 'e1' }] });
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/me/wallet/history?limit=20',
      '/api/v1/me/wallet/history?limit=20&cursor=e2',
    ]);
  });

  it('pages the member’s top-ups (充值记录) the same way, newest first', async () => {
    const { wallet: service, requests } = setup({
      [`GET ${WalletPaths.myTopUps}?limit=20`]: () => ok({ topUps: [topUp({ id: 't2' })], nextCursor: 't2' }),
      [`GET ${WalletPaths.myTopUps}?limit=20&cursor=t2`]: () => ok({ topUps: [topUp()], nextCursor: null }),
    });
    const pager = createPager({ load: (after) => service.topUps(after), onChange: () => {} });
    await pager.loadMore();
    await pager.loadMore();
    expect(pager.state()).toMatchObject({ done: true, items: [{ id: 't2' }, { id: 't1' }] });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/me/wallet/top-ups?limit=20',
      'GET /api/v1/me/wallet/top-ups?limit=20&cursor=t2',
    ]);
  });

  it('creates a top-up with the key, confirms it and reads it back', async () => {
    const paid = topUp({ status: 'paid' });
    const { wallet: service, requests } = setup({
      [`POST ${WalletPaths.myTopUps}`]: () => ok({ topUp: topUp(), payment }),
      [`POST ${WalletPaths.myTopUpConfirm('t1')}`]: () => ok(paid),
      [`GET ${WalletPaths.myTopUp('t1')}`]: () => ok({ topUp: paid }),
      [`POST ${WalletPaths.myTopUpRefund('t1')}`]: () => ok({ accepted: true }),
    });
    await expect(service.createTopUp(topUpPackage.id, 'key-1')).resolves.toMatchObject({ payment });
    await expect(service.confirmTopUp('t1')).resolves.toEqual(paid);
    await expect(service.topUp('t1')).resolves.toEqual(paid);
    // An answer that is not a top-up is fine: the page reads the top-up again.
    await expect(service.refundTopUp('t1', 'key-2', '')).resolves.toBeNull();
    expect(requests.map((r) => r.body)).toEqual([
      { packageId: topUpPackage.id, idempotencyKey: 'key-1' },
      {},
      undefined,
      { idempotencyKey: 'key-2', reason: '' },
    ]);
  });

  it('reads the pending charge, confirms or declines it, and asks for a payment code', async () => {
    const { wallet: service, requests } = setup({
      [`GET ${WalletPaths.myPendingCharge}`]: () => ok({ charge: charge() }),
      [`POST ${WalletPaths.myChargeConfirm('c1')}`]: () =>
        ok({ charge: charge({ status: 'awaiting_payment', wechatFen: 100 }), payment }),
      [`POST ${WalletPaths.myChargeDecline('c1')}`]: () => ok(charge({ status: 'cancelled' })),
      [`GET ${WalletPaths.myCharge('c1')}`]: () => ok(charge({ status: 'completed' })),
      [`POST ${WalletPaths.myPayCode}`]: () => ok({ code: '123456789012345678', expiresAt: '2030-01-01T00:01:00Z' }),
    });
    await expect(service.pendingCharge()).resolves.toMatchObject({ id: 'c1' });
    await expect(service.confirmCharge('c1', 'key-1')).resolves.toMatchObject({ payment });
    await expect(service.declineCharge('c1')).resolves.toMatchObject({ status: 'cancelled' });
    await expect(service.charge('c1')).resolves.toMatchObject({ status: 'completed' });
    await expect(service.payCode()).resolves.toMatchObject({ code: '123456789012345678' });
    expect(requests[1]?.body).toEqual({ idempotencyKey: 'key-1' });
  });

  it('passes ROUTE_NOT_FOUND through for the pages to say 即将上线', async () => {
    const { wallet: service } = setup({
      [`GET ${WalletPaths.myWallet}`]: () => fail(404, 'ROUTE_NOT_FOUND', '接口不存在'),
      [`GET ${WalletPaths.myPendingCharge}`]: () => ok({ charge: null }),
    });
    await expect(service.wallet()).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404 });
    await expect(service.pendingCharge()).resolves.toBeNull();
  });
});

describe('createKeyedAction (a tap on a top-up package)', () => {
  it('resends the same key after a network error, and starts afresh after an answer or a refusal', async () => {
    let n = 0;
    const sent: string[] = [];
    const answers = ['network', 'ok', 'refused', 'ok'];
    const tap = createKeyedAction(
      async (packageId: string, key: string) => {
        sent.push(`${packageId}:${key}`);
        const answer = answers.shift();
        if (answer === 'network') throw new Error('timeout');
        if (answer === 'refused') throw new ApiError('LIMIT_REACHED', '已达到兑换上限', 409);
        return key;
      },
      () => `k${++n}`,
    );
    await expect(tap('p1')).rejects.toThrow('timeout');
    await expect(tap('p1')).resolves.toBe('k1');
    await expect(tap('p1')).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    await expect(tap('p1')).resolves.toBe('k3');
    expect(sent).toEqual(['p1:k1', 'p1:k1', 'p1:k2', 'p1:k3']);
  });
});
