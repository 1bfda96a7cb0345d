// 手机号验证调用: WeChat bills each phone-number verification, so the owner sees today's and this month's count and
// estimated cost, and the last 30 days on demand.
import type { PaidCallsSummary } from '@member-hub/shared';
import { isRouteMissing } from '../../api';
import { getPaidCalls } from '../../api/dashboard';
import { StatFallback } from '../../ui';
import type { LoadState } from '../../useLoad';
import { callsText, dayLabel, daysWithCalls, priceNote } from './paidCalls';

/** For useLoad: null while the server does not have the paid-calls route yet. */
export function loadPaidCalls(token: string): Promise<PaidCallsSummary | null> {
  return getPaidCalls(token).catch((error: unknown) => {
    if (isRouteMissing(error)) return null;
    throw error;
  });
}

export function PaidCallsCard({ state }: { state: LoadState<PaidCallsSummary | null> }) {
  const usage = state.data?.apis.find((a) => a.api === 'getuserphonenumber') ?? null;
  const recent = usage ? daysWithCalls(usage.days) : [];
  return (
    <article
      className="card stat-card stat-paid-calls"
      aria-busy={state.status === 'loading'}
      title={usage ? priceNote(usage) : undefined}
    >
      <h3 className="stat-label">{usage ? `${usage.label}调用` : '手机号验证调用'}</h3>
      {usage ? (
        <>
          <p className="stat-value paid-calls-today" data-count={usage.today.count} data-fen={usage.today.costFen}>
            今日 {callsText(usage.today.count, usage.today.costFen)}
          </p>
          <p className="stat-foot paid-calls-month" data-count={usage.month.count} data-fen={usage.month.costFen}>
            本月 {callsText(usage.month.count, usage.month.costFen)}
          </p>
          <details className="paid-calls-days">
            <summary>近 {usage.days.length} 天</summary>
            {recent.length === 0 ? (
              <p className="muted">近 {usage.days.length} 天没有调用</p>
            ) : (
              <table className="table paid-calls-table">
                <tbody>
                  {recent.map((d) => (
                    <tr key={d.day} data-day={d.day}>
                      <td>{dayLabel(d.day)}</td>
                      <td>{callsText(d.count, d.costFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </details>
          <p className="stat-foot muted">{priceNote(usage)}</p>
        </>
      ) : (
        <StatFallback state={state} />
      )}
    </article>
  );
}
