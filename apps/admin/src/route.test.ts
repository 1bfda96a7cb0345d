import { navKeyOf, parseHash, type Route, routeHref } from './route';

describe('parseHash', () => {
  it.each(['', '#', '#/', '#overview', '#/overview', '#/overview/'])('opens the overview for %p', (hash) => {
    expect(parseHash(hash)).toEqual({ page: 'overview' });
  });

  it('reads the list pages, with or without the leading or trailing slash', () => {
    expect(parseHash('#/members')).toEqual({ page: 'members' });
    expect(parseHash('#members/')).toEqual({ page: 'members' });
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

describe('routeHref', () => {
  const routes: Route[] = [
    { page: 'overview' },
    { page: 'members' },
    { page: 'member', id: '65f0c0ffee0000000000abcd' },
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
  ];

  it.each(routes)('round-trips %p through parseHash', (route) => {
    expect(parseHash(routeHref(route))).toEqual(route);
  });

  it('writes the documented hash paths', () => {
    expect(routeHref({ page: 'members' })).toBe('#/members');
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
