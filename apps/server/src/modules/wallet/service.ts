// Stored value for members: packages to buy, top-ups paid with WeChat Pay and credited exactly once, refunds of
// unused principal, the wallet's balance and history. Spending at the till is flows/tillCharge.ts.
import { formatFen, type TopUpPackageInput } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { resolveSurvivor } from '../../flows/mergeMembers';
import { share } from '../../lib/proportion';
import type { LedgerEntry } from '../ledger/model';
import { ledgerModel } from '../ledger/model';
import type { LedgerService } from '../ledger/service';
import { type Member, memberModel, storedValueFen } from '../members/model';
import type { PayOrderDoc, PayRefundDoc } from '../payments/model';
import type { PaymentHandler, PaymentService } from '../payments/service';
import { chinaDate } from '../points/expiry';
import { type TopUpDoc, type TopUpPackageDoc, walletModels } from './model';

/** How long a top-up can be paid (time_expire); the reconciliation job closes it after. */
const TOP_UP_TTL_MS = 10 * 60 * 1000;
const WALLET_ACCOUNTS = ['walletPrincipal', 'walletBonus'] as const;

export interface WalletSettingsDoc {
  refundEnabled: boolean;
}

export class WalletService {
  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly payments: PaymentService,
    private readonly appid: string,
    private readonly now: () => number = Date.now,
  ) {
    payments.register('top_up', this.topUpHandler());
  }

  // ---- packages ----
  createPackage(input: TopUpPackageInput): Promise<TopUpPackageDoc> {
    return walletModels(this.conn)
      .Packages.create({ ...input, createdAt: new Date(this.now()) })
      .then((d) => d.toObject());
  }

  async updatePackage(id: Types.ObjectId, input: TopUpPackageInput): Promise<TopUpPackageDoc> {
    const doc = await walletModels(this.conn)
      .Packages.findOneAndUpdate({ _id: id }, { $set: input }, { returnDocument: 'after' })
      .lean<TopUpPackageDoc>();
    if (!doc) throw new AppError('NOT_FOUND', undefined, { resource: 'package' });
    return doc;
  }

  listPackages(): Promise<TopUpPackageDoc[]> {
    return walletModels(this.conn).Packages.find().sort({ sort: 1, payFen: 1 }).lean<TopUpPackageDoc[]>();
  }

  /** What a member can buy today, with how many more times each. */
  async packagesFor(memberId: Types.ObjectId): Promise<Array<TopUpPackageDoc & { remaining: number | null }>> {
    const today = chinaDate(new Date(this.now()));
    const live = (await this.listPackages()).filter((p) => isOnSale(p, today));
    return Promise.all(
      live.map(async (p) => ({
        ...p,
        remaining: p.perMemberLimit === null ? null : Math.max(0, p.perMemberLimit - (await this.bought(memberId, p))),
      })),
    );
  }

  // ---- top-ups ----
  /** A member buys a package: the top-up row (once per client key), then its WeChat Pay order. */
  async createTopUp(member: Member, packageId: Types.ObjectId, clientKey: string) {
    const { TopUps, Packages } = walletModels(this.conn);
    let topUp = await TopUps.findOne({ memberId: member._id, clientKey }).lean<TopUpDoc>();
    if (!topUp) {
      const pkg = await Packages.findById(packageId).lean<TopUpPackageDoc>();
      if (!pkg || !isOnSale(pkg, chinaDate(new Date(this.now())))) throw new AppError('PACKAGE_UNAVAILABLE');
      if (pkg.perMemberLimit !== null && (await this.bought(member._id, pkg)) >= pkg.perMemberLimit)
        throw new AppError('PACKAGE_LIMIT_REACHED');
      const _id = new Types.ObjectId();
      try {
        topUp = (
          await TopUps.create({
            _id,
            memberId: member._id,
            clientKey,
            packageId: pkg._id,
            packageName: pkg.name,
            payFen: pkg.payFen,
            bonusFen: pkg.bonusFen,
            status: 'pending',
            outTradeNo: `T${_id.toHexString()}`,
            expiresAt: new Date(this.now() + TOP_UP_TTL_MS),
            createdAt: new Date(this.now()),
          })
        ).toObject();
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        topUp = await TopUps.findOne({ memberId: member._id, clientKey }).lean<TopUpDoc>();
        if (!topUp) throw err;
      }
    }
    if (topUp.packageId.toHexString() !== packageId.toHexString())
      throw new AppError('ORDER_CONFLICT', '该请求编号已用于另一个充值套餐');
    if (topUp.status !== 'pending' || topUp.expiresAt.getTime() <= this.now()) return { topUp, payment: null };
    const payment = await this.payments.open({
      kind: 'top_up',
      refId: topUp._id,
      memberId: member._id,
      outTradeNo: topUp.outTradeNo,
      amountFen: topUp.payFen,
      description: `储值充值-${topUp.packageName}`,
      openid: this.openidOf(member),
      expiresAt: topUp.expiresAt,
    });
    return { topUp, payment };
  }

  async topUpOf(memberId: Types.ObjectId | null, id: Types.ObjectId): Promise<TopUpDoc> {
    const topUp = await walletModels(this.conn).TopUps.findById(id).lean<TopUpDoc>();
    if (!topUp || (memberId && !topUp.memberId.equals(memberId)))
      throw new AppError('NOT_FOUND', undefined, { resource: 'top-up' });
    return topUp;
  }

  /** The member's top-ups, newest first, paged by id. */
  async topUpsOf(memberId: Types.ObjectId, before: string | null, limit: number) {
    const filter: Record<string, unknown> = { memberId };
    if (before && Types.ObjectId.isValid(before)) filter._id = { $lt: new Types.ObjectId(before) };
    const rows = await walletModels(this.conn)
      .TopUps.find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<TopUpDoc[]>();
    const page = rows.slice(0, limit);
    return {
      topUps: page,
      nextCursor: rows.length > limit ? (page[page.length - 1]?._id.toHexString() ?? null) : null,
    };
  }

  /** The client came back from wx.requestPayment: ask WeChat Pay now rather than wait for the notification. */
  async confirmTopUp(memberId: Types.ObjectId, id: Types.ObjectId): Promise<TopUpDoc> {
    const topUp = await this.topUpOf(memberId, id);
    if (topUp.status === 'pending') await this.payments.sync(topUp.outTradeNo);
    return this.topUpOf(memberId, id);
  }

  /**
   * Unused principal of a top-up goes back through WeChat Pay; the bonus it brought is forfeited in proportion.
   * The money leaves the wallet first (a conditional debit); a refund WeChat refuses puts it back.
   */
  async refundTopUp(
    id: Types.ObjectId,
    opts: { memberId: Types.ObjectId | null; reason: string; byMember: boolean },
  ): Promise<TopUpDoc> {
    const { TopUps } = walletModels(this.conn);
    if (opts.byMember && !(await this.settings()).refundEnabled) throw new AppError('REFUND_NOT_ALLOWED');
    const topUp = await this.topUpOf(opts.memberId, id);
    if (topUp.refund) return topUp; // a replay, or already asked
    if (topUp.status !== 'paid') throw new AppError('REFUND_NOT_ALLOWED', '只有已到账的充值可以退款');
    const member = await resolveSurvivor(this.conn, topUp.memberId, ['walletPrincipalFen', 'walletBonusFen'] as const);
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    const principalFen = Math.min(topUp.payFen, member.walletPrincipalFen);
    if (principalFen <= 0) throw new AppError('REFUND_NOT_ALLOWED', '本次充值的本金已用完，无可退金额');
    const bonusForfeitedFen = Math.min(member.walletBonusFen, share(topUp.bonusFen, principalFen, topUp.payFen));
    const claimed = await TopUps.findOneAndUpdate(
      { _id: id, status: 'paid', refund: null },
      {
        $set: {
          status: 'refunding',
          refund: {
            principalFen,
            bonusForfeitedFen,
            status: 'processing',
            requestedAt: new Date(this.now()),
            finishedAt: null,
          },
        },
      },
      { returnDocument: 'after' },
    ).lean<TopUpDoc>();
    if (!claimed) return this.topUpOf(opts.memberId, id);
    try {
      await this.ledger.post({
        memberId: member._id,
        account: 'walletPrincipal',
        amount: -principalFen,
        reason: 'top_up_refund',
        idempotencyKey: `topup:${id.toHexString()}:refund:principal`,
        note: `充值退款 ${formatFen(principalFen)}${bonusForfeitedFen ? `，赠送 ${formatFen(bonusForfeitedFen)} 作废` : ''}`,
        refs: { topUpId: id.toHexString() },
        legs: bonusForfeitedFen
          ? [
              {
                account: 'walletBonus',
                amount: -bonusForfeitedFen,
                idempotencyKey: `topup:${id.toHexString()}:refund:bonus`,
              },
            ]
          : [],
      });
    } catch (err) {
      await TopUps.updateOne({ _id: id, status: 'refunding' }, { $set: { status: 'paid', refund: null } });
      throw err;
    }
    await this.payments.refund({
      kind: 'top_up',
      refId: id,
      memberId: member._id,
      outTradeNo: topUp.outTradeNo,
      outRefundNo: `R${id.toHexString()}`,
      amountFen: principalFen,
      reason: opts.reason || '储值退款',
    });
    return this.topUpOf(opts.memberId, id);
  }

  // ---- the wallet ----
  /** The member as authentication just read them: no second read for the balances. */
  async wallet(member: Pick<Member, 'walletPrincipalFen' | 'walletBonusFen'>) {
    return {
      balanceFen: storedValueFen(member),
      principalFen: member.walletPrincipalFen,
      bonusFen: member.walletBonusFen,
      refundEnabled: (await this.settings()).refundEnabled,
    };
  }

  /** Wallet entries, newest first; the principal and bonus entries of one event come back as one row. */
  async history(memberId: Types.ObjectId, before: string | null, limit: number) {
    const filter: Record<string, unknown> = { memberId, account: { $in: WALLET_ACCOUNTS } };
    if (before && Types.ObjectId.isValid(before)) filter._id = { $lt: new Types.ObjectId(before) };
    // Twice the page: each event has at most two entries.
    const entries = await ledgerModel(this.conn)
      .find(filter)
      .sort({ _id: -1 })
      .limit(limit * 2 + 1)
      .lean<LedgerEntry[]>();
    const rows: Array<{ id: string; kind: string; principalFen: number; bonusFen: number; note: string; at: Date }> =
      [];
    const byEvent = new Map<string, (typeof rows)[number]>();
    let consumed = 0;
    for (const e of entries) {
      const event = eventKey(e);
      let row = byEvent.get(event);
      if (!row) {
        if (rows.length === limit) break;
        row = { id: e._id.toHexString(), kind: e.reason, principalFen: 0, bonusFen: 0, note: e.note, at: e.createdAt };
        byEvent.set(event, row);
        rows.push(row);
      }
      if (e.account === 'walletPrincipal') {
        row.principalFen += e.amount;
        row.note = e.note || row.note;
      } else row.bonusFen += e.amount;
      consumed++;
    }
    // One event's entries are adjacent (written in one update), so a page never splits an event.
    const last = entries[consumed - 1];
    return { rows, nextCursor: consumed < entries.length && last ? last._id.toHexString() : null };
  }

  async liability() {
    const [sum] = await memberModel(this.conn).aggregate<{ principal: number; bonus: number; members: number }>([
      { $match: { $or: [{ walletPrincipalFen: { $ne: 0 } }, { walletBonusFen: { $ne: 0 } }] } },
      {
        $group: {
          _id: null,
          principal: { $sum: '$walletPrincipalFen' },
          bonus: { $sum: '$walletBonusFen' },
          members: { $sum: 1 },
        },
      },
    ]);
    const principalFen = sum?.principal ?? 0;
    const bonusFen = sum?.bonus ?? 0;
    return { principalFen, bonusFen, totalFen: principalFen + bonusFen, members: sum?.members ?? 0 };
  }

  async settings(): Promise<WalletSettingsDoc> {
    const doc = await this.settingsCollection().findOne({ _id: 'wallet' });
    return { refundEnabled: doc?.refundEnabled ?? true };
  }

  async updateSettings(input: WalletSettingsDoc): Promise<WalletSettingsDoc> {
    await this.settingsCollection().updateOne({ _id: 'wallet' }, { $set: input }, { upsert: true });
    return this.settings();
  }

  openidOf(member: Pick<Member, 'wechat'>): string {
    const openid = member.wechat.find((w) => w.appid === this.appid)?.openid;
    if (!openid) throw new AppError('VALIDATION_FAILED', '请在微信小程序内完成支付');
    return openid;
  }

  private settingsCollection() {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    return db.collection<{ _id: string } & WalletSettingsDoc>('settings');
  }

  /** Purchases of a package that count against its limit: paid ones, and unpaid ones still payable. */
  private bought(memberId: Types.ObjectId, pkg: TopUpPackageDoc): Promise<number> {
    return walletModels(this.conn).TopUps.countDocuments({
      memberId,
      packageId: pkg._id,
      $or: [
        { status: { $in: ['paid', 'refunding', 'refunded'] } },
        { status: 'pending', expiresAt: { $gt: new Date(this.now()) } },
      ],
    });
  }

  private topUpHandler(): PaymentHandler {
    const { TopUps } = walletModels(this.conn);
    return {
      paid: async (order: PayOrderDoc) => {
        const topUp = await TopUps.findById(order.refId).lean<TopUpDoc>();
        if (!topUp) throw new Error(`top-up ${order.refId.toHexString()} vanished`);
        // Money arrived for whoever this person is now (a merge may have happened since).
        const member = await resolveSurvivor(this.conn, topUp.memberId, [] as const);
        if (!member) throw new Error('member vanished');
        const key = `topup:${topUp._id.toHexString()}`;
        await this.ledger.post({
          memberId: member._id,
          account: 'walletPrincipal',
          amount: topUp.payFen,
          reason: 'top_up',
          idempotencyKey: `${key}:principal`,
          note: `充值 ${formatFen(topUp.payFen)}${topUp.bonusFen ? `，赠送 ${formatFen(topUp.bonusFen)}` : ''}`,
          refs: { topUpId: topUp._id.toHexString(), outTradeNo: topUp.outTradeNo },
          legs:
            topUp.bonusFen > 0
              ? [{ account: 'walletBonus', amount: topUp.bonusFen, idempotencyKey: `${key}:bonus` }]
              : [],
        });
        // A payment WeChat took counts even if we had closed the top-up locally meanwhile.
        await TopUps.updateOne(
          { _id: topUp._id, status: { $in: ['pending', 'closed'] } },
          { $set: { status: 'paid', paidAt: new Date(this.now()) } },
        );
      },
      closed: async (order: PayOrderDoc) => {
        await TopUps.updateOne({ _id: order.refId, status: 'pending' }, { $set: { status: 'closed' } });
      },
      refundEnded: async (refund: PayRefundDoc, outcome) => {
        const topUp = await TopUps.findById(refund.refId).lean<TopUpDoc>();
        if (!topUp?.refund) return;
        const finishedAt = new Date(this.now());
        if (outcome === 'SUCCESS') {
          await TopUps.updateOne(
            { _id: topUp._id, status: 'refunding' },
            { $set: { status: 'refunded', 'refund.status': 'succeeded', 'refund.finishedAt': finishedAt } },
          );
          return;
        }
        // WeChat did not refund: the money goes back into the wallet, once.
        const key = `topup:${topUp._id.toHexString()}:refund-undo`;
        await this.ledger.post({
          memberId: refund.memberId,
          account: 'walletPrincipal',
          amount: topUp.refund.principalFen,
          reason: 'top_up_refund',
          idempotencyKey: `${key}:principal`,
          note: '退款未成功，金额退回余额',
          refs: { topUpId: topUp._id.toHexString() },
          allowStatuses: ['active', 'merging'],
          legs: topUp.refund.bonusForfeitedFen
            ? [{ account: 'walletBonus', amount: topUp.refund.bonusForfeitedFen, idempotencyKey: `${key}:bonus` }]
            : [],
        });
        await TopUps.updateOne(
          { _id: topUp._id, status: 'refunding' },
          { $set: { status: 'paid', 'refund.status': 'failed', 'refund.finishedAt': finishedAt } },
        );
      },
    };
  }
}

function isOnSale(p: TopUpPackageDoc, today: string): boolean {
  return p.active && (!p.validFrom || p.validFrom <= today) && (!p.validUntil || today <= p.validUntil);
}

/** The entries one event wrote share their key up to the last `:principal` / `:bonus`. */
function eventKey(e: LedgerEntry): string {
  return e.idempotencyKey.replace(/:(principal|bonus)$/, '');
}
