import { fixMessage, inputClass, toggled, withoutErrors } from './forms';

describe('withoutErrors', () => {
  it('drops the problems of the fields given', () => {
    expect(withoutErrors({ name: '请输入名称', pay: '请输入金额', form: '名称重复' }, ['name', 'form'])).toEqual({
      pay: '请输入金额',
    });
  });

  it('answers the same object when none of the fields has a problem (no re-render)', () => {
    const errors = { pay: '请输入金额' };
    expect(withoutErrors(errors, ['name'])).toBe(errors);
    expect(withoutErrors(errors, [])).toBe(errors);
  });
});

describe('fixMessage', () => {
  it('counts the problems to fix', () => {
    expect(fixMessage({ name: 'a', pay: 'b' })).toBe('有 2 处需要修改，请查看标红的项');
    expect(fixMessage({ 'tiers.1.threshold': 'a' }, '服务器未通过校验：')).toBe(
      '服务器未通过校验：有 1 处需要修改，请查看标红的项',
    );
  });

  it('says the problem no input owns instead', () => {
    expect(fixMessage({ name: 'a', form: '结束日期不能早于开始日期' })).toBe('结束日期不能早于开始日期');
  });
});

describe('inputClass', () => {
  it('marks an input with a problem', () => {
    expect(inputClass(undefined)).toBe('input');
    expect(inputClass(null, 'input-number')).toBe('input input-number');
    expect(inputClass('请输入金额', 'input-number wallet-package-pay')).toBe(
      'input input-number wallet-package-pay is-invalid',
    );
    expect(inputClass('请填写')).toBe('input is-invalid');
  });
});

describe('toggled', () => {
  it('ticks at the end and unticks wherever it is', () => {
    expect(toggled(['a', 'b'], 'c', true)).toEqual(['a', 'b', 'c']);
    expect(toggled([1, 2, 3], 2, false)).toEqual([1, 3]);
  });
});
