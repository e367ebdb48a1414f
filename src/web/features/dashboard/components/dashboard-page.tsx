import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import {
  Card,
  EmptyState,
  PageTitle,
  QueryError,
  Spinner,
} from '../../../components/ui/feedback.tsx';
import { useApplicationStats } from '../api/stats.ts';

// recharts is the largest library here: its own chunk, loaded only once there is data to draw.
const Charts = lazy(() => import('./charts.tsx'));

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-600 dark:text-slate-300">{label}</p>
      <p className="mt-1 text-2xl font-semibold" data-testid={testId}>
        {value}
      </p>
    </Card>
  );
}

export function DashboardPage() {
  const stats = useApplicationStats();
  if (stats.isPending) return <Spinner />;
  if (stats.isError) return <QueryError error={stats.error} retry={() => void stats.refetch()} />;
  const s = stats.data;
  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      {s.total === 0 ? (
        <EmptyState title="Welcome to Job Forge">
          <ol className="mx-auto mt-2 max-w-md list-decimal text-left">
            <li>
              <Link to="/resumes">Add your resume</Link> — the facts every tailored document is
              built from.
            </li>
            <li>
              <Link to="/applications/new">Add the first job</Link> you are applying for, with its
              description.
            </li>
            <li>
              Move it across the <Link to="/board">board</Link> as it progresses; this page charts
              your search.
            </li>
          </ol>
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Figure label="Applications" value={String(s.total)} testId="stat-total" />
            <Figure label="Applied for" value={String(s.applied_count)} testId="stat-applied" />
            <Figure
              label="Response rate"
              value={s.response_rate === null ? '—' : `${Math.round(s.response_rate * 100)}%`}
              testId="stat-response-rate"
            />
            <Figure
              label="Median days to a response"
              value={
                s.median_days_to_response === null ? '—' : s.median_days_to_response.toFixed(1)
              }
              testId="stat-median-days"
            />
          </div>
          <Suspense fallback={<Spinner label="Drawing charts…" />}>
            <Charts stats={s} />
          </Suspense>
        </div>
      )}
    </>
  );
}
