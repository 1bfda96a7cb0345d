import { APP, type Harness, OTHER_APP, startHarness, UNBOUND_APP } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(() => h.sandbox.control.reset());

describe('GET /sns/jscode2session', () => {
  it('exchanges a code for openid, a 16-byte base64 session_key and a unionid', async () => {
    const issued = await h.post('/__control/login-codes', { appid: APP.appid, openid: 'o_alice', unionid: 'u_alice' });
    const { status, body } = await h.code2Session(issued.body.code);
    expect(status).toBe(200);
    expect(body).toEqual({ openid: 'o_alice', unionid: 'u_alice', session_key: expect.any(String) });
    expect(Buffer.from(body.session_key, 'base64')).toHaveLength(16);
    expect(body.errcode).toBeUndefined();
  });

  it('works once: reuse answers 40163 "code been used"', async () => {
    const code = await h.loginCode('o_alice');
    expect((await h.code2Session(code)).body.openid).toBe('o_alice');
    const again = await h.code2Session(code);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ errcode: 40163, errmsg: expect.stringMatching(/^code been used, rid: /) });
  });

  it('expires five minutes after issue (40029)', async () => {
    const fresh = await h.loginCode('o_alice');
    const stale = await h.loginCode('o_alice');
    h.clock.advance(5 * 60 * 1000 - 1);
    expect((await h.code2Session(fresh)).body.openid).toBe('o_alice');
    h.clock.advance(1);
    expect((await h.code2Session(stale)).body.errcode).toBe(40029);
  });

  it('rejects unknown codes and codes issued to another app with 40029', async () => {
    expect((await h.code2Session('not-a-code')).body).toEqual({
      errcode: 40029,
      errmsg: expect.stringMatching(/^invalid code/),
    });
    const foreign = await h.loginCode('o_alice', OTHER_APP.appid);
    expect((await h.code2Session(foreign)).body.errcode).toBe(40029);
    expect((await h.code2Session(foreign, OTHER_APP)).body.openid).toBe('o_alice');
  });

  it.each([
    ['unknown appid', 40013, { appid: 'wx_nobody' }],
    ['wrong secret', 40125, { secret: 'wrong' }],
    ['missing appid', 41002, { appid: undefined }],
    ['missing secret', 41004, { secret: undefined }],
    ['missing js_code', 41008, { js_code: undefined }],
    ['missing grant_type', 40002, { grant_type: undefined }],
    ['wrong grant_type', 40002, { grant_type: 'client_credential' }],
  ])('answers %s with %s, without spending the code', async (_name, errcode, override) => {
    const code = await h.loginCode('o_alice');
    const params: Record<string, string | undefined> = {
      appid: APP.appid,
      secret: APP.secret,
      js_code: code,
      grant_type: 'authorization_code',
      ...override,
    };
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
    const { status, body } = await h.get(`/sns/jscode2session?${query}`);
    expect(status).toBe(200);
    expect(body.errcode).toBe(errcode);
    expect((await h.code2Session(code)).body.openid).toBe('o_alice');
  });

  it('leaves unionid out for an app not bound to an open platform', async () => {
    const code = await h.loginCode('o_bob', UNBOUND_APP.appid);
    const { body } = await h.code2Session(code, UNBOUND_APP);
    expect(body.openid).toBe('o_bob');
    expect(body).not.toHaveProperty('unionid');
  });

  it('answers the wrong method with 43001', async () => {
    const { status, body } = await h.post('/sns/jscode2session', {});
    expect(status).toBe(200);
    expect(body.errcode).toBe(43001);
  });

  it.each([
    [45011, /^api minute-quota reach limit/],
    [40226, /^code blocked/],
    [-1, /^system error/],
  ])('answers injected failure %s for the next `count` calls, then recovers', async (errcode, errmsg) => {
    const code = await h.loginCode('o_alice');
    expect((await h.post('/__control/failures', { api: 'jscode2session', errcode, count: 2 })).status).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      expect((await h.code2Session(code)).body).toEqual({ errcode, errmsg: expect.stringMatching(errmsg) });
    }
    expect((await h.code2Session(code)).body.openid).toBe('o_alice');
  });
});

describe('POST /sandbox/jslogin (wx.login for the H5 build)', () => {
  async function jslogin(user: string, appid = APP.appid): Promise<{ openid: string; unionid?: string }> {
    const issued = await h.post('/sandbox/jslogin', { appid, user });
    expect(issued.status).toBe(200);
    expect(Object.keys(issued.body)).toEqual(['code']);
    const app = [APP, OTHER_APP, UNBOUND_APP].find((a) => a.appid === appid) ?? APP;
    return (await h.code2Session(issued.body.code, app)).body;
  }

  it('maps a browser user to an openid stable per app and a unionid stable across apps', async () => {
    const first = await jslogin('browser-1');
    const second = await jslogin('browser-1');
    const otherUser = await jslogin('browser-2');
    const otherApp = await jslogin('browser-1', OTHER_APP.appid);
    expect(first.openid).toMatch(/^o[\w-]{27}$/);
    expect(second).toEqual({ ...first, session_key: expect.any(String) });
    expect(otherUser.openid).not.toBe(first.openid);
    expect(otherApp.openid).not.toBe(first.openid);
    expect(otherApp.unionid).toBe(first.unionid);
  });

  it('keeps openids across a reset (they are derived, not stored)', async () => {
    const before = await jslogin('browser-1');
    await h.post('/__control/reset');
    expect((await jslogin('browser-1')).openid).toBe(before.openid);
  });

  it('rejects an unknown app (404) and a missing user (400)', async () => {
    expect((await h.post('/sandbox/jslogin', { appid: 'wx_nobody', user: 'u' })).body.error.code).toBe('unknown_app');
    const missing = await h.post('/sandbox/jslogin', { appid: APP.appid });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
  });
});
