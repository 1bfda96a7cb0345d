// The owner's campaigns: create (draft), dry-run, start, cancel, results. Starting and cancelling are audited.
import Router from '@koa/router';
import { CampaignInput, CampaignPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';

export function campaignRoutes(deps: AppDeps): Router {
  const router = new Router();
  const manage = authorize('campaign.manage');
  const audit = (ctx: Parameters<typeof actorOf>[0] & { ip: string }, action: string, campaignId: string) =>
    deps.audit.record({ actor: actorOf(ctx), action, ip: ctx.ip, details: { campaignId } });

  router.get(CampaignPaths.campaigns, manage, async (ctx) => {
    ctx.body = { campaigns: await deps.campaignRuns.list() };
  });

  router.post(CampaignPaths.campaigns, manage, validate(CampaignInput), async (ctx) => {
    const created = await deps.campaignRuns.create(inputOf(ctx, CampaignInput));
    await audit(ctx, 'campaign.create', created.id);
    ctx.status = 201;
    ctx.body = created;
  });

  router.post(CampaignPaths.dryRun, manage, validate(CampaignInput), async (ctx) => {
    ctx.body = await deps.campaignRuns.dryRun(inputOf(ctx, CampaignInput));
  });

  router.get('/api/v1/admin/campaigns/:id', manage, async (ctx) => {
    ctx.body = await deps.campaignRuns.view(idParam(ctx.params.id, 'campaign'));
  });

  router.post('/api/v1/admin/campaigns/:id/start', manage, async (ctx) => {
    const started = await deps.campaignRuns.start(idParam(ctx.params.id, 'campaign'));
    await audit(ctx, 'campaign.start', started.id);
    ctx.body = started;
  });

  router.post('/api/v1/admin/campaigns/:id/cancel', manage, async (ctx) => {
    const cancelled = await deps.campaignRuns.cancel(idParam(ctx.params.id, 'campaign'));
    await audit(ctx, 'campaign.cancel', cancelled.id);
    ctx.body = cancelled;
  });

  router.get('/api/v1/admin/campaigns/:id/results', manage, async (ctx) => {
    ctx.body = await deps.campaignRuns.results(idParam(ctx.params.id, 'campaign'));
  });

  return router;
}
