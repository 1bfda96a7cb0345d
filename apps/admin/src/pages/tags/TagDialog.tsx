// 新建 / 编辑标签: name, kind (chosen once, at creation), colour and description, and for a rule tag its conditions
// with the sentence they read as. A changed rule takes effect at the next evaluation.
import { type Store, type Tag, TagKindLabels } from '@member-hub/shared';
import { createTag, updateTag } from '../../api/tags';
import { CatalogueDialog, useItemEditor } from '../../catalogue';
import { inputClass } from '../../forms';
import { FieldWithError, FormField } from '../../ui';
import { RuleBuilder } from './ConditionFields';
import { TagBadge } from './TagBadge';
import {
  emptyTagForm,
  TAG_COLORS,
  type TagBody,
  type TagErrors,
  type TagForm,
  tagForm,
  tagPatch,
  tagServerErrors,
  tagToForm,
} from './tagForms';

export function TagDialog({
  tag,
  stores,
  onClose,
  onSaved,
}: {
  tag: Tag | null;
  stores: readonly Store[];
  onClose(): void;
  onSaved(tag: Tag): void;
}) {
  const editor = useItemEditor<Tag, TagForm, TagErrors, TagBody>(tag, onSaved, {
    toForm: tagToForm,
    empty: () => emptyTagForm(),
    check: tagForm,
    create: createTag,
    // Only what changed is sent: an unchanged rule stays evaluated.
    update: async (token, id, body) => {
      if (!tag) throw new Error('update is only called for a saved tag');
      const patch = tagPatch(tag, body);
      return patch ? updateTag(token, id, patch) : tag;
    },
    serverErrors: tagServerErrors,
  });
  const { form, errors, set, change } = editor;

  return (
    <CatalogueDialog name="tag" title={tag ? `编辑标签「${tag.name}」` : '新建标签'} editor={editor} onClose={onClose}>
      <div className="form-row">
        <FieldWithError path="name" label="标签名称" htmlFor="tag-name" error={errors.name}>
          <input id="tag-name" maxLength={30} {...editor.input('name')} />
        </FieldWithError>
        <FormField label="颜色" htmlFor="tag-color">
          <select
            id="tag-color"
            className={inputClass(errors.color)}
            value={form.color}
            onChange={(event) => set('color', event.target.value)}
          >
            {TAG_COLORS.map(([color, label]) => (
              <option key={color} value={color}>
                {label}
              </option>
            ))}
          </select>
        </FormField>
        <span className="field">
          <span>预览</span>
          <TagBadge name={form.name.trim() || '标签'} color={form.color || null} />
        </span>
      </div>

      {tag ? (
        <p className="muted">类型：{TagKindLabels[tag.kind]}（创建后不能修改）</p>
      ) : (
        <div className="inline-field" role="radiogroup" aria-label="标签类型">
          <span>类型</span>
          {(['rule', 'manual'] as const).map((kind) => (
            <label key={kind} className="radio">
              <input
                type="radio"
                name="tag-kind"
                className={`tag-kind-${kind}`}
                checked={form.kind === kind}
                onChange={() =>
                  change(
                    () => ({
                      ...emptyTagForm(kind),
                      name: form.name,
                      color: form.color,
                      description: form.description,
                    }),
                    'conditions',
                  )
                }
              />
              {TagKindLabels[kind]}
              <span className="muted">{kind === 'rule' ? '（按条件每天自动计算）' : '（手动为会员添加或移除）'}</span>
            </label>
          ))}
        </div>
      )}

      <FieldWithError path="description" label="说明（可不填）" htmlFor="tag-description" error={errors.description}>
        <input id="tag-description" maxLength={110} {...editor.input('description', 'input-wide')} />
      </FieldWithError>

      {form.kind === 'rule' && (
        <RuleBuilder
          conditions={form.conditions}
          errors={errors}
          stores={stores}
          onChange={(conditions, ...fields) => change((current) => ({ ...current, conditions }), ...fields)}
        />
      )}
    </CatalogueDialog>
  );
}
