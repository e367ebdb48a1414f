import { useEffect, useRef, useState } from 'react';
import type { Document, DocumentType } from '../../../../contracts/documents.ts';
import { Button } from '../../../components/ui/button.tsx';
import { DownloadButtons } from '../../../components/ui/download-buttons.tsx';
import { Alert, EmptyState, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Textarea } from '../../../components/ui/field.tsx';
import { MarkdownView } from '../../../components/ui/markdown-view.tsx';
import { DOCUMENT_LABELS, useSaveDocument } from '../api/documents.ts';
import { flaggedClaims, flagText } from '../grounding.ts';
import { ResumeComparison } from './resume-comparison.tsx';
import { VersionHistory } from './version-history.tsx';

/** One document: rendered view, Markdown editor with preview, save, copy, downloads and history. */
export function DocumentEditor({
  applicationId,
  type,
  document,
}: {
  applicationId: string;
  type: DocumentType;
  document: Document | undefined;
}) {
  const save = useSaveDocument(applicationId, type);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(document?.content ?? '');
  const [copied, setCopied] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [comparing, setComparing] = useState(false);
  // The version the editor was opened on: a draft saved meanwhile (drafting) is pointed out.
  const [editingVersion, setEditingVersion] = useState(document?.version ?? 0);
  const label = DOCUMENT_LABELS[type];
  const claims = flaggedClaims(document);
  const comparison = useRef<HTMLDivElement>(null);
  // Opened from the warning: take the reader (and a screen reader's focus) to the flagged lines.
  const [jumpToComparison, setJumpToComparison] = useState(false);
  useEffect(() => {
    if (!jumpToComparison || !comparing) return;
    comparison.current?.scrollIntoView?.({ block: 'start' });
    comparison.current?.focus();
    setJumpToComparison(false);
  }, [jumpToComparison, comparing]);
  const edit = (content: string) => {
    setDraft(content);
    setEditingVersion(document?.version ?? 0);
    save.reset();
    setEditing(true);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(document?.content ?? '');
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The browser did not allow copying: select the text and copy it instead.');
    }
  };

  if (editing) {
    return (
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft, { onSuccess: () => setEditing(false) });
        }}
      >
        {save.isError && <Alert>{errorMessage(save.error)}</Alert>}
        {(document?.version ?? 0) > editingVersion && save.isIdle && (
          <Alert kind="info">
            Version {document?.version} was saved while you were editing. Saving keeps your text as
            a new version; the other stays in the version history.
          </Alert>
        )}
        <div className="grid gap-3 lg:grid-cols-2">
          <Field
            label={`${label} (Markdown)`}
            error={draft.trim() === '' ? 'must not be blank' : undefined}
          >
            {(p) => (
              <Textarea {...p} rows={16} value={draft} onChange={(e) => setDraft(e.target.value)} />
            )}
          </Field>
          <div>
            <p className="mb-1 text-sm font-medium">Preview</p>
            <div className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
              <MarkdownView source={draft} label={`${label} preview`} />
            </div>
          </div>
        </div>
        <div className="flex gap-2">
          <Button type="submit" disabled={save.isPending || draft.trim() === ''}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
          <Button variant="secondary" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }
  if (!document) {
    return (
      <EmptyState title={`No ${label.toLowerCase()} yet`}>
        <p className="mb-3">
          Write it here in Markdown; every save keeps a version you can go back to.
        </p>
        <Button onClick={() => edit('')}>Write the {label.toLowerCase()}</Button>
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" onClick={() => edit(document.content)}>
          Edit
        </Button>
        <Button size="sm" variant="secondary" onClick={() => void copy()}>
          Copy
        </Button>
        <Button
          size="sm"
          variant="secondary"
          aria-expanded={showHistory}
          onClick={() => setShowHistory(!showHistory)}
        >
          Version history
        </Button>
        {type === 'optimized_resume' && (
          <Button
            size="sm"
            variant="secondary"
            aria-expanded={comparing}
            onClick={() => setComparing(!comparing)}
          >
            Compare with source resume
          </Button>
        )}
        <span className="text-xs text-slate-600 dark:text-slate-400">
          Version {document.version} · saved {new Date(document.updated_at).toLocaleString()}
        </span>
      </div>
      <DownloadButtons
        path={`/applications/${applicationId}/documents/${type}/export`}
        baseName={type}
      />
      {claims > 0 && (
        <div
          data-testid="grounding-badge"
          className="flex flex-wrap items-center gap-2 self-start rounded-md border border-amber-500 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
        >
          <span aria-hidden="true">⚠</span>
          <button
            type="button"
            className="font-medium underline"
            aria-controls="resume-comparison"
            aria-expanded={comparing}
            onClick={() => {
              setComparing(true);
              setJumpToComparison(true);
            }}
          >
            {flagText(claims)}
          </button>
        </div>
      )}
      {copied && <Alert kind="info">{copied}</Alert>}
      {showHistory && <VersionHistory applicationId={applicationId} type={type} onUse={edit} />}
      {comparing && (
        <div
          ref={comparison}
          id="resume-comparison"
          tabIndex={-1}
          aria-label="Comparison with the source resume"
          role="region"
          className="outline-none"
        >
          <ResumeComparison
            applicationId={applicationId}
            tailored={document.content}
            version={document.version}
            stored={document.grounding}
          />
        </div>
      )}
      <article className="rounded-md border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
        <MarkdownView source={document.content} label={label} />
      </article>
    </div>
  );
}
