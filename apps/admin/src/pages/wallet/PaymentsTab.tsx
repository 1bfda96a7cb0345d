// 支付记录: top-ups and till payments, newest first, filtered by kind and status, with refunds.
import { formatFen, type PaymentKind, type PaymentRow } from '@member-hub/shared';
import { type FormEvent, useCallback, useState } from 'react';
import { isRouteMissing } from '../../api';
import { listPayments, refundCharge, refundTopUp } from '../../api/wallet';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { newIdempotencyKey } from '../../idempotency';
import { type CursorStack, currentCursor, FIRST_PAGE } from '../../pagination';
import { routeHref } from '../../route';
import { ErrorBanner, FormField, FormModal, OrDash, Pager, RefreshButton, SuccessBanner, TableRows } from '../../ui';
import { formatYuan } from '../../units';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import { PAYMENT_KIND_LABELS, paidWithText, refundForm, refundWarning, statusOptions } from './walletForms';

const COLUMNS = 9;

export function PaymentsTab() {
  const [kind, setKind] = useState<PaymentKind | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [pages, setPages] = useState<CursorStack>(FIRST_PAGE);
  const [refunding, setRefunding] = useState<PaymentRow | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const cursor = currentCursor(pages);
  // null: the server does not have the payments routes yet.
  const load = useCallback(
    (token: string) =>
      listPayments(token, { kind, status, cursor }).catch((error: unknown) => {
        if (isRouteMissing(error)) return null;
        throw error;
      }),
    [kind, status, cursor],
  );
  const { state, reload } = useLoad(load);
  const loading = state.status === 'loading';
  const missing = state.status === 'ready' && state.data === null;
  const list = state.data ?? null;

  function filter(next: { kind?: PaymentKind | null; status?: string | null }) {
    if (next.kind !== undefined) {
      setKind(next.kind);
      // A status of the other kind would match nothing.
      if (next.kind && status && !statusOptions(next.kind).some(([value]) => value === status)) setStatus(null);
    }
    if (next.status !== undefined) setStatus(next.status);
    setPages(FIRST_PAGE);
  }

  if (missing) return <p className="card muted coming-soon">支付记录即将上线：服务器暂未开放支付接口。</p>;

  return (
    <>
      <div className="toolbar">
        <select
          className="input wallet-payments-kind"
          aria-label="按类型筛选"
          value={kind ?? ''}
          onChange={(event) => filter({ kind: (event.target.value || null) as PaymentKind | null })}
        >
          <option value="">全部类型</option>
          {Object.entries(PAYMENT_KIND_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <select
          className="input wallet-payments-status"
          aria-label="按状态筛选"
          value={status ?? ''}
          onChange={(event) => filter({ status: event.target.value || null })}
        >
          <option value="">全部状态</option>
          {statusOptions(kind).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <RefreshButton loading={loading} onRefresh={reload} />
      </div>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <SuccessBanner message={done} />

      <div className="card table-card" aria-busy={loading}>
        <table className="table wallet-payments">
          <thead>
            <tr>
              <th>时间</th>
              <th>类型</th>
              <th>会员</th>
              <th>说明</th>
              <th className="num">金额</th>
              <th>支付方式</th>
              <th>状态</th>
              <th className="num">已退款</th>
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody className={loading && list ? 'is-stale' : undefined}>
            <TableRows
              rows={list?.payments ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={kind || status ? '没有符合筛选条件的支付记录' : '暂无支付记录'}
            >
              {(row) => (
                <tr key={`${row.kind}:${row.id}`} className="wallet-payment-row" data-payment-id={row.id}>
                  <td className="nowrap">{formatDateTime(row.createdAt)}</td>
                  <td className="nowrap">{PAYMENT_KIND_LABELS[row.kind] ?? row.kind}</td>
                  <td>
                    <a className="mono" href={routeHref({ page: 'member', id: row.memberId })}>
                      {row.memberNo}
                    </a>
                  </td>
                  <td>
                    {row.description}
                    <div className="muted mono" title="微信支付商户订单号">
                      <OrDash value={row.outTradeNo} />
                    </div>
                  </td>
                  <td className="num">{formatFen(row.amountFen)}</td>
                  <td>{paidWithText(row)}</td>
                  <td>
                    <span className="status wallet-payment-status" data-status={row.status}>
                      {row.statusLabel}
                    </span>
                  </td>
                  <td className="num wallet-payment-refunded">
                    {row.refundedFen > 0 ? formatFen(row.refundedFen) : <OrDash value={null} />}
                  </td>
                  <td className="actions-col">
                    {row.refundableFen > 0 && (
                      <button
                        className="button button-small button-danger wallet-payment-refund"
                        type="button"
                        onClick={() => {
                          setDone(null);
                          setRefunding(row);
                        }}
                      >
                        退款
                      </button>
                    )}
                  </td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
        <Pager pages={pages} next={list?.nextCursor ?? null} busy={loading} onChange={setPages} />
      </div>

      {refunding && (
        <RefundDialog
          row={refunding}
          onClose={() => setRefunding(null)}
          onDone={(message) => {
            setRefunding(null);
            setDone(message);
            reload();
          }}
        />
      )}
    </>
  );
}

/** 退款: one idempotency key per opened dialog, so a double click or a retry after a lost answer refunds once. */
function RefundDialog({ row, onClose, onDone }: { row: PaymentRow; onClose(): void; onDone(message: string): void }) {
  const { withToken } = useAuth();
  const [idempotencyKey] = useState(() => newIdempotencyKey());
  const [amount, setAmount] = useState(() => formatYuan(row.refundableFen));
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction('退款失败，请稍后再试');

  async function submit(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const form = refundForm(row, { amount, reason, idempotencyKey });
    if (!form.ok) {
      setError(form.message);
      return;
    }
    await run(async () => {
      await withToken((token) =>
        form.kind === 'top_up' ? refundTopUp(token, row.id, form.body) : refundCharge(token, row.id, form.body),
      );
      onDone(
        form.kind === 'top_up'
          ? `已提交充值退款（${row.memberNo}），退款结果以微信支付通知为准`
          : `已提交退款 ${formatFen(form.fen)}（${row.memberNo}）`,
      );
    });
  }

  return (
    <FormModal
      title={row.kind === 'top_up' ? '充值退款' : '储值消费退款'}
      formId="wallet-refund-form"
      formClassName="wallet-refund"
      submitClassName="wallet-refund-submit button-danger"
      submitLabel="确认退款"
      savingLabel="提交中…"
      saving={busy}
      onSubmit={submit}
      onClose={onClose}
    >
      <p>
        {PAYMENT_KIND_LABELS[row.kind]} · 会员 {row.memberNo} · {row.description} · {formatFen(row.amountFen)}
      </p>
      <p className="banner banner-warning wallet-refund-warning">{refundWarning(row)}</p>
      {row.kind === 'charge' ? (
        <FormField label={`退款金额（元，最多 ${formatFen(row.refundableFen)}）`}>
          <input
            className="input input-number wallet-refund-amount"
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
          />
        </FormField>
      ) : (
        <FormField label="退款原因（选填，会员可见）">
          <input
            className="input wallet-refund-reason"
            maxLength={80}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </FormField>
      )}
      <ErrorBanner message={error} />
    </FormModal>
  );
}
