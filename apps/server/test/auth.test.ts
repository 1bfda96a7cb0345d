import { ApiPaths, IdentityPaths, MemberCard, WechatLoginResponse } from '@member-hub/shared';
import { request, sandboxLoginCode } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
const appid = () => hub.config.wechat.appid ?? '';
const login = async (openid: string) => {
  const code = await sandboxLoginCode(hub.sandboxUrl ?? '', appid(), openid);
  return request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code } });
};

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

describe('member login through WeChat code2Session', () => {
  it('creates the member on first visit and returns a session and the card', async () => {
    const res = await login('openid-first-visit');
    expect(res.status).toBe(201);
    const body = WechatLoginResponse.parse(res.body);
    expect(body.isNewMember).toBe(true);
    expect(body.member.memberNo).toMatch(/^\d{8}$/);
    expect(body.member).toMatchObject({ tier: '普通会员', points: 0, growth: 0, storedValueFen: 0 });

    const me = await request(hub.url, 'GET', IdentityPaths.myCard, { token: body.token });
    expect(me.status).toBe(200);
    expect(MemberCard.parse(me.body)).toEqual(body.member); // plus the rotating code, checked in memberCode.test
  });

  it('finds the same member on a later visit instead of creating a second one', async () => {
    const first = WechatLoginResponse.parse((await login('openid-returning')).body);
    const again = await login('openid-returning');
    expect(again.status).toBe(200);
    const second = WechatLoginResponse.parse(again.body);
    expect(second.isNewMember).toBe(false);
    expect(second.member.memberId).toBe(first.member.memberId);
    expect(second.member.memberNo).toBe(first.member.memberNo);
  });

  it('gives different people different member numbers, even when they log in at once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login(`openid-rush-${i}`)));
    const numbers = results.map((r) => WechatLoginResponse.parse(r.body).member.memberNo);
    expect(new Set(numbers).size).toBe(10);
  });

  it('creates one member when the same person logs in twice at the same moment', async () => {
    const [a, b] = await Promise.all([login('openid-double-tap'), login('openid-double-tap')]);
    const ids = [a, b].map((r) => WechatLoginResponse.parse(r.body).member.memberId);
    expect(ids[0]).toBe(ids[1]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
  });

  it('rejects a replayed login code', async () => {
    const code = await sandboxLoginCode(hub.sandboxUrl ?? '', appid(), 'openid-replay');
    expect((await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code } })).status).toBe(201);
    const replay = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code } });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('rejects a login code older than five minutes', async () => {
    const code = await sandboxLoginCode(hub.sandboxUrl ?? '', appid(), 'openid-slow');
    hub.clock.advance(5 * 60 * 1000 + 1000);
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
    const members = await hub.deps.conn.collection('members').countDocuments({ openid: 'openid-slow' });
    expect(members).toBe(0);
  });

  it('rejects a made-up login code', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code: 'not-a-real-code' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'WECHAT_CODE_INVALID', message: expect.any(String) });
  });
});

describe('session tokens', () => {
  it('answers a missing token with UNAUTHENTICATED', async () => {
    const res = await request(hub.url, 'GET', IdentityPaths.myCard);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.body.error.message).toBe('请先登录');
  });

  it('answers a forged or tampered token with TOKEN_INVALID', async () => {
    const body = WechatLoginResponse.parse((await login('openid-tamper')).body);
    const [header, payload] = body.token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ kind: 'member', sub: 'ffffffffffffffffffffffff', iss: 'member-hub', exp: 9_999_999_999 }),
    ).toString('base64url');
    for (const token of [
      `${header}.${forgedPayload}.${body.token.split('.')[2]}`,
      `${header}.${payload}.AAAA`,
      'garbage',
    ]) {
      const res = await request(hub.url, 'GET', IdentityPaths.myCard, { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('TOKEN_INVALID');
    }
  });

  it('answers an expired token with TOKEN_EXPIRED', async () => {
    const body = WechatLoginResponse.parse((await login('openid-expired')).body);
    hub.clock.advance((hub.config.auth.memberTokenTtlSeconds + 1) * 1000);
    const res = await request(hub.url, 'GET', IdentityPaths.myCard, { token: body.token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('expires a token that was already in use (verified tokens are remembered, their expiry is not)', async () => {
    const body = WechatLoginResponse.parse((await login('openid-expires-in-use')).body);
    const ttlMs = hub.config.auth.memberTokenTtlSeconds * 1000;
    expect((await request(hub.url, 'GET', IdentityPaths.myCard, { token: body.token })).status).toBe(200);
    hub.clock.advance(ttlMs - 2_000);
    expect((await request(hub.url, 'GET', IdentityPaths.myCard, { token: body.token })).status).toBe(200);
    hub.clock.advance(2_000);
    const res = await request(hub.url, 'GET', IdentityPaths.myCard, { token: body.token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('does not let a member token open the owner pages', async () => {
    const body = WechatLoginResponse.parse((await login('openid-not-owner')).body);
    const res = await request(hub.url, 'GET', ApiPaths.adminSummary, { token: body.token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});
