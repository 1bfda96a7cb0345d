import { ApiError } from '../api/errors';
import { fakeClock, flush } from '../testing/fake-clock';
import { createPoller, type PollState } from './poller';

/** A poller over a list of answers (numbers; 3 or more counts as settled), one per ask. */
function setup(answers: Array<number | Error>, options: { timeoutMs?: number } = {}) {
  const { clock, advance, pending } = fakeClock();
  const states: PollState<number>[] = [];
  let calls = 0;
  const load = jest.fn(async () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    if (answer instanceof Error) throw answer;
    return answer ?? 0;
  });
  const poller = createPoller({
    load,
    settled: (n) => n >= 3,
    intervalMs: 1_500,
    fatal: (e) => e instanceof ApiError && e.code === 'ROUTE_NOT_FOUND',
    onChange: (s) => states.push(s),
    clock,
    ...options,
  });
  return { poller, load, states, last: () => states.at(-1), advance, pending };
}

describe('createPoller', () => {
  it('asks at once, then every interval, and stops when the answer settles', async () => {
    const t = setup([1, 2, 3]);
    t.poller.start();
    await flush();
    expect(t.load).toHaveBeenCalledTimes(1);
    expect(t.last()).toEqual({ status: 'waiting', value: 1, error: null });
    await t.advance(1_499);
    expect(t.load).toHaveBeenCalledTimes(1);
    await t.advance(1);
    expect(t.last()).toEqual({ status: 'waiting', value: 2, error: null });
    await t.advance(1_500);
    expect(t.last()).toEqual({ status: 'settled', value: 3 });
    await t.advance(60_000);
    expect(t.load).toHaveBeenCalledTimes(3);
    expect(t.pending()).toBe(0);
  });

  it('keeps the last answer through a passing failure and asks again', async () => {
    const network = new ApiError('NETWORK_ERROR', '网络连接失败', 0);
    const t = setup([1, network, 3]);
    t.poller.start();
    await flush();
    await t.advance(1_500);
    expect(t.last()).toEqual({ status: 'waiting', value: 1, error: network });
    await t.advance(1_500);
    expect(t.last()).toEqual({ status: 'settled', value: 3 });
  });

  it('gives up at once on a failure asking again cannot fix', async () => {
    const missing = new ApiError('ROUTE_NOT_FOUND', '接口不存在', 404);
    const t = setup([missing]);
    t.poller.start();
    await flush();
    expect(t.last()).toEqual({ status: 'failed', error: missing });
    await t.advance(10_000);
    expect(t.load).toHaveBeenCalledTimes(1);
  });

  it('reports a timeout with the last answer after the window, and start() begins a new window', async () => {
    const t = setup([1], { timeoutMs: 30_000 });
    t.poller.start();
    await flush();
    await t.advance(30_000);
    expect(t.last()).toEqual({ status: 'timeout', value: 1 });
    // 1 at once + one every 1.5 s until 30 s have passed.
    expect(t.load).toHaveBeenCalledTimes(21);
    await t.advance(30_000);
    expect(t.load).toHaveBeenCalledTimes(21);

    t.poller.start();
    await flush();
    expect(t.load).toHaveBeenCalledTimes(22);
    expect(t.last()?.status).toBe('waiting');
  });

  it('never has two asks in flight: the next waits for a slow answer', async () => {
    const { clock, advance } = fakeClock();
    let release: (n: number) => void = () => {};
    const load = jest.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const poller = createPoller({ load, settled: () => false, intervalMs: 1_000, onChange: () => {}, clock });
    poller.start();
    await advance(10_000);
    expect(load).toHaveBeenCalledTimes(1);
    release(1);
    await flush();
    await advance(999);
    expect(load).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops an answer that arrives after stop(), and asks nothing more', async () => {
    const { clock, advance } = fakeClock();
    const states: PollState<number>[] = [];
    let release: (n: number) => void = () => {};
    const load = jest.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const poller = createPoller({
      load,
      settled: () => false,
      intervalMs: 1_000,
      onChange: (s) => states.push(s),
      clock,
    });
    poller.start();
    poller.stop();
    release(5);
    await advance(10_000);
    expect(states).toEqual([]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
