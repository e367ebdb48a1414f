import {
  applicationStatus,
  type ApplicationSummary,
  type ApplicationStatus,
} from '../../../contracts/applications.ts';

export const STATUSES: readonly ApplicationStatus[] = applicationStatus.options;

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: 'Draft',
  applied: 'Applied',
  interview: 'Interview',
  rejected: 'Rejected',
  offer: 'Offer',
};

export type Columns = Record<ApplicationStatus, ApplicationSummary[]>;

/** One column per status, in the order the API lists statuses, cards in the given order. */
export function toColumns(apps: readonly ApplicationSummary[]): Columns {
  const columns = Object.fromEntries(
    STATUSES.map((s) => [s, [] as ApplicationSummary[]]),
  ) as Columns;
  for (const a of apps) columns[a.status].push(a);
  return columns;
}

/**
 * The board after moving one card (the optimistic update while the PATCH is in flight): the
 * card leaves its column and goes on top of the target one. Moving to its own column, or an
 * unknown id, changes nothing (and returns the same object, so React skips a render).
 */
export function moveCard(columns: Columns, id: string, to: ApplicationStatus): Columns {
  const from = STATUSES.find((s) => columns[s].some((a) => a.id === id));
  if (!from || from === to) return columns;
  const card = columns[from].find((a) => a.id === id)!;
  return {
    ...columns,
    [from]: columns[from].filter((a) => a.id !== id),
    [to]: [{ ...card, status: to }, ...columns[to]],
  };
}

/** The neighbouring status for keyboard moves (Alt+←/→ on a board card), or undefined at either end. */
export function neighbourStatus(
  status: ApplicationStatus,
  direction: -1 | 1,
): ApplicationStatus | undefined {
  return STATUSES[STATUSES.indexOf(status) + direction];
}
