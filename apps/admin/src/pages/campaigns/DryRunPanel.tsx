// 试算: how many members the campaign would reach now, how many are held out, how many can get the message and the
// most it could cost — counted by the server without assigning or giving anything.
import type { CampaignDryRun } from '@member-hub/shared';
import { ErrorBanner } from '../../ui';
import { dryRunRows } from './campaignForms';

export function DryRunPanel({
  dryRun,
  notify,
  busy,
  stale,
  error,
  hint,
  onRun,
}: {
  /** The last answer, null before the first 试算. */
  dryRun: CampaignDryRun | null;
  notify: boolean;
  busy: boolean;
  /** The form changed since the answer on screen. */
  stale: boolean;
  error: string | null;
  /** What the panel says before the first 试算. */
  hint: string;
  onRun(): void;
}) {
  return (
    <aside className="card section campaign-dry-run" aria-live="polite" aria-busy={busy}>
      <div className="section-header">
        <h3 className="section-title">试算</h3>
        <button className="button campaign-dry-run-button" type="button" onClick={onRun} disabled={busy}>
          {busy ? '试算中…' : dryRun ? '重新试算' : '试算'}
        </button>
      </div>
      <ErrorBanner message={error} />
      {dryRun === null ? (
        <p className="muted">{busy ? '正在统计分群人数…' : hint}</p>
      ) : (
        <>
          {stale && (
            <p className="banner banner-warning campaign-dry-run-stale" role="status">
              活动设置已修改，以下是修改前的试算结果，请重新试算。
            </p>
          )}
          <dl className="dry-run-figures">
            {dryRunRows(dryRun, notify).map((row) => (
              <div key={row.key} className={`dry-run-figure dry-run-${row.key}`}>
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
          </dl>
          <p className="muted campaign-cost-note">{dryRun.costNote}</p>
          <p className="muted">
            按分群当前的会员试算；实际触达以执行时为准。订阅消息只发给已订阅的会员，并受每周上限和免打扰时段限制。
          </p>
        </>
      )}
    </aside>
  );
}
