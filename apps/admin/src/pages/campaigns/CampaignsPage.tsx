// 营销活动: the owner's campaigns, newest first: status, target segment, what it gives, when it runs and how the
// members were split into the targeted and the held-out control group. 新建活动 opens the editor.
import { CampaignStatusLabels } from '@member-hub/shared';
import { listCampaigns } from '../../api/campaigns';
import { formatDateTime } from '../../format';
import { routeHref } from '../../route';
import { ErrorBanner, PageHeader, RefreshButton, TableRows } from '../../ui';
import { useLoad } from '../../useLoad';
import { groupsText, scheduleText } from './campaignForms';

const COLUMNS = 6;

export function CampaignsPage() {
  const { state, reload } = useLoad(listCampaigns);
  const loading = state.status === 'loading';

  return (
    <section className="page campaigns-page">
      <PageHeader
        title="营销活动"
        description="向分群会员发券或送积分，留出对照组，对比 30 天内的消费，看活动真正带来的增量"
      >
        <div className="header-actions">
          <RefreshButton loading={loading} onRefresh={reload} />
          <a className="button button-primary campaign-new" href={routeHref({ page: 'campaign', id: 'new' })}>
            新建活动
          </a>
        </div>
      </PageHeader>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={loading}>
        <table className="table campaign-table">
          <thead>
            <tr>
              <th>活动</th>
              <th>状态</th>
              <th>目标分群</th>
              <th>内容</th>
              <th>执行时间</th>
              <th>分组</th>
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={state.data}
              loading={loading}
              colSpan={COLUMNS}
              empty={
                <>
                  还没有营销活动，
                  <a href={routeHref({ page: 'campaign', id: 'new' })}>新建一个</a>
                </>
              }
            >
              {(campaign) => (
                <tr key={campaign.id} className="campaign-row" data-id={campaign.id} data-status={campaign.status}>
                  <td>
                    <a className="campaign-open" href={routeHref({ page: 'campaign', id: campaign.id })}>
                      {campaign.name}
                    </a>
                    <div className="muted nowrap">创建于 {formatDateTime(campaign.createdAt)}</div>
                  </td>
                  <td className="nowrap">
                    <span className={`status campaign-status campaign-status-${campaign.status}`}>
                      {CampaignStatusLabels[campaign.status]}
                    </span>
                  </td>
                  <td>{campaign.segmentName}</td>
                  <td>
                    {campaign.actionText}
                    <div className="muted">{campaign.notify ? '同时发送订阅消息' : '不发送消息'}</div>
                  </td>
                  <td>{scheduleText(campaign.schedule)}</td>
                  <td className="campaign-groups">
                    {campaign.status === 'draft' ? `对照组 ${campaign.controlPct}%，开始后分组` : groupsText(campaign)}
                  </td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
      </div>
    </section>
  );
}
