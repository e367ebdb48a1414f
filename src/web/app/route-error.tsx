import { Link, useRouteError } from 'react-router';
import { Alert } from '../components/ui/feedback.tsx';

/** A screen that failed to load (e.g. a chunk after a redeploy), or an unknown address. */
export function RouteError({ notFound = false }: { notFound?: boolean }) {
  const err = useRouteError() as Error | undefined;
  return (
    <main id="main" className="mx-auto max-w-xl p-4">
      <Alert>
        {notFound
          ? 'There is no page at this address.'
          : `This page could not be shown: ${err?.message ?? 'unknown error'}.`}{' '}
        <Link to="/">Go to the dashboard</Link>
      </Alert>
    </main>
  );
}
