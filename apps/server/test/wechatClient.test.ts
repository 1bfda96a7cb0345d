import { startWechatSandbox } from '@member-hub/wechat-sandbox';
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

  it('reports an unreachable WeChat as unavailable', async () => {
    const dead = new WechatClient({ baseUrl: 'http://127.0.0.1:1', ...APP, now, timeoutMs: 500 });
    await expect(dead.code2Session('x')).rejects.toBeInstanceOf(WechatUnavailableError);
  });
});
