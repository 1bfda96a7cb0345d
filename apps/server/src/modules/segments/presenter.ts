import type { Segment } from '@member-hub/shared';
import type { SegmentDoc } from './model';

export function presentSegment(s: SegmentDoc, summary: string): Segment {
  return {
    id: s._id.toHexString(),
    name: s.name,
    description: s.description,
    definition: s.definition,
    summary,
    count: s.count,
    countedAt: s.countedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
