import { MEMBERS, navKeyOf, OVERVIEW, parseHash, type Route, rfmRoute, routeHref, TAGS } from './route';

describe('parseHash', () => {
  it.each(['', '#', '#/', '#overview', '#/overview', '#/overview/'])('opens the overview for %p', (hash) => {
    expect(parseHash(hash)).toEqual(OVERVIEW);
  });

  it('reads the list pages, with or without the leading or trailing slash', () => {
    expect(parseHash('#/members')).toEqual(MEMBERS);
    expect(parseHash('#members/')).toEqual(MEMBERS);
    expect(parseHash('#/stores')).toEqual({ page: 'stores' });
    expect(parseHash('#/staff')).toEqual({ page: 'staff' });
    expect(parseHash('#/rules')).toEqual({ page: 'rules' });
    expect(parseHash('#mall/')).toEqual({ page: 'mall' });
  });

  it('reads a member id and decodes it', () => {
    expect(parseHash('#/members/65f0c0ffee0000000000abcd')).toEqual({ page: 'member', id: '65f0c0ffee0000000000abcd' });
    expect(parseHash('#/members/a%20b')).toEqual({ page: 'member', id: 'a b' });
  });

  it('reads the audit filters from the query part and ignores empty ones', () => {
    expect(parseHash('#/audit')).toEqual({ page: 'audit', memberId: null, action: null });
    expect(parseHash('#/audit?memberId=abc&action=member.read')).toEqual({
      page: 'audit',
      memberId: 'abc',
      action: 'member.read',
    });
    expect(parseHash('#/audit?memberId=&action=')).toEqual({ page: 'audit', memberId: null, action: null });
  });

  it.each(['#/nope', '#/members/a/b', '#/stores/1', '#/members/%E0%A4%A', '#/overview/x', '#/rules/1', '#/mall/x'])(
    'reports %p as not found',
    (hash) => {
      expect(parseHash(hash).page).toBe('notFound');
    },
  );
});

const ID = '65f0c0ffee0000000000abcd';

describe('list routes of tags, segments, imports and members', () => {
  it('keep only what they understand', () => {
    expect(parseHash('#/members?tier=钻石&tag=xyz&sort=name&order=up&page=3')).toEqual(MEMBERS);
    // A page number means nothing without the cursor of that page.
    expect(parseHash('#/members?page=3')).toEqual(MEMBERS);
    expect(parseHash(`#/members?after=${'x'.repeat(65)}&page=2`)).toEqual(MEMBERS);
    expect(parseHash(`#/members?segment=${ID.toUpperCase()}`)).toEqual({ ...MEMBERS, segmentId: ID });
    expect(parseHash('#/tags?kind=auto&sort=size&page=0')).toEqual(TAGS);
    expect(parseHash('#/segments/not-an-id').page).toBe('notFound');
    expect(parseHash('#/imports/new').page).toBe('notFound');
    expect(parseHash('#/tags/x').page).toBe('notFound');
  });

  it('light up their section in the navigation', () => {
    expect(navKeyOf({ page: 'segment', id: 'new' })).toBe('segments');
    expect(navKeyOf({ page: 'import', id: ID })).toBe('imports');
    expect(navKeyOf(TAGS)).toBe('tags');
  });
});

describe('routeHref', () => {
  const routes: Route[] = [
    OVERVIEW,
    { page: 'overview', from: '2030-01-01', to: '2030-01-31', storeId: null },
    { page: 'overview', from: null, to: null, storeId: '65f0c0ffee0000000000abcd' },
    MEMBERS,
    { ...MEMBERS, q: '138', tier: '金卡', tagId: ID, segmentId: ID, sort: 'points', order: 'asc' },
    { ...MEMBERS, after: 'c2', pageNo: 2 },
    { page: 'member', id: '65f0c0ffee0000000000abcd' },
    TAGS,
    { page: 'tags', q: '金卡', kind: 'rule', sort: 'members', pageNo: 2 },
    { page: 'segments', q: '', pageNo: 1 },
    { page: 'segments', q: '沉睡', pageNo: 3 },
    { page: 'segment', id: 'new' },
    { page: 'segment', id: ID },
    { page: 'imports', pageNo: 1 },
    { page: 'imports', pageNo: 2 },
    { page: 'import', id: ID },
    { page: 'member', id: 'odd/id?' },
    { page: 'stores' },
    { page: 'staff' },
    { page: 'rules' },
    { page: 'mall' },
    { page: 'audit', memberId: null, action: null },
    { page: 'audit', memberId: '65f0c0ffee0000000000abcd', action: 'member.birthday.set' },
    { page: 'audit', memberId: null, action: 'a&b=c' },
    { page: 'wallet', tab: 'packages', date: null },
    { page: 'wallet', tab: 'payments', date: null },
    { page: 'wallet', tab: 'reconciliation', date: null },
    { page: 'wallet', tab: 'reconciliation', date: '2030-01-01' },
    { page: 'coupons', tab: 'templates', memberNo: null },
    { page: 'coupons', tab: 'issues', memberNo: null },
    { page: 'coupons', tab: 'settings', memberNo: null },
    { page: 'coupons', tab: 'referrals', memberNo: null },
    { page: 'coupons', tab: 'referrals', memberNo: '10000001' },
    rfmRoute('summary'),
    rfmRoute('settings'),
    rfmRoute('members'),
    rfmRoute('members', { rfmClass: 'important_value', sort: 'lastVisit', order: 'asc', pageNo: 3 }),
    rfmRoute('churn'),
    rfmRoute('churn', { rfmClass: 'general_winback', order: 'asc', pageNo: 2 }),
  ];

  it.each(routes)('round-trips %p through parseHash', (route) => {
    expect(parseHash(routeHref(route))).toEqual(route);
  });

  it('writes the documented hash paths', () => {
    expect(routeHref(MEMBERS)).toBe('#/members');
    expect(routeHref({ ...MEMBERS, tier: '金卡', sort: 'points' })).toBe(
      '#/members?tier=%E9%87%91%E5%8D%A1&sort=points',
    );
    expect(routeHref(TAGS)).toBe('#/tags');
    expect(routeHref({ page: 'segments', q: '', pageNo: 1 })).toBe('#/segments');
    expect(routeHref({ page: 'imports', pageNo: 1 })).toBe('#/imports');
    expect(routeHref({ page: 'member', id: 'abc' })).toBe('#/members/abc');
    expect(routeHref({ page: 'audit', memberId: 'm1', action: null })).toBe('#/audit?memberId=m1');
    expect(routeHref({ page: 'rules' })).toBe('#/rules');
    expect(routeHref({ page: 'mall' })).toBe('#/mall');
    expect(routeHref({ page: 'wallet', tab: 'packages', date: null })).toBe('#/wallet');
    expect(routeHref({ page: 'wallet', tab: 'payments', date: null })).toBe('#/wallet/payments');
    expect(routeHref({ page: 'wallet', tab: 'reconciliation', date: '2030-01-01' })).toBe(
      '#/wallet/reconciliation?date=2030-01-01',
    );
  });

  it('reads the 储值 tabs, ignoring a reconciliation date that is not a day', () => {
    expect(parseHash('#/wallet/')).toEqual({ page: 'wallet', tab: 'packages', date: null });
    expect(parseHash('#/wallet/reconciliation?date=yesterday')).toEqual({
      page: 'wallet',
      tab: 'reconciliation',
      date: null,
    });
    expect(parseHash('#/wallet/nope').page).toBe('notFound');
    expect(parseHash('#/wallet/payments/x').page).toBe('notFound');
    expect(navKeyOf({ page: 'wallet', tab: 'payments', date: null })).toBe('wallet');
  });
});

describe('navKeyOf', () => {
  it('lights up 会员 on a member detail page and nothing on an unknown page', () => {
    expect(navKeyOf({ page: 'member', id: 'x' })).toBe('members');
    expect(navKeyOf({ page: 'audit', memberId: 'x', action: null })).toBe('audit');
    expect(navKeyOf({ page: 'notFound', hash: '/x' })).toBeNull();
  });
});

describe('优惠券 routes', () => {
  it('reads the tabs and the referral chain of a member', () => {
    expect(parseHash('#/coupons')).toEqual({ page: 'coupons', tab: 'templates', memberNo: null });
    expect(parseHash('#/coupons/issues/')).toEqual({ page: 'coupons', tab: 'issues', memberNo: null });
    expect(parseHash('#/coupons/referrals?memberNo=10000001')).toEqual({
      page: 'coupons',
      tab: 'referrals',
      memberNo: '10000001',
    });
    expect(routeHref({ page: 'coupons', tab: 'referrals', memberNo: '10000001' })).toBe(
      '#/coupons/referrals?memberNo=10000001',
    );
    expect(routeHref({ page: 'coupons', tab: 'templates', memberNo: null })).toBe('#/coupons');
    expect(navKeyOf({ page: 'coupons', tab: 'settings', memberNo: null })).toBe('coupons');
  });

  it('ignores a member number that is not one, and reports unknown tabs', () => {
    expect(parseHash('#/coupons/referrals?memberNo=abc')).toEqual({
      page: 'coupons',
      tab: 'referrals',
      memberNo: null,
    });
    expect(parseHash('#/coupons/issues?memberNo=10000001')).toEqual({ page: 'coupons', tab: 'issues', memberNo: null });
    expect(parseHash('#/coupons/nope').page).toBe('notFound');
    expect(parseHash('#/coupons/issues/x').page).toBe('notFound');
  });
});

describe('概览 routes', () => {
  it('reads the range and the store, and ignores values that are not days or ids', () => {
    expect(parseHash('#/?from=2030-01-01&to=2030-01-31&storeId=65f0c0ffee0000000000abcd')).toEqual({
      page: 'overview',
      from: '2030-01-01',
      to: '2030-01-31',
      storeId: '65f0c0ffee0000000000abcd',
    });
    expect(parseHash('#/overview?from=yesterday&to=2030-1-1&storeId=x')).toEqual(OVERVIEW);
    expect(routeHref(OVERVIEW)).toBe('#/');
    expect(routeHref({ page: 'overview', from: '2030-01-01', to: null, storeId: null })).toBe('#/?from=2030-01-01');
  });
});

describe('会员分析 routes', () => {
  it('reads the tabs with their list state and writes only what differs from the defaults', () => {
    expect(parseHash('#/rfm')).toEqual(rfmRoute('summary'));
    expect(parseHash('#/rfm/members?class=important_value&sort=orders&order=asc&page=2')).toEqual(
      rfmRoute('members', { rfmClass: 'important_value', sort: 'orders', order: 'asc', pageNo: 2 }),
    );
    expect(routeHref(rfmRoute('members', { sort: 'spend', order: 'desc', pageNo: 1 }))).toBe('#/rfm/members');
    expect(routeHref(rfmRoute('churn', { rfmClass: 'none', pageNo: 4 }))).toBe('#/rfm/churn?class=none&page=4');
    expect(navKeyOf(rfmRoute('settings'))).toBe('rfm');
  });

  it('falls back to the defaults for unknown classes, sorts and pages, and drops list state where it means nothing', () => {
    expect(parseHash('#/rfm/members?class=vip&sort=name&order=up&page=0')).toEqual(rfmRoute('members'));
    expect(parseHash('#/rfm/members?page=100001')).toEqual(rfmRoute('members'));
    expect(parseHash('#/rfm/churn?sort=orders')).toEqual(rfmRoute('churn'));
    expect(parseHash('#/rfm/settings?class=none')).toEqual(rfmRoute('settings'));
    expect(parseHash('#/rfm/nope').page).toBe('notFound');
    expect(parseHash('#/rfm/members/x').page).toBe('notFound');
  });
});
