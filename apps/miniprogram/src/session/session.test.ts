import { ApiPaths, IdentityPaths } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memberCard as member, memoryStore, NOW } from '../testing/fixtures';
import { createSession, type StoredSession } from './session';

/**
 * A server that hands out tok-1, tok-2... on each login, and answers /me with `meAnswer(token)`.
 * The platform hands out code-1, code-2...
 */
function setup(options: {
  store?: ReturnType<typeof memoryStore<StoredSession>>;
  meAnswer?: (token: string | undefined) => HttpResponse;
}) {
  const store = options.store ?? memoryStore<StoredSession>();
  let logins = 0;
  let codes = 0;
  const loginBodies: unknown[] = [];
  const { transport, requests } = fakeTransport({
    [`POST ${ApiPaths.wechatLogin}`]: (request: HttpRequest) => {
      loginBodies.push(request.body);
      logins += 1;
      return ok({ token: `tok-${logins}`, expiresAt: '2030-01-02T00:00:00Z', isNewMember: logins === 1, member });
    },
    [`GET ${IdentityPaths.myCard}`]: (request: HttpRequest) =>
      (options.meAnswer ?? (() => ok(member)))(request.headers.Authorization?.replace('Bearer ', '')),
  });
  const platform = {
    login: jest.fn(async () => {
      codes += 1;
      return { code: `code-${codes}` };
    }),
  };
  const api = createApiClient({ baseUrl: '', transport, getToken: () => session.token() });
  const session = createSession({ api, platform, store, now: () => NOW });
  const fetchMe = () => session.withSession(() => api.get(IdentityPaths.myCard, { parse: (d) => d }));
  return { session, store, platform, requests, loginBodies, fetchMe, logins: () => logins };
}

describe('ensureSession', () => {
  it('logs in with a platform code, without a token, and stores the token the server returns', async () => {
    const { session, store, requests, loginBodies } = setup({});
    await session.ensureSession();

    expect(loginBodies).toEqual([{ code: 'code-1' }]);
    expect(requests[0]?.headers).not.toHaveProperty('Authorization');
    expect(store.value).toEqual({ token: 'tok-1', expiresAt: '2030-01-02T00:00:00Z' });
    expect(session.token()).toBe('tok-1');
  });

  it('does not log in again while the stored token is live', async () => {
    const { session, platform } = setup({ store: memoryStore({ token: 'old', expiresAt: '2030-01-01T00:00:01Z' }) });
    await session.ensureSession();
    expect(platform.login).not.toHaveBeenCalled();
    expect(session.token()).toBe('old');
  });

  it('logs in again when the stored token is past its expiry', async () => {
    const { session, platform } = setup({ store: memoryStore({ token: 'old', expiresAt: '2029-12-31T23:59:59Z' }) });
    await session.ensureSession();
    expect(platform.login).toHaveBeenCalledTimes(1);
    expect(session.token()).toBe('tok-1');
  });

  it('shares one login between concurrent callers', async () => {
    const { session, platform, logins } = setup({});
    await Promise.all([session.ensureSession(), session.ensureSession(), session.ensureSession()]);
    expect(platform.login).toHaveBeenCalledTimes(1);
    expect(logins()).toBe(1);
  });

  it('stores nothing when the server refuses the code', async () => {
    const store = memoryStore<StoredSession>();
    const { transport } = fakeTransport({
      [`POST ${ApiPaths.wechatLogin}`]: () => fail(400, 'WECHAT_CODE_INVALID', '登录码无效或已使用，请重新进入'),
    });
    const session = createSession({
      api: createApiClient({ baseUrl: '', transport, getToken: () => null }),
      platform: { login: async () => ({ code: 'used' }) },
      store,
    });
    await expect(session.ensureSession()).rejects.toMatchObject({ code: 'WECHAT_CODE_INVALID' });
    expect(store.value).toBeNull();
  });
});

describe('withSession', () => {
  it('on TOKEN_EXPIRED logs in again once and retries with the new token', async () => {
    const { fetchMe, platform, requests } = setup({
      store: memoryStore({ token: 'stale', expiresAt: '2030-01-02T00:00:00Z' }),
      meAnswer: (token) => (token === 'stale' ? fail(401, 'TOKEN_EXPIRED') : ok(member)),
    });
    await expect(fetchMe()).resolves.toEqual(member);
    expect(platform.login).toHaveBeenCalledTimes(1);
    expect(requests.map((r) => `${r.method} ${r.url} ${r.headers.Authorization ?? '-'}`)).toEqual([
      `GET ${IdentityPaths.myCard} Bearer stale`,
      `POST ${ApiPaths.wechatLogin} -`,
      `GET ${IdentityPaths.myCard} Bearer tok-1`,
    ]);
  });

  it('treats TOKEN_INVALID the same way', async () => {
    const { fetchMe, platform } = setup({
      store: memoryStore({ token: 'forged', expiresAt: '2030-01-02T00:00:00Z' }),
      meAnswer: (token) => (token === 'forged' ? fail(401, 'TOKEN_INVALID') : ok(member)),
    });
    await expect(fetchMe()).resolves.toEqual(member);
    expect(platform.login).toHaveBeenCalledTimes(1);
  });

  it('gives up after one renewal when the new token is refused too', async () => {
    const { fetchMe, platform, requests } = setup({ meAnswer: () => fail(401, 'TOKEN_EXPIRED') });
    await expect(fetchMe()).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    // One login to start the session, one renewal, and no more.
    expect(platform.login).toHaveBeenCalledTimes(2);
    expect(requests.filter((r) => r.url === IdentityPaths.myCard)).toHaveLength(2);
  });

  it('does not log in again for errors that a new session would not fix', async () => {
    const { fetchMe, platform, store } = setup({
      store: memoryStore({ token: 'good', expiresAt: '2030-01-02T00:00:00Z' }),
      meAnswer: () => fail(403, 'FORBIDDEN', '没有权限'),
    });
    await expect(fetchMe()).rejects.toMatchObject({ code: 'FORBIDDEN', message: '没有权限' });
    expect(platform.login).not.toHaveBeenCalled();
    expect(store.value?.token).toBe('good');
  });

  it('parallel calls that all meet an expired token share one renewal', async () => {
    const { fetchMe, platform } = setup({
      store: memoryStore({ token: 'stale', expiresAt: '2030-01-02T00:00:00Z' }),
      meAnswer: (token) => (token === 'stale' ? fail(401, 'TOKEN_EXPIRED') : ok(member)),
    });
    await expect(Promise.all([fetchMe(), fetchMe(), fetchMe()])).resolves.toHaveLength(3);
    expect(platform.login).toHaveBeenCalledTimes(1);
  });
});
