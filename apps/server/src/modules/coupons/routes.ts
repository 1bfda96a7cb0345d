// Coupons for members (list, detail, claim centre) and for staff at the till (look up a scanned coupon, verify a
// gift coupon on its own, quote coupons on a purchase, the scanned member's usable coupons).
import Router from '@koa/router';
import {
  type ClaimableCoupons,
  ClaimCouponRequest,
  type ClaimCouponResult,
  CouponLookupRequest,
  CouponPaths,
  type CouponQuote,
  CouponQuoteRequest,
  type MyCoupons,
  MyCouponsQuery,
  type StaffCouponView,
  type StaffMemberCoupons,
  VerifyCouponRequest,
  type VerifyCouponResult,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { idParam } from '../../lib/params';
import { actorOf, authorize, memberIdOf, staffOf } from '../../middlewares/auth';
import { rateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';
import { memberModel } from '../members/model';
import { presentClaimable, presentCoupon } from './presenter';
import { isVerifiableAlone } from './rules';

/** Same window as recording a purchase: the customer is still at the till. */
const SCAN_VALID_MS = 15 * 60 * 1000;

export function couponRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');
  const till = authorize('coupon.verify');
  // Looking up or verifying a coupon code is scanning too: one budget per staff member with the member code.
  const scanLimit = rateLimit(deps, 'staffScan');

  const requireScanned = async (memberId: Types.ObjectId, staffId: string) => {
    if (!(await deps.codes.scannedRecently(memberId, staffId, SCAN_VALID_MS))) throw new AppError('MEMBER_NOT_SCANNED');
  };

  // ---- Members ----
  router.get(CouponPaths.myCoupons, self, validate(MyCouponsQuery, 'query'), async (ctx) => {
    const { tab } = inputOf(ctx, MyCouponsQuery);
    const { coupons, counts } = await deps.coupons.mine(memberIdOf(ctx), tab);
    const body: MyCoupons = { coupons: coupons.map(presentCoupon), counts };
    ctx.body = body;
  });

  router.get(CouponPaths.claimable, self, async (ctx) => {
    const rows = await deps.coupons.claimable(memberIdOf(ctx));
    const body: ClaimableCoupons = { coupons: rows.map((r) => presentClaimable(r.template, r.held)) };
    ctx.body = body;
  });

  router.post(CouponPaths.claims, self, rateLimit(deps, 'couponClaim'), validate(ClaimCouponRequest), async (ctx) => {
    const { templateId, idempotencyKey } = inputOf(ctx, ClaimCouponRequest);
    const { coupon, replayed } = await deps.coupons.claim(
      memberIdOf(ctx),
      new Types.ObjectId(templateId),
      idempotencyKey,
    );
    const body: ClaimCouponResult = { coupon: presentCoupon(coupon), replayed };
    ctx.status = replayed ? 200 : 201;
    ctx.body = body;
  });

  router.get('/api/v1/me/coupons/:id', self, async (ctx) => {
    ctx.body = presentCoupon(await deps.coupons.one(memberIdOf(ctx), idParam(ctx.params.id, 'coupon')));
  });

  // ---- Staff ----
  router.post(CouponPaths.staffLookup, till, scanLimit, validate(CouponLookupRequest), async (ctx) => {
    const staff = staffOf(ctx);
    const coupon = await deps.coupons.byCode(inputOf(ctx, CouponLookupRequest).code);
    const member = await memberModel(deps.conn)
      .findById(coupon.memberId, { memberNo: 1, nickname: 1 })
      .lean<{ memberNo: string; nickname: string | null }>();
    const problem = deps.coupons.problemAlone(coupon, staff.storeId);
    const body: StaffCouponView = {
      coupon: presentCoupon(coupon),
      member: {
        memberId: coupon.memberId.toHexString(),
        memberNo: member?.memberNo ?? '',
        nickname: member?.nickname ?? null,
      },
      verifiableAlone: isVerifiableAlone(coupon.effect.kind),
      problem: problem?.message ?? null,
    };
    ctx.body = body;
  });

  router.post(CouponPaths.staffVerify, till, scanLimit, validate(VerifyCouponRequest), async (ctx) => {
    const staff = staffOf(ctx);
    const { code, idempotencyKey } = inputOf(ctx, VerifyCouponRequest);
    const { coupon, replayed } = await deps.coupons.verifyAlone({
      code,
      storeId: staff.storeId,
      staffId: staff.staffId,
      key: idempotencyKey,
    });
    // Written on a replay too: a coupon is verified once, so its id keeps one record even across a crash.
    await deps.audit.record({
      dedupeKey: `coupon.verify:${coupon._id.toHexString()}`,
      actor: actorOf(ctx),
      action: 'coupon.verify',
      memberId: coupon.memberId,
      storeId: staff.storeId,
      ip: ctx.ip,
      details: { couponId: coupon._id.toHexString(), code: coupon.code, title: coupon.title },
    });
    const body: VerifyCouponResult = { coupon: presentCoupon(coupon), replayed };
    ctx.body = body;
  });

  router.post(CouponPaths.staffQuote, till, validate(CouponQuoteRequest), async (ctx) => {
    const staff = staffOf(ctx);
    const input = inputOf(ctx, CouponQuoteRequest);
    const memberId = new Types.ObjectId(input.memberId);
    await requireScanned(memberId, staff.staffId);
    const applied = await deps.coupons.forOrder(
      {
        memberId: input.memberId,
        storeId: staff.storeId,
        amountFen: input.amountFen,
        items: input.items,
        at: new Date(deps.now()),
      },
      input.couponCodes,
    );
    const body: CouponQuote = {
      couponFen: applied.couponFen,
      lines: applied.lines.map((l) => ({ code: l.coupon.code, title: l.coupon.title, discountFen: l.discountFen })),
      payableFen: input.amountFen - applied.couponFen,
    };
    ctx.body = body;
  });

  router.get('/api/v1/staff/members/:id/coupons', till, async (ctx) => {
    const staff = staffOf(ctx);
    const memberId = idParam(ctx.params.id, 'member');
    await requireScanned(memberId, staff.staffId);
    const body: StaffMemberCoupons = {
      coupons: (await deps.coupons.usableAt(memberId, staff.storeId)).map(presentCoupon),
    };
    ctx.body = body;
  });

  return router;
}
