import { useState } from 'react';
import type { DocumentType } from '../../../../contracts/documents.ts';
import { Button } from '../../../components/ui/button.tsx';
import { QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { MarkdownView } from '../../../components/ui/markdown-view.tsx';
import { useDocumentVersions } from '../api/documents.ts';

/** Every saved version, newest first; one can be opened and loaded into the editor. */
export function VersionHistory({
  applicationId,
  type,
  onUse,
}: {
  applicationId: string;
  type: DocumentType;
  onUse: (content: string) => void;
}) {
  const versions = useDocumentVersions(applicationId, type, true);
  const [open, setOpen] = useState<number | null>(null);
  if (versions.isPending) return <Spinner label="Loading versions…" />;
  if (versions.isError)
    return <QueryError error={versions.error} retry={() => void versions.refetch()} />;
  const shown = versions.data.items.find((v) => v.version === open);
  return (
    <div className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <h3 className="mb-2 text-sm font-semibold">Version history</h3>
      <ul className="flex flex-col gap-1 text-sm">
        {versions.data.items.map((v) => (
          <li key={v.version} className="flex flex-wrap items-center gap-2">
            <Button
              size="sm"
              variant={v.version === open ? 'primary' : 'ghost'}
              aria-pressed={v.version === open}
              onClick={() => setOpen(v.version === open ? null : v.version)}
            >
              Version {v.version}
            </Button>
            <span className="text-xs text-slate-600 dark:text-slate-400">
              {v.source} · {new Date(v.created_at).toLocaleString()}
            </span>
          </li>
        ))}
      </ul>
      {shown && (
        <div className="mt-3 flex flex-col gap-2 border-t border-slate-200 pt-3 dark:border-slate-700">
          <MarkdownView source={shown.content} label={`Version ${shown.version}`} />
          <Button
            size="sm"
            variant="secondary"
            className="self-start"
            onClick={() => onUse(shown.content)}
          >
            Edit from this version
          </Button>
        </div>
      )}
    </div>
  );
}
