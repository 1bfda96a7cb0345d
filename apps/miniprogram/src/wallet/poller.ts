import { type Clock, realClock } from '../card/code-refresher';

export type PollState<T> =
  /** Still asking: the last answer (null before the first) and the last failure, if the last ask failed. */
  | { status: 'waiting'; value: T | null; error: unknown }
  /** An answer after which there is nothing more to wait for. */
  | { status: 'settled'; value: T }
  /** Asked for `timeoutMs` without a settled answer; the page offers to look again. */
  | { status: 'timeout'; value: T | null }
  /** A failure asking again cannot fix (the route is missing, the thing does not exist). */
  | { status: 'failed'; error: unknown };

export interface PollerDeps<T> {
  load: () => Promise<T>;
  settled: (value: T) => boolean;
  intervalMs: number;
  /** Give up after this long; without it, ask until stop(). */
  timeoutMs?: number;
  /** Failures that end the polling at once; any other failure is retried at the next interval. */
  fatal?: (error: unknown) => boolean;
  onChange: (state: PollState<T>) => void;
  clock?: Clock;
}

export interface Poller {
  /** Asks now and then every `intervalMs`; calling it again starts over (and restarts the timeout). */
  start(): void;
  /** Page hidden or left: no timer, no more updates, answers still on the way are dropped. */
  stop(): void;
}

/**
 * Asks the server the same question until the answer settles: one request at a time (the next is scheduled
 * after the answer, so a slow server is never asked twice at once), transient failures kept quiet and retried,
 * answers from before a stop or restart dropped.
 */
export function createPoller<T>({
  load,
  settled,
  intervalMs,
  timeoutMs,
  fatal = () => false,
  onChange,
  clock = realClock,
}: PollerDeps<T>): Poller {
  let generation = 0;
  let timer: unknown = null;
  let startedAt = 0;
  let last: T | null = null;

  function clear() {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function next(mine: number) {
    if (timeoutMs !== undefined && clock.now() - startedAt >= timeoutMs) {
      onChange({ status: 'timeout', value: last });
      return;
    }
    timer = clock.setTimeout(() => {
      timer = null;
      void ask(mine);
    }, intervalMs);
  }

  async function ask(mine: number) {
    try {
      const value = await load();
      if (mine !== generation) return;
      last = value;
      if (settled(value)) {
        onChange({ status: 'settled', value });
        return;
      }
      onChange({ status: 'waiting', value, error: null });
    } catch (error) {
      if (mine !== generation) return;
      if (fatal(error)) {
        onChange({ status: 'failed', error });
        return;
      }
      onChange({ status: 'waiting', value: last, error });
    }
    next(mine);
  }

  return {
    start() {
      clear();
      generation += 1;
      startedAt = clock.now();
      void ask(generation);
    },
    stop() {
      clear();
      generation += 1;
    },
  };
}
