import Router from '@koa/router';
import { type AuditEntry, AuditQuery, IdentityPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { assertCan } from '../auth/policy';
import type { AuditRecord } from './model';

function presentAudit(r: AuditRecord): AuditEntry {
  return {
    id: r._id.toHexString(),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    memberId: r.memberId?.toHexString() ?? null,
    storeId: r.storeId?.toHexString() ?? null,
    ip: r.ip,
    details: r.details ?? {},
  };
}

export function auditRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get(IdentityPaths.adminAudit, validate(AuditQuery, 'query'), async (ctx) => {
    const p = principalOf(ctx);
    // Managers read their own store's trail only.
    const storeId = p.kind === 'staff' ? p.storeId : undefined;
    assertCan(p, 'audit.read', { storeId });
    const query = inputOf(ctx, AuditQuery);
    const items = await deps.audit.list({ ...query, storeId, limit: query.limit + 1 });
    const page = items.slice(0, query.limit);
    ctx.body = {
      items: page.map(presentAudit),
      next: items.length > query.limit ? (page.at(-1)?._id.toHexString() ?? null) : null,
    };
  });
  return router;
}
