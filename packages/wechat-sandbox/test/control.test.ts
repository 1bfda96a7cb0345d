import { startWechatSandbox } from '../src';
import { APP, type Harness, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(() => h.sandbox.control.reset());

describe('/__control', () => {
  it('lists the apps without their secrets', async () => {
    const { body } = await h.get('/__control/apps');
    expect(body.apps).toContainEqual({ appid: APP.appid, boundToOpenPlatform: true });
    expect(JSON.stringify(body)).not.toContain(APP.secret);
  });

  it('issues login codes for a user as well as an openid, and validates the body', async () => {
    const byUser = await h.post('/__control/login-codes', { user: 'alice' });
    expect(byUser.status).toBe(201);
    expect(byUser.body).toEqual({ code: expect.any(String), openid: expect.any(String), unionid: expect.any(String) });
    expect((await h.code2Session(byUser.body.code)).body.openid).toBe(byUser.body.openid);
    expect((await h.post('/__control/login-codes', { appid: APP.appid })).status).toBe(400);
    expect((await h.post('/__control/login-codes', { appid: 'wx_nobody', openid: 'o' })).status).toBe(404);
    expect((await h.post('/__control/phone-codes', { phoneNumber: '123' })).status).toBe(400);
  });

  it('validates failure injection and lists pending failures', async () => {
    const unknown = await h.post('/__control/failures', { api: 'jscode2sesion', errcode: -1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('jscode2session');
    expect((await h.post('/__control/failures', { api: 'stable_token', errcode: 'x' })).status).toBe(400);
    const injected = await h.post('/__control/failures', { api: 'stable_token', errcode: 45011, count: 3 });
    expect(injected.body.failures).toEqual([{ api: 'stable_token', errcode: 45011, remaining: 3 }]);
    await h.stableToken();
    expect((await h.get('/__control/failures')).body.failures).toEqual([
      { api: 'stable_token', errcode: 45011, remaining: 2 },
    ]);
  });

  it('injects a custom errmsg', async () => {
    await h.post('/__control/failures', { api: 'stable_token', errcode: 40164, errmsg: 'invalid ip 1.2.3.4' });
    expect((await h.stableToken()).body.errmsg).toMatch(/^invalid ip 1\.2\.3\.4, rid: /);
  });

  it('logs calls per api with appid and errcode, without secrets or codes', async () => {
    const code = await h.loginCode('o_alice');
    await h.code2Session(code);
    await h.code2Session(code);
    await h.stableToken();
    const { body } = await h.get('/__control/calls?api=jscode2session');
    expect(body.calls).toEqual([
      expect.objectContaining({ api: 'jscode2session', appid: APP.appid, errcode: 0 }),
      expect.objectContaining({ api: 'jscode2session', appid: APP.appid, errcode: 40163 }),
    ]);
    expect(JSON.stringify(body)).not.toContain(code);
    expect((await h.get('/__control/calls')).body.calls).toHaveLength(3);
  });

  it('shows how many calls were in flight at once (with injected latency)', async () => {
    await h.post('/__control/latency', { api: 'stable_token', ms: 50 });
    await Promise.all([h.stableToken(), h.stableToken(), h.stableToken()]);
    expect((await h.get('/__control/calls?api=stable_token')).body.maxInFlight).toBe(3);
    await h.post('/__control/reset');
    await h.stableToken();
    await h.stableToken();
    expect((await h.get('/__control/calls?api=stable_token')).body.maxInFlight).toBe(1);
  });

  it('starts with an empty message log', async () => {
    expect((await h.get('/__control/messages')).body).toEqual({ messages: [] });
  });

  it('advances the clock over HTTP (for out-of-process tests)', async () => {
    const code = await h.loginCode('o_alice');
    const before = (await h.get('/__control/clock')).body.now;
    expect((await h.post('/__control/clock/advance', { ms: 5 * 60 * 1000 })).body.now).toBe(before + 300_000);
    expect((await h.code2Session(code)).body.errcode).toBe(40029);
  });

  it('reset forgets codes, tokens, failures and calls', async () => {
    const code = await h.loginCode('o_alice');
    const token = (await h.stableToken()).body.access_token;
    await h.post('/__control/failures', { api: 'jscode2session', errcode: -1 });
    expect((await h.post('/__control/reset')).status).toBe(204);
    expect((await h.get('/__control/calls')).body).toEqual({ calls: [], maxInFlight: 0 });
    expect((await h.get('/__control/failures')).body.failures).toEqual([]);
    expect((await h.code2Session(code)).body.errcode).toBe(40029);
    expect((await h.phoneNumber(token, 'x')).body.errcode).toBe(40001);
  });

  it('is also usable in process through sandbox.control', async () => {
    const { code, openid } = h.sandbox.control.issueLoginCode({ openid: 'o_inproc' });
    expect(openid).toBe('o_inproc');
    expect((await h.code2Session(code)).body.openid).toBe('o_inproc');
    expect(h.sandbox.control.calls('jscode2session').calls).toHaveLength(1);
  });
});

describe('routing and errors', () => {
  it.each(['/nope', '/cgi-bin/token', '/__control/nope', '/sandbox/nope'])('answers %s with 404 JSON', async (path) => {
    const { status, body } = await h.get(path);
    expect(status).toBe(404);
    expect(body).toEqual({
      errcode: 404,
      errmsg: expect.stringContaining(path),
      error: { code: 'not_found', message: expect.any(String) },
    });
  });

  it('answers the wrong method on a sandbox route with 405 JSON', async () => {
    const { status, body } = await h.get('/__control/reset');
    expect(status).toBe(405);
    expect(body.error.code).toBe('method_not_allowed');
  });

  it('answers a malformed control body with 400', async () => {
    const reply = await h.postRaw('/__control/login-codes', '{oops', { 'Content-Type': 'application/json' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('malformed_body');
  });
});

describe('startWechatSandbox', () => {
  it('defaults to wx_sandbox_app / sandbox_secret and logs paths only', async () => {
    const lines: string[] = [];
    const sandbox = await startWechatSandbox({ log: (line) => lines.push(line) });
    try {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { code } = sandbox.control.issueLoginCode({ user: 'u' });
      const phoneCode = sandbox.control.issuePhoneCode({ phoneNumber: '13800138000' }).code;
      const query = new URLSearchParams({
        appid: 'wx_sandbox_app',
        secret: 'sandbox_secret',
        js_code: code,
        grant_type: 'authorization_code',
      });
      const session = (await (await fetch(`${sandbox.url}/sns/jscode2session?${query}`)).json()) as {
        openid: string;
        session_key: string;
      };
      expect(session.openid).toEqual(expect.any(String));
      const token = (await (
        await fetch(`${sandbox.url}/cgi-bin/stable_token`, {
          method: 'POST',
          body: JSON.stringify({ grant_type: 'client_credential', appid: 'wx_sandbox_app', secret: 'sandbox_secret' }),
        })
      ).json()) as { access_token: string };
      await fetch(`${sandbox.url}/wxa/business/getuserphonenumber?access_token=${token.access_token}`, {
        method: 'POST',
        body: JSON.stringify({ code: phoneCode }),
      });
      const logged = lines.join('\n');
      expect(lines.length).toBeGreaterThanOrEqual(3);
      for (const secret of [
        'sandbox_secret',
        code,
        phoneCode,
        session.session_key,
        token.access_token,
        '13800138000',
      ]) {
        expect(logged).not.toContain(secret);
      }
    } finally {
      await sandbox.stop();
    }
  });
});
