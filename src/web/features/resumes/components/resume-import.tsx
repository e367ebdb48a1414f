import { useRef } from 'react';
import type { ResumeImport } from '../../../../contracts/imports.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, Card, errorMessage } from '../../../components/ui/feedback.tsx';
import { RESUME_FILE_ACCEPT, useImportResume } from '../api/resume-import.ts';
import { ResumeForm, type ResumeValues } from './resume-form.tsx';

const SOURCE_LABELS: Record<ResumeImport['source'], string> = {
  pdf: 'PDF',
  docx: 'Word document',
  markdown: 'Markdown',
  text: 'plain text',
  'json-resume': 'JSON Resume',
};

/**
 * "Import from file": picks a PDF, DOCX, Markdown, text or JSON Resume file and sends it to the
 * server, which answers Markdown for review. Errors (a scan, a damaged file…) are shown here.
 */
export function ImportResumeButton({
  onImported,
  disabled,
}: {
  onImported: (result: ResumeImport) => void;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const upload = useImportResume();
  return (
    <div className="flex flex-col items-end gap-2">
      <input
        ref={input}
        type="file"
        accept={RESUME_FILE_ACCEPT}
        className="sr-only"
        aria-label="Resume file to import"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // The same file may be picked again after fixing it.
          e.target.value = '';
          if (file) upload.mutate(file, { onSuccess: onImported });
        }}
      />
      <Button
        variant="secondary"
        disabled={disabled || upload.isPending}
        onClick={() => input.current?.click()}
      >
        {upload.isPending ? 'Reading file…' : 'Import from file'}
      </Button>
      {upload.isError && (
        <div className="max-w-md text-left">
          <Alert>{errorMessage(upload.error)}</Alert>
        </div>
      )}
    </div>
  );
}

/** The imported resume in the usual form, with what the import noticed, until it is saved. */
export function ImportReview({
  result,
  isFirst,
  onSave,
  onCancel,
}: {
  result: ResumeImport;
  isFirst: boolean;
  onSave: (v: ResumeValues) => Promise<void>;
  onCancel: () => void;
}) {
  return (
    <Card className="mb-4">
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">Review the imported resume</h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Read as {SOURCE_LABELS[result.source]}. Check the text and fix anything the import got
            wrong; nothing is saved until you save it.
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Discard
        </Button>
      </div>
      {result.warnings.length > 0 && (
        <div className="mb-3">
          <Alert kind="info">
            <ul className="list-disc pl-5">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
      <ResumeForm
        initial={{
          name: result.name,
          content: result.content,
          focus_area: 'other',
          is_primary: isFirst,
        }}
        submitLabel="Save resume"
        onSubmit={onSave}
      />
    </Card>
  );
}
