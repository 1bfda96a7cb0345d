import { type Harness, startHarness } from './harness';
import {
  type AuthOverrides,
  authorization,
  KEYS,
  type PayHarness,
  startPayHarness,
  verifyWechatpay,
} from './pay-harness';

let h: PayHarness;
beforeAll(async () => {
  h = await startPayHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

const QUERY_PATH = `/v3/pay/transactions/out-trade-no/UNKNOWN_001?mchid=${KEYS.mchid}`;

describe('request signatures (Authorization: WECHATPAY2-SHA256-RSA2048)', () => {
  it('accepts a request signed with the merchant key over method, path with query, timestamp, nonce and body', async () => {
    const reply = await h.v3('POST', '/v3/pay/transactions/jsapi', h.orderBody('AUTH_OK_001'));
    expect(reply.status).toBe(200);
    const query = await h.v3('GET', `/v3/pay/transactions/out-trade-no/AUTH_OK_001?mchid=${KEYS.mchid}`);
    expect(query.status).toBe(200);
  });

  it('answers a missing or malformed header with 401 SIGN_ERROR', async () => {
    for (const header of [undefined, 'Bearer x', 'WECHATPAY2-SHA256-RSA2048 mchid="1900000109"']) {
      const reply = await fetch(`${h.sandbox.url}${QUERY_PATH}`, { headers: header ? { Authorization: header } : {} });
      expect(reply.status).toBe(401);
      expect(await reply.json()).toEqual({
        code: 'SIGN_ERROR',
        message: expect.any(String),
        detail: expect.any(Object),
      });
    }
  });

  const now = () => Math.floor(h.clock.ms / 1000);
  it.each<[string, () => AuthOverrides]>([
    ['another mchid', () => ({ mchid: '1230000109' })],
    ['another serial', () => ({ serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })],
    ['another private key', () => ({ privateKeyPem: KEYS.platformPrivateKeyPem })],
    ['a path signed without its query', () => ({ signedPath: '/v3/pay/transactions/out-trade-no/UNKNOWN_001' })],
    ['a timestamp 301 s behind', () => ({ timestamp: now() - 301 })],
    ['a timestamp 301 s ahead', () => ({ timestamp: now() + 301 })],
  ])('refuses %s with 401 SIGN_ERROR', async (_name, overrides) => {
    const reply = await h.v3('GET', QUERY_PATH, undefined, overrides());
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('SIGN_ERROR');
  });

  it('accepts a clock skew of exactly five minutes', async () => {
    for (const timestamp of [now() - 300, now() + 300]) {
      expect((await h.v3('GET', QUERY_PATH, undefined, { timestamp })).body.code).toBe('ORDER_NOT_EXIST');
    }
  });

  it('refuses a body other than the signed one, echoing what it verified', async () => {
    const body = h.orderBody('AUTH_BODY_01');
    const reply = await h.v3('POST', '/v3/pay/transactions/jsapi', body, {
      signedBody: JSON.stringify({ ...body, amount: { total: 1, currency: 'CNY' } }),
    });
    expect(reply.status).toBe(401);
    expect(reply.body.detail).toMatchObject({
      field: 'signature',
      location: 'authorization',
      sign_information: { method: 'POST', url: '/v3/pay/transactions/jsapi' },
    });
  });
});

describe('answer signatures', () => {
  it('signs successes, errors and empty answers with the platform key, naming it by its public key id', async () => {
    await h.placeOrder('SIGNED_0001');
    const replies = [
      await h.v3('GET', `/v3/pay/transactions/out-trade-no/SIGNED_0001?mchid=${KEYS.mchid}`),
      await h.v3('GET', QUERY_PATH),
      await h.v3('GET', QUERY_PATH, undefined, { serial: 'WRONG' }),
      await h.v3('POST', '/v3/pay/transactions/out-trade-no/SIGNED_0001/close', { mchid: KEYS.mchid }),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([200, 404, 401, 204]);
    for (const reply of replies) {
      expect(reply.headers.get('wechatpay-serial')).toBe(KEYS.platformPublicKeyId);
      expect(reply.headers.get('wechatpay-timestamp')).toBe(String(Math.floor(h.clock.ms / 1000)));
      expect(reply.headers.get('wechatpay-nonce')).toMatch(/^[0-9a-f]{32}$/);
      expect(reply.headers.get('request-id')).toMatch(/^[0-9A-F]+$/);
      expect(verifyWechatpay(KEYS, reply.headers, reply.raw)).toBe(true);
      expect(verifyWechatpay(KEYS, reply.headers, `${reply.raw} `)).toBe(false);
    }
    expect(replies[3]?.raw).toBe('');
  });

  it('answers a WeChat-style 404 NOT_FOUND for the wrong method, and the generic 404 for unknown paths', async () => {
    const wrong = await h.v3('GET', '/v3/pay/transactions/jsapi');
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('NOT_FOUND');
    expect(verifyWechatpay(KEYS, wrong.headers, wrong.raw)).toBe(true);
    expect((await h.v3('GET', '/v3/certificates')).body.error.code).toBe('not_found');
  });
});

describe('failure injection on pay APIs', () => {
  it('answers the next calls with 500 SYSTEM_ERROR (signed), then recovers; the call log shows it', async () => {
    const injected = await h.post('/__control/failures', { api: 'pay_jsapi', errcode: 500, count: 2 });
    expect(injected.status).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      const reply = await h.v3('POST', '/v3/pay/transactions/jsapi', h.orderBody('FAULT_0001'));
      expect(reply.status).toBe(500);
      expect(reply.body).toEqual({ code: 'SYSTEM_ERROR', message: '系统错误' });
      expect(verifyWechatpay(KEYS, reply.headers, reply.raw)).toBe(true);
    }
    expect((await h.v3('POST', '/v3/pay/transactions/jsapi', h.orderBody('FAULT_0001'))).status).toBe(200);
    expect((await h.get('/__control/calls?api=pay_jsapi')).body.calls).toEqual([
      expect.objectContaining({ errcode: 500, code: 'SYSTEM_ERROR' }),
      expect.objectContaining({ errcode: 500, code: 'SYSTEM_ERROR' }),
      expect.objectContaining({ errcode: 0 }),
    ]);
  });

  it('takes a custom code and message, and refuses a non-HTTP errcode or a code on a WeChat API', async () => {
    await h.post('/__control/failures', { api: 'pay_refund', errcode: 429, errmsg: '请求太频繁' });
    await h.post('/__control/failures', { api: 'pay_query_out_trade_no', errcode: 503 });
    expect((await h.v3('POST', '/v3/refund/domestic/refunds', {})).body).toEqual({
      code: 'FREQUENCY_LIMITED',
      message: '请求太频繁',
    });
    expect((await h.v3('GET', QUERY_PATH)).body.code).toBe('SYSTEM_ERROR');
    expect((await h.post('/__control/failures', { api: 'pay_jsapi', errcode: 40001 })).status).toBe(400);
    const wechat = await h.post('/__control/failures', { api: 'stable_token', errcode: -1, code: 'SYSTEM_ERROR' });
    expect(wechat.status).toBe(400);
  });

  it('delays answers with injected latency (for client timeouts)', async () => {
    await h.post('/__control/latency', { api: 'pay_query_out_trade_no', ms: 120 });
    const started = Date.now();
    await h.v3('GET', QUERY_PATH);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});

describe('a sandbox started without pay', () => {
  let plain: Harness;
  beforeAll(async () => {
    plain = await startHarness();
  });
  afterAll(() => plain.sandbox.stop());

  it('answers the pay routes like unknown routes, and pay controls with 404 pay_disabled', async () => {
    const path = '/v3/pay/transactions/jsapi';
    const reply = await plain.post(
      path,
      {},
      { headers: { Authorization: authorization(KEYS, 'POST', path, '{}', 0) } },
    );
    expect(reply.status).toBe(404);
    expect(reply.body.errcode).toBe(404);
    expect((await plain.get('/sandbox/pay/cashier')).status).toBe(404);
    const control = await plain.get('/__control/pay/notifications');
    expect(control.status).toBe(404);
    expect(control.body.error.code).toBe('pay_disabled');
    await expect(plain.sandbox.control.flushNotifications()).rejects.toMatchObject({ code: 'pay_disabled' });
  });
});
