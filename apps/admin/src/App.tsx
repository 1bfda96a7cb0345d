import { lazy, Suspense } from 'react';
import { useAuth } from './auth';
import { Layout } from './Layout';
import { AuditPage } from './pages/AuditPage';
import { LoginPage } from './pages/LoginPage';
import { MallPage } from './pages/mall/MallPage';
import { MemberDetailPage } from './pages/members/MemberDetailPage';
import { MembersPage } from './pages/members/MembersPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { RulesPage } from './pages/rules/RulesPage';
import { StaffPage } from './pages/StaffPage';
import { StoresPage } from './pages/StoresPage';
import { navKeyOf, type Route, useRoute } from './route';

// 储值 is loaded when first opened: most visits never need its tables and dialogs.
const WalletPage = lazy(() => import('./pages/wallet/WalletPage').then((module) => ({ default: module.WalletPage })));
// 优惠券 likewise: its forms, preview and polling are only needed by the owner running a campaign.
const CouponsPage = lazy(() =>
  import('./pages/coupons/CouponsPage').then((module) => ({ default: module.CouponsPage })),
);

// 会员分析 likewise: its tables and charts (ECharts) are for the owner planning, not for every visit.
const RfmPage = lazy(() => import('./pages/rfm/RfmPage').then((module) => ({ default: module.RfmPage })));

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage route={route} />;
    case 'members':
      return <MembersPage />;
    case 'member':
      // Keyed by id: another member's page starts fresh instead of showing the previous one while loading.
      return <MemberDetailPage key={route.id} id={route.id} />;
    case 'stores':
      return <StoresPage />;
    case 'staff':
      return <StaffPage />;
    case 'audit':
      return <AuditPage key={`${route.memberId ?? ''}|${route.action ?? ''}`} route={route} />;
    case 'rules':
      return <RulesPage />;
    case 'mall':
      return <MallPage />;
    case 'wallet':
      return (
        <Suspense fallback={<p className="card muted">加载中…</p>}>
          <WalletPage route={route} />
        </Suspense>
      );
    case 'coupons':
      return (
        <Suspense fallback={<p className="card muted">加载中…</p>}>
          <CouponsPage route={route} />
        </Suspense>
      );
    case 'rfm':
      return (
        <Suspense fallback={<p className="card muted">加载中…</p>}>
          <RfmPage route={route} />
        </Suspense>
      );
    case 'notFound':
      return <NotFoundPage />;
  }
}

export function App() {
  const { session } = useAuth();
  const route = useRoute();
  if (!session) return <LoginPage />;
  return (
    <Layout activeKey={navKeyOf(route)}>
      <Page route={route} />
    </Layout>
  );
}
