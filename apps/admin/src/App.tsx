import { type ComponentType, lazy, Suspense } from 'react';
import { useAuth } from './auth';
import { Layout } from './Layout';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { navKeyOf, type Route, useRoute } from './route';

/**
 * A section page in its own chunk, fetched the first time it is opened: the first page (login and 概览) carries only
 * what it shows. `load` imports the module and picks the page from it.
 */
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}

const MembersPage = lazyPage(() => import('./pages/members/MembersPage').then((module) => module.MembersPage));
const MemberDetailPage = lazyPage(() =>
  import('./pages/members/MemberDetailPage').then((module) => module.MemberDetailPage),
);
const TagsPage = lazyPage(() => import('./pages/tags/TagsPage').then((module) => module.TagsPage));
const SegmentsPage = lazyPage(() => import('./pages/segments/SegmentsPage').then((module) => module.SegmentsPage));
const SegmentEditorPage = lazyPage(() =>
  import('./pages/segments/SegmentEditorPage').then((module) => module.SegmentEditorPage),
);
const ImportsPage = lazyPage(() => import('./pages/imports/ImportsPage').then((module) => module.ImportsPage));
const ImportPage = lazyPage(() => import('./pages/imports/ImportPage').then((module) => module.ImportPage));
const StoresPage = lazyPage(() => import('./pages/StoresPage').then((module) => module.StoresPage));
const StaffPage = lazyPage(() => import('./pages/StaffPage').then((module) => module.StaffPage));
const AuditPage = lazyPage(() => import('./pages/AuditPage').then((module) => module.AuditPage));
const RulesPage = lazyPage(() => import('./pages/rules/RulesPage').then((module) => module.RulesPage));
const MallPage = lazyPage(() => import('./pages/mall/MallPage').then((module) => module.MallPage));
const WalletPage = lazyPage(() => import('./pages/wallet/WalletPage').then((module) => module.WalletPage));
const CouponsPage = lazyPage(() => import('./pages/coupons/CouponsPage').then((module) => module.CouponsPage));
const RfmPage = lazyPage(() => import('./pages/rfm/RfmPage').then((module) => module.RfmPage));
const CampaignsPage = lazyPage(() => import('./pages/campaigns/CampaignsPage').then((module) => module.CampaignsPage));
const CampaignPage = lazyPage(() => import('./pages/campaigns/CampaignPage').then((module) => module.CampaignPage));
const JobsPage = lazyPage(() => import('./pages/jobs/JobsPage').then((module) => module.JobsPage));
const MessagesPage = lazyPage(() => import('./pages/messages/MessagesPage').then((module) => module.MessagesPage));
const BackupPage = lazyPage(() => import('./pages/backup/BackupPage').then((module) => module.BackupPage));

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage route={route} />;
    case 'members':
      return <MembersPage route={route} />;
    case 'member':
      // Keyed by id: another member's page starts fresh instead of showing the previous one while loading.
      return <MemberDetailPage key={route.id} id={route.id} />;
    case 'tags':
      return <TagsPage route={route} />;
    case 'segments':
      return <SegmentsPage route={route} />;
    case 'segment':
      return <SegmentEditorPage key={route.id} id={route.id} />;
    case 'imports':
      return <ImportsPage route={route} />;
    case 'import':
      return <ImportPage key={route.id} id={route.id} />;
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
      return <WalletPage route={route} />;
    case 'coupons':
      return <CouponsPage route={route} />;
    case 'rfm':
      return <RfmPage route={route} />;
    case 'campaigns':
      return <CampaignsPage />;
    case 'campaign':
      return <CampaignPage key={route.id} id={route.id} />;
    case 'jobs':
      return <JobsPage route={route} />;
    case 'messages':
      return <MessagesPage route={route} />;
    case 'backup':
      return <BackupPage />;
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
      <Suspense fallback={<p className="card muted">加载中…</p>}>
        <Page route={route} />
      </Suspense>
    </Layout>
  );
}
