import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { Link, useNavigate, type NavigateFunction } from 'react-router';
import type { ApplicationSummary, ApplicationStatus } from '../../../../contracts/applications.ts';
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
import { Select } from '../../../components/ui/field.tsx';

const DRAG_TYPE = 'application/x-jobforge-application';

type Move = (id: string, to: ApplicationStatus, opts?: { refocus?: boolean }) => void;

/** Alt+← / Alt+→ on a card moves it to the neighbouring column (the select is the other way). */
function keyMove(e: KeyboardEvent, app: ApplicationSummary, onMove: Move): void {
  if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
  // Alt+← is also the browser's Back: the card takes the keys while it has focus.
  e.preventDefault();
  const to = neighbourStatus(app.status, e.key === 'ArrowLeft' ? -1 : 1);
  if (to) onMove(app.id, to, { refocus: true });
}

/**
 * Memoised, like Column: a move changes two columns' arrays and one card's object, so only those
 * re-render — not the other 499 cards of a full board (docs/performance.md, budget 100 ms).
 */
const BoardCard = memo(function BoardCard({
  app,
  onMove,
  focusRef,
}: {
  app: ApplicationSummary;
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
      className="board-card cursor-grab rounded-md border border-slate-200 bg-white p-2 shadow-sm active:cursor-grabbing dark:border-slate-700 dark:bg-slate-800"
    >
      {/* A plain link: the board routes clicks on it (one handler instead of 500 <Link>s). */}
      <a
        ref={(el) => {
          if (el && focusRef.current === app.id) {
            focusRef.current = null;
            el.focus();
          }
        }}
        href={`/applications/${app.id}`}
        data-route-link
        aria-keyshortcuts="Alt+ArrowLeft Alt+ArrowRight"
        title="Alt+← / Alt+→ moves the card to the previous / next column"
        className="block text-sm font-medium break-words"
      >
        {app.role_title}
      </a>
      <p className="text-xs break-words text-slate-600 dark:text-slate-300">{app.company_name}</p>
      <CardStatusMenu
        value={app.status}
        label={`Status of ${app.role_title} at ${app.company_name}`}
        onChange={(to) => onMove(app.id, to)}
      />
    </li>
  );
});

/**
 * The card's status menu (the keyboard and screen-reader way to move it). 500 selects of five
 * options were two thirds of the board's render time, so until the user reaches the menu —
 * focus, pointer or touch — it holds only the current status; the others are added before the
 * browser opens it or handles a key (those events run after React has re-rendered).
 */
function CardStatusMenu({
  value,
  label,
  onChange,
}: {
  value: ApplicationStatus;
  label: string;
  onChange: (s: ApplicationStatus) => void;
}) {
  const [open, setOpen] = useState(false);
  const reach = () => setOpen(true);
  return (
    <Select
      aria-label={label}
      value={value}
      className="mt-2 py-1 text-xs"
      onFocus={reach}
      onPointerDown={reach}
      onPointerEnter={reach}
      onTouchStart={reach}
      onChange={(e) => onChange(e.target.value as ApplicationStatus)}
    >
      {(open ? STATUSES : [value]).map((s) => (
        <option key={s} value={s}>
          {STATUS_LABELS[s]}
        </option>
      ))}
    </Select>
  );
}

const Column = memo(function Column({
  status,
  apps,
  onMove,
  focusRef,
}: {
  status: ApplicationStatus;
  apps: ApplicationSummary[];
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
});

/** A plain left click on a card's link navigates in the app, as <Link> would. */
function routeClick(e: MouseEvent, navigate: NavigateFunction): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.defaultPrevented)
    return;
  const a = (e.target as Element).closest('a[data-route-link]');
  const href = a?.getAttribute('href');
  if (!href) return;
  e.preventDefault();
  void navigate(href);
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
  const navigate = useNavigate();

  // One onMove for the life of the page (memoised cards keep their props equal); it reads the
  // board and the mutation as of the last render.
  const latest = useRef({ columns, mutate: update.mutate });
  useLayoutEffect(() => {
    latest.current = { columns, mutate: update.mutate };
  });
  const onMove: Move = useCallback((id, to, opts) => {
    const { columns: current, mutate } = latest.current;
    const next = moveCard(current, id, to);
    if (next === current) return;
    if (opts?.refocus) focusRef.current = id;
    latest.current = { columns: next, mutate };
    setOptimistic(next);
    mutate({ id, patch: { status: to } }, { onSettled: () => setOptimistic(null) });
  }, []);

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
          onClick={(e) => routeClick(e, navigate)}
        >
          {STATUSES.map((s) => (
            <Column key={s} status={s} apps={columns[s]} onMove={onMove} focusRef={focusRef} />
          ))}
        </div>
      )}
    </>
  );
}
