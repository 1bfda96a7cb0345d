import { formatDateTime, identityKindLabel, liabilityText, regionText } from './format';

describe('formatDateTime', () => {
  it('shows local time as yyyy-MM-dd HH:mm, optionally with seconds', () => {
    const local = new Date(2024, 4, 1, 9, 5, 7);
    expect(formatDateTime(local.toISOString())).toBe('2024-05-01 09:05');
    expect(formatDateTime(local.toISOString(), true)).toBe('2024-05-01 09:05:07');
  });

  it('shows text that is not a time as it is', () => {
    expect(formatDateTime('不是时间')).toBe('不是时间');
  });
});

describe('regionText', () => {
  it('joins the filled parts', () => {
    expect(regionText({ province: '浙江省', city: '杭州市', district: '' })).toBe('浙江省 杭州市');
    expect(regionText(null)).toBeNull();
  });
});

describe('identityKindLabel', () => {
  it('names known kinds and shows unknown ones raw', () => {
    expect(identityKindLabel('phone')).toBe('手机号');
    expect(identityKindLabel('alipay')).toBe('alipay');
    expect(identityKindLabel('constructor')).toBe('constructor');
  });
});

describe('liabilityText', () => {
  it('shows the points with separators and their value in yuan', () => {
    expect(liabilityText({ outstandingPoints: 12_345, valueFen: 12_345, members: 1_024 })).toEqual({
      value: '未使用积分 12,345，约合 ¥123.45',
      members: '1,024 位会员持有',
    });
  });
});
