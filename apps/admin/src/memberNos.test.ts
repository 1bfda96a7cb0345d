import { parseMemberNos, readMemberNos } from './memberNos';

describe('member numbers pasted by the owner', () => {
  it('splits on new lines, commas, semicolons and spaces, deduplicated in order', () => {
    expect(parseMemberNos(' 10000001；10000002 x\n10000001，10000003、')).toEqual({
      memberNos: ['10000001', '10000002', '10000003'],
      invalid: ['x'],
    });
  });

  it('names the first bad entries, asks for at least one, and caps the count', () => {
    expect(readMemberNos('10000001, 1234, abc')).toEqual({ ok: false, message: '会员号应为 8 位数字：1234、abc' });
    expect(readMemberNos('1,2,3,4,5,6,7')).toEqual({
      ok: false,
      message: '会员号应为 8 位数字：1、2、3、4、5 等 7 个',
    });
    expect(readMemberNos('  ')).toEqual({ ok: false, message: '请填写会员号，每行一个或用逗号隔开' });
    const many = Array.from({ length: 10_001 }, (_, index) => String(10_000_000 + index)).join('\n');
    expect(readMemberNos(many)).toEqual({ ok: false, message: '一次最多 10,000 个会员号' });
    expect(readMemberNos('10000001\n10000002')).toEqual({ ok: true, memberNos: ['10000001', '10000002'] });
  });
});
