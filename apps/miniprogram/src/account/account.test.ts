import { ApiPaths, IdentityPaths, type MyProfile } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { createSession, type StoredSession } from '../session/session';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memoryStore, NOW } from '../testing/fixtures';
import { createAccountService } from './account';

function profile(memberId: string, phone: string | null): MyProfile {
  return {
    memberId,
    memberNo: memberId === 'm-old' ? '10000009' : '10000001',
    nickname: null,
    avatarUrl: null,
    birthday: null,
    birthdayLocked: false,
    gender: 'unknown',
    region: null,
    phone,
  };
}

/** A server where tok-new belongs to the pre-existing member the phone linked to, tok-a to the new WeChat member. */
function setup(bindAnswer: (request: HttpRequest) => HttpResponse) {
  const store = memoryStore<StoredSession>({ token: 'tok-a', expiresAt: '2030-01-02T00:00:00Z' });
  const { transport, requests } = fakeTransport({
    [`POST ${IdentityPaths.myPhone}`]: bindAnswer,
    [`GET ${IdentityPaths.myProfile}`]: (request) => {
      const auth = request.headers.Authorization;
      if (auth === 'Bearer tok-new') return ok(profile('m-old', '13800138000'));
      if (auth === 'Bearer tok-a') return ok(profile('m-new', null));
      return fail(401, 'TOKEN_INVALID');
    },
    [`DELETE ${IdentityPaths.me}`]: () => ({ status: 204, data: '' }),
    [`POST ${ApiPaths.wechatLogin}`]: () => fail(500, 'INTERNAL', 'login should not be needed'),
  });
  const platform = { login: jest.fn(async () => ({ code: 'c' })) };
  const api = createApiClient({ baseUrl: '', transport, getToken: () => session.token() });
  const session = createSession({ api, platform, store, now: () => NOW });
  return { account: createAccountService({ api, session }), store, requests, platform };
}

describe('bindPhone', () => {
  it('sends the phone code with the current token, then uses the token the server returned', async () => {
    const { account, store, requests, platform } = setup(() =>
      ok({
        linkedExisting: true,
        token: 'tok-new',
        expiresAt: '2030-01-03T00:00:00Z',
        profile: profile('m-old', '13800138000'),
      }),
    );
    const result = await account.bindPhone('phone-code-1');
    expect(result.linkedExisting).toBe(true);
    expect(requests[0]).toMatchObject({ body: { code: 'phone-code-1' }, headers: { Authorization: 'Bearer tok-a' } });
    expect(store.value).toEqual({ token: 'tok-new', expiresAt: '2030-01-03T00:00:00Z' });

    // The next call is the linked member's, without a new WeChat login.
    await expect(account.profile()).resolves.toMatchObject({ memberId: 'm-old', phone: '13800138000' });
    expect(requests.at(-1)?.headers.Authorization).toBe('Bearer tok-new');
    expect(platform.login).not.toHaveBeenCalled();
  });

  it('keeps the old token when binding fails', async () => {
    const { account, store } = setup(() => fail(400, 'PHONE_CODE_INVALID', '手机号授权已失效，请重新授权'));
    await expect(account.bindPhone('stale')).rejects.toMatchObject({
      code: 'PHONE_CODE_INVALID',
      message: '手机号授权已失效，请重新授权',
    });
    expect(store.value?.token).toBe('tok-a');
  });

  it('refuses an answer without a token rather than keeping a token for the wrong member', async () => {
    const { account, store } = setup(() => ok({ linkedExisting: true, profile: profile('m-old', '13800138000') }));
    await expect(account.bindPhone('x')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(store.value?.token).toBe('tok-a');
  });
});

describe('deleteAccount', () => {
  it('deletes with the member token and forgets the session (204 without a body is fine)', async () => {
    const { account, store, requests } = setup(() => ok({}));
    await account.deleteAccount();
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', headers: { Authorization: 'Bearer tok-a' } });
    expect(store.value).toBeNull();
  });
});
