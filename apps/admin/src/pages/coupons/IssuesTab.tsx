// 发券: send a template to a list of 会员号 or to the members of a saved segment (分群). The server works through a
// campaign in the background; the list polls the running ones until they are done or failed.
import { type CouponIssue, type CouponTemplate, couponFace } from '@member-hub/shared';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { createCouponIssue, getCouponIssue } from '../../api/coupons';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { inputClass } from '../../forms';
import { newIdempotencyKey } from '../../idempotency';
import { parseMemberNos } from '../../memberNos';
import { ErrorBanner, FieldWithError, FormField, InlineError, RefreshButton, SuccessBanner, TableRows } from '../../ui';
import { useFormEditor } from '../../useFormEditor';
import { useLoad } from '../../useLoad';
import { SegmentPicker } from '../segments/SegmentPicker';
import {
  emptyIssueForm,
  ISSUE_STATUS_LABELS,
  type IssueErrors,
  type IssueForm,
  isIssueRunning,
  issueForm,
  issueProgress,
  stockText,
  targetText,
  templateOptionText,
  upsertIssue,
} from './couponForms';
import { loadIssues, loadTemplates, MISSING_TEXT } from './loaders';

const COLUMNS = 5;
/** 发放对象: the radio buttons (`issue-target-members`, `issue-target-segment`). */
const TARGET_KINDS = [
  ['members', '指定会员号'],
  ['segment', '按分群'],
] as const;
/** How often a running campaign is asked for its progress. */
const POLL_MS = 1_500;

export function IssuesTab() {
  const templates = useLoad(loadTemplates);
  const issues = useLoad(loadIssues);
  const { update: updateIssues } = issues;
  const { reload: reloadTemplates } = templates;
  const missing = [templates, issues].some(({ state }) => state.status === 'ready' && state.data === null);

  const running = (issues.state.data ?? []).filter(isIssueRunning).map((issue) => issue.id);
  const onProgress = useCallback(
    (next: CouponIssue) => {
      // Stock left changed once a campaign is through: the template select shows it.
      if (!isIssueRunning(next)) reloadTemplates();
      updateIssues((list) => (list === null ? list : upsertIssue(list, next)));
    },
    [reloadTemplates, updateIssues],
  );
  usePolling(running.join(','), onProgress);

  if (missing) return <p className="card muted coming-soon">{MISSING_TEXT}</p>;

  const issueList = issues.state.data ?? null;
  return (
    <>
      <div className="toolbar">
        <RefreshButton
          loading={issues.state.status === 'loading' || templates.state.status === 'loading'}
          onRefresh={() => {
            issues.reload();
            templates.reload();
          }}
        />
      </div>
      {templates.state.status === 'failed' && <ErrorBanner message={templates.state.message} />}
      <IssueFormCard
        templates={templates.state.data ?? []}
        onCreated={(issue) => updateIssues((list) => (list === null ? [issue] : upsertIssue(list, issue)))}
      />

      {issues.state.status === 'failed' && <ErrorBanner message={issues.state.message} />}
      <div className="card table-card" aria-busy={issues.state.status === 'loading'}>
        <div className="section-header table-card-header">
          <h3 className="section-title">发券记录</h3>
        </div>
        <table className="table issue-table">
          <thead>
            <tr>
              <th>创建时间</th>
              <th>优惠券</th>
              <th>发放对象</th>
              <th>进度</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={issueList}
              loading={issues.state.status === 'loading'}
              colSpan={COLUMNS}
              empty="还没有发过券"
            >
              {(issue) => <IssueRow key={issue.id} issue={issue} />}
            </TableRows>
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * Asks for the progress of the running campaigns (`ids` comma separated) every POLL_MS, one round after the
 * other has answered, until none is running; a new set of ids starts over.
 */
function usePolling(ids: string, onAnswer: (issue: CouponIssue) => void) {
  const { withToken } = useAuth();
  useEffect(() => {
    if (ids === '') return;
    let stopped = false;
    let timer = 0;
    const round = async () => {
      for (const id of ids.split(',')) {
        try {
          const next = await withToken((token) => getCouponIssue(token, id));
          if (stopped) return;
          onAnswer(next);
        } catch {
          // A missed answer is asked again next round; a session error has logged the owner out already.
        }
      }
      if (!stopped) timer = window.setTimeout(round, POLL_MS);
    };
    timer = window.setTimeout(round, POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [ids, withToken, onAnswer]);
}

function IssueRow({ issue }: { issue: CouponIssue }) {
  const progress = issueProgress(issue);
  return (
    <tr className="issue-row" data-id={issue.id} data-status={issue.status}>
      <td className="nowrap">{formatDateTime(issue.createdAt)}</td>
      <td>{issue.templateTitle}</td>
      <td className="issue-target">{targetText(issue.target)}</td>
      <td>
        <div className="issue-progress">
          <progress
            className="issue-progress-bar"
            max={100}
            value={progress.percent ?? undefined}
            aria-label="发放进度"
          />
          <span className="issue-progress-text">{progress.text}</span>
        </div>
      </td>
      <td>
        <span className={`status issue-status issue-status-${issue.status}`}>{ISSUE_STATUS_LABELS[issue.status]}</span>
        {issue.finishedAt && <div className="muted nowrap">{formatDateTime(issue.finishedAt)}</div>}
        {issue.error && <p className="inline-error issue-error">{issue.error}</p>}
      </td>
    </tr>
  );
}

/**
 * 新建发券. One idempotency key per campaign: a double click or a retry after a lost answer sends the same key
 * (the server answers with the campaign it already has), and a new key is made once a campaign is created.
 */
function IssueFormCard({
  templates,
  onCreated,
}: {
  templates: readonly CouponTemplate[];
  onCreated(issue: CouponIssue): void;
}) {
  const { withToken } = useAuth();
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const editor = useFormEditor<IssueForm, IssueErrors>(() => emptyIssueForm(), '发券失败，请稍后再试');
  const { form, errors, set, done, busy, error } = editor;
  const active = templates.filter((template) => template.active);
  const chosen = templates.find((template) => template.id === form.templateId) ?? null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await editor.submit(issueForm(form, idempotencyKey), async (body) => {
      const issue = await withToken((token) => createCouponIssue(token, body));
      onCreated(issue);
      setIdempotencyKey(newIdempotencyKey());
      editor.change((current) => ({ ...emptyIssueForm(current.templateId), targetKind: current.targetKind }));
      editor.setDone(
        issue.replayed
          ? `这次提交已处理过：发券任务「${issue.templateTitle}」已在下方列表中`
          : `已创建发券任务「${issue.templateTitle}」，发放进度见下方列表`,
      );
    });
  }

  const typedNos = parseMemberNos(form.memberNos).memberNos.length;

  return (
    <form className="card section issue-form" onSubmit={submit} noValidate>
      <h3 className="section-title">新建发券</h3>
      <div className="form-stack">
        <div className="field" data-path="templateId">
          <FormField label="优惠券" htmlFor="issue-template">
            <select
              id="issue-template"
              className={inputClass(errors.templateId)}
              value={form.templateId}
              onChange={(event) => set('templateId', event.target.value)}
            >
              <option value="">请选择券模板</option>
              {active.map((template) => (
                <option key={template.id} value={template.id}>
                  {templateOptionText(template)}
                </option>
              ))}
            </select>
          </FormField>
          {chosen && (
            <p className="muted issue-template-summary">
              {couponFace(chosen).condition} · {couponFace(chosen).validity} · 剩余 {stockText(chosen)}
            </p>
          )}
          <InlineError message={errors.templateId ?? null} />
        </div>

        <div className="inline-field" role="radiogroup" aria-label="发放对象">
          <span>发放对象</span>
          {TARGET_KINDS.map(([kind, label]) => (
            <label key={kind} className="radio">
              <input
                type="radio"
                name="issue-target"
                className={`issue-target-${kind}`}
                checked={form.targetKind === kind}
                onChange={() => set('targetKind', kind)}
              />
              {label}
            </label>
          ))}
        </div>

        {form.targetKind === 'members' ? (
          <FieldWithError
            path="memberNos"
            label="会员号（每行一个，或用逗号隔开）"
            htmlFor="issue-member-nos"
            error={errors.memberNos}
          >
            <textarea
              id="issue-member-nos"
              className={inputClass(errors.memberNos)}
              rows={4}
              placeholder={'10000001\n10000002'}
              value={form.memberNos}
              onChange={(event) => set('memberNos', event.target.value)}
            />
          </FieldWithError>
        ) : (
          <SegmentPicker
            id="issue-segment"
            value={form.segmentId}
            error={errors.segmentId}
            onChange={(segmentId) => set('segmentId', segmentId)}
          />
        )}

        {form.targetKind === 'members' && <p className="muted issue-target-preview">已识别 {typedNos} 个会员号</p>}
        <ErrorBanner message={error} />
        <SuccessBanner message={done} />
        <div className="row-actions">
          <button className="button button-primary issue-submit" type="submit" disabled={busy}>
            {busy ? '提交中…' : '发放'}
          </button>
        </div>
      </div>
    </form>
  );
}
