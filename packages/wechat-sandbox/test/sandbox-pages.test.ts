import { APP, type Harness, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(() => h.sandbox.control.reset());

describe('CORS on /sandbox (the H5 page is served from another origin)', () => {
  it.each(['/sandbox/jslogin', '/sandbox/phone-code'])('answers the preflight for %s', async (path) => {
    const reply = await h.get(path, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-methods')).toContain('POST');
    expect(reply.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('sends CORS headers on the actual request, not on WeChat APIs (WeChat does not)', async () => {
    const login = await h.post('/sandbox/jslogin', { appid: APP.appid, user: 'browser-1' });
    expect(login.headers.get('access-control-allow-origin')).toBe('*');
    const wechat = await h.code2Session(login.body.code);
    expect(wechat.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET/POST /sandbox/login (manual login page)', () => {
  it('serves a Chinese form listing the apps and carrying the redirect', async () => {
    const page = await h.get('/sandbox/login?redirect=http%3A%2F%2Flocalhost%3A5173%2F%23%2Flogin');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('微信登录（沙箱）');
    expect(page.body).toContain(`value="${APP.appid}"`);
    expect(page.body).toContain('name="redirect" value="http://localhost:5173/#/login"');
  });

  it('escapes what it echoes', async () => {
    const page = await h.get(`/sandbox/login?redirect=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('redirects with ?code= appended (303) when a redirect is given', async () => {
    const form = new URLSearchParams({
      appid: APP.appid,
      user: '张三',
      redirect: 'http://localhost:5173/login?from=a',
    });
    const reply = await h.postRaw('/sandbox/login', form.toString(), {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(reply.status).toBe(303);
    const location = new URL(reply.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('http://localhost:5173/login');
    expect(location.searchParams.get('from')).toBe('a');
    const session = await h.code2Session(location.searchParams.get('code') ?? '');
    expect(session.body.openid).toMatch(/^o/);
  });

  it('shows the code for a picked openid when there is no redirect', async () => {
    const form = new URLSearchParams({ appid: APP.appid, openid: 'o_tester' });
    const reply = await h.postRaw('/sandbox/login', form.toString());
    expect(reply.status).toBe(200);
    const code = /<code id="code">([A-Za-z0-9]+)<\/code>/.exec(reply.body)?.[1] ?? '';
    expect((await h.code2Session(code)).body.openid).toBe('o_tester');
  });

  it('asks again when neither a user name nor an openid is given; refuses a non-http redirect', async () => {
    const empty = await h.postRaw('/sandbox/login', new URLSearchParams({ appid: APP.appid }).toString());
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('请填写用户名或 openid');
    const form = new URLSearchParams({ appid: APP.appid, user: 'u', redirect: 'javascript:alert(1)' });
    expect((await h.postRaw('/sandbox/login', form.toString())).status).toBe(400);
  });
});
