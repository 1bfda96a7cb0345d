// Tasks in the mini-program: status, check-in, shares (credited when a friend opens them), reviews.
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import { type CheckInResult, LoyaltyPaths } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { idParam } from '../../lib/params';
import { authorize, memberIdOf, memberOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { orderModel } from '../orders/model';

interface ShareDoc {
  _id: string;
  memberId: Types.ObjectId;
  createdAt: Date;
}
interface ShareVisitDoc {
  shareId: string;
  visitorId: Types.ObjectId;
  at: Date;
}

const ShareSchema = new Schema<ShareDoc>(
  { _id: String, memberId: Schema.Types.ObjectId, createdAt: Date },
  { versionKey: false },
);
const ShareVisitSchema = new Schema<ShareVisitDoc>(
  { shareId: String, visitorId: Schema.Types.ObjectId, at: Date },
  { versionKey: false },
);
ShareVisitSchema.index({ shareId: 1, visitorId: 1 }, { unique: true });

export function shareModels(conn: Connection) {
  return {
    Shares: (conn.models.Share as Model<ShareDoc> | undefined) ?? conn.model<ShareDoc>('Share', ShareSchema, 'shares'),
    Visits:
      (conn.models.ShareVisit as Model<ShareVisitDoc> | undefined) ??
      conn.model<ShareVisitDoc>('ShareVisit', ShareVisitSchema, 'share_visits'),
  };
}

const ShareVisitRequest = z.strictObject({ shareId: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, '分享链接无效') });
const ReviewRequest = z.strictObject({
  rating: z.number().int().min(1).max(5),
  text: z.string().trim().max(500).default(''),
});

export function taskRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');

  router.get(LoyaltyPaths.myTasks, self, async (ctx) => {
    ctx.body = await deps.tasks.status(memberOf(ctx));
  });

  router.post(LoyaltyPaths.myCheckIn, self, async (ctx) => {
    const body: CheckInResult = await deps.tasks.checkIn(memberIdOf(ctx));
    ctx.body = body;
  });

  router.post('/api/v1/me/shares', self, async (ctx) => {
    const shareId = randomBytes(12).toString('base64url');
    await shareModels(deps.conn).Shares.create({
      _id: shareId,
      memberId: memberIdOf(ctx),
      createdAt: new Date(deps.now()),
    });
    ctx.status = 201;
    ctx.body = { shareId };
  });

  // A friend (another member) opened a shared link. One visitor counts once per share; sharing with oneself, never.
  router.post('/api/v1/share-visits', self, validate(ShareVisitRequest), async (ctx) => {
    const { shareId } = inputOf(ctx, ShareVisitRequest);
    const visitorId = memberIdOf(ctx);
    const { Shares, Visits } = shareModels(deps.conn);
    const share = await Shares.findById(shareId).lean<ShareDoc>();
    if (!share) throw new AppError('NOT_FOUND', '分享链接无效', { resource: 'share' });
    let credited = false;
    if (!share.memberId.equals(visitorId)) {
      const firstVisit = await Visits.create({ shareId, visitorId, at: new Date(deps.now()) }).then(
        () => true,
        (err: { code?: number }) => {
          if (err.code === 11000) return false;
          throw err;
        },
      );
      if (firstVisit) {
        credited = await deps.tasks.shareVisited(share.memberId, shareId).then(
          (posted) => posted !== null,
          (err: { code?: string }) => {
            if (err.code === 'TASK_LIMIT_REACHED' || err.code === 'TASK_DAILY_CAP') return false;
            throw err;
          },
        );
      }
    }
    ctx.body = { credited };
  });

  router.post('/api/v1/me/orders/:id/review', self, validate(ReviewRequest), async (ctx) => {
    const orderId = idParam(ctx.params.id, 'order');
    const memberId = memberIdOf(ctx);
    const order = await orderModel(deps.conn)
      .findOne({ _id: orderId, memberId, status: { $ne: 'pending' } })
      .lean();
    if (!order) throw new AppError('NOT_FOUND', undefined, { resource: 'order' });
    const { rating, text } = inputOf(ctx, ReviewRequest);
    await orderModel(deps.conn).updateOne(
      { _id: order._id },
      { $set: { review: { rating, text, at: new Date(deps.now()) } } },
      { strict: false },
    );
    const posted = await deps.tasks.reviewed(memberId, order._id.toHexString());
    ctx.body = { pointsAwarded: posted && !posted.replayed ? posted.entry.amount : 0 };
  });

  return router;
}
