// The results' charts: revenue per member on each day after being reached, and over the whole window, targeted
// against control. Loaded lazily with ECharts.
import { type CampaignResults, formatFen } from '@member-hub/shared';
import { useMemo } from 'react';
import { EChart } from '../../charts/EChart';
import { bpText, chartSummaries, dailyRevenueOption, groupCompareOption, peopleText } from './campaignForms';

export function ResultCharts({ results, startedAt }: { results: CampaignResults; startedAt: string | null }) {
  const daily = useMemo(() => dailyRevenueOption(results, startedAt), [results, startedAt]);
  const groups = useMemo(() => groupCompareOption(results), [results]);
  const labels = chartSummaries(results, startedAt);
  const empty = results.treatment.members === 0 && results.control.members === 0;

  return (
    <div className="dashboard-charts campaign-charts">
      <article className="card dashboard-chart-card is-wide">
        <header className="chart-header">
          <h4 className="section-title">每日人均消费：目标组 vs 对照组</h4>
        </header>
        <div className="dashboard-chart campaign-chart" data-chart="daily">
          {empty ? <p className="muted chart-empty">暂无数据</p> : <EChart option={daily} label={labels.daily} />}
        </div>
      </article>
      <article className="card dashboard-chart-card">
        <header className="chart-header">
          <h4 className="section-title">30 天人均消费对比</h4>
        </header>
        <div className="dashboard-chart campaign-chart" data-chart="groups">
          {empty ? <p className="muted chart-empty">暂无数据</p> : <EChart option={groups} label={labels.groups} />}
        </div>
      </article>
      <article className="card dashboard-chart-card campaign-groups-card">
        <header className="chart-header">
          <h4 className="section-title">分组明细</h4>
        </header>
        <table className="table campaign-group-table">
          <thead>
            <tr>
              <th>分组</th>
              <th className="num">人数</th>
              <th className="num">购买人数</th>
              <th className="num">转化率</th>
              <th className="num">消费金额</th>
              <th className="num">人均消费</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['treatment', '目标组', results.treatment],
                ['control', '对照组', results.control],
              ] as const
            ).map(([key, label, group]) => (
              <tr key={key} className={`campaign-group-${key}`}>
                <td>{label}</td>
                <td className="num">{peopleText(group.members)}</td>
                <td className="num">{peopleText(group.buyers)}</td>
                <td className="num">{bpText(group.conversionBp)}</td>
                <td className="num">{formatFen(group.revenueFen)}</td>
                <td className="num">{formatFen(group.revenuePerMemberFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </div>
  );
}
