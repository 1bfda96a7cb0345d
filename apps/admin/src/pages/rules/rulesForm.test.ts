import { LoyaltyRules } from '@member-hub/shared';
import { defaultRules, richRules, STORE_ID } from '../../testing/loyalty-fixtures';
import {
  type EarnRuleForm,
  fieldKey,
  formToRules,
  issueText,
  newEarnRule,
  type RulesForm,
  rulesToForm,
  serverFieldErrors,
  splitLines,
  unplacedMessages,
} from './rulesForm';

function errorsOf(form: RulesForm) {
  const result = formToRules(form);
  if (result.ok) throw new Error('expected problems');
  return result.errors;
}

function okRules(form: RulesForm) {
  const result = formToRules(form);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.errors)}`);
  return result.body;
}

function rule<T extends EarnRuleForm['type']>(form: RulesForm, index: number, type: T) {
  const found = form.earnRules[index];
  if (found?.type !== type) throw new Error(`rule ${index} is not ${type}`);
  return found as Extract<EarnRuleForm, { type: T }>;
}

describe('rules <-> form', () => {
  it('shows stored integers in display units', () => {
    const form = rulesToForm(richRules());
    expect(form.maxOffset).toBe('50');
    expect(form.tiers.map((tier) => tier.multiplier)).toEqual(['1', '1.2', '1.5', '2']);
    expect(form.tiers[2]?.benefits).toBe('生日券 ¥20\n每月 ¥20 券\n优先服务');
    expect(form.tasks).toMatchObject({ checkInPoints: '5', streakDays: '7', dailyCap: '200' });
    expect(rule(form, 0, 'excludeCategories').categories).toBe('top_up\nshipping');
    expect(rule(form, 2, 'storeRate')).toMatchObject({ storeId: STORE_ID, multiplier: '2', label: '西湖店双倍' });
    expect(rule(form, 3, 'promotion')).toMatchObject({ multiplier: '1.5', from: '2024-05-01', weekdays: [3] });
  });

  it('gives every rule row its own key', () => {
    const keys = rulesToForm(richRules()).earnRules.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    ['the starting rules', defaultRules],
    ['rules with every earn rule type', richRules],
  ])('round-trips %s unchanged', (_name, make) => {
    expect(okRules(rulesToForm(make()))).toEqual(make());
  });

  it('turns display units back into integers and trims the lists', () => {
    const form = rulesToForm(defaultRules());
    form.maxOffset = '33.33';
    form.tiers[1] = { ...(form.tiers[1] as RulesForm['tiers'][number]), multiplier: '1.25', benefits: ' a \n\n b ' };
    form.pointsPerYuan = ' 2 ';
    const rules = okRules(form);
    expect(rules.maxOffsetBp).toBe(3_333);
    expect(rules.tiers[1]).toMatchObject({ multiplierBp: 12_500, benefits: ['a', 'b'] });
    expect(rules.pointsPerYuan).toBe(2);
  });

  it('keeps a rule type it does not know, params and all', () => {
    const rules = defaultRules();
    rules.earnRules.push({ type: 'birthdayDouble', enabled: false, params: { days: 3 } });
    const form = rulesToForm(rules);
    expect(form.earnRules[2]).toMatchObject({ type: 'other', originalType: 'birthdayDouble' });
    expect(okRules(form).earnRules[2]).toEqual({ type: 'birthdayDouble', enabled: false, params: { days: 3 } });
  });

  it('sends only the promotion params that are filled in, weekdays sorted once each', () => {
    const form = rulesToForm(defaultRules());
    form.earnRules.push({
      ...(newEarnRule('promotion') as Extract<EarnRuleForm, { type: 'promotion' }>),
      label: '周末',
      weekdays: [7, 6, 7],
    });
    const params = okRules(form).earnRules[2]?.params;
    expect(params).toEqual({ label: '周末', multiplierBp: 20_000, weekdays: [6, 7] });
    expect(LoyaltyRules.safeParse(okRules(form)).success).toBe(true);
  });

  it('splits category lists on lines and commas', () => {
    expect(splitLines('top_up, shipping\n 礼品卡、\n\n', true)).toEqual(['top_up', 'shipping', '礼品卡']);
    expect(splitLines('a, b\nc')).toEqual(['a, b', 'c']);
  });
});

describe('checks before saving', () => {
  it('reports unreadable numbers under their stored path', () => {
    const form = rulesToForm(defaultRules());
    form.pointsPerYuan = '1.5';
    form.maxOffset = '50%';
    form.tiers[2] = { ...(form.tiers[2] as RulesForm['tiers'][number]), multiplier: '1.5x' };
    form.tasks.dailyCap = '';
    expect(errorsOf(form)).toEqual({
      pointsPerYuan: '请输入整数',
      maxOffsetBp: '请输入百分比，例如 50（最多 2 位小数）',
      'tiers.2.multiplierBp': '请输入倍数，例如 1.5（最多 4 位小数）',
      'tasks.dailyCap': '请填写',
    });
  });

  it('puts the shared schema bounds in Chinese and in display units', () => {
    const form = rulesToForm(defaultRules());
    form.maxOffset = '120';
    form.tiers[3] = { ...(form.tiers[3] as RulesForm['tiers'][number]), multiplier: '12' };
    form.tasks.streakDays = '1';
    form.pointsPerYuan = '500';
    form.tasks.sharePerDay = '21';
    expect(errorsOf(form)).toEqual({
      maxOffsetBp: '最高抵扣比例不能大于 100%',
      'tiers.3.multiplierBp': '积分倍率不能大于 10 倍',
      'tasks.checkIn.streakDays': '连续签到天数不能小于 2',
      pointsPerYuan: '每消费 ¥1 所得积分不能大于 100',
      'tasks.share.perDay': '每日分享次数不能大于 20',
    });
  });

  it('reports a benefit that is too long on the benefits box', () => {
    const form = rulesToForm(defaultRules());
    form.tiers[0] = { ...(form.tiers[0] as RulesForm['tiers'][number]), benefits: '好'.repeat(41) };
    expect(errorsOf(form)).toEqual({ 'tiers.0.benefits': '权益最多 40 个字' });
  });

  it('checks tier thresholds like the server does', () => {
    const form = rulesToForm(defaultRules());
    form.tiers[2] = { ...(form.tiers[2] as RulesForm['tiers'][number]), threshold: '1000' };
    expect(errorsOf(form)).toEqual({ 'tiers.2.threshold': '等级门槛必须逐级升高' });
    form.tiers[0] = { ...(form.tiers[0] as RulesForm['tiers'][number]), threshold: '10' };
    expect(errorsOf(form)['tiers.0.threshold']).toBe('第一个等级的门槛必须为 0');
  });

  it('does not blame the next tier for a threshold it could not read', () => {
    const form = rulesToForm(defaultRules());
    form.tiers[1] = { ...(form.tiers[1] as RulesForm['tiers'][number]), threshold: 'abc' };
    expect(errorsOf(form)).toEqual({ 'tiers.1.threshold': '请输入整数' });
  });

  it('checks each earn rule form', () => {
    const form = rulesToForm(defaultRules());
    rule(form, 0, 'excludeCategories').categories = ' \n ';
    form.earnRules.push(
      { ...(newEarnRule('storeRate') as Extract<EarnRuleForm, { type: 'storeRate' }>), multiplier: '' },
      {
        ...(newEarnRule('promotion') as Extract<EarnRuleForm, { type: 'promotion' }>),
        from: '2024-06-01',
        to: '2024-05-01',
      },
    );
    expect(errorsOf(form)).toEqual({
      'earnRules.0.params.categories': '请至少填写一个类别',
      'earnRules.2.params.storeId': '请选择门店',
      'earnRules.2.params.multiplierBp': '请填写倍数',
      'earnRules.3.params.label': '请填写活动名称',
      'earnRules.3.params.to': '结束日期不能早于开始日期',
    });
  });

  it('lets a switched-off exclusion keep an empty list', () => {
    const form = rulesToForm(defaultRules());
    const exclusion = rule(form, 0, 'excludeCategories');
    exclusion.categories = '';
    exclusion.enabled = false;
    expect(okRules(form).earnRules[0]).toEqual({
      type: 'excludeCategories',
      enabled: false,
      params: { categories: [] },
    });
  });

  it('refuses more than 20 earn rules with a Chinese message that has no input of its own', () => {
    const form = rulesToForm(defaultRules());
    for (let i = 0; i < 19; i++) form.earnRules.push(newEarnRule('tierMultiplier'));
    const errors = errorsOf(form);
    expect(errors).toEqual({ earnRules: '积分规则最多 20 项' });
    expect(unplacedMessages(form, errors)).toEqual(['积分规则：积分规则最多 20 项']);
  });
});

describe('messages', () => {
  it('maps a list item to its input', () => {
    expect(fieldKey('tiers.1.benefits.2')).toBe('tiers.1.benefits');
    expect(fieldKey('earnRules.0.params.categories.3')).toBe('earnRules.0.params.categories');
    expect(fieldKey('earnRules.0.params.label')).toBe('earnRules.0.params.label');
    expect(fieldKey('maxOffsetBp')).toBe('maxOffsetBp');
  });

  it('keeps Chinese messages and rewrites English ones with the label', () => {
    expect(issueText('tiers.0.threshold', { message: '第一个等级的门槛必须为 0' })).toBe('第一个等级的门槛必须为 0');
    expect(issueText('maxOffsetBp', { code: 'too_big', message: 'Too big', maximum: 10_000, origin: 'number' })).toBe(
      '最高抵扣比例不能大于 100%',
    );
    expect(issueText('expiryMonths', { code: 'invalid_type', message: 'Expected number' })).toBe(
      '积分有效期请输入整数',
    );
    expect(
      issueText('earnRules.1.params.label', { code: 'too_big', message: 'Too big', maximum: 20, origin: 'string' }),
    ).toBe('名称最多 20 个字');
    expect(issueText('whatever.else', { message: 'Invalid input' })).toBe('该项格式不正确');
  });

  it('reads the server VALIDATION_FAILED details into field errors', () => {
    const details = [
      { path: 'tiers.2.threshold', message: '等级门槛必须逐级升高' },
      { path: 'earnRules.1.params.multiplierBp', code: 'too_big', message: 'Too big: expected number to be <=100000' },
      { path: 'earnRules.1.params.multiplierBp', message: 'second problem, same input' },
      { path: 'tasks.dailyCap', code: 'invalid_type', message: 'Invalid input: expected number, received string' },
      { path: 'earnRules.3.type', message: '未知的积分规则 foo' },
      'not an issue',
      { path: 'x' },
    ];
    expect(serverFieldErrors(details)).toEqual({
      'tiers.2.threshold': '等级门槛必须逐级升高',
      'earnRules.1.params.multiplierBp': '倍数不能大于 10 倍',
      'tasks.dailyCap': '每日任务积分上限请输入整数',
      'earnRules.3.type': '未知的积分规则 foo',
    });
    expect(serverFieldErrors(undefined)).toEqual({});
    // As the server sends an earn rule's params problems: zod's text, no code.
    expect(
      serverFieldErrors([
        { path: 'earnRules.0.params.multiplierBp', message: 'Too big: expected number to be <=100000' },
        { path: 'earnRules.0.params.label', message: 'Too big: expected string to have <=20 characters' },
        { path: 'earnRules.0.params.storeId', message: 'Invalid string: must match pattern /^[0-9a-f]{24}$/' },
      ]),
    ).toEqual({
      'earnRules.0.params.multiplierBp': '倍数不能大于 10 倍',
      'earnRules.0.params.label': '名称最多 20 个字',
      'earnRules.0.params.storeId': '门店格式不正确',
    });
    expect(serverFieldErrors({ path: 'x', message: 'y' })).toEqual({});
  });

  it('lists errors without an input of their own with where they belong', () => {
    const form = rulesToForm(richRules());
    const errors = {
      'tiers.1.threshold': '等级门槛必须逐级升高',
      'earnRules.1.type': '未知的积分规则 foo',
      'earnRules.1.params.oops': '格式不正确',
      '': '请求参数有误',
    };
    expect(unplacedMessages(form, errors)).toEqual(['第 2 条积分规则：格式不正确', '请求参数有误']);
  });
});
