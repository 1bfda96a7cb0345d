import { useAuth } from './auth';
import { Layout } from './Layout';
import { LoginPage } from './pages/LoginPage';
import { OverviewPage } from './pages/OverviewPage';

export function App() {
  const { session } = useAuth();
  if (!session) return <LoginPage />;
  return (
    <Layout activeKey="overview">
      <OverviewPage />
    </Layout>
  );
}
