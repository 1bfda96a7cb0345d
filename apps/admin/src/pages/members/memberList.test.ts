import { memberListPath } from '../../api/members';
import { MEMBERS, type MembersRoute } from '../../route';
import {
  filteredRoute,
  memberFirstOrder,
  memberListParams,
  nextPageRoute,
  previousPageRoute,
  remember,
} from './memberList';

const ID = '65f0c0ffee0000000000abcd';
const empty = { key: '', cursors: [] };

describe('the members list', () => {
  it('asks the server for the filters, sort and cursor in the URL', () => {
    const route: MembersRoute = { ...MEMBERS, q: '138', tier: '金卡', segmentId: ID, sort: 'points', order: 'asc' };
    expect(memberListPath(memberListParams(route))).toBe(
      `/api/v1/admin/members?q=138&tier=%E9%87%91%E5%8D%A1&segmentId=${ID}&sort=points&order=asc&limit=20`,
    );
    expect(memberListPath(memberListParams({ ...MEMBERS, tagId: ID, after: 'c2', pageNo: 2 }))).toBe(
      `/api/v1/admin/members?tagId=${ID}&sort=joined&order=desc&limit=20&after=c2`,
    );
  });

  it('goes forward by the next cursor and back by the ones remembered', () => {
    let memory = remember(empty, MEMBERS);
    const second = nextPageRoute(MEMBERS, 'c2');
    expect(second).toMatchObject({ after: 'c2', pageNo: 2 });
    memory = remember(memory, second);
    const third = nextPageRoute(second, 'c3');
    memory = remember(memory, third);
    expect(previousPageRoute(memory, third)).toEqual(second);
    expect(previousPageRoute(memory, second)).toEqual(MEMBERS);
    expect(previousPageRoute(memory, MEMBERS)).toBeNull();
  });

  it('cannot go back from a shared link past the first page, and starts over on new filters', () => {
    const shared = { ...MEMBERS, after: 'c5', pageNo: 5 };
    const memory = remember(empty, shared);
    expect(previousPageRoute(memory, shared)).toBeNull();
    const filtered = filteredRoute(shared, { tier: '银卡' });
    expect(filtered).toMatchObject({ tier: '银卡', after: null, pageNo: 1 });
    expect(remember(memory, filtered).cursors).toEqual([null]);
  });

  it('starts member numbers ascending and the figures descending', () => {
    expect(memberFirstOrder('memberNo')).toBe('asc');
    expect(memberFirstOrder('points')).toBe('desc');
    expect(memberFirstOrder('joined')).toBe('desc');
  });
});
