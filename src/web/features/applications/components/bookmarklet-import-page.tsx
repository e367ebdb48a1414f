import { useEffect, useState } from 'react';
import type { JobImport } from '../../../../contracts/imports.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, Card, errorMessage, PageTitle, Spinner } from '../../../components/ui/feedback.tsx';
import { asPageMessage, MAX_PAGE_HTML } from '../../../lib/bookmarklet.ts';
import { useImportPosting } from '../api/imports.ts';
import { ImportReview } from './import-review.tsx';

/** A page that arrived, as the person sees it before deciding. */
interface Received {
  url: string | undefined;
  html: string;
  title: string;
}

type Waiting =
  | { kind: 'no-opener' }
  | { kind: 'waiting' }
  | { kind: 'too-large'; size: number }
  | { kind: 'received'; page: Received }
  | { kind: 'discarded' };

const MiB = 1024 * 1024;
const TITLE_SHOWN = 200;

/** The page's own title, read from an inert document (no script runs, nothing loads). */
function titleOf(html: string): string {
  try {
    const title = new DOMParser().parseFromString(html, 'text/html').title.trim();
    return title.length > TITLE_SHOWN ? `${title.slice(0, TITLE_SHOWN)}…` : title;
  } catch {
    return '';
  }
}

const size = (chars: number) =>
  chars >= MiB ? `${(chars / MiB).toFixed(1)} MiB` : `${Math.max(1, Math.round(chars / 1024))} KB`;

/**
 * The window the bookmarklet opens (see lib/bookmarklet.ts). Rendered inside the signed-in
 * shell, so a signed-out user signs in first and comes back here; only then does it tell its
 * opener it is ready. It takes one page, and only from its opener: any other window that posts
 * here (a frame, another tab) is ignored. And since any website can open this window and send it
 * a page, nothing reaches the server until the person has seen where the page comes from and
 * chosen to import it.
 */
export function BookmarkletImportPage() {
  const importing = useImportPosting();
  const [state, setState] = useState<Waiting>(() =>
    window.opener ? { kind: 'waiting' } : { kind: 'no-opener' },
  );
  const [result, setResult] = useState<{ data: JobImport; url: string | undefined } | null>(null);

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
      setState({ kind: 'received', page: { url, html: page.html, title: titleOf(page.html) } });
    };
    window.addEventListener('message', onMessage);
    // '*': the opener's origin is whatever job board the user is on, and "ready" carries nothing.
    opener.postMessage({ type: 'jobforge-ready' }, '*');
    return () => window.removeEventListener('message', onMessage);
  }, []);

  const confirmImport = (page: Received) =>
    importing.mutate(
      { html: page.html, ...(page.url ? { url: page.url } : {}) },
      { onSuccess: (data) => setResult({ data, url: page.url }) },
    );

  const received = state.kind === 'received' ? state.page : null;
  const asked = importing.isPending || importing.isSuccess || importing.isError;
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
        {state.kind === 'discarded' && (
          <Alert kind="info">Nothing was imported. You can close this window.</Alert>
        )}
        {received && !asked && (
          <section aria-labelledby="received-heading" className="flex flex-col gap-3">
            <h2 id="received-heading" className="text-base font-semibold">
              A page was sent to Job Forge
            </h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="font-medium">From</dt>
              <dd className="break-all" data-testid="received-url">
                {received.url ?? 'an address that is not a web page'}
              </dd>
              <dt className="font-medium">Title</dt>
              <dd data-testid="received-title">{received.title || '(no title)'}</dd>
              <dt className="font-medium">Size</dt>
              <dd>{size(received.html.length)} of HTML</dd>
            </dl>
            <p className="text-sm">
              Import it only if this is the posting you sent with the bookmarklet: any website can
              open this window and send it a page.
            </p>
            <div className="flex flex-wrap gap-2">
              <Button onClick={() => confirmImport(received)}>Import this page</Button>
              <Button variant="secondary" onClick={() => setState({ kind: 'discarded' })}>
                Discard
              </Button>
            </div>
          </section>
        )}
        {importing.isPending && <Spinner label="Reading the posting from the page…" />}
        {importing.isError && <Alert>{errorMessage(importing.error)}</Alert>}
        {result && <ImportReview result={result.data} pageUrl={result.url} />}
      </Card>
    </>
  );
}
