// 后台任务, the pure part: how a run reads (how long it took, what started it, how many items, what it reported),
// and following a run started with 立即运行 until it is no longer running.
import { formatPoints, type JobInfo, type JobRun, type JobRunPage, JobRunStatusLabels } from '@member-hub/shared';

/** How often the runs of a running job are asked again. */
export const RUN_POLL_MS = 2_000;
/** How many of the newest runs a poll reads to find the one it follows. */
export const POLL_PAGE_SIZE = 5;

/** 850 -> `850 毫秒`, 2500 -> `2.5 秒`, 125000 -> `2 分 5 秒`, 3725000 -> `1 小时 2 分`; null -> `—`. */
export function durationText(ms: number | null): string {
  if (ms === null || ms < 0) return '—';
  if (ms < 1_000) return `${ms} 毫秒`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} 秒`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 3_600) {
    const rest = seconds % 60;
    return rest === 0 ? `${Math.floor(seconds / 60)} 分` : `${Math.floor(seconds / 60)} 分 ${rest} 秒`;
  }
  const minutes = Math.round(seconds / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} 小时` : `${Math.floor(minutes / 60)} 小时 ${rest} 分`;
}

/** `定时` or `手动 · boss`. */
export function triggerText(run: Pick<JobRun, 'trigger' | 'by'>): string {
  if (run.trigger === 'schedule') return '定时';
  return run.by ? `手动 · ${run.by}` : '手动';
}

export function runStatusText(run: Pick<JobRun, 'status'>): string {
  return JobRunStatusLabels[run.status] ?? run.status;
}

/** The items a run handled: `1,200 条`, or `—` when its result names no count. */
export function itemsText(items: number | null): string {
  return items === null ? '—' : `${formatPoints(items)} 条`;
}

/** What the job reported, as one line of JSON (for a tooltip); '' when it reported nothing. */
export function resultText(result: unknown): string {
  if (result === null || result === undefined) return '';
  try {
    const text = JSON.stringify(result);
    return text === '{}' ? '' : text;
  } catch {
    return String(result);
  }
}

export function isRunning(run: JobRun | null): boolean {
  return run?.status === 'running';
}

/** The runs being followed, one `name:runId` each: the jobs whose last run has not finished. */
export function runningKeys(jobs: readonly JobInfo[]): string[] {
  return jobs.flatMap((job) => (job.lastRun && isRunning(job.lastRun) ? [`${job.name}:${job.lastRun.id}`] : []));
}

/** `name:runId` back into its parts. */
export function splitKey(key: string): { name: string; runId: string } {
  const at = key.lastIndexOf(':');
  return { name: key.slice(0, at), runId: key.slice(at + 1) };
}

/**
 * A poll's answer for the run followed: that run once it has finished (or the newest run, when the one followed is
 * no longer among the newest); null while it is still running.
 */
export function settledRun(page: JobRunPage, runId: string): JobRun | null {
  const followed = page.runs.find((run) => run.id === runId);
  if (followed) return isRunning(followed) ? null : followed;
  const newest = page.runs[0];
  return newest && !isRunning(newest) ? newest : null;
}

/** The jobs with `run` as the last run of `name`. */
export function withLastRun(jobs: readonly JobInfo[], name: string, run: JobRun): JobInfo[] {
  return jobs.map((job) => (job.name === name ? { ...job, lastRun: run } : job));
}

/** The line shown once a run followed from 立即运行 is over. */
export function finishedText(title: string, run: JobRun): string {
  if (run.status === 'failed') return `「${title}」运行失败：${run.error ?? '未知错误'}`;
  if (run.status === 'skipped') return `「${title}」已跳过${run.error ? `：${run.error}` : ''}`;
  const items = run.items === null ? '' : `，处理 ${formatPoints(run.items)} 条`;
  return `「${title}」运行完成，用时 ${durationText(run.ms)}${items}`;
}
