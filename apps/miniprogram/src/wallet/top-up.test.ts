import type { Charge, TopUp } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { PlatformError } from '../platform/types';
import { fakeClock, flush } from '../testing/fake-clock';
import { charge, topUp, wallet } from '../testing/fixtures';
import { chargeDone, chargeEndText, chargePagePath, createChargeWatcher, readChargeTicket } from './charge';
import { pagePath, payAndReturn, readWxPay, withWxPay } from './payment';
import type { PollState } from './poller';
import {
  canRefundTopUp,
  createTopUpTracker,
  readTopUpTicket,
  refundConfirmText,
  refundStateText,
  type TopUpView,
  topUpPagePath,
} from './top-up';

const payment = {
  appId: 'wx1',
  timeStamp: '1700000000',
  nonceStr: 'n',
  package: 'prepay_id=wx1',
  signType: 'RSA' as const,
  paySign: 's',
};

describe('return paths', () => {
  it('carries the top-up, its package and key to the result page and reads them back', () => {
    const path = topUpPagePath({ topUpId: 't1', packageId: 'p1', idempotencyKey: 'k-1' });
    expect(path).toBe('/pages/wallet/top-up?id=t1&pkg=p1&key=k-1');
    expect(readTopUpTicket({ id: 't1', pkg: 'p1', key: 'k-1', wxpay: 'ok' })).toEqual({
      topUpId: 't1',
      packageId: 'p1',
      idempotencyKey: 'k-1',
    });
    expect(readTopUpTicket({ id: 't1' })).toEqual({ topUpId: 't1', packageId: null, idempotencyKey: null });
    expect(readTopUpTicket({})).toBeNull();
  });

  it('carries a charge and its confirmation key back to the 付款 page', () => {
    expect(chargePagePath({ chargeId: 'c1', idempotencyKey: 'k 1' })).toBe('/pages/wallet/pay?charge=c1&key=k%201');
    expect(readChargeTicket({ charge: 'c1', key: 'k 1' })).toEqual({ chargeId: 'c1', idempotencyKey: 'k 1' });
    expect(readChargeTicket({ key: 'k' })).toBeNull();
    expect(pagePath('/pages/x', { a: '', b: null, c: undefined })).toBe('/pages/x');
  });

  it('appends wxpay the way the sandbox cashier does, and reads only the three results', () => {
    expect(withWxPay('/pages/wallet/top-up?id=t1', 'ok')).toBe('/pages/wallet/top-up?id=t1&wxpay=ok');
    expect(withWxPay('/pages/wallet/pay', 'cancel')).toBe('/pages/wallet/pay?wxpay=cancel');
    expect(['ok', 'cancel', 'fail', 'OK', '', undefined].map(readWxPay)).toEqual([
      'ok',
      'cancel',
      'fail',
      null,
      null,
      null,
    ]);
  });
});

describe('payAndReturn', () => {
  const back = '/pages/wallet/top-up?id=t1';

  it('on weapp comes back to the result page with what the pay sheet said', async () => {
    await expect(payAndReturn(async () => 'paid', payment, back)).resolves.toBe(`${back}&wxpay=ok`);
    const cancelled = async () => Promise.reject(new PlatformError('CANCELLED', '支付已取消'));
    await expect(payAndReturn(cancelled, payment, back)).resolves.toBe(`${back}&wxpay=cancel`);
    const failed = async () => Promise.reject(new PlatformError('FAILED', '操作失败'));
    await expect(payAndReturn(failed, payment, back)).resolves.toBe(`${back}&wxpay=fail`);
  });

  it('on H5 does nothing more (the cashier comes back by itself) and hands the return path over', async () => {
    const pay = jest.fn(async () => 'redirected' as const);
    await expect(payAndReturn(pay, payment, back)).resolves.toBeNull();
    expect(pay).toHaveBeenCalledWith(payment, back);
  });

  it('throws what is no payment result, for the page to show', async () => {
    const off = async () => Promise.reject(new PlatformError('UNSUPPORTED', '服务器未启用微信沙箱'));
    await expect(payAndReturn(off, payment, back)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

function tracker(wxpay: 'ok' | 'cancel' | 'fail' | null, answers: Array<TopUp | Error>, confirmAnswer?: TopUp | Error) {
  const { clock, advance } = fakeClock();
  const views: TopUpView[] = [];
  let calls = 0;
  const load = jest.fn(async () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    if (!answer) throw new Error('no answer');
    if (answer instanceof Error) throw answer;
    return answer;
  });
  const confirm = jest.fn(async () => {
    if (confirmAnswer instanceof Error) throw confirmAnswer;
    return confirmAnswer ?? null;
  });
  const t = createTopUpTracker({ topUpId: 't1', wxpay, confirm, load, onChange: (v) => views.push(v), clock });
  return { t, load, confirm, views, last: () => views.at(-1), advance };
}

describe('createTopUpTracker (充值结果)', () => {
  const pending = topUp();
  const paid = topUp({ status: 'paid', paidAt: '2030-01-01T00:00:05Z' });

  it('after wxpay=ok confirms once, shows 确认中 while pending and the top-up once paid', async () => {
    const s = tracker('ok', [pending, pending, paid]);
    s.t.start();
    expect(s.last()).toEqual({ phase: 'confirming', topUp: null });
    await flush();
    expect(s.confirm).toHaveBeenCalledTimes(1);
    expect(s.last()).toEqual({ phase: 'confirming', topUp: pending });
    await s.advance(1_500);
    expect(s.last()?.phase).toBe('confirming');
    await s.advance(1_500);
    expect(s.last()).toEqual({ phase: 'shown', topUp: paid });
    expect(s.load).toHaveBeenCalledTimes(3);
    await s.advance(30_000);
    expect(s.load).toHaveBeenCalledTimes(3);
  });

  it('needs no polling when the confirm answer is already paid', async () => {
    const s = tracker('ok', [pending], paid);
    s.t.start();
    await flush();
    expect(s.last()).toEqual({ phase: 'shown', topUp: paid });
    expect(s.load).not.toHaveBeenCalled();
  });

  it('keeps looking when the confirm call fails (the notification may still credit it)', async () => {
    const s = tracker('ok', [paid], new ApiError('WECHAT_UNAVAILABLE', '微信服务暂时不可用', 502));
    s.t.start();
    await flush();
    expect(s.last()).toEqual({ phase: 'shown', topUp: paid });
  });

  it('stops at closed, and after 30 s pending says so; 再查一次 polls again without a second confirm', async () => {
    const closed = tracker('ok', [topUp({ status: 'closed' })]);
    closed.t.start();
    await flush();
    expect(closed.last()).toMatchObject({ phase: 'shown', topUp: { status: 'closed' } });

    const s = tracker('ok', [pending]);
    s.t.start();
    await flush();
    await s.advance(30_000);
    expect(s.last()).toEqual({ phase: 'timeout', topUp: pending });
    const asked = s.load.mock.calls.length;
    await s.advance(30_000);
    expect(s.load).toHaveBeenCalledTimes(asked);

    s.t.pollAgain();
    expect(s.last()).toEqual({ phase: 'confirming', topUp: pending });
    await flush();
    expect(s.load).toHaveBeenCalledTimes(asked + 1);
    expect(s.confirm).toHaveBeenCalledTimes(1);
  });

  it('says 即将上线 when the server has no wallet routes', async () => {
    const missing = new ApiError('ROUTE_NOT_FOUND', '接口不存在', 404);
    const s = tracker('ok', [missing], missing);
    s.t.start();
    await flush();
    expect(s.last()).toEqual({ phase: 'error', message: '接口不存在', missing: true });
    expect(s.load).not.toHaveBeenCalled();
  });

  it('after wxpay=cancel or fail shows that at once, with the top-up when it loads, and never confirms', async () => {
    const s = tracker('cancel', [pending]);
    s.t.start();
    expect(s.last()).toEqual({ phase: 'cancelled', topUp: null });
    await flush();
    expect(s.last()).toEqual({ phase: 'cancelled', topUp: pending });
    expect(s.confirm).not.toHaveBeenCalled();

    const f = tracker('fail', [new ApiError('NETWORK_ERROR', '网络连接失败', 0)]);
    f.t.start();
    await flush();
    expect(f.last()).toEqual({ phase: 'failed', topUp: null });

    // Paid after all (another tap went through): the result wins over what the sheet said.
    const p = tracker('cancel', [paid]);
    p.t.start();
    await flush();
    expect(p.last()).toEqual({ phase: 'shown', topUp: paid });
  });

  it('opened without wxpay shows the top-up as it is, and reload() reads it again', async () => {
    const s = tracker(null, [paid, topUp({ status: 'refunding' })]);
    s.t.start();
    expect(s.last()).toEqual({ phase: 'loading' });
    await flush();
    expect(s.last()).toEqual({ phase: 'shown', topUp: paid });
    s.t.reload();
    await flush();
    expect(s.last()).toMatchObject({ phase: 'shown', topUp: { status: 'refunding' } });
    expect(s.confirm).not.toHaveBeenCalled();

    const gone = tracker(null, [new ApiError('NOT_FOUND', '资源不存在', 404)]);
    gone.t.start();
    await flush();
    expect(gone.last()).toEqual({ phase: 'error', message: '资源不存在', missing: false });
  });

  it('drops answers after stop()', async () => {
    const s = tracker('ok', [pending]);
    s.t.start();
    s.t.stop();
    await s.advance(10_000);
    expect(s.views).toEqual([{ phase: 'confirming', topUp: null }]);
  });
});

describe('top-up refunds', () => {
  const paid = topUp({ status: 'paid' });

  it('are offered only when the owner allows them, on a paid top-up with principal left', () => {
    expect(canRefundTopUp(paid, wallet)).toBe(true);
    expect(canRefundTopUp(paid, { ...wallet, refundEnabled: false })).toBe(false);
    expect(canRefundTopUp(paid, { ...wallet, principalFen: 0 })).toBe(false);
    expect(canRefundTopUp(paid, null)).toBe(false);
    expect(canRefundTopUp(topUp({ status: 'pending' }), wallet)).toBe(false);
    const asked = { principalFen: 50_000, bonusForfeitedFen: 5_000, requestedAt: '', finishedAt: null };
    expect(canRefundTopUp(topUp({ status: 'paid', refund: { ...asked, status: 'processing' } }), wallet)).toBe(false);
    expect(canRefundTopUp(topUp({ status: 'paid', refund: { ...asked, status: 'failed' } }), wallet)).toBe(true);
  });

  it('warn that the bonus goes in proportion, and show how a refund stands', () => {
    expect(refundConfirmText(paid)).toContain('最多 ¥500.00');
    expect(refundConfirmText(paid)).toContain('赠送的 ¥50.00 将按退款比例作废');
    expect(refundConfirmText(topUp({ bonusFen: 0 }))).not.toContain('赠送');
    expect(refundStateText(paid)).toBeNull();
    const refund = { principalFen: 40_000, bonusForfeitedFen: 4_000, requestedAt: '', finishedAt: null };
    expect(refundStateText(topUp({ status: 'refunding', refund: { ...refund, status: 'processing' } }))).toBe(
      '退款处理中：退还本金 ¥400.00，作废赠送 ¥40.00',
    );
    expect(refundStateText(topUp({ refund: { ...refund, bonusForfeitedFen: 0, status: 'succeeded' } }))).toBe(
      '退款成功：退还本金 ¥400.00',
    );
  });
});

describe('member charges', () => {
  it('are done for the member once no longer awaiting them or their WeChat Pay', () => {
    expect(chargeDone(charge())).toBe(false);
    expect(chargeDone(charge({ status: 'awaiting_payment' }))).toBe(false);
    expect(chargeDone(charge({ status: 'completed' }))).toBe(true);
    expect(chargeEndText(charge({ status: 'completed' }))).toBe('支付成功');
    expect(chargeEndText(charge({ status: 'cancelled' }))).toBe('这笔付款已取消');
    expect(chargeEndText(charge({ status: 'expired' }))).toContain('已过期');
  });
});

describe('createChargeWatcher (back from WeChat Pay)', () => {
  function watch(answers: Array<Charge | Error>) {
    const { clock, advance } = fakeClock();
    const states: PollState<Charge>[] = [];
    let calls = 0;
    const load = jest.fn(async (_id: string) => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (!answer || answer instanceof Error) throw answer ?? new Error('no answer');
      return answer;
    });
    const watcher = createChargeWatcher({ chargeId: 'c1', load, onChange: (s) => states.push(s), clock });
    return { watcher, load, states, last: () => states.at(-1), advance };
  }

  it('reads the charge the moment the member is back (no delay), then every 1.5 s until it is done', async () => {
    const paying = charge({ status: 'awaiting_payment', wechatFen: 5_000 });
    const w = watch([paying, charge({ status: 'completed' })]);
    w.watcher.start();
    // Asked synchronously on start: the server syncs with WeChat Pay on this very first read.
    expect(w.load).toHaveBeenCalledTimes(1);
    expect(w.load).toHaveBeenCalledWith('c1');
    await flush();
    expect(w.last()).toEqual({ status: 'waiting', value: paying, error: null });
    await w.advance(1_499);
    expect(w.load).toHaveBeenCalledTimes(1);
    await w.advance(1);
    expect(w.last()).toMatchObject({ status: 'settled', value: { status: 'completed' } });
    await w.advance(30_000);
    expect(w.load).toHaveBeenCalledTimes(2);
  });

  it('gives up at once on a charge that does not exist, and after 30 s says so', async () => {
    const gone = watch([new ApiError('NOT_FOUND', '资源不存在', 404)]);
    gone.watcher.start();
    await flush();
    expect(gone.last()).toMatchObject({ status: 'failed' });

    const slow = watch([charge({ status: 'awaiting_payment' })]);
    slow.watcher.start();
    await flush();
    await slow.advance(30_000);
    expect(slow.last()).toMatchObject({ status: 'timeout', value: { status: 'awaiting_payment' } });
  });
});
