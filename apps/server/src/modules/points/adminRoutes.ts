// Owner tools for points: manual adjustments (with a reason, audited) and the outstanding-points liability.
import Router from '@koa/router';
import { LoyaltyPaths, PointsAdjustmentRequest, type PointsLiability } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { actorOf, authorize, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { memberModel } from '../members/model';
import { expiryDay } from './expiry';

export function pointsAdminRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.post(
    '/api/v1/admin/members/:id/points-adjustments',
    authorize('points.adjust'),
    validate(PointsAdjustmentRequest),
    async (ctx) => {
      const memberId = idParam(ctx.params.id, 'member');
      const { amount, reason, idempotencyKey } = inputOf(ctx, PointsAdjustmentRequest);
      const rules = await deps.rules.get();
      const actor = actorOf(ctx);
      const { replayed } = await deps.ledger.post({
        memberId,
        account: 'points',
        amount,
        reason: 'adjustment',
        idempotencyKey: `adjust:${principalOf(ctx).kind}:${actor.id}:${idempotencyKey}`,
        note: `人工调整：${reason}`,
        ...(amount > 0 && { expiresOn: expiryDay(new Date(deps.now()), rules.expiryMonths) }),
      });
      // On a replay too: the dedupe key keeps one record even when a crash came between the entry and its record.
      await deps.audit.record({
        dedupeKey: `points.adjust:${principalOf(ctx).kind}:${actor.id}:${idempotencyKey}`,
        actor,
        action: 'points.adjust',
        memberId,
        ip: ctx.ip,
        details: { amount, reason },
      });
      const member = await deps.members.get(memberId);
      ctx.body = { points: member.points, replayed };
    },
  );

  router.get(LoyaltyPaths.adminLiability, authorize('summary.read'), async (ctx) => {
    const [row] = await memberModel(deps.conn).aggregate<{ points: number; members: number }>([
      { $match: { status: 'active', points: { $gt: 0 } } },
      { $group: { _id: null, points: { $sum: '$points' }, members: { $sum: 1 } } },
    ]);
    const rules = await deps.rules.get();
    const outstandingPoints = row?.points ?? 0;
    const body: PointsLiability = {
      outstandingPoints,
      valueFen: Math.floor((outstandingPoints * 100) / rules.pointsPerYuanOffset),
      members: row?.members ?? 0,
    };
    ctx.body = body;
  });

  return router;
}
