import { KEYS, type PayHarness, startPayHarness } from './pay-harness';

let h: PayHarness;
beforeAll(async () => {
  h = await startPayHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

const JSAPI = '/v3/pay/transactions/jsapi';
const query = (outTradeNo: string) =>
  h.v3('GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${KEYS.mchid}`);
const close = (outTradeNo: string) =>
  h.v3('POST', `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, { mchid: KEYS.mchid });

describe('POST /v3/pay/transactions/jsapi', () => {
  it('answers a prepay_id shaped like a real one', async () => {
    const reply = await h.v3('POST', JSAPI, h.orderBody('ORDER_0001'));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ prepay_id: expect.stringMatching(/^wx20260115100000[0-9a-f]{20}$/) });
  });

  it('gives the same prepay_id for the same parameters, a new one after two hours, 400 for other parameters', async () => {
    const first = await h.placeOrder('ORDER_0002', { time_expire: '2026-01-16T10:00:00+08:00', attach: 'a=1' });
    expect(await h.placeOrder('ORDER_0002', { time_expire: '2026-01-16T10:00:00+08:00', attach: 'a=1' })).toBe(first);
    const other = await h.v3('POST', JSAPI, h.orderBody('ORDER_0002', { amount: { total: 1, currency: 'CNY' } }));
    expect(other.status).toBe(400);
    expect(other.body).toEqual({ code: 'INVALID_REQUEST', message: expect.stringContaining('商户订单号重复') });
    h.sandbox.control.advanceClock(2 * 3600 * 1000);
    const renewed = await h.placeOrder('ORDER_0002', { time_expire: '2026-01-16T10:00:00+08:00', attach: 'a=1' });
    expect(renewed).not.toBe(first);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a 5-character out_trade_no', { out_trade_no: 'A1234' }, '/out_trade_no'],
    ['a 33-character out_trade_no', { out_trade_no: 'A'.repeat(33) }, '/out_trade_no'],
    ['an out_trade_no with a dot', { out_trade_no: 'ORDER.0001' }, '/out_trade_no'],
    ['a zero total', { amount: { total: 0, currency: 'CNY' } }, '/amount/total'],
    ['a fractional total', { amount: { total: 12.5, currency: 'CNY' } }, '/amount/total'],
    ['a string total', { amount: { total: '100', currency: 'CNY' } }, '/amount/total'],
    ['another currency', { amount: { total: 100, currency: 'USD' } }, '/amount/currency'],
    ['a 128-byte description', { description: `${'会'.repeat(42)}xx` }, '/description'],
    ['an empty description', { description: '' }, '/description'],
    ['a UTC "Z" time_expire', { time_expire: '2026-12-01T12:00:00Z' }, '/time_expire'],
    ['a time_expire with milliseconds', { time_expire: '2026-12-01T20:00:00.000+08:00' }, '/time_expire'],
    ['a time_expire without T', { time_expire: '2026-12-01 20:00:00+08:00' }, '/time_expire'],
    ['an impossible time_expire date', { time_expire: '2026-02-30T20:00:00+08:00' }, '/time_expire'],
    ['a past time_expire', { time_expire: '2026-01-15T09:59:59+08:00' }, '/time_expire'],
    ['a notify_url with a query', { notify_url: 'https://shop.example/notify?x=1' }, '/notify_url'],
    ['a relative notify_url', { notify_url: '/notify' }, '/notify_url'],
    ['an ftp notify_url', { notify_url: 'ftp://shop.example/notify' }, '/notify_url'],
    ['no payer', { payer: undefined }, '/payer'],
    ['no notify_url', { notify_url: undefined }, '/notify_url'],
  ])('refuses %s with 400 PARAM_ERROR naming the field', async (_name, override, field) => {
    const reply = await h.v3('POST', JSAPI, h.orderBody('ORDER_PARAM', override));
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      code: 'PARAM_ERROR',
      message: expect.stringContaining(`/body${field}`),
      detail: { location: 'body', field },
    });
  });

  it('accepts the boundaries: 6 and 32 characters of _-|*, 127 bytes, an offset other than +08:00', async () => {
    await h.placeOrder('a_-|*1');
    await h.placeOrder(`${'Z'.repeat(31)}*`, {
      description: `${'会'.repeat(42)}x`,
      time_expire: '2026-01-15T04:00:00+01:00',
    });
  });

  it('refuses another appid (APPID_MCHID_NOT_MATCH), another mchid, and a body that is not JSON', async () => {
    const appid = await h.v3('POST', JSAPI, h.orderBody('ORDER_0003', { appid: 'wx_other_app' }));
    expect([appid.status, appid.body.code]).toEqual([400, 'APPID_MCHID_NOT_MATCH']);
    const mchid = await h.v3('POST', JSAPI, h.orderBody('ORDER_0003', { mchid: '1230000109' }));
    expect([mchid.status, mchid.body.code]).toEqual([400, 'INVALID_REQUEST']);
    const text = await h.v3('POST', JSAPI, 'appid=wx');
    expect([text.status, text.body.code]).toEqual([400, 'PARAM_ERROR']);
  });

  it('refuses placing a paid order again (ORDERPAID) and a closed one (ORDER_CLOSED)', async () => {
    await h.placeOrder('ORDER_PAID');
    h.sandbox.control.pay('ORDER_PAID');
    expect((await h.v3('POST', JSAPI, h.orderBody('ORDER_PAID'))).body.code).toBe('ORDERPAID');
    await h.placeOrder('ORDER_SHUT');
    expect((await close('ORDER_SHUT')).status).toBe(204);
    const closed = await h.v3('POST', JSAPI, h.orderBody('ORDER_SHUT'));
    expect([closed.status, closed.body.code]).toEqual([400, 'ORDER_CLOSED']);
  });
});

describe('GET /v3/pay/transactions/… (query)', () => {
  it('answers NOTPAY for an unpaid order, without payment fields', async () => {
    await h.placeOrder('QUERY_0001', { attach: 'member=42' });
    const reply = await query('QUERY_0001');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      appid: KEYS.appid,
      mchid: KEYS.mchid,
      out_trade_no: 'QUERY_0001',
      trade_state: 'NOTPAY',
      trade_state_desc: '订单未支付',
      amount: { total: 1234, payer_currency: 'CNY' },
    });
  });

  it('answers SUCCESS with the payment, by out_trade_no and by transaction_id', async () => {
    await h.placeOrder('QUERY_0002', { attach: 'member=42' });
    h.clock.advance(60_000);
    const paid = h.sandbox.control.pay('QUERY_0002');
    const byOutTradeNo = await query('QUERY_0002');
    expect(byOutTradeNo.body).toEqual({
      appid: KEYS.appid,
      mchid: KEYS.mchid,
      out_trade_no: 'QUERY_0002',
      transaction_id: expect.stringMatching(/^4200001\d{3}20260115\d{10}$/),
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      attach: 'member=42',
      success_time: '2026-01-15T10:01:00+08:00',
      payer: { openid: 'o_payer_1' },
      amount: { total: 1234, payer_total: 1234, currency: 'CNY', payer_currency: 'CNY' },
    });
    expect(paid).toEqual(byOutTradeNo.body);
    const byId = await h.v3('GET', `/v3/pay/transactions/id/${paid.transaction_id}?mchid=${KEYS.mchid}`);
    expect(byId.body).toEqual(byOutTradeNo.body);
  });

  it('answers 404 ORDER_NOT_EXIST for unknown orders, PARAM_ERROR without mchid, INVALID_REQUEST for another', async () => {
    const unknown = await query('QUERY_NONE');
    expect([unknown.status, unknown.body]).toEqual([404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' }]);
    const byId = await h.v3('GET', `/v3/pay/transactions/id/4200001234202601151234567890?mchid=${KEYS.mchid}`);
    expect(byId.status).toBe(404);
    await h.placeOrder('QUERY_0003');
    expect((await h.v3('GET', '/v3/pay/transactions/out-trade-no/QUERY_0003')).body.code).toBe('PARAM_ERROR');
    const other = await h.v3('GET', '/v3/pay/transactions/out-trade-no/QUERY_0003?mchid=1230000109');
    expect(other.body.code).toBe('INVALID_REQUEST');
  });

  it('keeps an expired unpaid order NOTPAY (unpayable) until it is closed', async () => {
    await h.placeOrder('EXPIRE_001', { time_expire: '2026-01-15T10:10:00+08:00' });
    h.clock.advance(10 * 60 * 1000);
    expect((await query('EXPIRE_001')).body.trade_state).toBe('NOTPAY');
    expect(() => h.sandbox.control.pay('EXPIRE_001')).toThrow(/订单已过期/);
    expect((await close('EXPIRE_001')).status).toBe(204);
    expect((await query('EXPIRE_001')).body).toMatchObject({ trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
  });

  it('shows PAYERROR after a failed payment; the payer may then pay', async () => {
    const prepayId = await h.placeOrder('PAYERR_001');
    expect(h.sandbox.control.pay(prepayId, { result: 'fail' }).trade_state).toBe('PAYERROR');
    expect((await query('PAYERR_001')).body.trade_state).toBe('PAYERROR');
    expect(h.sandbox.control.pay(prepayId).trade_state).toBe('SUCCESS');
  });
});

describe('POST /v3/pay/transactions/out-trade-no/{no}/close', () => {
  it('closes unpaid orders (twice is fine), refuses paid ones and unknown ones', async () => {
    await h.placeOrder('CLOSE_0001');
    expect((await close('CLOSE_0001')).status).toBe(204);
    expect((await close('CLOSE_0001')).status).toBe(204);
    expect(() => h.sandbox.control.pay('CLOSE_0001')).toThrow(/订单已关闭/);
    await h.placeOrder('CLOSE_0002');
    h.sandbox.control.pay('CLOSE_0002');
    const paid = await close('CLOSE_0002');
    expect([paid.status, paid.body]).toEqual([400, { code: 'ORDERPAID', message: '订单已支付' }]);
    expect((await close('CLOSE_NONE')).status).toBe(404);
    const noMchid = await h.v3('POST', '/v3/pay/transactions/out-trade-no/CLOSE_0001/close', {});
    expect(noMchid.body.code).toBe('PARAM_ERROR');
  });
});

describe('control: pay', () => {
  it('pays by out_trade_no or prepay_id, over HTTP too, and refuses unknown and paid orders', async () => {
    const prepayId = await h.placeOrder('CONTROL_01');
    const paid = await h.post(`/__control/pay/orders/${prepayId}/pay`);
    expect([paid.status, paid.body.trade_state]).toEqual([200, 'SUCCESS']);
    const again = await h.post('/__control/pay/orders/CONTROL_01/pay', { result: 'fail' });
    expect([again.status, again.body.error.code]).toEqual([409, 'order_not_payable']);
    expect((await h.post('/__control/pay/orders/NOPE_00001/pay')).status).toBe(404);
    await h.placeOrder('CONTROL_02');
    expect((await h.post('/__control/pay/orders/CONTROL_02/pay', { result: 'fail' })).body.trade_state).toBe(
      'PAYERROR',
    );
  });
});
