import type { ApplicationStatus } from '../../../../contracts/applications.ts';
import { cn } from '../../../components/ui/cn.ts';
import { Select } from '../../../components/ui/field.tsx';
import { STATUSES, STATUS_LABELS } from '../board-logic.ts';

const BADGE: Record<ApplicationStatus, string> = {
  draft: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100',
  applied: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  interview: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  rejected: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100',
  offer: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
};

export function StatusBadge({ status }: { status: ApplicationStatus }) {
  return (
    <span className={cn('rounded-full px-2 py-0.5 text-xs font-medium', BADGE[status])}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/** The keyboard (and screen reader) way to move an application: a plain labelled select. */
export function StatusSelect({
  value,
  onChange,
  label,
  disabled,
  className,
}: {
  value: ApplicationStatus;
  onChange: (s: ApplicationStatus) => void;
  label: string;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <Select
      aria-label={label}
      value={value}
      disabled={disabled}
      className={cn('py-1 text-xs', className)}
      onChange={(e) => onChange(e.target.value as ApplicationStatus)}
    >
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {STATUS_LABELS[s]}
        </option>
      ))}
    </Select>
  );
}
