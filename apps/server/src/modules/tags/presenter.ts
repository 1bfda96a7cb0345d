import { describeTagRule, type Tag, type TagRun } from '@member-hub/shared';
import type { TagDoc, TagRunDoc } from './model';

export function presentTag(t: TagDoc, storeNames: Map<string, string>): Tag {
  return {
    id: t._id.toHexString(),
    name: t.name,
    kind: t.kind,
    description: t.description,
    color: t.color,
    rule: t.rule,
    ruleText: t.rule ? describeTagRule(t.rule, { store: (id) => storeNames.get(id) }) : null,
    memberCount: t.memberCount,
    evaluatedAt: t.evaluatedAt?.toISOString() ?? null,
    pendingEvaluation: t.kind === 'rule' && t.evaluatedVersion !== t.ruleVersion,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function presentTagRun(r: TagRunDoc): TagRun {
  return {
    id: r._id,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    members: r.members,
    added: r.added,
    removed: r.removed,
    rfmRunId: r.rfmRunId,
    tags: r.tags.map((t) => ({
      tagId: t.tagId.toHexString(),
      name: t.name,
      memberCount: t.memberCount,
      added: t.added,
      removed: t.removed,
    })),
    ms: r.ms,
    error: r.error,
  };
}
