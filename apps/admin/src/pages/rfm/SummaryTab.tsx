// 分类概况: the eight classes (and the members without orders in the window) with their people and spend, as a
// table whose rows open the members of that class, and as two charts.
import { formatFen, formatPoints, RfmClassInfo, type RfmSummary } from '@member-hub/shared';
import { useMemo } from 'react';
import { EChart } from '../../charts/EChart';
import { rfmRoute, routeHref } from '../../route';
import { InfoTip } from '../../ui';
import { percentText } from '../../units';
import { boundaryTexts, classMembersOption, classSpendOption, levelsText, summaryRows } from './rfmForms';

export function SummaryTab({ summary, loading }: { summary: RfmSummary; loading: boolean }) {
  const rows = summaryRows(summary);
  const membersOption = useMemo(() => classMembersOption(summary), [summary]);
  const spendOption = useMemo(() => classSpendOption(summary), [summary]);
  const bounds = summary.run ? boundaryTexts(summary.run) : null;
  const totalMembers = rows.reduce((sum, row) => sum + row.members, 0);
  const explain = bounds ? [bounds.r, bounds.f, bounds.m, bounds.high].join('\n') : '';

  return (
    <>
      <div className="card table-card section" aria-busy={loading}>
        <div className="table-card-header section-header">
          <h3 className="section-title">
            会员分类
            {bounds && <InfoTip label="会员分类" text={explain} />}
          </h3>
          {bounds && (
            <ul className="rfm-boundaries muted">
              <li>{bounds.r}</li>
              <li>{bounds.f}</li>
              <li>{bounds.m}</li>
            </ul>
          )}
        </div>
        <table className="table rfm-classes">
          <thead>
            <tr>
              <th>分类</th>
              <th>R / F / M</th>
              <th>运营建议</th>
              <th className="num">会员数</th>
              <th className="num">人数占比</th>
              <th className="num">消费金额</th>
              <th className="num">消费占比</th>
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.class}
                className={row.class === 'none' ? 'rfm-class-row is-unscored' : 'rfm-class-row'}
                data-class={row.class}
                data-members={row.members}
              >
                <td>
                  <strong>{row.name}</strong>
                </td>
                <td className="nowrap">{levelsText(row.class)}</td>
                <td className="muted">{RfmClassInfo[row.class].hint}</td>
                <td className="num rfm-class-members">{formatPoints(row.members)}</td>
                <td className="num">{percentText(row.memberShareBp)}</td>
                <td className="num rfm-class-spend">{formatFen(row.spendFen)}</td>
                <td className="num">{percentText(row.spendShareBp)}</td>
                <td className="actions-col">
                  <a
                    className="button button-text button-small rfm-class-open"
                    href={routeHref(rfmRoute('members', { rfmClass: row.class }))}
                  >
                    查看会员
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={3}>
                <strong>合计</strong>
              </td>
              <td className="num">
                <strong>{formatPoints(totalMembers)}</strong>
              </td>
              <td />
              <td className="num">
                <strong>{formatFen(summary.totalSpendFen)}</strong>
              </td>
              <td colSpan={2} />
            </tr>
          </tfoot>
        </table>
      </div>

      {summary.run ? (
        <div className="dashboard-charts">
          <article className="card dashboard-chart-card is-wide">
            <header className="chart-header">
              <h3 className="section-title">各分类会员数</h3>
            </header>
            <div className="rfm-chart" data-chart="rfmMembers">
              <EChart option={membersOption} label={`各分类会员数柱状图，共 ${formatPoints(totalMembers)} 人`} />
            </div>
          </article>
          <article className="card dashboard-chart-card">
            <header className="chart-header">
              <h3 className="section-title">各分类消费金额</h3>
            </header>
            <div className="rfm-chart" data-chart="rfmSpend">
              {summary.totalSpendFen > 0 ? (
                <EChart option={spendOption} label={`各分类消费金额饼图，合计 ${formatFen(summary.totalSpendFen)}`} />
              ) : (
                <p className="muted chart-empty">暂无消费</p>
              )}
            </div>
          </article>
        </div>
      ) : null}
    </>
  );
}
