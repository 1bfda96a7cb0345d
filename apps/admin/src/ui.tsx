// Small building blocks shared by the pages: messages in place, table placeholders, paging, a modal.
import { type ReactNode, useEffect } from 'react';

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

/** The one row a table shows while it has nothing else: 加载中…, 暂无数据 or why it failed. */
export function PlaceholderRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr className="table-placeholder">
      <td colSpan={colSpan}>{children}</td>
    </tr>
  );
}

export function Pager({
  page,
  hasPrevious,
  hasNext,
  busy,
  onPrevious,
  onNext,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  busy: boolean;
  onPrevious(): void;
  onNext(): void;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <div className="pager">
      <button className="button pager-previous" type="button" disabled={busy || !hasPrevious} onClick={onPrevious}>
        上一页
      </button>
      <span className="muted">第 {page} 页</span>
      <button className="button pager-next" type="button" disabled={busy || !hasNext} onClick={onNext}>
        下一页
      </button>
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
export function OrDash({ value }: { value: ReactNode }) {
  return value === null || value === undefined || value === '' ? <span className="muted">—</span> : value;
}
