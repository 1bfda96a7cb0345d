import { startWechatSandbox } from '../src';
import {
  authorization,
  decryptResource,
  eventually,
  KEYS,
  type PayHarness,
  type ReceivedNotification,
  START_MS,
  startPayHarness,
  startReceiver,
  verifyWechatpay,
} from './pay-harness';

let h: PayHarness;
beforeAll(async () => {
  h = await startPayHarness({ notifyRetryScale: 0.001, notifyTimeoutMs: 200 });
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

async function paidOrder(outTradeNo: string): Promise<void> {
  await h.placeOrder(outTradeNo);
  h.sandbox.control.pay(outTradeNo);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
const envelope = (received: ReceivedNotification | undefined): any => JSON.parse(received?.body ?? '{}');

describe('TRANSACTION.SUCCESS notifications', () => {
  it('POSTs an encrypted, signed envelope whose resource is the transaction as the query returns it', async () => {
    await h.placeOrder('NOTIFY_001', { attach: 'member=7' });
    h.clock.advance(30_000);
    const transaction = h.sandbox.control.pay('NOTIFY_001');
    await h.sandbox.control.flushNotifications();

    expect(h.receiver.received).toHaveLength(1);
    const [received] = h.receiver.received;
    expect(received?.path).toBe('/wxpay/notify');
    expect(received?.headers['content-type']).toBe('application/json');
    expect(received?.headers['wechatpay-serial']).toBe(KEYS.platformPublicKeyId);
    expect(received?.headers['wechatpay-timestamp']).toBe(String((START_MS + 30_000) / 1000));
    expect(verifyWechatpay(KEYS, received?.headers ?? {}, received?.body ?? '')).toBe(true);
    const body = envelope(received);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      create_time: '2026-01-15T10:00:30+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: expect.any(String),
        associated_data: 'transaction',
        nonce: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
      },
    });
    const plaintext = decryptResource(KEYS, body.resource);
    expect(plaintext).toEqual(transaction);
    const queried = await h.v3('GET', `/v3/pay/transactions/out-trade-no/NOTIFY_001?mchid=${KEYS.mchid}`);
    expect(plaintext).toEqual(queried.body);

    expect(h.sandbox.control.notifications()).toEqual([
      expect.objectContaining({
        id: body.id,
        eventType: 'TRANSACTION.SUCCESS',
        outTradeNo: 'NOTIFY_001',
        status: 'delivered',
        delivered: true,
        resource: transaction,
        attempts: [{ at: START_MS + 30_000, status: 200 }],
      }),
    ]);
  });

  it('retries a 500 (and a 201: only 200 and 204 count) with the same id and body but fresh signatures', async () => {
    h.receiver.answers = [500, 201, 204];
    await paidOrder('NOTIFY_002');
    await eventually(() => expect(h.sandbox.control.notifications()[0]?.delivered).toBe(true));
    const received = h.receiver.received;
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers['wechatpay-nonce'])).size).toBe(3);
    for (const r of received) expect(verifyWechatpay(KEYS, r.headers, r.body)).toBe(true);
    expect(h.sandbox.control.notifications()[0]?.attempts.map((a) => a.status)).toEqual([500, 201, 204]);
  });

  it('counts no answer within the timeout as a failure, then retries', async () => {
    h.receiver.answers = ['hang'];
    await paidOrder('NOTIFY_003');
    await eventually(() => expect(h.sandbox.control.notifications()[0]?.delivered).toBe(true));
    expect(h.sandbox.control.notifications()[0]?.attempts).toEqual([
      { at: START_MS, error: 'timeout' },
      { at: START_MS, status: 200 },
    ]);
  });

  it('gives up after the last of 15 retries (connection refused every time)', async () => {
    const gone = await startReceiver();
    await gone.stop();
    const sandbox = await startWechatSandbox({ pay: { keys: KEYS, notifyRetryScale: 0.00001 } });
    try {
      const path = '/v3/pay/transactions/jsapi';
      const body = JSON.stringify({
        ...h.orderBody('NOTIFY_004'),
        appid: KEYS.appid,
        notify_url: `${gone.url}/notify`,
      });
      const placed = await fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { Authorization: authorization(KEYS, 'POST', path, body, Math.floor(Date.now() / 1000)) },
        body,
      });
      expect(placed.status).toBe(200);
      sandbox.control.pay('NOTIFY_004');
      await eventually(() => expect(sandbox.control.notifications()[0]?.status).toBe('gave_up'), 5000);
      const [notification] = sandbox.control.notifications();
      expect(notification?.attempts).toHaveLength(16);
      expect(notification?.attempts[0]?.error).toBe('ECONNREFUSED');
      expect(notification?.delivered).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('notification controls', () => {
  it('duplicates the next notification N times at once (same id)', async () => {
    h.sandbox.control.duplicateNextNotification(3);
    await paidOrder('DUP_000001');
    await paidOrder('DUP_000002');
    await h.sandbox.control.flushNotifications();
    const ids = h.receiver.received.map((r) => envelope(r).id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    expect(h.sandbox.control.notifications({ outTradeNo: 'DUP_000001' })[0]?.attempts).toHaveLength(3);
  });

  it('holds notifications and releases them reversed or in a given order, one after another', async () => {
    h.sandbox.control.holdNotifications();
    for (const no of ['HOLD_00001', 'HOLD_00002', 'HOLD_00003']) await paidOrder(no);
    await h.sandbox.control.flushNotifications();
    expect(h.receiver.received).toHaveLength(0);
    expect(h.sandbox.control.notifications().map((n) => n.status)).toEqual(['held', 'held', 'held']);
    const ids = h.sandbox.control.notifications().map((n) => n.id);
    expect(await h.sandbox.control.releaseNotifications('reversed')).toEqual([...ids].reverse());
    expect(h.receiver.received.map((r) => envelope(r).id)).toEqual([...ids].reverse());

    h.receiver.received.length = 0;
    h.sandbox.control.holdNotifications();
    await paidOrder('HOLD_00004');
    await paidOrder('HOLD_00005');
    const [fourth, fifth] = h.sandbox.control
      .notifications()
      .slice(3)
      .map((n) => n.id);
    await expect(h.sandbox.control.releaseNotifications([fifth ?? ''])).rejects.toMatchObject({
      code: 'invalid_release_order',
    });
    expect(await h.sandbox.control.releaseNotifications([fifth ?? '', fourth ?? ''])).toEqual([fifth, fourth]);
    expect(h.receiver.received.map((r) => envelope(r).id)).toEqual([fifth, fourth]);
  });

  it('delays the next notifications (real time): flush does not wait for them', async () => {
    h.sandbox.control.delayNextNotifications(150, 2);
    await paidOrder('DELAY_0001');
    await paidOrder('DELAY_0002');
    await paidOrder('DELAY_0003');
    await h.sandbox.control.flushNotifications();
    expect(h.receiver.received.map((r) => decryptResource(KEYS, envelope(r).resource).out_trade_no)).toEqual([
      'DELAY_0003',
    ]);
    await eventually(() => expect(h.receiver.received).toHaveLength(3));
  });

  it.each([
    ['signature', (r: ReceivedNotification) => expect(verifyWechatpay(KEYS, r.headers, r.body)).toBe(false)],
    ['serial', (r: ReceivedNotification) => expect(r.headers['wechatpay-serial']).not.toBe(KEYS.platformPublicKeyId)],
    [
      'timestamp',
      (r: ReceivedNotification) => {
        expect(r.headers['wechatpay-timestamp']).toBe(String(START_MS / 1000 - 600));
        expect(verifyWechatpay(KEYS, r.headers, r.body)).toBe(true);
      },
    ],
    [
      'ciphertext',
      (r: ReceivedNotification) => {
        expect(verifyWechatpay(KEYS, r.headers, r.body)).toBe(true);
        expect(() => decryptResource(KEYS, envelope(r).resource)).toThrow();
      },
    ],
  ] as const)('corrupts the %s of the next delivery only; the retry is sound', async (kind, spoiled) => {
    h.sandbox.control.corruptNextNotification(kind);
    h.receiver.answers = [401];
    await paidOrder('CORRUPT_01');
    await eventually(() => expect(h.receiver.received).toHaveLength(2));
    const [bad, retry] = h.receiver.received;
    spoiled(bad as ReceivedNotification);
    expect(envelope(retry).id).toBe(envelope(bad).id);
    expect(verifyWechatpay(KEYS, retry?.headers ?? {}, retry?.body ?? '')).toBe(true);
    expect(retry?.headers['wechatpay-serial']).toBe(KEYS.platformPublicKeyId);
    expect(decryptResource(KEYS, envelope(retry).resource).out_trade_no).toBe('CORRUPT_01');
    expect(h.sandbox.control.notifications()[0]?.attempts.map((a) => a.corrupted)).toEqual([kind, undefined]);
  });

  it('resends a delivered notification (same id and body, fresh signature)', async () => {
    await paidOrder('RESEND_001');
    await h.sandbox.control.flushNotifications();
    const [notification] = h.sandbox.control.notifications();
    const attempt = await h.sandbox.control.resendNotification(notification?.id ?? '');
    expect(attempt).toEqual({ at: START_MS, status: 200 });
    const [first, again] = h.receiver.received;
    expect(again?.body).toBe(first?.body);
    expect(again?.headers['wechatpay-nonce']).not.toBe(first?.headers['wechatpay-nonce']);
    expect(h.sandbox.control.notifications()[0]?.attempts).toHaveLength(2);
    await expect(h.sandbox.control.resendNotification('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('works over /__control/pay/notifications', async () => {
    expect((await h.post('/__control/pay/notifications/hold')).status).toBe(204);
    expect((await h.post('/__control/pay/notifications/duplicate', { times: 2 })).status).toBe(204);
    await paidOrder('HTTP_00001');
    const held = await h.get('/__control/pay/notifications?out_trade_no=HTTP_00001');
    expect(held.body.notifications).toEqual([expect.objectContaining({ status: 'held', attempts: [] })]);
    const released = await h.post('/__control/pay/notifications/release', { order: 'fifo' });
    expect(released.body).toEqual({ released: [held.body.notifications[0].id] });
    expect(h.receiver.received).toHaveLength(2);

    expect((await h.post('/__control/pay/notifications/corrupt', { kind: 'serial' })).status).toBe(204);
    expect((await h.post('/__control/pay/notifications/delay', { ms: 10 })).status).toBe(204);
    await paidOrder('HTTP_00002');
    await eventually(() => expect(h.receiver.received).toHaveLength(3));
    expect(h.receiver.received[2]?.headers['wechatpay-serial']).not.toBe(KEYS.platformPublicKeyId);
    expect((await h.post('/__control/pay/notifications/flush')).status).toBe(204);

    const id = held.body.notifications[0].id;
    const resent = await h.post(`/__control/pay/notifications/${id}/resend`);
    expect(resent.body).toEqual({ at: expect.any(Number), status: 200 });
    expect((await h.post('/__control/pay/notifications/corrupt', { kind: 'body' })).status).toBe(400);
    expect((await h.post('/__control/pay/notifications/duplicate', { times: 0 })).status).toBe(400);
  });
});

describe('stop()', () => {
  it('cancels pending retries: nothing is sent after it', async () => {
    const receiver = await startReceiver();
    receiver.answers = [500];
    const sandbox = await startWechatSandbox({ pay: { keys: KEYS, notifyRetryScale: 0.002 } });
    const path = '/v3/pay/transactions/jsapi';
    const body = JSON.stringify({ ...h.orderBody('STOP_00001'), notify_url: `${receiver.url}/notify` });
    await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { Authorization: authorization(KEYS, 'POST', path, body, Math.floor(Date.now() / 1000)) },
      body,
    });
    sandbox.control.pay('STOP_00001');
    await sandbox.control.flushNotifications();
    expect(receiver.received).toHaveLength(1);
    await sandbox.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(1);
    await receiver.stop();
  });
});
