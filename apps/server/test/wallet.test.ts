// Stored value end to end over HTTP: the hub, mongo-lite and the WeChat Pay sandbox (real RSA and AES-GCM).
import {
  Charge,
  CreateTopUpResult,
  IdentityPaths,
  PaymentList,
  TopUp,
  Wallet,
  WalletHistory,
  WalletPaths,
} from '@member-hub/shared';
import type { SandboxControl } from '@member-hub/wechat-sandbox';
import { Types } from 'mongoose';
import { reconcileDay, reconcileOpenPayments } from '../src/jobs/reconcilePayments';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let sandbox: SandboxControl;
let owner: string;
let staff: { token: string };
let manager: { token: string };
let pkg500: string;

beforeAll(async () => {
  // Retries a hundredfold faster than WeChat's (15 s -> 150 ms): quick, yet slow enough to look between them.
  hub = await startTestHub(undefined, { notifyRetryScale: 0.01 });
  if (!hub.sandbox) throw new Error('the tests need the sandbox');
  sandbox = hub.sandbox;
  owner = await ownerToken(hub);
  const store = await createStore(hub, owner, 'PAY1');
  staff = await createStaff(hub, owner, store, 'pay-cashier');
  manager = await createStaff(hub, owner, store, 'pay-manager', 'manager');
  const res = await request(hub.url, 'POST', WalletPaths.adminPackages, {
    token: owner,
    json: { name: '充500送50', payFen: 50_000, bonusFen: 5_000 },
  });
  expect(res.status).toBe(201);
  pkg500 = res.body.id;
});
afterAll(async () => {
  await hub.stop();
});

let seq = 0;
const key = (tag: string) => `${tag}-${++seq}-key-padding`;

async function walletOf(token: string): Promise<Wallet> {
  const res = await request(hub.url, 'GET', WalletPaths.myWallet, { token });
  return Wallet.parse(res.body);
}

async function verifyLedger(memberId: string) {
  const sums = await hub.deps.ledger.verify(new Types.ObjectId(memberId));
  for (const account of Object.values(sums)) expect(account.cached).toBe(account.sum);
  return sums;
}

async function startTopUp(token: string, packageId = pkg500) {
  const res = await request(hub.url, 'POST', WalletPaths.myTopUps, {
    token,
    json: { packageId, idempotencyKey: key('topup') },
  });
  expect(res.status).toBe(201);
  return CreateTopUpResult.parse(res.body);
}

/** Waits until the sandbox has no delivery under way and the hub has answered everything. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await sandbox.flushNotifications();
    const busy = sandbox.notifications().some((n) => n.status === 'pending');
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('notifications did not settle');
}

async function toppedUpMember(openid: string) {
  const m = await memberLogin(hub, openid);
  const { topUp } = await startTopUp(m.token);
  sandbox.pay(topUp.outTradeNo);
  await settle();
  expect(await walletOf(m.token)).toMatchObject({ balanceFen: 55_000, principalFen: 50_000, bonusFen: 5_000 });
  return m;
}

async function scanned(token: string) {
  const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
    token: staff.token,
    json: { code: (await memberCode(hub, token)).numeric },
  });
  expect(scan.status).toBe(200);
}

const creditsOf = async (outTradeNo: string) =>
  hub.deps.conn
    .collection('ledger_entries')
    .countDocuments({ reason: 'top_up', account: 'walletPrincipal', 'refs.outTradeNo': outTradeNo });

describe('top-ups paid with WeChat Pay', () => {
  it('returns signed requestPayment parameters, and a paid top-up is credited principal + bonus', async () => {
    const m = await memberLogin(hub, 'wallet-basic');
    const { topUp, payment } = await startTopUp(m.token);
    expect(topUp).toMatchObject({ status: 'pending', payFen: 50_000, bonusFen: 5_000 });
    expect(payment?.package).toMatch(/^prepay_id=wx/);
    // The sandbox cashier checks paySign (merchant key over appId, timeStamp, nonceStr, package) like WeChat:
    // the real one passes, a spoiled one fails.
    expect(payment?.signType).toBe('RSA');
    const cashier = (paySign: string) =>
      request(hub.sandboxUrl ?? '', 'POST', '/sandbox/pay/cashier/confirm', {
        json: { ...payment, paySign, action: 'cancel' },
      });
    expect((await cashier(payment?.paySign ?? '')).body.result).toBe('cancel');
    expect((await cashier(`x${payment?.paySign.slice(1)}`)).body.result).toBe('fail');

    sandbox.pay(topUp.outTradeNo);
    await settle();
    const after = TopUp.parse((await request(hub.url, 'GET', WalletPaths.myTopUp(topUp.id), { token: m.token })).body);
    expect(after.status).toBe('paid');
    expect(await walletOf(m.token)).toEqual({
      balanceFen: 55_000,
      principalFen: 50_000,
      bonusFen: 5_000,
      refundEnabled: true,
    });
    const history = WalletHistory.parse(
      (await request(hub.url, 'GET', WalletPaths.myWalletHistory, { token: m.token })).body,
    );
    expect(history.entries).toEqual([
      expect.objectContaining({
        kind: 'top_up',
        amountFen: 55_000,
        principalFen: 50_000,
        bonusFen: 5_000,
        note: '充值 ¥500.00，赠送 ¥50.00',
      }),
    ]);
    await verifyLedger(m.memberId);
  });

  it('a retried tap returns the same top-up and the same payment', async () => {
    const m = await memberLogin(hub, 'wallet-retry');
    const body = { packageId: pkg500, idempotencyKey: key('same') };
    const [a, b] = await Promise.all([
      request(hub.url, 'POST', WalletPaths.myTopUps, { token: m.token, json: body }),
      request(hub.url, 'POST', WalletPaths.myTopUps, { token: m.token, json: body }),
    ]);
    expect(a.body.topUp.id).toBe(b.body.topUp.id);
    expect(a.body.payment.package).toBe(b.body.payment.package);
  });

  it('the same notification delivered 20 times at once credits once', async () => {
    const m = await memberLogin(hub, 'wallet-dup');
    const { topUp } = await startTopUp(m.token);
    sandbox.duplicateNextNotification(20);
    sandbox.pay(topUp.outTradeNo);
    await settle();
    const [n] = sandbox.notifications({ outTradeNo: topUp.outTradeNo });
    expect(n?.attempts.length).toBeGreaterThanOrEqual(20);
    expect(n?.attempts.every((a) => a.status === 204)).toBe(true);
    expect(await creditsOf(topUp.outTradeNo)).toBe(1);
    expect((await walletOf(m.token)).balanceFen).toBe(55_000);
    await verifyLedger(m.memberId);
  });

  it('out of order with the client return and the reconciliation job, still one credit', async () => {
    const m = await memberLogin(hub, 'wallet-order');
    const { topUp } = await startTopUp(m.token);
    sandbox.holdNotifications();
    sandbox.pay(topUp.outTradeNo);
    // The client comes back first: the hub asks WeChat Pay and credits.
    const confirmed = await request(hub.url, 'POST', WalletPaths.myTopUpConfirm(topUp.id), { token: m.token });
    expect(confirmed.body.status).toBe('paid');
    // Then the reconciliation job, as if the notification were lost (it only looks at orders 5 minutes old).
    hub.clock.advance(6 * 60 * 1000);
    await hub.deps.conn
      .collection('pay_orders')
      .updateOne({ outTradeNo: topUp.outTradeNo }, { $set: { state: 'NOTPAY' } });
    const run = await reconcileOpenPayments(hub.deps);
    expect(run).toMatchObject({ ran: true, credited: 1 });
    // And the notification last, twice.
    sandbox.duplicateNextNotification(2);
    await sandbox.releaseNotifications('reversed');
    await settle();
    expect(await creditsOf(topUp.outTradeNo)).toBe(1);
    expect((await walletOf(m.token)).balanceFen).toBe(55_000);
  });

  it('a crash between verification and crediting is healed by WeChat retrying: one credit', async () => {
    const m = await memberLogin(hub, 'wallet-crash');
    const { topUp } = await startTopUp(m.token);
    let crashes = 0;
    hub.deps.payments.afterVerify = () => {
      if (crashes++ === 0) throw new Error('simulated crash after verification');
    };
    try {
      sandbox.pay(topUp.outTradeNo);
      await settle();
      await waitFor(async () => (await creditsOf(topUp.outTradeNo)) === 1);
    } finally {
      hub.deps.payments.afterVerify = null;
    }
    const [n] = sandbox.notifications({ outTradeNo: topUp.outTradeNo });
    expect(n?.attempts[0]?.status).toBe(500);
    expect(n?.delivered).toBe(true);
    expect(await creditsOf(topUp.outTradeNo)).toBe(1);
    expect((await walletOf(m.token)).balanceFen).toBe(55_000);
  });

  it.each(['signature', 'serial', 'timestamp', 'ciphertext'] as const)(
    'a notification with a bad %s is refused and credits nothing',
    async (kind) => {
      const m = await memberLogin(hub, `wallet-forged-${kind}`);
      const { topUp } = await startTopUp(m.token);
      sandbox.holdNotifications();
      sandbox.corruptNextNotification(kind);
      sandbox.pay(topUp.outTradeNo);
      // The spoiled first delivery is answered (release waits for the answer); its retry is 150 ms away.
      await sandbox.releaseNotifications('fifo');
      const [n] = sandbox.notifications({ outTradeNo: topUp.outTradeNo });
      expect(n?.attempts[0]).toMatchObject({ status: 401, corrupted: kind });
      expect(await creditsOf(topUp.outTradeNo)).toBe(0);
      expect((await walletOf(m.token)).balanceFen).toBe(0);
      // The retries are sound: the payment is credited once in the end.
      await settle();
      await waitFor(async () => (await creditsOf(topUp.outTradeNo)) === 1);
      expect((await walletOf(m.token)).balanceFen).toBe(55_000);
    },
  );

  it('a forged notification posted straight to the hub is refused (401, WeChat protocol body)', async () => {
    const res = await request(hub.url, 'POST', WalletPaths.payNotify, {
      json: { id: 'x', event_type: 'TRANSACTION.SUCCESS', resource: { algorithm: 'AEAD_AES_256_GCM' } },
      headers: {
        'Wechatpay-Timestamp': String(Math.floor(hub.clock.now() / 1000)),
        'Wechatpay-Nonce': 'n',
        'Wechatpay-Signature': 'AAAA',
        'Wechatpay-Serial': 'PUB_KEY_ID_FORGED',
      },
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'FAIL', message: '签名验证失败' });
  });

  it('an unpaid top-up past time_expire is closed by the reconciliation job', async () => {
    const m = await memberLogin(hub, 'wallet-expire');
    const { topUp } = await startTopUp(m.token);
    hub.clock.advance(11 * 60 * 1000);
    await reconcileOpenPayments(hub.deps);
    const after = await request(hub.url, 'GET', WalletPaths.myTopUp(topUp.id), { token: m.token });
    expect(after.body.status).toBe('closed');
    expect(() => sandbox.pay(topUp.outTradeNo)).toThrow();
    expect((await walletOf(m.token)).balanceFen).toBe(0);
  });
});

describe('paying at the till with stored value', () => {
  const charge = (memberIdOrCode: { memberId?: string; payCode?: string }, amountFen: number, extra = {}) =>
    request(hub.url, 'POST', WalletPaths.staffCharges, {
      token: staff.token,
      json: { ...memberIdOrCode, amountFen, idempotencyKey: key('charge'), ...extra },
    });

  it('staff ask, the member confirms: principal and bonus are spent in proportion, points and growth earned', async () => {
    const m = await toppedUpMember('till-basic');
    await scanned(m.token);
    const started = await charge({ memberId: m.memberId }, 10_000);
    expect(started.status).toBe(201);
    expect(Charge.parse(started.body).status).toBe('awaiting_member');
    const pending = await request(hub.url, 'GET', WalletPaths.myPendingCharge, { token: m.token });
    expect(pending.body.charge).toMatchObject({ id: started.body.id, walletFen: 10_000, wechatFen: 0 });
    const confirmed = await request(hub.url, 'POST', WalletPaths.myChargeConfirm(started.body.id), {
      token: m.token,
      json: { idempotencyKey: key('confirm') },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.payment).toBeNull();
    // 100.00 of 500 + 50: bonus share floor(10000 × 5000 / 55000) = 909, principal the rest.
    expect(confirmed.body.charge).toMatchObject({
      status: 'completed',
      walletFen: 10_000,
      principalFen: 9_091,
      bonusFen: 909,
      wechatFen: 0,
      // Points on what the member paid, not on the bonus: floor(90.91) = 90.
      pointsEarned: 90,
    });
    expect(await walletOf(m.token)).toMatchObject({ balanceFen: 45_000, principalFen: 40_909, bonusFen: 4_091 });
    const polled = await request(hub.url, 'GET', WalletPaths.staffCharge(started.body.id), { token: staff.token });
    expect(polled.body.status).toBe('completed');
    await verifyLedger(m.memberId);
  });

  it('parallel till payments never overdraw; the ledger sums to the balance', async () => {
    const m = await toppedUpMember('till-race');
    await scanned(m.token);
    const charges = await Promise.all(Array.from({ length: 12 }, () => charge({ memberId: m.memberId }, 10_000)));
    // Stored value only (no WeChat Pay fallback) through payment codes, so each either fits or is refused.
    const results = await Promise.all(
      charges.map(async (c) => {
        const code = await request(hub.url, 'POST', WalletPaths.myPayCode, { token: m.token });
        await request(hub.url, 'POST', WalletPaths.myChargeDecline(c.body.id), { token: m.token });
        return charge({ payCode: code.body.code }, 10_000);
      }),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(5);
    expect(refused.every((r) => r.body.error.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect((await walletOf(m.token)).balanceFen).toBe(5_000);
    await verifyLedger(m.memberId);
  });

  it('many confirms of one charge at once spend once', async () => {
    const m = await toppedUpMember('till-confirms');
    await scanned(m.token);
    const started = await charge({ memberId: m.memberId }, 20_000);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        request(hub.url, 'POST', WalletPaths.myChargeConfirm(started.body.id), {
          token: m.token,
          json: { idempotencyKey: key('c') },
        }),
      ),
    );
    expect((await walletOf(m.token)).balanceFen).toBe(35_000);
    await verifyLedger(m.memberId);
  });

  it('points + stored value + WeChat Pay for the rest, as one flow; paid completes it', async () => {
    const m = await toppedUpMember('till-combined');
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: 5_000,
      reason: 'adjustment',
      idempotencyKey: key('pts'),
    });
    await scanned(m.token);
    // ¥800: 5,000 points pay ¥50, stored value ¥550, WeChat Pay ¥200.
    const started = await charge({ memberId: m.memberId }, 80_000, { offsetPoints: 5_000 });
    const preview = await request(hub.url, 'GET', WalletPaths.myPendingCharge, { token: m.token });
    expect(preview.body.charge).toMatchObject({ walletFen: 55_000, wechatFen: 20_000, offsetFen: 5_000 });
    const confirmed = await request(hub.url, 'POST', WalletPaths.myChargeConfirm(started.body.id), {
      token: m.token,
      json: { idempotencyKey: key('c') },
    });
    expect(confirmed.body.charge).toMatchObject({
      status: 'awaiting_payment',
      walletFen: 55_000,
      wechatFen: 20_000,
      offsetFen: 5_000,
    });
    expect(confirmed.body.payment.package).toMatch(/^prepay_id=/);
    const outTradeNo = `C${started.body.id}`;
    sandbox.pay(outTradeNo);
    await settle();
    const done = await request(hub.url, 'GET', WalletPaths.staffCharge(started.body.id), { token: staff.token });
    expect(done.body.status).toBe('completed');
    expect(await walletOf(m.token)).toMatchObject({ balanceFen: 0 });
    const points = await hub.deps.members.get(new Types.ObjectId(m.memberId));
    // Earned on ¥750 paid less the ¥50 bonus: 700.
    expect(points.points).toBe(700);
    await verifyLedger(m.memberId);
  });

  it('when the WeChat Pay part is never paid, points and stored value come back', async () => {
    const m = await toppedUpMember('till-unpaid');
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: 1_000,
      reason: 'adjustment',
      idempotencyKey: key('pts'),
    });
    await scanned(m.token);
    const started = await charge({ memberId: m.memberId }, 60_000, { offsetPoints: 1_000 });
    const confirmed = await request(hub.url, 'POST', WalletPaths.myChargeConfirm(started.body.id), {
      token: m.token,
      json: { idempotencyKey: key('c') },
    });
    expect(confirmed.body.charge.status).toBe('awaiting_payment');
    expect((await walletOf(m.token)).balanceFen).toBe(0);
    hub.clock.advance(6 * 60 * 1000);
    await reconcileOpenPayments(hub.deps);
    await reconcileOpenPayments(hub.deps); // twice: the undo happens once
    const after = await request(hub.url, 'GET', WalletPaths.staffCharge(started.body.id), { token: staff.token });
    expect(after.body.status).toBe('expired');
    expect(await walletOf(m.token)).toMatchObject({ balanceFen: 55_000, principalFen: 50_000, bonusFen: 5_000 });
    expect((await hub.deps.members.get(new Types.ObjectId(m.memberId))).points).toBe(1_000);
    await verifyLedger(m.memberId);
  });

  it('a confirm interrupted after the debit is finished by the reconciliation job', async () => {
    const m = await toppedUpMember('till-crash');
    await scanned(m.token);
    const started = await charge({ memberId: m.memberId }, 10_000);
    // As if the server died right after debiting: the charge is left 'confirming' with the debit made.
    const id = new Types.ObjectId(started.body.id as string);
    await hub.deps.conn
      .collection('charges')
      .updateOne(
        { _id: id },
        { $set: { status: 'confirming', walletFen: 10_000, principalFen: 9_091, bonusFen: 909 } },
      );
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'walletPrincipal',
      amount: -9_091,
      reason: 'spend',
      idempotencyKey: `charge:${started.body.id}:principal`,
      legs: [{ account: 'walletBonus', amount: -909, idempotencyKey: `charge:${started.body.id}:bonus` }],
    });
    hub.clock.advance(2 * 60 * 1000);
    expect(await reconcileOpenPayments(hub.deps)).toMatchObject({ chargesHealed: 1 });
    const after = await request(hub.url, 'GET', WalletPaths.staffCharge(started.body.id), { token: staff.token });
    expect(after.body).toMatchObject({ status: 'completed', pointsEarned: 90 });
    expect((await walletOf(m.token)).balanceFen).toBe(45_000);
    await verifyLedger(m.memberId);
  });

  it('staff can call off a payment the member has not confirmed; a confirmed one runs its course', async () => {
    const m = await toppedUpMember('till-cancel');
    await scanned(m.token);
    const started = await charge({ memberId: m.memberId }, 10_000);
    const cancelled = await request(hub.url, 'POST', WalletPaths.staffChargeCancel(started.body.id), {
      token: staff.token,
    });
    expect(cancelled.body.status).toBe('cancelled');
    const late = await request(hub.url, 'POST', WalletPaths.myChargeConfirm(started.body.id), {
      token: m.token,
      json: { idempotencyKey: key('c') },
    });
    expect(late.body.charge.status).toBe('cancelled');
    expect((await walletOf(m.token)).balanceFen).toBe(55_000);
  });

  it('the member coming back from WeChat Pay sees the charge completed without waiting for the notification', async () => {
    const m = await toppedUpMember('till-return');
    await scanned(m.token);
    const started = await charge({ memberId: m.memberId }, 60_000);
    await request(hub.url, 'POST', WalletPaths.myChargeConfirm(started.body.id), {
      token: m.token,
      json: { idempotencyKey: key('c') },
    });
    sandbox.holdNotifications();
    sandbox.pay(`C${started.body.id}`);
    const back = await request(hub.url, 'GET', WalletPaths.myCharge(started.body.id), { token: m.token });
    expect(back.body).toMatchObject({ status: 'completed', walletFen: 55_000, wechatFen: 5_000 });
    await sandbox.releaseNotifications();
    await settle();
    expect((await hub.deps.members.get(new Types.ObjectId(m.memberId))).points).toBe(550);
  });

  it('a payment code works once', async () => {
    const m = await toppedUpMember('till-paycode');
    const code = (await request(hub.url, 'POST', WalletPaths.myPayCode, { token: m.token })).body.code;
    expect(code).toMatch(/^\d{18}$/);
    const first = await charge({ payCode: code }, 1_234);
    expect(first.body.status).toBe('completed');
    const again = await charge({ payCode: code }, 1_234);
    expect(again.body.error.code).toBe('PAY_CODE_INVALID');
    const malformed = await charge({ payCode: '12' }, 1_234);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a manager refunds part of a till payment back to the wallet, in proportion, once per key', async () => {
    const m = await toppedUpMember('till-refund');
    const code = (await request(hub.url, 'POST', WalletPaths.myPayCode, { token: m.token })).body.code;
    const paid = await charge({ payCode: code }, 11_000);
    expect(paid.body).toMatchObject({ status: 'completed', principalFen: 10_000, bonusFen: 1_000 });
    const body = { amountFen: 5_500, idempotencyKey: key('refund') };
    const byStaff = await request(hub.url, 'POST', WalletPaths.staffChargeRefunds(paid.body.id), {
      token: staff.token,
      json: body,
    });
    expect(byStaff.status).toBe(403);
    const [a, b] = await Promise.all([
      request(hub.url, 'POST', WalletPaths.staffChargeRefunds(paid.body.id), { token: manager.token, json: body }),
      request(hub.url, 'POST', WalletPaths.staffChargeRefunds(paid.body.id), { token: manager.token, json: body }),
    ]);
    expect(a.body).toMatchObject({ status: 'partially_refunded', refundedFen: 5_500 });
    expect(b.body.refundedFen).toBe(5_500);
    expect(await walletOf(m.token)).toMatchObject({ principalFen: 45_000, bonusFen: 4_500 });
    await verifyLedger(m.memberId);
  });
});

describe('refunds of top-ups and the owner view', () => {
  it('unused principal goes back through WeChat Pay; the bonus is forfeited in proportion', async () => {
    const m = await toppedUpMember('refund-topup');
    const code = (await request(hub.url, 'POST', WalletPaths.myPayCode, { token: m.token })).body.code;
    await request(hub.url, 'POST', WalletPaths.staffCharges, {
      token: staff.token,
      json: { payCode: code, amountFen: 11_000, idempotencyKey: key('spend') },
    });
    // Left: principal 40,000, bonus 4,000. Refund 40,000 of the 50,000 paid: bonus forfeited 4,000.
    const topUps = await hub.deps.conn
      .collection('top_ups')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    const id = String(topUps[0]?._id);
    const res = await request(hub.url, 'POST', WalletPaths.myTopUpRefund(id), {
      token: m.token,
      json: { idempotencyKey: key('r'), reason: '搬家了' },
    });
    expect(res.body).toMatchObject({ status: 'refunding', refund: { principalFen: 40_000, bonusForfeitedFen: 4_000 } });
    expect(await walletOf(m.token)).toMatchObject({ balanceFen: 0 });
    await settle();
    await waitFor(
      async () =>
        (await request(hub.url, 'GET', WalletPaths.myTopUp(id), { token: m.token })).body.status === 'refunded',
    );
    const again = await request(hub.url, 'POST', WalletPaths.myTopUpRefund(id), {
      token: m.token,
      json: { idempotencyKey: key('r') },
    });
    expect(again.body.refund.principalFen).toBe(40_000);
    await verifyLedger(m.memberId);
  });

  it('a refund request lost on the way to WeChat Pay is asked for again by the reconciliation job', async () => {
    const m = await toppedUpMember('refund-lost');
    const topUps = await hub.deps.conn
      .collection('top_ups')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    const id = String(topUps[0]?._id);
    await request(hub.url, 'POST', `${hub.sandboxUrl}/__control/failures`, {
      json: { api: 'pay_refund', errcode: 500, count: 1 },
    });
    const res = await request(hub.url, 'POST', WalletPaths.adminTopUpRefund(id), {
      token: owner,
      json: { idempotencyKey: key('r') },
    });
    expect(res.body.status).toBe('refunding');
    hub.clock.advance(2 * 60 * 1000);
    await reconcileOpenPayments(hub.deps);
    await settle();
    await waitFor(
      async () =>
        (await request(hub.url, 'GET', WalletPaths.myTopUp(id), { token: m.token })).body.status === 'refunded',
    );
    expect(await walletOf(m.token)).toMatchObject({ balanceFen: 0 });
    await verifyLedger(m.memberId);
  });

  it('a refund WeChat Pay refuses puts the money back', async () => {
    const m = await toppedUpMember('refund-abnormal');
    const topUps = await hub.deps.conn
      .collection('top_ups')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    const id = String(topUps[0]?._id);
    sandbox.endNextRefund('ABNORMAL');
    await request(hub.url, 'POST', WalletPaths.adminTopUpRefund(id), {
      token: owner,
      json: { idempotencyKey: key('r') },
    });
    await settle();
    await waitFor(
      async () =>
        (await request(hub.url, 'GET', WalletPaths.myTopUp(id), { token: m.token })).body.refund?.status === 'failed',
    );
    expect(await walletOf(m.token)).toMatchObject({ balanceFen: 55_000 });
    await verifyLedger(m.memberId);
  });

  it('members list their own top-ups, newest first, paged', async () => {
    const m = await toppedUpMember('list-topups');
    await startTopUp(m.token);
    const first = await request(hub.url, 'GET', `${WalletPaths.myTopUps}?limit=1`, { token: m.token });
    expect(first.body.topUps).toEqual([expect.objectContaining({ status: 'pending' })]);
    const second = await request(hub.url, 'GET', `${WalletPaths.myTopUps}?limit=1&cursor=${first.body.nextCursor}`, {
      token: m.token,
    });
    expect(second.body).toMatchObject({ topUps: [expect.objectContaining({ status: 'paid' })], nextCursor: null });
    const other = await memberLogin(hub, 'list-topups-other');
    expect((await request(hub.url, 'GET', WalletPaths.myTopUps, { token: other.token })).body.topUps).toEqual([]);
  });

  it('a merge hands stored value, top-ups and till payments to the survivor', async () => {
    const source = await toppedUpMember('merge-wallet-src');
    const target = await memberLogin(hub, 'merge-wallet-dst');
    const code = (await request(hub.url, 'POST', WalletPaths.myPayCode, { token: source.token })).body.code;
    await request(hub.url, 'POST', WalletPaths.staffCharges, {
      token: staff.token,
      json: { payCode: code, amountFen: 5_500, idempotencyKey: key('spend') },
    });
    await hub.deps.merge.run({
      sourceId: new Types.ObjectId(source.memberId),
      targetId: new Types.ObjectId(target.memberId),
      reason: '同一顾客两个账号',
      actor: { kind: 'owner', id: 'test', name: 'owner' },
    });
    expect(await walletOf(target.token)).toMatchObject({ principalFen: 45_000, bonusFen: 4_500 });
    const topUps = await request(hub.url, 'GET', WalletPaths.myTopUps, { token: target.token });
    expect(topUps.body.topUps).toEqual([expect.objectContaining({ status: 'paid', payFen: 50_000 })]);
    const targetId = new Types.ObjectId(target.memberId);
    expect(await hub.deps.conn.collection('charges').countDocuments({ memberId: targetId })).toBe(1);
    expect(await hub.deps.conn.collection('orders').countDocuments({ memberId: targetId })).toBe(1);
    await verifyLedger(target.memberId);
  });

  it('members may not ask for refunds when the owner turned them off', async () => {
    const m = await toppedUpMember('refund-off');
    await request(hub.url, 'PUT', WalletPaths.adminSettings, { token: owner, json: { refundEnabled: false } });
    const topUps = await hub.deps.conn
      .collection('top_ups')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    const res = await request(hub.url, 'POST', WalletPaths.myTopUpRefund(String(topUps[0]?._id)), {
      token: m.token,
      json: { idempotencyKey: key('r') },
    });
    expect(res.body.error.code).toBe('REFUND_NOT_ALLOWED');
    await request(hub.url, 'PUT', WalletPaths.adminSettings, { token: owner, json: { refundEnabled: true } });
  });

  it('the owner sees liability, payments with states, and a clean reconciliation the next day', async () => {
    const liability = await request(hub.url, 'GET', WalletPaths.adminLiability, { token: owner });
    const members = await hub.deps.conn
      .collection('members')
      .aggregate([{ $group: { _id: null, p: { $sum: '$walletPrincipalFen' }, b: { $sum: '$walletBonusFen' } } }])
      .toArray();
    expect(liability.body).toMatchObject({ principalFen: members[0]?.p, bonusFen: members[0]?.b });
    const list = PaymentList.parse(
      (await request(hub.url, 'GET', `${WalletPaths.adminPayments}?limit=5`, { token: owner })).body,
    );
    expect(list.payments).toHaveLength(5);
    expect(list.nextCursor).not.toBeNull();
    const next = PaymentList.parse(
      (
        await request(hub.url, 'GET', `${WalletPaths.adminPayments}?limit=5&cursor=${list.nextCursor}`, {
          token: owner,
        })
      ).body,
    );
    expect((next.payments[0]?.createdAt ?? '') < (list.payments[4]?.createdAt ?? '')).toBe(true);
    const memberView = await request(hub.url, 'GET', WalletPaths.adminPayments, { token: staff.token });
    expect(memberView.status).toBe(403);

    // WeChat's bill for a day is out after 08:00 the next day (China time).
    const today = new Date(hub.clock.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    hub.clock.advance(36 * 3600 * 1000);
    const report = await reconcileDay(hub.deps, today);
    expect(report.ours.payments).toBeGreaterThan(5);
    expect(report.theirs).toEqual(report.ours);
    expect(report.differences).toEqual([]);
    // A payment WeChat has and we do not is flagged.
    await hub.deps.conn.collection('pay_orders').updateOne({ state: 'SUCCESS' }, { $set: { state: 'NOTPAY' } });
    const flagged = await request(hub.url, 'GET', `${WalletPaths.adminReconciliation}?date=${today}`, {
      token: await ownerToken(hub), // a day and a half on: the morning's owner session has ended
    });
    expect(flagged.body.differences).toEqual([expect.objectContaining({ kind: 'missing_in_ours' })]);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
