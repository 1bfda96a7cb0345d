// The owner's view of the background jobs: schedule, recent runs, and "run now" (audited).
import Router from '@koa/router';
import { JobPaths, JobRunQuery } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { JobRunner } from '../../jobs/runs';
import { JOBS } from '../../jobs/scheduler';
import { actorOf, authorize, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';

export function jobRoutes(deps: AppDeps): Router {
  const router = new Router();
  const runner = new JobRunner(deps, JOBS);

  router.get(JobPaths.jobs, authorize('job.read'), async (ctx) => {
    ctx.body = { jobs: await runner.list() };
  });

  router.get(JobPaths.runsPattern, authorize('job.read'), validate(JobRunQuery, 'query'), async (ctx) => {
    ctx.body = await runner.runs(String(ctx.params.name), inputOf(ctx, JobRunQuery));
  });

  router.post(JobPaths.runNowPattern, authorize('job.run'), async (ctx) => {
    const p = principalOf(ctx);
    const name = String(ctx.params.name);
    const { run, done } = await runner.runNow(name, p.kind === 'owner' ? p.name : p.kind);
    // The job's own errors are recorded on its run; this only keeps an unexpected rejection from going unheard.
    done.catch((err) => deps.logger.error({ job: name, err }, 'manual job run failed'));
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'job.run',
      ip: ctx.ip,
      details: { job: name, runId: run.id },
    });
    ctx.status = 202;
    ctx.body = run;
  });

  return router;
}
