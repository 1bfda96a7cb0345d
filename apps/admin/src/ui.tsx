// Small building blocks shared by the pages: page headers, form fields, messages in place, table placeholders,
// paging, a modal.
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { toggled } from './forms';
import { type CursorStack, nextPage, pageCount, pageNumber, previousPage, rowRangeText } from './pagination';
import type { SortOrder } from './route';
import { ariaSort } from './sorting';
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

/**
 * A column header that sorts the list: a button (so the keyboard reaches it), the arrow shows the order, aria-sort
 * says it to screen readers. `order` is the list's order (for lists whose columns have a fixed direction, that
 * column's).
 */
export function SortHeader<K extends string>({
  column,
  label,
  sort,
  order,
  numeric = false,
  className,
  onSort,
}: {
  column: K;
  label: string;
  sort: K;
  order: SortOrder;
  numeric?: boolean;
  /** The button's own class (`rfm-sort`, `tag-sort`…). */
  className: string;
  onSort(column: K): void;
}) {
  const active = sort === column;
  const arrow = active ? (order === 'asc' ? '↑' : '↓') : '';
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={ariaSort({ sort, order }, column)}>
      <button
        className={active ? `sort-button ${className} is-active` : `sort-button ${className}`}
        type="button"
        data-sort={column}
        onClick={() => onSort(column)}
      >
        {label}
        <span aria-hidden="true">{arrow}</span>
      </button>
    </th>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A dialog that keeps the keyboard inside it: focus moves in when it opens (the first field, else the first button),
 * Tab and Shift+Tab cycle through its controls, Escape closes it, and focus goes back where it was when it closes.
 */
/** NumberPager under a list once its page has come (`page` null while the first load runs). */
export function PageNumbers({
  page,
  pageNo,
  busy,
  onChange,
}: {
  page: { total: number; pageSize: number } | null;
  pageNo: number;
  busy: boolean;
  onChange(pageNo: number): void;
}) {
  if (!page) return null;
  return <NumberPager pageNo={pageNo} pageSize={page.pageSize} total={page.total} busy={busy} onChange={onChange} />;
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
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
      if (event.key === 'Tab' && dialog.current) keepFocusInside(dialog.current, event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = dialog.current;
    const body = box?.querySelector<HTMLElement>(`.modal-body :is(${FOCUSABLE})`);
    (body ?? box?.querySelector<HTMLElement>(FOCUSABLE) ?? box)?.focus();
    return () => before?.focus();
  }, []);

  return (
    <div className="modal-backdrop">
      <div
        ref={dialog}
        className={wide ? 'modal modal-wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
      >
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

/** Tab from the last control goes to the first, Shift+Tab from the first to the last (and in from outside). */
function keepFocusInside(box: HTMLElement, event: KeyboardEvent): void {
  const controls = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  const outside = !(active instanceof Node) || !box.contains(active);
  if (event.shiftKey && (active === first || outside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || outside)) {
    event.preventDefault();
    first.focus();
  }
}

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

/**
 * A group of checkboxes for picking several of a few options (tiers, RFM classes, months); none ticked usually means
 * 不限, which the legend says. `className` names the group and each box (`${className}-option`).
 */
export function CheckGroup<T extends string | number>({
  legend,
  options,
  value,
  onChange,
  className,
  error,
}: {
  legend: string;
  options: readonly (readonly [T, string])[];
  value: readonly T[];
  onChange(value: T[]): void;
  className: string;
  error?: string;
}) {
  return (
    <fieldset className={`field ${className}`} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      <div className="check-grid">
        {options.map(([option, label]) => (
          <label key={option} className="checkbox">
            <input
              type="checkbox"
              className={`${className}-option`}
              value={option}
              checked={value.includes(option)}
              onChange={(event) => onChange(toggled(value, option, event.target.checked))}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
      <InlineError message={error ?? null} />
    </fieldset>
  );
}

/**
 * A list's search box: the text on screen starts from the URL's (`value`), Enter or 搜索 hands it over trimmed, 清空
 * empties it. Text longer than `maxLength` is refused in place.
 */
export function SearchBox({
  value,
  label,
  placeholder,
  maxLength,
  className,
  onSearch,
  children,
}: {
  value: string;
  label: string;
  placeholder: string;
  maxLength: number;
  /** Names the input (`${className}-input`) and its button (`${className}-submit`). */
  className: string;
  onSearch(text: string): void;
  /** More filters in the same toolbar. */
  children?: ReactNode;
}) {
  const [text, setText] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(value), [value]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = text.trim();
    if (trimmed.length > maxLength) {
      setProblem(`搜索内容最多 ${maxLength} 个字`);
      return;
    }
    setProblem(null);
    onSearch(trimmed);
  }

  return (
    <>
      <form className="toolbar" onSubmit={submit}>
        <input
          className={`input ${className}-input`}
          type="search"
          aria-label={label}
          placeholder={placeholder}
          maxLength={maxLength + 10}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button className={`button button-primary ${className}-submit`} type="submit">
          搜索
        </button>
        {value !== '' && (
          <button
            className="button button-text"
            type="button"
            onClick={() => {
              setText('');
              setProblem(null);
              onSearch('');
            }}
          >
            清空
          </button>
        )}
        {children}
      </form>
      <ErrorBanner message={problem} />
    </>
  );
}

/** A value or a muted dash for "not filled in". */
export function OrDash({ value }: { value: ReactNode }) {
  return value === null || value === undefined || value === '' ? <span className="muted">—</span> : value;
}

/**
 * 确定…吗？ with 取消 and a red confirm button (`confirmClassName`), e.g. before deleting; `error` is why the last
 * try failed.
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  confirmClassName,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  confirmClassName: string;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button className="button" type="button" onClick={onClose}>
            取消
          </button>
          <button
            className={`button button-danger ${confirmClassName}`}
            type="button"
            onClick={onConfirm}
            disabled={busy}
          >
            {busy ? '处理中…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      <ErrorBanner message={error} />
    </Modal>
  );
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
