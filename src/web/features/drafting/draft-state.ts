import type { DocumentType } from '../../../contracts/documents.ts';
import type { DocumentProgress, GenerationJob, JobStatus } from '../../../contracts/generation.ts';

/**
 * What the drafting panel shows, built from the job and then from its event stream alone, so
 * that a reload (which replays the stream from the start) rebuilds exactly the same view.
 */
export interface DraftView {
  jobId: string;
  status: JobStatus;
  types: DocumentType[];
  progress: Partial<Record<DocumentType, DocumentProgress>>;
  /** The text streamed so far per document (the research report streams even when not saved). */
  text: Partial<Record<DocumentType, string>>;
  error: string | null;
  /** A passing condition worth saying: a retry after a provider error, a server restart. */
  notice: string | null;
  /** The last event applied: events at or before it (a replay after reconnecting) are skipped. */
  lastEventId: number;
  /** Tokens and estimated cost, as of the last time the job itself was read (events carry none). */
  usage: GenerationJob['usage'];
}

export interface JobEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

export function fromJob(job: GenerationJob): DraftView {
  return {
    jobId: job.id,
    status: job.status,
    types: job.document_types,
    progress: { ...job.progress },
    text: {},
    error: job.error,
    notice: null,
    lastEventId: 0,
    usage: job.usage,
  };
}

/**
 * The view once the job has ended, with what only the job itself says: its final usage and, when
 * the stream closed before its `done` event, its status and error.
 */
export function withEndedJob(view: DraftView, job: GenerationJob): DraftView {
  if (isActive(job.status)) return view;
  return { ...view, status: job.status, error: job.error ?? view.error, usage: job.usage };
}

export const isActive = (s: JobStatus): boolean => s === 'queued' || s === 'running';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The view after one event of GET /generation-jobs/{id}/events. */
export function applyEvent(view: DraftView, e: JobEvent): DraftView {
  if (e.id <= view.lastEventId) return view;
  const next: DraftView = { ...view, lastEventId: e.id };
  const d = e.data;
  const type = str(d.document_type) as DocumentType | undefined;
  switch (e.event) {
    case 'delta':
      if (type) next.text = { ...view.text, [type]: (view.text[type] ?? '') + (str(d.text) ?? '') };
      return next;
    case 'progress':
      if (type && str(d.state)) {
        next.progress = { ...view.progress, [type]: d.state as DocumentProgress };
        return next;
      }
      if (d.retrying === true) {
        next.notice = `The AI provider did not answer (${str(d.reason) ?? 'error'}); trying again.`;
        return next;
      }
      if (d.status === 'running') {
        next.status = 'running';
        next.notice = null;
        // A restarted job streams again from the start of each unfinished document: what was
        // streamed before would be doubled. Saved documents are not redrafted.
        if (d.restarted === true) {
          next.text = Object.fromEntries(
            Object.entries(view.text).filter(([t]) => view.progress[t as DocumentType] === 'saved'),
          );
        }
        return next;
      }
      if (d.status === 'queued') {
        next.status = 'queued';
        next.notice = str(d.reason) ?? 'Waiting to continue.';
      }
      return next;
    case 'error':
      next.error = str(d.message) ?? 'Drafting failed.';
      return next;
    case 'done': {
      const status = str(d.status) as JobStatus | undefined;
      next.status = status ?? 'failed';
      next.notice = null;
      // Whatever was still under way ended with the job.
      const ended = next.status === 'cancelled' ? 'cancelled' : 'failed';
      next.progress = Object.fromEntries(
        Object.entries(view.progress).map(([t, s]) => [
          t,
          s === 'running' || s === 'queued' ? ended : s,
        ]),
      );
      return next;
    }
    default:
      return next;
  }
}
