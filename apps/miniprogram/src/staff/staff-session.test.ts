import { IdentityPaths, type MemberSummary, type StaffProfile } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { PlatformError } from '../platform/types';
import { createSession, type StoredSession } from '../session/session';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memoryStore, NOW } from '../testing/fixtures';
import { createStaffSession, describeScanError, normalizeMemberCode, type StoredStaffSession } from './staff-session';

const staff: StaffProfile = {
  staffId: 's1',
  name: '李店员',
  username: 'li',
  role: 'staff',
  store: { id: 'st1', name: '南山店', code: 'NS01' },
};
const summary: MemberSummary = {
  memberId: 'm1',
  memberNo: '10000001',
  nickname: '小王',
  maskedPhone: '138****8000',
  tier: '金卡',
  points: 1200,
  storedValueFen: 5000,
  coupons: [],
};

function setup(routes: Record<string, (r: HttpRequest) => HttpResponse>, initial: StoredStaffSession | null = null) {
  const { transport, requests } = fakeTransport({
    [`POST ${IdentityPaths.staffLogin}`]: (r) =>
      (r.body as { password: string }).password === 'right'
        ? ok({ token: 'staff-tok', expiresAt: '2030-01-01T12:00:00Z', staff })
        : fail(401, 'INVALID_CREDENTIALS', '账号或密码错误'),
    ...routes,
  });
  const store = memoryStore<StoredStaffSession>(initial);
  const signedOut: string[] = [];
  const staffSession = createStaffSession({
    baseUrl: '',
    transport,
    store,
    onSignedOut: (message) => signedOut.push(message),
    now: () => NOW,
  });
  return { staffSession, store, requests, signedOut, transport };
}

const live: StoredStaffSession = { token: 'staff-tok', expiresAt: '2030-01-01T12:00:00Z', staff };

describe('staff session', () => {
  it('logs in without any token and keeps the staff token in its own store', async () => {
    const { staffSession, store, requests } = setup({});
    await expect(staffSession.login({ username: 'li', password: 'right' })).resolves.toMatchObject({ staff });
    expect(requests[0]?.headers).not.toHaveProperty('Authorization');
    expect(store.value).toEqual(live);
  });

  it('reports wrong credentials without signing anybody out', async () => {
    const { staffSession, store, signedOut } = setup({});
    await expect(staffSession.login({ username: 'li', password: 'wrong' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: '账号或密码错误',
    });
    expect(store.value).toBeNull();
    expect(signedOut).toEqual([]);
  });

  it('sends the staff token on scans, never the member token, and the member client never sends the staff token', async () => {
    const seen: string[] = [];
    const routes = {
      [`POST ${IdentityPaths.staffScan}`]: (r: HttpRequest) => {
        seen.push(`scan ${r.headers.Authorization}`);
        return ok(summary);
      },
      [`GET ${IdentityPaths.myCard}`]: (r: HttpRequest) => {
        seen.push(`me ${r.headers.Authorization}`);
        return ok({});
      },
    };
    const { staffSession, transport } = setup(routes, live);
    const memberStore = memoryStore<StoredSession>({ token: 'member-tok', expiresAt: '2030-01-02T00:00:00Z' });
    const memberApi = createApiClient({ baseUrl: '', transport, getToken: () => member.token() });
    const member = createSession({
      api: memberApi,
      platform: { login: jest.fn() },
      store: memberStore,
      now: () => NOW,
    });

    await staffSession.scan('1234 5678');
    await member.withSession(() => memberApi.get(IdentityPaths.myCard, { parse: (d) => d }));
    expect(seen).toEqual(['scan Bearer staff-tok', 'me Bearer member-tok']);
  });

  it('on a 401 forgets the staff token, sends staff back to login, and leaves the member session alone', async () => {
    const { staffSession, store, signedOut } = setup(
      { [`POST ${IdentityPaths.staffScan}`]: () => fail(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录') },
      live,
    );
    await expect(staffSession.scan('12345678')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(store.value).toBeNull();
    expect(signedOut).toEqual(['店员登录已失效，请重新登录']);
    expect(staffSession.current()).toBeNull();
  });

  it('a disabled account is signed out with the server message', async () => {
    const { staffSession, store, signedOut } = setup(
      { [`GET ${IdentityPaths.staffMe}`]: () => fail(403, 'ACCOUNT_DISABLED', '账号已停用') },
      live,
    );
    await expect(staffSession.refreshProfile()).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(store.value).toBeNull();
    expect(signedOut).toEqual(['账号已停用']);
  });

  it('a code problem is not a session problem: the staff stays logged in', async () => {
    const { staffSession, store, signedOut } = setup(
      {
        [`POST ${IdentityPaths.staffScan}`]: () => fail(409, 'MEMBER_CODE_USED', '会员码已被使用，请让顾客刷新会员码'),
      },
      live,
    );
    await expect(staffSession.scan('12345678')).rejects.toMatchObject({ code: 'MEMBER_CODE_USED' });
    expect(store.value).toEqual(live);
    expect(signedOut).toEqual([]);
  });

  it('does not even send a request with an expired stored token', async () => {
    const { staffSession, requests, signedOut, store } = setup({}, { ...live, expiresAt: '2029-12-31T00:00:00Z' });
    await expect(staffSession.scan('12345678')).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(requests).toEqual([]);
    expect(store.value).toBeNull();
    expect(signedOut).toEqual(['店员登录已过期，请重新登录']);
  });

  it('refreshProfile accepts the bare profile or {staff} and updates the stored one', async () => {
    const manager = { ...staff, role: 'manager' as const };
    const bare = setup({ [`GET ${IdentityPaths.staffMe}`]: () => ok(manager) }, live);
    await expect(bare.staffSession.refreshProfile()).resolves.toEqual(manager);
    expect(bare.store.value?.staff.role).toBe('manager');
    const wrapped = setup({ [`GET ${IdentityPaths.staffMe}`]: () => ok({ staff: manager }) }, live);
    await expect(wrapped.staffSession.refreshProfile()).resolves.toEqual(manager);
  });
});

describe('normalizeMemberCode', () => {
  it('strips the spaces of a typed code and leaves QR payloads alone', () => {
    expect(normalizeMemberCode(' 1234 5678 ')).toBe('12345678');
    expect(normalizeMemberCode('1234-5678')).toBe('12345678');
    expect(normalizeMemberCode('MH1:demo:12345678')).toBe('MH1:demo:12345678');
  });

  it('is what the scan request carries', async () => {
    const { staffSession, requests } = setup({ [`POST ${IdentityPaths.staffScan}`]: () => ok(summary) }, live);
    await staffSession.scan('1234 5678');
    expect(requests[0]?.body).toEqual({ code: '12345678' });
  });
});

describe('describeScanError', () => {
  it.each([
    ['MEMBER_CODE_USED', 409, '会员码已被使用，请让顾客刷新会员码'],
    ['MEMBER_CODE_EXPIRED', 400, '会员码已过期，请让顾客刷新会员码'],
    ['MEMBER_CODE_INVALID', 400, '会员码无效，请让顾客刷新会员码'],
    ['MEMBER_CODE_OTHER_BRAND', 400, '这不是本品牌的会员码'],
  ] as const)('%s: shows the server message and asks for a rescan', (code, status, message) => {
    expect(describeScanError(new ApiError(code, message, status))).toEqual({ message, rescan: true });
  });

  it('explains a malformed typed code instead of "请求参数有误"', () => {
    expect(describeScanError(new ApiError('VALIDATION_FAILED', '请求参数有误', 400))).toEqual({
      message: '请输入顾客会员卡上的 8 位数字会员码',
      rescan: true,
    });
  });

  it('network and server trouble is not the customer code’s fault', () => {
    expect(describeScanError(new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0))).toEqual({
      message: '网络连接失败，请检查网络后重试',
      rescan: false,
    });
    expect(describeScanError(new PlatformError('FAILED', '操作失败：camera'))).toEqual({
      message: '操作失败：camera',
      rescan: false,
    });
    expect(describeScanError('weird')).toEqual({ message: '识别失败，请稍后重试', rescan: false });
  });
});
