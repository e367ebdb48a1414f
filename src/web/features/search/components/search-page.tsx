import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { SearchHit } from '../../../../contracts/search.ts';
import { EmptyState, PageTitle, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { Field, Input } from '../../../components/ui/field.tsx';
import { snippetParts } from '../../../lib/snippet.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { useSearch } from '../api/search.ts';

const KIND_LABELS = { application: 'Application', resume: 'Resume', document: 'Document' } as const;

function hitLink(h: SearchHit): string {
  if (h.kind === 'resume') return `/resumes/${h.id}`;
  if (h.kind === 'document') return `/applications/${h.application_id ?? ''}`;
  return `/applications/${h.id}`;
}

/** The snippet's <mark>s as real elements, everything else as text (never as HTML). */
export function Snippet({ html }: { html: string }) {
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300">
      {snippetParts(html).map((p, i) =>
        p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </p>
  );
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim());
  const results = useSearch(q);
  return (
    <>
      <PageTitle>Search</PageTitle>
      <div className="mb-4 max-w-xl">
        <Field
          label="Search applications, resumes and documents"
          hint='Words, "an exact phrase", -without, this or that.'
        >
          {(p) => (
            <Input
              {...p}
              type="search"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setParams(e.target.value ? { q: e.target.value } : {}, { replace: true });
              }}
            />
          )}
        </Field>
      </div>
      {!q ? (
        <EmptyState title="Find anything you have written">
          Type a word from a job description, a resume or a cover letter.
        </EmptyState>
      ) : results.isPending ? (
        <Spinner label="Searching…" />
      ) : results.isError ? (
        <QueryError error={results.error} retry={() => void results.refetch()} />
      ) : results.data.items.length === 0 ? (
        <EmptyState title="No matches">Try fewer or other words.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Results" aria-busy={results.isFetching}>
          {results.data.items.map((h) => (
            <li
              key={`${h.kind}:${h.id}`}
              className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
            >
              <p className="text-xs text-slate-600 uppercase dark:text-slate-400">
                {KIND_LABELS[h.kind]}
              </p>
              <Link to={hitLink(h)} className="font-medium">
                {h.title}
              </Link>
              <Snippet html={h.snippet} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
