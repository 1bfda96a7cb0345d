// 概览's dashboard (loaded lazily with ECharts): the range and store in the URL, a card per figure with how it is
// computed and its CSV, and the charts.
import type { Dashboard, Store } from '@member-hub/shared';
import { type ChangeEvent, type ReactNode, useCallback, useMemo, useState } from 'react';
import { isRouteMissing } from '../../api';
import { type DashboardParams, exportDashboardFigure, getDashboard } from '../../api/dashboard';
import { listStores } from '../../api/stores';
import { useAuth } from '../../auth';
import { EChart } from '../../charts/EChart';
import { saveBlob } from '../../download';
import { navigate, type Route } from '../../route';
import { ErrorBanner, InfoTip, InlineError, RefreshButton } from '../../ui';
import { useAction } from '../../useAction';
import { type LoadState, useLoad } from '../../useLoad';
import { type ChartSpec, chartIsEmpty, chartSummary, DASHBOARD_CHARTS, dashboardChartOption } from './charts';
import { csvFileName } from './csvName';
import { explainText, FIGURE_KEYS, type FigureKey, type Figures, figureInfo, figureTitle, statText } from './figures';
import { chinaToday, DEFAULT_RANGE_DAYS, lastDays, presetOf, RANGE_PRESETS, rangeProblem, resolveRange } from './range';

type OverviewRoute = Extract<Route, { page: 'overview' }>;

/** Stores for the filter; an empty list when they cannot be read (the filter then offers 全部门店 only). */
const loadStores = (token: string): Promise<Store[]> => listStores(token).catch(() => []);

export function DashboardPanel({ route }: { route: OverviewRoute }) {
  const { withToken } = useAuth();
  // Today is fixed for the life of the page; 刷新 or a new range re-reads the figures, not the calendar.
  const [today] = useState(() => chinaToday());
  const range = resolveRange(route.from, route.to, today);
  const { from, to } = range;
  const storeId = route.storeId;
  const params: DashboardParams = useMemo(() => ({ from, to, storeId }), [from, to, storeId]);

  // null: the server does not have the dashboard route yet.
  const load = useCallback(
    (token: string): Promise<Dashboard | null> =>
      getDashboard(token, params).catch((error: unknown) => {
        if (isRouteMissing(error)) return null;
        throw error;
      }),
    [params],
  );
  const dashboard = useLoad(load);
  const stores = useLoad(loadStores);
  const storeList = stores.state.data ?? [];
  const storeName = storeList.find((store) => store.id === storeId)?.name ?? null;

  const exporting = useAction('导出失败，请稍后再试');
  const [exportingFigure, setExportingFigure] = useState<FigureKey | null>(null);
  async function exportFigure(figure: FigureKey) {
    setExportingFigure(figure);
    await exporting.run(async () => {
      const file = await withToken((token) => exportDashboardFigure(token, figure, params));
      saveBlob(file.blob, csvFileName(figure, params, storeName));
    });
    setExportingFigure(null);
  }
  const exportButton = (figure: FigureKey, className: string, label = '导出 CSV') => (
    <button
      className={`button button-text button-small ${className}`}
      type="button"
      data-figure={figure}
      disabled={exporting.busy}
      aria-label={`导出「${figureInfo(figure).title}」CSV`}
      onClick={() => void exportFigure(figure)}
    >
      {exportingFigure === figure ? '导出中…' : label}
    </button>
  );

  function show(next: Partial<Pick<OverviewRoute, 'from' | 'to' | 'storeId'>>) {
    navigate({ page: 'overview', from: route.from, to: route.to, storeId: route.storeId, ...next });
  }

  const data = dashboard.state.data;
  if (dashboard.state.status === 'ready' && data === null) {
    return <p className="card muted coming-soon">数据看板即将上线：服务器暂未开放看板接口。</p>;
  }
  const figures = data?.figures ?? null;
  const storeSelected = storeId !== null;

  return (
    <div className="dashboard" aria-busy={dashboard.state.status === 'loading'}>
      <div className="card dashboard-filters">
        <RangeControls
          key={`${from}|${to}`}
          from={from}
          to={to}
          today={today}
          onRange={(next) => {
            const isDefault = next.to === today && presetOf(next, today) === DEFAULT_RANGE_DAYS;
            show(isDefault ? { from: null, to: null } : next);
          }}
        />
        <label className="inline-field">
          <span>门店</span>
          <select
            className="input dashboard-store"
            value={storeId ?? ''}
            onChange={(event) => show({ storeId: event.target.value === '' ? null : event.target.value })}
          >
            <option value="">全部门店</option>
            {storeList
              .filter((store) => store.active || store.id === storeId)
              .map((store) => (
                <option key={store.id} value={store.id}>
                  {store.active ? store.name : `${store.name}（已停用）`}
                </option>
              ))}
            {storeId !== null && !storeList.some((store) => store.id === storeId) && (
              <option value={storeId}>{stores.state.status === 'loading' ? '加载中…' : '（门店不存在）'}</option>
            )}
          </select>
        </label>
        <RefreshButton
          loading={dashboard.state.status === 'loading'}
          onRefresh={() => {
            dashboard.reload();
            stores.reload();
          }}
        />
      </div>

      {range.problem && (
        <p className="banner banner-warning dashboard-range-problem" role="status">
          链接中的日期范围无效（{range.problem}），已显示近 {DEFAULT_RANGE_DAYS} 天。
        </p>
      )}
      {dashboard.state.status === 'failed' && <ErrorBanner message={dashboard.state.message} />}
      <ErrorBanner message={exporting.error} />
      {data && data.missingDays.length > 0 && (
        <p className="banner banner-warning dashboard-missing-days" role="status">
          {missingDaysText(data.missingDays)}
        </p>
      )}
      {storeSelected && (
        <p className="muted dashboard-store-note">
          已筛选门店{storeName ? `「${storeName}」` : ''}：标有「全品牌」的指标不按门店区分。
        </p>
      )}

      <div className="stat-grid dashboard-stats section">
        {FIGURE_KEYS.map((key) => (
          <StatCard
            key={key}
            figure={key}
            figures={figures}
            state={dashboard.state}
            storeSelected={storeSelected}
            exportButton={exportButton(key, 'dashboard-export')}
          />
        ))}
      </div>

      <div className="dashboard-charts">
        {DASHBOARD_CHARTS.map((spec) => (
          <ChartCard
            key={spec.key}
            spec={spec}
            figures={figures}
            state={dashboard.state}
            storeSelected={storeSelected}
            exports={spec.figures.map((figure) =>
              exportButton(
                figure,
                'dashboard-chart-export',
                spec.figures.length > 1 ? `导出${figureInfo(figure).title}` : '导出 CSV',
              ),
            )}
          />
        ))}
      </div>
    </div>
  );
}

/** "2 天尚无汇总数据，按 0 显示：2030-01-02、2030-01-03。" */
function missingDaysText(days: readonly string[]): string {
  const shown = days.slice(0, 5).join('、');
  const more = days.length > 5 ? ' 等' : '';
  return `${days.length} 天尚无汇总数据，按 0 显示：${shown}${more}。`;
}

function RangeControls({
  from,
  to,
  today,
  onRange,
}: {
  from: string;
  to: string;
  today: string;
  onRange(range: { from: string; to: string }): void;
}) {
  const [typedFrom, setTypedFrom] = useState(from);
  const [typedTo, setTypedTo] = useState(to);
  const [problem, setProblem] = useState<string | null>(null);
  const preset = presetOf({ from, to }, today);

  function typed(which: 'from' | 'to') {
    return (event: ChangeEvent<HTMLInputElement>) => {
      const nextFrom = which === 'from' ? event.target.value : typedFrom;
      const nextTo = which === 'to' ? event.target.value : typedTo;
      setTypedFrom(nextFrom);
      setTypedTo(nextTo);
      const found = rangeProblem(nextFrom, nextTo);
      setProblem(found);
      if (found === null && (nextFrom !== from || nextTo !== to)) onRange({ from: nextFrom, to: nextTo });
    };
  }

  return (
    <div className="dashboard-range">
      <fieldset className="dashboard-range-fields">
        <legend className="visually-hidden">时间范围</legend>
        <label className="inline-field">
          <span>开始</span>
          <input
            className={problem ? 'input dashboard-range-from is-invalid' : 'input dashboard-range-from'}
            type="date"
            value={typedFrom}
            max={typedTo || undefined}
            aria-invalid={problem ? true : undefined}
            onChange={typed('from')}
          />
        </label>
        <label className="inline-field">
          <span>结束</span>
          <input
            className={problem ? 'input dashboard-range-to is-invalid' : 'input dashboard-range-to'}
            type="date"
            value={typedTo}
            min={typedFrom || undefined}
            aria-invalid={problem ? true : undefined}
            onChange={typed('to')}
          />
        </label>
      </fieldset>
      <fieldset className="segmented">
        <legend className="visually-hidden">快捷范围</legend>
        {RANGE_PRESETS.map(({ days, label }) => (
          <button
            key={days}
            className={
              preset === days
                ? 'button button-small dashboard-preset is-active'
                : 'button button-small dashboard-preset'
            }
            type="button"
            data-days={days}
            aria-pressed={preset === days}
            onClick={() => onRange(lastDays(days, today))}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <InlineError message={problem} />
    </div>
  );
}

function StatCard({
  figure,
  figures,
  state,
  storeSelected,
  exportButton,
}: {
  figure: FigureKey;
  figures: Figures | null;
  state: LoadState<Dashboard | null>;
  storeSelected: boolean;
  exportButton: ReactNode;
}) {
  const title = figureTitle(figure, figures);
  const explain = explainText(figure, figures, storeSelected);
  const text = figures ? statText(figure, figures) : null;
  const brandWide = storeSelected && !figureInfo(figure).storeScoped;
  return (
    <article
      className="card stat-card dashboard-stat"
      data-figure={figure}
      title={explain}
      aria-busy={state.status === 'loading'}
    >
      <div className="stat-head">
        <h3 className="stat-label">{title}</h3>
        <InfoTip label={title} text={explain} />
        {brandWide && <span className="tag-brand-wide">全品牌</span>}
      </div>
      {text ? (
        <>
          <p className="stat-value dashboard-stat-value" data-value={text.raw ?? ''}>
            {text.value}
          </p>
          <p className="stat-foot muted">{text.foot}</p>
        </>
      ) : state.status === 'failed' ? (
        <p className="stat-value stat-placeholder">—</p>
      ) : (
        <p className="stat-value stat-placeholder">加载中…</p>
      )}
      <div className="stat-actions">{exportButton}</div>
    </article>
  );
}

function ChartCard({
  spec,
  figures,
  state,
  storeSelected,
  exports,
}: {
  spec: ChartSpec;
  figures: Figures | null;
  state: LoadState<Dashboard | null>;
  storeSelected: boolean;
  exports: ReactNode[];
}) {
  const option = useMemo(() => (figures ? dashboardChartOption(spec.key, figures) : null), [spec.key, figures]);
  const explain = spec.figures
    .map((figure) =>
      spec.figures.length > 1
        ? `${figureTitle(figure, figures)}：${explainText(figure, figures, storeSelected)}`
        : explainText(figure, figures, storeSelected),
    )
    .join('\n');
  return (
    <article className={spec.wide ? 'card dashboard-chart-card is-wide' : 'card dashboard-chart-card'}>
      <header className="chart-header">
        <h3 className="section-title">{spec.title}</h3>
        <InfoTip label={spec.title} text={explain} />
        <span className="chart-exports">{exports}</span>
      </header>
      <div className="dashboard-chart" data-chart={spec.key} data-kind={spec.kind} title={explain}>
        {figures && option ? (
          chartIsEmpty(spec.key, figures) ? (
            <p className="muted chart-empty">暂无数据</p>
          ) : (
            <EChart option={option} label={chartSummary(spec.key, figures)} />
          )
        ) : (
          <p className="muted chart-empty">{state.status === 'failed' ? '加载失败' : '加载中…'}</p>
        )}
      </div>
    </article>
  );
}
