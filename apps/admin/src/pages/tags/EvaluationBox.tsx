// 立即重新计算: every rule tag evaluated now, in the background (the daily job does the same every night); the line
// under it says how the newest run went, and the page follows a run until it is done, then reloads the list.
import type { TagEvaluationStatus } from '@member-hub/shared';
import { useEffect, useState } from 'react';
import { evaluateTags, getTagEvaluation } from '../../api/tags';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { InlineError } from '../../ui';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import { RUN_TRIGGER_LABELS, tagRunText } from './tagForms';

/** How often the page asks whether a run has finished while one is going on. */
const RUNNING_POLL_MS = 1_500;

export function EvaluationBox({ onFinished }: { onFinished(): void }) {
  const { withToken } = useAuth();
  const status = useLoad(getTagEvaluation);
  const { reload } = status;
  const data = status.state.data;
  const running = data?.running ?? false;
  const latestId = data?.latest?.id ?? null;
  const action = useAction('重新计算失败，请稍后再试');
  // The run on screen when 立即重新计算 was pressed: another one, with nothing running, means it is done.
  const [pending, setPending] = useState<{ before: string | null } | null>(null);
  const finished = pending !== null && !running && status.state.status === 'ready' && latestId !== pending.before;

  useEffect(() => {
    if (!running || status.state.status === 'loading') return;
    const timer = window.setTimeout(reload, RUNNING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [running, status.state.status, reload]);

  useEffect(() => {
    if (finished) onFinished();
  }, [finished, onFinished]);

  async function evaluate() {
    const before = latestId;
    setPending(null);
    const started = await action.run(async () => {
      await withToken(evaluateTags);
    });
    if (started) {
      setPending({ before });
      reload();
    }
  }

  return (
    <div className="card section tag-evaluation" data-running={running ? 'true' : 'false'} data-run-id={latestId ?? ''}>
      <div className="section-header">
        <h3 className="section-title">规则标签计算</h3>
        <button
          className="button button-primary tag-evaluate"
          type="button"
          disabled={action.busy || running}
          onClick={() => void evaluate()}
        >
          {running ? '计算中…' : action.busy ? '提交中…' : '立即重新计算'}
        </button>
      </div>
      <RunLine status={data} />
      <p className="muted tag-evaluate-status" role="status">
        {pending === null ? '' : finished ? '重新计算完成，会员数已更新' : '正在重新计算，完成后自动刷新'}
      </p>
      {status.state.status === 'failed' && <InlineError message={status.state.message} />}
      <InlineError message={action.error} />
    </div>
  );
}

function RunLine({ status }: { status: TagEvaluationStatus | null }) {
  if (!status) return <p className="muted">加载中…</p>;
  const run = status.latest;
  if (!run) return <p className="muted">规则标签每天自动计算一次；尚未计算过，可点击「立即重新计算」。</p>;
  const when = formatDateTime(run.finishedAt ?? run.startedAt);
  return (
    <>
      <p className="muted tag-run" data-status={run.status}>
        {run.status === 'running'
          ? `正在计算（${formatDateTime(run.startedAt)} 开始，${RUN_TRIGGER_LABELS[run.trigger]}）`
          : `最近计算：${when}（${RUN_TRIGGER_LABELS[run.trigger]}）· ${run.status === 'failed' ? '失败' : tagRunText(run)}`}
      </p>
      {run.error && <InlineError message={run.error} />}
    </>
  );
}
