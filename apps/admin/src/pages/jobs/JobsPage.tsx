// 后台任务: every background job with what it does, when it runs (in words) and its last run (status, when, how long,
// items, error); 立即运行 starts one after a confirmation and the page follows the run until it is over; 运行记录
// opens a job's runs, newest first, paged by the server's cursor (`#/jobs?job=<name>`).
import type { JobInfo, JobRun } from '@member-hub/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { listJobRuns, listJobs, runJobNow } from '../../api/jobs';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import type { OpsRoute } from '../../opsRoutes';
import { type CursorStack, currentCursor, FIRST_PAGE } from '../../pagination';
import { routeHref } from '../../route';
import { ConfirmDialog, ErrorBanner, PageHeader, Pager, RefreshButton, SuccessBanner, TableRows } from '../../ui';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import {
  durationText,
  finishedText,
  isRunning,
  itemsText,
  POLL_PAGE_SIZE,
  RUN_POLL_MS,
  resultText,
  runningKeys,
  runStatusText,
  settledRun,
  splitKey,
  triggerText,
  withLastRun,
} from './jobForms';

type JobsRoute = Extract<OpsRoute, { page: 'jobs' }>;

const JOB_COLUMNS = 4;
const RUN_COLUMNS = 6;

export function JobsPage({ route }: { route: JobsRoute }) {
  const jobs = useLoad(listJobs);
  const { update } = jobs;
  const list = jobs.state.data;
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<JobInfo | null>(null);
  /** The runs started here (`name:runId`) with their job's title: their end is announced. */
  const started = useRef(new Map<string, string>());
  /** Per job, bumped when one of its runs starts or ends: its open history reads its first page again. */
  const [versions, setVersions] = useState<Readonly<Record<string, number>>>({});
  const bump = useCallback(
    (name: string) => setVersions((current) => ({ ...current, [name]: (current[name] ?? 0) + 1 })),
    [],
  );

  const onSettled = useCallback(
    (name: string, runId: string, run: JobRun) => {
      update((current) => withLastRun(current, name, run));
      bump(name);
      const key = `${name}:${runId}`;
      const title = started.current.get(key);
      if (title !== undefined) {
        started.current.delete(key);
        setNotice(finishedText(title, run));
      }
    },
    [update, bump],
  );
  useRunPolling(runningKeys(list ?? []).join(','), onSettled);

  function onStarted(job: JobInfo, run: JobRun) {
    started.current.set(`${job.name}:${run.id}`, job.title);
    update((current) => withLastRun(current, job.name, run));
    bump(job.name);
    setNotice(`已开始运行「${job.title}」，完成后自动更新`);
    setConfirming(null);
  }

  const open = route.job ? (list?.find((job) => job.name === route.job) ?? null) : null;
  // 运行记录 opens below the list: bring it into view (once per job, not on every reload of it).
  const historyBox = useRef<HTMLDivElement>(null);
  const openName = open?.name ?? null;
  useEffect(() => {
    if (openName) historyBox.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [openName]);

  return (
    <section className="page jobs-page">
      <PageHeader title="后台任务" description="定时执行的任务、最近一次运行情况和运行记录；需要时可以立即运行">
        <RefreshButton loading={jobs.state.status === 'loading'} onRefresh={jobs.reload} />
      </PageHeader>
      <SuccessBanner message={notice} />
      {jobs.state.status === 'failed' && <ErrorBanner message={jobs.state.message} />}

      <div className="card table-card section" aria-busy={jobs.state.status === 'loading'}>
        <table className="table job-table">
          <thead>
            <tr>
              <th>任务</th>
              <th>执行时间</th>
              <th>上次运行</th>
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody>
            <TableRows rows={list} loading={jobs.state.status === 'loading'} colSpan={JOB_COLUMNS} empty="没有后台任务">
              {(job) => (
                <JobRow key={job.name} job={job} open={job.name === route.job} onRunNow={() => setConfirming(job)} />
              )}
            </TableRows>
          </tbody>
        </table>
      </div>

      {route.job && list && !open && <ErrorBanner message={`没有名为「${route.job}」的后台任务`} />}
      {open && (
        <div ref={historyBox}>
          <RunHistory key={`${open.name}:${versions[open.name] ?? 0}`} job={open} />
        </div>
      )}

      {confirming && <RunNowDialog job={confirming} onStarted={onStarted} onClose={() => setConfirming(null)} />}
    </section>
  );
}

function JobRow({ job, open, onRunNow }: { job: JobInfo; open: boolean; onRunNow(): void }) {
  const last = job.lastRun;
  const running = isRunning(last);
  return (
    <tr className={open ? 'job-row is-selected' : 'job-row'} data-job={job.name} data-status={last?.status ?? 'never'}>
      <td>
        <strong>{job.title}</strong>
        <div className="muted job-description">{job.description}</div>
      </td>
      <td>
        {job.scheduleText}
        <div className="muted mono nowrap job-cron" title="cron 表达式（北京时间）">
          {job.schedule}
        </div>
      </td>
      <td className="job-last-run">
        {last ? (
          <>
            <RunStatus run={last} />
            <div className="muted nowrap">
              {formatDateTime(last.startedAt, true)}
              {running ? '' : ` · 用时 ${durationText(last.ms)}`}
              {last.items === null ? '' : ` · ${itemsText(last.items)}`}
            </div>
            {last.error && <p className="inline-error job-error">{last.error}</p>}
          </>
        ) : (
          <span className="muted">尚未运行</span>
        )}
      </td>
      <td className="actions-col">
        <div className="row-actions">
          <button className="button button-small job-run-now" type="button" disabled={running} onClick={onRunNow}>
            {running ? '运行中…' : '立即运行'}
          </button>
          <a
            className="button button-text button-small job-history-open"
            href={routeHref({ page: 'jobs', job: open ? null : job.name })}
            aria-current={open ? 'true' : undefined}
          >
            {open ? '收起记录' : '运行记录'}
          </a>
        </div>
      </td>
    </tr>
  );
}

function RunStatus({ run }: { run: JobRun }) {
  return <span className={`status job-status job-status-${run.status}`}>{runStatusText(run)}</span>;
}

function RunNowDialog({
  job,
  onStarted,
  onClose,
}: {
  job: JobInfo;
  onStarted(job: JobInfo, run: JobRun): void;
  onClose(): void;
}) {
  const { withToken } = useAuth();
  const { busy, error, run } = useAction('启动失败，请稍后再试');
  async function confirm() {
    await run(async () => {
      const started = await withToken((token) => runJobNow(token, job.name));
      onStarted(job, started);
    });
  }
  return (
    <ConfirmDialog
      title="立即运行"
      confirmLabel="立即运行"
      confirmClassName="job-run-confirm"
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>确定立即运行「{job.title}」吗？</p>
      <p className="muted">{job.description}</p>
      <p className="muted">任务在后台执行，效果与定时执行相同；页面会在运行结束后自动更新。</p>
    </ConfirmDialog>
  );
}

/**
 * Asks for the newest runs of each job followed (`keys`: `name:runId`, comma separated) every RUN_POLL_MS, one round
 * after the other has answered, until none is running; a new set of keys starts over.
 */
function useRunPolling(keys: string, onSettled: (name: string, runId: string, run: JobRun) => void) {
  const { withToken } = useAuth();
  useEffect(() => {
    if (keys === '') return;
    let stopped = false;
    let timer = 0;
    const round = async () => {
      for (const key of keys.split(',')) {
        const { name, runId } = splitKey(key);
        try {
          const page = await withToken((token) => listJobRuns(token, name, { limit: POLL_PAGE_SIZE }));
          if (stopped) return;
          const settled = settledRun(page, runId);
          if (settled) onSettled(name, runId, settled);
        } catch {
          // A missed answer is asked again next round; a session error has logged the owner out already.
        }
      }
      if (!stopped) timer = window.setTimeout(round, RUN_POLL_MS);
    };
    timer = window.setTimeout(round, RUN_POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [keys, withToken, onSettled]);
}

/** One job's runs, newest first; 上一页 / 下一页 over the server's cursors. Keyed by job and version: it starts fresh. */
function RunHistory({ job }: { job: JobInfo }) {
  const [pages, setPages] = useState<CursorStack>(FIRST_PAGE);
  const before = currentCursor(pages);
  const { name } = job;
  const load = useCallback((token: string) => listJobRuns(token, name, { before }), [name, before]);
  const { state, reload } = useLoad(load);
  const loading = state.status === 'loading';

  return (
    <section className="card table-card job-history" aria-busy={loading} aria-label={`${job.title}的运行记录`}>
      <div className="section-header table-card-header">
        <h3 className="section-title">运行记录：{job.title}</h3>
        <RefreshButton loading={loading} onRefresh={reload} />
      </div>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <table className="table job-run-table">
        <thead>
          <tr>
            <th>开始时间</th>
            <th>结束时间</th>
            <th className="num">用时</th>
            <th>触发</th>
            <th>状态</th>
            <th className="num">处理条数</th>
          </tr>
        </thead>
        <tbody>
          <TableRows rows={state.data?.runs ?? null} loading={loading} colSpan={RUN_COLUMNS} empty="还没有运行记录">
            {(run) => (
              <tr key={run.id} className="job-run-row" data-id={run.id} data-status={run.status}>
                <td className="nowrap">{formatDateTime(run.startedAt, true)}</td>
                <td className="nowrap">{run.finishedAt ? formatDateTime(run.finishedAt, true) : '—'}</td>
                <td className="num nowrap">{durationText(run.ms)}</td>
                <td className="nowrap">{triggerText(run)}</td>
                <td>
                  <RunStatus run={run} />
                  {run.error && <p className="inline-error job-error">{run.error}</p>}
                </td>
                <td className="num" title={resultText(run.result) || undefined}>
                  {itemsText(run.items)}
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
      {state.data && <Pager pages={pages} next={state.data.next} busy={loading} onChange={setPages} />}
    </section>
  );
}
