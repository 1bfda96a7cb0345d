// 活动效果: reached, messages, coupons and redemption, revenue per member of the targeted against the control group in
// the 30 days after each member was reached, uplift, incremental revenue, cost and ROI (with how each is computed),
// and two charts (ECharts, in their own chunk: the rest of the page does not wait for it).
import type { Campaign } from '@member-hub/shared';
import { lazy, Suspense, useCallback } from 'react';
import { getCampaignResults } from '../../api/campaigns';
import { formatDateTime } from '../../format';
import { ErrorBanner, InfoTip, RefreshButton } from '../../ui';
import { useLoad } from '../../useLoad';
import { resultCards } from './campaignForms';

const ResultCharts = lazy(() => import('./ResultCharts').then((module) => ({ default: module.ResultCharts })));

export function ResultsPanel({ campaign }: { campaign: Campaign }) {
  const { id } = campaign;
  const load = useCallback((token: string) => getCampaignResults(token, id), [id]);
  const { state, reload } = useLoad(load);
  const results = state.data;
  const loading = state.status === 'loading';

  return (
    <section className="campaign-results" aria-busy={loading} aria-label="活动效果">
      <div className="section-header campaign-results-header">
        <h3 className="section-title">活动效果</h3>
        <span className="muted">
          {results ? `统计于 ${formatDateTime(results.asOf)} · 每位会员统计被触达后 30 天内的消费` : ''}
        </span>
        <RefreshButton loading={loading} onRefresh={reload} />
      </div>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      {results ? (
        <>
          <div className="stat-grid section campaign-result-cards">
            {resultCards(results, campaign.action.kind).map((card) => (
              <article key={card.key} className={`card stat-card campaign-result campaign-result-${card.key}`}>
                <div className="stat-head">
                  <h4 className="stat-label">{card.label}</h4>
                  {card.explain && <InfoTip label={card.label} text={card.explain} />}
                </div>
                <p className="stat-value campaign-result-value">{card.value}</p>
                <p className="stat-foot muted">{card.foot}</p>
              </article>
            ))}
          </div>
          <Suspense fallback={<p className="card muted">图表加载中…</p>}>
            <ResultCharts results={results} startedAt={campaign.startedAt} />
          </Suspense>
        </>
      ) : (
        !state.data && state.status === 'loading' && <p className="card muted">加载中…</p>
      )}
    </section>
  );
}
