// The tests' stand-in for time: a clock whose timers fire only when a test advances it.
import type { Clock } from '../card/code-refresher';
import { NOW } from './fixtures';

/** A manual clock: timers fire only when the test advances time (`advance` also lets answers settle). */
export function fakeClock(start = NOW) {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms) {
      nextId += 1;
      timers.set(nextId, { at: now + ms, callback });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  };
  async function advance(ms: number) {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].callback();
      await flush();
    }
    now = end;
    await flush();
  }
  return { clock, advance, pending: () => timers.size };
}

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
