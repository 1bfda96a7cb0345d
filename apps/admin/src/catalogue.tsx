// A catalogue the owner curates (top-up packages, mall gifts, coupon templates): one table of items, each edited in
// a dialog or put on / taken off the shelf from its row. The pages differ only in their columns, rows and forms.
import { type FormEvent, Fragment, type ReactNode, useState } from 'react';
import { useAuth } from './auth';
import type { FieldErrors } from './forms';
import { ErrorBanner, FormModal, InlineError, SuccessBanner, TableRows } from './ui';
import { useAction } from './useAction';
import { type Checked, type FormEditor, useFormEditor } from './useFormEditor';
import type { Loaded } from './useLoad';

export interface Catalogue<T> {
  loaded: Loaded<T[] | null>;
  /** The server does not have the catalogue's routes yet (the load answered null). */
  missing: boolean;
  /** The item in the dialog, 'new' for one being added, null when the dialog is closed. */
  editing: T | 'new' | null;
  /** 已新增「…」 / 已保存「…」 after the last save, cleared when the next edit starts. */
  done: string | null;
  edit(item: T | 'new'): void;
  close(): void;
  /** An item the server saved: into the list (appended when created), dialog closed, the success line set. */
  saved(item: T, created: boolean): void;
}

/**
 * `loaded` answers null where the server has no such routes; `name` is the item's name in the success line;
 * `newFirst` puts a created item on top (for lists the server sends newest first) instead of at the end.
 */
export function useCatalogue<T extends { id: string }>(
  loaded: Loaded<T[] | null>,
  name: (item: T) => string,
  { newFirst = false }: { newFirst?: boolean } = {},
): Catalogue<T> {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return {
    loaded,
    missing: loaded.state.status === 'ready' && loaded.state.data === null,
    editing,
    done,
    edit(item) {
      setDone(null);
      setEditing(item);
    },
    close() {
      setEditing(null);
    },
    saved(item, created) {
      loaded.update((list) => {
        if (list === null) return list;
        if (!created) return list.map((row) => (row.id === item.id ? item : row));
        return newFirst ? [item, ...list] : [...list, item];
      });
      setEditing(null);
      setDone(created ? `已新增「${name(item)}」` : `已保存「${name(item)}」`);
    },
  };
}

/**
 * The catalogue's banners, its table (or `missingText` while the server lacks the routes) and its edit dialog.
 * `row` and `dialog` get what to call on 编辑 and on a save; a row saves only existing items.
 */
export function CatalogueTable<T extends { id: string }>({
  catalogue,
  missingText,
  header,
  tableClassName,
  columns,
  colSpan,
  empty,
  row,
  dialog,
}: {
  catalogue: Catalogue<T>;
  missingText: string;
  /** Above the table, inside its card. */
  header?: ReactNode;
  tableClassName: string;
  /** The header cells. */
  columns: ReactNode;
  colSpan: number;
  empty: ReactNode;
  row(item: T, onEdit: () => void, onSaved: (item: T) => void): ReactNode;
  dialog(item: T | null, onClose: () => void, onSaved: (item: T) => void): ReactNode;
}) {
  const { loaded, missing, editing, done } = catalogue;
  const { state } = loaded;
  return (
    <>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <SuccessBanner message={done} />

      {missing ? (
        <p className="card muted coming-soon">{missingText}</p>
      ) : (
        <div className="card table-card" aria-busy={state.status === 'loading'}>
          {header}
          <table className={`table ${tableClassName}`}>
            <thead>
              <tr>{columns}</tr>
            </thead>
            <tbody>
              <TableRows rows={state.data ?? null} loading={state.status === 'loading'} colSpan={colSpan} empty={empty}>
                {(item) => (
                  <Fragment key={item.id}>
                    {row(
                      item,
                      () => catalogue.edit(item),
                      (next) => catalogue.saved(next, false),
                    )}
                  </Fragment>
                )}
              </TableRows>
            </tbody>
          </table>
        </div>
      )}

      {editing !== null &&
        dialog(editing === 'new' ? null : editing, catalogue.close, (item) => catalogue.saved(item, editing === 'new'))}
    </>
  );
}

/** How a catalogue's edit dialog fills its form, checks it and saves the item. */
export interface ItemEditing<T, F, E extends FieldErrors, B> {
  /** The form for an item being edited… */
  toForm(item: T): F;
  /** …and for a new one. */
  empty(): F;
  check(form: F): Checked<B, E>;
  /** Both answer the item as saved. */
  create(token: string, body: B): Promise<T>;
  update(token: string, id: string, body: B): Promise<T>;
  /** A VALIDATION_FAILED answer's details -> the problems next to the inputs. */
  serverErrors?(details: unknown, form: F): E;
}

export interface ItemEditor<F, E extends FieldErrors> extends FormEditor<F, E> {
  /** 保存: the dialog form's onSubmit. */
  save(event?: FormEvent<HTMLFormElement>): Promise<void>;
}

/** The form of the edit dialog for `item` (null: a new one); 保存 creates or updates it and hands it to `onSaved`. */
export function useItemEditor<T extends { id: string }, F, E extends FieldErrors, B>(
  item: T | null,
  onSaved: (item: T) => void,
  { toForm, empty, check, create, update, serverErrors }: ItemEditing<T, F, E, B>,
): ItemEditor<F, E> {
  const { withToken } = useAuth();
  const editor = useFormEditor<F, E>(() => (item ? toForm(item) : empty()));
  const { form } = editor;

  async function save(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    await editor.submit(
      check(form),
      async (body) => {
        onSaved(await withToken((token) => (item ? update(token, item.id, body) : create(token, body))));
      },
      serverErrors && ((details) => serverErrors(details, form)),
    );
  }

  return { ...editor, save };
}

/**
 * The edit dialog of a catalogue item: one wide form, saved by 保存. `name` makes its class names: the form is
 * `name-form` (its id too), the 保存 button `name-save`.
 */
export function CatalogueDialog({
  name,
  title,
  editor,
  onClose,
  children,
}: {
  name: string;
  title: string;
  editor: Pick<ItemEditor<unknown, FieldErrors>, 'busy' | 'save'>;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <FormModal
      title={title}
      formId={`${name}-form`}
      formClassName={`${name}-form`}
      submitClassName={`${name}-save`}
      submitLabel="保存"
      savingLabel="保存中…"
      saving={editor.busy}
      wide
      onSubmit={editor.save}
      onClose={onClose}
    >
      {children}
    </FormModal>
  );
}

/**
 * A catalogue row's last two cells: whether the item is on sale (`activeLabel`, or `inactiveLabel`), and 操作: 编辑,
 * and 上架 / 下架 (or the `switchLabels` given) saved at once by `toggle` (the item with `active` flipped).
 */
export function ShelfCells<T>({
  active,
  activeLabel,
  inactiveLabel = '已下架',
  switchLabels = { on: '上架', off: '下架' },
  onEdit,
  toggle,
  onSaved,
  editClassName,
  toggleClassName,
}: {
  active: boolean;
  activeLabel: string;
  inactiveLabel?: string;
  /** The button's words: `on` switches an inactive item on, `off` an active one off. */
  switchLabels?: { on: string; off: string };
  onEdit(): void;
  toggle(token: string): Promise<T>;
  onSaved(item: T): void;
  editClassName?: string;
  toggleClassName?: string;
}) {
  const { withToken } = useAuth();
  const { busy, error, run } = useAction();
  const button = (extra?: string) => (extra ? `button button-small ${extra}` : 'button button-small');

  function flip() {
    void run(async () => {
      onSaved(await withToken(toggle));
    });
  }

  return (
    <>
      <td>
        <span className={active ? 'status status-active' : 'status status-inactive'}>
          {active ? activeLabel : inactiveLabel}
        </span>
      </td>
      <td className="actions-col">
        <div className="row-actions">
          <button className={button(editClassName)} type="button" onClick={onEdit} disabled={busy}>
            编辑
          </button>
          <button className={button(toggleClassName)} type="button" onClick={flip} disabled={busy}>
            {busy ? '保存中…' : active ? switchLabels.off : switchLabels.on}
          </button>
        </div>
        <InlineError message={error} />
      </td>
    </>
  );
}
