import Router from '@koa/router';
import { CreateStoreRequest, IdentityPaths, UpdateStoreRequest } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { actorOf, authorize, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { presentStore } from './service';

export function storeRoutes(deps: AppDeps): Router {
  const router = new Router();

  // Owners see every store; a manager sees their own.
  router.get(
    IdentityPaths.adminStores,
    authorize('store.list', (ctx) => {
      const p = principalOf(ctx);
      return p.kind === 'staff' ? { storeId: p.storeId } : {};
    }),
    async (ctx) => {
      const p = principalOf(ctx);
      ctx.body = (await deps.stores.list(p.kind === 'staff' ? p.storeId : undefined)).map(presentStore);
    },
  );

  router.post(IdentityPaths.adminStores, authorize('store.manage'), validate(CreateStoreRequest), async (ctx) => {
    const store = await deps.stores.create(inputOf(ctx, CreateStoreRequest));
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'store.create',
      storeId: store._id,
      ip: ctx.ip,
      details: { name: store.name, code: store.code },
    });
    ctx.status = 201;
    ctx.body = presentStore(store);
  });

  router.patch('/api/v1/admin/stores/:id', authorize('store.manage'), validate(UpdateStoreRequest), async (ctx) => {
    const input = inputOf(ctx, UpdateStoreRequest);
    const store = await deps.stores.update(ctx.params.id ?? '', input);
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'store.update',
      storeId: store._id,
      ip: ctx.ip,
      details: input,
    });
    ctx.body = presentStore(store);
  });

  return router;
}
