// A tag as a small coloured label: in member rows, sample members, the segment editor's pickers and the tag list.
import type { ReactNode } from 'react';

export function TagBadge({ name, color, children }: { name: string; color: string | null; children?: ReactNode }) {
  return (
    <span className="tag-badge" style={color ? { borderColor: color, color } : undefined}>
      {name}
      {children}
    </span>
  );
}

/** A row's tags, or a muted dash when there are none. */
export function TagBadges({
  tags,
}: {
  tags: readonly { id: string; name: string; color: string | null }[] | undefined;
}) {
  if (!tags || tags.length === 0) return <span className="muted">—</span>;
  return (
    <span className="tag-badges">
      {tags.map((tag) => (
        <TagBadge key={tag.id} name={tag.name} color={tag.color} />
      ))}
    </span>
  );
}
