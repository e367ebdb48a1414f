import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerateBody } from '../../../contracts/generation.ts';
import { errorMessage } from '../../components/ui/feedback.tsx';
import { ApiError } from '../../lib/api-client.ts';
import {
  cancelJob,
  getJob,
  listActiveJobs,
  newIdempotencyKey,
  readJobEvents,
  rememberedJob,
  rememberJob,
  startDraft,
} from './api/generation.ts';
import { applyEvent, fromJob, isActive, withEndedJob, type DraftView } from './draft-state.ts';

export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * The application's drafting job: starts one, follows its event stream (reconnecting with
 * Last-Event-ID when the connection drops), cancels it, and after a reload reattaches to the
 * job this tab started, replaying its stream from the start to rebuild the streamed text. A tab
 * that did not start a job asks the API for a running one and follows that instead (another
 * tab's, or one started before this page was opened).
 */
export function useDraftJob(applicationId: string) {
  const qc = useQueryClient();
  const [jobId, setJobId] = useState(() => rememberedJob(applicationId));
  const [view, setView] = useState<DraftView | null>(null);
  const [connection, setConnection] = useState<Connection>('closed');
  const [streamError, setStreamError] = useState<string | null>(null);
  // One key per attempt to start: a retry after a network error gets the same job back.
  const key = useRef(newIdempotencyKey());
  // Asked only while this tab follows nothing; refetched when the tab regains focus, so a job
  // started in another tab shows up on coming back.
  const active = useQuery({
    queryKey: ['generation-jobs', applicationId, 'active'],
    queryFn: ({ signal }) => listActiveJobs(applicationId, signal),
    enabled: jobId === null,
    staleTime: 0,
  });
  // An ended job must not come back from the cached list once the panel is closed.
  const forgetActive = useCallback(
    () => qc.removeQueries({ queryKey: ['generation-jobs', applicationId, 'active'] }),
    [qc, applicationId],
  );
  const found = jobId === null ? active.data?.items[0]?.id : undefined;
  useEffect(() => {
    if (!found) return;
    // Functional: a job this tab started meanwhile wins over what the list said.
    setJobId((current) => current ?? found);
    if (!rememberedJob(applicationId)) rememberJob(applicationId, found);
  }, [found, applicationId]);

  useEffect(() => {
    if (!jobId) return;
    const ctrl = new AbortController();
    const { signal } = ctrl;
    let current: DraftView | null = null;
    // A saved draft is a new document version: the tabs, timeline and search show it.
    const documentSaved = () =>
      void Promise.all([
        qc.invalidateQueries({ queryKey: ['documents', applicationId] }),
        qc.invalidateQueries({ queryKey: ['applications', 'events', applicationId] }),
        qc.invalidateQueries({ queryKey: ['search'] }),
      ]);
    const ended = (v: DraftView) => {
      rememberJob(applicationId, null);
      forgetActive();
      setConnection('closed');
      setView(v);
      // The job's tokens now count against today's usage (Settings → AI provider).
      void qc.invalidateQueries({ queryKey: ['ai', 'status'] });
    };

    const follow = async () => {
      current = fromJob(await getJob(jobId, signal));
      setView(current);
      setStreamError(null);
      let failures = 0;
      while (!signal.aborted) {
        setConnection(failures > 0 ? 'reconnecting' : 'connecting');
        let done = false;
        let retryMs = 1000;
        try {
          const r = await readJobEvents(
            jobId,
            current.lastEventId,
            (e) => {
              current = applyEvent(current!, e);
              setView(current);
              setConnection('open');
              failures = 0;
              if (e.event === 'document') documentSaved();
              if (e.event === 'done') done = true;
            },
            signal,
          );
          retryMs = r.retryMs ?? retryMs;
        } catch (err) {
          if (signal.aborted) return;
          // The job is gone or the session ended: reconnecting cannot help.
          if (err instanceof ApiError && err.status < 500) throw err;
          failures++;
          retryMs = Math.min(1000 * 2 ** failures, 15_000);
        }
        if (done) {
          ended(current);
          // The events carry no usage: the job's final tokens and cost come from the job.
          const job = await getJob(jobId, signal).catch(() => null);
          if (job && !signal.aborted) setView(withEndedJob(current, job));
          return;
        }
        // The stream closed without `done` (a restart, a proxy): has the job ended meanwhile?
        if (failures === 0) {
          const job = await getJob(jobId, signal);
          if (!isActive(job.status)) return ended(withEndedJob(current, job));
        }
        await sleep(retryMs, signal);
      }
    };
    follow().catch((err: unknown) => {
      if (signal.aborted) return;
      setConnection('closed');
      if (err instanceof ApiError && err.status === 404) {
        // A job of a deleted application, or of a previous session of this tab.
        rememberJob(applicationId, null);
        forgetActive();
        setJobId(null);
        setView(null);
        return;
      }
      setStreamError(errorMessage(err));
    });
    return () => ctrl.abort();
  }, [jobId, applicationId, qc, forgetActive]);

  const start = useMutation({
    mutationFn: (body: GenerateBody) => startDraft(applicationId, body, key.current),
    onSuccess: (job) => {
      key.current = newIdempotencyKey();
      rememberJob(applicationId, job.id);
      setView(fromJob(job));
      setJobId(job.id);
    },
  });

  const cancel = useMutation({
    mutationFn: () => cancelJob(jobId!),
  });

  /** Hides a finished job's panel. */
  const dismiss = () => {
    rememberJob(applicationId, null);
    forgetActive();
    setJobId(null);
    setView(null);
    start.reset();
    cancel.reset();
  };

  return { view, connection, streamError, start, cancel, dismiss };
}
