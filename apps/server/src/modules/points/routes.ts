// The member's points: balance with the next expiry, and history newest first.
import Router from '@koa/router';
import { PointsHistoryQuery, PointsPaths, type PointsSummary } from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { authorize, memberOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { type LedgerEntry, ledgerModel } from '../ledger/model';
import { chinaDate, nextExpiry } from './expiry';

export function pointsRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');

  router.get(PointsPaths.myPoints, self, async (ctx) => {
    const member = memberOf(ctx);
    const body: PointsSummary = {
      points: member.points,
      nextExpiry: nextExpiry(member.pointsByExpiry ?? {}, member.pointsConsumed ?? 0, chinaDate(new Date(deps.now()))),
    };
    ctx.body = body;
  });

  router.get(PointsPaths.myPointsHistory, self, validate(PointsHistoryQuery, 'query'), async (ctx) => {
    const { limit, after } = inputOf(ctx, PointsHistoryQuery);
    const member = memberOf(ctx);
    // Entries still in the outbox are shown too: the member sees every point the moment it moves.
    await deps.ledger.flush(member._id);
    const filter: Record<string, unknown> = { memberId: member._id, account: 'points' };
    if (after && Types.ObjectId.isValid(after)) filter._id = { $lt: new Types.ObjectId(after) };
    const rows = await ledgerModel(deps.conn)
      .find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<LedgerEntry[]>();
    const page = rows.slice(0, limit);
    ctx.body = {
      items: page.map((e) => ({
        id: e._id.toHexString(),
        amount: e.amount,
        reason: e.reason,
        note: e.note,
        at: e.createdAt.toISOString(),
      })),
      next: rows.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null,
    };
  });

  return router;
}
