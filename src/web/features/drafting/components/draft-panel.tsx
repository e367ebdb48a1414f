import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { isActive, type DraftView } from '../draft-state.ts';
import { jobUsageText } from '../usage-text.ts';
import { useDraftJob, type Connection } from '../use-draft-job.ts';
import { DraftForm } from './draft-form.tsx';
import { DraftProgress } from './draft-progress.tsx';

function summary(view: DraftView, connection: Connection): string {
  const saved = view.types.filter((t) => view.progress[t] === 'saved').length;
  const of = `${saved} of ${view.types.length} saved`;
  if (connection === 'reconnecting') return `Connection lost; reconnecting… (${of})`;
  switch (view.status) {
    case 'queued':
      return view.notice ?? 'Waiting to start…';
    case 'running':
      return `Drafting… ${of}.`;
    case 'succeeded':
      return `Done: ${of}. They are in the tabs below, each as a new version.`;
    case 'cancelled':
      return `Cancelled: ${of}. Saved documents stay saved.`;
    case 'failed':
      return `Drafting stopped: ${of}.`;
  }
}

/**
 * Why a draft could not start. The daily token budget gets a heading of its own: it is not a
 * fault to retry but a limit until midnight UTC, and the API's message says how far off that is.
 */
export function StartError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === 'token_budget_exceeded') {
    return (
      <Alert>
        <p className="font-semibold">Daily AI budget used up</p>
        <p className="mt-1" data-testid="budget-message">
          {error.message}
        </p>
        <p className="mt-1">
          Your usage today is under <Link to="/settings">Settings → AI provider</Link>.
        </p>
      </Alert>
    );
  }
  return <Alert>Could not start drafting: {errorMessage(error)}</Alert>;
}

/** "Draft documents": choose, start, watch the text stream in, cancel; survives a reload. */
export function DraftPanel({ applicationId }: { applicationId: string }) {
  const { view, connection, streamError, start, cancel, dismiss } = useDraftJob(applicationId);
  const [choosing, setChoosing] = useState(false);
  const active = view !== null && isActive(view.status);

  if (choosing && !active) {
    return (
      <DraftForm
        busy={start.isPending}
        error={start.isError ? <StartError error={start.error} /> : null}
        onClose={() => setChoosing(false)}
        onStart={(body) => start.mutate(body, { onSuccess: () => setChoosing(false) })}
      />
    );
  }
  if (!view) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => setChoosing(true)}>Draft documents</Button>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          A research report, a tailored resume and a cover letter from your resume and this posting.
        </p>
      </div>
    );
  }
  const usage = jobUsageText(view.usage);
  return (
    <section aria-label="Drafting" className="flex flex-col gap-3" data-testid="draft-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p role="status" className="text-sm font-medium" data-testid="draft-summary">
          {summary(view, connection)}
        </p>
        <div className="flex gap-2">
          {active ? (
            <Button
              size="sm"
              variant="secondary"
              disabled={cancel.isPending || cancel.isSuccess}
              onClick={() => cancel.mutate()}
            >
              {cancel.isPending || cancel.isSuccess ? 'Cancelling…' : 'Cancel drafting'}
            </Button>
          ) : (
            <>
              <Button
                size="sm"
                onClick={() => {
                  dismiss();
                  setChoosing(true);
                }}
              >
                Draft again
              </Button>
              <Button size="sm" variant="secondary" onClick={dismiss}>
                Close
              </Button>
            </>
          )}
        </div>
      </div>
      {!active && usage && (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="draft-usage">
          Used {usage}.
        </p>
      )}
      {view.notice && view.status === 'running' && <Alert kind="info">{view.notice}</Alert>}
      {view.error && <Alert>{view.error}</Alert>}
      {streamError && <Alert>Could not follow the drafting: {streamError}</Alert>}
      {cancel.isError && <Alert>Could not cancel: {errorMessage(cancel.error)}</Alert>}
      <DraftProgress view={view} />
    </section>
  );
}
