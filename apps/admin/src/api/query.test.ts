import { auditPath } from './audit';
import { memberListPath } from './members';
import { buildQuery } from './query';
import { staffListPath } from './staff';

describe('buildQuery', () => {
  it('leaves out empty, blank, null and undefined values and trims the rest', () => {
    expect(buildQuery({ q: ' 138 ', limit: 20, after: undefined, x: null, y: '  ' })).toBe('?q=138&limit=20');
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ q: '' })).toBe('');
  });

  it('encodes what it sends', () => {
    expect(buildQuery({ q: '张三 & 李四' })).not.toMatch(/[ &]四/);
    expect(new URLSearchParams(buildQuery({ q: '张三 & 李四' }).slice(1)).get('q')).toBe('张三 & 李四');
    expect(new URLSearchParams(buildQuery({ q: 'a+b=c' }).slice(1)).get('q')).toBe('a+b=c');
  });

  it('keeps a zero', () => {
    expect(buildQuery({ limit: 0 })).toBe('?limit=0');
  });
});

describe('list paths', () => {
  it('asks for 20 members a page, with the search and the cursor when there are any', () => {
    expect(memberListPath({})).toBe('/api/v1/admin/members?limit=20');
    expect(memberListPath({ q: '13800138000', after: 'cur1' })).toBe(
      '/api/v1/admin/members?q=13800138000&limit=20&after=cur1',
    );
    expect(memberListPath({ q: '', after: null })).toBe('/api/v1/admin/members?limit=20');
  });

  it('asks for 50 audit entries a page with the filters', () => {
    expect(auditPath({})).toBe('/api/v1/admin/audit?limit=50');
    expect(auditPath({ memberId: '65f0c0ffee0000000000abcd', action: 'member.read', after: 'c' })).toBe(
      '/api/v1/admin/audit?memberId=65f0c0ffee0000000000abcd&action=member.read&limit=50&after=c',
    );
  });

  it('filters staff by store only when a store is chosen', () => {
    expect(staffListPath(null)).toBe('/api/v1/admin/staff');
    expect(staffListPath('65f0c0ffee0000000000abcd')).toBe('/api/v1/admin/staff?storeId=65f0c0ffee0000000000abcd');
  });
});
