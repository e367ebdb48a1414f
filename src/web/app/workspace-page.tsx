import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button } from '../components/ui/button.tsx';
import { ConfirmDialog } from '../components/ui/confirm-dialog.tsx';
import { Alert, Card, PageTitle, QueryError, Spinner } from '../components/ui/feedback.tsx';
import { useApplication, useDeleteApplication } from '../features/applications/api/applications.ts';
import { PostingPanel } from '../features/applications/components/posting-panel.tsx';
import { StatusBadge } from '../features/applications/components/status.tsx';
import { Timeline } from '../features/applications/components/timeline.tsx';
import { DocumentTabs } from '../features/documents/components/document-tabs.tsx';
import { DraftPanel } from '../features/drafting/components/draft-panel.tsx';
import { MatchPanel } from '../features/match/components/match-panel.tsx';
import { SimilarApplications } from '../features/similar/components/similar-applications.tsx';
import { useDownload } from '../lib/download.ts';

/**
 * One application with everything about it: composes the applications, drafting, documents,
 * match and similar features.
 */
export function WorkspacePage() {
  const { id = '' } = useParams();
  const app = useApplication(id);
  const remove = useDeleteApplication();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const packet = useDownload();
  if (app.isPending) return <Spinner />;
  if (app.isError) return <QueryError error={app.error} retry={() => void app.refetch()} />;
  const a = app.data;
  return (
    <>
      <PageTitle
        actions={
          <>
            <Button
              variant="secondary"
              size="sm"
              disabled={packet.busy !== null}
              aria-busy={packet.busy !== null}
              onClick={() => packet.run('zip', `/applications/${a.id}/packet`, `${a.name}.zip`)}
            >
              {packet.busy ? 'Preparing packet…' : 'Download packet (.zip)'}
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
              Delete
            </Button>
          </>
        }
      >
        {a.role_title}{' '}
        <span className="font-normal text-slate-600 dark:text-slate-300">at {a.company_name}</span>{' '}
        <StatusBadge status={a.status} />
      </PageTitle>
      {packet.error && (
        <div className="mb-4">
          <Alert>Could not download the packet: {packet.error}</Alert>
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <div className="flex min-w-0 flex-col gap-4">
          <Card>
            <PostingPanel key={a.updated_at} app={a} />
          </Card>
          <Card>
            <h2 className="mb-2 font-semibold">Documents</h2>
            <div className="mb-4 border-b border-slate-200 pb-4 dark:border-slate-700">
              <DraftPanel key={a.id} applicationId={a.id} />
            </div>
            {/* Keyed: another application's workspace opens on its own (or the linked) tab. */}
            <DocumentTabs key={a.id} applicationId={a.id} />
          </Card>
          <Card>
            <h2 className="mb-2 font-semibold">Match analysis</h2>
            <MatchPanel applicationId={a.id} />
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-4 self-start">
          <Card>
            <h2 className="mb-2 font-semibold">Timeline</h2>
            <Timeline applicationId={a.id} />
          </Card>
          <Card>
            <h2 className="mb-2 font-semibold">Similar applications</h2>
            <SimilarApplications applicationId={a.id} />
          </Card>
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete this application?"
        confirmLabel="Delete application"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(a.id, {
            onSuccess: () => void navigate('/board'),
          })
        }
      >
        Its documents and timeline are deleted with it. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
