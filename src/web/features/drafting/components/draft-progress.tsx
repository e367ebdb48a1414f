import { useEffect, useRef } from 'react';
import type { DocumentType } from '../../../../contracts/documents.ts';
import type { DocumentProgress } from '../../../../contracts/generation.ts';
import { cn } from '../../../components/ui/cn.ts';
import { DOCUMENT_LABELS } from '../../documents/api/documents.ts';
import type { DraftView } from '../draft-state.ts';

const STATE_LABELS: Record<DocumentProgress, string> = {
  queued: 'Waiting',
  running: 'Writing…',
  saved: 'Saved',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATE_STYLES: Record<DocumentProgress, string> = {
  queued: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100',
  running: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  saved: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  failed: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100',
  cancelled: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
};

/** The streamed text, kept scrolled to its end while it grows. */
function StreamBox({ type, text }: { type: DocumentType; text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre
      ref={ref}
      // Focusable: a scrolling box must be reachable by keyboard.
      tabIndex={0}
      aria-label={`${DOCUMENT_LABELS[type]} as it is written`}
      data-testid={`stream-${type}`}
      className="max-h-48 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs break-words whitespace-pre-wrap dark:border-slate-700 dark:bg-slate-950"
    >
      {text}
    </pre>
  );
}

/** One row per document: its state and, once it starts, its text as it streams in. */
export function DraftProgress({ view }: { view: DraftView }) {
  // The research report is drafted first even when not chosen (the others build on it).
  const shown: DocumentType[] = view.types.includes('research_report')
    ? view.types
    : view.text.research_report !== undefined
      ? ['research_report', ...view.types]
      : view.types;
  return (
    <ul className="flex flex-col gap-3">
      {shown.map((t) => {
        const state = view.progress[t];
        const text = view.text[t];
        return (
          <li key={t} data-testid={`draft-${t}`} className="flex flex-col gap-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">{DOCUMENT_LABELS[t]}</span>
              {state ? (
                <span
                  data-testid={`draft-state-${t}`}
                  className={cn(
                    'rounded-full px-2 py-0.5 text-xs font-medium',
                    STATE_STYLES[state],
                  )}
                >
                  {STATE_LABELS[state]}
                </span>
              ) : (
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  for the others, not saved
                </span>
              )}
            </div>
            {text !== undefined && <StreamBox type={t} text={text} />}
          </li>
        );
      })}
    </ul>
  );
}
