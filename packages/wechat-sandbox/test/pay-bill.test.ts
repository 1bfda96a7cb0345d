import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { authorization, KEYS, type PayHarness, startPayHarness } from './pay-harness';

let h: PayHarness;
beforeAll(async () => {
  h = await startPayHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

const HOUR = 3600 * 1000;
const tradeBill = (date: string, extra = '') =>
  h.v3('GET', `/v3/bill/tradebill?bill_date=${date}&bill_type=ALL${extra}`);

/** A signed GET of the download_url, as the merchant makes it. */
async function download(url: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const { pathname, search } = new URL(url);
  const path = `${pathname}${search}`;
  const response = await fetch(url, {
    headers: { Authorization: authorization(KEYS, 'GET', path, '', Math.floor(h.sandbox.control.now() / 1000)) },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Two payments on 2026-01-15 (China time), a partial refund of the first, a payment on the 16th. */
async function tradeDay(): Promise<{ first: string; second: string; refundId: string }> {
  await h.placeOrder('BILL_00001', { attach: 'member=1' });
  const first = h.sandbox.control.pay('BILL_00001').transaction_id ?? '';
  h.clock.advance(HOUR);
  await h.placeOrder('BILL_00002', { amount: { total: 9900, currency: 'CNY' }, description: '年卡' });
  const second = h.sandbox.control.pay('BILL_00002').transaction_id ?? '';
  h.clock.advance(HOUR);
  const refund = await h.v3('POST', '/v3/refund/domestic/refunds', {
    out_trade_no: 'BILL_00001',
    out_refund_no: 'R_BILL_0001',
    amount: { refund: 234, total: 1234, currency: 'CNY' },
  });
  await h.sandbox.control.flushNotifications();
  h.clock.advance(14 * HOUR); // 2026-01-16 02:00 China
  await h.placeOrder('BILL_00003');
  h.sandbox.control.pay('BILL_00003');
  h.clock.advance(6 * HOUR); // 2026-01-16 08:00 China: the 15th's bill is ready
  return { first, second, refundId: refund.body.refund_id };
}

describe('GET /v3/bill/tradebill + download', () => {
  it("lists the day's payments and refunds in WeChat's ALL layout, with a SHA1 of the file", async () => {
    const { first, second, refundId } = await tradeDay();
    const applied = await tradeBill('2026-01-15');
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({
      hash_type: 'SHA1',
      hash_value: expect.stringMatching(/^[0-9a-f]{40}$/),
      download_url: expect.stringMatching(new RegExp(`^${h.sandbox.url}/v3/billdownload/file\\?token=\\w+$`)),
    });

    const file = await download(applied.body.download_url);
    expect(file.status).toBe(200);
    expect(file.headers.get('wechatpay-signature')).toBeNull();
    expect(createHash('sha1').update(file.bytes).digest('hex')).toBe(applied.body.hash_value);
    const lines = file.bytes.toString('utf8').split('\r\n');
    expect(lines).toEqual([
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
      `\`2026-01-15 10:00:00,\`${KEYS.appid},\`${KEYS.mchid},\`0,\`,\`${first},\`BILL_00001,\`o_payer_1,\`JSAPI,\`SUCCESS,\`OTHERS,\`CNY,\`12.34,\`0.00,\`0,\`0,\`0.00,\`0.00,\`,\`,\`会员卡充值,\`member=1,\`0.07000,\`0.60%,\`12.34,\`0.00,\``,
      `\`2026-01-15 11:00:00,\`${KEYS.appid},\`${KEYS.mchid},\`0,\`,\`${second},\`BILL_00002,\`o_payer_1,\`JSAPI,\`SUCCESS,\`OTHERS,\`CNY,\`99.00,\`0.00,\`0,\`0,\`0.00,\`0.00,\`,\`,\`年卡,\`,\`0.59000,\`0.60%,\`99.00,\`0.00,\``,
      `\`2026-01-15 10:00:00,\`${KEYS.appid},\`${KEYS.mchid},\`0,\`,\`${first},\`BILL_00001,\`o_payer_1,\`JSAPI,\`REFUND,\`OTHERS,\`CNY,\`0.00,\`0.00,\`${refundId},\`R_BILL_0001,\`2.34,\`0.00,\`ORIGINAL,\`SUCCESS,\`会员卡充值,\`member=1,\`-0.01000,\`0.60%,\`0.00,\`2.34,\``,
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      '`3,`111.34,`2.34,`0.00,`0.65000,`111.34,`2.34',
      '',
    ]);
  });

  it('gzips the file for tar_type=GZIP (the hash stays that of the bill itself)', async () => {
    await tradeDay();
    const plain = await tradeBill('2026-01-15');
    const gzipped = await tradeBill('2026-01-15', '&tar_type=GZIP');
    expect(gzipped.body.hash_value).toBe(plain.body.hash_value);
    const file = await download(gzipped.body.download_url);
    expect(createHash('sha1').update(gunzipSync(file.bytes)).digest('hex')).toBe(plain.body.hash_value);
  });

  it('answers STATEMENT_CREATING until 08:00 the next day, NO_STATEMENT_EXIST for a quiet day', async () => {
    await h.placeOrder('BILL_00004');
    h.sandbox.control.pay('BILL_00004');
    const today = await tradeBill('2026-01-15');
    expect([today.status, today.body.code]).toEqual([400, 'STATEMENT_CREATING']);
    h.clock.advance(22 * HOUR - 1); // 2026-01-16 07:59:59.999 China
    expect((await tradeBill('2026-01-15')).body.code).toBe('STATEMENT_CREATING');
    h.clock.advance(1);
    expect((await tradeBill('2026-01-15')).status).toBe(200);
    const quiet = await tradeBill('2026-01-14');
    expect([quiet.status, quiet.body]).toEqual([400, { code: 'NO_STATEMENT_EXIST', message: '账单文件不存在' }]);
  });

  it('refuses future, old (over three months) and malformed dates, and other bill types', async () => {
    expect((await tradeBill('2026-01-17')).body.code).toBe('INVALID_REQUEST');
    expect((await tradeBill('2025-10-14')).body.code).toBe('INVALID_REQUEST');
    expect((await tradeBill('2025-10-15')).body.code).toBe('NO_STATEMENT_EXIST');
    for (const date of ['2026-1-15', '20260115', '2026-02-30']) {
      expect((await tradeBill(date)).body).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/bill_date' } });
    }
    const success = await h.v3('GET', '/v3/bill/tradebill?bill_date=2026-01-14&bill_type=SUCCESS');
    expect(success.body).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/bill_type' } });
  });

  it('checks the Authorization of downloads, and the link works for 30 seconds', async () => {
    await tradeDay();
    const { download_url: url } = (await tradeBill('2026-01-15')).body;
    const unsigned = await fetch(url);
    expect(unsigned.status).toBe(401);
    h.clock.advance(29_999);
    expect((await download(url)).status).toBe(200);
    h.clock.advance(1);
    const expired = await download(url);
    expect(expired.status).toBe(400);
    expect(JSON.parse(expired.bytes.toString()).code).toBe('INVALID_REQUEST');
  });
});
