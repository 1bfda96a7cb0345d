import { ApiError } from '../../api';
import { exportErrorMessage, ledgerExportForm, memberExportForm } from './exportForms';

describe('the export forms', () => {
  it('send only what is filled in, phones masked unless asked', () => {
    expect(memberExportForm({ tier: '', joinedFrom: '', joinedTo: '', fullPhone: false })).toEqual({
      ok: true,
      body: { phone: 'masked' },
    });
    expect(
      memberExportForm({ tier: '金卡', joinedFrom: '2030-01-01', joinedTo: '2030-01-31', fullPhone: true }),
    ).toEqual({
      ok: true,
      body: { tier: '金卡', joinedFrom: '2030-01-01', joinedTo: '2030-01-31', phone: 'full' },
    });
    expect(ledgerExportForm({ account: 'wallet', from: '', to: '2030-01-31', memberNo: ' 10000001 ' })).toEqual({
      ok: true,
      body: { account: 'wallet', to: '2030-01-31', memberNo: '10000001' },
    });
  });

  it('refuse a range that ends before it starts and a bad member number', () => {
    expect(memberExportForm({ tier: '', joinedFrom: '2030-02-01', joinedTo: '2030-01-31', fullPhone: false })).toEqual({
      ok: false,
      errors: { joinedTo: '结束日期不能早于开始日期' },
    });
    expect(ledgerExportForm({ account: 'points', from: '2030-1-1', to: '', memberNo: '12' })).toEqual({
      ok: false,
      errors: { from: '日期格式应为 YYYY-MM-DD', memberNo: '会员号格式不正确' },
    });
  });

  it('say which permission a refused full-phone export lacks', () => {
    const forbidden = new ApiError('FORBIDDEN', '没有权限', 403);
    expect(exportErrorMessage(forbidden, true)).toContain('「导出完整手机号」权限');
    expect(exportErrorMessage(forbidden)).toBe('没有导出权限，请联系店铺管理员');
    expect(exportErrorMessage(new ApiError('NOT_FOUND', '会员不存在', 404))).toBe('会员不存在');
    expect(exportErrorMessage(new Error('boom'))).toBe('导出失败，请稍后再试');
  });
});
