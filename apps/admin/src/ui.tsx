// Small building blocks shared by the pages: page headers, form fields, messages in place, table placeholders,
// paging, a modal.
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { type CursorStack, nextPage, pageCount, pageNumber, previousPage, rowRangeText } from './pagination';
import type { LoadState } from './useLoad';

/** A page's title and one muted line about it, with the page's buttons (if any) on the right. */
export function PageHeader({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h2>{title}</h2>
        <p className="muted">{description}</p>
      </div>
      {children}
    </header>
  );
}

/** 刷新, or 刷新中… (disabled) while the page is loading. */
export function RefreshButton({ loading, onRefresh }: { loading: boolean; onRefresh(): void }) {
  return (
    <button className="button" type="button" onClick={onRefresh} disabled={loading}>
      {loading ? '刷新中…' : '刷新'}
    </button>
  );
}

/** A labelled form control: the label text above whatever input `children` is. */
export function FormField({
  label,
  className = 'field',
  htmlFor,
  children,
}: {
  label: string;
  className?: string;
  htmlFor?: string;
  children: ReactNode;
}) {
  return (
    <label className={className} htmlFor={htmlFor}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/**
 * A form field with its problem under it. `path` names what it edits (`data-path`): the checks in the browser and the
 * server's VALIDATION_FAILED details key their problems by it.
 */
export function FieldWithError({
  path,
  label,
  htmlFor,
  className = 'field',
  error,
  children,
}: {
  path: string;
  label: string;
  htmlFor?: string;
  className?: string;
  error: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={className} data-path={path}>
      <FormField label={label} htmlFor={htmlFor}>
        {children}
      </FormField>
      <InlineError message={error ?? null} />
    </div>
  );
}

export function ErrorBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="banner banner-error" role="alert">
      {message}
    </p>
  );
}

export function SuccessBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="banner banner-success" role="status">
      {message}
    </p>
  );
}

/** A failure under one row of a table (the page-wide ones are ErrorBanner). */
export function InlineError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="inline-error" role="alert">
      {message}
    </p>
  );
}

/** The one row a table shows while it has nothing else: 加载中…, 暂无数据 or why it failed. */
export function PlaceholderRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr className="table-placeholder">
      <td colSpan={colSpan}>{children}</td>
    </tr>
  );
}

/**
 * A loaded list's table rows: 加载中… / 加载失败 while there is no list yet, `empty` when it has no rows,
 * otherwise `children` for each row.
 */
export function TableRows<T>({
  rows,
  loading,
  colSpan,
  empty,
  children,
}: {
  rows: readonly T[] | null;
  loading: boolean;
  colSpan: number;
  empty: ReactNode;
  children(row: T): ReactNode;
}) {
  if (rows === null) return <PlaceholderRow colSpan={colSpan}>{loading ? '加载中…' : '加载失败'}</PlaceholderRow>;
  if (rows.length === 0) return <PlaceholderRow colSpan={colSpan}>{empty}</PlaceholderRow>;
  return <>{rows.map((row) => children(row))}</>;
}

/** 上一页 / 第 n 页 / 下一页 over a cursor stack; nothing when there is only the one page. */
export function Pager({
  pages,
  next,
  busy,
  onChange,
}: {
  pages: CursorStack;
  /** The cursor of the page after the one on screen, null on the last page. */
  next: string | null;
  busy: boolean;
  onChange(change: (pages: CursorStack) => CursorStack): void;
}) {
  const hasPrevious = pages.length > 1;
  const hasNext = Boolean(next);
  if (!hasPrevious && !hasNext) return null;
  return (
    <div className="pager">
      <button
        className="button pager-previous"
        type="button"
        disabled={busy || !hasPrevious}
        onClick={() => onChange(previousPage)}
      >
        上一页
      </button>
      <span className="muted">第 {pageNumber(pages)} 页</span>
      <button
        className="button pager-next"
        type="button"
        disabled={busy || !hasNext}
        onClick={() => onChange((stack) => nextPage(stack, next))}
      >
        下一页
      </button>
    </div>
  );
}

/** 上一页 / 第 n / m 页 / 下一页 for a list the server pages by number; the row count shows even on one page. */
export function NumberPager({
  pageNo,
  pageSize,
  total,
  busy,
  onChange,
}: {
  pageNo: number;
  pageSize: number;
  total: number;
  busy: boolean;
  onChange(pageNo: number): void;
}) {
  const pages = pageCount(total, pageSize);
  return (
    <div className="pager">
      <span className="muted pager-rows">{rowRangeText(pageNo, pageSize, total)}</span>
      {pages > 1 || pageNo > 1 ? (
        <>
          <button
            className="button pager-previous"
            type="button"
            disabled={busy || pageNo <= 1}
            onClick={() => onChange(Math.min(pageNo - 1, pages))}
          >
            上一页
          </button>
          <span className="muted">
            第 {pageNo} / {pages} 页
          </span>
          <button
            className="button pager-next"
            type="button"
            disabled={busy || pageNo >= pages}
            onClick={() => onChange(pageNo + 1)}
          >
            下一页
          </button>
        </>
      ) : null}
    </div>
  );
}

export function Modal({
  title,
  onClose,
  children,
  footer,
  wide = false,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer: ReactNode;
  wide?: boolean;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="modal-backdrop">
      <div className={wide ? 'modal modal-wide' : 'modal'} role="dialog" aria-modal="true" aria-label={title}>
        <header className="modal-header">
          <h3>{title}</h3>
          <button className="button button-text" type="button" onClick={onClose} aria-label="关闭">
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        <footer className="modal-footer">{footer}</footer>
      </div>
    </div>
  );
}

/** A value or a muted dash for "not filled in". */
/**
 * A stat card's value while it has none: loading, failed (with why), or loaded as null — the server lacks the
 * route, so the figure is 即将上线.
 */
export function StatFallback({ state }: { state: LoadState<unknown> }) {
  if (state.status === 'ready') return <p className="stat-value stat-placeholder">即将上线</p>;
  if (state.status === 'failed') {
    return (
      <>
        <p className="stat-value stat-placeholder">—</p>
        <p className="stat-foot inline-error">{state.message}</p>
      </>
    );
  }
  return <p className="stat-value stat-placeholder">加载中…</p>;
}

export function OrDash({ value }: { value: ReactNode }) {
  return value === null || value === undefined || value === '' ? <span className="muted">—</span> : value;
}

/** A dialog whose body is one form: 取消 and the submit button sit in the footer, bound to the form by its id. */
export function FormModal({
  title,
  formId,
  formClassName,
  submitClassName,
  submitLabel,
  savingLabel,
  saving,
  wide = false,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  formId: string;
  formClassName?: string;
  submitClassName?: string;
  submitLabel: string;
  savingLabel: string;
  saving: boolean;
  wide?: boolean;
  onSubmit(event: FormEvent<HTMLFormElement>): void;
  onClose(): void;
  children: ReactNode;
}) {
  const classes = (base: string, extra?: string) => (extra ? `${base} ${extra}` : base);
  return (
    <Modal
      title={title}
      onClose={onClose}
      wide={wide}
      footer={
        <>
          <button className="button" type="button" onClick={onClose}>
            取消
          </button>
          <button
            className={classes('button button-primary', submitClassName)}
            type="submit"
            form={formId}
            disabled={saving}
          >
            {saving ? savingLabel : submitLabel}
          </button>
        </>
      }
    >
      <form id={formId} className={classes('form-stack', formClassName)} onSubmit={onSubmit} noValidate>
        {children}
      </form>
    </Modal>
  );
}

/**
 * ⓘ next to a label: how a figure is computed. Shown while hovered or focused (a tap focuses it on touch screens);
 * Escape hides it until the pointer or focus comes back. The text is also the button's description, so a screen
 * reader reads it with the label.
 */
export function InfoTip({ label, text, className }: { label: string; text: string; className?: string }) {
  const id = useId();
  const [dismissed, setDismissed] = useState(false);
  return (
    <span className={className ? `info-tip ${className}` : 'info-tip'} data-dismissed={dismissed ? 'true' : undefined}>
      <button
        className="info-tip-button"
        type="button"
        aria-label={`${label}：计算方式`}
        aria-describedby={id}
        onFocus={() => setDismissed(false)}
        onMouseEnter={() => setDismissed(false)}
        onClick={() => setDismissed(false)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDismissed(true);
        }}
      >
        ⓘ
      </button>
      <span className="info-tip-popover" role="tooltip" id={id}>
        {text}
      </span>
    </span>
  );
}
