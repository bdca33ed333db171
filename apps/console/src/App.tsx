import { Alert, Button, Dropdown, Layout, Menu, type MenuProps, Result, Select, Spin, Typography } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from './auth.tsx';
import { usePageTitle } from './hooks.ts';
import { type Language, languages, setLanguage } from './i18n/index.ts';
import { allowed, navPages } from './nav.ts';
import { LoginPage } from './pages/Login.tsx';

// Pages load on first use (charts and tables stay out of the first download).
const AdminBranchesPage = lazy(() =>
  import('./pages/AdminBranches.tsx').then((m) => ({ default: m.AdminBranchesPage })),
);
const AdminSettingsPage = lazy(() =>
  import('./pages/AdminSettings.tsx').then((m) => ({ default: m.AdminSettingsPage })),
);
const AdminUsersPage = lazy(() => import('./pages/AdminUsers.tsx').then((m) => ({ default: m.AdminUsersPage })));
const ApprovalsPage = lazy(() => import('./pages/Approvals.tsx').then((m) => ({ default: m.ApprovalsPage })));
const AudiencesPage = lazy(() => import('./pages/Audiences.tsx').then((m) => ({ default: m.AudiencesPage })));
const AuditPage = lazy(() => import('./pages/Audit.tsx').then((m) => ({ default: m.AuditPage })));
const CockpitPage = lazy(() => import('./pages/Cockpit.tsx').then((m) => ({ default: m.CockpitPage })));
const ConsentsPage = lazy(() => import('./pages/Consents.tsx').then((m) => ({ default: m.ConsentsPage })));
const CopyCheckerPage = lazy(() => import('./pages/CopyChecker.tsx').then((m) => ({ default: m.CopyCheckerPage })));
const Customer360Page = lazy(() => import('./pages/Customer360.tsx').then((m) => ({ default: m.Customer360Page })));
const CustomersPage = lazy(() => import('./pages/Customers.tsx').then((m) => ({ default: m.CustomersPage })));
const ModelsPage = lazy(() => import('./pages/Models.tsx').then((m) => ({ default: m.ModelsPage })));
const RulesPage = lazy(() => import('./pages/Rules.tsx').then((m) => ({ default: m.RulesPage })));
const TagsPage = lazy(() => import('./pages/Tags.tsx').then((m) => ({ default: m.TagsPage })));

const pageElements: Record<string, ReactNode> = {
  cockpit: <CockpitPage />,
  customers: <CustomersPage />,
  tags: <TagsPage />,
  audiences: <AudiencesPage />,
  models: <ModelsPage />,
  rules: <RulesPage />,
  checker: <CopyCheckerPage />,
  approvals: <ApprovalsPage />,
  consents: <ConsentsPage />,
  audit: <AuditPage />,
  users: <AdminUsersPage />,
  branches: <AdminBranchesPage />,
  settings: <AdminSettingsPage />,
};

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Select<Language>
      aria-label={t('app.language')}
      size="small"
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={setLanguage}
      style={{ width: 104 }}
      variant={dark ? 'filled' : 'outlined'}
      options={languages.map((l) => ({ value: l, label: t(`app.languages.${l}`) }))}
    />
  );
}

function Forbidden() {
  const { t } = useTranslation();
  usePageTitle('common.forbidden');
  return <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenDetail')} />;
}

function NotFound() {
  const { t } = useTranslation();
  usePageTitle('common.notFound');
  return <Result status="404" title={t('common.notFound')} />;
}

function Guard({ anyOf, children }: { anyOf: string[]; children: ReactNode }) {
  const { can } = useAuth();
  return anyOf.some(can) ? children : <Forbidden />;
}

/** `/login?next=…` once signed in: go where the user was headed (same-origin paths only), else home. */
function AfterLogin({ home }: { home: string }) {
  const next = new URLSearchParams(useLocation().search).get('next');
  const safe = next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : home;
  return <Navigate to={safe} replace />;
}

function Shell() {
  const { t } = useTranslation();
  const { session, can, logout } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const visible = navPages.filter((p) => allowed(p, can));

  const item = (p: (typeof navPages)[number]) => ({ key: p.path, label: <Link to={p.path}>{t(p.title)}</Link> });
  const groups: MenuProps['items'] = [];
  for (const p of visible.filter((v) => !v.group)) groups.push(item(p));
  for (const g of ['compliance', 'admin'] as const) {
    const children = visible.filter((v) => v.group === g).map(item);
    if (children.length) groups.push({ key: g, label: t(`nav.${g}`), type: 'group', children });
  }
  const selected = visible.find((p) => location.pathname.startsWith(p.path))?.path;
  const home = visible[0]?.path;

  const userMenu: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <span data-testid="user-role">
          {session?.user.username} · {t(`roles.${session?.user.role ?? ''}`)}
          {session?.user.branchId ? ` · ${session.user.branchId}` : ''}
        </span>
      ),
    },
    { type: 'divider' },
    { key: 'logout', label: t('app.logout'), danger: true },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={208}
        theme="light"
        breakpoint="lg"
        collapsedWidth={64}
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 18, color: '#b8321f' }}>{t('app.name')}</div>
        <nav aria-label={t('nav.label')}>
          <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={groups} style={{ borderInlineEnd: 0 }} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          <div style={{ display: 'flex', gap: 16, alignItems: 'center' }}>
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: userMenu,
                onClick: ({ key }) => {
                  if (key === 'logout') void logout().then(() => navigate('/login'));
                },
              }}
            >
              <Button type="text" aria-label={t('app.userMenu')} data-testid="user-menu">
                {session?.user.displayName} ▾
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          {session?.display.demoBanner && (
            <Alert
              type="info"
              showIcon
              title={t('app.demoBanner')}
              style={{ marginBottom: 16 }}
              data-testid="demo-banner"
              // a standing notice, not an alert to announce on every page
              role="note"
            />
          )}
          <main>
            <Suspense fallback={<Spin style={{ display: 'block', margin: '64px auto' }} />}>
              <Routes>
                <Route path="/" element={home ? <Navigate to={home} replace /> : <Forbidden />} />
                {navPages.map((p) => (
                  <Route key={p.key} path={p.path} element={<Guard anyOf={p.anyOf}>{pageElements[p.key]}</Guard>} />
                ))}
                <Route
                  path="/customers/:id"
                  element={
                    <Guard anyOf={['customers.read']}>
                      <Customer360Page />
                    </Guard>
                  }
                />
                <Route path="/login" element={<AfterLogin home={home ?? '/'} />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export function App() {
  const { session } = useAuth();
  const location = useLocation();
  if (session === undefined) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', minHeight: '100vh' }}>
        <Spin />
      </div>
    );
  }
  if (session === null) {
    if (location.pathname !== '/login') {
      const next = `${location.pathname}${location.search}`;
      return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
    }
    return <LoginPage />;
  }
  return <Shell />;
}
