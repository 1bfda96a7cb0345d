// 对账: one day of our payments and refunds next to WeChat Pay's trade bill, and every order where they differ.
import type { ReconciliationReport } from '@member-hub/shared';
import { type FormEvent, useCallback, useState } from 'react';
import { isRouteMissing } from '../../api';
import { getReconciliation } from '../../api/wallet';
import { formatDateTime } from '../../format';
import { navigate } from '../../route';
import { ErrorBanner, PlaceholderRow, RefreshButton } from '../../ui';
import { useLoad } from '../../useLoad';
import { comparisonRows, DIFFERENCE_LABELS, defaultReconciliationDate } from './walletForms';

export function ReconciliationTab({ date }: { date: string | null }) {
  const day = date ?? defaultReconciliationDate();
  const [typed, setTyped] = useState(day);
  // null: the server does not have the reconciliation route yet.
  const load = useCallback(
    (token: string): Promise<ReconciliationReport | null> =>
      getReconciliation(token, day).catch((error: unknown) => {
        if (isRouteMissing(error)) return null;
        throw error;
      }),
    [day],
  );
  const { state, reload } = useLoad(load);
  const report = state.data;

  // The day lives in the URL (#/wallet/reconciliation?date=…), so a reload or a shared link keeps it.
  function show(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (typed === day) reload();
    else navigate({ page: 'wallet', tab: 'reconciliation', date: typed });
  }

  if (state.status === 'ready' && report === null) {
    return <p className="card muted coming-soon">对账即将上线：服务器暂未开放对账接口。</p>;
  }

  return (
    <>
      <form className="toolbar" onSubmit={show}>
        <label className="inline-field">
          <span>对账日期</span>
          <input
            className="input wallet-reconciliation-date"
            type="date"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <button className="button button-primary wallet-reconciliation-show" type="submit">
          查看
        </button>
        <RefreshButton loading={state.status === 'loading'} onRefresh={reload} />
      </form>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}

      <div className="card table-card section" aria-busy={state.status === 'loading'}>
        <h3 className="section-title">{day} 汇总</h3>
        <table className="table wallet-reconciliation-summary">
          <thead>
            <tr>
              <th>项目</th>
              <th className="num">我方记录</th>
              <th className="num">微信支付账单</th>
              <th className="num">差额</th>
            </tr>
          </thead>
          <tbody>
            {report ? (
              comparisonRows(report).map((row) => (
                <tr key={row.label}>
                  <td>{row.label}</td>
                  <td className="num">{row.ours}</td>
                  <td className="num">{row.theirs}</td>
                  <td className={row.difference ? 'num danger-text' : 'num muted'}>{row.difference ?? '一致'}</td>
                </tr>
              ))
            ) : (
              <PlaceholderRow colSpan={4}>{state.status === 'loading' ? '加载中…' : '加载失败'}</PlaceholderRow>
            )}
          </tbody>
        </table>
        {report && <p className="muted table-foot">生成于 {formatDateTime(report.createdAt, true)}</p>}
      </div>

      <div className="card table-card">
        <h3 className="section-title">差异明细</h3>
        <table className="table wallet-reconciliation-differences">
          <thead>
            <tr>
              <th>商户订单号</th>
              <th>差异类型</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {!report ? (
              <PlaceholderRow colSpan={3}>{state.status === 'loading' ? '加载中…' : '加载失败'}</PlaceholderRow>
            ) : report.differences.length === 0 ? (
              <PlaceholderRow colSpan={3}>
                <span className="wallet-reconciliation-clean">无差异</span>
              </PlaceholderRow>
            ) : (
              report.differences.map((difference) => (
                <tr key={`${difference.outTradeNo}:${difference.kind}`} className="wallet-difference-row">
                  <td className="mono">{difference.outTradeNo}</td>
                  <td>
                    <span className="status status-deleted">
                      {DIFFERENCE_LABELS[difference.kind] ?? difference.kind}
                    </span>
                  </td>
                  <td>{difference.detail}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
