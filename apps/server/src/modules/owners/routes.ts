import Router from '@koa/router';
import { ApiPaths, OwnerLoginRequest, type OwnerLoginResponse } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { rateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';

export function ownerRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.post(ApiPaths.ownerLogin, validate(OwnerLoginRequest), rateLimit(deps, 'ownerLogin'), async (ctx) => {
    const { username, password } = inputOf(ctx, OwnerLoginRequest);
    const owner = await deps.owners.login(username, password);
    const issued = await deps.tokens.issue({ kind: 'owner', id: owner._id.toHexString() });
    const body: OwnerLoginResponse = {
      token: issued.token,
      expiresAt: issued.expiresAt.toISOString(),
      owner: { id: owner._id.toHexString(), username: owner.username },
    };
    ctx.body = body;
  });
  return router;
}
