// The cron schedule, in one place. Each job is a plain async function holding a MongoDB lease, so any number of
// server copies may run this scheduler and a job still runs once. (Run history and "run now" come with the
// automation issue.)
import cron, { type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../deps';
import { expireDuePoints } from './expireDuePoints';
import { reconcileOpenPayments, reconcileYesterday } from './reconcilePayments';
import { reviewTiers } from './reviewTiers';

interface JobDefinition {
  name: string;
  /** cron expression, China time */
  schedule: string;
  run: (deps: AppDeps) => Promise<unknown>;
}

export const JOBS: JobDefinition[] = [
  // Points due yesterday expire just after midnight.
  { name: 'expireDuePoints', schedule: '15 0 * * *', run: (deps) => expireDuePoints(deps) },
  { name: 'reviewTiers', schedule: '0 3 * * *', run: (deps) => reviewTiers(deps) },
  // Unpaid WeChat Pay orders are asked about (or closed) every minute; yesterday's books after the bill is out.
  { name: 'reconcileOpenPayments', schedule: '* * * * *', run: (deps) => reconcileOpenPayments(deps) },
  { name: 'reconcileYesterday', schedule: '30 10 * * *', run: (deps) => reconcileYesterday(deps) },
];

export function startScheduler(deps: AppDeps): { stop(): void } {
  const tasks: ScheduledTask[] = JOBS.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        const started = Date.now();
        try {
          const result = await job.run(deps);
          deps.logger.info({ job: job.name, ms: Date.now() - started, result }, 'job finished');
        } catch (err) {
          deps.logger.error({ job: job.name, err }, 'job failed');
        }
      },
      { timezone: 'Asia/Shanghai', name: job.name },
    ),
  );
  return {
    stop: () => {
      for (const task of tasks) task.stop();
    },
  };
}
