// 新建 / 编辑分群: tags (all / any / none), tiers, RFM classes, activity and profile fields, with the live count of
// what is typed (asked again once the owner pauses, never for a form with problems), a few sample members (phones
// masked) and the count saved with the segment.
import {
  RfmClassInfo,
  type Segment,
  type SegmentDefinition,
  type SegmentPreview,
  type Tag,
  TierNames,
} from '@member-hub/shared';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { createSegment, deleteSegment, getSegment, previewSegment, updateSegment } from '../../api/segments';
import { listAllTags } from '../../api/tags';
import { useAuth } from '../../auth';
import { clearFlash, peekFlash, setFlash } from '../../flash';
import { formatDateTime } from '../../format';
import { MEMBERS, navigate, routeHref } from '../../route';
import {
  CheckGroup,
  ConfirmDialog,
  ErrorBanner,
  FieldWithError,
  FormField,
  PageHeader,
  SuccessBanner,
  TableRows,
} from '../../ui';
import { useAction } from '../../useAction';
import { useDebounced } from '../../useDebounced';
import { useFormEditor, useFormFrom } from '../../useFormEditor';
import { useLoad } from '../../useLoad';
import { MemberCells } from '../members/MemberCells';
import { RFM_CLASSES } from '../rfm/rfmForms';
import { TagBadges } from '../tags/TagBadge';
import {
  definitionSentence,
  emptySegmentForm,
  freeTags,
  GENDER_OPTIONS,
  memberCountText,
  readDefinition,
  type SegmentErrors,
  type SegmentForm,
  savedCountText,
  segmentForm,
  segmentPatch,
  segmentServerErrors,
  segmentToForm,
  type TagMode,
} from './segmentForms';
import { TagModePicker } from './TagModePicker';

/** How long the owner pauses before the live count is asked again. */
const PREVIEW_DELAY_MS = 400;
const TAG_MODES: readonly TagMode[] = ['all', 'any', 'none'];
const TIER_OPTIONS = TierNames.map((tier) => [tier, tier] as const);
const RFM_OPTIONS = RFM_CLASSES.map((rfmClass) => [rfmClass, RfmClassInfo[rfmClass].name] as const);
const MONTH_OPTIONS = Array.from({ length: 12 }, (_, index) => [index + 1, `${index + 1} 月`] as const);
const SAMPLE_COLUMNS = 5;

const flashKey = (id: string) => `segment:${id}`;

type NumberField = 'activeWithinDays' | 'inactiveDays' | 'joinedWithinDays' | 'pointsMin' | 'pointsMax';

/** Keyed by the segment's id (App): another segment's page starts fresh. */
export function SegmentEditorPage({ id }: { id: string }) {
  const isNew = id === 'new';
  const loadSegment = useCallback(
    (token: string): Promise<Segment | null> => (isNew ? Promise.resolve(null) : getSegment(token, id)),
    [id, isNew],
  );
  const saved = useLoad(loadSegment);
  const tags = useLoad(listAllTags);

  const failed = saved.state.status === 'failed' ? saved.state.message : null;
  if (!isNew && !saved.state.data) {
    return (
      <section className="page segment-editor-page">
        <BackLink />
        {failed ? <ErrorBanner message={failed} /> : <p className="card muted">加载中…</p>}
      </section>
    );
  }
  return (
    <SegmentEditor
      segment={saved.state.data}
      tags={tags.state.data ?? []}
      tagsError={tags.state.status === 'failed' ? tags.state.message : null}
      onSaved={(next) => saved.update(() => next)}
    />
  );
}

function BackLink() {
  return (
    <a className="back-link" href={routeHref({ page: 'segments', q: '', pageNo: 1 })}>
      ← 返回分群列表
    </a>
  );
}

function SegmentEditor({
  segment,
  tags,
  tagsError,
  onSaved,
}: {
  segment: Segment | null;
  tags: readonly Tag[];
  tagsError: string | null;
  onSaved(segment: Segment): void;
}) {
  const { withToken } = useAuth();
  const editor = useFormEditor<SegmentForm, SegmentErrors>(() =>
    segment ? segmentToForm(segment) : emptySegmentForm(),
  );
  const { form, errors, set, change } = editor;
  useFormFrom(editor, segment, segmentToForm);
  const savedId = segment?.id ?? null;
  const [notice] = useState(() => (savedId ? peekFlash(flashKey(savedId)) : null));
  useEffect(() => {
    if (savedId) clearFlash(flashKey(savedId));
  }, [savedId]);
  const [deleting, setDeleting] = useState(false);

  const read = readDefinition(form);
  const sentence = definitionSentence(form, tags);
  const free = freeTags(form, tags);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await editor.submit(
      segmentForm(form),
      async (body) => {
        if (!segment) {
          const created = await withToken((token) => createSegment(token, body));
          setFlash(flashKey(created.id), `已新建分群「${created.name}」：${savedCountText(created)}`);
          navigate({ page: 'segment', id: created.id });
          return;
        }
        const patch = segmentPatch(segment, body);
        if (!patch) {
          editor.setDone('没有需要保存的修改');
          return;
        }
        const next = await withToken((token) => updateSegment(token, segment.id, patch));
        onSaved(next);
        editor.setDone(`已保存：${savedCountText(next)}`);
      },
      segmentServerErrors,
    );
  }

  /** A number of days or points; blank = 不限. */
  const numberField = (field: NumberField, label: string) => (
    <FieldWithError path={field} label={label} htmlFor={`segment-${field}`} error={errors[field]}>
      <input id={`segment-${field}`} inputMode="numeric" placeholder="不限" {...editor.input(field, 'input-number')} />
    </FieldWithError>
  );

  return (
    <section className="page segment-editor-page">
      <BackLink />
      <PageHeader
        title={segment ? `编辑分群「${segment.name}」` : '新建分群'}
        description="各项条件同时满足的会员属于该分群；留空或都不选表示不限"
      >
        {segment && (
          <div className="header-actions">
            <a className="button" href={routeHref({ ...MEMBERS, segmentId: segment.id })}>
              查看会员
            </a>
            <button className="button button-danger segment-delete" type="button" onClick={() => setDeleting(true)}>
              删除
            </button>
          </div>
        )}
      </PageHeader>
      <SuccessBanner message={notice} />
      <ErrorBanner message={tagsError} />

      <div className="two-columns segment-editor">
        <form className="card section form-stack segment-form" onSubmit={save} noValidate>
          <div className="form-row">
            <FieldWithError path="name" label="分群名称" htmlFor="segment-name" error={errors.name}>
              <input id="segment-name" maxLength={40} {...editor.input('name')} />
            </FieldWithError>
            <FieldWithError
              path="description"
              label="说明（可不填）"
              htmlFor="segment-description"
              error={errors.description}
            >
              <input id="segment-description" maxLength={210} {...editor.input('description', 'input-wide')} />
            </FieldWithError>
          </div>

          <fieldset className="field segment-tags" data-path="tags">
            <legend>标签</legend>
            {TAG_MODES.map((mode) => (
              <TagModePicker
                key={mode}
                mode={mode}
                picked={form.tags[mode]}
                tags={tags}
                free={free}
                onChange={(picked) =>
                  change((current) => ({ ...current, tags: { ...current.tags, [mode]: picked } }), 'tags')
                }
              />
            ))}
            {errors.tags && <p className="inline-error">{errors.tags}</p>}
          </fieldset>

          <CheckGroup
            legend="会员等级（都不选 = 全部等级）"
            className="segment-tier"
            options={TIER_OPTIONS}
            value={form.tiers}
            error={errors.tiers}
            onChange={(tiers) => set('tiers', tiers)}
          />
          <CheckGroup
            legend="RFM 分类（都不选 = 不限；按最近一次计算）"
            className="segment-rfm"
            options={RFM_OPTIONS}
            value={form.rfmClasses}
            error={errors.rfmClasses}
            onChange={(rfmClasses) => set('rfmClasses', rfmClasses)}
          />

          <fieldset className="field">
            <legend>活跃度</legend>
            <div className="form-row">
              {numberField('activeWithinDays', '近 N 天有消费')}
              {numberField('inactiveDays', 'N 天没有消费')}
            </div>
          </fieldset>

          <fieldset className="field">
            <legend>会员资料</legend>
            <div className="form-row">
              <FormField label="性别" htmlFor="segment-gender">
                <select
                  id="segment-gender"
                  className="input"
                  value={form.gender}
                  onChange={(event) => set('gender', GENDER_OPTIONS.find(([g]) => g === event.target.value)?.[0] ?? '')}
                >
                  <option value="">不限</option>
                  {GENDER_OPTIONS.map(([gender, label]) => (
                    <option key={gender} value={gender}>
                      {label}
                    </option>
                  ))}
                </select>
              </FormField>
              <FormField label="手机号" htmlFor="segment-hasPhone">
                <select
                  id="segment-hasPhone"
                  className="input"
                  value={form.hasPhone}
                  onChange={(event) =>
                    set('hasPhone', event.target.value === 'yes' ? 'yes' : event.target.value === 'no' ? 'no' : '')
                  }
                >
                  <option value="">不限</option>
                  <option value="yes">已绑定</option>
                  <option value="no">未绑定</option>
                </select>
              </FormField>
              {numberField('joinedWithinDays', '近 N 天入会')}
            </div>
            <div className="form-row">
              {numberField('pointsMin', '积分不少于')}
              {numberField('pointsMax', '积分不超过')}
            </div>
            <CheckGroup
              legend="生日月份（都不选 = 不限）"
              className="segment-month"
              options={MONTH_OPTIONS}
              value={form.birthdayMonths}
              error={errors.birthdayMonths}
              onChange={(months) => set('birthdayMonths', months)}
            />
          </fieldset>

          <ErrorBanner message={editor.error} />
          <SuccessBanner message={editor.done} />
          <div className="form-actions">
            <button className="button button-primary segment-save" type="submit" disabled={editor.busy}>
              {editor.busy ? '保存中…' : '保存'}
            </button>
          </div>
        </form>

        <LivePreview definition={read.ok ? read.definition : null} sentence={sentence} segment={segment} />
      </div>

      {deleting && segment && <DeleteDialog segment={segment} onClose={() => setDeleting(false)} />}
    </section>
  );
}

/** The live count of `definition` (null while the form has problems), asked once the owner pauses. */
function useLivePreview(definition: SegmentDefinition | null) {
  const key = useDebounced(definition ? JSON.stringify(definition) : null, PREVIEW_DELAY_MS);
  const load = useCallback(
    (token: string): Promise<SegmentPreview | null> =>
      key === null ? Promise.resolve(null) : previewSegment(token, JSON.parse(key) as SegmentDefinition),
    [key],
  );
  const preview = useLoad(load);
  const typed = definition ? JSON.stringify(definition) : null;
  return { ...preview, settled: typed === key };
}

function LivePreview({
  definition,
  sentence,
  segment,
}: {
  definition: SegmentDefinition | null;
  sentence: string | null;
  segment: Segment | null;
}) {
  const { state, settled } = useLivePreview(definition);
  const preview = definition ? state.data : null;
  const counting = definition !== null && (!settled || state.status === 'loading');
  return (
    <aside className="card section segment-preview" aria-live="polite" aria-busy={counting}>
      <h3 className="section-title">实时人数</h3>
      {definition === null ? (
        <p className="muted">请先修改标红的条件</p>
      ) : (
        <>
          <p
            className="stat-value segment-live-count"
            data-count={preview && !counting ? preview.count : ''}
            data-state={counting ? 'counting' : 'ready'}
          >
            {preview ? memberCountText(preview.count) : '统计中…'}
          </p>
          <p className="muted">
            {counting
              ? '条件已修改，正在重新统计…'
              : preview
                ? `统计于 ${formatDateTime(preview.countedAt, true)}`
                : ''}
          </p>
        </>
      )}
      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <p className="segment-sentence">{sentence ?? '—'}</p>
      {segment && <p className="muted segment-saved-count">已保存的人数：{savedCountText(segment)}</p>}

      <h4 className="section-title">部分会员</h4>
      <table className="table segment-sample">
        <thead>
          <tr>
            <th>会员号</th>
            <th>昵称</th>
            <th>手机</th>
            <th>等级</th>
            <th>标签</th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={preview?.sample ?? null}
            loading={counting}
            colSpan={SAMPLE_COLUMNS}
            empty="没有符合条件的会员"
          >
            {(member) => (
              <tr key={member.memberId}>
                <MemberCells member={member} />
                <td>
                  <TagBadges tags={member.tags} />
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
    </aside>
  );
}

function DeleteDialog({ segment, onClose }: { segment: Segment; onClose(): void }) {
  const { withToken } = useAuth();
  const { busy, error, run } = useAction('删除失败，请稍后再试');
  async function confirm() {
    const ok = await run(() => withToken((token) => deleteSegment(token, segment.id)));
    if (ok) navigate({ page: 'segments', q: '', pageNo: 1 });
  }
  return (
    <ConfirmDialog
      title="删除分群"
      confirmLabel="删除"
      confirmClassName="segment-delete-confirm"
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>确定删除分群「{segment.name}」吗？已发出的券不受影响，发券记录仍保留当时的分群条件。</p>
    </ConfirmDialog>
  );
}
