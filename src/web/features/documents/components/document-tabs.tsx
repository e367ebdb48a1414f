import { useRef, useState, type KeyboardEvent } from 'react';
import { useSearchParams } from 'react-router';
import { documentType, type DocumentType } from '../../../../contracts/documents.ts';
import { cn } from '../../../components/ui/cn.ts';
import { QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { DOCUMENT_LABELS, useDocuments } from '../api/documents.ts';
import { flaggedClaims } from '../grounding.ts';
import { DocumentEditor } from './document-editor.tsx';

const TYPES = documentType.options;

/**
 * Research report, tailored resume and cover letter as tabs (arrow keys move between tabs).
 * `?document=<type>` in the address opens on that tab (links from similar applications).
 */
export function DocumentTabs({ applicationId }: { applicationId: string }) {
  const docs = useDocuments(applicationId);
  const [params] = useSearchParams();
  const [active, setActive] = useState<DocumentType>(() => {
    const asked = params.get('document');
    return TYPES.find((t) => t === asked) ?? 'research_report';
  });
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TYPES[(TYPES.indexOf(active) + step + TYPES.length) % TYPES.length]!;
    setActive(next);
    tabs.current[next]?.focus();
  };
  if (docs.isPending) return <Spinner label="Loading documents…" />;
  if (docs.isError) return <QueryError error={docs.error} retry={() => void docs.refetch()} />;
  const current = docs.data.items.find((d) => d.document_type === active);
  const claims = flaggedClaims(docs.data.items.find((d) => d.document_type === 'optimized_resume'));
  return (
    <div>
      <div
        role="tablist"
        aria-label="Documents"
        className="flex gap-1 overflow-x-auto border-b border-slate-300 dark:border-slate-700"
        onKeyDown={onKey}
      >
        {TYPES.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={t === active}
            aria-controls={`panel-${t}`}
            tabIndex={t === active ? 0 : -1}
            onClick={() => setActive(t)}
            className={cn(
              '-mb-px border-b-2 px-3 py-2 text-sm whitespace-nowrap',
              t === active
                ? 'border-indigo-600 font-medium dark:border-indigo-300'
                : 'border-transparent text-slate-600 dark:text-slate-300',
            )}
          >
            {DOCUMENT_LABELS[t]}
            {t === 'optimized_resume' && claims > 0 && (
              // Seen from any tab; the warning inside the tab says what it means and opens the lines.
              <span
                data-testid="grounding-tab-badge"
                className="ml-1.5 rounded-full bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-950 dark:bg-amber-900 dark:text-amber-50"
              >
                <span aria-hidden="true">⚠ {claims}</span>
                <span className="sr-only">
                  {' '}
                  ({claims} claim{claims === 1 ? '' : 's'} to review)
                </span>
              </span>
            )}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${active}`}
        aria-labelledby={`tab-${active}`}
        className="pt-3"
      >
        <DocumentEditor
          // Not keyed by version: a draft saved while the user edits must not wipe their text.
          key={active}
          applicationId={applicationId}
          type={active}
          document={current}
        />
      </div>
    </div>
  );
}
