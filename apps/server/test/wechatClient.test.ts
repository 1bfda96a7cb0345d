import {
  fitSubscribeData,
  fitSubscribeField,
  SubscribeFieldError,
  type SubscribeFieldInput,
  type SubscribeFieldType,
  type SubscribeFieldValue,
} from '@member-hub/shared';
import {
  isValidSubscribeValue,
  type SubscribeFieldType as SandboxFieldType,
  SUBSCRIBE_FIELD_TYPES,
  SUBSCRIBE_TEMPLATES,
  type SubscribeTemplate,
  startWechatSandbox,
} from '@member-hub/wechat-sandbox';
import fc from 'fast-check';
import { WechatApiError, WechatClient, WechatUnavailableError } from '../src/wechat/client';
import { request } from './helpers/http';

const APP = { appid: 'wx_client_test', secret: 'client_test_secret' };
let sandbox: Awaited<ReturnType<typeof startWechatSandbox>>;
let t = Date.now();
const now = () => t;
const client = () => new WechatClient({ baseUrl: sandbox.url, ...APP, now });
const tokenCalls = async () =>
  (await request(sandbox.url, 'GET', '/__control/calls?api=stable_token')).body.calls.length as number;

beforeAll(async () => {
  sandbox = await startWechatSandbox({ port: 0, apps: [APP], now });
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await request(sandbox.url, 'POST', '/__control/reset');
});

describe('WeChat client against the sandbox', () => {
  it('exchanges a login code for openid, unionid and session key', async () => {
    const { body } = await request(sandbox.url, 'POST', '/__control/login-codes', {
      json: { appid: APP.appid, openid: 'o-abc' },
    });
    const session = await client().code2Session(body.code);
    expect(session.openid).toBe('o-abc');
    expect(session.sessionKey).toEqual(expect.any(String));
  });

  it('surfaces WeChat error codes as WechatApiError', async () => {
    await expect(client().code2Session('bogus')).rejects.toMatchObject({ errcode: 40029 });
    await expect(client().code2Session('bogus')).rejects.toBeInstanceOf(WechatApiError);
  });

  it('fetches the access token once for many concurrent callers, then serves it from cache', async () => {
    const c = client();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => c.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    await c.getAccessToken();
    expect(await tokenCalls()).toBe(1);
  });

  it('refreshes the token when it nears expiry', async () => {
    const c = client();
    await c.getAccessToken();
    t += 7200 * 1000;
    await c.getAccessToken();
    expect(await tokenCalls()).toBe(2);
  });

  it('on 40001 (token invalidated) refreshes once and retries once', async () => {
    const c = client();
    const { body } = await request(sandbox.url, 'POST', '/__control/phone-codes', {
      json: { phoneNumber: '13800138000' },
    });
    await c.getAccessToken();
    await request(sandbox.url, 'POST', '/__control/tokens/invalidate');
    const phone = await c.getPhoneNumber(body.code);
    expect(phone.purePhoneNumber).toBe('13800138000');
    expect(await tokenCalls()).toBe(2);
  });

  it('on 42001 (token expired at WeChat) refreshes once and retries once', async () => {
    const c = client();
    const { body } = await request(sandbox.url, 'POST', '/__control/phone-codes', {
      json: { phoneNumber: '13900139000' },
    });
    await c.getAccessToken();
    await request(sandbox.url, 'POST', '/__control/tokens/expire');
    expect((await c.getPhoneNumber(body.code)).countryCode).toBe('86');
  });

  describe('getUnlimitedQrCode', () => {
    const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    it('returns the PNG bytes, and WeChat records the code', async () => {
      const png = await client().getUnlimitedQrCode({
        scene: 'm=abc123',
        page: 'pages/member/index',
        width: 280,
        checkPath: false,
        envVersion: 'trial',
      });
      expect(png).toBeInstanceOf(Buffer);
      expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(png.readUInt32BE(16)).toBe(280); // IHDR width
      expect(sandbox.control.wxacodes()).toEqual([
        expect.objectContaining({
          appid: APP.appid,
          scene: 'm=abc123',
          page: 'pages/member/index',
          width: 280,
          check_path: false,
          env_version: 'trial',
        }),
      ]);
    });

    it('sends only the fields given, so WeChat applies its defaults', async () => {
      await client().getUnlimitedQrCode({ scene: 'a1', page: 'pages/index/index' });
      expect(sandbox.control.wxacodes()).toEqual([
        expect.objectContaining({ width: 430, check_path: true, env_version: 'release' }),
      ]);
    });

    it('throws WechatApiError 40169 for a scene of 33 characters', async () => {
      const attempt = client().getUnlimitedQrCode({ scene: 'a'.repeat(33), page: 'pages/index/index' });
      await expect(attempt).rejects.toBeInstanceOf(WechatApiError);
      await expect(attempt).rejects.toMatchObject({ api: 'getwxacodeunlimit', errcode: 40169 });
    });

    it('throws WechatApiError 41030 for a page with a leading slash', async () => {
      await expect(client().getUnlimitedQrCode({ scene: 'a1', page: '/pages/index/index' })).rejects.toMatchObject({
        errcode: 41030,
      });
    });

    it('on 40001 or 42001 refreshes the token once and retries once', async () => {
      const c = client();
      await c.getAccessToken();
      await request(sandbox.url, 'POST', '/__control/tokens/invalidate');
      expect((await c.getUnlimitedQrCode({ scene: 'a1', page: 'pages/index/index' })).subarray(0, 8)).toEqual(
        PNG_SIGNATURE,
      );
      await request(sandbox.url, 'POST', '/__control/tokens/expire');
      expect((await c.getUnlimitedQrCode({ scene: 'a2', page: 'pages/index/index' })).subarray(0, 8)).toEqual(
        PNG_SIGNATURE,
      );
      expect(await tokenCalls()).toBe(3);
    });

    it('does not retry other errors, and surfaces an injected failure', async () => {
      const c = client();
      await request(sandbox.url, 'POST', '/__control/failures', {
        json: { api: 'getwxacodeunlimit', errcode: -1 },
      });
      await expect(c.getUnlimitedQrCode({ scene: 'a1', page: 'pages/index/index' })).rejects.toMatchObject({
        errcode: -1,
      });
      const { body } = await request(sandbox.url, 'GET', '/__control/calls?api=getwxacodeunlimit');
      expect(body.calls).toHaveLength(1);
    });

    it('reports an unreachable WeChat as unavailable', async () => {
      const dead = new WechatClient({ baseUrl: 'http://127.0.0.1:1', ...APP, now, timeoutMs: 500 });
      await expect(dead.getUnlimitedQrCode({ scene: 'a1', page: 'pages/index/index' })).rejects.toBeInstanceOf(
        WechatUnavailableError,
      );
    });
  });

  it('reports an unreachable WeChat as unavailable', async () => {
    const dead = new WechatClient({ baseUrl: 'http://127.0.0.1:1', ...APP, now, timeoutMs: 500 });
    await expect(dead.code2Session('x')).rejects.toBeInstanceOf(WechatUnavailableError);
  });
});

describe('sendSubscribeMessage against the sandbox', () => {
  const OPENID = 'o-subscriber';
  const byKey = (key: string): SubscribeTemplate => {
    const found = SUBSCRIBE_TEMPLATES.find((template) => template.key === key);
    if (!found) throw new Error(`no sandbox template ${key}`);
    return found;
  };
  const POINTS = byKey('points_changed');
  const examples = (template: SubscribeTemplate, overrides: Record<string, string> = {}) => ({
    ...Object.fromEntries(template.fields.map((field) => [field.key, field.example])),
    ...overrides,
  });
  const messages = () => sandbox.control.messages({ openid: OPENID });

  /** The member opened the mini-program (login code) and accepted `template` `count` times. */
  async function consent(template: SubscribeTemplate = POINTS, count = 1, openid = OPENID) {
    await request(sandbox.url, 'POST', '/__control/login-codes', { json: { appid: APP.appid, openid } });
    const granted = await request(sandbox.url, 'POST', '/__control/subscriptions', {
      json: { appid: APP.appid, openid, template_ids: [template.template_id], count },
    });
    expect(granted.status).toBe(201);
  }

  function failNext(failure: Record<string, unknown>) {
    return request(sandbox.url, 'POST', '/__control/failures', { json: { api: 'subscribe_send', ...failure } });
  }

  it('sends, returning WeChat’s int64 msgid digit for digit, and the sandbox logs what was sent', async () => {
    await consent();
    const result = await client().sendSubscribeMessage({
      openid: OPENID,
      templateId: POINTS.template_id,
      page: 'pages/points/index?tab=log',
      data: examples(POINTS),
      state: 'trial',
      lang: 'zh_TW',
    });
    const [logged] = messages();
    expect(result).toEqual({ ok: true, msgid: logged?.msgid });
    expect(logged?.msgid).toMatch(/^\d{19}$/);
    expect(logged).toMatchObject({
      template_id: POINTS.template_id,
      page: 'pages/points/index?tab=log',
      miniprogram_state: 'trial',
      lang: 'zh_TW',
      data: Object.fromEntries(POINTS.fields.map((field) => [field.key, { value: field.example }])),
    });
  });

  it('sends only the fields given, so WeChat applies its defaults', async () => {
    await consent();
    const result = await client().sendSubscribeMessage({
      openid: OPENID,
      templateId: POINTS.template_id,
      data: examples(POINTS),
    });
    expect(result.ok).toBe(true);
    const [logged] = messages();
    expect(logged).toMatchObject({ miniprogram_state: 'formal', lang: 'zh_CN' });
    expect(logged).not.toHaveProperty('page');
  });

  it('one consent, one message: the second send is no_quota (43101)', async () => {
    await consent();
    const c = client();
    const send = () =>
      c.sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: examples(POINTS) });
    expect((await send()).ok).toBe(true);
    expect(await send()).toEqual({ ok: false, kind: 'no_quota', errcode: 43101, errmsg: expect.any(String) });
    expect(messages()).toHaveLength(1);
  });

  it('bad_field names the keyword (47003), or the page (41030), and spends no consent', async () => {
    await consent();
    const c = client();
    const tooLong = await c.sendSubscribeMessage({
      openid: OPENID,
      templateId: POINTS.template_id,
      data: examples(POINTS, { thing1: '这是一段超过二十个字的积分变动原因说明文字啊' }),
    });
    expect(tooLong).toEqual({
      ok: false,
      kind: 'bad_field',
      field: 'thing1',
      errcode: 47003,
      errmsg: expect.stringContaining('data.thing1.value invalid'),
    });
    const { phrase5: _, ...missing } = examples(POINTS);
    expect(
      await c.sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: missing }),
    ).toMatchObject({ kind: 'bad_field', field: 'phrase5' });
    expect(
      await c.sendSubscribeMessage({
        openid: OPENID,
        templateId: POINTS.template_id,
        data: examples(POINTS),
        page: 'pages//index',
      }),
    ).toMatchObject({ kind: 'bad_field', field: 'page', errcode: 41030 });
    expect(
      await c.sendSubscribeMessage({
        openid: OPENID,
        templateId: POINTS.template_id,
        data: examples(POINTS),
        lang: 'fr_FR' as 'zh_CN',
      }),
    ).toMatchObject({ kind: 'bad_field', field: 'lang', errcode: 47003 });
    expect(sandbox.control.subscribeQuotas({ openid: OPENID })[0]?.remaining).toBe(1);
  });

  it('bad_user for an openid the app does not know (40003), bad_template for an unknown template (40037)', async () => {
    await consent();
    const c = client();
    expect(
      await c.sendSubscribeMessage({ openid: 'o-stranger', templateId: POINTS.template_id, data: examples(POINTS) }),
    ).toEqual({ ok: false, kind: 'bad_user', errcode: 40003, errmsg: expect.any(String) });
    expect(
      await c.sendSubscribeMessage({ openid: OPENID, templateId: 'no-such-template', data: examples(POINTS) }),
    ).toEqual({ ok: false, kind: 'bad_template', errcode: 40037, errmsg: expect.any(String) });
  });

  it('on 40001 or 42001 refreshes the token once and sends', async () => {
    await consent(POINTS, 2);
    const c = client();
    await c.getAccessToken();
    await request(sandbox.url, 'POST', '/__control/tokens/invalidate');
    const send = () =>
      c.sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: examples(POINTS) });
    expect((await send()).ok).toBe(true);
    await request(sandbox.url, 'POST', '/__control/tokens/expire');
    expect((await send()).ok).toBe(true);
    expect(await tokenCalls()).toBe(3);
    expect(messages()).toHaveLength(2);
  });

  it('classifies -1, a 5xx page and an unreachable WeChat as transient, and sends on the next try', async () => {
    await consent();
    const c = client();
    const send = () =>
      c.sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: examples(POINTS) });
    await failNext({ errcode: -1 });
    expect(await send()).toEqual({
      ok: false,
      kind: 'transient',
      errcode: -1,
      errmsg: expect.stringMatching(/^system error/),
    });
    await failNext({ status: 502 });
    expect(await send()).toEqual({ ok: false, kind: 'transient', errcode: -1, errmsg: 'HTTP 502' });
    const dead = new WechatClient({ baseUrl: 'http://127.0.0.1:1', ...APP, now, timeoutMs: 500 });
    expect(await dead.sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: {} })).toEqual({
      ok: false,
      kind: 'transient',
      errcode: -1,
      errmsg: 'network error',
    });
    expect(messages()).toEqual([]);
    expect((await send()).ok).toBe(true);
  });

  it('classifies a timeout as transient, though WeChat may still deliver: only the consent stops a second message', async () => {
    await consent();
    const c = new WechatClient({ baseUrl: sandbox.url, ...APP, now, timeoutMs: 100 });
    await c.getAccessToken();
    await request(sandbox.url, 'POST', '/__control/latency', { json: { api: 'subscribe_send', ms: 400 } });
    const send = () =>
      c.sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: examples(POINTS) });
    expect(await send()).toEqual({ ok: false, kind: 'transient', errcode: -1, errmsg: 'timeout' });
    const deadline = Date.now() + 3000;
    while (messages().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(messages()).toHaveLength(1);
    await request(sandbox.url, 'POST', '/__control/latency', { json: { api: 'subscribe_send', ms: 0 } });
    expect(await send()).toMatchObject({ ok: false, kind: 'no_quota' });
  });

  it('classifies 45009 as rate_limited, other errcodes as rejected, and a failing token fetch by its errcode', async () => {
    await consent();
    const send = () =>
      client().sendSubscribeMessage({ openid: OPENID, templateId: POINTS.template_id, data: examples(POINTS) });
    await failNext({ errcode: 45009 });
    expect(await send()).toMatchObject({ ok: false, kind: 'rate_limited', errcode: 45009 });
    await failNext({ errcode: 48001, errmsg: 'api unauthorized' });
    expect(await send()).toMatchObject({ ok: false, kind: 'rejected', errcode: 48001 });
    await request(sandbox.url, 'POST', '/__control/failures', { json: { api: 'stable_token', errcode: -1 } });
    expect(await send()).toMatchObject({ ok: false, kind: 'transient', errcode: -1 });
    const wrongSecret = new WechatClient({ baseUrl: sandbox.url, appid: APP.appid, secret: 'wrong', now });
    expect(
      await wrongSecret.sendSubscribeMessage({
        openid: OPENID,
        templateId: POINTS.template_id,
        data: examples(POINTS),
      }),
    ).toMatchObject({ ok: false, kind: 'rejected', errcode: 40125 });
    expect(messages()).toEqual([]);
  });

  describe('fitted values pass the sandbox’s field rules', () => {
    // The shared fitting and the sandbox's rules must know the same types.
    const sameTypes: [SubscribeFieldType] extends [SandboxFieldType]
      ? [SandboxFieldType] extends [SubscribeFieldType]
        ? true
        : false
      : false = true;

    /** Text as members' data holds it: Han (one outside the BMP), Latin, digits, emoji, spaces, controls, anything. */
    const TEXT = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          '会',
          '员',
          '积',
          '分',
          '𠀀',
          '😀',
          'a',
          'Z',
          '9',
          '_',
          '-',
          '·',
          '.',
          ' ',
          '\n',
          '\u0001',
          '，',
        ),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 45,
      // Long strings too: the default size rarely goes past 20 characters, where cutting starts.
      size: 'max',
    });
    const MOMENT = fc.date({
      min: new Date('1000-01-01T00:00:00+08:00'),
      max: new Date('9999-12-31T23:59:59+08:00'),
      noInvalidDate: true,
    });
    const INPUTS: { [T in SubscribeFieldType]: fc.Arbitrary<SubscribeFieldInput[T]> } = {
      thing: TEXT,
      phrase: TEXT,
      character_string: TEXT,
      name: TEXT,
      number: fc.maxSafeNat(),
      amount: fc.integer({ min: 0, max: 999_999_999_999 }),
      time: MOMENT,
      date: MOMENT,
    };
    /** For sending: text that always keeps something for every text type (a Han character and a letter). */
    const SENDABLE: typeof INPUTS = { ...INPUTS, thing: TEXT.map((text) => `${text}会A`) };
    for (const type of ['phrase', 'character_string', 'name'] as const) SENDABLE[type] = SENDABLE.thing;

    it.each([...SUBSCRIBE_FIELD_TYPES])(
      '%s: every fitted value is valid (in process, by the sandbox’s validator)',
      (type) => {
        expect(sameTypes).toBe(true);
        fc.assert(
          fc.property(INPUTS[type] as fc.Arbitrary<never>, (value) => {
            let fitted: string;
            try {
              fitted = fitSubscribeField(type, value);
            } catch (error) {
              // Only "nothing of it fits" (e.g. a phrase without Han characters) may stop fitting.
              expect(error).toBeInstanceOf(SubscribeFieldError);
              return;
            }
            expect([fitted, isValidSubscribeValue(type, fitted)]).toEqual([fitted, true]);
          }),
          { numRuns: 500 },
        );
      },
    );

    it('every template takes messages fitted from arbitrary values (over HTTP)', async () => {
      for (const template of SUBSCRIBE_TEMPLATES) await consent(template, 100);
      const c = client();
      let sent = 0;
      const message = fc.constantFrom(...SUBSCRIBE_TEMPLATES).chain((template) =>
        fc
          .tuple(...template.fields.map((field) => SENDABLE[field.type].map((value) => ({ type: field.type, value }))))
          .map((values) => ({
            template,
            fields: Object.fromEntries(
              template.fields.map((field, i) => [field.key, values[i] as SubscribeFieldValue]),
            ),
          })),
      );
      await fc.assert(
        fc.asyncProperty(message, async ({ template, fields }) => {
          const data = fitSubscribeData(fields);
          const result = await c.sendSubscribeMessage({ openid: OPENID, templateId: template.template_id, data });
          expect([data, result]).toEqual([data, { ok: true, msgid: expect.stringMatching(/^\d+$/) }]);
          sent += 1;
        }),
        { numRuns: 80 },
      );
      expect(messages()).toHaveLength(sent);
    });
  });
});
