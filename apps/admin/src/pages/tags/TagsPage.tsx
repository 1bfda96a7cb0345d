// 标签: manual tags (added to members by hand, in bulk) and rule tags (computed from their conditions every day and
// on demand). The list is searched, filtered by kind, sorted and paged by the server, all in the URL.
import { formatPoints, type Store, type Tag, type TagKind, TagKindLabels, type TagPage } from '@member-hub/shared';
import { useCallback, useState } from 'react';
import { listStores } from '../../api/stores';
import { deleteTag, listTags } from '../../api/tags';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { MEMBERS, navigate, routeHref, type SortOrder, type TagSort, type TagsRoute } from '../../route';
import {
  ConfirmDialog,
  ErrorBanner,
  PageHeader,
  PageNumbers,
  RefreshButton,
  SearchBox,
  SortHeader,
  SuccessBanner,
  TableRows,
} from '../../ui';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import { EvaluationBox } from './EvaluationBox';
import { TagBadge } from './TagBadge';
import { TagDialog } from './TagDialog';
import { TagMembersDialog } from './TagMembersDialog';

const COLUMNS = 7;
/** The server sorts each column one way: names A→Z, the rest biggest / newest first. */
const SORT_ORDER: Record<TagSort, SortOrder> = { name: 'asc', members: 'desc', created: 'desc' };
const KIND_OPTIONS: readonly TagKind[] = ['rule', 'manual'];

/** Stores name the `store` conditions; an empty list when they cannot be read (the condition then has none). */
const loadStores = (token: string): Promise<Store[]> => listStores(token).catch(() => []);

export function TagsPage({ route }: { route: TagsRoute }) {
  const { q, kind, sort, pageNo } = route;
  const load = useCallback(
    (token: string): Promise<TagPage> => listTags(token, { q, kind, sort, pageNo }),
    [q, kind, sort, pageNo],
  );
  const { state, reload, update } = useLoad(load);
  const stores = useLoad(loadStores).state.data ?? [];
  const page = state.data;
  const loading = state.status === 'loading';

  const [editing, setEditing] = useState<Tag | 'new' | null>(null);
  const [bulk, setBulk] = useState<Tag | null>(null);
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const go = (change: Partial<TagsRoute>) => navigate({ ...route, ...change });
  const replace = (tag: Tag) =>
    update((current) => ({ ...current, items: current.items.map((row) => (row.id === tag.id ? tag : row)) }));

  function saved(tag: Tag) {
    const created = editing === 'new';
    setEditing(null);
    setDone(
      created
        ? `已新建标签「${tag.name}」${tag.kind === 'rule' ? '：规则将在下次计算时生效，可点击「立即重新计算」' : ''}`
        : `已保存标签「${tag.name}」${tag.pendingEvaluation ? '：新规则将在下次计算时生效' : ''}`,
    );
    if (created) reload();
    else replace(tag);
  }

  const header = (column: TagSort, label: string, numeric = false) => (
    <SortHeader
      column={column}
      label={label}
      sort={sort}
      order={SORT_ORDER[sort]}
      numeric={numeric}
      className="tag-sort"
      onSort={(next) => go({ sort: next, pageNo: 1 })}
    />
  );

  return (
    <section className="page tags-page">
      <PageHeader title="标签" description="手动标签由店铺为会员添加；规则标签按条件每天自动计算，也可立即重新计算">
        <div className="header-actions">
          <RefreshButton loading={loading} onRefresh={reload} />
          <button
            className="button button-primary tag-new"
            type="button"
            onClick={() => {
              setDone(null);
              setEditing('new');
            }}
          >
            新建标签
          </button>
        </div>
      </PageHeader>

      <EvaluationBox onFinished={reload} />

      <SearchBox
        value={q}
        label="搜索标签"
        placeholder="标签名称"
        maxLength={20}
        className="tag-search"
        onSearch={(text) => go({ q: text, pageNo: 1 })}
      >
        <label className="inline-field">
          <span>类型</span>
          <select
            className="input tag-kind-filter"
            value={kind ?? ''}
            onChange={(event) => go({ kind: KIND_OPTIONS.find((k) => k === event.target.value) ?? null, pageNo: 1 })}
          >
            <option value="">全部</option>
            {KIND_OPTIONS.map((option) => (
              <option key={option} value={option}>
                {TagKindLabels[option]}
              </option>
            ))}
          </select>
        </label>
      </SearchBox>
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <SuccessBanner message={done} />

      <div className="card table-card" aria-busy={loading}>
        <table className="table tag-table">
          <thead>
            <tr>
              {header('name', '名称')}
              <th>类型</th>
              <th>规则 / 说明</th>
              {header('members', '会员数', true)}
              <th>最近计算</th>
              {header('created', '创建时间')}
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody className={loading && page ? 'is-stale' : undefined}>
            <TableRows
              rows={page?.items ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={q === '' && kind === null ? '还没有标签，点击「新建标签」开始' : '没有符合条件的标签'}
            >
              {(tag) => (
                <tr
                  key={tag.id}
                  className="tag-row"
                  data-id={tag.id}
                  data-kind={tag.kind}
                  data-members={tag.memberCount}
                >
                  <td>
                    <TagBadge name={tag.name} color={tag.color} />
                  </td>
                  <td className="nowrap">{TagKindLabels[tag.kind]}</td>
                  <td>
                    {tag.ruleText && <div className="tag-rule-text">{tag.ruleText}</div>}
                    {tag.description && <div className="muted">{tag.description}</div>}
                  </td>
                  <td className="num tag-member-count">
                    <a href={routeHref({ ...MEMBERS, tagId: tag.id })}>{formatPoints(tag.memberCount)}</a>
                  </td>
                  <td className="nowrap">
                    {tag.kind === 'manual' ? (
                      <span className="muted">—</span>
                    ) : tag.evaluatedAt ? (
                      formatDateTime(tag.evaluatedAt)
                    ) : (
                      <span className="muted">尚未计算</span>
                    )}
                    {tag.pendingEvaluation && <div className="status status-inactive">规则已修改，待计算</div>}
                  </td>
                  <td className="nowrap">{formatDateTime(tag.createdAt)}</td>
                  <td className="actions-col">
                    <div className="row-actions">
                      <button className="button button-small tag-edit" type="button" onClick={() => setEditing(tag)}>
                        编辑
                      </button>
                      {tag.kind === 'manual' && (
                        <button className="button button-small tag-bulk" type="button" onClick={() => setBulk(tag)}>
                          批量添加 / 移除
                        </button>
                      )}
                      <button
                        className="button button-small button-text danger-text tag-delete"
                        type="button"
                        onClick={() => setDeleting(tag)}
                      >
                        删除
                      </button>
                    </div>
                  </td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
        <PageNumbers page={page ?? null} pageNo={pageNo} busy={loading} onChange={(next) => go({ pageNo: next })} />
      </div>

      {editing !== null && (
        <TagDialog
          tag={editing === 'new' ? null : editing}
          stores={stores}
          onClose={() => setEditing(null)}
          onSaved={saved}
        />
      )}
      {bulk && (
        <TagMembersDialog
          tag={bulk}
          onClose={() => setBulk(null)}
          onChanged={(result) => replace({ ...bulk, memberCount: result.memberCount })}
        />
      )}
      {deleting && (
        <DeleteTagDialog
          tag={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            setDone(`已删除标签「${deleting.name}」`);
            reload();
          }}
        />
      )}
    </section>
  );
}

function DeleteTagDialog({ tag, onClose, onDeleted }: { tag: Tag; onClose(): void; onDeleted(): void }) {
  const { withToken } = useAuth();
  const { busy, error, run } = useAction('删除失败，请稍后再试');
  async function confirm() {
    if (await run(() => withToken((token) => deleteTag(token, tag.id)))) onDeleted();
  }
  return (
    <ConfirmDialog
      title="删除标签"
      confirmLabel="删除"
      confirmClassName="tag-delete-confirm"
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>
        确定删除标签「{tag.name}」吗？{formatPoints(tag.memberCount)}{' '}
        位会员将不再带有此标签；正被分群使用的标签不能删除。
      </p>
    </ConfirmDialog>
  );
}
