import { issueMessage } from '../forms';
import { createStaffForm, createStoreForm, resetPasswordForm, updateStoreForm } from './storeForms';

const STORE = '65f0c0ffee0000000000aaaa';

describe('createStoreForm', () => {
  it('trims and sends name, code and address', () => {
    expect(createStoreForm({ name: ' 西湖店 ', code: 'HZ-01', address: '' })).toEqual({
      ok: true,
      body: { name: '西湖店', code: 'HZ-01', address: '' },
    });
  });

  it('uses the shared Chinese messages and makes Chinese ones for length limits', () => {
    expect(createStoreForm({ name: '', code: 'HZ-01', address: '' })).toEqual({ ok: false, message: '请输入门店名称' });
    expect(createStoreForm({ name: '西湖店', code: '杭州', address: '' })).toEqual({
      ok: false,
      message: '门店编码为 2-16 位字母、数字或横线',
    });
    expect(createStoreForm({ name: '店'.repeat(41), code: 'HZ-01', address: '' })).toEqual({
      ok: false,
      message: '门店名称最多 40 个字',
    });
    expect(createStoreForm({ name: '西湖店', code: 'HZ-01', address: '址'.repeat(121) })).toEqual({
      ok: false,
      message: '地址最多 120 个字',
    });
  });
});

describe('updateStoreForm', () => {
  it('needs a name and sends both fields', () => {
    expect(updateStoreForm({ name: ' ', address: 'x' })).toEqual({ ok: false, message: '请输入门店名称' });
    expect(updateStoreForm({ name: '新店名', address: ' 文三路 1 号 ' })).toEqual({
      ok: true,
      body: { name: '新店名', address: '文三路 1 号' },
    });
  });
});

describe('createStaffForm', () => {
  const valid = { storeId: STORE, name: '小王', username: 'xiaowang', password: 'secret123', role: 'staff' };

  it('sends a complete form', () => {
    expect(createStaffForm(valid)).toEqual({ ok: true, body: valid });
  });

  it('asks for the store, then explains each field in Chinese', () => {
    expect(createStaffForm({ ...valid, storeId: '' })).toEqual({ ok: false, message: '请选择门店' });
    expect(createStaffForm({ ...valid, name: '' })).toEqual({ ok: false, message: '请输入姓名' });
    expect(createStaffForm({ ...valid, username: 'a b' })).toEqual({
      ok: false,
      message: '账号为 3-32 位字母、数字、下划线',
    });
    expect(createStaffForm({ ...valid, password: 'short' })).toEqual({ ok: false, message: '密码至少 8 位' });
    expect(createStaffForm({ ...valid, role: 'boss' })).toEqual({ ok: false, message: '角色格式不正确' });
  });
});

describe('resetPasswordForm', () => {
  it('needs at least 8 characters', () => {
    expect(resetPasswordForm('')).toEqual({ ok: false, message: '请输入新密码' });
    expect(resetPasswordForm('1234567')).toEqual({ ok: false, message: '密码至少 8 位' });
    expect(resetPasswordForm('12345678')).toEqual({ ok: true, body: { password: '12345678' } });
  });
});

describe('issueMessage', () => {
  it('keeps a Chinese message and replaces an English default with one naming the field', () => {
    expect(issueMessage({ code: 'custom', path: ['x'], message: '自定义' }, {})).toBe('自定义');
    expect(issueMessage({ code: 'too_big', path: ['name'], message: 'Too big', maximum: 20 }, { name: '姓名' })).toBe(
      '姓名最多 20 个字',
    );
    expect(issueMessage({ code: 'too_small', path: ['name'], message: 'Too small' }, { name: '姓名' })).toBe(
      '请输入姓名',
    );
    expect(issueMessage(undefined, {})).toBe('请检查填写的内容');
  });
});
