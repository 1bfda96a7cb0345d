// 储值: top-up packages and the refund setting, the payments list with refunds, and the daily reconciliation.
import type { Route, WalletTab } from '../../route';
import { routeHref } from '../../route';
import { PageHeader } from '../../ui';
import { PackagesTab } from './PackagesTab';
import { PaymentsTab } from './PaymentsTab';
import { ReconciliationTab } from './ReconciliationTab';

type WalletRoute = Extract<Route, { page: 'wallet' }>;

const TABS: readonly { tab: WalletTab; label: string }[] = [
  { tab: 'packages', label: '套餐与设置' },
  { tab: 'payments', label: '支付记录' },
  { tab: 'reconciliation', label: '对账' },
];

export function WalletPage({ route }: { route: WalletRoute }) {
  return (
    <section className="page wallet-page">
      <PageHeader title="储值" description="会员充值套餐、储值负债、微信支付记录与退款、每日对账" />
      <nav className="tabs" aria-label="储值">
        {TABS.map(({ tab, label }) => (
          <a
            key={tab}
            className={tab === route.tab ? `tab wallet-tab-${tab} is-active` : `tab wallet-tab-${tab}`}
            href={routeHref({ page: 'wallet', tab, date: null })}
            aria-current={tab === route.tab ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      {route.tab === 'packages' && <PackagesTab />}
      {route.tab === 'payments' && <PaymentsTab />}
      {route.tab === 'reconciliation' && <ReconciliationTab key={route.date ?? ''} date={route.date} />}
    </section>
  );
}
