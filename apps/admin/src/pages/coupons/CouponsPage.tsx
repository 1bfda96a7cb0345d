// 优惠券: the coupon templates with their stats, issuing to many members, which coupons birthdays, tiers and
// referrals give, and the invite-a-friend (老带新) referrals with the ones that look like abuse.
import type { CouponTab, Route } from '../../route';
import { routeHref } from '../../route';
import { PageHeader } from '../../ui';
import { IssuesTab } from './IssuesTab';
import { ReferralsTab } from './ReferralsTab';
import { SettingsTab } from './SettingsTab';
import { TemplatesTab } from './TemplatesTab';

type CouponsRoute = Extract<Route, { page: 'coupons' }>;

const TABS: readonly { tab: CouponTab; label: string }[] = [
  { tab: 'templates', label: '券模板' },
  { tab: 'issues', label: '发券' },
  { tab: 'settings', label: '礼券设置' },
  { tab: 'referrals', label: '邀请' },
];

export function CouponsPage({ route }: { route: CouponsRoute }) {
  return (
    <section className="page coupons-page">
      <PageHeader title="优惠券" description="券模板与核销数据、批量发券、生日与等级礼券、邀请有礼" />
      <nav className="tabs" aria-label="优惠券">
        {TABS.map(({ tab, label }) => (
          <a
            key={tab}
            className={tab === route.tab ? `tab coupons-tab-${tab} is-active` : `tab coupons-tab-${tab}`}
            href={routeHref({ page: 'coupons', tab, memberNo: null })}
            aria-current={tab === route.tab ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      {route.tab === 'templates' && <TemplatesTab />}
      {route.tab === 'issues' && <IssuesTab />}
      {route.tab === 'settings' && <SettingsTab />}
      {route.tab === 'referrals' && <ReferralsTab memberNo={route.memberNo} />}
    </section>
  );
}
