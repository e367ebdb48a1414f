import type { ApplicationEvent } from '../../../../contracts/applications.ts';
import { QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { useApplicationEvents } from '../api/applications.ts';
import { STATUS_LABELS } from '../board-logic.ts';

const DOC_NAMES: Record<string, string> = {
  research_report: 'research report',
  optimized_resume: 'tailored resume',
  cover_letter: 'cover letter',
};

export function describeEvent(e: ApplicationEvent): string {
  switch (e.kind) {
    case 'created':
      return `Added as ${e.to_status ? STATUS_LABELS[e.to_status] : 'draft'}`;
    case 'status_changed':
      return `${e.from_status ? STATUS_LABELS[e.from_status] : '?'} → ${e.to_status ? STATUS_LABELS[e.to_status] : '?'}`;
    case 'document_saved':
      return `Saved the ${DOC_NAMES[e.document_type ?? ''] ?? 'document'}`;
    case 'document_deleted':
      return `Deleted the ${DOC_NAMES[e.document_type ?? ''] ?? 'document'}`;
  }
}

export function Timeline({ applicationId }: { applicationId: string }) {
  const events = useApplicationEvents(applicationId);
  if (events.isPending) return <Spinner label="Loading the timeline…" />;
  if (events.isError)
    return <QueryError error={events.error} retry={() => void events.refetch()} />;
  return (
    <ol className="flex flex-col gap-2 text-sm" aria-label="Timeline">
      {[...events.data.items].reverse().map((e) => (
        <li
          key={e.id}
          className="flex flex-col border-l-2 border-indigo-300 pl-2 dark:border-indigo-700"
        >
          <span>{describeEvent(e)}</span>
          <time dateTime={e.created_at} className="text-xs text-slate-600 dark:text-slate-400">
            {new Date(e.created_at).toLocaleString()}
          </time>
        </li>
      ))}
    </ol>
  );
}
