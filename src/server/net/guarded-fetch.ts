import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { checkTarget, type OutboundOptions } from './outbound-guard.ts';

/** Limits on one model server's answer (see boundedFetch). */
export interface ResponseLimits {
  /** Largest body read, in bytes (after decompression): past it the read stops with an error. */
  maxBytes: number;
  /**
   * Largest run of an event stream without a blank line (one SSE event), in bytes. The SDKs'
   * SSE decoders rescan their whole buffer for each chunk that arrives, so one 40 MB "event"
   * costs them minutes of CPU; a real event is a few hundred bytes.
   */
  maxEventBytes: number;
  /** One deadline for the whole exchange, headers and body. */
  timeoutMs: number;
}

/** A model server's answer was larger than its limit; the connection is closed. */
export class ResponseTooLarge extends Error {
  readonly code = 'response_too_large';
  constructor(
    readonly limit: number,
    readonly what: 'body' | 'event',
  ) {
    super(
      what === 'body'
        ? `the answer was larger than ${mib(limit)}`
        : `one event of its stream was larger than ${mib(limit)}`,
    );
    this.name = 'ResponseTooLarge';
  }
}

/** A model server's answer did not end within the deadline; the connection is closed. */
export class ResponseDeadline extends Error {
  readonly code = 'response_deadline';
  constructor(readonly timeoutMs: number) {
    super(`the answer did not end within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'ResponseDeadline';
  }
}

const mib = (n: number) =>
  n >= 1024 * 1024
    ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`
    : `${Math.round(n / 1024)} KiB`;

/**
 * Wraps a fetch so that no answer can be larger than `maxBytes`, hold one SSE event longer than
 * `maxEventBytes`, or last longer than `timeoutMs`: the body is handed on as it is read (never
 * buffered here), and the first byte past a limit errors the body and closes the connection.
 * The SDKs surface the error from their stream or their JSON read; llm/errors.ts words it.
 */
export function boundedFetch(inner: typeof fetch, limits: ResponseLimits): typeof fetch {
  return async (input, init) => {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new ResponseDeadline(limits.timeoutMs)),
      limits.timeoutMs,
    );
    timer.unref();
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    let res: Response;
    try {
      res = await inner(input, { ...init, signal });
    } catch (err) {
      clearTimeout(timer);
      throw deadline.signal.aborted ? (deadline.signal.reason as Error) : err;
    }
    if (!res.body) {
      clearTimeout(timer);
      return res;
    }
    const events = /^text\/event-stream\b/i.test(res.headers.get('content-type') ?? '');
    const reader = res.body.getReader();
    let total = 0;
    let sinceBreak = 0;
    let lastNewline = false;
    const stop = (controller: ReadableStreamDefaultController<Uint8Array>, err: Error) => {
      clearTimeout(timer);
      deadline.abort(err);
      reader.cancel(err).catch(() => {});
      controller.error(err);
    };
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (err) {
            clearTimeout(timer);
            controller.error(deadline.signal.aborted ? deadline.signal.reason : err);
            return;
          }
          if (chunk.done) {
            clearTimeout(timer);
            controller.close();
            return;
          }
          const bytes = chunk.value;
          total += bytes.length;
          if (total > limits.maxBytes)
            return stop(controller, new ResponseTooLarge(limits.maxBytes, 'body'));
          if (events) {
            // An event ends at a blank line: two line feeds, carriage returns between ignored.
            for (let i = 0; i < bytes.length; i++) {
              const b = bytes[i]!;
              if (b === 0x0a) {
                if (lastNewline) sinceBreak = 0;
                lastNewline = true;
              } else if (b !== 0x0d) {
                lastNewline = false;
                if (++sinceBreak > limits.maxEventBytes)
                  return stop(controller, new ResponseTooLarge(limits.maxEventBytes, 'event'));
              }
            }
          }
          controller.enqueue(bytes);
        },
        cancel(reason) {
          clearTimeout(timer);
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/**
 * A fetch for the LLM SDKs when the base URL is a user's choice: every request's address is
 * checked by the outbound guard and the connection is pinned to the checked address, as for job
 * imports (no second DNS lookup that rebinding could answer differently). Redirects are not
 * followed: an API answers where it is asked. A refused address rejects with the guard's
 * AppError, which the SDKs wrap as a connection error (see llm/errors.ts). With `maxBytes` and
 * `timeoutMs` (and `maxEventBytes`) the answer is bounded as by boundedFetch.
 */
export function guardedFetch(opts: OutboundOptions & { maxEventBytes?: number }): typeof fetch {
  const pinned = pinnedFetch(opts);
  if (opts.maxBytes === undefined && opts.timeoutMs === undefined) return pinned;
  return boundedFetch(pinned, {
    maxBytes: opts.maxBytes ?? Number.MAX_SAFE_INTEGER,
    maxEventBytes: opts.maxEventBytes ?? Number.MAX_SAFE_INTEGER,
    timeoutMs: opts.timeoutMs ?? 2 ** 31 - 1,
  });
}

function pinnedFetch(opts: OutboundOptions): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const target = await checkTarget(request.url, opts);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const headers: Record<string, string> = Object.fromEntries(request.headers);
    headers.host = target.url.host;
    // No compressed answers: this fetch hands the body on as it arrives, undecoded.
    delete headers['accept-encoding'];
    if (body) headers['content-length'] = String(body.length);
    const { url } = target;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const req = client.request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        agent: false,
        lookup,
        signal: init?.signal ?? undefined,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of [value ?? []].flat()) out.append(name, v);
        }
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 304 || request.method === 'HEAD';
        if (empty) res.resume();
        resolve(
          new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status,
            statusText: res.statusMessage,
            headers: out,
          }),
        );
      });
      req.end(body);
    });
  };
}
