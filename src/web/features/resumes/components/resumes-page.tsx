import { useState } from 'react';
import { Link } from 'react-router';
import type { ResumeImport } from '../../../../contracts/imports.ts';
import type { Resume } from '../../../../contracts/resumes.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import {
  Alert,
  Card,
  EmptyState,
  errorMessage,
  PageTitle,
  QueryError,
  Spinner,
} from '../../../components/ui/feedback.tsx';
import { useCreateResume, useDeleteResume, useResumes, useUpdateResume } from '../api/resumes.ts';
import { ResumeForm } from './resume-form.tsx';
import { ImportResumeButton, ImportReview } from './resume-import.tsx';

export function ResumesPage() {
  const resumes = useResumes();
  const create = useCreateResume();
  const update = useUpdateResume();
  const remove = useDeleteResume();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Resume | null>(null);
  const [imported, setImported] = useState<{ result: ResumeImport; key: number } | null>(null);
  if (resumes.isPending) return <Spinner />;
  if (resumes.isError)
    return <QueryError error={resumes.error} retry={() => void resumes.refetch()} />;
  const items = resumes.data.items;
  return (
    <>
      <PageTitle
        actions={
          !adding && (
            <>
              <ImportResumeButton
                onImported={(result) => setImported({ result, key: Date.now() })}
              />
              <Button onClick={() => setAdding(true)}>New resume</Button>
            </>
          )
        }
      >
        Resumes
      </PageTitle>
      {(update.isError || remove.isError) && (
        <Alert>{errorMessage(update.error ?? remove.error)}</Alert>
      )}
      {imported && !adding && (
        <ImportReview
          // A new import starts a fresh form.
          key={imported.key}
          result={imported.result}
          isFirst={items.length === 0}
          onCancel={() => setImported(null)}
          onSave={async (v) => {
            await create.mutateAsync(v);
            setImported(null);
          }}
        />
      )}
      {adding && (
        <Card className="mb-4">
          <h2 className="mb-3 font-semibold">New resume</h2>
          <ResumeForm
            initial={{ name: '', content: '', focus_area: 'other', is_primary: items.length === 0 }}
            submitLabel="Create resume"
            onSubmit={async (v) => {
              await create.mutateAsync(v);
              setAdding(false);
            }}
          />
        </Card>
      )}
      {items.length === 0 && !adding && !imported ? (
        <EmptyState title="Start with your resume">
          Paste or write your resume in Markdown, or import it from a PDF, Word, Markdown or JSON
          Resume file. Job Forge uses it to tailor documents for each application.
          <div className="mt-3">
            <Button onClick={() => setAdding(true)}>Add your resume</Button>
          </div>
        </EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {items.map((r) => (
            <li key={r.id}>
              <Card>
                <div className="flex items-start justify-between gap-2">
                  <h2 className="font-semibold">
                    <Link to={`/resumes/${r.id}`}>{r.name}</Link>
                  </h2>
                  {r.is_primary && (
                    <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100">
                      Primary
                    </span>
                  )}
                </div>
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                  Updated {new Date(r.updated_at).toLocaleDateString()}
                </p>
                <div className="mt-3 flex flex-wrap gap-2">
                  {!r.is_primary && (
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => update.mutate({ id: r.id, patch: { is_primary: true } })}
                    >
                      Make primary
                    </Button>
                  )}
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => setDeleting(r)}
                    aria-label={`Delete ${r.name}`}
                  >
                    Delete
                  </Button>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete resume"
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() =>
          deleting && remove.mutate(deleting.id, { onSettled: () => setDeleting(null) })
        }
      >
        The resume is removed for good; applications and their documents stay.
      </ConfirmDialog>
    </>
  );
}
