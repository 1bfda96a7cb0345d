// Stored value for members (top-ups, wallet, confirming a till payment, payment codes) and staff (taking it).
import Router from '@koa/router';
import {
  ConfirmChargeRequest,
  CreateTopUpRequest,
  type CreateTopUpResult,
  StaffChargeRequest,
  TopUpRefundRequest,
  WalletPageQuery,
  WalletPaths,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { idParam } from '../../lib/params';
import { actorOf, authorize, memberIdOf, memberOf, staffOf } from '../../middlewares/auth';
import { rateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';
import type { ChargeDoc } from './model';
import { presentCharge, presentPackage, presentTopUp, presentWalletEntry } from './presenter';

/** A scan is good for taking payment this long: the customer is still at the till. */
const SCAN_VALID_MS = 15 * 60 * 1000;

export function walletRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');
  const present = async (charge: ChargeDoc) =>
    presentCharge(charge, (await deps.stores.get(charge.storeId.toHexString())).name);

  router.get(WalletPaths.packages, self, async (ctx) => {
    ctx.body = (await deps.wallet.packagesFor(memberIdOf(ctx))).map(presentPackage);
  });
  router.get(WalletPaths.myWallet, self, async (ctx) => {
    ctx.body = await deps.wallet.wallet(memberOf(ctx));
  });
  router.get(WalletPaths.myWalletHistory, self, validate(WalletPageQuery, 'query'), async (ctx) => {
    const { cursor, limit } = inputOf(ctx, WalletPageQuery);
    const { rows, nextCursor } = await deps.wallet.history(memberIdOf(ctx), cursor ?? null, limit);
    ctx.body = { entries: rows.map(presentWalletEntry), nextCursor };
  });

  router.post(WalletPaths.myTopUps, self, validate(CreateTopUpRequest), async (ctx) => {
    const { packageId, idempotencyKey } = inputOf(ctx, CreateTopUpRequest);
    const { topUp, payment } = await deps.wallet.createTopUp(
      memberOf(ctx),
      new Types.ObjectId(packageId),
      idempotencyKey,
    );
    const body: CreateTopUpResult = { topUp: presentTopUp(topUp), payment };
    ctx.status = 201;
    ctx.body = body;
  });
  router.get(WalletPaths.myTopUps, self, validate(WalletPageQuery, 'query'), async (ctx) => {
    const { cursor, limit } = inputOf(ctx, WalletPageQuery);
    const { topUps, nextCursor } = await deps.wallet.topUpsOf(memberIdOf(ctx), cursor ?? null, limit);
    ctx.body = { topUps: topUps.map(presentTopUp), nextCursor };
  });
  router.get('/api/v1/me/wallet/top-ups/:id', self, async (ctx) => {
    ctx.body = presentTopUp(await deps.wallet.topUpOf(memberIdOf(ctx), idParam(ctx.params.id, 'top-up')));
  });
  router.post('/api/v1/me/wallet/top-ups/:id/confirm', self, async (ctx) => {
    ctx.body = presentTopUp(await deps.wallet.confirmTopUp(memberIdOf(ctx), idParam(ctx.params.id, 'top-up')));
  });
  router.post('/api/v1/me/wallet/top-ups/:id/refund', self, validate(TopUpRefundRequest), async (ctx) => {
    const { reason } = inputOf(ctx, TopUpRefundRequest);
    const topUp = await deps.wallet.refundTopUp(idParam(ctx.params.id, 'top-up'), {
      memberId: memberIdOf(ctx),
      reason,
      byMember: true,
    });
    ctx.body = presentTopUp(topUp);
  });

  router.get(WalletPaths.myPendingCharge, self, async (ctx) => {
    const charge = await deps.charges.pendingFor(memberIdOf(ctx));
    // Before confirming, the member sees how it would be paid: stored value first, WeChat Pay for the rest.
    ctx.body = { charge: charge && (await present(deps.charges.preview(charge, memberOf(ctx)))) };
  });
  router.get('/api/v1/me/wallet/charges/:id', self, async (ctx) => {
    const charge = await deps.charges.getFor(memberIdOf(ctx), idParam(ctx.params.id, 'charge'));
    // Back from paying the rest with WeChat Pay: ask WeChat now rather than wait for the notification.
    const current = charge.status === 'awaiting_payment' ? await deps.charges.syncPayment(charge) : charge;
    ctx.body = await present(deps.charges.preview(current, memberOf(ctx)));
  });
  router.post('/api/v1/me/wallet/charges/:id/confirm', self, validate(ConfirmChargeRequest), async (ctx) => {
    const { charge, payment } = await deps.charges.confirm(memberOf(ctx), idParam(ctx.params.id, 'charge'));
    ctx.body = { charge: await present(charge), payment };
  });
  router.post('/api/v1/me/wallet/charges/:id/decline', self, async (ctx) => {
    ctx.body = await present(await deps.charges.decline(memberIdOf(ctx), idParam(ctx.params.id, 'charge')));
  });
  router.post(WalletPaths.myPayCode, self, async (ctx) => {
    const { code, expiresAt } = await deps.charges.issuePayCode(memberIdOf(ctx));
    ctx.status = 201;
    ctx.body = { code, expiresAt: expiresAt.toISOString() };
  });

  // Taking a payment code is a scan: it shares the staff member's scanning budget.
  const scanLimit = rateLimit(deps, 'staffScan');
  router.post(
    WalletPaths.staffCharges,
    authorize('wallet.charge'),
    scanLimit,
    validate(StaffChargeRequest),
    async (ctx) => {
      const staff = staffOf(ctx);
      const input = inputOf(ctx, StaffChargeRequest);
      const common = {
        storeId: new Types.ObjectId(staff.storeId),
        staffId: new Types.ObjectId(staff.staffId),
        clientKey: `${staff.staffId}:${input.idempotencyKey}`,
        amountFen: input.amountFen,
        offsetPoints: input.offsetPoints,
      };
      let charge: ChargeDoc;
      if (input.payCode) charge = await deps.charges.chargeByPayCode(input.payCode, common);
      else {
        const memberId = new Types.ObjectId(input.memberId);
        if (!(await deps.codes.scannedRecently(memberId, staff.staffId, SCAN_VALID_MS)))
          throw new AppError('MEMBER_NOT_SCANNED');
        charge = await deps.charges.start({ ...common, memberId });
      }
      await deps.audit.record({
        actor: actorOf(ctx),
        action: 'wallet.charge',
        memberId: charge.memberId,
        storeId: charge.storeId,
        ip: ctx.ip,
        dedupeKey: `wallet.charge:${charge._id.toHexString()}`,
        details: { chargeId: charge._id.toHexString(), amountFen: charge.amountFen, payCode: Boolean(input.payCode) },
      });
      ctx.status = 201;
      ctx.body = await present(charge);
    },
  );
  router.get('/api/v1/staff/wallet/charges/:id', authorize('wallet.charge'), async (ctx) => {
    const charge = await deps.charges.get(idParam(ctx.params.id, 'charge'));
    // Staff see their own store's payments only.
    if (charge.storeId.toHexString() !== staffOf(ctx).storeId) throw new AppError('FORBIDDEN');
    ctx.body = await present(charge);
  });
  router.post('/api/v1/staff/wallet/charges/:id/cancel', authorize('wallet.charge'), async (ctx) => {
    const charge = await deps.charges.get(idParam(ctx.params.id, 'charge'));
    if (charge.storeId.toHexString() !== staffOf(ctx).storeId) throw new AppError('FORBIDDEN');
    ctx.body = await present(await deps.charges.cancelByStaff(charge._id));
  });
  return router;
}
