import type { TagCondition, TagRun } from '@member-hub/shared';
import { manualTag, ruleTag, STORE_ID, TAG_ID } from '../../testing/segment-fixtures';
import {
  bulkResultText,
  conditionPhrase,
  conditionToForm,
  emptyCondition,
  emptyTagForm,
  readCondition,
  ruleSentence,
  type TagForm,
  tagForm,
  tagPatch,
  tagRunText,
  tagServerErrors,
  tagToForm,
} from './tagForms';

const spend = { ...emptyCondition('spend'), days: '90', amount: '2000' };
const gold = { ...emptyCondition('tier'), tiers: ['金卡' as const] };
const rule = (patch: Partial<TagForm> = {}): TagForm => ({
  ...emptyTagForm('rule'),
  name: ' 高消费金卡 ',
  conditions: [spend, gold],
  ...patch,
});

describe('readCondition', () => {
  it('reads each kind with its own fields, money typed in yuan', () => {
    expect(readCondition(spend)).toEqual({ ok: true, condition: { kind: 'spend', days: 90, op: 'gte', fen: 200_000 } });
    expect(readCondition({ ...emptyCondition('visits'), op: 'lte', count: '0', days: '30' })).toEqual({
      ok: true,
      condition: { kind: 'visits', days: 30, op: 'lte', count: 0 },
    });
    expect(readCondition({ ...emptyCondition('points'), min: '100', max: '' })).toEqual({
      ok: true,
      condition: { kind: 'points', min: 100, max: null },
    });
    expect(readCondition({ ...emptyCondition('birthdayMonth'), months: [4, 3] })).toEqual({
      ok: true,
      condition: { kind: 'birthdayMonth', months: [3, 4] },
    });
    expect(readCondition({ ...emptyCondition('store'), storeIds: [STORE_ID], days: '30' })).toEqual({
      ok: true,
      condition: { kind: 'store', storeIds: [STORE_ID], days: 30 },
    });
    expect(readCondition({ ...emptyCondition('hasPhone'), has: false })).toEqual({
      ok: true,
      condition: { kind: 'hasPhone', has: false },
    });
    expect(readCondition({ ...emptyCondition('joinedWithin'), days: '3000' })).toMatchObject({ ok: true });
  });

  it.each([
    [{ ...emptyCondition('spend'), amount: '' }, 'amount', '请填写金额（元），例如 2000 或 99.5'],
    [{ ...emptyCondition('spend'), amount: '10', days: '0' }, 'days', '天数请填 1 到 1095 的整数'],
    [{ ...emptyCondition('visits'), count: '1.5' }, 'count', '次数请填不小于 0 的整数'],
    [{ ...emptyCondition('couponsUsed'), count: '' }, 'count', '张数请填不小于 0 的整数'],
    [emptyCondition('tier'), 'tiers', '请至少选择一个等级'],
    [emptyCondition('points'), 'min', '请至少填写积分下限或上限'],
    [{ ...emptyCondition('points'), min: '500', max: '100' }, 'max', '积分上限不能小于下限'],
    [emptyCondition('birthdayMonth'), 'months', '请至少选择一个月份'],
    [emptyCondition('store'), 'storeIds', '请至少选择一家门店'],
    [emptyCondition('rfmClass'), 'classes', '请至少选择一个 RFM 分类'],
    [{ ...emptyCondition('joinedWithin'), days: '4000' }, 'days', '天数请填 1 到 3650 的整数'],
  ] as const)('refuses %j on %s: %s', (form, field, message) => {
    const read = readCondition(form);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors[field]).toBe(message);
  });

  it('round-trips every condition of a saved rule', () => {
    const conditions: TagCondition[] = [
      { kind: 'spend', days: 90, op: 'lte', fen: 12_345 },
      { kind: 'couponsUsed', days: 30, op: 'gte', count: 2 },
      { kind: 'rfmClass', classes: ['important_value'] },
      { kind: 'points', min: null, max: 50 },
    ];
    for (const condition of conditions)
      expect(readCondition(conditionToForm(condition))).toEqual({ ok: true, condition });
  });
});

describe('the rule sentence', () => {
  it('reads as the shared describeTagRule, store names filled in', () => {
    expect(ruleSentence([spend, gold])).toBe('近 90 天消费满 ¥2,000.00 且 金卡');
    const store = { ...emptyCondition('store'), storeIds: [STORE_ID], days: '30' };
    expect(ruleSentence([store], { store: () => '西湖店' })).toBe('近 30 天在西湖店消费过');
  });

  it('leaves out and counts the conditions not filled in yet', () => {
    expect(ruleSentence([spend, emptyCondition('tier')])).toBe('近 90 天消费满 ¥2,000.00（另有 1 个条件未填完整）');
    expect(ruleSentence([emptyCondition('tier')])).toBe('1 个条件未填完整');
    expect(ruleSentence([])).toBe('还没有条件');
    expect(conditionPhrase(emptyCondition('tier'))).toBe('会员等级（未填完整）');
  });
});

describe('tagForm', () => {
  it('sends a rule tag with its conditions, trimmed, default colour as null', () => {
    expect(tagForm(rule())).toEqual({
      ok: true,
      body: {
        name: '高消费金卡',
        kind: 'rule',
        description: '',
        color: null,
        rule: {
          all: [
            { kind: 'spend', days: 90, op: 'gte', fen: 200_000 },
            { kind: 'tier', tiers: ['金卡'] },
          ],
        },
      },
    });
  });

  it('sends a manual tag without a rule', () => {
    expect(tagForm({ ...emptyTagForm('manual'), name: '老顾客', color: '#389e0d' })).toEqual({
      ok: true,
      body: { name: '老顾客', kind: 'manual', description: '', color: '#389e0d' },
    });
  });

  it('reports every problem next to its input, each condition by its row', () => {
    const result = tagForm(rule({ name: ' ', conditions: [spend, emptyCondition('tier'), { ...spend, amount: 'x' }] }));
    expect(result).toEqual({
      ok: false,
      errors: {
        name: '请填写标签名称',
        'conditions.1.tiers': '请至少选择一个等级',
        'conditions.2.amount': '请填写金额（元），例如 2000 或 99.5',
      },
    });
    expect(tagForm(rule({ conditions: [] }))).toEqual({ ok: false, errors: { conditions: '请至少添加一个条件' } });
    expect(tagForm(rule({ name: '名'.repeat(21) }))).toMatchObject({
      ok: false,
      errors: { name: '标签名称最多 20 个字' },
    });
  });

  it('round-trips a saved tag through the form', () => {
    expect(tagToForm(ruleTag)).toMatchObject({ name: '金卡会员', kind: 'rule', color: '#d4a017' });
    const body = tagForm(tagToForm(ruleTag));
    expect(body.ok && tagPatch(ruleTag, body.body)).toBeNull();
  });
});

describe('tagPatch', () => {
  it('names only what changed, and the rule only when it did', () => {
    const renamed = tagForm({ ...tagToForm(ruleTag), name: '金卡' });
    expect(renamed.ok && tagPatch(ruleTag, renamed.body)).toEqual({ name: '金卡' });
    const ruled = tagForm({ ...tagToForm(ruleTag), conditions: [spend] });
    expect(ruled.ok && tagPatch(ruleTag, ruled.body)).toEqual({
      rule: { all: [{ kind: 'spend', days: 90, op: 'gte', fen: 200_000 }] },
    });
    const recoloured = tagForm({ ...tagToForm(manualTag), color: '#0958d9', description: '常来' });
    expect(recoloured.ok && tagPatch(manualTag, recoloured.body)).toEqual({ color: '#0958d9', description: '常来' });
  });
});

describe('tagServerErrors', () => {
  it('puts the server’s problems next to the inputs, conditions by row and field', () => {
    expect(
      tagServerErrors([
        { path: ['name'], message: '已有同名标签' },
        { path: 'rule.all.1.fen', message: '金额过大' },
        { path: ['rule'], message: '规则标签需要填写规则' },
        { path: ['other'], message: 'x' },
      ]),
    ).toEqual({ name: '已有同名标签', 'conditions.1.amount': '金额过大', conditions: '规则标签需要填写规则' });
  });
});

describe('texts', () => {
  it('describe a run and a bulk change', () => {
    const run: TagRun = {
      id: 'r1',
      trigger: 'manual',
      status: 'done',
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:01.200Z',
      members: 1_000,
      added: 12,
      removed: 3,
      rfmRunId: null,
      tags: [],
      ms: 1_234,
      error: null,
    };
    expect(tagRunText(run)).toBe('会员 1,000 位 · 新增 12 · 移除 3 · 用时 1.2 秒');
    expect(
      bulkResultText({
        tagId: TAG_ID,
        action: 'add',
        matched: 12,
        changed: 10,
        notFound: ['10000099'],
        memberCount: 30,
      }),
    ).toBe('已为 10 位会员添加标签（2 位原本就有）；1 个会员号没有找到：10000099。现有 30 位会员带此标签');
    expect(
      bulkResultText({ tagId: TAG_ID, action: 'remove', matched: 2, changed: 2, notFound: [], memberCount: 0 }),
    ).toBe('已为 2 位会员移除标签。现有 0 位会员带此标签');
  });
});
