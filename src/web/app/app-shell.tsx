import { Suspense, useState } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigation } from 'react-router';
import { Button } from '../components/ui/button.tsx';
import { cn } from '../components/ui/cn.ts';
import { Spinner } from '../components/ui/feedback.tsx';
import { signOut } from '../features/auth/api/sign-out.ts';
import { useSession } from '../lib/session-store.ts';
import { applyTheme, currentTheme, type Theme } from '../lib/theme.ts';

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/board', label: 'Board' },
  { to: '/applications', label: 'Applications', end: true },
  { to: '/resumes', label: 'Resumes' },
  { to: '/search', label: 'Search' },
  { to: '/settings', label: 'Settings' },
];

function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(currentTheme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={`Switch to ${next} theme`}
      onClick={() => {
        applyTheme(next, true);
        setTheme(next);
      }}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </Button>
  );
}

/** The signed-in frame: header, navigation, and the current screen. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  const navigation = useNavigation();
  if (session.status === 'unknown') return <Spinner label="Restoring your session…" />;
  if (session.status === 'signed-out') {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2 dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-2 px-3 py-2">
          <Link to="/" className="font-semibold text-slate-900 no-underline dark:text-slate-100">
            Job Forge
          </Link>
          <div className="flex items-center gap-1">
            <span className="hidden text-sm text-slate-600 sm:inline dark:text-slate-300">
              {session.user?.first_name}
            </span>
            <ThemeToggle />
            <Button variant="secondary" size="sm" onClick={() => void signOut()}>
              Sign out
            </Button>
          </div>
        </div>
        <nav aria-label="Main" className="mx-auto max-w-6xl overflow-x-auto px-3">
          <ul className="flex gap-1 pb-2">
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink
                  to={n.to}
                  end={n.end ?? false}
                  className={({ isActive }) =>
                    cn(
                      'block rounded-md px-3 py-1.5 text-sm whitespace-nowrap no-underline',
                      isActive
                        ? 'bg-indigo-100 font-medium text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100'
                        : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
                    )
                  }
                >
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main
        id="main"
        className="mx-auto max-w-6xl px-3 py-4"
        aria-busy={navigation.state === 'loading'}
      >
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
