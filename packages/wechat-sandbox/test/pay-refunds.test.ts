import { decryptResource, eventually, KEYS, type PayHarness, START_MS, startPayHarness } from './pay-harness';

let h: PayHarness;
beforeAll(async () => {
  h = await startPayHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

const REFUNDS = '/v3/refund/domestic/refunds';

async function paidOrder(outTradeNo: string): Promise<string> {
  await h.placeOrder(outTradeNo);
  return h.sandbox.control.pay(outTradeNo).transaction_id ?? '';
}

function refundBody(outTradeNo: string, outRefundNo: string, refund: number, overrides: Record<string, unknown> = {}) {
  return {
    out_trade_no: outTradeNo,
    out_refund_no: outRefundNo,
    reason: '会员退卡',
    notify_url: `${h.receiver.url}/wxpay/refund`,
    amount: { refund, total: 1234, currency: 'CNY' },
    ...overrides,
  };
}

const tradeState = async (outTradeNo: string) =>
  (await h.v3('GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${KEYS.mchid}`)).body.trade_state;

describe('POST /v3/refund/domestic/refunds', () => {
  it('accepts a refund as PROCESSING, then it succeeds and REFUND.SUCCESS is sent to its notify_url', async () => {
    const transactionId = await paidOrder('REFUND_001');
    h.clock.advance(60_000);
    const reply = await h.v3('POST', REFUNDS, refundBody('REFUND_001', 'R_REFUND_001', 1234));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      refund_id: expect.stringMatching(/^\d{29}$/),
      out_refund_no: 'R_REFUND_001',
      transaction_id: transactionId,
      out_trade_no: 'REFUND_001',
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      create_time: '2026-01-15T10:01:00+08:00',
      status: 'PROCESSING',
      funds_account: 'AVAILABLE',
      amount: {
        total: 1234,
        refund: 1234,
        payer_total: 1234,
        payer_refund: 1234,
        settlement_refund: 1234,
        settlement_total: 1234,
        discount_refund: 0,
        currency: 'CNY',
      },
    });
    expect((await h.v3('GET', `${REFUNDS}/R_REFUND_001`)).body.status).toBe('PROCESSING');
    await h.sandbox.control.flushNotifications();
    const queried = await h.v3('GET', `${REFUNDS}/R_REFUND_001`);
    expect(queried.body).toEqual({ ...reply.body, status: 'SUCCESS', success_time: '2026-01-15T10:01:00+08:00' });
    expect(await tradeState('REFUND_001')).toBe('REFUND');

    const refundNotice = h.receiver.received.find((r) => r.path === '/wxpay/refund');
    const envelope = JSON.parse(refundNotice?.body ?? '{}');
    expect(envelope).toMatchObject({
      event_type: 'REFUND.SUCCESS',
      summary: '退款成功',
      resource: { original_type: 'refund', associated_data: 'refund' },
    });
    expect(decryptResource(KEYS, envelope.resource)).toEqual({
      mchid: KEYS.mchid,
      out_trade_no: 'REFUND_001',
      transaction_id: transactionId,
      out_refund_no: 'R_REFUND_001',
      refund_id: reply.body.refund_id,
      refund_status: 'SUCCESS',
      success_time: '2026-01-15T10:01:00+08:00',
      user_received_account: '支付用户零钱',
      amount: { total: 1234, refund: 1234, payer_total: 1234, payer_refund: 1234 },
    });
  });

  it('succeeds on its own shortly after, without a flush', async () => {
    await paidOrder('REFUND_002');
    await h.v3('POST', REFUNDS, refundBody('REFUND_002', 'R_REFUND_002', 100));
    await eventually(() => expect(h.receiver.received.some((r) => r.path === '/wxpay/refund')).toBe(true), 3000);
  });

  it('is idempotent on out_refund_no: the same request returns that refund, another is refused', async () => {
    const transactionId = await paidOrder('REFUND_003');
    const first = await h.v3('POST', REFUNDS, refundBody('REFUND_003', 'R_REFUND_003', 500));
    const again = await h.v3('POST', REFUNDS, refundBody('REFUND_003', 'R_REFUND_003', 500));
    expect(again.body).toEqual(first.body);
    const other = await h.v3('POST', REFUNDS, refundBody('REFUND_003', 'R_REFUND_003', 600));
    expect([other.status, other.body.code]).toEqual([400, 'INVALID_REQUEST']);
    const byTransaction = await h.v3('POST', REFUNDS, {
      ...refundBody('REFUND_003', 'R_REFUND_03B', 700),
      out_trade_no: undefined,
      transaction_id: transactionId,
    });
    expect(byTransaction.body.out_trade_no).toBe('REFUND_003');
    const tooMuch = await h.v3('POST', REFUNDS, refundBody('REFUND_003', 'R_REFUND_03C', 35));
    expect([tooMuch.status, tooMuch.body]).toEqual([
      400,
      { code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' },
    ]);
    expect((await h.v3('POST', REFUNDS, refundBody('REFUND_003', 'R_REFUND_03C', 34))).status).toBe(200);
  });

  it('refuses a total other than the order total, unpaid and unknown orders, and malformed requests', async () => {
    await paidOrder('REFUND_004');
    const total = await h.v3('POST', REFUNDS, {
      ...refundBody('REFUND_004', 'R_REFUND_004', 100),
      amount: { refund: 100, total: 1000, currency: 'CNY' },
    });
    expect([total.status, total.body.code]).toEqual([400, 'INVALID_REQUEST']);
    await h.placeOrder('REFUND_005');
    const unpaid = await h.v3('POST', REFUNDS, refundBody('REFUND_005', 'R_REFUND_005', 100));
    expect([unpaid.status, unpaid.body.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
    expect((await h.v3('POST', REFUNDS, refundBody('REFUND_NONE', 'R_REFUND_006', 100))).status).toBe(404);
    const neither = await h.v3('POST', REFUNDS, { ...refundBody('x', 'R_REFUND_007', 100), out_trade_no: undefined });
    expect([neither.status, neither.body.code]).toEqual([400, 'PARAM_ERROR']);
    const noCurrency = await h.v3('POST', REFUNDS, {
      ...refundBody('REFUND_004', 'R_REFUND_008', 100),
      amount: { refund: 100, total: 1234 },
    });
    expect(noCurrency.body.detail).toEqual({ location: 'body', field: '/amount/currency' });
    const unknown = await h.v3('GET', `${REFUNDS}/R_NOPE`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
  });

  it('ends the next refund ABNORMAL or CLOSED on request; a closed refund frees its amount', async () => {
    await paidOrder('REFUND_009');
    h.sandbox.control.endNextRefund('ABNORMAL');
    await h.v3('POST', REFUNDS, refundBody('REFUND_009', 'R_REFUND_09A', 234));
    expect((await h.post('/__control/pay/refunds/next-outcome', { status: 'CLOSED' })).status).toBe(204);
    await h.v3('POST', REFUNDS, refundBody('REFUND_009', 'R_REFUND_09B', 1000));
    await h.sandbox.control.flushNotifications();
    expect((await h.v3('GET', `${REFUNDS}/R_REFUND_09A`)).body).toMatchObject({ status: 'ABNORMAL' });
    const closed = (await h.v3('GET', `${REFUNDS}/R_REFUND_09B`)).body;
    expect(closed.status).toBe('CLOSED');
    expect(closed).not.toHaveProperty('success_time');
    const events = h.receiver.received
      .filter((r) => r.path === '/wxpay/refund')
      .map((r) => JSON.parse(r.body))
      .map((e) => [e.event_type, e.summary, decryptResource(KEYS, e.resource).refund_status]);
    expect(events).toEqual([
      ['REFUND.ABNORMAL', '退款异常', 'ABNORMAL'],
      ['REFUND.CLOSED', '退款关闭', 'CLOSED'],
    ]);
    expect((await h.v3('POST', REFUNDS, refundBody('REFUND_009', 'R_REFUND_09C', 1000))).status).toBe(200);
  });

  it('sends nothing for a refund without notify_url', async () => {
    await paidOrder('REFUND_010');
    await h.v3('POST', REFUNDS, refundBody('REFUND_010', 'R_REFUND_010', 100, { notify_url: undefined }));
    await h.sandbox.control.flushNotifications();
    expect(h.sandbox.control.notifications({ eventType: 'REFUND.SUCCESS' })).toEqual([]);
    expect(h.clock.ms).toBe(START_MS);
  });
});
