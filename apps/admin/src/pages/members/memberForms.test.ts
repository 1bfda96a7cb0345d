import type { AdminMemberRow } from '@member-hub/shared';
import { birthdayForm, findByMemberNo, mergeForm, mergeLookupProblem } from './memberForms';

const A = '65f0c0ffee0000000000aaaa';
const B = '65f0c0ffee0000000000bbbb';

function row(memberId: string, memberNo: string): AdminMemberRow {
  return {
    memberId,
    memberNo,
    nickname: null,
    maskedPhone: null,
    tier: '普通会员',
    points: 0,
    storedValueFen: 0,
    createdAt: '2024-01-01T00:00:00.000Z',
    status: 'active',
  };
}

describe('birthdayForm', () => {
  it('sends a valid date with a reason', () => {
    expect(birthdayForm('1990-05-01', ' 顾客出示身份证 ')).toEqual({
      ok: true,
      body: { birthday: '1990-05-01', reason: '顾客出示身份证' },
    });
  });

  it('asks for a date first, then for a real one, then for a reason', () => {
    expect(birthdayForm('', '原因原因')).toEqual({ ok: false, message: '请选择生日' });
    expect(birthdayForm('1990-02-30', '原因原因')).toEqual({ ok: false, message: '生日不是有效日期' });
    expect(birthdayForm('1899-12-31', '原因原因')).toEqual({ ok: false, message: '生日不是有效日期' });
    expect(birthdayForm('2999-01-01', '原因原因')).toEqual({ ok: false, message: '生日不是有效日期' });
    expect(birthdayForm('1990-05-01', ' ')).toEqual({ ok: false, message: '请填写修改原因' });
  });

  it('says in Chinese when the reason is too long', () => {
    expect(birthdayForm('1990-05-01', '长'.repeat(201))).toEqual({ ok: false, message: '原因最多 200 个字' });
  });
});

describe('mergeLookupProblem', () => {
  const current = { memberNo: '10001', status: 'active' as const };

  it('needs another member number', () => {
    expect(mergeLookupProblem(' ', current)).toBe('请输入要合并的会员号');
    expect(mergeLookupProblem(' 10001 ', current)).toMatch(/不能与自己合并/);
    expect(mergeLookupProblem('10002', current)).toBeNull();
  });

  it('refuses when this member is already merged or deleted', () => {
    expect(mergeLookupProblem('10002', { memberNo: '10001', status: 'merged' })).toMatch(/已合并或已注销/);
    expect(mergeLookupProblem('10002', { memberNo: '10001', status: 'deleted' })).toMatch(/已合并或已注销/);
  });
});

describe('findByMemberNo', () => {
  it('takes only the exact member number among the search hits', () => {
    const items = [row(A, '100012'), row(B, '10001')];
    expect(findByMemberNo(items, ' 10001 ')?.memberId).toBe(B);
    expect(findByMemberNo(items, '1000')).toBeNull();
    expect(findByMemberNo([], '10001')).toBeNull();
  });
});

describe('mergeForm', () => {
  it('merges the other member into this one when this one survives', () => {
    expect(mergeForm({ currentId: A, otherId: B, survivor: 'current', reason: '同一顾客' })).toEqual({
      ok: true,
      body: { sourceMemberId: B, targetMemberId: A, reason: '同一顾客' },
    });
  });

  it('merges this member into the other one when the other survives', () => {
    expect(mergeForm({ currentId: A, otherId: B, survivor: 'other', reason: ' 同一顾客 ' })).toEqual({
      ok: true,
      body: { sourceMemberId: A, targetMemberId: B, reason: '同一顾客' },
    });
  });

  it('needs a reason of at least two characters and at most 200', () => {
    expect(mergeForm({ currentId: A, otherId: B, survivor: 'current', reason: '同' })).toEqual({
      ok: false,
      message: '请填写合并原因',
    });
    expect(mergeForm({ currentId: A, otherId: B, survivor: 'current', reason: '长'.repeat(201) })).toEqual({
      ok: false,
      message: '原因最多 200 个字',
    });
  });

  it('refuses the same member twice and ids that are not member ids', () => {
    expect(mergeForm({ currentId: A, otherId: A, survivor: 'current', reason: '同一顾客' }).ok).toBe(false);
    expect(mergeForm({ currentId: A, otherId: 'nope', survivor: 'current', reason: '同一顾客' })).toEqual({
      ok: false,
      message: '会员编号无效，请重新查找',
    });
  });
});
