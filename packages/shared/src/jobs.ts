// The background jobs as the owner sees them: what each does and when, its recent runs, and a "run now" button.
import { z } from 'zod';

export const JobRunStatus = z.enum(['running', 'done', 'failed', 'skipped']);
export type JobRunStatus = z.infer<typeof JobRunStatus>;
export const JobRunStatusLabels: Record<JobRunStatus, string> = {
  running: '运行中',
  done: '完成',
  failed: '失败',
  skipped: '已跳过',
};

export const JobRun = z.object({
  id: z.string(),
  job: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  status: JobRunStatus,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  ms: z.number().int().nullable(),
  /** What the job reported (counts of what it did), as it returned it. */
  result: z.unknown(),
  /** Items the job handled, when its result names a count (sent, expired, members...). */
  items: z.number().int().nullable(),
  error: z.string().nullable(),
  /** Who pressed "run now". */
  by: z.string().nullable(),
});
export type JobRun = z.infer<typeof JobRun>;

export const JobInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  /** cron expression, China time. */
  schedule: z.string(),
  scheduleText: z.string(),
  lastRun: JobRun.nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JobList = z.object({ jobs: z.array(JobInfo) });
export type JobList = z.infer<typeof JobList>;

export const JobRunQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional(),
});
export type JobRunQuery = z.infer<typeof JobRunQuery>;

export const JobRunPage = z.object({ runs: z.array(JobRun), next: z.string().nullable() });
export type JobRunPage = z.infer<typeof JobRunPage>;

export const JobPaths = {
  jobs: '/api/v1/admin/jobs',
  runs: (name: string) => `/api/v1/admin/jobs/${encodeURIComponent(name)}/runs`,
  runNow: (name: string) => `/api/v1/admin/jobs/${encodeURIComponent(name)}/run`,
  runsPattern: '/api/v1/admin/jobs/:name/runs',
  runNowPattern: '/api/v1/admin/jobs/:name/run',
} as const;
