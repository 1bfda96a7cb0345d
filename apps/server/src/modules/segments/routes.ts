// The owner's segments: list, create (counted on save), edit, delete, preview an unsaved definition, recount a saved
// one. Owner only (segment.manage). Previews show a few members with masked phones: each is an audited read.
import Router from '@koa/router';
import {
  CreateSegmentRequest,
  SegmentListQuery,
  type SegmentPage,
  SegmentPaths,
  SegmentPreviewRequest,
  UpdateSegmentRequest,
} from '@member-hub/shared';
import type { Context } from 'koa';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import type { SegmentDoc } from './model';
import { presentSegment } from './presenter';

/** POST count takes no body, or a sample size. */
const RecountRequest = SegmentPreviewRequest.pick({ sampleSize: true });

export function segmentRoutes(deps: AppDeps): Router {
  const router = new Router();
  const manage = authorize('segment.manage');
  const audit = (ctx: Context, action: string, details: Record<string, unknown>) =>
    deps.audit.record({ actor: actorOf(ctx), action, ip: ctx.ip, details });
  const present = async (s: SegmentDoc) => presentSegment(s, await deps.segments.summary(s.definition));

  router.get(SegmentPaths.segments, manage, validate(SegmentListQuery, 'query'), async (ctx) => {
    const query = inputOf(ctx, SegmentListQuery);
    const { items, total } = await deps.segments.list(query);
    const body: SegmentPage = {
      items: await Promise.all(items.map(present)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
    ctx.body = body;
  });
  router.post(SegmentPaths.segments, manage, validate(CreateSegmentRequest), async (ctx) => {
    const segment = await deps.segments.create(inputOf(ctx, CreateSegmentRequest));
    await audit(ctx, 'segment.create', { segmentId: segment._id.toHexString(), name: segment.name });
    ctx.status = 201;
    ctx.body = await present(segment);
  });

  // Before the `:id` routes.
  router.post(SegmentPaths.preview, manage, validate(SegmentPreviewRequest), async (ctx) => {
    const { definition, sampleSize } = inputOf(ctx, SegmentPreviewRequest);
    const preview = await deps.segments.preview(definition, sampleSize);
    await audit(ctx, 'segment.preview', { count: preview.count, sampleShown: preview.sample.length });
    ctx.body = preview;
  });

  router.get('/api/v1/admin/segments/:id', manage, async (ctx) => {
    ctx.body = await present(await deps.segments.get(idParam(ctx.params.id, 'segment')));
  });
  router.patch('/api/v1/admin/segments/:id', manage, validate(UpdateSegmentRequest), async (ctx) => {
    const patch = inputOf(ctx, UpdateSegmentRequest);
    const segment = await deps.segments.update(idParam(ctx.params.id, 'segment'), patch);
    await audit(ctx, 'segment.update', {
      segmentId: segment._id.toHexString(),
      name: segment.name,
      changed: Object.keys(patch),
    });
    ctx.body = await present(segment);
  });
  router.delete('/api/v1/admin/segments/:id', manage, async (ctx) => {
    const segment = await deps.segments.remove(idParam(ctx.params.id, 'segment'));
    await audit(ctx, 'segment.delete', { segmentId: segment._id.toHexString(), name: segment.name });
    ctx.status = 204;
  });
  router.post('/api/v1/admin/segments/:id/count', manage, validate(RecountRequest), async (ctx) => {
    const id = idParam(ctx.params.id, 'segment');
    const preview = await deps.segments.recount(id, inputOf(ctx, RecountRequest).sampleSize);
    await audit(ctx, 'segment.count', { segmentId: id.toHexString(), count: preview.count });
    ctx.body = preview;
  });

  return router;
}
