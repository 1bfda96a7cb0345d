import { ApiPaths, CouponPaths, type MyReferral } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { createSession, type StoredSession } from '../session/session';
import { fakeTransport, ok } from '../testing/fake-transport';
import { memberCard, memoryStore, NOW } from '../testing/fixtures';
import { deviceId } from './device-id';
import {
  acceptProblem,
  type CodeImageState,
  createCodeImage,
  inviteLandingPath,
  inviteLink,
  inviteShareTitle,
  readInviteScene,
} from './invite';
import { createReferralService } from './referral';

const referralAnswer: MyReferral = {
  token: 'AbC123xy',
  scene: 'i=AbC123xy',
  page: 'pages/invite/landing',
  sharePath: '/pages/invite/landing?scene=i%3DAbC123xy',
  reward: { title: '¥50 优惠券', description: '好友首单后各得一张' },
  dailyLimit: 20,
  invitees: [],
  rewardsEarned: 0,
  invitedBy: null,
};

const base = 'https://shop.example.com';

function setup(
  routes: Record<string, (r: HttpRequest) => HttpResponse | Promise<HttpResponse>>,
  stored: StoredSession | null = { token: 'tok-a', expiresAt: '2030-01-02T00:00:00Z' },
) {
  const store = memoryStore<StoredSession>(stored);
  const { transport, requests } = fakeTransport({
    [`POST ${base}${ApiPaths.wechatLogin}`]: () =>
      ok({ token: 'tok-b', expiresAt: '2030-01-02T00:00:00Z', isNewMember: true, member: memberCard }),
    ...routes,
  });
  const platform = { login: jest.fn(async () => ({ code: 'c' })) };
  const api = createApiClient({ baseUrl: base, transport, getToken: () => session.token() });
  const session = createSession({ api, platform, store, now: () => NOW });
  const loadImage = jest.fn(async (_url: string, headers: Record<string, string>) => {
    if (headers.Authorization !== 'Bearer tok-b') throw new ApiError('TOKEN_EXPIRED', '登录已过期', 401);
    return 'blob:code';
  });
  const referral = createReferralService({ api, session, baseUrl: 'https://shop.example.com/', loadImage });
  return { referral, requests, platform, loadImage };
}

describe('invite links', () => {
  it('opens the landing with the scene, encoded, in the share card and in the H5 link', () => {
    expect(inviteLandingPath('i=AbC123xy')).toBe('/pages/invite/landing?scene=i%3DAbC123xy');
    expect(inviteLink({ origin: 'http://127.0.0.1:4000', pathname: '/h5/' }, 'i=AbC123xy')).toBe(
      'http://127.0.0.1:4000/h5/#/pages/invite/landing?scene=i%3DAbC123xy',
    );
    expect(inviteShareTitle({ title: '¥50 优惠券', description: '' })).toBe('送你 ¥50 优惠券');
    expect(inviteShareTitle(null)).toBe('邀你一起来当会员，积分好礼等你拿');
  });

  it('reads the token from the scene however it arrives', () => {
    expect(readInviteScene('i%3DAbC123xy')).toBe('AbC123xy'); // H5 router: undecoded
    expect(readInviteScene('i=AbC123xy')).toBe('AbC123xy'); // share card: decoded
    expect(readInviteScene('i%253DAbC123xy')).toBe('AbC123xy'); // encoded twice on the way
    expect(readInviteScene(undefined)).toBeNull();
    expect(readInviteScene('')).toBeNull();
    expect(readInviteScene('x=AbC123xy')).toBeNull();
    expect(readInviteScene('i=ab')).toBeNull();
    expect(readInviteScene('i%3')).toBeNull();
  });
});

describe('the device id', () => {
  it('is made once and kept', () => {
    const kept: { value: unknown } = { value: '' };
    const store = {
      get: () => kept.value,
      set: (id: string) => {
        kept.value = id;
      },
    };
    const first = deviceId(store, () => 0.5);
    expect(first).toBe(`dev_${'8'.repeat(32)}`);
    expect(deviceId(store, () => 0.1)).toBe(first);
    kept.value = 'garbage';
    expect(deviceId(store, () => 0)).toBe(`dev_${'0'.repeat(32)}`);
  });
});

describe('referrals over the API', () => {
  it('reads the landing without logging in', async () => {
    const { referral, requests, platform } = setup(
      {
        [`GET ${base}${CouponPaths.inviteLanding('AbC123xy')}`]: () =>
          ok({ inviterNickname: '小红', reward: { title: '¥50 优惠券', description: '' } }),
      },
      null,
    );
    await expect(referral.landing('AbC123xy')).resolves.toMatchObject({ inviterNickname: '小红' });
    expect(requests[0]?.headers.Authorization).toBeUndefined();
    expect(platform.login).not.toHaveBeenCalled();
  });

  it('a brand-new visitor logs in before accepting, and sends the device id', async () => {
    const { referral, requests, platform } = setup(
      {
        [`POST ${base}${CouponPaths.acceptReferral}`]: () => ok({ inviterNickname: '小红', status: 'bound' }),
      },
      null,
    );
    await expect(referral.accept('AbC123xy', 'dev_0123456789')).resolves.toEqual({
      inviterNickname: '小红',
      status: 'bound',
    });
    expect(platform.login).toHaveBeenCalledTimes(1);
    const accepted = requests.find((r) => r.url.endsWith(CouponPaths.acceptReferral));
    expect(accepted?.body).toEqual({ token: 'AbC123xy', device: 'dev_0123456789' });
    expect(accepted?.headers.Authorization).toBe('Bearer tok-b');
  });

  it('loads the code image with the member token, renewing a stale one once', async () => {
    const { referral, loadImage, platform } = setup({
      [`GET ${base}${CouponPaths.myReferral}`]: () => ok(referralAnswer),
    });
    await expect(referral.codeImage()).resolves.toBe('blob:code');
    expect(platform.login).toHaveBeenCalledTimes(1);
    expect(loadImage.mock.calls.map((call) => call[0])).toEqual([
      `${base}${CouponPaths.myReferralCode}`,
      `${base}${CouponPaths.myReferralCode}`,
    ]);
    await expect(referral.mine()).resolves.toEqual(referralAnswer);
  });

  it('words a refused acceptance, and says when asking again cannot help', () => {
    expect(acceptProblem(new ApiError('REFERRAL_ALREADY_BOUND', '你已接受过邀请', 409))).toEqual({
      message: '你已接受过邀请',
      final: true,
    });
    expect(acceptProblem(new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0))).toEqual({
      message: '网络连接失败，请检查网络后重试',
      final: false,
    });
    expect(acceptProblem(new ApiError('VALIDATION_FAILED', '请求参数有误', 400))).toEqual({
      message: '邀请链接无效',
      final: true,
    });
  });
});

describe('the invite code image', () => {
  it('shows loading, then the image or the failure; a stale answer is dropped', async () => {
    const states: CodeImageState[] = [];
    let calls = 0;
    const releases: ((src: string) => void)[] = [];
    const image = createCodeImage({
      load: () => {
        calls += 1;
        if (calls === 3) return Promise.reject(new Error('小程序码生成失败'));
        return new Promise<string>((resolve) => releases.push(resolve));
      },
      onChange: (s) => states.push(s),
      describeError: (e) => (e instanceof Error ? e.message : '?'),
    });
    const first = image.load();
    const second = image.load();
    releases[1]?.('blob:2');
    releases[0]?.('blob:1');
    await Promise.all([first, second]);
    expect(states).toEqual([{ status: 'loading' }, { status: 'loading' }, { status: 'ready', src: 'blob:2' }]);
    await image.load();
    expect(states[states.length - 1]).toEqual({ status: 'error', message: '小程序码生成失败' });
    image.stop();
  });
});
