// One campaign (`#/campaigns/<id>`), or the editor of a new one (`#/campaigns/new`). A campaign's page shows what it
// does, 开始 (a draft) and 取消 (anything not over) behind a confirmation, the dry-run while it has not run yet, and
// its results once members have been reached.
import { type Campaign, CampaignStatusLabels } from '@member-hub/shared';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { cancelCampaign, dryRunCampaign, getCampaign, startCampaign } from '../../api/campaigns';
import { useAuth } from '../../auth';
import { clearFlash, peekFlash } from '../../flash';
import { formatDateTime } from '../../format';
import { routeHref } from '../../route';
import { ConfirmDialog, ErrorBanner, PageHeader, SuccessBanner } from '../../ui';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import { CampaignEditor } from './CampaignEditor';
import { campaignBody, canCancel, canStart, groupsText, hasResults, scheduleText } from './campaignForms';
import { DryRunPanel } from './DryRunPanel';
import { BackLink, campaignFlashKey } from './links';
import { ResultsPanel } from './ResultsPanel';

/** Keyed by the id (App): another campaign's page starts fresh. */
export function CampaignPage({ id }: { id: string }) {
  return id === 'new' ? <CampaignEditor /> : <CampaignDetail id={id} />;
}

function CampaignDetail({ id }: { id: string }) {
  const load = useCallback((token: string) => getCampaign(token, id), [id]);
  const { state, update } = useLoad(load);
  const [notice, setNotice] = useState(() => peekFlash(campaignFlashKey(id)));
  useEffect(() => clearFlash(campaignFlashKey(id)), [id]);
  const campaign = state.data;

  if (!campaign) {
    return (
      <section className="page campaign-page">
        <BackLink />
        {state.status === 'failed' ? <ErrorBanner message={state.message} /> : <p className="card muted">加载中…</p>}
      </section>
    );
  }

  const changed = (next: Campaign, message: string) => {
    update(() => next);
    setNotice(message);
  };

  return (
    <section className="page campaign-page" data-status={campaign.status}>
      <BackLink />
      <PageHeader title={campaign.name} description={`${campaign.segmentName} · ${campaign.actionText}`}>
        <StatusActions campaign={campaign} onChanged={changed} />
      </PageHeader>
      <SuccessBanner message={notice} />
      {state.status === 'failed' && <ErrorBanner message={state.message} />}

      <div className="two-columns">
        <CampaignFacts campaign={campaign} />
        {hasResults(campaign) ? null : <DraftDryRun campaign={campaign} />}
      </div>
      {hasResults(campaign) ? (
        <ResultsPanel campaign={campaign} />
      ) : (
        <p className="card muted campaign-no-results">
          {campaign.status === 'cancelled'
            ? '活动在执行前已取消，没有触达会员。'
            : '活动开始执行后，这里显示触达、核销以及目标组与对照组 30 天内的消费对比。'}
        </p>
      )}
    </section>
  );
}

function CampaignFacts({ campaign }: { campaign: Campaign }) {
  return (
    <div className="card section campaign-facts">
      <h3 className="section-title">活动设置</h3>
      <dl className="detail-grid campaign-fact-list">
        <Fact label="状态">
          <span className={`status campaign-status campaign-status-${campaign.status}`}>
            {CampaignStatusLabels[campaign.status]}
          </span>
        </Fact>
        <Fact label="目标分群">
          <a href={routeHref({ page: 'segment', id: campaign.segmentId })}>{campaign.segmentName}</a>
        </Fact>
        <Fact label="内容">{campaign.actionText}</Fact>
        <Fact label="订阅消息">{campaign.notify ? '发送给已订阅的会员' : '不发送'}</Fact>
        <Fact label="执行">{scheduleText(campaign.schedule)}</Fact>
        <Fact label="对照组">{campaign.controlPct}%</Fact>
        {campaign.status !== 'draft' && <Fact label="已分组">{groupsText(campaign)}</Fact>}
        <Fact label="创建">{formatDateTime(campaign.createdAt)}</Fact>
        {campaign.startedAt && <Fact label="开始执行">{formatDateTime(campaign.startedAt)}</Fact>}
        {campaign.finishedAt && (
          <Fact label={campaign.status === 'cancelled' ? '取消于' : '完成于'}>
            {formatDateTime(campaign.finishedAt)}
          </Fact>
        )}
      </dl>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Before it runs: the dry-run of the saved campaign, asked when the page opens and again on 重新试算. */
function DraftDryRun({ campaign }: { campaign: Campaign }) {
  const body = JSON.stringify(campaignBody(campaign));
  const load = useCallback((token: string) => dryRunCampaign(token, JSON.parse(body)), [body]);
  const { state, reload } = useLoad(load);
  return (
    <DryRunPanel
      dryRun={state.data}
      notify={campaign.notify}
      busy={state.status === 'loading'}
      stale={false}
      error={state.status === 'failed' ? state.message : null}
      hint="正在试算…"
      onRun={reload}
    />
  );
}

type Pending = 'start' | 'cancel' | null;

function StatusActions({
  campaign,
  onChanged,
}: {
  campaign: Campaign;
  onChanged(next: Campaign, message: string): void;
}) {
  const { withToken } = useAuth();
  const [pending, setPending] = useState<Pending>(null);
  const action = useAction(pending === 'start' ? '开始失败，请稍后再试' : '取消失败，请稍后再试');

  async function confirm() {
    const which = pending;
    if (!which) return;
    await action.run(async () => {
      const next = await withToken((token) =>
        which === 'start' ? startCampaign(token, campaign.id) : cancelCampaign(token, campaign.id),
      );
      setPending(null);
      onChanged(
        next,
        which === 'start'
          ? `活动已开始：将按计划（${scheduleText(next.schedule)}）触达会员`
          : '活动已取消：不再触达新的会员，已发放的券和积分保留',
      );
    });
  }

  const close = () => {
    setPending(null);
    action.setError(null);
  };

  if (!canStart(campaign.status) && !canCancel(campaign.status)) return null;
  return (
    <div className="header-actions">
      {canStart(campaign.status) && (
        <button className="button button-primary campaign-start" type="button" onClick={() => setPending('start')}>
          开始
        </button>
      )}
      {canCancel(campaign.status) && (
        <button className="button button-danger campaign-cancel" type="button" onClick={() => setPending('cancel')}>
          取消活动
        </button>
      )}
      {pending === 'start' && (
        <ConfirmDialog
          title="开始活动"
          confirmLabel="确定开始"
          confirmClassName="campaign-start-confirm"
          busy={action.busy}
          error={action.error}
          onConfirm={() => void confirm()}
          onClose={close}
        >
          <p>
            确定开始活动「{campaign.name}」吗？将按计划（{scheduleText(campaign.schedule)}）向分群「
            {campaign.segmentName}」的会员{campaign.actionText}，随机留出 {campaign.controlPct}% 作为对照组不发放。
          </p>
          <p className="muted">开始后不能修改，只能取消；已发放的券和积分不会收回。</p>
        </ConfirmDialog>
      )}
      {pending === 'cancel' && (
        <ConfirmDialog
          title="取消活动"
          confirmLabel="确定取消活动"
          confirmClassName="campaign-cancel-confirm"
          busy={action.busy}
          error={action.error}
          onConfirm={() => void confirm()}
          onClose={close}
        >
          <p>确定取消活动「{campaign.name}」吗？取消后不再触达新的会员，已发放的券和积分保留。此操作不能撤销。</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
