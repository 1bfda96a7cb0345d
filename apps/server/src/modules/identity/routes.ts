import Router from '@koa/router';
import { ApiPaths, WechatLoginRequest, type WechatLoginResponse } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { rateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';
import { presentMemberCard } from '../members/presenter';

export function identityRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.post(ApiPaths.wechatLogin, validate(WechatLoginRequest), rateLimit(deps, 'memberLogin'), async (ctx) => {
    const { code } = inputOf(ctx, WechatLoginRequest);
    const { member, isNew } = await deps.identity.loginWithWechat(code);
    const issued = await deps.tokens.issue({ kind: 'member', id: member._id.toHexString() });
    const body: WechatLoginResponse = {
      token: issued.token,
      expiresAt: issued.expiresAt.toISOString(),
      isNewMember: isNew,
      member: presentMemberCard(member),
    };
    ctx.status = isNew ? 201 : 200;
    ctx.body = body;
  });
  return router;
}
