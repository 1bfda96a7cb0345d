// The raw-engine floor of the mixed traffic: each operation's database work (the reads and writes the hub makes
// for it, auth reads included) done straight through the driver, in the same weighted mix and concurrency as the
// API run. WeChat Pay's own calls (JSAPI, query, the payer) are not database work and are not in the floor.
// Writes go to the real collections (same indexes); the load run checks no ledger invariant afterwards.
import { randomBytes } from 'node:crypto';
import { type mongo, Types } from 'mongoose';
import { type LatencyStats, OP_NAMES, type OpName, stats, type TrafficFixtures } from './mixedTraffic';

export interface RawResult {
  elapsedS: number;
  ops: Record<OpName, LatencyStats>;
  /** The notification's share of a top-up (verify-free: the credit's database work alone). */
  notification: LatencyStats;
}

export async function runRawMixed(
  db: mongo.Db,
  fx: TrafficFixtures,
  opts: { weights: Record<OpName, number>; concurrency: number; durationMs: number; couponCodes: string[] },
): Promise<RawResult> {
  const members = db.collection('members');
  const codes = db.collection('card_codes');
  const staff = db.collection('staff');
  const audit = db.collection('audit_log');
  const coupons = db.collection('coupons');
  const orders = db.collection('orders');
  const ledger = db.collection('ledger_entries');
  const topUps = db.collection('top_ups');
  const packages = db.collection('top_up_packages');
  const payOrders = db.collection('pay_orders');
  const memberIds = fx.members.map((m) => new Types.ObjectId(m.id));
  const staffIds = fx.staff.map((s) => new Types.ObjectId(s.id));
  const packageId = new Types.ObjectId(fx.packageId);
  let seq = 0;
  let nextCoupon = 0;
  const notifications: number[] = [];

  const card = async (memberId: Types.ObjectId) => {
    await members.findOne({ _id: memberId });
    const numeric = `r${seq++}`;
    const window = Math.floor(Date.now() / 60_000);
    await codes.insertOne({
      numeric,
      window,
      attempt: 0,
      memberId,
      usedAt: null,
      usedBy: null,
      expiresAt: new Date(Date.now() + 600_000),
    });
    await members.updateOne({ _id: memberId }, { $set: { cardCode: { window, numeric } } });
    return numeric;
  };

  /** The ledger post of one event: balance and outbox in one update, then the copy out and the $pull. */
  const post = async (memberId: Types.ObjectId, inc: Record<string, number>, key: string) => {
    const entries = Object.entries(inc).map(([field, amount]) => ({
      _id: new Types.ObjectId(),
      memberId,
      account: field,
      amount,
      reason: 'raw',
      idempotencyKey: `${key}:${field}`,
      note: '',
      refs: {},
      createdAt: new Date(),
    }));
    await members.findOneAndUpdate(
      { _id: memberId, ledgerKeys: { $ne: key } },
      { $inc: inc, $push: { ledgerOutbox: { $each: entries }, ledgerKeys: { $each: [key], $slice: -200 } } } as never,
      { projection: { points: 1, growth: 1, walletPrincipalFen: 1, walletBonusFen: 1, tier: 1 } },
    );
    await ledger.insertMany(entries);
    await members.updateOne({ _id: memberId }, {
      $pull: { ledgerOutbox: { _id: { $in: entries.map((e) => e._id) } } },
    } as never);
  };

  const ops: Record<OpName, (memberId: Types.ObjectId, staffId: Types.ObjectId) => Promise<void>> = {
    card: async (memberId) => {
      await card(memberId);
    },
    points: async (memberId) => {
      await members.findOne({ _id: memberId });
      await members.findOne({ _id: memberId });
      await members.findOne({ _id: memberId }, { projection: { ledgerOutbox: 1 } });
      await ledger.find({ memberId, account: 'points' }).sort({ _id: -1 }).limit(21).toArray();
    },
    purchase: async (memberId, staffId) => {
      const numeric = await card(memberId);
      // scan
      await staff.findOne({ _id: staffId });
      const at = new Date();
      await codes.findOneAndUpdate({ numeric, usedAt: null }, { $set: { usedAt: at, usedBy: staffId.toHexString() } });
      await members.findOneAndUpdate({ _id: memberId }, { $set: { cardCode: null } });
      await audit.insertOne({ _id: new Types.ObjectId(), at, action: 'member.scan', memberId, details: {} });
      await coupons
        .find({ memberId, status: 'available', validFrom: { $lte: at }, validUntil: { $gte: at } })
        .sort({ validUntil: 1 })
        .limit(100)
        .toArray();
      // record
      await staff.findOne({ _id: staffId });
      await codes
        .find({ memberId: { $in: [memberId] }, usedBy: { $in: [staffId.toHexString()] }, usedAt: { $gte: at } })
        .toArray();
      await members.findOne(
        { _id: memberId },
        { projection: { status: 1, mergedInto: 1, tier: 1, referralPending: 1 } },
      );
      const orderId = new Types.ObjectId();
      await orders.insertOne({
        _id: orderId,
        source: 'raw',
        externalId: orderId.toHexString(),
        memberId,
        amountFen: 10_000,
        status: 'pending',
        createdAt: at,
      });
      await post(memberId, { points: 100, growth: 100 }, `raw-order:${orderId.toHexString()}`);
      await orders.updateOne({ _id: orderId }, { $set: { status: 'paid', pointsEarned: 100, growthEarned: 100 } });
      await audit.insertOne({ _id: new Types.ObjectId(), at, action: 'order.record', memberId, details: { orderId } });
    },
    coupon: async (memberId, staffId) => {
      const code = opts.couponCodes[nextCoupon++ % opts.couponCodes.length];
      // lookup
      await staff.findOne({ _id: staffId });
      const coupon = await coupons.findOne({ code });
      await members.findOne({ _id: coupon?.memberId ?? memberId }, { projection: { memberNo: 1, nickname: 1 } });
      // verify
      await staff.findOne({ _id: staffId });
      const again = await coupons.findOne({ code });
      const at = new Date();
      await coupons.findOneAndUpdate(
        { _id: again?._id, status: 'available', validUntil: { $gte: at } },
        { $set: { status: 'used', usedAt: at, usedKey: `raw:${seq++}`, usedStaffId: staffId, discountFen: 0 } },
      );
      await audit.insertOne({ _id: new Types.ObjectId(), at, action: 'coupon.verify', memberId, details: {} });
    },
    topUp: async (memberId) => {
      // create
      await members.findOne({ _id: memberId });
      const clientKey = `raw-${randomBytes(6).toString('hex')}`;
      await topUps.findOne({ memberId, clientKey });
      const pkg = await packages.findOne({ _id: packageId });
      const topUpId = new Types.ObjectId();
      const outTradeNo = `R${topUpId.toHexString()}`;
      const at = new Date();
      await topUps.insertOne({
        _id: topUpId,
        memberId,
        clientKey,
        packageId,
        payFen: pkg?.payFen,
        bonusFen: pkg?.bonusFen,
        status: 'pending',
        outTradeNo,
        createdAt: at,
      });
      const orderId = new Types.ObjectId();
      await payOrders.insertOne({
        _id: orderId,
        outTradeNo,
        kind: 'top_up',
        refId: topUpId,
        memberId,
        state: 'NOTPAY',
        payment: null,
        createdAt: at,
      });
      await payOrders.updateOne({ _id: orderId, payment: null }, { $set: { payment: { package: 'raw' } } });
      // the notification's credit
      const t = performance.now();
      await payOrders.findOne({ outTradeNo });
      await topUps.findOne({ _id: topUpId });
      await members.findOne({ _id: memberId }, { projection: { status: 1, mergedInto: 1 } });
      await ledger.findOne({ idempotencyKey: `raw-topup:${topUpId.toHexString()}:walletPrincipalFen` });
      await post(memberId, { walletPrincipalFen: 10_000, walletBonusFen: 1_000 }, `raw-topup:${topUpId.toHexString()}`);
      await topUps.updateOne({ _id: topUpId, status: 'pending' }, { $set: { status: 'paid', paidAt: new Date() } });
      await payOrders.updateOne({ _id: orderId, state: { $ne: 'SUCCESS' } }, { $set: { state: 'SUCCESS' } });
      notifications.push(performance.now() - t);
      // confirm
      await members.findOne({ _id: memberId });
      await topUps.findOne({ _id: topUpId });
      await payOrders.findOne({ outTradeNo });
      await topUps.findOne({ _id: topUpId });
    },
  };

  const weighted = OP_NAMES.filter((o) => opts.weights[o] > 0);
  const total = weighted.reduce((sum, o) => sum + opts.weights[o], 0);
  const latencies = new Map<OpName, number[]>(OP_NAMES.map((o) => [o, []]));
  let pickSeq = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async (_, vu) => {
      const staffId = staffIds[vu % staffIds.length] as Types.ObjectId;
      while (performance.now() < deadline) {
        // The same proportions as the API run, in a fixed interleaving (no randomness needed for a floor).
        const n = pickSeq++;
        let x = ((n * 7919) % total) + 0.5;
        let op = weighted[0] as OpName;
        for (const o of weighted) {
          x -= opts.weights[o];
          if (x < 0) {
            op = o;
            break;
          }
        }
        const memberId = memberIds[(n * 104_729) % memberIds.length] as Types.ObjectId;
        const t = performance.now();
        await ops[op](memberId, staffId);
        (latencies.get(op) as number[]).push(performance.now() - t);
      }
    }),
  );
  return {
    elapsedS: (performance.now() - started) / 1000,
    ops: Object.fromEntries(OP_NAMES.map((o) => [o, stats(latencies.get(o) ?? [])])) as RawResult['ops'],
    notification: stats(notifications),
  };
}
