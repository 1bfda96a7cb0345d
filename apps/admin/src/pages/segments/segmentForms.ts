// 分群, the pure part: the editor's form (blank = 不限) <-> SegmentDefinition with every problem in Chinese next to
// its input, the request bodies (a PATCH names only what changed), the server's problems put back next to the inputs,
// and the texts of the count.
import {
  CreateSegmentRequest,
  describeSegment,
  formatPoints,
  type Gender,
  MAX_WINDOW_DAYS,
  type RfmClass,
  type Segment,
  SegmentDefinition,
  type Tag,
  type UpdateSegmentRequest,
} from '@member-hub/shared';
import { formatDateTime } from '../../format';
import { type FieldErrors, type FormCheck, issueMessage, serverIssues } from '../../forms';
import type { TierName } from '../../route';
import { parseWhole } from '../../units';

export type TagMode = 'all' | 'any' | 'none';

export const TAG_MODE_LABELS: Record<TagMode, string> = {
  all: '同时带有以下全部标签',
  any: '带有以下任一标签',
  none: '不带以下任何标签',
};

export const GENDER_OPTIONS: readonly [Gender, string][] = [
  ['female', '女'],
  ['male', '男'],
  ['unknown', '未填写'],
];

export interface SegmentForm {
  name: string;
  description: string;
  tags: Record<TagMode, string[]>;
  /** None ticked = every tier. */
  tiers: TierName[];
  rfmClasses: RfmClass[];
  /** 近 N 天有消费; blank = 不限. */
  activeWithinDays: string;
  /** N 天没有消费; blank = 不限. */
  inactiveDays: string;
  gender: Gender | '';
  birthdayMonths: number[];
  joinedWithinDays: string;
  pointsMin: string;
  pointsMax: string;
  hasPhone: '' | 'yes' | 'no';
}

export type SegmentField =
  | 'name'
  | 'description'
  | 'tags'
  | 'tiers'
  | 'rfmClasses'
  | 'activeWithinDays'
  | 'inactiveDays'
  | 'birthdayMonths'
  | 'joinedWithinDays'
  | 'pointsMin'
  | 'pointsMax';
export type SegmentErrors = FieldErrors<SegmentField>;

export type SegmentBody = ReturnType<typeof CreateSegmentRequest.parse>;

export function emptySegmentForm(): SegmentForm {
  return {
    name: '',
    description: '',
    tags: { all: [], any: [], none: [] },
    tiers: [],
    rfmClasses: [],
    activeWithinDays: '',
    inactiveDays: '',
    gender: '',
    birthdayMonths: [],
    joinedWithinDays: '',
    pointsMin: '',
    pointsMax: '',
    hasPhone: '',
  };
}

const blankOr = (value: number | null) => (value === null ? '' : String(value));

export function segmentToForm(segment: Pick<Segment, 'name' | 'description' | 'definition'>): SegmentForm {
  const { tags, tiers, rfmClasses, activity, profile } = segment.definition;
  return {
    name: segment.name,
    description: segment.description,
    tags: { all: [...tags.all], any: [...tags.any], none: [...tags.none] },
    tiers: [...tiers],
    rfmClasses: [...rfmClasses],
    activeWithinDays: blankOr(activity.activeWithinDays),
    inactiveDays: blankOr(activity.inactiveDays),
    gender: profile.gender ?? '',
    birthdayMonths: [...profile.birthdayMonths],
    joinedWithinDays: blankOr(profile.joinedWithinDays),
    pointsMin: blankOr(profile.points.min),
    pointsMax: blankOr(profile.points.max),
    hasPhone: profile.hasPhone === null ? '' : profile.hasPhone ? 'yes' : 'no',
  };
}

const LABELS: Readonly<Record<string, string>> = { name: '分群名称', description: '说明' };

/** Blank -> null; a whole number in [min, max] -> itself; otherwise the problem, in the field's words. */
function optionalWhole(text: string, min: number, max: number, problem: string): number | null | { problem: string } {
  if (text.trim() === '') return null;
  const value = parseWhole(text);
  return value !== null && value >= min && value <= max ? value : { problem };
}

/** Where a definition's schema problem shows: the input that edits that path. */
function fieldOfPath(path: readonly PropertyKey[]): SegmentField | 'form' {
  const [first, second, third] = path.map(String);
  if (first === 'tags') return 'tags';
  if (first === 'tiers' || first === 'rfmClasses') return first;
  if (first === 'activity') return second === 'activeWithinDays' ? 'activeWithinDays' : 'inactiveDays';
  if (first === 'profile') {
    if (second === 'points') return third === 'min' ? 'pointsMin' : 'pointsMax';
    if (second === 'birthdayMonths') return 'birthdayMonths';
    if (second === 'joinedWithinDays') return 'joinedWithinDays';
  }
  return 'form';
}

/**
 * The definition as typed, or the problems next to the inputs. The shared schema has the last word (tags in two
 * lists, 未消费 longer than 活跃…), its Chinese messages shown as they are.
 */
export function readDefinition(
  form: SegmentForm,
): { ok: true; definition: SegmentDefinition } | { ok: false; errors: SegmentErrors } {
  const errors: SegmentErrors = {};
  const whole = (field: SegmentField, text: string, min: number, max: number, problem: string) => {
    const value = optionalWhole(text, min, max, problem);
    if (value !== null && typeof value === 'object') {
      errors[field] = value.problem;
      return null;
    }
    return value;
  };
  const windowProblem = `请填 1 到 ${MAX_WINDOW_DAYS} 的整数天数，留空表示不限`;
  const activeWithinDays = whole('activeWithinDays', form.activeWithinDays, 1, MAX_WINDOW_DAYS, windowProblem);
  const inactiveDays = whole('inactiveDays', form.inactiveDays, 1, MAX_WINDOW_DAYS, windowProblem);
  const joinedWithinDays = whole('joinedWithinDays', form.joinedWithinDays, 1, 3_650, '请填 1 到 3650 的整数天数');
  const pointsProblem = '积分请填不小于 0 的整数，留空表示不限';
  const min = whole('pointsMin', form.pointsMin, 0, Number.MAX_SAFE_INTEGER, pointsProblem);
  const max = whole('pointsMax', form.pointsMax, 0, Number.MAX_SAFE_INTEGER, pointsProblem);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const result = SegmentDefinition.safeParse({
    tags: form.tags,
    tiers: form.tiers,
    rfmClasses: form.rfmClasses,
    activity: { activeWithinDays, inactiveDays },
    profile: {
      gender: form.gender === '' ? null : form.gender,
      birthdayMonths: [...form.birthdayMonths].sort((a, b) => a - b),
      joinedWithinDays,
      points: { min, max },
      hasPhone: form.hasPhone === '' ? null : form.hasPhone === 'yes',
    },
  });
  if (result.success) return { ok: true, definition: result.data };
  for (const issue of result.error.issues) errors[fieldOfPath(issue.path)] ??= issueMessage(issue, LABELS);
  return { ok: false, errors };
}

/** The whole editor -> the request body, or every problem found. */
export function segmentForm(form: SegmentForm): FormCheck<SegmentBody, SegmentField> {
  const read = readDefinition(form);
  const errors: SegmentErrors = read.ok ? {} : { ...read.errors };
  const named = CreateSegmentRequest.safeParse({
    name: form.name,
    description: form.description,
    definition: read.ok ? read.definition : {},
  });
  if (!named.success) {
    for (const issue of named.error.issues) {
      const field = String(issue.path[0]);
      if (field === 'name' || field === 'description') errors[field] ??= issueMessage(issue, LABELS);
    }
  }
  if (!read.ok || !named.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: named.data };
}

/** A saved segment's PATCH: only what differs from it, or null when nothing does. */
export function segmentPatch(saved: Segment, body: SegmentBody): UpdateSegmentRequest | null {
  const patch: UpdateSegmentRequest = {};
  if (body.name !== saved.name) patch.name = body.name;
  if (body.description !== saved.description) patch.description = body.description;
  if (JSON.stringify(body.definition) !== JSON.stringify(SegmentDefinition.parse(saved.definition))) {
    patch.definition = body.definition;
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The server's VALIDATION_FAILED details (`definition.activity.inactiveDays`, `name`…) next to the inputs. */
export function segmentServerErrors(details: unknown): SegmentErrors {
  const errors: SegmentErrors = {};
  for (const issue of serverIssues(details)) {
    const [first, ...rest] = issue.path.map(String);
    const field =
      first === 'name' || first === 'description' ? first : first === 'definition' ? fieldOfPath(rest) : null;
    if (field && field !== 'form') errors[field] ??= issueMessage(issue, LABELS);
  }
  return errors;
}

/** The sentence of what is typed, tag names filled in from `tags`; null while the form has problems. */
export function definitionSentence(form: SegmentForm, tags: readonly Pick<Tag, 'id' | 'name'>[]): string | null {
  const read = readDefinition(form);
  if (!read.ok) return null;
  const names = new Map(tags.map((tag) => [tag.id, tag.name]));
  return describeSegment(read.definition, { tag: (id) => names.get(id) });
}

/** The tags not in any of the three lists yet: a tag sits in one list at most. */
export function freeTags(form: SegmentForm, tags: readonly Tag[]): Tag[] {
  const taken = new Set([...form.tags.all, ...form.tags.any, ...form.tags.none]);
  return tags.filter((tag) => !taken.has(tag.id));
}

/** "1,234 位会员" */
export function memberCountText(count: number): string {
  return `${formatPoints(count)} 位会员`;
}

/** A saved segment's count: "1,234 位会员 · 统计于 2030-01-01 09:30", or 尚未统计. */
export function savedCountText(segment: Pick<Segment, 'count' | 'countedAt'>): string {
  if (segment.count === null) return '尚未统计';
  const when = segment.countedAt ? ` · 统计于 ${formatDateTime(segment.countedAt)}` : '';
  return `${memberCountText(segment.count)}${when}`;
}
