import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { createApplicationBody } from '../../../../contracts/applications.ts';
import type { ImportedPosting, JobImport } from '../../../../contracts/imports.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Input, Textarea } from '../../../components/ui/field.tsx';
import { useConfirmImport, useImportPosting } from '../api/imports.ts';
import { ApplicationForm, postingBody, type PostingValues } from './application-form.tsx';

const SOURCES: Record<JobImport['source'], string> = {
  'json-ld': 'the posting’s structured data',
  meta: 'the page’s title and summary tags',
  readable: 'the page’s main text: check it carefully',
};

/** A posting as the form's values; the page's own address when the posting names none. */
export function postingValues(p: ImportedPosting, pageUrl: string | undefined): PostingValues {
  const link = p.job_url ?? pageUrl ?? '';
  return {
    company_name: p.company_name,
    role_title: p.role_title,
    location: p.location ?? '',
    job_url: /^https?:\/\//i.test(link) ? link : '',
    job_description: p.job_description,
  };
}

/**
 * The imported draft in the application form, for the user to correct and confirm. Confirming
 * goes through the import's confirm endpoint, so the frozen copy of the page stays with the new
 * application. A page listing several postings lets the user choose one first.
 */
export function ImportReview({
  result,
  pageUrl,
}: {
  result: JobImport;
  pageUrl: string | undefined;
}) {
  const postings = result.postings.length > 0 ? result.postings : [result.draft];
  const [choice, setChoice] = useState(0);
  const posting = postings[choice] ?? result.draft;
  const [notes, setNotes] = useState(posting.notes);
  const confirm = useConfirmImport();
  const navigate = useNavigate();
  const choose = (i: number) => {
    setChoice(i);
    setNotes(postings[i]?.notes ?? '');
  };

  return (
    <div className="flex flex-col gap-4">
      <Alert kind="info">
        Read from {SOURCES[result.source]}. Check the fields, then create the application; a copy of
        the page is kept with it.
      </Alert>
      {postings.length > 1 && (
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-sm font-medium">
            This page lists {postings.length} postings. Which one?
          </legend>
          {postings.map((p, i) => (
            <label key={i} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="posting"
                checked={i === choice}
                onChange={() => choose(i)}
              />
              {p.role_title || 'Untitled role'}
              {p.company_name && ` — ${p.company_name}`}
              {p.location && ` (${p.location})`}
            </label>
          ))}
        </fieldset>
      )}
      <ApplicationForm
        // A new choice refills the form from that posting.
        key={`${result.snapshot_id}-${choice}`}
        initial={postingValues(posting, pageUrl)}
        submitLabel="Create application"
        extra={
          <Field label="Notes (optional)">
            {(p) => (
              <Textarea {...p} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} />
            )}
          </Field>
        }
        onSubmit={async (v) => {
          const created = await confirm.mutateAsync({
            snapshotId: result.snapshot_id,
            // Already valid (the form checked it); parse() fills the API's defaults.
            body: createApplicationBody.parse({ ...postingBody(v, false), notes }),
          });
          await navigate(`/applications/${created.id}`);
        }}
      />
    </div>
  );
}

/** "Paste a link": the server fetches the page and answers a draft (or says why it cannot). */
export function LinkImport({ onImported }: { onImported: (r: JobImport, url: string) => void }) {
  const importing = useImportPosting();
  const [url, setUrl] = useState('');
  const [tried, setTried] = useState(false);
  const invalid = !/^https?:\/\/\S+$/i.test(url.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (invalid) return;
    const link = url.trim();
    importing.mutate({ url: link }, { onSuccess: (r) => onImported(r, link) });
  };
  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <Field
            label="Paste a link to the posting"
            error={
              tried && invalid ? 'Enter a web address starting with http:// or https://' : undefined
            }
          >
            {(p) => (
              <Input
                {...p}
                type="url"
                inputMode="url"
                placeholder="https://"
                value={url}
                onChange={(e) => {
                  setUrl(e.target.value);
                  importing.reset();
                }}
              />
            )}
          </Field>
        </div>
        <Button
          type="submit"
          className="mt-6"
          variant="secondary"
          disabled={importing.isPending}
          aria-busy={importing.isPending}
        >
          {importing.isPending ? 'Reading the page…' : 'Import'}
        </Button>
      </div>
      {importing.isPending && (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          Reading the posting from that page…
        </p>
      )}
      {importing.isError && <Alert>{errorMessage(importing.error)}</Alert>}
    </form>
  );
}
