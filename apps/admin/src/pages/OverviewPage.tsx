import type { AdminSummary, PointsLiability } from '@member-hub/shared';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { errorMessage, fetchAdminSummary, isRouteMissing, isSessionError } from '../api';
import { getLiability } from '../api/loyalty';
import { useAuth } from '../auth';
import { liabilityText } from '../format';
import type { Route } from '../route';
import { ErrorBanner, PageHeader, RefreshButton, StatFallback } from '../ui';
import { type LoadState, useLoad } from '../useLoad';
import { loadPaidCalls, PaidCallsCard } from './dashboard/PaidCallsCard';
import { loadWalletLiability, WalletLiabilityCard } from './wallet/WalletLiabilityCard';

type SummaryState =
  | { status: 'loading'; summary: AdminSummary | null }
  | { status: 'ready'; summary: AdminSummary; loadedAt: Date }
  | { status: 'failed'; summary: AdminSummary | null; message: string };

// The dashboard and its charts (ECharts) arrive in their own chunk: the member count shows before they load.
const DashboardPanel = lazy(() =>
  import('./dashboard/DashboardPanel').then((module) => ({ default: module.DashboardPanel })),
);

const timeFormat = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function OverviewPage({ route }: { route: Extract<Route, { page: 'overview' }> }) {
  const { withToken } = useAuth();
  const [state, setState] = useState<SummaryState>({ status: 'loading', summary: null });

  const load = useCallback(async () => {
    // Keep the last number on screen while refreshing, so the card does not flicker.
    setState((previous) => ({ status: 'loading', summary: previous.summary }));
    try {
      const summary = await withToken(fetchAdminSummary);
      setState({ status: 'ready', summary, loadedAt: new Date() });
    } catch (error) {
      if (isSessionError(error)) return; // the owner is already back on the login form
      const message = errorMessage(error, '加载失败，请稍后再试');
      setState((previous) => ({ status: 'failed', summary: previous.summary, message }));
    }
  }, [withToken]);

  useEffect(() => {
    void load();
  }, [load]);

  // null: the server does not have the liability route yet.
  const loadLiability = useCallback(
    (token: string): Promise<PointsLiability | null> =>
      getLiability(token).catch((error: unknown) => {
        if (isRouteMissing(error)) return null;
        throw error;
      }),
    [],
  );
  const liability = useLoad(loadLiability);
  const walletLiability = useLoad(loadWalletLiability);
  const paidCalls = useLoad(loadPaidCalls);

  const { summary } = state;
  return (
    <section className="page">
      <PageHeader title="概览" description="店铺会员数据一览">
        <RefreshButton
          loading={
            state.status === 'loading' ||
            liability.state.status === 'loading' ||
            walletLiability.state.status === 'loading' ||
            paidCalls.state.status === 'loading'
          }
          onRefresh={() => {
            void load();
            liability.reload();
            walletLiability.reload();
            paidCalls.reload();
          }}
        />
      </PageHeader>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}

      <div className="stat-grid">
        <article className="card stat-card" aria-busy={state.status === 'loading'}>
          <h3 className="stat-label">会员总数</h3>
          {summary ? (
            <p className="stat-value stat-member-count" data-value={summary.memberCount}>
              {summary.memberCount.toLocaleString('zh-CN')}
            </p>
          ) : (
            <p className="stat-value stat-placeholder">{state.status === 'failed' ? '—' : '加载中…'}</p>
          )}
          <p className="stat-foot muted">
            {state.status === 'ready' ? `更新于 ${timeFormat.format(state.loadedAt)}` : null}
          </p>
        </article>
        <LiabilityCard state={liability.state} />
        <WalletLiabilityCard state={walletLiability.state} />
        <PaidCallsCard state={paidCalls.state} />
      </div>

      <h3 className="section-title dashboard-title">数据看板</h3>
      <Suspense fallback={<p className="card muted">看板加载中…</p>}>
        <DashboardPanel route={route} />
      </Suspense>
    </section>
  );
}

const LIABILITY_HINT = '按积分抵扣比例折算：会员把这些积分全部用于抵扣时，店铺少收的金额';

function LiabilityCard({ state }: { state: LoadState<PointsLiability | null> }) {
  const liability = state.data;
  const text = liability ? liabilityText(liability) : null;
  return (
    <article className="card stat-card stat-liability" aria-busy={state.status === 'loading'} title={LIABILITY_HINT}>
      <h3 className="stat-label">积分负债</h3>
      {text ? (
        <>
          <p className="stat-value stat-liability-value" data-points={liability?.outstandingPoints}>
            {text.value}
          </p>
          <p className="stat-foot muted">
            {text.members} · {LIABILITY_HINT}
          </p>
        </>
      ) : (
        <StatFallback state={state} />
      )}
    </article>
  );
}
