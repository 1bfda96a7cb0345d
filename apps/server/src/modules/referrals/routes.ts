// Invite a friend: the member's invite (token, share path, mini-program code, invitees), the invitee's landing and
// acceptance, and the owner's chains, top inviters and suspected abuse.
import Router from '@koa/router';
import {
  AcceptReferralRequest,
  type AcceptReferralResult,
  type AdminReferrals,
  AdminReferralsQuery,
  CouponPaths,
  couponFace,
  INVITE_LANDING_PAGE,
  type InviteLanding,
  inviteScene,
  type MyReferral,
} from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { authorize, memberIdOf } from '../../middlewares/auth';
import { rateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';
import { WechatApiError, WechatUnavailableError } from '../../wechat/client';
import type { CouponTemplateDoc } from '../coupons/model';
import type { Member } from '../members/model';

/** Members see each other by a masked nickname (or the last digits of the member number), never more. */
function maskedName(m: Pick<Member, 'nickname' | 'memberNo'> | undefined): string | null {
  if (!m) return null;
  if (m.nickname) return `${[...m.nickname][0] ?? ''}**`;
  return `会员${m.memberNo.slice(-4)}`;
}

function rewardOf(t: CouponTemplateDoc | null) {
  if (!t) return null;
  const face = couponFace(t);
  return { title: t.title, description: `好友首单后，你们各得 ${face.headline} 券（${face.condition}）` };
}

/** Mini-program codes are cached per scene: WeChat limits how often they may be generated. */
const CODE_CACHE_LIMIT = 500;

export function referralRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');
  const codes = new Map<string, Buffer>();

  router.get(CouponPaths.myReferral, self, async (ctx) => {
    const memberId = memberIdOf(ctx);
    const [token, template, { referral: rules }, mine] = await Promise.all([
      deps.referrals.tokenOf(memberId),
      deps.referrals.rewardTemplate(),
      deps.couponSettings.get(),
      deps.referrals.mine(memberId),
    ]);
    const scene = inviteScene(token);
    const body: MyReferral = {
      token,
      scene,
      page: INVITE_LANDING_PAGE,
      sharePath: `/${INVITE_LANDING_PAGE}?scene=${encodeURIComponent(scene)}`,
      reward: rewardOf(template),
      dailyLimit: rules.dailyLimit,
      invitees: mine.invited.map((r) => ({
        nickname: maskedName(mine.people.get(r.inviteeId.toHexString())),
        joinedAt: r.createdAt.toISOString(),
        status: r.status,
        heldUntil: r.heldUntil?.toISOString() ?? null,
      })),
      rewardsEarned: mine.invited.filter((r) => r.status === 'held' || r.status === 'rewarded').length,
      invitedBy: mine.invitedBy
        ? { nickname: maskedName(mine.people.get(mine.invitedBy.inviterId.toHexString())) }
        : null,
    };
    ctx.body = body;
  });

  router.get(CouponPaths.myReferralCode, self, async (ctx) => {
    const scene = inviteScene(await deps.referrals.tokenOf(memberIdOf(ctx)));
    let png = codes.get(scene);
    if (!png) {
      try {
        png = await deps.wechat.getUnlimitedQrCode({ scene, page: INVITE_LANDING_PAGE, checkPath: false });
      } catch (err) {
        if (err instanceof WechatApiError || err instanceof WechatUnavailableError)
          throw new AppError('WECHAT_UNAVAILABLE');
        throw err;
      }
      if (codes.size >= CODE_CACHE_LIMIT) codes.delete(codes.keys().next().value as string);
      codes.set(scene, png);
    }
    ctx.type = 'image/png';
    ctx.set('Cache-Control', 'private, max-age=86400');
    ctx.body = png;
  });

  // The landing is seen before the visitor has an account, so it needs none and shows nothing personal.
  router.get('/api/v1/invites/:token', async (ctx) => {
    const inviter = await deps.referrals.inviterOf(String(ctx.params.token));
    const body: InviteLanding = {
      inviterNickname: maskedName(inviter),
      reward: rewardOf(await deps.referrals.rewardTemplate()),
    };
    ctx.body = body;
  });

  const bindLimit = rateLimit(deps, 'referralBind');
  router.post(CouponPaths.acceptReferral, self, bindLimit, validate(AcceptReferralRequest), async (ctx) => {
    const { token, device } = inputOf(ctx, AcceptReferralRequest);
    const { referral, inviter } = await deps.referrals.accept(memberIdOf(ctx), token, device);
    const body: AcceptReferralResult = { inviterNickname: maskedName(inviter), status: referral.status };
    ctx.body = body;
  });

  router.get(
    CouponPaths.adminReferrals,
    authorize('referral.read'),
    validate(AdminReferralsQuery, 'query'),
    async (ctx) => {
      const input = inputOf(ctx, AdminReferralsQuery);
      const referrals = await deps.referrals.list(input);
      const people = await deps.referrals.people(referrals.flatMap((r) => [r.inviterId, r.inviteeId]));
      const devices = new Map<string, number>();
      for (const r of referrals) if (r.deviceHash) devices.set(r.deviceHash, (devices.get(r.deviceHash) ?? 0) + 1);
      const who = (id: { toHexString(): string }) => {
        const m = people.get(id.toHexString());
        return { memberId: id.toHexString(), memberNo: m?.memberNo ?? '', nickname: m?.nickname ?? null };
      };
      const body: AdminReferrals = {
        referrals: referrals.map((r) => ({
          id: r._id.toHexString(),
          inviter: who(r.inviterId),
          invitee: who(r.inviteeId),
          status: r.status,
          createdAt: r.createdAt.toISOString(),
          rewardOrderId: r.rewardOrderId?.toHexString() ?? null,
          heldUntil: r.heldUntil?.toISOString() ?? null,
          phonePrefix: r.phonePrefix ? `${deps.referrals.phonePrefixOf(r)}****` : null,
          sameDeviceCount: r.deviceHash ? (devices.get(r.deviceHash) ?? 1) : 0,
        })),
      };
      ctx.body = body;
    },
  );

  router.get(CouponPaths.adminReferralOverview, authorize('referral.read'), async (ctx) => {
    ctx.body = await deps.referrals.overview();
  });

  return router;
}
