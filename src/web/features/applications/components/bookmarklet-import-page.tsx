import { useEffect, useRef, useState } from 'react';
import type { JobImport } from '../../../../contracts/imports.ts';
import { Alert, Card, errorMessage, PageTitle, Spinner } from '../../../components/ui/feedback.tsx';
import { asPageMessage, MAX_PAGE_HTML } from '../../../lib/bookmarklet.ts';
import { useImportPosting } from '../api/imports.ts';
import { ImportReview } from './import-review.tsx';

type Waiting =
  | { kind: 'no-opener' }
  | { kind: 'waiting' }
  | { kind: 'too-large'; size: number }
  | { kind: 'received'; url: string | undefined };

const MiB = 1024 * 1024;

/**
 * The window the bookmarklet opens (see lib/bookmarklet.ts). Rendered inside the signed-in
 * shell, so a signed-out user signs in first and comes back here; only then does it tell its
 * opener it is ready. It takes one page, and only from its opener: any other window that posts
 * here (a frame, another tab) is ignored.
 */
export function BookmarkletImportPage() {
  const importing = useImportPosting();
  const [state, setState] = useState<Waiting>(() =>
    window.opener ? { kind: 'waiting' } : { kind: 'no-opener' },
  );
  const [result, setResult] = useState<{ data: JobImport; url: string | undefined } | null>(null);
  // The mutation object changes identity every render; the listener must be added once.
  const start = useRef(importing.mutate);
  start.current = importing.mutate;

  useEffect(() => {
    const opener = window.opener as Window | null;
    if (!opener) return;
    let taken = false;
    const onMessage = (e: MessageEvent) => {
      if (taken || e.source !== opener) return;
      const page = asPageMessage(e.data);
      if (!page) return;
      taken = true;
      if (page.html.length > MAX_PAGE_HTML) {
        setState({ kind: 'too-large', size: page.html.length });
        return;
      }
      const url = /^https?:\/\//i.test(page.url) ? page.url : undefined;
      setState({ kind: 'received', url });
      start.current(
        { html: page.html, ...(url ? { url } : {}) },
        { onSuccess: (data) => setResult({ data, url }) },
      );
    };
    window.addEventListener('message', onMessage);
    // '*': the opener's origin is whatever job board the user is on, and "ready" carries nothing.
    opener.postMessage({ type: 'jobforge-ready' }, '*');
    return () => window.removeEventListener('message', onMessage);
  }, []);

  return (
    <>
      <PageTitle>Import a job posting</PageTitle>
      <Card>
        {state.kind === 'no-opener' && (
          <Alert kind="info">
            This page receives postings from the Job Forge bookmarklet. Add the bookmarklet from
            Settings, open a job posting, and click it there.
          </Alert>
        )}
        {state.kind === 'waiting' && <Spinner label="Waiting for the page from the bookmarklet…" />}
        {state.kind === 'too-large' && (
          <Alert>
            That page is too large to import ({(state.size / MiB).toFixed(1)} MiB of HTML; at most 2
            MiB). Paste the job description into a new application instead.
          </Alert>
        )}
        {state.kind === 'received' && importing.isPending && (
          <Spinner label="Reading the posting from the page…" />
        )}
        {importing.isError && <Alert>{errorMessage(importing.error)}</Alert>}
        {result && <ImportReview result={result.data} pageUrl={result.url} />}
      </Card>
    </>
  );
}
