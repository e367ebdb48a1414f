import { useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import type { Application, ApplicationStatus } from '../../../../contracts/applications.ts';
import { cn } from '../../../components/ui/cn.ts';
import {
  Alert,
  EmptyState,
  errorMessage,
  PageTitle,
  QueryError,
  Spinner,
} from '../../../components/ui/feedback.tsx';
import { useAllApplications, useUpdateApplication } from '../api/applications.ts';
import {
  moveCard,
  neighbourStatus,
  STATUSES,
  STATUS_LABELS,
  toColumns,
  type Columns,
} from '../board-logic.ts';
import { StatusSelect } from './status.tsx';

const DRAG_TYPE = 'application/x-jobforge-application';

type Move = (id: string, to: ApplicationStatus, opts?: { refocus?: boolean }) => void;

/** Alt+← / Alt+→ on a card moves it to the neighbouring column (the select is the other way). */
function keyMove(e: KeyboardEvent, app: Application, onMove: Move): void {
  if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
  // Alt+← is also the browser's Back: the card takes the keys while it has focus.
  e.preventDefault();
  const to = neighbourStatus(app.status, e.key === 'ArrowLeft' ? -1 : 1);
  if (to) onMove(app.id, to, { refocus: true });
}

function BoardCard({
  app,
  onMove,
  focusRef,
}: {
  app: Application;
  onMove: Move;
  /** The id of a card that moved by keyboard: it remounts in its new column and takes focus back. */
  focusRef: { current: string | null };
}) {
  return (
    <li
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, app.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onKeyDown={(e) => keyMove(e, app, onMove)}
      data-testid="board-card"
      data-id={app.id}
      className="cursor-grab rounded-md border border-slate-200 bg-white p-2 shadow-sm active:cursor-grabbing dark:border-slate-700 dark:bg-slate-800"
    >
      <Link
        ref={(el) => {
          if (el && focusRef.current === app.id) {
            focusRef.current = null;
            el.focus();
          }
        }}
        to={`/applications/${app.id}`}
        aria-keyshortcuts="Alt+ArrowLeft Alt+ArrowRight"
        title="Alt+← / Alt+→ moves the card to the previous / next column"
        className="block text-sm font-medium break-words"
      >
        {app.role_title}
      </Link>
      <p className="text-xs break-words text-slate-600 dark:text-slate-300">{app.company_name}</p>
      <StatusSelect
        className="mt-2"
        value={app.status}
        label={`Status of ${app.role_title} at ${app.company_name}`}
        onChange={(to) => onMove(app.id, to)}
      />
    </li>
  );
}

function Column({
  status,
  apps,
  onMove,
  focusRef,
}: {
  status: ApplicationStatus;
  apps: Application[];
  onMove: Move;
  focusRef: { current: string | null };
}) {
  const [over, setOver] = useState(false);
  const accept = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    setOver(true);
  };
  return (
    <section
      aria-labelledby={`col-${status}`}
      data-testid={`column-${status}`}
      onDragOver={accept}
      onDragEnter={accept}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const id = e.dataTransfer.getData(DRAG_TYPE);
        if (id) onMove(id, status);
      }}
      className={cn(
        // Stacked on a phone, a scrolling row of fixed columns on a tablet, five equal columns
        // on a desktop (the main area is 1128 px: 5 × 256 px did not fit).
        'flex min-h-24 min-w-0 flex-col rounded-lg border bg-slate-100 p-2 sm:min-h-40 sm:w-60 sm:shrink-0 sm:snap-start lg:w-auto dark:bg-slate-900',
        over ? 'border-indigo-500' : 'border-transparent',
      )}
    >
      <h2 id={`col-${status}`} className="mb-2 flex justify-between px-1 text-sm font-semibold">
        {STATUS_LABELS[status]}{' '}
        <span className="text-slate-600 dark:text-slate-300">{apps.length}</span>
      </h2>
      <ul className="flex flex-col gap-2">
        {apps.map((a) => (
          <BoardCard key={a.id} app={a} onMove={onMove} focusRef={focusRef} />
        ))}
      </ul>
    </section>
  );
}

/**
 * One column per status; drag a card, pick its status in the card's menu, or press Alt+←/→ on
 * the card's link (keyboard).
 */
export function BoardPage() {
  const query = useAllApplications();
  const update = useUpdateApplication();
  // Optimistic view while a move is in flight; cleared when the list refetches.
  const [optimistic, setOptimistic] = useState<Columns | null>(null);
  const columns = useMemo(
    () => optimistic ?? toColumns(query.data ?? []),
    [optimistic, query.data],
  );

  const focusRef = useRef<string | null>(null);

  const onMove: Move = (id, to, opts) => {
    const next = moveCard(columns, id, to);
    if (next === columns) return;
    if (opts?.refocus) focusRef.current = id;
    setOptimistic(next);
    update.mutate({ id, patch: { status: to } }, { onSettled: () => setOptimistic(null) });
  };

  const actions = (
    <Link
      to="/applications/new"
      className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white no-underline hover:bg-indigo-700 dark:bg-indigo-400 dark:text-slate-950 dark:hover:bg-indigo-300"
    >
      New application
    </Link>
  );
  if (query.isPending) return <Spinner />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  return (
    <>
      <PageTitle actions={actions}>Board</PageTitle>
      {update.isError && (
        <Alert>Could not move the application: {errorMessage(update.error)}</Alert>
      )}
      {query.data.length === 0 ? (
        <EmptyState title="No applications yet">
          Add the first job you are applying for:{' '}
          <Link to="/applications/new">new application</Link>. It appears here as a card you can
          drag from column to column as it progresses.
        </EmptyState>
      ) : (
        <div
          className="flex flex-col gap-3 pb-2 sm:snap-x sm:flex-row sm:overflow-x-auto lg:grid lg:grid-cols-5 lg:overflow-visible"
          aria-label="Applications by status"
          role="region"
          tabIndex={0}
        >
          {STATUSES.map((s) => (
            <Column key={s} status={s} apps={columns[s]} onMove={onMove} focusRef={focusRef} />
          ))}
        </div>
      )}
    </>
  );
}
