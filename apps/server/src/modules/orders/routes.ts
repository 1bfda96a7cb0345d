// Staff record a purchase at the till for the member they just scanned.
import Router from '@koa/router';
import { PointsPaths, RecordPurchaseRequest, RefundRequest, type RefundResult } from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { idParam } from '../../lib/params';
import { actorOf, authorize, staffOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { orderModel } from './model';
import { presentPurchase } from './presenter';

/** A scan is good for recording purchases this long: the customer is still at the till. */
const SCAN_VALID_MS = 15 * 60 * 1000;

export function orderRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.post(PointsPaths.staffPurchases, authorize('order.record'), validate(RecordPurchaseRequest), async (ctx) => {
    const staff = staffOf(ctx);
    const input = inputOf(ctx, RecordPurchaseRequest);
    const memberId = new Types.ObjectId(input.memberId);
    if (!(await deps.codes.scannedRecently(memberId, staff.staffId, SCAN_VALID_MS)))
      throw new AppError('MEMBER_NOT_SCANNED');
    const { order, replayed, balances } = await deps.purchases.run({
      source: 'till',
      externalId: `${staff.staffId}:${input.idempotencyKey}`,
      memberId,
      storeId: new Types.ObjectId(staff.storeId),
      staffId: new Types.ObjectId(staff.staffId),
      amountFen: input.amountFen,
      offsetPoints: input.offsetPoints,
      items: input.items,
      couponCodes: input.couponCodes,
    });
    // Written on a replay too, under a dedupe key: a crash between the order and its record must not lose it.
    await deps.audit.record({
      dedupeKey: `order.record:${order._id.toHexString()}`,
      actor: actorOf(ctx),
      action: 'order.record',
      memberId: order.memberId,
      storeId: order.storeId,
      ip: ctx.ip,
      details: {
        orderId: order._id.toHexString(),
        amountFen: order.amountFen,
        offsetPoints: order.offsetPoints,
        couponFen: order.couponFen,
        coupons: order.coupons.map((c) => c.code),
        pointsEarned: order.pointsEarned,
      },
    });
    ctx.status = replayed ? 200 : 201;
    ctx.body = presentPurchase(order, balances ?? (await deps.members.get(order.memberId)), replayed);
  });
  router.post('/api/v1/staff/orders/:id/refunds', authorize('order.refund'), validate(RefundRequest), async (ctx) => {
    const staff = staffOf(ctx);
    const orderId = idParam(ctx.params.id, 'order');
    const existing = await orderModel(deps.conn).findById(orderId, { storeId: 1 }).lean();
    if (!existing) throw new AppError('NOT_FOUND', undefined, { resource: 'order' });
    // A manager refunds their own store's orders only.
    if (existing.storeId?.toHexString() !== staff.storeId) throw new AppError('FORBIDDEN');
    const { amountFen, idempotencyKey } = inputOf(ctx, RefundRequest);
    const { order, refund, replayed } = await deps.refunds.run({
      orderId,
      key: `${staff.staffId}:${idempotencyKey}`,
      amountFen,
    });
    // Written on a replay too (see order.record above).
    await deps.audit.record({
      dedupeKey: `order.refund:${order._id.toHexString()}:${staff.staffId}:${idempotencyKey}`,
      actor: actorOf(ctx),
      action: 'order.refund',
      memberId: order.memberId,
      storeId: order.storeId,
      ip: ctx.ip,
      details: { orderId: order._id.toHexString(), amountFen, pointsReversed: refund.pointsReversed },
    });
    const body: RefundResult = {
      orderId: order._id.toHexString(),
      refundedFen: order.refundedFen,
      pointsReversed: refund.pointsReversed,
      growthReversed: refund.growthReversed,
      offsetPointsReturned: refund.offsetPointsReturned,
      status: order.status === 'refunded' ? 'refunded' : 'partially_refunded',
      replayed,
    };
    ctx.body = body;
  });

  return router;
}
