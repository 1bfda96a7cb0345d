import { MemberCard } from '@member-hub/shared';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memberCard as member } from '../testing/fixtures';
import { callJson, createApiClient, type Schema } from './client';
import { ApiError, isSessionExpired } from './errors';

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('createApiClient', () => {
  it('prefixes the base URL, sends the bearer token and parses the body with the schema', async () => {
    const { transport, requests } = fakeTransport({
      'GET https://api.example.com/api/v1/me/card': () => ok(member),
    });
    const api = createApiClient({ baseUrl: 'https://api.example.com/', transport, getToken: () => 'tok-1' });

    await expect(api.get('/api/v1/me/card', MemberCard)).resolves.toEqual(member);
    expect(requests[0]?.headers.Authorization).toBe('Bearer tok-1');
    expect(requests[0]?.body).toBeUndefined();
  });

  it('uses the page origin when the base URL is empty and sends no Authorization without a token', async () => {
    const { transport, requests } = fakeTransport({ 'GET /api/v1/me/card': () => ok(member) });
    const api = createApiClient({ baseUrl: '', transport, getToken: () => null });

    await api.get('/api/v1/me/card', MemberCard);
    expect(requests[0]?.headers).not.toHaveProperty('Authorization');
  });

  it('leaves the token out when asked (the login call) and posts JSON', async () => {
    const echo: Schema<unknown> = { parse: (data) => data };
    const { transport, requests } = fakeTransport({ 'POST /login': (request) => ok(request.body) });
    const api = createApiClient({ baseUrl: '', transport, getToken: () => 'tok-1' });

    await expect(api.post('/login', { code: 'c1' }, echo, { auth: false })).resolves.toEqual({ code: 'c1' });
    expect(requests[0]?.headers).not.toHaveProperty('Authorization');
    expect(requests[0]?.headers['Content-Type']).toBe('application/json');
    // Error messages are shown to the user as they come: ask for Chinese even on an English-language device.
    expect(requests[0]?.headers['Accept-Language']).toBe('zh-CN');
  });

  it('sends PUT and PATCH with a body and DELETE without one, all with the token', async () => {
    const echo: Schema<unknown> = { parse: (data) => data };
    const { transport, requests } = fakeTransport({
      'PUT /u': (request) => ok(request.body),
      'PATCH /p': (request) => ok(request.body),
      'DELETE /d': () => ({ status: 204, data: '' }),
    });
    const api = createApiClient({ baseUrl: '', transport, getToken: () => 'tok-1' });
    await expect(api.put('/u', { muted: [] }, echo)).resolves.toEqual({ muted: [] });
    await expect(api.patch('/p', { nickname: 'x' }, echo)).resolves.toEqual({ nickname: 'x' });
    await expect(api.delete('/d', echo)).resolves.toBe('');
    expect(requests.map((r) => [r.method, r.headers.Authorization, r.body])).toEqual([
      ['PUT', 'Bearer tok-1', { muted: [] }],
      ['PATCH', 'Bearer tok-1', { nickname: 'x' }],
      ['DELETE', 'Bearer tok-1', undefined],
    ]);
  });
});

describe('callJson error mapping', () => {
  const call = (response: Parameters<typeof fakeTransport>[0][string]) =>
    callJson(fakeTransport({ 'GET /x': response }).transport, { url: '/x', method: 'GET', schema: MemberCard });

  it('turns the server error body into an ApiError with its code, message, status and details', async () => {
    const error = await caught(call(() => fail(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录', { at: 1 })));
    expect(error).toMatchObject({ code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录', status: 401 });
    expect(error.details).toEqual({ at: 1 });
    expect(isSessionExpired(error)).toBe(true);
  });

  it('keeps the message of a code this build does not know, under a client code', async () => {
    const error = await caught(call(() => fail(409, 'POINTS_SOMETHING_NEW', '积分不足')));
    expect(error).toMatchObject({ code: 'UNKNOWN_ERROR', message: '积分不足', status: 409 });
    expect(isSessionExpired(error)).toBe(false);
  });

  it('reports a success body that does not match the schema as BAD_RESPONSE', async () => {
    const error = await caught(call(() => ok({ ...member, points: 'many' })));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
  });

  it('reports an error page that is not the JSON error shape with its status', async () => {
    const error = await caught(call(() => ({ status: 502, data: null })));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
    expect(error.message).toContain('502');
  });

  it('reports no response at all as NETWORK_ERROR with status 0', async () => {
    const error = await caught(
      call(() => {
        throw Object.assign(new Error('Failed to fetch'), { errMsg: 'request:fail' });
      }),
    );
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0, message: '网络连接失败，请检查网络后重试' });
  });

  it('only TOKEN_EXPIRED and TOKEN_INVALID count as an expired session', () => {
    expect(isSessionExpired(new ApiError('TOKEN_INVALID', 'x', 401))).toBe(true);
    expect(isSessionExpired(new ApiError('UNAUTHENTICATED', 'x', 401))).toBe(false);
    expect(isSessionExpired(new ApiError('FORBIDDEN', 'x', 403))).toBe(false);
    expect(isSessionExpired(new Error('TOKEN_EXPIRED'))).toBe(false);
  });
});
