// Payments that did not settle by themselves, and the daily check of our books against WeChat Pay's.
// - Every few minutes: orders still unpaid 5 minutes after they were placed are asked about (and credited if
//   paid); those past time_expire are closed (a top-up closes, a till payment gives back what it held); refunds
//   still processing are asked about; till payments nobody answered expire.
// - Daily (and on demand from the admin page): the trade bill of a day against our paid orders and refunds.
import type { ReconciliationReport } from '@member-hub/shared';
import type { AppDeps } from '../deps';
import { type PayOrderDoc, type PayRefundDoc, payModels } from '../modules/payments/model';
import type { TradeBillLine } from '../modules/payments/provider';
import { chinaDate } from '../modules/points/expiry';
import { withLease } from './lease';

const UNPAID_AFTER_MS = 5 * 60 * 1000;
const REFUND_ASK_AFTER_MS = 60 * 1000;
const LEASE_MS = 5 * 60 * 1000;
const BATCH = 200;

type Deps = Pick<AppDeps, 'conn' | 'payments' | 'charges' | 'logger' | 'now'>;

export async function reconcileOpenPayments(deps: Deps) {
  const outcome = await withLease(deps.conn, 'reconcileOpenPayments', LEASE_MS, deps.now, async () => {
    const { Orders, Refunds } = payModels(deps.conn);
    const now = deps.now();
    const run = { asked: 0, credited: 0, closed: 0, refundsAsked: 0, chargesHealed: 0, chargesExpired: 0, errors: 0 };
    const open = await Orders.find({ state: 'NOTPAY', createdAt: { $lte: new Date(now - UNPAID_AFTER_MS) } })
      .limit(BATCH)
      .lean<PayOrderDoc[]>();
    for (const order of open) {
      try {
        run.asked++;
        const state =
          order.expiresAt.getTime() <= now
            ? await deps.payments.close(order.outTradeNo)
            : await deps.payments.sync(order.outTradeNo);
        if (state === 'SUCCESS') run.credited++;
        if (state === 'CLOSED') run.closed++;
      } catch (err) {
        run.errors++;
        deps.logger.warn({ err, outTradeNo: order.outTradeNo }, 'reconcile: order not settled');
      }
    }
    const refunds = await Refunds.find({
      status: 'PROCESSING',
      createdAt: { $lte: new Date(now - REFUND_ASK_AFTER_MS) },
    })
      .limit(BATCH)
      .lean<PayRefundDoc[]>();
    for (const refund of refunds) {
      try {
        run.refundsAsked++;
        await deps.payments.syncRefund(refund.outRefundNo);
      } catch (err) {
        run.errors++;
        deps.logger.warn({ err, outRefundNo: refund.outRefundNo }, 'reconcile: refund not settled');
      }
    }
    run.chargesHealed = await deps.charges.healInterrupted();
    run.chargesExpired = await deps.charges.expireStale();
    return run;
  });
  return outcome.ran ? { ran: true, ...outcome.result } : { ran: false };
}

/** Yesterday's books, compared once a day. */
export function reconcileYesterday(deps: Pick<AppDeps, 'conn' | 'payments' | 'now'>) {
  return reconcileDay(deps, chinaDate(new Date(deps.now() - 24 * 3600 * 1000)));
}

/** One China-time day of our paid orders and refunds against WeChat Pay's trade bill; the report is kept. */
export async function reconcileDay(
  deps: Pick<AppDeps, 'conn' | 'payments' | 'now'>,
  date: string,
): Promise<ReconciliationReport> {
  const start = new Date(`${date}T00:00:00+08:00`);
  const end = new Date(start.getTime() + 24 * 3600 * 1000);
  const { Orders, Refunds } = payModels(deps.conn);
  const [paid, refunded, bill] = await Promise.all([
    Orders.find({ state: 'SUCCESS', paidAt: { $gte: start, $lt: end } }).lean<PayOrderDoc[]>(),
    Refunds.find({ status: 'SUCCESS', finishedAt: { $gte: start, $lt: end } }).lean<PayRefundDoc[]>(),
    deps.payments.tradeBill(date),
  ]);
  const lines: TradeBillLine[] = bill ?? [];
  const theirPayments = new Map(lines.filter((l) => l.tradeState === 'SUCCESS').map((l) => [l.outTradeNo, l]));
  const theirRefunds = new Map(
    lines.filter((l) => l.tradeState === 'REFUND' && l.outRefundNo).map((l) => [l.outRefundNo as string, l]),
  );
  const differences: ReconciliationReport['differences'] = [];
  for (const order of paid) {
    const theirs = theirPayments.get(order.outTradeNo);
    if (!theirs)
      differences.push({
        outTradeNo: order.outTradeNo,
        kind: 'missing_in_theirs',
        detail: '我方已到账，微信账单无此笔',
      });
    else if (theirs.totalFen !== order.amountFen)
      differences.push({
        outTradeNo: order.outTradeNo,
        kind: 'amount_mismatch',
        detail: `我方 ${order.amountFen} 分，微信 ${theirs.totalFen} 分`,
      });
    theirPayments.delete(order.outTradeNo);
  }
  for (const line of theirPayments.values())
    differences.push({ outTradeNo: line.outTradeNo, kind: 'missing_in_ours', detail: '微信账单有此笔，我方未记到账' });
  for (const refund of refunded) {
    const theirs = theirRefunds.get(refund.outRefundNo);
    if (!theirs)
      differences.push({
        outTradeNo: refund.outTradeNo,
        kind: 'missing_in_theirs',
        detail: `退款 ${refund.outRefundNo} 微信账单无此笔`,
      });
    else if (theirs.refundFen !== refund.amountFen)
      differences.push({
        outTradeNo: refund.outTradeNo,
        kind: 'amount_mismatch',
        detail: `退款 ${refund.outRefundNo}：我方 ${refund.amountFen} 分，微信 ${theirs.refundFen} 分`,
      });
    theirRefunds.delete(refund.outRefundNo);
  }
  for (const line of theirRefunds.values())
    differences.push({
      outTradeNo: line.outTradeNo,
      kind: 'missing_in_ours',
      detail: `退款 ${line.outRefundNo} 我方无记录`,
    });

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const report: ReconciliationReport = {
    date,
    ours: {
      payments: paid.length,
      paidFen: sum(paid.map((o) => o.amountFen)),
      refunds: refunded.length,
      refundedFen: sum(refunded.map((r) => r.amountFen)),
    },
    theirs: {
      payments: lines.filter((l) => l.tradeState === 'SUCCESS').length,
      paidFen: sum(lines.filter((l) => l.tradeState === 'SUCCESS').map((l) => l.totalFen)),
      refunds: lines.filter((l) => l.tradeState === 'REFUND').length,
      refundedFen: sum(lines.filter((l) => l.tradeState === 'REFUND').map((l) => l.refundFen)),
    },
    differences,
    createdAt: new Date(deps.now()).toISOString(),
  };
  const db = deps.conn.db;
  if (db) {
    await db
      .collection<{ _id: string }>('reconciliation_reports')
      .updateOne({ _id: date }, { $set: report }, { upsert: true });
  }
  return report;
}
