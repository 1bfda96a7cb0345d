import type { MyCardResponse } from '@member-hub/shared';

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What the page shows for a rotating code: the member card's (the default) or the payment code's. */
export type CardView<T = MyCardResponse> =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | {
      status: 'ready';
      card: T;
      /** Whole seconds until the code is replaced (0 while a refresh is under way). */
      secondsLeft: number;
      refreshing: boolean;
      /** The shown code is past its window and a refresh failed: staff would reject it. */
      expired: boolean;
      /** A refresh failed; the message says why, the old code stays until it expires. */
      refreshError: string | null;
    };

export interface CodeRefresherDeps<T = MyCardResponse> {
  load: () => Promise<T>;
  onChange: (view: CardView<T>) => void;
  clock?: Clock;
}

/** Codes rotate every 60 s; a deadline further out than this means the phone's clock is wrong. */
export const MAX_WINDOW_MS = 60_000;
/** Never ask again sooner than this, even if the server says the window is about to end. */
export const MIN_DELAY_MS = 1_000;
/** After a failed refresh, wait this long before the next try. */
export const RETRY_DELAY_MS = 5_000;

/**
 * How long to show a code before fetching the next one. `refreshAt` is server time; the phone's clock can be off,
 * so the delay is kept inside (MIN_DELAY_MS, MAX_WINDOW_MS]: a code is never shown longer than one window, and a
 * clock running ahead (refreshAt already "past") cannot make the page fetch in a tight loop.
 */
export function refreshDelay(refreshAt: string, now: number): number {
  const at = Date.parse(refreshAt);
  if (Number.isNaN(at)) return MAX_WINDOW_MS;
  return Math.min(MAX_WINDOW_MS, Math.max(MIN_DELAY_MS, at - now));
}

export interface CodeRefresher {
  /** Loads the card now and keeps the code fresh until stop(). Calling it again restarts. */
  start(): void;
  /** The "刷新" tap: fetch a new code now. */
  refresh(): void;
  /** Page hidden or unmounted: no timers, no more updates. */
  stop(): void;
}

/**
 * Keeps a rotating code current: fetches on start, again when the code's window ends, on demand, and retries
 * after failures; ticks once a second for the countdown. Answers from a superseded fetch are dropped. The member
 * card's code ends at `code.refreshAt`; anything else (the payment code) says where its window ends.
 */
export function createCodeRefresher(deps: CodeRefresherDeps): CodeRefresher;
export function createCodeRefresher<T>(deps: CodeRefresherDeps<T> & { endsAt: (loaded: T) => string }): CodeRefresher;
export function createCodeRefresher<T>({
  load,
  onChange,
  clock = realClock,
  endsAt = (loaded) => (loaded as MyCardResponse).code.refreshAt,
}: CodeRefresherDeps<T> & { endsAt?: (loaded: T) => string }): CodeRefresher {
  let view: CardView<T> = { status: 'loading' };
  let running = false;
  let generation = 0;
  /** Local time at which the shown code should be replaced. */
  let deadline = 0;
  let refreshTimer: unknown = null;
  let tickTimer: unknown = null;

  function emit(next: CardView<T>) {
    view = next;
    onChange(next);
  }

  function clearTimers() {
    if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
    if (tickTimer !== null) clock.clearTimeout(tickTimer);
    refreshTimer = null;
    tickTimer = null;
  }

  function secondsLeft(): number {
    return Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
  }

  function tick() {
    tickTimer = null;
    if (!running || view.status !== 'ready' || view.refreshing) return;
    emit({ ...view, secondsLeft: secondsLeft() });
    // Wake at the next whole second of the countdown.
    const untilNextSecond = (deadline - clock.now()) % 1000 || 1000;
    if (deadline > clock.now()) tickTimer = clock.setTimeout(tick, untilNextSecond);
  }

  function schedule(delay: number) {
    clearTimers();
    refreshTimer = clock.setTimeout(() => {
      refreshTimer = null;
      void fetchCode();
    }, delay);
    tick();
  }

  async function fetchCode() {
    const id = ++generation;
    clearTimers();
    if (view.status === 'ready') emit({ ...view, refreshing: true, secondsLeft: 0 });
    else emit({ status: 'loading' });
    try {
      const card = await load();
      if (!running || id !== generation) return;
      const delay = refreshDelay(endsAt(card), clock.now());
      deadline = clock.now() + delay;
      emit({
        status: 'ready',
        card,
        secondsLeft: secondsLeft(),
        refreshing: false,
        expired: false,
        refreshError: null,
      });
      schedule(delay);
    } catch (error) {
      if (!running || id !== generation) return;
      const message = error instanceof Error && error.message ? error.message : '加载失败，请稍后重试';
      if (view.status === 'ready') {
        const expired = clock.now() >= deadline;
        emit({ ...view, refreshing: false, expired, refreshError: message, secondsLeft: secondsLeft() });
        clearTimers();
        refreshTimer = clock.setTimeout(() => {
          refreshTimer = null;
          void fetchCode();
        }, RETRY_DELAY_MS);
      } else {
        // Nothing to show yet: the page offers "重试" rather than hammering a server that is down.
        emit({ status: 'error', message });
      }
    }
  }

  return {
    start() {
      running = true;
      void fetchCode();
    },
    refresh() {
      running = true;
      void fetchCode();
    },
    stop() {
      running = false;
      generation += 1;
      clearTimers();
    },
  };
}
