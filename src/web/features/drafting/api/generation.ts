import type { GenerateBody, GenerationJob } from '../../../../contracts/generation.ts';
import { api, apiFetch, ApiError } from '../../../lib/api-client.ts';
import { SseParser } from '../../../lib/sse.ts';
import type { JobEvent } from '../draft-state.ts';

/** A key for Idempotency-Key: a double click or a retried request starts one job, not two. */
export function newIdempotencyKey(): string {
  // getRandomValues, not randomUUID: the latter exists only on https or localhost.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `draft-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const startDraft = (applicationId: string, body: GenerateBody, key: string) =>
  api<GenerationJob>('POST', `/applications/${applicationId}/generate`, {
    body: body ?? {},
    headers: { 'idempotency-key': key },
  });

export const getJob = (jobId: string, signal?: AbortSignal) =>
  api<GenerationJob>('GET', `/generation-jobs/${jobId}`, { signal });

export const cancelJob = (jobId: string) =>
  api<GenerationJob>('POST', `/generation-jobs/${jobId}/cancel`);

/**
 * The application's queued and running jobs, newest first: what a second tab, or a page opened
 * fresh, follows when it did not start the job itself.
 */
export const listActiveJobs = (applicationId: string, signal?: AbortSignal) =>
  api<{ items: GenerationJob[] }>(
    'GET',
    `/applications/${applicationId}/generation-jobs?active=true&limit=1`,
    {
      signal,
    },
  );

/**
 * The job this tab started, kept in sessionStorage so that a reload reattaches to it at once,
 * without asking the list first. Cleared when the job ends.
 */
const storageKey = (applicationId: string) => `jobforge.draft-job.${applicationId}`;

export function rememberedJob(applicationId: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(applicationId));
  } catch {
    return null;
  }
}

export function rememberJob(applicationId: string, jobId: string | null): void {
  try {
    if (jobId) sessionStorage.setItem(storageKey(applicationId), jobId);
    else sessionStorage.removeItem(storageKey(applicationId));
  } catch {
    // Storage disabled: drafting still works, it only cannot reattach after a reload.
  }
}

/**
 * Reads the job's event stream once, from after `lastEventId`, calling `onEvent` for each event.
 * Resolves when the stream ends (with the delay the server asked for before reconnecting);
 * throws ApiError for an answer that is not a stream (404: the job is gone). fetch(), not
 * EventSource: the route wants a Bearer token, which EventSource cannot send.
 */
export async function readJobEvents(
  jobId: string,
  lastEventId: number,
  onEvent: (e: JobEvent) => void,
  signal: AbortSignal,
): Promise<{ retryMs: number | undefined }> {
  const res = await apiFetch('GET', `/generation-jobs/${jobId}/events`, {
    signal,
    headers: lastEventId > 0 ? { 'last-event-id': String(lastEventId) } : {},
  });
  if (!res.body) throw new ApiError(res.status, 'error', 'The server sent no event stream.');
  const parser = new SseParser();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const m of parser.push(value)) {
        let data: unknown;
        try {
          data = JSON.parse(m.data);
        } catch {
          continue; // not ours to understand; the next event carries on
        }
        onEvent({ id: Number(m.id ?? 0), event: m.event, data: (data ?? {}) as JobEvent['data'] });
      }
    }
  } finally {
    reader.releaseLock();
  }
  return { retryMs: parser.retryMs };
}
