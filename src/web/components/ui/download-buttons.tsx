import type { ExportFormat } from '../../../contracts/exports.ts';
import { useDownload } from '../../lib/download.ts';
import { Button } from './button.tsx';
import { Alert } from './feedback.tsx';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'pdf', label: 'PDF' },
  { format: 'docx', label: 'Word (.docx)' },
  { format: 'md', label: 'Markdown' },
];

/**
 * "Download: PDF · Word (.docx) · Markdown" for an export endpoint taking `?format=`.
 * `path` is the API path without the query; `baseName` names the file if the server does not.
 */
export function DownloadButtons({
  path,
  baseName,
  label = 'Download',
}: {
  path: string;
  baseName: string;
  label?: string;
}) {
  const { busy, error, run } = useDownload();
  return (
    <div className="flex flex-col gap-2">
      <div role="group" aria-label={label} className="flex flex-wrap items-center gap-2">
        <span aria-hidden="true" className="text-sm text-slate-600 dark:text-slate-300">
          {label}:
        </span>
        {FORMATS.map(({ format, label: name }) => (
          <Button
            key={format}
            size="sm"
            variant="secondary"
            disabled={busy !== null}
            aria-busy={busy === format}
            onClick={() => run(format, `${path}?format=${format}`, `${baseName}.${format}`)}
          >
            {busy === format ? `${name}…` : name}
          </Button>
        ))}
      </div>
      {error && <Alert>Could not download: {error}</Alert>}
    </div>
  );
}
