// One of the segment editor's three tag lists (全部 / 任一 / 不带): the tags picked as removable labels, and a select
// to add one of the tags not used in any list yet.
import type { Tag } from '@member-hub/shared';
import { TagBadge } from '../tags/TagBadge';
import { TAG_MODE_LABELS, type TagMode } from './segmentForms';

export function TagModePicker({
  mode,
  picked,
  tags,
  free,
  onChange,
}: {
  mode: TagMode;
  picked: readonly string[];
  /** Every tag, to name the picked ones. */
  tags: readonly Tag[];
  /** The tags that may still be added. */
  free: readonly Tag[];
  onChange(picked: string[]): void;
}) {
  const label = TAG_MODE_LABELS[mode];
  const byId = new Map(tags.map((tag) => [tag.id, tag]));
  return (
    <div className={`tag-picker tag-picker-${mode}`} data-mode={mode}>
      <span className="tag-picker-label">{label}</span>
      <div className="tag-picker-row">
        {picked.map((id) => {
          const tag = byId.get(id);
          const name = tag?.name ?? '（已删除的标签）';
          return (
            <TagBadge key={id} name={name} color={tag?.color ?? null}>
              <button
                className="tag-badge-remove"
                type="button"
                aria-label={`从「${label}」移除标签「${name}」`}
                onClick={() => onChange(picked.filter((other) => other !== id))}
              >
                ×
              </button>
            </TagBadge>
          );
        })}
        <select
          className="input input-compact tag-picker-add"
          aria-label={`${label}：添加标签`}
          value=""
          disabled={free.length === 0}
          onChange={(event) => {
            if (event.target.value !== '') onChange([...picked, event.target.value]);
          }}
        >
          <option value="">{free.length === 0 ? '没有可添加的标签' : '添加标签…'}</option>
          {free.map((tag) => (
            <option key={tag.id} value={tag.id}>
              {tag.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
