import { EMPTY_SEGMENT_DEFINITION } from '@member-hub/shared';
import { manualTag, OTHER_TAG_ID, ruleTag, segment, TAG_ID } from '../../testing/segment-fixtures';
import {
  definitionSentence,
  emptySegmentForm,
  freeTags,
  readDefinition,
  type SegmentForm,
  savedCountText,
  segmentForm,
  segmentPatch,
  segmentServerErrors,
  segmentToForm,
} from './segmentForms';

const form = (patch: Partial<SegmentForm> = {}): SegmentForm => ({
  ...emptySegmentForm(),
  name: ' 金卡人群 ',
  ...patch,
});

describe('readDefinition', () => {
  it('reads blanks as 不限: the empty form is every member', () => {
    expect(readDefinition(emptySegmentForm())).toEqual({ ok: true, definition: EMPTY_SEGMENT_DEFINITION });
  });

  it('reads every field', () => {
    const read = readDefinition(
      form({
        tags: { all: [TAG_ID], any: [], none: [OTHER_TAG_ID] },
        tiers: ['金卡', '黑钻'],
        rfmClasses: ['important_value'],
        activeWithinDays: '90',
        inactiveDays: '30',
        gender: 'female',
        birthdayMonths: [5, 3],
        joinedWithinDays: '365',
        pointsMin: '100',
        pointsMax: '',
        hasPhone: 'yes',
      }),
    );
    expect(read).toEqual({
      ok: true,
      definition: {
        tags: { all: [TAG_ID], any: [], none: [OTHER_TAG_ID] },
        tiers: ['金卡', '黑钻'],
        rfmClasses: ['important_value'],
        activity: { activeWithinDays: 90, inactiveDays: 30 },
        profile: {
          gender: 'female',
          birthdayMonths: [3, 5],
          joinedWithinDays: 365,
          points: { min: 100, max: null },
          hasPhone: true,
        },
      },
    });
  });

  it.each([
    [{ activeWithinDays: '0' }, 'activeWithinDays', '请填 1 到 1095 的整数天数，留空表示不限'],
    [{ inactiveDays: 'abc' }, 'inactiveDays', '请填 1 到 1095 的整数天数，留空表示不限'],
    [{ activeWithinDays: '30', inactiveDays: '90' }, 'inactiveDays', '同时设置时，未消费天数须小于活跃天数'],
    [{ pointsMin: '-5' }, 'pointsMin', '积分请填不小于 0 的整数，留空表示不限'],
    [{ pointsMin: '500', pointsMax: '100' }, 'pointsMax', '积分上限不能小于下限'],
    [{ joinedWithinDays: '4000' }, 'joinedWithinDays', '请填 1 到 3650 的整数天数'],
    [{ tags: { all: [TAG_ID], any: [TAG_ID], none: [] } }, 'tags', '同一个标签不能同时出现在不同条件里'],
  ] as [Partial<SegmentForm>, string, string][])('refuses %j on %s: %s', (patch, field, message) => {
    const read = readDefinition(form(patch));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors[field as keyof typeof read.errors]).toBe(message);
  });
});

describe('segmentForm', () => {
  it('sends the name trimmed and the definition', () => {
    expect(segmentForm(form({ tiers: ['金卡'] }))).toEqual({
      ok: true,
      body: { name: '金卡人群', description: '', definition: { ...EMPTY_SEGMENT_DEFINITION, tiers: ['金卡'] } },
    });
  });

  it('reports the name and the definition problems together', () => {
    expect(segmentForm(form({ name: '', activeWithinDays: 'x' }))).toEqual({
      ok: false,
      errors: { name: '请填写分群名称', activeWithinDays: '请填 1 到 1095 的整数天数，留空表示不限' },
    });
    expect(segmentForm(form({ name: '名'.repeat(31) }))).toMatchObject({ errors: { name: '分群名称最多 30 个字' } });
  });

  it('round-trips a saved segment, and patches only what changed', () => {
    const same = segmentForm(segmentToForm(segment));
    expect(same.ok && segmentPatch(segment, same.body)).toBeNull();
    const widened = segmentForm({ ...segmentToForm(segment), tiers: ['银卡'] });
    expect(widened.ok && segmentPatch(segment, widened.body)).toEqual({
      definition: { ...segment.definition, tiers: ['银卡'] },
    });
    const renamed = segmentForm({ ...segmentToForm(segment), name: '金卡' });
    expect(renamed.ok && segmentPatch(segment, renamed.body)).toEqual({ name: '金卡' });
  });
});

describe('the server’s problems and the texts', () => {
  it('puts definition paths next to their inputs', () => {
    expect(
      segmentServerErrors([
        { path: ['name'], message: '已有同名分群' },
        { path: 'definition.activity.inactiveDays', message: '同时设置时，未消费天数须小于活跃天数' },
        { path: ['definition', 'profile', 'points', 'max'], message: '积分上限不能小于下限' },
        { path: ['definition', 'tags', 'all'], message: '最多 20 个标签' },
      ]),
    ).toEqual({
      name: '已有同名分群',
      inactiveDays: '同时设置时，未消费天数须小于活跃天数',
      pointsMax: '积分上限不能小于下限',
      tags: '最多 20 个标签',
    });
  });

  it('reads the definition as the shared describeSegment, with tag names', () => {
    const tags = [ruleTag, manualTag];
    expect(definitionSentence(form({ tags: { all: [TAG_ID], any: [], none: [] }, tiers: ['金卡'] }), tags)).toBe(
      '带有标签「金卡会员」 且 金卡',
    );
    expect(definitionSentence(emptySegmentForm(), tags)).toBe('全部会员');
    expect(definitionSentence(form({ pointsMin: 'x' }), tags)).toBeNull();
  });

  it('offers each tag in one list only', () => {
    expect(freeTags(form({ tags: { all: [], any: [], none: [TAG_ID] } }), [ruleTag, manualTag])).toEqual([manualTag]);
  });

  it('writes the saved count', () => {
    expect(savedCountText({ count: null, countedAt: null })).toBe('尚未统计');
    expect(savedCountText({ count: 1_234, countedAt: null })).toBe('1,234 位会员');
    expect(savedCountText({ count: 3, countedAt: '2030-01-01T01:30:00.000Z' })).toMatch(
      /^3 位会员 · 统计于 2030-01-01 \d\d:30$/,
    );
  });
});
