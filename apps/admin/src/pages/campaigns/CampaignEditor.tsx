// 新建活动: name, target segment, what it gives (a coupon template or points), when it runs (once at a China-time
// date and time, or every day at an hour between two days), the held-out control group and the message; 试算 shows
// the reach and the most it could cost, 保存为草稿 saves it (nothing happens until it is started on its own page).
import type { CampaignDryRun, CouponTemplate, Segment } from '@member-hub/shared';
import { couponFace } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { type CampaignBody, createCampaign, dryRunCampaign } from '../../api/campaigns';
import { listCouponTemplates } from '../../api/coupons';
import { listAllSegments } from '../../api/segments';
import { useAuth } from '../../auth';
import { setFlash } from '../../flash';
import { fixMessage, inputClass } from '../../forms';
import { navigate, routeHref } from '../../route';
import { ErrorBanner, FieldWithError, InlineError, PageHeader } from '../../ui';
import { useAction } from '../../useAction';
import { useFormEditor } from '../../useFormEditor';
import { useLoad } from '../../useLoad';
import { templateOptionText } from '../coupons/couponForms';
import { savedCountText } from '../segments/segmentForms';
import {
  ACTION_KINDS,
  type CampaignErrors,
  type CampaignForm,
  campaignForm,
  campaignServerErrors,
  emptyCampaignForm,
  HOURS,
  MAX_CONTROL_PCT,
  SCHEDULE_KINDS,
} from './campaignForms';
import { DryRunPanel } from './DryRunPanel';
import { BackLink, campaignFlashKey } from './links';

export function CampaignEditor() {
  const { withToken } = useAuth();
  const segments = useLoad(listAllSegments);
  const templates = useLoad(listCouponTemplates);
  const editor = useFormEditor<CampaignForm, CampaignErrors>(() => emptyCampaignForm());
  const { form, errors, set } = editor;

  const dryRunAction = useAction('试算失败，请稍后再试');
  const [tried, setTried] = useState<{ key: string; answer: CampaignDryRun } | null>(null);
  const checked = campaignForm(form);
  const currentKey = checked.ok ? JSON.stringify(checked.body) : null;

  async function dryRun() {
    // The same checks as 保存: the problems go next to the inputs.
    const check = campaignForm(form);
    if (!check.ok) {
      editor.setErrors(check.errors);
      dryRunAction.setError(fixMessage(check.errors));
      return;
    }
    editor.setErrors({});
    editor.setError(null);
    const body: CampaignBody = check.body;
    await dryRunAction.run(async () => {
      const answer = await withToken((token) => dryRunCampaign(token, body));
      setTried({ key: JSON.stringify(body), answer });
    });
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await editor.submit(
      campaignForm(form),
      async (body) => {
        const created = await withToken((token) => createCampaign(token, body));
        setFlash(campaignFlashKey(created.id), `已保存草稿「${created.name}」：确认无误后点击「开始」`);
        navigate({ page: 'campaign', id: created.id });
      },
      (details) => campaignServerErrors(details, form),
    );
  }

  const activeTemplates = (templates.state.data ?? []).filter((template) => template.active);
  const segment = (segments.state.data ?? []).find((item) => item.id === form.segmentId) ?? null;
  const template = activeTemplates.find((item) => item.id === form.templateId) ?? null;

  return (
    <section className="page campaign-editor-page">
      <BackLink />
      <PageHeader
        title="新建营销活动"
        description="选择分群和发放内容，先试算触达人数和成本；保存为草稿后在活动页点击「开始」才会执行"
      />
      <div className="two-columns campaign-editor">
        <form className="card section form-stack campaign-form" onSubmit={save} noValidate>
          <FieldWithError path="name" label="活动名称" htmlFor="campaign-name" error={errors.name}>
            <input id="campaign-name" maxLength={50} placeholder="例如：沉睡会员唤醒" {...editor.input('name')} />
          </FieldWithError>

          <SegmentSelect
            segments={segments.state.data}
            loading={segments.state.status === 'loading'}
            loadError={segments.state.status === 'failed' ? segments.state.message : null}
            value={form.segmentId}
            error={errors.segmentId}
            onChange={(segmentId) => set('segmentId', segmentId)}
          />
          {segment && (
            <p className="muted campaign-segment-summary">
              {segment.summary}（{savedCountText(segment)}）
            </p>
          )}

          <fieldset className="field campaign-action">
            <legend>活动内容</legend>
            <div className="inline-field" role="radiogroup" aria-label="活动内容">
              {ACTION_KINDS.map(([kind, label]) => (
                <label key={kind} className="radio">
                  <input
                    type="radio"
                    name="campaign-action"
                    className={`campaign-action-${kind}`}
                    checked={form.actionKind === kind}
                    onChange={() =>
                      editor.change((current) => ({ ...current, actionKind: kind }), 'templateId', 'points')
                    }
                  />
                  {label}
                </label>
              ))}
            </div>
            {form.actionKind === 'coupon' ? (
              <FieldWithError path="templateId" label="优惠券" htmlFor="campaign-template" error={errors.templateId}>
                <TemplateSelect
                  templates={activeTemplates}
                  loading={templates.state.status === 'loading'}
                  value={form.templateId}
                  error={errors.templateId}
                  onChange={(templateId) => set('templateId', templateId)}
                />
              </FieldWithError>
            ) : (
              <FieldWithError path="points" label="每人赠送积分" htmlFor="campaign-points" error={errors.points}>
                <input
                  id="campaign-points"
                  inputMode="numeric"
                  placeholder="例如 200"
                  {...editor.input('points', 'input-number')}
                />
              </FieldWithError>
            )}
            {form.actionKind === 'coupon' && templates.state.status === 'failed' && (
              <InlineError message={templates.state.message} />
            )}
            {template && (
              <p className="muted campaign-template-summary">
                {couponFace(template).condition} · {couponFace(template).validity}
              </p>
            )}
            {form.actionKind === 'coupon' && templates.state.status === 'ready' && activeTemplates.length === 0 && (
              <p className="muted">
                还没有启用的券模板，请先到{' '}
                <a href={routeHref({ page: 'coupons', tab: 'templates', memberNo: null })}>优惠券</a> 新建。
              </p>
            )}
          </fieldset>

          <fieldset className="field campaign-schedule">
            <legend>执行时间（北京时间）</legend>
            <div className="inline-field" role="radiogroup" aria-label="执行方式">
              {SCHEDULE_KINDS.map(([kind, label]) => (
                <label key={kind} className="radio">
                  <input
                    type="radio"
                    name="campaign-schedule"
                    className={`campaign-schedule-${kind}`}
                    checked={form.scheduleKind === kind}
                    onChange={() =>
                      editor.change(
                        (current) => ({ ...current, scheduleKind: kind }),
                        'onceDate',
                        'onceTime',
                        'dailyHour',
                        'dailyFrom',
                        'dailyUntil',
                      )
                    }
                  />
                  {label}
                </label>
              ))}
            </div>
            {form.scheduleKind === 'once' ? (
              <>
                <div className="form-row">
                  <FieldWithError path="onceDate" label="日期" htmlFor="campaign-once-date" error={errors.onceDate}>
                    <input id="campaign-once-date" type="date" {...editor.input('onceDate')} />
                  </FieldWithError>
                  <FieldWithError path="onceTime" label="时间" htmlFor="campaign-once-time" error={errors.onceTime}>
                    <input id="campaign-once-time" type="time" step={60} {...editor.input('onceTime')} />
                  </FieldWithError>
                </div>
                <p className="muted">到时向分群里的全部会员执行一次。</p>
              </>
            ) : (
              <>
                <div className="form-row">
                  <FieldWithError path="dailyHour" label="每天" htmlFor="campaign-daily-hour" error={errors.dailyHour}>
                    <select
                      id="campaign-daily-hour"
                      className={inputClass(errors.dailyHour)}
                      value={form.dailyHour}
                      onChange={(event) => set('dailyHour', event.target.value)}
                    >
                      {HOURS.map((hour) => (
                        <option key={hour} value={String(hour)}>
                          {String(hour).padStart(2, '0')}:00
                        </option>
                      ))}
                    </select>
                  </FieldWithError>
                  <FieldWithError
                    path="dailyFrom"
                    label="开始日期"
                    htmlFor="campaign-daily-from"
                    error={errors.dailyFrom}
                  >
                    <input id="campaign-daily-from" type="date" {...editor.input('dailyFrom')} />
                  </FieldWithError>
                  <FieldWithError
                    path="dailyUntil"
                    label="结束日期"
                    htmlFor="campaign-daily-until"
                    error={errors.dailyUntil}
                  >
                    <input id="campaign-daily-until" type="date" {...editor.input('dailyUntil')} />
                  </FieldWithError>
                </div>
                <p className="muted">每天到点触达新进入分群的会员，每位会员只触达一次。</p>
              </>
            )}
          </fieldset>

          <FieldWithError
            path="controlPct"
            label="对照组比例（%）"
            htmlFor="campaign-control"
            error={errors.controlPct}
          >
            <input id="campaign-control" inputMode="numeric" {...editor.input('controlPct', 'input-number')} />
          </FieldWithError>
          <p className="muted field-hint">
            随机留出这部分会员不发放任何内容，用来对比活动效果；默认 10%，最多 {MAX_CONTROL_PCT}%。
          </p>

          <label className="checkbox">
            <input
              type="checkbox"
              className="campaign-notify"
              checked={form.notify}
              onChange={(event) => set('notify', event.target.checked)}
            />
            <span>同时发送订阅消息（仅发给已订阅的会员）</span>
          </label>

          <ErrorBanner message={editor.error} />
          <div className="form-actions">
            <button className="button campaign-dry-run-submit" type="button" onClick={() => void dryRun()}>
              试算
            </button>
            <button className="button button-primary campaign-save" type="submit" disabled={editor.busy}>
              {editor.busy ? '保存中…' : '保存为草稿'}
            </button>
          </div>
        </form>

        <DryRunPanel
          dryRun={tried?.answer ?? null}
          notify={form.notify}
          busy={dryRunAction.busy}
          stale={tried !== null && tried.key !== currentKey}
          error={dryRunAction.error}
          hint="填好分群和发放内容后点击「试算」，查看将触达多少会员、对照组人数和最高成本。"
          onRun={() => void dryRun()}
        />
      </div>
    </section>
  );
}

function SegmentSelect({
  segments,
  loading,
  loadError,
  value,
  error,
  onChange,
}: {
  segments: readonly Segment[] | null;
  loading: boolean;
  loadError: string | null;
  value: string;
  error: string | undefined;
  onChange(segmentId: string): void;
}) {
  const list = segments ?? [];
  return (
    <div className="campaign-segment">
      <FieldWithError path="segmentId" label="目标分群" htmlFor="campaign-segment" error={error}>
        <select
          id="campaign-segment"
          className={inputClass(error)}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">{loading ? '加载中…' : '请选择分群'}</option>
          {list.map((segment) => (
            <option key={segment.id} value={segment.id}>
              {segment.name}
            </option>
          ))}
        </select>
      </FieldWithError>
      <InlineError message={loadError} />
      {segments !== null && list.length === 0 && (
        <p className="muted">
          还没有分群，请先到 <a href={routeHref({ page: 'segment', id: 'new' })}>分群</a> 新建。
        </p>
      )}
    </div>
  );
}

function TemplateSelect({
  templates,
  loading,
  value,
  error,
  onChange,
}: {
  templates: readonly CouponTemplate[];
  loading: boolean;
  value: string;
  error: string | undefined;
  onChange(templateId: string): void;
}) {
  return (
    <select
      id="campaign-template"
      className={inputClass(error)}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{loading ? '加载中…' : '请选择券模板'}</option>
      {templates.map((template) => (
        <option key={template.id} value={template.id}>
          {templateOptionText(template)}
        </option>
      ))}
    </select>
  );
}
