// The points mall for members, and its catalogue for owners.
import Router from '@koa/router';
import {
  LoyaltyPaths,
  type MallItem,
  RedeemRequest,
  type Redemption,
  UpdateMallItemRequest,
  UpsertMallItemRequest,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { actorOf, authorize, memberIdOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import type { MallItemDoc, RedemptionDoc } from './model';

function presentItem(i: MallItemDoc): MallItem {
  return {
    id: i._id.toHexString(),
    title: i.title,
    description: i.description,
    imageUrl: i.imageUrl,
    pointsPrice: i.pointsPrice,
    stock: i.stock,
    perMemberLimit: i.perMemberLimit,
    kind: i.kind,
    couponTemplateId: i.couponTemplateId?.toHexString() ?? null,
    active: i.active,
  };
}

function presentRedemption(r: RedemptionDoc, replayed: boolean): Redemption {
  return {
    id: r._id.toHexString(),
    itemId: r.itemId.toHexString(),
    title: r.title,
    pointsSpent: r.pointsSpent,
    pickupCode: r.pickupCode,
    couponId: r.couponId?.toHexString() ?? null,
    status: r.status === 'pending' ? 'awaiting_pickup' : r.status,
    at: r.at.toISOString(),
    replayed,
  };
}

export function mallRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');

  router.get(LoyaltyPaths.mallItems, self, async (ctx) => {
    ctx.body = (await deps.mall.list(true)).map(presentItem);
  });

  router.get(LoyaltyPaths.myRedemptions, self, async (ctx) => {
    ctx.body = (await deps.mall.myRedemptions(memberIdOf(ctx))).map((r) => presentRedemption(r, false));
  });

  router.post(LoyaltyPaths.myRedemptions, self, validate(RedeemRequest), async (ctx) => {
    const { itemId, idempotencyKey } = inputOf(ctx, RedeemRequest);
    const { redemption, replayed } = await deps.mall.redeem(
      memberIdOf(ctx),
      new Types.ObjectId(itemId),
      idempotencyKey,
    );
    ctx.status = replayed ? 200 : 201;
    ctx.body = presentRedemption(redemption, replayed);
  });

  router.get(LoyaltyPaths.adminMallItems, authorize('mall.manage'), async (ctx) => {
    ctx.body = (await deps.mall.list(false)).map(presentItem);
  });

  router.post(LoyaltyPaths.adminMallItems, authorize('mall.manage'), validate(UpsertMallItemRequest), async (ctx) => {
    const item = await deps.mall.create(inputOf(ctx, UpsertMallItemRequest));
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'mall.item.create',
      ip: ctx.ip,
      details: { itemId: item._id.toHexString(), title: item.title },
    });
    ctx.status = 201;
    ctx.body = presentItem(item);
  });

  router.patch(
    '/api/v1/admin/mall/items/:id',
    authorize('mall.manage'),
    validate(UpdateMallItemRequest),
    async (ctx) => {
      const input = inputOf(ctx, UpdateMallItemRequest);
      const item = await deps.mall.update(ctx.params.id ?? '', input);
      await deps.audit.record({
        actor: actorOf(ctx),
        action: 'mall.item.update',
        ip: ctx.ip,
        details: { itemId: item._id.toHexString(), ...input },
      });
      ctx.body = presentItem(item);
    },
  );

  return router;
}
