// The open API for a store's POS or online shop: report paid orders and refunds. An order is recorded once per
// (store, external order id); the customer is found (or enrolled) by external id, phone or member number. Sales
// to walk-in customers go to their own endpoint (see sales.ts).
import Router from '@koa/router';
import {
  OpenApiPaths,
  OpenOrderRequest,
  OpenRefundRequest,
  OpenSalePaths,
  OpenSaleRefundRequest,
  OpenSaleRequest,
} from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { idParam } from '../../lib/params';
import { actorOf, authorize } from '../../middlewares/auth';
import { enforceRateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';
import { type Member, memberModel } from '../members/model';
import { orderModel } from '../orders/model';
import { presentPurchase } from '../orders/presenter';
import { StoreSaleService } from './sales';
import { rotateStoreKey, verifyOpenApiSignature } from './signature';

export function openApiRoutes(deps: AppDeps): Router {
  const router = new Router();
  const signed = verifyOpenApiSignature(deps, (ctx, store) =>
    enforceRateLimit(deps, 'openApi', ctx, { store: store.code }),
  );
  const source = (storeCode: string) => `open:${storeCode}`;

  router.post(OpenApiPaths.orders, signed, validate(OpenOrderRequest), async (ctx) => {
    const store = ctx.state.openStore;
    if (!store) throw new AppError('SIGNATURE_INVALID');
    const input = inputOf(ctx, OpenOrderRequest);
    let member: Member | null = null;
    if (input.customer.memberNo)
      member = await memberModel(deps.conn).findOne({ memberNo: input.customer.memberNo }).lean<Member>();
    if (!member && input.customer.externalId) {
      member = (
        await deps.identity.resolveExternal({
          source: source(store.code),
          id: input.customer.externalId,
          phone: input.customer.phone,
        })
      ).member;
    }
    if (!member && input.customer.phone) member = await deps.identity.findByPhone(input.customer.phone);
    if (!member) throw new AppError('NOT_FOUND', '找不到该顾客对应的会员', { resource: 'member' });
    const { order, replayed } = await deps.purchases.run({
      source: source(store.code),
      externalId: input.externalOrderId,
      memberId: member._id,
      storeId: store.id,
      staffId: null,
      amountFen: input.amountFen,
      offsetPoints: 0,
      items: input.items,
      couponCodes: input.couponCodes,
    });
    ctx.status = replayed ? 200 : 201;
    ctx.body = presentPurchase(order, await deps.members.get(order.memberId), replayed);
  });

  router.post(OpenApiPaths.refunds, signed, validate(OpenRefundRequest), async (ctx) => {
    const store = ctx.state.openStore;
    if (!store) throw new AppError('SIGNATURE_INVALID');
    const input = inputOf(ctx, OpenRefundRequest);
    const order = await orderModel(deps.conn)
      .findOne({ source: source(store.code), externalId: input.externalOrderId })
      .lean();
    if (!order) throw new AppError('NOT_FOUND', undefined, { resource: 'order' });
    const {
      order: after,
      refund,
      replayed,
    } = await deps.refunds.run({
      orderId: order._id,
      key: `open:${input.externalRefundId}`,
      amountFen: input.amountFen,
    });
    ctx.body = {
      orderId: after._id.toHexString(),
      refundedFen: after.refundedFen,
      pointsReversed: refund.pointsReversed,
      growthReversed: refund.growthReversed,
      offsetPointsReturned: refund.offsetPointsReturned,
      status: after.status === 'refunded' ? 'refunded' : 'partially_refunded',
      replayed,
    };
  });

  // Walk-in sales (no member): recorded for the dashboard's members-vs-non-members figures, no ledger moves.
  const sales = new StoreSaleService(deps.conn, deps.now);
  router.post(OpenSalePaths.sales, signed, validate(OpenSaleRequest), async (ctx) => {
    const store = ctx.state.openStore;
    if (!store) throw new AppError('SIGNATURE_INVALID');
    const result = await sales.record(store.id, inputOf(ctx, OpenSaleRequest));
    ctx.status = result.replayed ? 200 : 201;
    ctx.body = result;
  });

  router.post(OpenSalePaths.saleRefunds, signed, validate(OpenSaleRefundRequest), async (ctx) => {
    const store = ctx.state.openStore;
    if (!store) throw new AppError('SIGNATURE_INVALID');
    ctx.body = await sales.refund(store.id, inputOf(ctx, OpenSaleRefundRequest));
  });

  router.post('/api/v1/admin/stores/:id/open-api-key', authorize('store.manage'), async (ctx) => {
    const storeId = idParam(ctx.params.id, 'store');
    const key = await rotateStoreKey(deps.conn, deps.vault, storeId);
    await deps.audit.record({ actor: actorOf(ctx), action: 'store.openapi.key', storeId, ip: ctx.ip });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { key };
  });

  return router;
}
