// The cron schedule, in one place. Each job is a plain async function holding a MongoDB lease, so any number of
// server copies may run this scheduler and a job still runs once. (Run history and "run now" come with the
// automation issue.)
import cron, { type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../deps';
import { expireCoupons, giftCoupons, releaseReferralRewards, resumeCouponIssues } from './couponJobs';
import { expireDuePoints } from './expireDuePoints';
import { reconcileOpenPayments, reconcileYesterday } from './reconcilePayments';
import { reviewTiers } from './reviewTiers';
import { rfmDaily } from './rfmDaily';
import { rollupDaily } from './rollupDaily';

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
  // Coupons past their validity are marked just after midnight (members' own lists never wait for it).
  { name: 'expireCoupons', schedule: '5 0 * * *', run: (deps) => expireCoupons(deps) },
  // Birthday (7 days ahead) and monthly tier gifts, in the morning.
  { name: 'giftCoupons', schedule: '0 9 * * *', run: (deps) => giftCoupons(deps) },
  { name: 'releaseReferralRewards', schedule: '*/10 * * * *', run: (deps) => releaseReferralRewards(deps) },
  // Pushes interrupted by a restart carry on.
  { name: 'resumeCouponIssues', schedule: '* * * * *', run: (deps) => resumeCouponIssues(deps) },
  // Yesterday's dashboard rollups, after the midnight expiries (points 00:15, coupons 00:05) have landed.
  { name: 'rollupDaily', schedule: '30 0 * * *', run: (deps) => rollupDaily(deps) },
  // RFM classes and churn warnings over the window, before the owner's morning (and after midnight's orders).
  { name: 'rfmDaily', schedule: '30 2 * * *', run: (deps) => rfmDaily(deps) },
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
