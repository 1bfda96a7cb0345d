import { createHmac, randomBytes } from 'node:crypto';
import { OpenApiPaths, OpenSalePaths, OpenSaleResult, openApiStringToSign, PurchaseResult } from '@member-hub/shared';
import { createStore, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let storeId: string;
let key: string;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  storeId = await createStore(hub, owner, 'POS1');
  key = (await request(hub.url, 'POST', OpenApiPaths.storeKey(storeId), { token: owner })).body.key;
});
afterAll(async () => {
  await hub.stop();
});

/** What a POS does: sign method, path, timestamp, nonce and the exact body bytes with the store key. */
function signed(
  path: string,
  body: unknown,
  opts: { key?: string; timestamp?: number; nonce?: string; store?: string } = {},
) {
  const raw = JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor(hub.clock.now() / 1000));
  const nonce = opts.nonce ?? randomBytes(12).toString('base64url');
  const signature = createHmac('sha256', opts.key ?? key)
    .update(openApiStringToSign('POST', path, timestamp, nonce, raw))
    .digest('base64');
  return request(hub.url, 'POST', path, {
    raw,
    headers: {
      'x-hub-store': opts.store ?? 'POS1',
      'x-hub-timestamp': timestamp,
      'x-hub-nonce': nonce,
      'x-hub-signature': signature,
    },
  });
}

const order = (externalOrderId: string, amountFen = 12_800) => ({
  externalOrderId,
  customer: { externalId: `cust-${externalOrderId}`, phone: '13912340000' },
  amountFen,
  items: [{ name: '拿铁', category: 'drink', amountFen }],
});

describe('open API for a POS', () => {
  it('records a signed order once per external id, enrolling the customer', async () => {
    const first = await signed(OpenApiPaths.orders, order('A-1001'));
    expect(first.status).toBe(201);
    expect(PurchaseResult.parse(first.body)).toMatchObject({ pointsEarned: 128, replayed: false });
    const again = await signed(OpenApiPaths.orders, order('A-1001'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderId: first.body.orderId, replayed: true });
    // The next order from the same customer lands on the same member.
    const second = await signed(OpenApiPaths.orders, { ...order('A-1002'), customer: { phone: '13912340000' } });
    expect(second.body.memberId).toBe(first.body.memberId);
  });

  it('refuses a replayed nonce, a stale timestamp, a wrong signature and an unknown store', async () => {
    const nonce = randomBytes(12).toString('base64url');
    expect((await signed(OpenApiPaths.orders, order('B-1'), { nonce })).status).toBe(201);
    const replay = await signed(OpenApiPaths.orders, order('B-1'), { nonce });
    expect(replay.body.error.code).toBe('REQUEST_REPLAYED');
    const stale = await signed(OpenApiPaths.orders, order('B-2'), {
      timestamp: Math.floor(hub.clock.now() / 1000) - 301,
    });
    expect(stale.body.error.code).toBe('TIMESTAMP_SKEW');
    const forged = await signed(OpenApiPaths.orders, order('B-3'), { key: 'not-the-key' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('SIGNATURE_INVALID');
    expect((await signed(OpenApiPaths.orders, order('B-4'), { store: 'NOPE' })).body.error.code).toBe(
      'SIGNATURE_INVALID',
    );
    const unsigned = await request(hub.url, 'POST', OpenApiPaths.orders, { json: order('B-5') });
    expect(unsigned.body.error.code).toBe('SIGNATURE_INVALID');
    expect(
      await hub.deps.conn.collection('orders').countDocuments({ externalId: { $in: ['B-2', 'B-3', 'B-4', 'B-5'] } }),
    ).toBe(0);
  });

  it('a body changed after signing is refused', async () => {
    const raw = JSON.stringify(order('C-1'));
    const timestamp = String(Math.floor(hub.clock.now() / 1000));
    const nonce = randomBytes(12).toString('base64url');
    const signature = createHmac('sha256', key)
      .update(openApiStringToSign('POST', OpenApiPaths.orders, timestamp, nonce, raw))
      .digest('base64');
    const res = await request(hub.url, 'POST', OpenApiPaths.orders, {
      raw: raw.replace('12800', '99900'),
      headers: {
        'x-hub-store': 'POS1',
        'x-hub-timestamp': timestamp,
        'x-hub-nonce': nonce,
        'x-hub-signature': signature,
      },
    });
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('refunds by external ids, once', async () => {
    await signed(OpenApiPaths.orders, order('D-1', 10_000));
    const body = { externalOrderId: 'D-1', externalRefundId: 'R-1', amountFen: 5_000 };
    const first = await signed(OpenApiPaths.refunds, body);
    expect(first.body).toMatchObject({ pointsReversed: 50, status: 'partially_refunded', replayed: false });
    expect((await signed(OpenApiPaths.refunds, body)).body).toMatchObject({ pointsReversed: 50, replayed: true });
  });

  it('records a walk-in sale (no member) once per external id, and its refunds once, touching no ledger', async () => {
    const members = await hub.deps.conn.collection('members').countDocuments();
    const entries = await hub.deps.conn.collection('ledger_entries').countDocuments();
    const sale = { externalSaleId: 'S-1', amountFen: 6_600, items: [{ name: '美式', amountFen: 6_600 }] };
    const first = await signed(OpenSalePaths.sales, sale);
    expect(first.status).toBe(201);
    expect(OpenSaleResult.parse(first.body)).toMatchObject({ amountFen: 6_600, status: 'paid', replayed: false });
    const again = await signed(OpenSalePaths.sales, sale);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ saleId: first.body.saleId, replayed: true });
    expect((await signed(OpenSalePaths.sales, { ...sale, amountFen: 7_000 })).body.error.code).toBe('ORDER_CONFLICT');
    expect((await signed(OpenSalePaths.sales, { externalSaleId: 'S-2', amountFen: 0 })).status).toBe(400);
    expect((await request(hub.url, 'POST', OpenSalePaths.sales, { json: sale })).status).toBe(401);

    const refund = { externalSaleId: 'S-1', externalRefundId: 'SR-1', amountFen: 1_600 };
    const refunded = await signed(OpenSalePaths.saleRefunds, refund);
    expect(refunded.body).toMatchObject({ refundedFen: 1_600, status: 'partially_refunded', replayed: false });
    expect((await signed(OpenSalePaths.saleRefunds, refund)).body).toMatchObject({
      refundedFen: 1_600,
      replayed: true,
    });
    const tooMuch = await signed(OpenSalePaths.saleRefunds, { ...refund, externalRefundId: 'SR-2', amountFen: 5_001 });
    expect(tooMuch.body.error).toMatchObject({ code: 'REFUND_NOT_ALLOWED', details: { refundableFen: 5_000 } });
    // Concurrent refunds of the rest: exactly one applies.
    const rest = await Promise.all(
      ['SR-3', 'SR-4'].map((id) =>
        signed(OpenSalePaths.saleRefunds, { ...refund, externalRefundId: id, amountFen: 5_000 }),
      ),
    );
    expect(rest.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(rest.find((r) => r.status === 200)?.body).toMatchObject({ refundedFen: 6_600, status: 'refunded' });
    expect((await signed(OpenSalePaths.saleRefunds, { ...refund, externalSaleId: 'nope' })).status).toBe(404);

    expect(await hub.deps.conn.collection('members').countDocuments()).toBe(members);
    expect(await hub.deps.conn.collection('ledger_entries').countDocuments()).toBe(entries);
  });

  it('a rotated key replaces the old one at once', async () => {
    const old = key;
    key = (await request(hub.url, 'POST', OpenApiPaths.storeKey(storeId), { token: owner })).body.key;
    expect((await signed(OpenApiPaths.orders, order('E-1'), { key: old })).body.error.code).toBe('SIGNATURE_INVALID');
    expect((await signed(OpenApiPaths.orders, order('E-1'))).status).toBe(201);
    const stored = await hub.deps.conn.collection('stores').findOne({ code: 'POS1' });
    expect(JSON.stringify(stored)).not.toContain(key); // kept encrypted
  });
});
