import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApplicationSort, ApplicationStatus } from '../../../../contracts/applications.ts';
import { Button } from '../../../components/ui/button.tsx';
import { EmptyState, PageTitle, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { Field, Input, Select } from '../../../components/ui/field.tsx';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { useApplications } from '../api/applications.ts';
import { STATUSES, STATUS_LABELS } from '../board-logic.ts';
import { StatusBadge } from './status.tsx';

const PAGE_SIZE = 20;
const SORTS: Record<string, { sort: ApplicationSort; order: 'asc' | 'desc'; label: string }> = {
  newest: { sort: 'created_at', order: 'desc', label: 'Newest first' },
  oldest: { sort: 'created_at', order: 'asc', label: 'Oldest first' },
  updated: { sort: 'updated_at', order: 'desc', label: 'Recently updated' },
  company: { sort: 'company_name', order: 'asc', label: 'Company A–Z' },
  company_desc: { sort: 'company_name', order: 'desc', label: 'Company Z–A' },
};

/** The applications as a table: filter, search as you type, sort and page (state in the URL). */
export function TablePage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim());
  const status = (params.get('status') ?? '') as ApplicationStatus | '';
  const sortKey = params.get('sort') ?? 'newest';
  const sort = SORTS[sortKey] ?? SORTS.newest!;
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const query = useApplications({
    ...(status ? { status } : {}),
    ...(q ? { q } : {}),
    sort: sort.sort,
    order: sort.order,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <PageTitle actions={<Link to="/applications/new">New application</Link>}>
        Applications
      </PageTitle>
      <div className="mb-3 grid gap-3 sm:grid-cols-3">
        <Field label="Search">
          {(p) => (
            <Input
              {...p}
              type="search"
              value={text}
              placeholder="Company, role, words…"
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
        <Field label="Status">
          {(p) => (
            <Select {...p} value={status} onChange={(e) => set('status', e.target.value)}>
              <option value="">All statuses</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Sort">
          {(p) => (
            <Select {...p} value={sortKey} onChange={(e) => set('sort', e.target.value)}>
              {Object.entries(SORTS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <QueryError error={query.error} retry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState title={q || status ? 'Nothing matches' : 'No applications yet'}>
          {q || status ? (
            'Try other words or another status.'
          ) : (
            <Link to="/applications/new">Add your first application.</Link>
          )}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Applications, {total} in all</caption>
            <thead className="border-b border-slate-300 dark:border-slate-700">
              <tr>
                <th scope="col" className="p-2">
                  Role
                </th>
                <th scope="col" className="p-2">
                  Company
                </th>
                <th scope="col" className="p-2">
                  Status
                </th>
                <th scope="col" className="hidden p-2 sm:table-cell">
                  Added
                </th>
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((a) => (
                <tr key={a.id} className="border-b border-slate-200 dark:border-slate-800">
                  <td className="p-2">
                    <Link to={`/applications/${a.id}`}>{a.role_title}</Link>
                  </td>
                  <td className="p-2">{a.company_name}</td>
                  <td className="p-2">
                    <StatusBadge status={a.status} />
                  </td>
                  <td className="hidden p-2 sm:table-cell">
                    {new Date(a.created_at).toLocaleDateString()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-3 flex items-center justify-between gap-2 text-sm">
        <Button
          variant="secondary"
          size="sm"
          disabled={page === 0}
          onClick={() => set('page', String(page - 1))}
        >
          Previous
        </Button>
        <span aria-live="polite">
          Page {Math.min(page + 1, pages)} of {pages} · {total} applications
        </span>
        <Button
          variant="secondary"
          size="sm"
          disabled={page + 1 >= pages}
          onClick={() => set('page', String(page + 1))}
        >
          Next
        </Button>
      </nav>
    </>
  );
}
