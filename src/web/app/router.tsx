import { createBrowserRouter } from 'react-router';
import { AppShell } from './app-shell.tsx';
import { RouteError } from './route-error.tsx';

/**
 * Every screen is its own chunk, loaded on first visit: the initial download is the shell,
 * React, the router and the query cache (the budget is 200 KB gzip).
 */
export const router = createBrowserRouter([
  {
    path: '/sign-in',
    lazy: () =>
      import('../features/auth/components/sign-in-page.tsx').then((m) => ({
        Component: m.SignInPage,
      })),
  },
  {
    path: '/sign-up',
    lazy: () =>
      import('../features/auth/components/sign-up-page.tsx').then((m) => ({
        Component: m.SignUpPage,
      })),
  },
  {
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      {
        index: true,
        lazy: () =>
          import('../features/dashboard/components/dashboard-page.tsx').then((m) => ({
            Component: m.DashboardPage,
          })),
      },
      {
        path: 'board',
        lazy: () =>
          import('../features/applications/components/board-page.tsx').then((m) => ({
            Component: m.BoardPage,
          })),
      },
      {
        path: 'applications',
        lazy: () =>
          import('../features/applications/components/table-page.tsx').then((m) => ({
            Component: m.TablePage,
          })),
      },
      {
        path: 'applications/new',
        lazy: () =>
          import('../features/applications/components/new-application-page.tsx').then((m) => ({
            Component: m.NewApplicationPage,
          })),
      },
      {
        // The window the bookmarklet opens (lib/bookmarklet.ts).
        path: 'import/bookmarklet',
        lazy: () =>
          import('../features/applications/components/bookmarklet-import-page.tsx').then((m) => ({
            Component: m.BookmarkletImportPage,
          })),
      },
      {
        path: 'applications/:id',
        lazy: () => import('./workspace-page.tsx').then((m) => ({ Component: m.WorkspacePage })),
      },
      {
        path: 'resumes',
        lazy: () =>
          import('../features/resumes/components/resumes-page.tsx').then((m) => ({
            Component: m.ResumesPage,
          })),
      },
      {
        path: 'resumes/:id',
        lazy: () =>
          import('../features/resumes/components/resume-page.tsx').then((m) => ({
            Component: m.ResumePage,
          })),
      },
      {
        path: 'search',
        lazy: () =>
          import('../features/search/components/search-page.tsx').then((m) => ({
            Component: m.SearchPage,
          })),
      },
      {
        path: 'settings',
        lazy: () =>
          import('../features/settings/components/settings-page.tsx').then((m) => ({
            Component: m.SettingsPage,
          })),
      },
      { path: '*', element: <RouteError notFound /> },
    ],
  },
]);
