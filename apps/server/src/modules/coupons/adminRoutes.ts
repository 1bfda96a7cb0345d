// The owner's coupons: templates with their redemption statistics, pushes to many members, gift settings.
// Every change is audited.
import Router from '@koa/router';
import {
  type CouponIssueList,
  CouponPaths,
  CouponSettings,
  CouponTemplateInput,
  type CouponTemplateList,
  CouponTemplatePatch,
  CreateCouponIssueRequest,
} from '@member-hub/shared';
import type { Context } from 'koa';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { actorOf, authorize, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { presentIssue, presentTemplate } from './presenter';

export function couponAdminRoutes(deps: AppDeps): Router {
  const router = new Router();
  const manage = authorize('coupon.manage');
  const audit = (ctx: Context, action: string, details: Record<string, unknown>) =>
    deps.audit.record({ actor: actorOf(ctx), action, ip: ctx.ip, details });

  router.get(CouponPaths.adminTemplates, manage, async (ctx) => {
    const rows = await deps.coupons.listTemplates();
    const body: CouponTemplateList = { templates: rows.map((r) => presentTemplate(r.template, r.stats)) };
    ctx.body = body;
  });
  router.post(CouponPaths.adminTemplates, manage, validate(CouponTemplateInput), async (ctx) => {
    const template = await deps.coupons.createTemplate(inputOf(ctx, CouponTemplateInput));
    await audit(ctx, 'coupon.template.create', { templateId: template._id.toHexString(), title: template.title });
    ctx.status = 201;
    ctx.body = presentTemplate(template);
  });
  router.patch('/api/v1/admin/coupon-templates/:id', manage, validate(CouponTemplatePatch), async (ctx) => {
    const template = await deps.coupons.updateTemplate(
      idParam(ctx.params.id, 'coupon template'),
      inputOf(ctx, CouponTemplatePatch),
    );
    await audit(ctx, 'coupon.template.update', {
      templateId: template._id.toHexString(),
      title: template.title,
      changed: Object.keys(inputOf(ctx, CouponTemplatePatch)),
    });
    ctx.body = presentTemplate(template);
  });

  router.get(CouponPaths.adminIssues, manage, async (ctx) => {
    const body: CouponIssueList = { issues: (await deps.campaigns.list()).map((i) => presentIssue(i)) };
    ctx.body = body;
  });
  router.post(CouponPaths.adminIssues, manage, validate(CreateCouponIssueRequest), async (ctx) => {
    const input = inputOf(ctx, CreateCouponIssueRequest);
    const principal = principalOf(ctx);
    const { issue, replayed } = await deps.campaigns.create({
      templateId: new Types.ObjectId(input.templateId),
      target: input.target,
      key: input.idempotencyKey,
      createdBy: principal.kind === 'owner' ? principal.ownerId : '',
    });
    if (!replayed) {
      await audit(ctx, 'coupon.issue.create', {
        issueId: issue._id.toHexString(),
        templateId: input.templateId,
        target: input.target.kind,
      });
      // Runs in the background; progress is on the campaign row (the scheduler resumes it after a restart).
      deps.campaigns.kick(issue._id);
    }
    ctx.status = replayed ? 200 : 202;
    ctx.body = presentIssue(issue, replayed);
  });
  router.get('/api/v1/admin/coupon-issues/:id', manage, async (ctx) => {
    ctx.body = presentIssue(await deps.campaigns.get(idParam(ctx.params.id, 'coupon issue')));
  });

  router.get(CouponPaths.adminSettings, manage, async (ctx) => {
    ctx.body = await deps.couponSettings.get();
  });
  router.put(CouponPaths.adminSettings, manage, validate(CouponSettings), async (ctx) => {
    const settings = await deps.couponSettings.update(inputOf(ctx, CouponSettings));
    await audit(ctx, 'coupon.settings.update', settings);
    ctx.body = settings;
  });

  return router;
}
