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
