// The owner's tags: list, create, edit, delete, manual members in bulk, and "evaluate the rule tags now".
// Owner only (tag.manage); every change is audited.
import Router from '@koa/router';
import {
  CreateTagRequest,
  TagEvaluateRequest,
  type TagEvaluateResult,
  type TagEvaluationStatus,
  TagListQuery,
  TagMembersRequest,
  type TagMembersResult,
  type TagPage,
  TagPaths,
  UpdateTagRequest,
} from '@member-hub/shared';
import type { Context } from 'koa';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import type { TagDoc } from './model';
import { presentTag, presentTagRun } from './presenter';

export function tagRoutes(deps: AppDeps): Router {
  const router = new Router();
  const manage = authorize('tag.manage');
  const audit = (ctx: Context, action: string, details: Record<string, unknown>) =>
    deps.audit.record({ actor: actorOf(ctx), action, ip: ctx.ip, details });
  const present = async (tags: TagDoc[]) => {
    const stores = await deps.tags.storeNames(tags);
    return tags.map((t) => presentTag(t, stores));
  };

  router.get(TagPaths.tags, manage, validate(TagListQuery, 'query'), async (ctx) => {
    const query = inputOf(ctx, TagListQuery);
    const { items, total } = await deps.tags.list(query);
    const body: TagPage = { items: await present(items), total, page: query.page, pageSize: query.pageSize };
    ctx.body = body;
  });
  router.post(TagPaths.tags, manage, validate(CreateTagRequest), async (ctx) => {
    const tag = await deps.tags.create(inputOf(ctx, CreateTagRequest));
    await audit(ctx, 'tag.create', { tagId: tag._id.toHexString(), name: tag.name, kind: tag.kind, rule: tag.rule });
    ctx.status = 201;
    ctx.body = (await present([tag]))[0];
  });

  // Before the `:id` routes, which would take "evaluation" for an id.
  router.get(TagPaths.evaluation, manage, async (ctx) => {
    const { running, latest } = await deps.tags.evaluationStatus();
    const body: TagEvaluationStatus = { running, latest: latest && presentTagRun(latest) };
    ctx.body = body;
  });
  router.post(TagPaths.evaluate, manage, validate(TagEvaluateRequest), async (ctx) => {
    const { tagIds } = inputOf(ctx, TagEvaluateRequest);
    const { done, ...result } = await deps.tags.evaluate(tagIds?.map((id) => new Types.ObjectId(id)));
    if (result.started) {
      await audit(ctx, 'tag.evaluate', { tagIds: tagIds ?? 'all' });
      // A million members take a while: the answer does not wait; GET evaluation shows the run.
      done.catch((err: unknown) => deps.logger.error({ err, job: 'tagsDaily' }, 'tag evaluation failed'));
    }
    const body: TagEvaluateResult = result;
    ctx.status = 202;
    ctx.body = body;
  });

  router.get('/api/v1/admin/tags/:id', manage, async (ctx) => {
    ctx.body = (await present([await deps.tags.get(idParam(ctx.params.id, 'tag'))]))[0];
  });
  router.patch('/api/v1/admin/tags/:id', manage, validate(UpdateTagRequest), async (ctx) => {
    const patch = inputOf(ctx, UpdateTagRequest);
    const tag = await deps.tags.update(idParam(ctx.params.id, 'tag'), patch);
    await audit(ctx, 'tag.update', { tagId: tag._id.toHexString(), name: tag.name, changed: Object.keys(patch) });
    ctx.body = (await present([tag]))[0];
  });
  router.delete('/api/v1/admin/tags/:id', manage, async (ctx) => {
    const tag = await deps.tags.remove(idParam(ctx.params.id, 'tag'));
    await audit(ctx, 'tag.delete', { tagId: tag._id.toHexString(), name: tag.name, kind: tag.kind });
    ctx.status = 204;
  });

  router.post('/api/v1/admin/tags/:id/members', manage, validate(TagMembersRequest), async (ctx) => {
    const tagId = idParam(ctx.params.id, 'tag');
    const { action, target } = inputOf(ctx, TagMembersRequest);
    const outcome = await deps.tags.changeMembers(tagId, action, target);
    await audit(ctx, `tag.members.${action}`, {
      tagId: tagId.toHexString(),
      target:
        target.kind === 'segment'
          ? { kind: 'segment', segmentId: target.segmentId }
          : { kind: 'members', count: target.memberNos.length },
      matched: outcome.matched,
      changed: outcome.changed,
    });
    const body: TagMembersResult = { tagId: tagId.toHexString(), action, ...outcome };
    ctx.body = body;
  });

  return router;
}
