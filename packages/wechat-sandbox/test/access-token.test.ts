import { APP, type Harness, OTHER_APP, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(() => h.sandbox.control.reset());

const HOUR = 3600 * 1000;

/** Any API that takes access_token tells a good token from a bad one; a bad phone code is 40029. */
async function tokenErrcode(token: string): Promise<number> {
  return (await h.phoneNumber(token, 'no-such-code')).body.errcode;
}

describe('POST /cgi-bin/stable_token', () => {
  it('issues a token valid 7200 s and hands the same one back (expires_in counting down)', async () => {
    const first = await h.stableToken();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    h.clock.advance(HOUR);
    const again = await h.stableToken(false);
    expect(again.body).toEqual({ access_token: first.body.access_token, expires_in: 3600 });
    expect(await tokenErrcode(first.body.access_token)).toBe(40029);
  });

  it('keeps one token per app', async () => {
    const mine = await h.stableToken();
    const theirs = await h.stableToken(false, OTHER_APP);
    expect(theirs.body.access_token).not.toBe(mine.body.access_token);
  });

  it('expires by the clock: old token answers 42001, the next call issues a new one', async () => {
    const first = (await h.stableToken()).body.access_token;
    h.clock.advance(2 * HOUR);
    expect(await tokenErrcode(first)).toBe(42001);
    const next = await h.stableToken();
    expect(next.body.access_token).not.toBe(first);
    expect(next.body.expires_in).toBe(7200);
    expect(await tokenErrcode(next.body.access_token)).toBe(40029);
  });

  it('renews in the last five minutes while the old token stays valid until it expires', async () => {
    const first = (await h.stableToken()).body.access_token;
    h.clock.advance(2 * HOUR - 5 * 60 * 1000);
    const renewed = await h.stableToken();
    expect(renewed.body.access_token).not.toBe(first);
    expect(await tokenErrcode(first)).toBe(40029);
    h.clock.advance(5 * 60 * 1000);
    expect(await tokenErrcode(first)).toBe(42001);
    expect(await tokenErrcode(renewed.body.access_token)).toBe(40029);
  });

  it('force_refresh issues a new token and revokes the old one (40001)', async () => {
    const first = (await h.stableToken()).body.access_token;
    const forced = await h.stableToken(true);
    expect(forced.body.expires_in).toBe(7200);
    expect(forced.body.access_token).not.toBe(first);
    expect(await tokenErrcode(first)).toBe(40001);
    expect(await tokenErrcode(forced.body.access_token)).toBe(40029);
  });

  it('ignores a second force_refresh within 30 s and allows 20 a day (45009 after)', async () => {
    const forced = (await h.stableToken(true)).body.access_token;
    expect((await h.stableToken(true)).body.access_token).toBe(forced);
    for (let i = 2; i <= 20; i += 1) {
      h.clock.advance(31_000);
      expect((await h.stableToken(true)).body.access_token).toEqual(expect.any(String));
    }
    h.clock.advance(31_000);
    expect((await h.stableToken(true)).body.errcode).toBe(45009);
    expect((await h.stableToken(false)).body.access_token).toEqual(expect.any(String));
  });

  it.each([
    ['unknown appid', 40013, { appid: 'wx_nobody' }],
    ['wrong secret', 40125, { secret: 'wrong' }],
    ['missing appid', 41002, { appid: undefined }],
    ['missing secret', 41004, { secret: undefined }],
    ['wrong grant_type', 40002, { grant_type: 'authorization_code' }],
    ['non-boolean force_refresh', 47001, { force_refresh: 'yes' }],
  ])('answers %s with %s', async (_name, errcode, override) => {
    const body = { grant_type: 'client_credential', appid: APP.appid, secret: APP.secret, ...override };
    const { status, body: reply } = await h.post('/cgi-bin/stable_token', body);
    expect(status).toBe(200);
    expect(reply.errcode).toBe(errcode);
    expect(reply.errmsg).toEqual(expect.any(String));
  });

  it('answers malformed JSON with 47001 and GET with 43002', async () => {
    expect(
      (await h.postRaw('/cgi-bin/stable_token', '{"grant_type":', { 'Content-Type': 'application/json' })).body,
    ).toEqual({ errcode: 47001, errmsg: expect.stringMatching(/^data format error/) });
    expect((await h.postRaw('/cgi-bin/stable_token', '')).body.errcode).toBe(47001);
    expect((await h.get('/cgi-bin/stable_token')).body.errcode).toBe(43002);
  });

  it('reads JSON whatever the Content-Type, as WeChat does', async () => {
    const body = JSON.stringify({ grant_type: 'client_credential', appid: APP.appid, secret: APP.secret });
    const reply = await h.postRaw('/cgi-bin/stable_token', body, { 'Content-Type': 'text/plain' });
    expect(reply.body.access_token).toEqual(expect.any(String));
  });

  it('answers an injected failure, then recovers', async () => {
    await h.post('/__control/failures', { api: 'stable_token', errcode: -1 });
    expect((await h.stableToken()).body.errcode).toBe(-1);
    expect((await h.stableToken()).body.access_token).toEqual(expect.any(String));
  });
});

describe('control: expiring and invalidating tokens (the "refresh once, retry once" path)', () => {
  it('POST /__control/tokens/expire makes the current token answer 42001; a refetch gets a working one', async () => {
    const token = (await h.stableToken()).body.access_token;
    expect((await h.post('/__control/tokens/expire')).body).toEqual({ expired: 1 });
    expect(await tokenErrcode(token)).toBe(42001);
    const fresh = (await h.stableToken()).body.access_token;
    expect(fresh).not.toBe(token);
    expect(await tokenErrcode(fresh)).toBe(40029);
  });

  it('POST /__control/tokens/invalidate makes the current token answer 40001; a refetch gets a working one', async () => {
    const token = (await h.stableToken()).body.access_token;
    const code = await h.phoneCode('13800138000');
    expect((await h.post('/__control/tokens/invalidate', { appid: APP.appid })).body).toEqual({ invalidated: 1 });
    expect((await h.phoneNumber(token, code)).body.errcode).toBe(40001);
    const fresh = (await h.stableToken()).body.access_token;
    expect((await h.phoneNumber(fresh, code)).body.phone_info.purePhoneNumber).toBe('13800138000');
  });

  it('scopes expire/invalidate to one app when appid is given', async () => {
    const mine = (await h.stableToken()).body.access_token;
    const theirs = (await h.stableToken(false, OTHER_APP)).body.access_token;
    await h.post('/__control/tokens/invalidate', { appid: OTHER_APP.appid });
    expect(await tokenErrcode(mine)).toBe(40029);
    expect(await tokenErrcode(theirs)).toBe(40001);
    expect((await h.post('/__control/tokens/expire', { appid: 'wx_nobody' })).status).toBe(404);
  });
});
