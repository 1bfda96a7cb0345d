// 会员分析: the RFM classes of the last run (table and charts), the scored members, the churn warnings sorted by
// value, and the settings; 立即重算 starts a run in the background and the page follows it until it is done.
import type { RfmSummary } from '@member-hub/shared';
import { useEffect, useState } from 'react';
import { recomputeRfm } from '../../api/rfm';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { type RfmRoute, type RfmTab, rfmRoute, routeHref } from '../../route';
import { ErrorBanner, InlineError, PageHeader, RefreshButton } from '../../ui';
import { useAction } from '../../useAction';
import { type Loaded, useLoad } from '../../useLoad';
import { ChurnTab } from './ChurnTab';
import { loadSummary, MISSING_TEXT, RUNNING_POLL_MS } from './loaders';
import { MembersTab } from './MembersTab';
import { runText } from './rfmForms';
import { SettingsTab } from './SettingsTab';
import { SummaryTab } from './SummaryTab';

const TABS: readonly { tab: RfmTab; label: string }[] = [
  { tab: 'summary', label: '分类概况' },
  { tab: 'members', label: '会员明细' },
  { tab: 'churn', label: '流失预警' },
  { tab: 'settings', label: '设置' },
];

export function RfmPage({ route }: { route: RfmRoute }) {
  const summary = useLoad(loadSummary);
  const data = summary.state.data;
  const running = data?.running ?? false;

  // While a run goes on, ask again every two seconds; its end brings the new classes (and a new runId).
  const { reload } = summary;
  useEffect(() => {
    if (!running || summary.state.status === 'loading') return;
    const timer = window.setTimeout(reload, RUNNING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [running, summary.state.status, reload]);

  const missing = summary.state.status === 'ready' && data === null;
  return (
    <section className="page rfm-page">
      <PageHeader title="会员分析" description="RFM 会员分类（最近消费、消费频次、消费金额）与流失预警，每天自动计算">
        {!missing && <RecomputeButton summary={summary} />}
      </PageHeader>
      {missing ? (
        <p className="card muted coming-soon">{MISSING_TEXT}</p>
      ) : (
        <>
          <nav className="tabs" aria-label="会员分析">
            {TABS.map(({ tab, label }) => (
              <a
                key={tab}
                className={tab === route.tab ? `tab rfm-tab-${tab} is-active` : `tab rfm-tab-${tab}`}
                href={routeHref(rfmRoute(tab))}
                aria-current={tab === route.tab ? 'page' : undefined}
              >
                {label}
              </a>
            ))}
          </nav>
          {summary.state.status === 'failed' && <ErrorBanner message={summary.state.message} />}
          <RunLine summary={data} />
          <TabBody route={route} summary={summary} />
        </>
      )}
    </section>
  );
}

function TabBody({ route, summary }: { route: RfmRoute; summary: Loaded<RfmSummary | null> }) {
  const data = summary.state.data;
  if (route.tab === 'settings') return <SettingsTab />;
  // The lists follow the run on screen: they wait for the summary, and load again when a new run lands.
  if (!data) return summary.state.status === 'loading' ? <p className="card muted">加载中…</p> : null;
  const runId = data.run?.runId ?? null;
  if (route.tab === 'members') return <MembersTab key={runId ?? ''} route={route} />;
  if (route.tab === 'churn') return <ChurnTab key={runId ?? ''} route={route} />;
  return <SummaryTab summary={data} loading={summary.state.status === 'loading'} />;
}

function RunLine({ summary }: { summary: RfmSummary | null }) {
  if (!summary) return null;
  const { run, running } = summary;
  return (
    <p className="muted rfm-run" data-run-id={run?.runId ?? ''} data-running={running ? 'true' : 'false'}>
      {run
        ? `最近计算：${formatDateTime(run.finishedAt)} · ${runText(run)}`
        : '尚未计算过：点击「立即重算」生成第一份分析。'}
      {running && <span className="status status-active rfm-running">计算中…</span>}
    </p>
  );
}

function RecomputeButton({ summary }: { summary: Loaded<RfmSummary | null> }) {
  const { withToken } = useAuth();
  const action = useAction('重算失败，请稍后再试');
  // The run on screen when 立即重算 was pressed: a different one, with nothing running, means it is done.
  const [pending, setPending] = useState<{ before: string | null } | null>(null);
  const data = summary.state.data;
  const running = data?.running ?? false;
  const runId = data?.run?.runId ?? null;
  const finished = pending !== null && !running && summary.state.status === 'ready' && runId !== pending.before;

  async function recompute() {
    const before = runId;
    setPending(null);
    const started = await action.run(async () => {
      await withToken(recomputeRfm);
    });
    if (started) {
      setPending({ before });
      summary.reload();
    }
  }

  return (
    <div className="rfm-recompute-box">
      <RefreshButton loading={summary.state.status === 'loading'} onRefresh={summary.reload} />
      <button
        className="button button-primary rfm-recompute"
        type="button"
        disabled={action.busy || running}
        onClick={() => void recompute()}
      >
        {running ? '计算中…' : action.busy ? '提交中…' : '立即重算'}
      </button>
      <span className="rfm-recompute-status muted" role="status">
        {pending === null ? '' : finished ? '重新计算完成，已更新' : '正在重新计算，完成后自动刷新'}
      </span>
      <InlineError message={action.error} />
    </div>
  );
}
