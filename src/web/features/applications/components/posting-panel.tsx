import { useState } from 'react';
import type { Application } from '../../../../contracts/applications.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Textarea } from '../../../components/ui/field.tsx';
import { MarkdownView } from '../../../components/ui/markdown-view.tsx';
import { safeHref } from '../../../lib/markdown.ts';
import { useUpdateApplication } from '../api/applications.ts';
import { ApplicationForm, postingBody } from './application-form.tsx';
import { StatusSelect } from './status.tsx';

/** The posting (read or edit), its status, and notes. */
export function PostingPanel({ app }: { app: Application }) {
  const update = useUpdateApplication();
  const [editing, setEditing] = useState(false);
  const [notes, setNotes] = useState(app.notes);
  const link = app.job_url ? safeHref(app.job_url) : undefined;

  if (editing) {
    return (
      <ApplicationForm
        submitLabel="Save posting"
        initial={{
          company_name: app.company_name,
          role_title: app.role_title,
          location: app.location ?? '',
          job_url: app.job_url ?? '',
          job_description: app.job_description,
        }}
        onSubmit={async (v) => {
          await update.mutateAsync({ id: app.id, patch: postingBody(v, true) });
          setEditing(false);
        }}
        extra={
          <Button variant="secondary" onClick={() => setEditing(false)} className="self-start">
            Cancel
          </Button>
        }
      />
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {update.isError && <Alert>{errorMessage(update.error)}</Alert>}
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-44">
          <StatusSelect
            label="Status"
            value={app.status}
            disabled={update.isPending}
            onChange={(status) => update.mutate({ id: app.id, patch: { status } })}
          />
        </div>
        <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
          Edit posting
        </Button>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="font-medium">Location</dt>
        <dd>{app.location ?? '—'}</dd>
        <dt className="font-medium">Posting</dt>
        <dd className="break-all">
          {link ? (
            <a href={link} target="_blank" rel="noopener noreferrer nofollow">
              {app.job_url}
            </a>
          ) : (
            (app.job_url ?? '—')
          )}
        </dd>
      </dl>
      <section aria-labelledby="jd-title">
        <h2 id="jd-title" className="mb-1 font-semibold">
          Job description
        </h2>
        <MarkdownView source={app.job_description} />
      </section>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: app.id, patch: { notes } });
        }}
        className="flex flex-col gap-2"
      >
        <Field label="Notes">
          {(p) => (
            <Textarea {...p} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} />
          )}
        </Field>
        <Button
          type="submit"
          variant="secondary"
          size="sm"
          className="self-start"
          disabled={notes === app.notes || update.isPending}
        >
          Save notes
        </Button>
      </form>
    </div>
  );
}
