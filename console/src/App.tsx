// The console's frame: top navigation with the tenant, side navigation, breadcrumbs, notifications and the routes.
import { lazy, Suspense, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup, { type BreadcrumbGroupProps } from '@cloudscape-design/components/breadcrumb-group';
import Flashbar from '@cloudscape-design/components/flashbar';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { LoadingState } from './components/PageState.tsx';
import { NotFoundPage } from './components/NotFoundPage.tsx';
import { NotificationsProvider, useNotifications } from './components/Notifications.tsx';
import { TenantSwitcher } from './components/TenantSwitcher.tsx';
import { useSession } from './session.tsx';

// Each page is its own chunk, so the first screen loads only what it shows.
const PersonalitiesPage = lazy(() => import('./pages/PersonalitiesPage.tsx'));
const PersonalityEditorPage = lazy(() => import('./pages/PersonalityEditorPage.tsx'));
const VoicePage = lazy(() => import('./pages/VoicePage.tsx'));
const ChatPage = lazy(() => import('./pages/ChatPage.tsx'));
const UsagePage = lazy(() => import('./pages/UsagePage.tsx'));
const ApiKeysPage = lazy(() => import('./pages/ApiKeysPage.tsx'));

const PRODUCT = 'Voice for AI personalities';

const NAVIGATION = [
  { type: 'link' as const, text: 'Personalities', href: '/personalities' },
  { type: 'link' as const, text: 'Chat playground', href: '/chat' },
  { type: 'link' as const, text: 'Usage', href: '/usage' },
  { type: 'link' as const, text: 'API keys and webhooks', href: '/api-keys' },
];

/** The breadcrumb trail of a path; a personality appears by its id, the page header names it. */
function breadcrumbsOf(pathname: string): BreadcrumbGroupProps.Item[] {
  const trail: BreadcrumbGroupProps.Item[] = [{ text: 'Console', href: '/personalities' }];
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'personalities') {
    trail.push({ text: 'Personalities', href: '/personalities' });
    if (parts[1] === 'new') trail.push({ text: 'Create personality', href: pathname });
    else if (parts[1]) {
      const id = decodeURIComponent(parts[1]);
      trail.push({ text: id, href: `/personalities/${parts[1]}` });
      if (parts[2] === 'voice') trail.push({ text: 'Voice', href: pathname });
    }
  } else {
    const item = NAVIGATION.find((link) => link.href === `/${parts[0] ?? ''}`);
    if (item) trail.push({ text: item.text, href: item.href });
  }
  return trail;
}

function activeHref(pathname: string): string {
  return (
    NAVIGATION.find((link) => pathname === link.href || pathname.startsWith(`${link.href}/`))?.href ?? ''
  );
}

function Navigation() {
  const session = useSession();
  const [switching, setSwitching] = useState(false);
  const navigate = useNavigate();
  const identity = `${session.tenantId} · ${session.role}`;

  const utilities =
    session.mode === 'local'
      ? [
          {
            type: 'menu-dropdown' as const,
            text: `Tenant: ${identity}`,
            description: 'Signed in by the local stack',
            iconName: 'user-profile' as const,
            // The visible text leads the name, so speech input can say what it sees.
            ariaLabel: `Tenant: ${identity}, switch tenant or role`,
            items: [
              { id: 'switch', text: 'Switch tenant or role…' },
              {
                id: session.role === 'admin' ? 'as-member' : 'as-admin',
                text:
                  session.role === 'admin'
                    ? `Continue as member of ${session.tenantId}`
                    : `Continue as admin of ${session.tenantId}`,
              },
            ],
            onItemClick: ({ detail }: { detail: { id: string } }) => {
              if (detail.id === 'switch') setSwitching(true);
              else void session.switchTo(session.tenantId, detail.id === 'as-admin' ? 'admin' : 'member');
            },
          },
        ]
      : [
          {
            type: 'menu-dropdown' as const,
            text: session.user || identity,
            description: identity,
            iconName: 'user-profile' as const,
            items: [{ id: 'sign-out', text: 'Sign out' }],
            onItemClick: () => session.signOut(),
          },
        ];

  return (
    <>
      <TopNavigation
        identity={{
          href: '/personalities',
          title: PRODUCT,
          onFollow: (event) => {
            event.preventDefault();
            navigate('/personalities');
          },
        }}
        utilities={utilities}
        i18nStrings={{
          overflowMenuTriggerText: 'More',
          overflowMenuTitleText: 'All',
          searchIconAriaLabel: 'Search',
        }}
      />
      {switching ? <TenantSwitcher visible onClose={() => setSwitching(false)} /> : null}
    </>
  );
}

function Layout() {
  const location = useLocation();
  const navigate = useNavigate();
  const notifications = useNotifications();
  const [navigationOpen, setNavigationOpen] = useState(true);

  const follow = (event: CustomEvent<{ href: string; external?: boolean }>) => {
    if (event.detail.external) return;
    event.preventDefault();
    navigate(event.detail.href);
  };

  return (
    <>
      <div id="top-navigation" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <Navigation />
      </div>
      <AppLayout
        headerSelector="#top-navigation"
        navigationOpen={navigationOpen}
        onNavigationChange={({ detail }) => setNavigationOpen(detail.open)}
        navigation={
          <SideNavigation
            header={{ text: 'Console', href: '/personalities' }}
            activeHref={activeHref(location.pathname)}
            items={NAVIGATION}
            onFollow={follow}
          />
        }
        breadcrumbs={
          <BreadcrumbGroup
            items={breadcrumbsOf(location.pathname)}
            ariaLabel="Breadcrumbs"
            onFollow={follow}
          />
        }
        notifications={<Flashbar items={notifications} stackItems={notifications.length > 2} />}
        toolsHide
        ariaLabels={{
          navigation: 'Side navigation',
          navigationClose: 'Close side navigation',
          navigationToggle: 'Open side navigation',
          notifications: 'Notifications',
        }}
        content={
          <Suspense fallback={<LoadingState label="Loading page" />}>
            <Routes>
              <Route path="/" element={<Navigate to="/personalities" replace />} />
              <Route path="/personalities" element={<PersonalitiesPage />} />
              <Route path="/personalities/new" element={<PersonalityEditorPage />} />
              <Route path="/personalities/:id" element={<PersonalityEditorPage />} />
              <Route path="/personalities/:id/voice" element={<VoicePage />} />
              <Route path="/chat" element={<ChatPage />} />
              <Route path="/usage" element={<UsagePage />} />
              <Route path="/api-keys" element={<ApiKeysPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        }
      />
    </>
  );
}

export default function App() {
  return (
    <NotificationsProvider>
      <Layout />
    </NotificationsProvider>
  );
}
