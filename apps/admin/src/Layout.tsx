import type { ReactNode } from 'react';
import { useAuth, useSession } from './auth';
import { MEMBERS, type NavKey, OVERVIEW, rfmRoute, routeHref, TAGS } from './route';

type NavItem = { key: NavKey; label: string; href: string } | { key: string; label: string; href: null };

// Sections arrive issue by issue; the ones not built yet are shown so the owner sees what is coming.
const NAV_ITEMS: readonly NavItem[] = [
  { key: 'overview', label: '概览', href: routeHref(OVERVIEW) },
  { key: 'members', label: '会员', href: routeHref(MEMBERS) },
  { key: 'tags', label: '标签', href: routeHref(TAGS) },
  { key: 'segments', label: '分群', href: routeHref({ page: 'segments', q: '', pageNo: 1 }) },
  { key: 'imports', label: '导入', href: routeHref({ page: 'imports', pageNo: 1 }) },
  { key: 'stores', label: '门店', href: routeHref({ page: 'stores' }) },
  { key: 'staff', label: '员工', href: routeHref({ page: 'staff' }) },
  { key: 'audit', label: '审计日志', href: routeHref({ page: 'audit', memberId: null, action: null }) },
  { key: 'rules', label: '规则', href: routeHref({ page: 'rules' }) },
  { key: 'mall', label: '积分商城', href: routeHref({ page: 'mall' }) },
  { key: 'wallet', label: '储值', href: routeHref({ page: 'wallet', tab: 'packages', date: null }) },
  { key: 'coupons', label: '优惠券', href: routeHref({ page: 'coupons', tab: 'templates', memberNo: null }) },
  { key: 'rfm', label: '会员分析', href: routeHref(rfmRoute('summary')) },
  { key: 'campaigns', label: '营销活动', href: routeHref({ page: 'campaigns' }) },
  { key: 'messages', label: '消息记录', href: routeHref({ page: 'messages', status: null, kind: null }) },
  { key: 'jobs', label: '后台任务', href: routeHref({ page: 'jobs', job: null }) },
  { key: 'backup', label: '数据备份', href: routeHref({ page: 'backup' }) },
];

export function Layout({ activeKey, children }: { activeKey: NavKey | null; children: ReactNode }) {
  const { logout } = useAuth();
  const { owner } = useSession();

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="sidebar-brand">
          <span className="brand-mark" aria-hidden="true">
            会
          </span>
          <span>会员中心</span>
        </div>
        <nav aria-label="主导航">
          <ul className="nav-list">
            {NAV_ITEMS.map((item) => (
              <li key={item.key}>
                {item.href !== null ? (
                  <a
                    className={
                      item.key === activeKey ? `nav-item nav-${item.key} is-active` : `nav-item nav-${item.key}`
                    }
                    href={item.href}
                    aria-current={item.key === activeKey ? 'page' : undefined}
                  >
                    {item.label}
                  </a>
                ) : (
                  <span className="nav-item is-disabled" aria-disabled="true" title="即将上线">
                    {item.label}
                    <span className="nav-badge">即将上线</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="main-column">
        <header className="topbar">
          <span className="topbar-title">管理后台</span>
          <div className="topbar-user">
            <span className="avatar" aria-hidden="true">
              {owner.username.slice(0, 1).toUpperCase()}
            </span>
            <span className="owner-name">{owner.username}</span>
            <button className="button button-text" type="button" onClick={logout}>
              退出登录
            </button>
          </div>
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
