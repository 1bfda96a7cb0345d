import type { MyCardResponse, PayCode } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { fakeClock, flush } from '../testing/fake-clock';
import { memberCard, NOW as T0 } from '../testing/fixtures';
import { type CardView, createCodeRefresher, MAX_WINDOW_MS, RETRY_DELAY_MS, refreshDelay } from './code-refresher';

function card(numeric: string, refreshAt: number): MyCardResponse {
  return {
    ...memberCard,
    code: { numeric, qrPayload: `MH1:demo:${numeric}`, refreshAt: new Date(refreshAt).toISOString() },
  };
}

function setup(answers: Array<(now: number) => MyCardResponse | Error>) {
  const { clock, advance, pending } = fakeClock();
  const views: CardView[] = [];
  let calls = 0;
  const load = jest.fn(async () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    const result = answer ? answer(clock.now()) : new Error('no answer');
    if (result instanceof Error) throw result;
    return result;
  });
  const refresher = createCodeRefresher({ load, onChange: (v) => views.push(v), clock });
  const last = () => views[views.length - 1];
  const shown = () => {
    const v = last();
    return v?.status === 'ready' ? v.card.code.numeric : null;
  };
  return { refresher, load, views, last, shown, advance, pending };
}

describe('refreshDelay', () => {
  it('waits until refreshAt', () => {
    expect(refreshDelay(new Date(T0 + 42_000).toISOString(), T0)).toBe(42_000);
  });
  it('never waits longer than one window, even when the phone clock is behind', () => {
    expect(refreshDelay(new Date(T0 + 10 * 60_000).toISOString(), T0)).toBe(MAX_WINDOW_MS);
  });
  it('never asks in a tight loop when the phone clock is ahead of the server', () => {
    expect(refreshDelay(new Date(T0 - 30_000).toISOString(), T0)).toBe(1_000);
    expect(refreshDelay('not a date', T0)).toBe(MAX_WINDOW_MS);
  });
});

describe('createCodeRefresher', () => {
  it('loads a code, counts down, and fetches the next one when refreshAt passes', async () => {
    const t = setup([(now) => card('11111111', now + 30_000), (now) => card('22222222', now + 60_000)]);
    t.refresher.start();
    expect(t.last()).toEqual({ status: 'loading' });
    await flush();
    expect(t.shown()).toBe('11111111');
    expect(t.last()).toMatchObject({ secondsLeft: 30, refreshing: false });

    await t.advance(10_000);
    expect(t.last()).toMatchObject({ secondsLeft: 20 });
    expect(t.load).toHaveBeenCalledTimes(1);

    await t.advance(19_999);
    expect(t.load).toHaveBeenCalledTimes(1);
    expect(t.last()).toMatchObject({ secondsLeft: 1 });
    await t.advance(1);
    expect(t.load).toHaveBeenCalledTimes(2);
    expect(t.shown()).toBe('22222222');
    expect(t.last()).toMatchObject({ secondsLeft: 60 });
    t.refresher.stop();
  });

  it('"刷新" fetches at once and reschedules from the new code', async () => {
    const t = setup([(now) => card('11111111', now + 60_000), (now) => card('22222222', now + 60_000)]);
    t.refresher.start();
    await flush();
    await t.advance(20_000);
    t.refresher.refresh();
    expect(t.last()).toMatchObject({ status: 'ready', refreshing: true });
    await flush();
    expect(t.shown()).toBe('22222222');
    await t.advance(59_000);
    // The old schedule (due at 60 s) was dropped: no third fetch yet.
    expect(t.load).toHaveBeenCalledTimes(2);
    await t.advance(1_000);
    expect(t.load).toHaveBeenCalledTimes(3);
    t.refresher.stop();
  });

  it('keeps the old code after a failed refresh, marks it expired, and retries', async () => {
    const t = setup([
      (now) => card('11111111', now + 10_000),
      () => new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0),
      (now) => card('33333333', now + 60_000),
    ]);
    t.refresher.start();
    await flush();
    await t.advance(10_000);
    expect(t.load).toHaveBeenCalledTimes(2);
    expect(t.last()).toMatchObject({
      status: 'ready',
      expired: true,
      refreshError: '网络连接失败，请检查网络后重试',
    });
    expect(t.shown()).toBe('11111111');
    await t.advance(RETRY_DELAY_MS);
    expect(t.load).toHaveBeenCalledTimes(3);
    expect(t.shown()).toBe('33333333');
    expect(t.last()).toMatchObject({ expired: false, refreshError: null });
    t.refresher.stop();
  });

  it('shows an error (and does not loop) when the first load fails', async () => {
    const t = setup([() => new ApiError('INTERNAL', '服务器开小差了，请稍后再试', 500)]);
    t.refresher.start();
    await flush();
    expect(t.last()).toEqual({ status: 'error', message: '服务器开小差了，请稍后再试' });
    await t.advance(5 * 60_000);
    expect(t.load).toHaveBeenCalledTimes(1);
  });

  it('stop() cancels timers and ignores an answer still in flight', async () => {
    let release: (c: MyCardResponse) => void = () => {};
    const { clock, advance, pending } = fakeClock();
    const views: CardView[] = [];
    const load = jest.fn(() => new Promise<MyCardResponse>((resolve) => (release = resolve)));
    const refresher = createCodeRefresher({ load, onChange: (v) => views.push(v), clock });
    refresher.start();
    refresher.stop();
    release(card('11111111', T0 + 60_000));
    await flush();
    expect(views).toEqual([{ status: 'loading' }]);
    expect(pending()).toBe(0);
    await advance(120_000);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('drops a slow earlier answer when a later refresh already answered', async () => {
    const releases: Array<(c: MyCardResponse) => void> = [];
    const { clock } = fakeClock();
    const views: CardView[] = [];
    const load = () => new Promise<MyCardResponse>((resolve) => releases.push(resolve));
    const refresher = createCodeRefresher({ load, onChange: (v) => views.push(v), clock });
    refresher.start();
    refresher.refresh();
    releases[1]?.(card('22222222', T0 + 60_000));
    await flush();
    releases[0]?.(card('11111111', T0 + 60_000));
    await flush();
    const last = views[views.length - 1];
    expect(last?.status === 'ready' && last.card.code.numeric).toBe('22222222');
    refresher.stop();
  });

  it('keeps a payment code fresh too: counts down to its expiresAt and fetches the next one then', async () => {
    const { clock, advance } = fakeClock();
    const views: CardView<PayCode>[] = [];
    let n = 0;
    const load = jest.fn(async () => ({
      code: `12345678901234567${++n}`,
      expiresAt: new Date(clock.now() + 45_000).toISOString(),
    }));
    const refresher = createCodeRefresher({
      load,
      onChange: (v) => views.push(v),
      endsAt: (payCode) => payCode.expiresAt,
      clock,
    });
    refresher.start();
    await flush();
    expect(views.at(-1)).toMatchObject({ status: 'ready', card: { code: '123456789012345671' }, secondsLeft: 45 });
    await advance(44_000);
    expect(views.at(-1)).toMatchObject({ secondsLeft: 1 });
    await advance(1_000);
    expect(load).toHaveBeenCalledTimes(2);
    expect(views.at(-1)).toMatchObject({ status: 'ready', card: { code: '123456789012345672' } });
    refresher.stop();
  });
});
