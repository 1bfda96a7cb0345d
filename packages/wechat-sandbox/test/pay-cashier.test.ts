import vm from 'node:vm';
import { KEYS, type PayHarness, requestPaymentParams, startPayHarness } from './pay-harness';

let h: PayHarness;
beforeAll(async () => {
  h = await startPayHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

const timeStamp = () => String(Math.floor(h.sandbox.control.now() / 1000));
const cashierUrl = (params: Record<string, string>) => `/sandbox/pay/cashier?${new URLSearchParams(params)}`;
const confirm = (params: Record<string, string>, action: string) =>
  h.post('/sandbox/pay/cashier/confirm', { ...params, action });
const tradeState = async (outTradeNo: string) =>
  (await h.v3('GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${KEYS.mchid}`)).body.trade_state;

describe('GET /sandbox/pay/cashier (wx.requestPayment for the H5 build)', () => {
  it('shows the amount, description and merchant, with the three buttons', async () => {
    const prepayId = await h.placeOrder('CASHIER_01', { description: '会员年卡 <VIP>' });
    const page = await h.get(cashierUrl({ ...requestPaymentParams(KEYS, prepayId, timeStamp()) }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('¥12.34');
    expect(page.body).toContain('会员年卡 &lt;VIP&gt;');
    expect(page.body).toContain(KEYS.mchid);
    expect(page.body).toMatch(/id="wxpay-pay"[^>]*>确认支付</);
    expect(page.body).toMatch(/id="wxpay-cancel"[^>]*>取消</);
    expect(page.body).toMatch(/id="wxpay-fail"[^>]*>模拟失败</);
  });

  it.each<[string, (params: Record<string, string>) => Record<string, string>, RegExp]>([
    [
      'a paySign by another key',
      (p) => ({ ...p, paySign: Buffer.alloc(256, 1).toString('base64') }),
      /支付验证签名失败/,
    ],
    ['a changed timeStamp', (p) => ({ ...p, timeStamp: String(Number(p.timeStamp) + 1) }), /支付验证签名失败/],
    ['another appId', (p) => ({ ...p, appId: 'wx_other_app' }), /appId/],
    ['an unknown prepay_id', (p) => ({ ...p, package: 'prepay_id=wx_nope' }), /支付验证签名失败/],
    ['no paySign', ({ paySign: _, ...rest }) => rest, /缺少支付参数/],
    ['a javascript: return_url', (p) => ({ ...p, return_url: 'javascript:alert(1)' }), /return_url/],
  ])('shows an error and no pay button for %s', async (_name, change, error) => {
    const prepayId = await h.placeOrder('CASHIER_02');
    const page = await h.get(cashierUrl(change(requestPaymentParams(KEYS, prepayId, timeStamp()))));
    expect(page.status).toBe(400);
    expect(page.body).toMatch(error);
    expect(page.body).not.toContain('id="wxpay-pay"');
  });

  it('refuses a prepay_id signed correctly but unknown, expired (2 h) or of a paid or closed order', async () => {
    const expectError = async (params: Record<string, string>, error: RegExp) => {
      const page = await h.get(cashierUrl(params));
      expect(page.status).toBe(400);
      expect(page.body).toMatch(error);
      expect(page.body).not.toContain('id="wxpay-pay"');
    };
    await expectError(
      requestPaymentParams(KEYS, 'wx20260115100000abcdefabcdefabcdefab', timeStamp()),
      /prepay_id 无效/,
    );
    const stale = await h.placeOrder('CASHIER_03');
    h.sandbox.control.advanceClock(2 * 3600 * 1000);
    await expectError(requestPaymentParams(KEYS, stale, timeStamp()), /prepay_id 已失效/);
    const paid = await h.placeOrder('CASHIER_04');
    h.sandbox.control.pay('CASHIER_04');
    await expectError(requestPaymentParams(KEYS, paid, timeStamp()), /已支付/);
    const closed = await h.placeOrder('CASHIER_05');
    await h.v3('POST', '/v3/pay/transactions/out-trade-no/CASHIER_05/close', { mchid: KEYS.mchid });
    await expectError(requestPaymentParams(KEYS, closed, timeStamp()), /订单已关闭/);
  });
});

describe('POST /sandbox/pay/cashier/confirm', () => {
  it('pays: requestPayment:ok, the order is SUCCESS and TRANSACTION.SUCCESS reaches notify_url', async () => {
    const params = requestPaymentParams(KEYS, await h.placeOrder('CONFIRM_01'), timeStamp());
    const reply = await h.post(
      '/sandbox/pay/cashier/confirm',
      { ...params, action: 'pay' },
      {
        headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
      },
    );
    expect(reply.body).toEqual({ result: 'ok', errMsg: 'requestPayment:ok' });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(await tradeState('CONFIRM_01')).toBe('SUCCESS');
    await h.sandbox.control.flushNotifications();
    expect(h.receiver.received).toHaveLength(1);
    expect(JSON.parse(h.receiver.received[0]?.body ?? '{}').event_type).toBe('TRANSACTION.SUCCESS');
  });

  it('cancel leaves NOTPAY; fail makes PAYERROR; neither notifies', async () => {
    const params = requestPaymentParams(KEYS, await h.placeOrder('CONFIRM_02'), timeStamp());
    expect((await confirm(params, 'cancel')).body).toEqual({ result: 'cancel', errMsg: 'requestPayment:fail cancel' });
    expect(await tradeState('CONFIRM_02')).toBe('NOTPAY');
    const failed = await confirm(params, 'fail');
    expect(failed.body).toEqual({ result: 'fail', errMsg: expect.stringMatching(/^requestPayment:fail /) });
    expect(await tradeState('CONFIRM_02')).toBe('PAYERROR');
    await h.sandbox.control.flushNotifications();
    expect(h.receiver.received).toHaveLength(0);
    expect((await confirm(params, 'pay')).body.result).toBe('ok');
  });

  it('refuses a bad paySign, a second payment and a payment past time_expire, leaving the order as it was', async () => {
    const params = requestPaymentParams(KEYS, await h.placeOrder('CONFIRM_03'), timeStamp());
    const forged = await confirm({ ...params, nonceStr: 'other' }, 'pay');
    expect(forged.body).toEqual({ result: 'fail', errMsg: 'requestPayment:fail 支付验证签名失败' });
    expect(await tradeState('CONFIRM_03')).toBe('NOTPAY');
    expect((await confirm(params, 'pay')).body.result).toBe('ok');
    expect((await confirm(params, 'pay')).body.errMsg).toMatch(/^requestPayment:fail .*已支付/);

    const expiring = requestPaymentParams(
      KEYS,
      await h.placeOrder('CONFIRM_04', { time_expire: '2026-01-15T10:05:00+08:00' }),
      timeStamp(),
    );
    h.clock.advance(5 * 60 * 1000);
    const late = await confirm(expiring, 'pay');
    expect(late.body).toEqual({ result: 'fail', errMsg: expect.stringContaining('订单已过期') });
    expect(await tradeState('CONFIRM_04')).toBe('NOTPAY');
  });

  it('validates the body (400) and answers the CORS preflight', async () => {
    expect((await h.post('/sandbox/pay/cashier/confirm', { action: 'pay' })).status).toBe(400);
    const preflight = await h.get('/sandbox/pay/cashier/confirm', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });
});

/** Runs the page's script against a minimal DOM whose fetch goes to the sandbox. */
async function runPage(html: string, options: { opener: boolean }) {
  const data = /<script id="wxpay-data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  const buttons = [...html.matchAll(/<button type="button" id="([\w-]+)"[^>]*data-action="(\w+)"/g)].map(
    ([, id, action]) => {
      const listeners: Array<() => void> = [];
      return {
        id,
        disabled: false,
        getAttribute: () => action,
        addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
        click: () => {
          for (const listener of listeners) listener();
        },
      };
    },
  );
  const status = { textContent: '' };
  const messages: unknown[] = [];
  const window = {
    opener: options.opener ? { postMessage: (message: unknown) => messages.push(message) } : null,
    location: { href: 'http://127.0.0.1/sandbox/pay/cashier' },
  };
  const document = {
    getElementById: (id: string) => (id === 'wxpay-data' ? { textContent: data } : status),
    querySelectorAll: () => buttons,
  };
  const pageFetch = (path: string, init: RequestInit) => fetch(`${h.sandbox.url}${path}`, init);
  vm.runInNewContext(script, { window, document, fetch: pageFetch, JSON, Object, encodeURIComponent });
  return {
    async click(id: string) {
      buttons.find((button) => button.id === id)?.click();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { href: window.location.href, status: status.textContent, messages, buttons };
    },
  };
}

describe('the cashier page in the browser', () => {
  it.each([
    ['http://localhost:5173/#/pages/pay/result', 'http://localhost:5173/#/pages/pay/result?wxpay=ok'],
    ['http://localhost:5173/#/pages/pay/result?id=7', 'http://localhost:5173/#/pages/pay/result?id=7&wxpay=ok'],
    ['http://localhost:5173/pay?id=7', 'http://localhost:5173/pay?id=7&wxpay=ok'],
    ['http://localhost:5173/pay?id=7#/result', 'http://localhost:5173/pay?id=7#/result?wxpay=ok'],
  ])('pays and goes back to %s with wxpay appended at the end', async (returnUrl, expected) => {
    const prepayId = await h.placeOrder('BROWSER_01');
    const params = { ...requestPaymentParams(KEYS, prepayId, timeStamp()), return_url: returnUrl };
    const page = await runPage((await h.get(cashierUrl(params))).body, { opener: false });
    const after = await page.click('wxpay-pay');
    expect(after.href).toBe(expected);
    expect(after.status).toBe('requestPayment:ok');
    expect(after.buttons.every((button) => button.disabled)).toBe(true);
    expect(await tradeState('BROWSER_01')).toBe('SUCCESS');
  });

  it('tells the opener with postMessage, and reports cancel and fail too', async () => {
    const prepayId = await h.placeOrder('BROWSER_02');
    const params = { ...requestPaymentParams(KEYS, prepayId, timeStamp()), return_url: 'http://localhost:5173/' };
    const html = (await h.get(cashierUrl(params))).body;
    const cancelled = await (await runPage(html, { opener: true })).click('wxpay-cancel');
    expect(cancelled.messages).toEqual([{ type: 'wxpay', result: 'cancel' }]);
    expect(cancelled.href).toBe('http://localhost:5173/?wxpay=cancel');
    const failed = await (await runPage(html, { opener: true })).click('wxpay-fail');
    expect(failed.messages).toEqual([{ type: 'wxpay', result: 'fail' }]);
    expect(await tradeState('BROWSER_02')).toBe('PAYERROR');
  });

  it('offers a way back that reports the failure when the payment cannot start', async () => {
    const params = {
      ...requestPaymentParams(KEYS, 'wx_unknown', timeStamp()),
      return_url: 'http://localhost:5173/#/pay',
    };
    const after = await (await runPage((await h.get(cashierUrl(params))).body, { opener: true })).click('wxpay-back');
    expect(after.href).toBe('http://localhost:5173/#/pay?wxpay=fail');
    expect(after.messages).toEqual([{ type: 'wxpay', result: 'fail' }]);
    expect(after.status).toMatch(/^requestPayment:fail /);
  });
});
