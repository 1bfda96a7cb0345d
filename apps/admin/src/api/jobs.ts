// The background jobs for the owner: what each does and when with its last run, a job's runs newest first (paged by
// cursor), and 立即运行, which answers 202 with the run just started.
import { type JobInfo, JobList, JobPaths, JobRun, JobRunPage } from '@member-hub/shared';
import { apiRequest } from '../api';
import { buildQuery } from './query';

export const JOB_RUN_PAGE_SIZE = 20;

const List = { parse: (input: unknown): JobInfo[] => JobList.parse(input).jobs };

export function listJobs(token: string): Promise<JobInfo[]> {
  return apiRequest(JobPaths.jobs, { token, schema: List });
}

export interface JobRunParams {
  /** The cursor of the page: runs older than this one; null for the newest. */
  before?: string | null;
  limit?: number;
}

export function jobRunsPath(name: string, { before = null, limit = JOB_RUN_PAGE_SIZE }: JobRunParams = {}): string {
  return `${JobPaths.runs(name)}${buildQuery({ limit, before })}`;
}

export function listJobRuns(token: string, name: string, params: JobRunParams = {}): Promise<JobRunPage> {
  return apiRequest(jobRunsPath(name, params), { token, schema: JobRunPage });
}

/** Starts the job in the background: the answer is its run, still `running`; poll the runs for its end. */
export function runJobNow(token: string, name: string): Promise<JobRun> {
  return apiRequest(JobPaths.runNow(name), { method: 'POST', token, schema: JobRun });
}
