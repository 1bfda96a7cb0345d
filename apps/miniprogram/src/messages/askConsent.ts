import { type ConsentScene, chinaDay, type MessagePreferences } from '@member-hub/shared';
import { MAX_TEMPLATES_PER_ASK } from '../platform/subscribe';
import type { Platform, SubscribeDecision } from '../platform/types';
import type { MessageService } from './messages';

/** The moments the app itself picks to ask (after a purchase, on the points page, on top-up...), not the member. */
export type ConsentMoment = Exclude<ConsentScene, 'preferences'>;

/** The China day (yyyy-MM-dd) each moment last showed the sheet, kept across app runs. */
export interface AskedDayStore {
  get(scene: ConsentScene): string | null;
  set(scene: ConsentScene, day: string): void;
}

export type ConsentOutcome =
  /** Nothing shown: this moment already asked today, there is nothing to ask for, or a sheet is already open. */
  | { status: 'skipped'; reason: 'asked-today' | 'nothing-to-ask' | 'busy' }
  /** The templates could not be loaded, the sheet failed, or the server did not take the answer (`decisions` set). */
  | {
      status: 'failed';
      stage: 'load' | 'ask' | 'record';
      error: unknown;
      decisions?: Record<string, SubscribeDecision>;
    }
  /** The member answered and the server recorded it: `accepted` templates have one more send each. */
  | {
      status: 'answered';
      decisions: Record<string, SubscribeDecision>;
      accepted: string[];
      preferences: MessagePreferences;
    };

export interface ConsentDeps {
  messages: Pick<MessageService, 'preferences' | 'recordConsent'>;
  platform: Pick<Platform, 'requestSubscribeMessage'>;
  store: AskedDayStore;
  now?: () => number;
  /** Where a failed ask is written down; the member never sees it. */
  log?: (message: string, error: unknown) => void;
}

export interface ConsentAsker {
  /**
   * Loads the templates ahead of the tap (call it when the page shows): WeChat shows its sheet only while a tap is
   * being handled, so the ask should not wait for the network first. Failures are dropped; the ask loads again.
   */
  prefetch(): void;
  /**
   * Asks for the moment's templates, from a tap handler: at most once per moment per China day, leaving out kinds
   * the member turned off. Never throws; a refusal or failure changes nothing on the page.
   */
  ask(scene: ConsentMoment): Promise<ConsentOutcome>;
  /** The member asked for these templates on the 消息订阅 page: no daily limit (each 允许 is one more message). */
  subscribe(templateIds: string[]): Promise<ConsentOutcome>;
  /** The preferences as last loaded or recorded this app run; null before the first load. */
  current(): MessagePreferences | null;
  /** Loads the preferences afresh (the 消息订阅 page) and keeps them; fails as the API does. */
  reload(): Promise<MessagePreferences>;
  /** Keeps preferences the server answered elsewhere (turning a kind off). */
  remember(preferences: MessagePreferences): void;
}

/** The moment's template ids, without those whose every kind the member turned off, at most 3. */
export function sceneTemplates(preferences: MessagePreferences, scene: ConsentScene): string[] {
  const wanted = (preferences.scenes[scene] ?? []).filter((id) => {
    const kinds = preferences.preferences.filter((p) => p.templateId === id);
    return kinds.length === 0 || kinds.some((p) => !p.muted);
  });
  return [...new Set(wanted)].slice(0, MAX_TEMPLATES_PER_ASK);
}

/** What the H5 sheet calls each template: the kinds sending it (`会员升级、等级保级提醒`). */
export function templateTitles(preferences: MessagePreferences | null, ids: string[]): Record<string, string> {
  const titles: Record<string, string> = {};
  for (const id of ids) {
    const labels = preferences?.preferences.filter((p) => p.templateId === id).map((p) => p.label) ?? [];
    if (labels.length) titles[id] = labels.join('、');
  }
  return titles;
}

export function createConsentAsker({
  messages,
  platform,
  store,
  now = Date.now,
  log = () => {},
}: ConsentDeps): ConsentAsker {
  let cached: MessagePreferences | null = null;
  let loading: Promise<MessagePreferences> | null = null;
  /** Bumped by every answer the server gives, so a slower load that started earlier does not overwrite it. */
  let version = 0;
  let busy = false;

  function remember(preferences: MessagePreferences) {
    version += 1;
    cached = preferences;
  }

  function load(): Promise<MessagePreferences> {
    if (loading) return loading;
    const started = version;
    const pending = messages.preferences().then((preferences) => {
      if (version === started) cached = preferences;
      return cached ?? preferences;
    });
    loading = pending;
    // A failure is not kept: the next ask loads again.
    const clear = () => {
      if (loading === pending) loading = null;
    };
    pending.then(clear, clear);
    return pending;
  }

  async function run(
    scene: ConsentScene,
    pick: (preferences: MessagePreferences | null) => string[],
    options: { daily: boolean; needsTemplates: boolean },
  ): Promise<ConsentOutcome> {
    if (busy) return { status: 'skipped', reason: 'busy' };
    busy = true;
    try {
      const day = chinaDay(now());
      if (options.daily && store.get(scene) === day) return { status: 'skipped', reason: 'asked-today' };

      // Cached: no await before the sheet, so it opens within the tap.
      let preferences = cached;
      if (!preferences && options.needsTemplates) {
        try {
          preferences = await load();
        } catch (error) {
          log(`订阅消息：模板加载失败（${scene}）`, error);
          return { status: 'failed', stage: 'load', error };
        }
      }
      const ids = pick(preferences);
      if (ids.length === 0) return { status: 'skipped', reason: 'nothing-to-ask' };

      let decisions: Record<string, SubscribeDecision>;
      try {
        decisions = await platform.requestSubscribeMessage(ids, templateTitles(preferences, ids));
      } catch (error) {
        log(`订阅消息：询问失败（${scene}）`, error);
        return { status: 'failed', stage: 'ask', error };
      }
      if (options.daily) store.set(scene, day);

      try {
        const recorded = await messages.recordConsent(scene, decisions);
        remember(recorded);
        const accepted = ids.filter((id) => decisions[id] === 'accept');
        return { status: 'answered', decisions, accepted, preferences: recorded };
      } catch (error) {
        log(`订阅消息：同意结果未能保存（${scene}）`, error);
        return { status: 'failed', stage: 'record', error, decisions };
      }
    } catch (error) {
      // Storage or anything else unexpected: still never into the page.
      log(`订阅消息：询问出错（${scene}）`, error);
      return { status: 'failed', stage: 'ask', error };
    } finally {
      busy = false;
    }
  }

  return {
    prefetch() {
      if (!cached) load().catch(() => {});
    },
    ask: (scene) =>
      run(scene, (preferences) => (preferences ? sceneTemplates(preferences, scene) : []), {
        daily: true,
        needsTemplates: true,
      }),
    subscribe: (templateIds) =>
      run('preferences', () => [...new Set(templateIds)].slice(0, MAX_TEMPLATES_PER_ASK), {
        daily: false,
        needsTemplates: false,
      }),
    current: () => cached,
    async reload() {
      const started = version;
      const preferences = await messages.preferences();
      if (version === started) remember(preferences);
      return cached ?? preferences;
    },
    remember,
  };
}
