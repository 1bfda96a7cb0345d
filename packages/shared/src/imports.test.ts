import { ImportMappingRequest, LedgerExportQuery, MemberExportQuery, suggestField, suggestMapping } from './imports';

describe('suggested column mapping', () => {
  it('reads Chinese and English header names, ignoring case, spaces and a BOM', () => {
    expect(
      suggestMapping(['\uFEFF手机号码', ' 姓名 ', 'Birthday', '可用积分', '储值余额', '会员等级', 'External ID']),
    ).toEqual({
      columns: { phone: 0, name: 1, birthday: 2, points: 3, balance: 4, tier: 5, externalId: 6 },
      externalSource: 'import',
    });
  });

  it('maps each field once (the first column wins) and leaves unknown headers alone', () => {
    expect(suggestMapping(['手机', '电话', '备注', ''])).toEqual({ columns: { phone: 0 }, externalSource: 'import' });
    expect(suggestField('备注')).toBeNull();
    expect(suggestField('余额')).toBe('balance');
    expect(suggestField('会员编号')).toBe('externalId');
  });
});

describe('request shapes', () => {
  it('a mapping names known fields only, with a plain source name', () => {
    expect(ImportMappingRequest.safeParse({ columns: { phone: 0 } }).success).toBe(true);
    expect(ImportMappingRequest.safeParse({ columns: { phone: -1 } }).success).toBe(false);
    expect(ImportMappingRequest.safeParse({ columns: { phone: 0 }, externalSource: 'pos 1' }).success).toBe(false);
    expect(ImportMappingRequest.safeParse({ columns: { phone: 0 }, extra: 1 }).success).toBe(false);
  });

  it('export dates must be real days', () => {
    expect(MemberExportQuery.safeParse({ joinedFrom: '2026-02-28' }).success).toBe(true);
    expect(MemberExportQuery.safeParse({ joinedFrom: '2026-02-30' }).success).toBe(false);
    expect(LedgerExportQuery.safeParse({ from: '2026-13-01' }).success).toBe(false);
    expect(LedgerExportQuery.parse({})).toEqual({ account: 'points' });
  });
});
