import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { documentType, type DocumentType } from '../../../../contracts/documents.ts';
import type { GenerateBody } from '../../../../contracts/generation.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { DOCUMENT_LABELS } from '../../documents/api/documents.ts';
import { useResumes } from '../../resumes/api/resumes.ts';
import { ResumeSelect } from '../../resumes/components/resume-select.tsx';

/** Which documents to draft, from which resume (the primary unless another is chosen). */
export function DraftForm({
  busy,
  error,
  onStart,
  onClose,
}: {
  busy: boolean;
  /** Why the last start was refused, shown above the form. */
  error: ReactNode;
  onStart: (body: NonNullable<GenerateBody>) => void;
  onClose: () => void;
}) {
  const resumes = useResumes();
  const [types, setTypes] = useState<DocumentType[]>(documentType.options);
  const [resumeId, setResumeId] = useState<string | null>(null);
  if (resumes.isPending) return <Spinner label="Loading resumes…" />;
  if (resumes.isError)
    return <QueryError error={resumes.error} retry={() => void resumes.refetch()} />;
  const items = resumes.data.items;
  const chosen =
    items.find((r) => r.id === resumeId) ?? items.find((r) => r.is_primary) ?? items[0];
  if (!chosen) {
    return (
      <Alert kind="info">
        Drafts are built from your resume: <Link to="/resumes">add your resume</Link> first.
      </Alert>
    );
  }
  const toggle = (t: DocumentType, on: boolean) =>
    setTypes((now) => documentType.options.filter((x) => (x === t ? on : now.includes(x))));
  return (
    <form
      className="flex flex-col gap-3"
      aria-label="Draft documents"
      onSubmit={(e) => {
        e.preventDefault();
        onStart({ document_types: types, resume_id: chosen.id });
      }}
    >
      {error}
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-medium">Documents to draft</legend>
        {documentType.options.map((t) => (
          <label key={t} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4"
              checked={types.includes(t)}
              onChange={(e) => toggle(t, e.target.checked)}
            />
            {DOCUMENT_LABELS[t]}
          </label>
        ))}
        {types.length === 0 && (
          <p className="text-sm text-red-700 dark:text-red-400">Choose at least one document.</p>
        )}
      </fieldset>
      <div className="max-w-sm">
        <ResumeSelect
          label="From the resume"
          hint="The research report is always drafted first: the others are built on it."
          resumes={items}
          value={chosen.id}
          onChange={setResumeId}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={busy || types.length === 0}>
          {busy ? 'Starting…' : 'Start drafting'}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Not now
        </Button>
      </div>
    </form>
  );
}
