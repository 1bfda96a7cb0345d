import { actionLabel, actorText, compactDetails, parseMemberFilter, shortId } from './auditLabels';

describe('actionLabel', () => {
  it.each([
    ['member.read', '查看会员资料'],
    ['member.merge', '合并会员'],
    ['member.birthday.set', '修改生日'],
    ['staff.create', '新增员工'],
    ['store.create', '新增门店'],
    ['member.scan', '扫码识别会员'],
    ['member.export', '导出数据'],
    ['member.delete', '注销账号'],
    ['job.run', '立即运行后台任务'],
    ['campaign.create', '新建营销活动'],
    ['campaign.start', '开始营销活动'],
    ['campaign.cancel', '取消营销活动'],
  ])('shows %s as %s', (action, label) => {
    expect(actionLabel(action)).toBe(label);
  });

  it('shows an unknown action raw, and does not fall for Object prototype names', () => {
    expect(actionLabel('coupon.issue')).toBe('coupon.issue');
    expect(actionLabel('toString')).toBe('toString');
  });
});

describe('actorText', () => {
  it('names the kind in Chinese and adds the name when there is one', () => {
    expect(actorText({ kind: 'staff', id: 's1', name: '小王' })).toBe('店员 · 小王');
    expect(actorText({ kind: 'owner', id: 'o1', name: 'boss' })).toBe('店主 · boss');
    expect(actorText({ kind: 'system', id: 'sys', name: null })).toBe('系统');
    expect(actorText({ kind: 'member', id: 'm1', name: null })).toBe('会员');
  });
});

describe('compactDetails', () => {
  it('writes one line of JSON and shortens long ones', () => {
    expect(compactDetails({ reason: '录入错误', from: null })).toEqual({
      short: '{"reason":"录入错误","from":null}',
      full: '{"reason":"录入错误","from":null}',
    });
    const long = compactDetails({ text: 'x'.repeat(200) }, 20);
    expect(long.short).toHaveLength(20);
    expect(long.short.endsWith('…')).toBe(true);
    expect(long.full).toContain('x'.repeat(200));
  });

  it('shows a dash for no details', () => {
    expect(compactDetails({})).toEqual({ short: '—', full: '' });
  });
});

describe('parseMemberFilter', () => {
  it('tells a member id from a member number', () => {
    expect(parseMemberFilter('  ')).toEqual({ kind: 'none' });
    expect(parseMemberFilter(' 65F0C0FFEE0000000000ABCD ')).toEqual({ kind: 'id', id: '65f0c0ffee0000000000abcd' });
    expect(parseMemberFilter('M00012345')).toEqual({ kind: 'memberNo', memberNo: 'M00012345' });
  });

  it('shortens long ids only', () => {
    expect(shortId('65f0c0ffee0000000000abcd')).toBe('…0000abcd');
    expect(shortId('s1')).toBe('s1');
  });
});
