import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { SearchHit } from '../../../../contracts/search.ts';
import { cn } from '../../../components/ui/cn.ts';
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
export function Snippet({ html, clamp = false }: { html: string; clamp?: boolean }) {
  // A semantic hit's snippet is the start of its text, not words around a match: three lines.
  return (
    <p className={cn('text-sm text-slate-700 dark:text-slate-300', clamp && 'line-clamp-3')}>
      {snippetParts(html).map((p, i) =>
        p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </p>
  );
}

/** The address keeps the query and the mode, so a search can be reloaded, shared or gone back to. */
const paramsFor = (q: string, semantic: boolean): Record<string, string> => ({
  ...(q ? { q } : {}),
  ...(semantic ? { semantic: '1' } : {}),
});

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  // Local state as for the text: the address follows it, a beat later (router navigation).
  const [semantic, setSemantic] = useState(params.get('semantic') === '1');
  const q = useDebounced(text.trim());
  const results = useSearch(q, semantic);
  // The mode of the answer shown, which lags the switch until the new answer arrives.
  const byMeaning = results.data?.semantic ?? semantic;
  // By meaning, every item gets a score, however unrelated: nothing in common (under 1%) is no hit.
  const hits = (results.data?.items ?? []).filter(
    (h) => !byMeaning || Math.round(h.rank * 100) > 0,
  );
  return (
    <>
      <PageTitle>Search</PageTitle>
      <div className="mb-4 flex max-w-xl flex-col gap-2">
        <Field
          label={
            semantic
              ? 'Search applications and documents by meaning'
              : 'Search applications, resumes and documents'
          }
          hint={
            semantic
              ? 'Describe what you are looking for in your own words: results are ranked by how close they are in meaning, not by matching words. Resumes are not included.'
              : 'Words, "an exact phrase", -without, this or that.'
          }
        >
          {(p) => (
            <Input
              {...p}
              type="search"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setParams(paramsFor(e.target.value, semantic), { replace: true });
              }}
            />
          )}
        </Field>
        <label className="flex items-center gap-2 self-start text-sm">
          <input
            type="checkbox"
            role="switch"
            className="size-4"
            checked={semantic}
            onChange={(e) => {
              setSemantic(e.target.checked);
              setParams(paramsFor(text, e.target.checked), { replace: true });
            }}
          />
          Search by meaning
        </label>
      </div>
      {!q ? (
        <EmptyState title="Find anything you have written">
          Type a word from a job description, a resume or a cover letter.
        </EmptyState>
      ) : results.isPending ? (
        <Spinner label="Searching…" />
      ) : results.isError ? (
        <QueryError error={results.error} retry={() => void results.refetch()} />
      ) : hits.length === 0 ? (
        <EmptyState title="No matches">
          {byMeaning ? 'Try describing it another way.' : 'Try fewer or other words.'}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Results" aria-busy={results.isFetching}>
          {hits.map((h) => (
            <li
              key={`${h.kind}:${h.id}`}
              className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
            >
              <p className="text-xs text-slate-600 uppercase dark:text-slate-400">
                {KIND_LABELS[h.kind]}
                {byMeaning && (
                  <span className="normal-case" data-testid="hit-closeness">
                    {' '}
                    · {Math.round(h.rank * 100)}% close in meaning
                  </span>
                )}
              </p>
              <Link to={hitLink(h)} className="font-medium">
                {h.title}
              </Link>
              <Snippet html={h.snippet} clamp={byMeaning} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
