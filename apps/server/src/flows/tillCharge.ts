// Paying at the till with stored value (储值消费), optionally with points and WeChat Pay for what stored value does
// not cover, as one flow:
//   staff ask (awaiting_member) -> the member confirms: points and stored value are debited in ONE conditional
//   member update (so never one without the other) -> the rest, if any, is a WeChat Pay order (awaiting_payment)
//   -> paid: the purchase is recorded (points and growth earned) -> completed.
// Every step is keyed by the charge, so retries replay; a WeChat Pay order that closes unpaid, or a step that
// fails after the debit, puts points and stored value back (the undo is keyed too, so it happens once).
import { randomInt } from 'node:crypto';
import { formatFen } from '@member-hub/shared';
import type { Connection, Types } from 'mongoose';
import { AppError } from '../errors';
import { refundSlice, splitSpend } from '../lib/proportion';
import type { LedgerService, LegInput } from '../modules/ledger/service';
import type { Member } from '../modules/members/model';
import type { PayOrderDoc, PayRefundDoc } from '../modules/payments/model';
import type { PaymentHandler, PaymentService } from '../modules/payments/service';
import { expiryDay } from '../modules/points/expiry';
import type { RulesService } from '../modules/rules/service';
import { type ChargeDoc, walletModels } from '../modules/wallet/model';
import type { WalletService } from '../modules/wallet/service';
import { resolveSurvivor } from './mergeMembers';
import { offsetFenOf, type RecordPurchaseFlow } from './recordPurchase';
import type { RefundOrderFlow } from './refundOrder';

/** The member has this long to confirm (and pay) at the till. */
const CHARGE_TTL_MS = 5 * 60 * 1000;
const PAY_CODE_TTL_MS = 60 * 1000;

export interface StartChargeInput {
  memberId: Types.ObjectId;
  storeId: Types.ObjectId;
  staffId: Types.ObjectId;
  clientKey: string;
  amountFen: number;
  offsetPoints: number;
}

export class TillChargeFlow {
  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly purchases: RecordPurchaseFlow,
    private readonly refunds: RefundOrderFlow,
    private readonly payments: PaymentService,
    private readonly wallet: WalletService,
    private readonly now: () => number = Date.now,
  ) {
    payments.register('charge', this.paymentHandler());
  }

  /** Staff ask for a payment; the member confirms it in the mini-program. Once per till key. */
  async start(input: StartChargeInput): Promise<ChargeDoc> {
    const { Charges } = walletModels(this.conn);
    const existing = await Charges.findOne({ clientKey: input.clientKey }).lean<ChargeDoc>();
    if (existing) {
      if (existing.amountFen !== input.amountFen || existing.offsetPoints !== input.offsetPoints)
        throw new AppError('ORDER_CONFLICT');
      return existing;
    }
    const offsetFen = offsetFenOf(input, await this.rules.get());
    const member = await resolveSurvivor(this.conn, input.memberId, [] as const);
    if (member?.status !== 'active') throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    try {
      return (
        await Charges.create({
          ...input,
          memberId: member._id,
          offsetFen,
          status: 'awaiting_member',
          expiresAt: new Date(this.now() + CHARGE_TTL_MS),
          createdAt: new Date(this.now()),
        })
      ).toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      return this.start(input);
    }
  }

  /** The member's open request at the till, if any. */
  pendingFor(memberId: Types.ObjectId): Promise<ChargeDoc | null> {
    return walletModels(this.conn)
      .Charges.findOne({
        memberId,
        status: { $in: ['awaiting_member', 'awaiting_payment'] },
        expiresAt: { $gt: new Date(this.now()) },
      })
      .sort({ createdAt: -1 })
      .lean<ChargeDoc>();
  }

  async get(id: Types.ObjectId): Promise<ChargeDoc> {
    const charge = await walletModels(this.conn).Charges.findById(id).lean<ChargeDoc>();
    if (!charge) throw new AppError('NOT_FOUND', undefined, { resource: 'charge' });
    return charge;
  }

  /** A charge as its member may see it: another member's reads as not found. */
  async getFor(memberId: Types.ObjectId, id: Types.ObjectId): Promise<ChargeDoc> {
    const charge = await this.get(id);
    if (!charge.memberId.equals(memberId)) throw new AppError('NOT_FOUND', undefined, { resource: 'charge' });
    return charge;
  }

  /**
   * The member agrees: stored value pays what it can of the amount left after points, WeChat Pay the rest.
   * A replay (or a second tap) answers the charge as it now stands.
   */
  async confirm(member: Member, chargeId: Types.ObjectId, opts: { wechatAllowed: boolean } = { wechatAllowed: true }) {
    const { Charges } = walletModels(this.conn);
    let charge = await this.getFor(member._id, chargeId);
    if (charge.status === 'awaiting_payment') return { charge, payment: await this.openPayment(charge, member) };
    if (charge.status !== 'awaiting_member') return { charge, payment: null };
    if (charge.expiresAt.getTime() <= this.now()) throw new AppError('CHARGE_EXPIRED');

    const { walletFen, principalFen, bonusFen, wechatFen } = this.preview(charge, member);
    if (wechatFen > 0 && !opts.wechatAllowed) throw new AppError('INSUFFICIENT_BALANCE');
    // Claim the charge first, with its split fixed: a second confirm finds it taken.
    const claimed = await Charges.findOneAndUpdate(
      { _id: charge._id, status: 'awaiting_member' },
      { $set: { status: 'confirming', walletFen, principalFen, bonusFen, wechatFen } },
      { returnDocument: 'after' },
    ).lean<ChargeDoc>();
    if (!claimed) return { charge: await this.get(chargeId), payment: null };
    charge = claimed;
    try {
      await this.debit(charge);
    } catch (err) {
      // Spent elsewhere between our read and the debit: nothing moved; the member may simply confirm again.
      await Charges.updateOne({ _id: charge._id, status: 'confirming' }, { $set: { status: 'awaiting_member' } });
      throw err;
    }
    if (charge.wechatFen === 0) return { charge: await this.complete(charge), payment: null };
    const outTradeNo = `C${charge._id.toHexString()}`;
    // The member gets the full time to pay the rest, however late in the request's life they confirmed.
    const expiresAt = new Date(this.now() + CHARGE_TTL_MS);
    await Charges.updateOne(
      { _id: charge._id, status: 'confirming' },
      { $set: { status: 'awaiting_payment', outTradeNo, expiresAt } },
    );
    charge = { ...charge, status: 'awaiting_payment', outTradeNo, expiresAt };
    try {
      return { charge, payment: await this.openPayment(charge, member) };
    } catch (err) {
      await this.undo(charge, 'cancelled');
      throw err;
    }
  }

  /**
   * How a charge still waiting for the member would be paid with the balances they have now: stored value as far
   * as it goes (principal and bonus in proportion), WeChat Pay for the rest. Confirming fixes exactly this split.
   */
  preview(charge: ChargeDoc, member: Pick<Member, 'walletPrincipalFen' | 'walletBonusFen'>): ChargeDoc {
    if (charge.status !== 'awaiting_member') return charge;
    const principal = Math.max(0, member.walletPrincipalFen);
    const bonus = Math.max(0, member.walletBonusFen);
    const due = charge.amountFen - charge.offsetFen;
    const walletFen = Math.min(due, principal + bonus);
    const split = splitSpend(walletFen, principal, bonus);
    return { ...charge, walletFen, principalFen: split.principal, bonusFen: split.bonus, wechatFen: due - walletFen };
  }

  async decline(memberId: Types.ObjectId, chargeId: Types.ObjectId): Promise<ChargeDoc> {
    const charge = await this.getFor(memberId, chargeId);
    if (charge.status === 'awaiting_member') {
      await walletModels(this.conn).Charges.updateOne(
        { _id: chargeId, status: 'awaiting_member' },
        { $set: { status: 'cancelled' } },
      );
    } else if (charge.status === 'awaiting_payment' && charge.outTradeNo) {
      await this.payments.close(charge.outTradeNo);
    }
    return this.get(chargeId);
  }

  /** Staff call it off before the member confirmed; once the member has confirmed, it runs its course. */
  async cancelByStaff(chargeId: Types.ObjectId): Promise<ChargeDoc> {
    await walletModels(this.conn).Charges.updateOne(
      { _id: chargeId, status: 'awaiting_member' },
      { $set: { status: 'cancelled' } },
    );
    return this.get(chargeId);
  }

  /** The WeChat Pay part as WeChat Pay knows it now (the client came back from paying). */
  async syncPayment(charge: ChargeDoc): Promise<ChargeDoc> {
    if (charge.status !== 'awaiting_payment' || !charge.outTradeNo) return charge;
    await this.payments.sync(charge.outTradeNo);
    return this.get(charge._id);
  }

  /** A payment code the member shows instead of confirming: good once, for a minute, stored value only. */
  async issuePayCode(memberId: Types.ObjectId): Promise<{ code: string; expiresAt: Date }> {
    const { PayCodes } = walletModels(this.conn);
    for (;;) {
      const code = `28${String(randomInt(0, 1e8)).padStart(8, '0')}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
      const expiresAt = new Date(this.now() + PAY_CODE_TTL_MS);
      try {
        await PayCodes.create({ code, memberId, expiresAt });
        return { code, expiresAt };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
  }

  /** Staff scanned a payment code: the charge is started and confirmed at once, stored value only. */
  async chargeByPayCode(code: string, input: Omit<StartChargeInput, 'memberId'>) {
    const { PayCodes, Charges } = walletModels(this.conn);
    const replay = await Charges.findOne({ clientKey: input.clientKey }).lean<ChargeDoc>();
    if (replay) return replay;
    const used = await PayCodes.findOneAndUpdate(
      { code, usedAt: null, expiresAt: { $gt: new Date(this.now()) } },
      { $set: { usedAt: new Date(this.now()) } },
      { returnDocument: 'after' },
    ).lean();
    if (!used) throw new AppError('PAY_CODE_INVALID');
    const charge = await this.start({ ...input, memberId: used.memberId });
    const member = await resolveSurvivor(this.conn, charge.memberId);
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    try {
      return (await this.confirm(member, charge._id, { wechatAllowed: false })).charge;
    } catch (err) {
      await Charges.updateOne({ _id: charge._id, status: 'awaiting_member' }, { $set: { status: 'cancelled' } });
      throw err;
    }
  }

  /**
   * Refund part or all of a completed till payment: points and growth it earned are taken back and its offset
   * points returned (the order's refund flow), stored value goes back to the wallet and WeChat Pay's part back
   * through WeChat Pay, each in proportion on the cumulative refunded amount.
   */
  async refund(chargeId: Types.ObjectId, amountFen: number, key: string): Promise<ChargeDoc> {
    const charge = await this.get(chargeId);
    if (!charge.orderId || !['completed', 'partially_refunded', 'refunded'].includes(charge.status))
      throw new AppError('REFUND_NOT_ALLOWED', '只有已完成的收款可以退款');
    const { refund, order } = await this.refunds.run({ orderId: charge.orderId, key: `charge:${key}`, amountFen });
    const prev = refund.prevRefundedFen ?? 0;
    const next = prev + refund.amountFen;
    const paid = charge.walletFen + charge.wechatFen;
    const back = refundSlice(
      { principal: charge.principalFen, bonus: charge.bonusFen, wechat: charge.wechatFen },
      paid,
      prev,
      next,
    );
    const id = charge._id.toHexString();
    const returned: LegInput[] = [
      {
        account: 'walletPrincipal',
        amount: back.principal ?? 0,
        idempotencyKey: `charge:${id}:refund:${prev}:principal`,
      },
      { account: 'walletBonus', amount: back.bonus ?? 0, idempotencyKey: `charge:${id}:refund:${prev}:bonus` },
    ];
    const [first, ...rest] = returned.filter((l) => l.amount > 0);
    if (first) {
      await this.ledger.post({
        memberId: order.memberId,
        ...first,
        legs: rest,
        reason: 'spend_refund',
        note: `消费退款 ${formatFen((back.principal ?? 0) + (back.bonus ?? 0))} 退回余额`,
        refs: { chargeId: id },
        allowStatuses: ['active', 'merging'],
      });
    }
    if ((back.wechat ?? 0) > 0 && charge.outTradeNo) {
      await this.payments.refund({
        kind: 'charge',
        refId: charge._id,
        memberId: order.memberId,
        outTradeNo: charge.outTradeNo,
        outRefundNo: `RC${id}${String(prev).padStart(7, '0')}`.slice(0, 64),
        amountFen: back.wechat ?? 0,
        reason: '门店退款',
      });
    }
    await walletModels(this.conn).Charges.updateOne(
      { _id: charge._id, refundedFen: { $lt: next } },
      { $set: { refundedFen: next, status: next === paid ? 'refunded' : 'partially_refunded' } },
    );
    return this.get(chargeId);
  }

  /** Points and stored value leave in one conditional update: all of it is there, or nothing moves. */
  private async debit(charge: ChargeDoc): Promise<void> {
    const id = charge._id.toHexString();
    const [first, ...rest] = debitLegs(charge);
    if (!first) return;
    await this.ledger.post({
      memberId: charge.memberId,
      ...first,
      legs: rest,
      reason: 'spend',
      note: first.note ?? `储值消费 ${formatFen(charge.walletFen)}`,
      refs: { chargeId: id },
    });
  }

  /** Gives back what debit() took (once), and ends the charge. */
  private async undo(charge: ChargeDoc, status: 'cancelled' | 'expired'): Promise<void> {
    const id = charge._id.toHexString();
    const rules = await this.rules.get();
    const givenBack: LegInput[] = [
      {
        account: 'points',
        amount: charge.offsetPoints,
        idempotencyKey: `charge:${id}:undo:offset`,
        note: '收款未完成，退回抵扣积分',
        expiresOn: expiryDay(new Date(this.now()), rules.expiryMonths),
      },
      { account: 'walletPrincipal', amount: charge.principalFen, idempotencyKey: `charge:${id}:undo:principal` },
      { account: 'walletBonus', amount: charge.bonusFen, idempotencyKey: `charge:${id}:undo:bonus` },
    ];
    const [first, ...rest] = givenBack.filter((l) => l.amount !== 0);
    // Only what was taken goes back: the debit's main entry says whether debit() happened.
    if (first && (await this.ledger.hasKey(debitKeyOf(charge)))) {
      await this.ledger.post({
        memberId: charge.memberId,
        ...first,
        legs: rest,
        reason: 'spend_refund',
        note: first.note ?? `收款未完成，退回余额 ${formatFen(charge.walletFen)}`,
        refs: { chargeId: id },
        allowStatuses: ['active', 'merging'],
      });
    }
    await walletModels(this.conn).Charges.updateOne(
      { _id: charge._id, status: { $in: ['confirming', 'awaiting_payment'] } },
      { $set: { status } },
    );
  }

  /** Records the purchase (points and growth arrive) and marks the charge completed. Safe to repeat. */
  private async complete(charge: ChargeDoc): Promise<ChargeDoc> {
    const { order } = await this.purchases.run({
      source: 'charge',
      externalId: charge._id.toHexString(),
      memberId: charge.memberId,
      storeId: charge.storeId,
      staffId: charge.staffId,
      amountFen: charge.amountFen,
      offsetPoints: charge.offsetPoints,
      offsetPosted: true,
      unearnedFen: charge.bonusFen,
      items: [],
    });
    await walletModels(this.conn).Charges.updateOne(
      { _id: charge._id, status: { $in: ['confirming', 'awaiting_payment'] } },
      {
        $set: {
          status: 'completed',
          completedAt: new Date(this.now()),
          orderId: order._id,
          pointsEarned: order.pointsEarned,
        },
      },
    );
    return this.get(charge._id);
  }

  private openPayment(charge: ChargeDoc, member: Member) {
    if (!charge.outTradeNo) throw new Error('charge has no WeChat Pay order');
    return this.payments.open({
      kind: 'charge',
      refId: charge._id,
      memberId: charge.memberId,
      outTradeNo: charge.outTradeNo,
      amountFen: charge.wechatFen,
      description: `门店消费 ${formatFen(charge.amountFen)}`,
      openid: this.wallet.openidOf(member),
      expiresAt: charge.expiresAt,
    });
  }

  private paymentHandler(): PaymentHandler {
    return {
      paid: async (order: PayOrderDoc) => {
        const charge = await this.get(order.refId);
        if (charge.status === 'awaiting_payment' || charge.status === 'confirming') await this.complete(charge);
        // Paid after we gave up on it (expired locally): the money is WeChat's to give back.
        else if (charge.status === 'cancelled' || charge.status === 'expired')
          await this.refundLatePayment(charge, order);
      },
      closed: async (order: PayOrderDoc) => {
        const charge = await this.get(order.refId);
        if (charge.status === 'awaiting_payment') await this.undo(charge, 'expired');
      },
      refundEnded: async (_refund: PayRefundDoc) => {
        // A till refund's WeChat part: the charge already shows the refund; the payments list shows its state.
      },
    };
  }

  private async refundLatePayment(charge: ChargeDoc, order: PayOrderDoc): Promise<void> {
    await this.payments.refund({
      kind: 'charge',
      refId: charge._id,
      memberId: charge.memberId,
      outTradeNo: order.outTradeNo,
      outRefundNo: `RL${charge._id.toHexString()}`,
      amountFen: order.amountFen,
      reason: '收款已取消，原路退回',
    });
  }

  /**
   * A confirm interrupted by a crash leaves the internal 'confirming' state. If the debit happened, the charge is
   * finished (no WeChat part) or ended with everything given back (a WeChat part nobody can pay any more); if not,
   * it simply waits for the member again.
   */
  async healInterrupted(olderThanMs = 60_000): Promise<number> {
    const { Charges } = walletModels(this.conn);
    const stuck = await Charges.find({ status: 'confirming', createdAt: { $lte: new Date(this.now() - olderThanMs) } })
      .limit(500)
      .lean<ChargeDoc[]>();
    for (const charge of stuck) {
      if (!(await this.ledger.hasKey(debitKeyOf(charge)))) {
        await Charges.updateOne({ _id: charge._id, status: 'confirming' }, { $set: { status: 'awaiting_member' } });
      } else if (charge.wechatFen === 0) await this.complete(charge);
      else await this.undo(charge, 'cancelled');
    }
    return stuck.length;
  }

  /** Charges the member never answered, or whose WeChat Pay part was never paid, end (and give back). */
  async expireStale(): Promise<number> {
    const { Charges } = walletModels(this.conn);
    const stale = await Charges.find({
      status: { $in: ['awaiting_member', 'awaiting_payment'] },
      expiresAt: { $lte: new Date(this.now()) },
    })
      .limit(500)
      .lean<ChargeDoc[]>();
    for (const charge of stale) {
      if (charge.status === 'awaiting_member') {
        await Charges.updateOne({ _id: charge._id, status: 'awaiting_member' }, { $set: { status: 'expired' } });
      } else if (charge.outTradeNo) await this.payments.close(charge.outTradeNo);
    }
    return stale.length;
  }
}

/** What debit() takes, as ledger legs (zero legs left out). */
function debitLegs(charge: ChargeDoc): LegInput[] {
  const id = charge._id.toHexString();
  const legs: LegInput[] = [
    {
      account: 'points',
      amount: -charge.offsetPoints,
      idempotencyKey: `charge:${id}:offset`,
      note: `积分抵扣 ${formatFen(charge.offsetFen)}`,
    },
    { account: 'walletPrincipal', amount: -charge.principalFen, idempotencyKey: `charge:${id}:principal` },
    { account: 'walletBonus', amount: -charge.bonusFen, idempotencyKey: `charge:${id}:bonus` },
  ];
  return legs.filter((l) => l.amount !== 0);
}

function debitKeyOf(charge: ChargeDoc): string {
  return debitLegs(charge)[0]?.idempotencyKey ?? '';
}
