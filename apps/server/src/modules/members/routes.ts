import Router from '@koa/router';
import { ApiPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { errors } from '../../errors';
import { memberIdOf, requireMember } from '../../middlewares/auth';
import { type Member, memberModel } from './model';
import { presentMemberCard } from './presenter';

export function memberRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get(ApiPaths.me, requireMember(deps.tokens), async (ctx) => {
    const member = await memberModel(deps.conn).findById(memberIdOf(ctx)).lean<Member>();
    // A valid token for a member that no longer exists (deleted account) is no longer a valid session.
    if (!member) throw errors.tokenInvalid();
    ctx.body = presentMemberCard(member);
  });
  return router;
}
