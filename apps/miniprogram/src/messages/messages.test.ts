import { ApiPaths, MessagePaths } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { PlatformError } from '../platform/types';
import { createSession, type StoredSession } from '../session/session';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memberCard, memoryStore, NOW } from '../testing/fixtures';
import { preferencesFixture, TEMPLATE } from '../testing/messages';
import { createMessageService } from './messages';
import {
  CATEGORY_TEXT,
  mutedKinds,
  quotaText,
  remindToast,
  sharedQuotaNote,
  subscribeToast,
  withMuted,
} from './preferences';

function setup(routes: Record<string, (r: HttpRequest) => HttpResponse | Promise<HttpResponse>>) {
  const store = memoryStore<StoredSession>({ token: 'tok-a', expiresAt: '2030-01-02T00:00:00Z' });
  const { transport, requests } = fakeTransport({
    [`POST ${ApiPaths.wechatLogin}`]: () =>
      ok({ token: 'tok-b', expiresAt: '2030-01-02T00:00:00Z', isNewMember: false, member: memberCard }),
    ...routes,
  });
  const platform = { login: jest.fn(async () => ({ code: 'c' })) };
  const api = createApiClient({ baseUrl: '', transport, getToken: () => session.token() });
  const session = createSession({ api, platform, store, now: () => NOW });
  return { messages: createMessageService({ api, session }), requests, platform };
}

describe('message preferences over the API', () => {
  it('reads the preferences, turns kinds off with PUT {muted} and records consents with POST {scene, decisions}', async () => {
    const prefs = preferencesFixture({ quota: { points_changed: 2 } });
    const { messages, requests } = setup({
      [`GET ${MessagePaths.myPreferences}`]: () => ok(prefs),
      [`PUT ${MessagePaths.myPreferences}`]: () => ok(preferencesFixture({ muted: ['campaign'] })),
      [`POST ${MessagePaths.myConsents}`]: () => ok(preferencesFixture({ quota: { topup_succeeded: 1 } })),
    });
    await expect(messages.preferences()).resolves.toEqual(prefs);
    const muted = await messages.setMuted(['campaign']);
    expect(muted.preferences.find((p) => p.kind === 'campaign')?.muted).toBe(true);
    await messages.recordConsent('top_up', { [TEMPLATE.topup_succeeded]: 'accept', [TEMPLATE.points_changed]: 'ban' });

    expect(requests.map((r) => [r.method, r.url, r.headers.Authorization, r.body])).toEqual([
      ['GET', '/api/v1/me/messages/preferences', 'Bearer tok-a', undefined],
      ['PUT', '/api/v1/me/messages/preferences', 'Bearer tok-a', { muted: ['campaign'] }],
      [
        'POST',
        '/api/v1/me/messages/consents',
        'Bearer tok-a',
        { scene: 'top_up', decisions: { [TEMPLATE.topup_succeeded]: 'accept', [TEMPLATE.points_changed]: 'ban' } },
      ],
    ]);
  });

  it('logs in again once when the token expired, and passes the server’s refusal of an unknown template on', async () => {
    const { messages, platform } = setup({
      [`GET ${MessagePaths.myPreferences}`]: (r) =>
        r.headers.Authorization === 'Bearer tok-b' ? ok(preferencesFixture()) : fail(401, 'TOKEN_EXPIRED'),
      [`POST ${MessagePaths.myConsents}`]: () =>
        fail(400, 'MESSAGE_TEMPLATE_UNKNOWN', '不是本小程序的订阅消息模板', { templateIds: ['x'] }),
    });
    await expect(messages.preferences()).resolves.toEqual(preferencesFixture());
    expect(platform.login).toHaveBeenCalledTimes(1);
    await expect(messages.recordConsent('other', { x: 'accept' })).rejects.toMatchObject({
      code: 'MESSAGE_TEMPLATE_UNKNOWN',
      status: 400,
    });
  });

  it('refuses an answer that does not match the contract', async () => {
    const { messages } = setup({ [`GET ${MessagePaths.myPreferences}`]: () => ok({ preferences: [] }) });
    await expect(messages.preferences()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('the 消息订阅 page’s wording', () => {
  it('shows the sends left, never below zero, and names each category', () => {
    expect(quotaText(3)).toBe('剩余 3 次');
    expect(quotaText(0)).toBe('剩余 0 次');
    expect(quotaText(-1)).toBe('剩余 0 次');
    expect(CATEGORY_TEXT).toEqual({ transactional: '服务通知', marketing: '优惠活动' });
  });

  it('turns one kind off or on and lists the kinds off for PUT', () => {
    const prefs = preferencesFixture({ muted: ['birthday'] });
    const off = withMuted(prefs, 'campaign', true);
    expect(mutedKinds(off)).toEqual(['birthday', 'campaign']);
    expect(mutedKinds(withMuted(off, 'birthday', false))).toEqual(['campaign']);
    expect(mutedKinds(prefs)).toEqual(['birthday']);
  });

  it('says which kinds share a template’s sends', () => {
    const prefs = preferencesFixture();
    const tierUp = prefs.preferences.find((p) => p.kind === 'tier_up');
    const topUp = prefs.preferences.find((p) => p.kind === 'top_up_success');
    expect(tierUp && sharedQuotaNote(prefs, tierUp)).toBe('与「等级保级提醒」共用次数');
    expect(topUp && sharedQuotaNote(prefs, topUp)).toBeNull();
  });

  it('after 订阅: thanks for an accept, says so for a refusal, explains failures, and is quiet when cancelled', () => {
    const prefs = preferencesFixture();
    expect(
      subscribeToast({ status: 'answered', decisions: { t: 'accept' }, accepted: ['t'], preferences: prefs }),
    ).toEqual({ title: '订阅成功', icon: 'success' });
    expect(
      subscribeToast({ status: 'answered', decisions: { t: 'reject' }, accepted: [], preferences: prefs }),
    ).toEqual({ title: '您未允许，本次未订阅', icon: 'none' });
    expect(subscribeToast({ status: 'failed', stage: 'record', error: new Error('x') })?.title).toBe(
      '订阅未能保存，请稍后重试',
    );
    const noSandbox = new PlatformError('UNSUPPORTED', '服务器未启用微信沙箱');
    expect(subscribeToast({ status: 'failed', stage: 'ask', error: noSandbox })?.title).toBe('服务器未启用微信沙箱');
    expect(subscribeToast({ status: 'failed', stage: 'ask', error: new Error('x') })?.title).toBe(
      '订阅失败，请稍后重试',
    );
    expect(subscribeToast({ status: 'failed', stage: 'ask', error: new PlatformError('CANCELLED', '') })).toBeNull();
    expect(subscribeToast({ status: 'skipped', reason: 'busy' })).toBeNull();
  });

  it('after 订阅积分提醒: thanks for an accept, points to 消息订阅 when asked today or turned off, else quiet', () => {
    const prefs = preferencesFixture();
    expect(
      remindToast({ status: 'answered', decisions: { t: 'accept' }, accepted: ['t'], preferences: prefs }),
    ).toEqual({ title: '订阅成功', icon: 'success' });
    expect(remindToast({ status: 'skipped', reason: 'asked-today' })?.title).toContain('消息订阅');
    expect(remindToast({ status: 'skipped', reason: 'nothing-to-ask' })?.title).toContain('已关闭');
    expect(remindToast({ status: 'skipped', reason: 'busy' })).toBeNull();
    expect(remindToast({ status: 'answered', decisions: {}, accepted: [], preferences: prefs })).toBeNull();
    expect(remindToast({ status: 'failed', stage: 'load', error: new Error('x') })).toBeNull();
  });
});
