import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorBody, idParams } from '../../contracts/common.ts';
import {
  generateBody,
  generateHeaders,
  generationJob,
  generationJobList,
  jobListQuery,
} from '../../contracts/generation.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { GenerationService } from './generation.service.ts';
import { formatEvent, lastEventId, write } from './sse.ts';
import { jobWakeups } from './wakeups.ts';

/** How often a comment keeps proxies from closing an event stream. */
const KEEPALIVE_MS = 15_000;

export function generationRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new GenerationService(deps.tenant, deps.config, deps.ai, {
    onQueued: () => deps.jobs.queued(),
    streamPollMs: () => deps.jobs.streamPollMs(),
  });
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody };
  const tags = ['generation'];
  const streams = new Set<ServerResponse>();
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    jobWakeups.notifyAll();
    for (const res of streams) res.end();
    done();
  });

  app.post(
    '/applications/:id/generate',
    {
      onRequest,
      schema: {
        tags,
        summary:
          'Draft documents for an application (research report, tailored resume, cover letter)',
        description:
          'Queues a background job and answers 202 at once. Follow it with GET /generation-jobs/{id}/events. ' +
          'Sending the same Idempotency-Key again returns the same job. ' +
          'When the operator set a daily token budget (JOBFORGE_DAILY_TOKEN_BUDGET) and your jobs requested today (UTC) have used it, ' +
          'answers 429 `token_budget_exceeded` with Retry-After (seconds to midnight UTC). The budget is checked when a job is requested, ' +
          'when it starts and while it streams: a running job that reaches it stops, failed with the same message. ' +
          'A job also fails, with a message saying why, when it runs past the server’s time limit (JOBFORGE_JOB_TIMEOUT_SECONDS), ' +
          'when the model writes past twice the output limit, or when the model server’s answer is larger than the server reads.',
        params: idParams,
        headers: generateHeaders,
        body: generateBody,
        response: { 202: generationJob, ...errors, 429: errorBody },
      },
    },
    async (req, reply) => {
      const { job } = await service.start(
        authOf(req),
        req.params.id,
        req.body,
        req.headers['idempotency-key'],
      );
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/applications/:id/generation-jobs',
    {
      onRequest,
      schema: {
        tags,
        summary: "An application's generation jobs, newest first",
        description:
          'With active=true, only queued and running jobs: a second tab or a reloaded page finds the job to follow.',
        params: idParams,
        querystring: jobListQuery,
        response: { 200: generationJobList, ...errors },
      },
    },
    (req) => service.listForApplication(authOf(req), req.params.id, req.query),
  );

  app.get(
    '/generation-jobs/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'A generation job: status, progress per document, error, token usage',
        params: idParams,
        response: { 200: generationJob, ...errors },
      },
    },
    (req) => service.get(authOf(req), req.params.id),
  );

  app.post(
    '/generation-jobs/:id/cancel',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Cancel a generation job (documents already saved stay saved)',
        params: idParams,
        response: { 200: generationJob, ...errors },
      },
    },
    (req) => service.cancel(authOf(req), req.params.id),
  );

  app.get(
    '/generation-jobs/:id/events',
    {
      onRequest,
      schema: {
        tags,
        summary: "A job's events as Server-Sent Events",
        description:
          'Events `progress`, `delta` {document_type, text}, `document` (saved), `error` and `done`, each with an `id`. ' +
          'Reconnect with Last-Event-ID to continue where you left off; after the job has ended the whole story is replayed, ending with `done`. ' +
          'If the server running a job dies, another instance (or the restarted one) takes it over once its lease expires: the log then shows ' +
          '`progress` {status: running, attempt: n, restarted: true}, and every document not yet saved streams again from empty, so a client ' +
          'discards the text it holds for unsaved documents at that event. Saved documents are never redone; each is saved once, complete. ' +
          "`delta` text is the model's raw output: the saved document is sanitised (no images, only http(s)/mailto links, no HTML), so show deltas as plain text and render only the saved document.",
        params: idParams,
        response: { 200: z.string().describe('text/event-stream'), ...errors },
      },
    },
    async (req, reply) => {
      const closed = new AbortController();
      // 404 (and 401) are answered before the stream starts.
      const events = await service.follow(
        authOf(req),
        req.params.id,
        lastEventId(req.headers['last-event-id']),
        closed.signal,
      );
      // From here on we write the response ourselves; the service reads in short transactions
      // between writes, never holding one open while waiting.
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      streams.add(res);
      res.on('close', () => closed.abort());
      if (closing) closed.abort();
      let lastWrite = Date.now();
      try {
        await write(res, 'retry: 1000\n\n');
        for await (const e of events) {
          if (e === 'idle') {
            if (Date.now() - lastWrite <= KEEPALIVE_MS) continue;
            await write(res, ': keep-alive\n\n');
          } else {
            await write(res, formatEvent(e));
          }
          lastWrite = Date.now();
        }
      } catch (err) {
        // A session that ended mid-stream, or the database going away: close the stream.
        req.log.info({ err }, 'event stream closed early');
      } finally {
        streams.delete(res);
        res.end();
      }
    },
  );
}
