import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router';
import { ApiError, refreshSession } from '../lib/api-client.ts';
import { getSession, signedOut, subscribe } from '../lib/session-store.ts';
import { router } from './router.tsx';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A 4xx will answer the same again; a network blip or 5xx deserves one more try.
        retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 1,
      },
    },
  });
}

let restoring: Promise<void> | null = null;

/** A reload keeps the session: the refresh cookie buys a new access token (once per page). */
function restoreSession(): Promise<void> {
  restoring ??= (async () => {
    if (getSession().status !== 'unknown') return;
    if (!(await refreshSession())) signedOut(null);
  })();
  return restoring;
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  useEffect(() => {
    void restoreSession();
    // Another user must never see this user's cached data: drop the cache at every change of user.
    let userId = getSession().user?.id ?? null;
    return subscribe(() => {
      const next = getSession().user?.id ?? null;
      if (next !== userId) queryClient.clear();
      userId = next;
    });
  }, [queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
