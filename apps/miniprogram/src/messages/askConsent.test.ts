import type { ConsentScene, MessagePreferences } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { PlatformError, type SubscribeDecision } from '../platform/types';
import { kindsOf, preferencesFixture, TEMPLATE, titleOf } from '../testing/messages';
import {
  type AskedDayStore,
  type ConsentMoment,
  createConsentAsker,
  sceneTemplates,
  templateTitles,
} from './askConsent';

/** 2030-01-01 10:00 in China. */
const MORNING = Date.parse('2030-01-01T02:00:00Z');
const HOUR = 3_600_000;

function memoryDays(): AskedDayStore & { days: Map<string, string> } {
  const days = new Map<string, string>();
  return { days, get: (scene) => days.get(scene) ?? null, set: (scene, day) => void days.set(scene, day) };
}

type Sheet = (ids: string[], titles?: Readonly<Record<string, string>>) => Promise<Record<string, SubscribeDecision>>;

const acceptAll: Sheet = async (ids) => Object.fromEntries(ids.map((id) => [id, 'accept' as const]));

function setup(
  options: {
    preferences?: () => Promise<MessagePreferences>;
    sheet?: Sheet;
    record?: (scene: ConsentScene, decisions: Record<string, SubscribeDecision>) => Promise<MessagePreferences>;
    store?: AskedDayStore;
  } = {},
) {
  let now = MORNING;
  const preferences = jest.fn(options.preferences ?? (async () => preferencesFixture()));
  const recordConsent = jest.fn(
    options.record ??
      (async (_scene: ConsentScene, decisions: Record<string, SubscribeDecision>) =>
        preferencesFixture({
          quota: Object.fromEntries(
            Object.entries(TEMPLATE)
              .filter(([, id]) => decisions[id] === 'accept')
              .map(([key]) => [key, 1]),
          ),
        })),
  );
  const requestSubscribeMessage = jest.fn(options.sheet ?? acceptAll);
  const store = options.store ?? memoryDays();
  const logged: string[] = [];
  const consent = createConsentAsker({
    messages: { preferences, recordConsent },
    platform: { requestSubscribeMessage },
    store,
    now: () => now,
    log: (message) => void logged.push(message),
  });
  return {
    consent,
    preferences,
    recordConsent,
    requestSubscribeMessage,
    store,
    logged,
    later: (ms: number) => {
      now += ms;
    },
  };
}

describe('asking at a natural moment', () => {
  it('asks for the scene’s templates, titled by the kinds they send, and records the answer under the scene', async () => {
    const { consent, requestSubscribeMessage, recordConsent } = setup({
      sheet: async () => ({ [TEMPLATE.points_changed]: 'accept', [TEMPLATE.points_expiring]: 'reject' }),
    });
    const outcome = await consent.ask('points_page');

    expect(requestSubscribeMessage).toHaveBeenCalledWith(
      [TEMPLATE.points_changed, TEMPLATE.points_expiring, TEMPLATE.tier_changed],
      {
        [TEMPLATE.points_changed]: titleOf('points_changed'),
        [TEMPLATE.points_expiring]: titleOf('points_expiring'),
        [TEMPLATE.tier_changed]: titleOf('tier_changed'),
      },
    );
    expect(recordConsent).toHaveBeenCalledWith('points_page', {
      [TEMPLATE.points_changed]: 'accept',
      [TEMPLATE.points_expiring]: 'reject',
    });
    expect(outcome).toMatchObject({ status: 'answered', accepted: [TEMPLATE.points_changed] });
    // What the server answered is what the app knows now (the new quota).
    expect(consent.current()?.preferences.find((p) => p.kind === 'points_earned')?.quota).toBe(1);
  });

  it.each<[ConsentMoment, string[]]>([
    ['after_purchase', [TEMPLATE.points_changed, TEMPLATE.points_expiring, TEMPLATE.coupon_expiring]],
    ['top_up', [TEMPLATE.topup_succeeded, TEMPLATE.points_changed]],
    ['coupons', [TEMPLATE.coupon_expiring, TEMPLATE.coupon_received, TEMPLATE.birthday_gift]],
  ])('%s asks for its own templates', async (scene, ids) => {
    const { consent, requestSubscribeMessage, recordConsent } = setup();
    await consent.ask(scene);
    expect(requestSubscribeMessage.mock.calls[0]?.[0]).toEqual(ids);
    expect(recordConsent.mock.calls[0]?.[0]).toBe(scene);
  });

  it('leaves out a template whose every kind the member turned off, and asks nothing when none is left', async () => {
    const tierOff = setup({ preferences: async () => preferencesFixture({ muted: ['tier_up', 'tier_down_warning'] }) });
    await tierOff.consent.ask('points_page');
    expect(tierOff.requestSubscribeMessage.mock.calls[0]?.[0]).toEqual([
      TEMPLATE.points_changed,
      TEMPLATE.points_expiring,
    ]);

    // One of two kinds still on: the template is still worth asking for.
    const halfOff = setup({ preferences: async () => preferencesFixture({ muted: ['tier_up'] }) });
    await halfOff.consent.ask('points_page');
    expect(halfOff.requestSubscribeMessage.mock.calls[0]?.[0]).toContain(TEMPLATE.tier_changed);

    const muted = [...kindsOf('topup_succeeded'), ...kindsOf('points_changed')];
    const allOff = setup({ preferences: async () => preferencesFixture({ muted }) });
    await expect(allOff.consent.ask('top_up')).resolves.toEqual({ status: 'skipped', reason: 'nothing-to-ask' });
    expect(allOff.requestSubscribeMessage).not.toHaveBeenCalled();
  });

  it('loads the preferences once for the app run, and opens the sheet within the tap once they are loaded', async () => {
    const { consent, preferences, requestSubscribeMessage, later } = setup();
    consent.prefetch();
    consent.prefetch();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(preferences).toHaveBeenCalledTimes(1);

    // No await before the sheet: WeChat only shows it while the tap is being handled.
    const asked = consent.ask('top_up');
    expect(requestSubscribeMessage).toHaveBeenCalledTimes(1);
    await asked;

    later(24 * HOUR);
    await consent.ask('top_up');
    expect(preferences).toHaveBeenCalledTimes(1);
  });

  it('without loaded preferences, loads them first; a failed load is not kept, so the next tap loads again', async () => {
    let answers = 0;
    const { consent, preferences, requestSubscribeMessage, logged } = setup({
      preferences: async () => {
        answers += 1;
        if (answers === 1) throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0);
        return preferencesFixture();
      },
    });
    const first = consent.ask('coupons');
    expect(requestSubscribeMessage).not.toHaveBeenCalled();
    await expect(first).resolves.toMatchObject({ status: 'failed', stage: 'load' });
    expect(logged).toEqual(['订阅消息：模板加载失败（coupons）']);

    // The failed load did not use up the day.
    await expect(consent.ask('coupons')).resolves.toMatchObject({ status: 'answered' });
    expect(preferences).toHaveBeenCalledTimes(2);
  });
});

describe('once per moment per day', () => {
  it('does not ask again in the same scene on the same China day, but does in another scene', async () => {
    const { consent, requestSubscribeMessage } = setup();
    await consent.ask('points_page');
    await expect(consent.ask('points_page')).resolves.toEqual({ status: 'skipped', reason: 'asked-today' });
    expect(requestSubscribeMessage).toHaveBeenCalledTimes(1);

    await expect(consent.ask('top_up')).resolves.toMatchObject({ status: 'answered' });
    expect(requestSubscribeMessage).toHaveBeenCalledTimes(2);
  });

  it('asks again from midnight China time (16:00 UTC), and remembers the day across app runs', async () => {
    const store = memoryDays();
    const first = setup({ store });
    await first.consent.ask('after_purchase');
    expect(store.days.get('after_purchase')).toBe('2030-01-01');

    // Same store, new app run, 23:59 in China: still today.
    const rerun = setup({ store });
    rerun.later(14 * HOUR - 60_000);
    await expect(rerun.consent.ask('after_purchase')).resolves.toMatchObject({ reason: 'asked-today' });
    rerun.later(60_000);
    await expect(rerun.consent.ask('after_purchase')).resolves.toMatchObject({ status: 'answered' });
    expect(store.days.get('after_purchase')).toBe('2030-01-02');
  });

  it('a refusal uses up the day; a sheet that failed to open does not', async () => {
    const refused = setup({ sheet: async (ids) => Object.fromEntries(ids.map((id) => [id, 'reject' as const])) });
    await expect(refused.consent.ask('top_up')).resolves.toMatchObject({ status: 'answered', accepted: [] });
    expect(refused.recordConsent).toHaveBeenCalledWith('top_up', {
      [TEMPLATE.topup_succeeded]: 'reject',
      [TEMPLATE.points_changed]: 'reject',
    });
    await expect(refused.consent.ask('top_up')).resolves.toMatchObject({ reason: 'asked-today' });

    let calls = 0;
    const flaky = setup({
      sheet: async (ids) => {
        calls += 1;
        if (calls === 1) throw new PlatformError('FAILED', '操作失败：requestSubscribeMessage:fail TAP gesture');
        return acceptAll(ids);
      },
    });
    await expect(flaky.consent.ask('top_up')).resolves.toMatchObject({ status: 'failed', stage: 'ask' });
    await expect(flaky.consent.ask('top_up')).resolves.toMatchObject({ status: 'answered' });
  });

  it('while a sheet is open, another tap shows no second one', async () => {
    let answer: (decisions: Record<string, SubscribeDecision>) => void = () => {};
    const { consent, requestSubscribeMessage } = setup({
      sheet: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    consent.prefetch();
    await new Promise((resolve) => setImmediate(resolve));
    const first = consent.ask('points_page');
    await expect(consent.ask('top_up')).resolves.toEqual({ status: 'skipped', reason: 'busy' });
    answer({ [TEMPLATE.points_changed]: 'accept' });
    await expect(first).resolves.toMatchObject({ status: 'answered' });
    expect(requestSubscribeMessage).toHaveBeenCalledTimes(1);

    // Free again once answered: the skipped moment was not used up.
    const again = consent.ask('top_up');
    answer({ [TEMPLATE.topup_succeeded]: 'accept' });
    await expect(again).resolves.toMatchObject({ status: 'answered', accepted: [TEMPLATE.topup_succeeded] });
  });
});

describe('failures stay out of the page', () => {
  it('a sheet that fails resolves as failed and is logged', async () => {
    const { consent, recordConsent, logged } = setup({
      sheet: async () => {
        throw new PlatformError('UNSUPPORTED', '服务器未启用微信沙箱');
      },
    });
    await expect(consent.ask('points_page')).resolves.toMatchObject({ status: 'failed', stage: 'ask' });
    expect(recordConsent).not.toHaveBeenCalled();
    expect(logged).toEqual(['订阅消息：询问失败（points_page）']);
  });

  it('an answer the server does not take (an unknown template) resolves as failed, with what was answered', async () => {
    const { consent, logged } = setup({
      record: async () => {
        throw new ApiError('MESSAGE_TEMPLATE_UNKNOWN', '不是本小程序的订阅消息模板', 400);
      },
    });
    const outcome = await consent.ask('top_up');
    expect(outcome).toMatchObject({
      status: 'failed',
      stage: 'record',
      decisions: { [TEMPLATE.topup_succeeded]: 'accept', [TEMPLATE.points_changed]: 'accept' },
    });
    expect(logged).toEqual(['订阅消息：同意结果未能保存（top_up）']);
  });

  it('broken storage is logged too, never thrown', async () => {
    const store: AskedDayStore = {
      get: () => {
        throw new Error('storage full');
      },
      set: () => {},
    };
    const { consent, logged } = setup({ store });
    await expect(consent.ask('points_page')).resolves.toMatchObject({ status: 'failed' });
    expect(logged).toHaveLength(1);
  });
});

describe('subscribing on the 消息订阅 page', () => {
  it('asks for exactly the tapped template under the preferences scene, as often as the member taps', async () => {
    const { consent, requestSubscribeMessage, recordConsent, preferences } = setup();
    await consent.subscribe([TEMPLATE.referral_reward]);
    await expect(consent.subscribe([TEMPLATE.referral_reward])).resolves.toMatchObject({
      status: 'answered',
      accepted: [TEMPLATE.referral_reward],
    });
    expect(requestSubscribeMessage).toHaveBeenCalledTimes(2);
    expect(requestSubscribeMessage.mock.calls[0]?.[0]).toEqual([TEMPLATE.referral_reward]);
    expect(recordConsent).toHaveBeenCalledWith('preferences', { [TEMPLATE.referral_reward]: 'accept' });
    // The page already has the list; subscribing does not load it first.
    expect(preferences).not.toHaveBeenCalled();
  });

  it('titles the sheet from the loaded preferences, and keeps what reload and remember hand it', async () => {
    const { consent, requestSubscribeMessage } = setup({
      preferences: async () => preferencesFixture({ quota: { coupon_received: 2 } }),
    });
    const loaded = await consent.reload();
    expect(consent.current()).toBe(loaded);
    await consent.subscribe([TEMPLATE.coupon_received]);
    expect(requestSubscribeMessage.mock.calls[0]?.[1]).toEqual({
      [TEMPLATE.coupon_received]: titleOf('coupon_received'),
    });

    const muted = preferencesFixture({ muted: ['campaign'] });
    consent.remember(muted);
    expect(consent.current()).toBe(muted);
  });
});

describe('template helpers', () => {
  it('keeps at most 3 distinct templates per scene', () => {
    const prefs = preferencesFixture();
    prefs.scenes.other = ['a', 'b', 'a', 'c', 'd'];
    expect(sceneTemplates(prefs, 'other')).toEqual(['a', 'b', 'c']);
  });

  it('titles a template by every kind it sends, and leaves one the preferences do not name untitled', () => {
    expect(titleOf('tier_changed')).toBe('会员升级、等级保级提醒');
    expect(templateTitles(preferencesFixture(), ['unknown', TEMPLATE.topup_succeeded])).toEqual({
      [TEMPLATE.topup_succeeded]: '储值成功',
    });
    expect(templateTitles(null, ['x'])).toEqual({});
  });
});
