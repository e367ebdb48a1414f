import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Fake LLM servers on 127.0.0.1 speaking the real wire protocols (Anthropic Messages with its
 * full SSE sequence; OpenAI chat completions with chunks and [DONE], as Ollama, LM Studio and
 * vLLM serve them), so that tests drive the real SDKs. Each request takes the next step of the
 * script; when the script runs out, `fallback` answers.
 *
 * Requests that do not stream (JSON answers: the posting brief, the connection check) take
 * their steps from a second script, `scriptJson`, because the brief is asked for while the
 * report streams and the two arrive in either order. When that script is empty, `jsonFallback`
 * answers; without one, a posting-brief request gets FAKE_BRIEF and any other JSON request
 * takes the next step of the main script (as the connection-check tests script it).
 */
export type Step =
  | { kind: 'text'; chunks: string[]; usage?: { input: number; output: number }; delayMs?: number }
  | { kind: 'error'; status: number; message?: string; retryAfter?: string }
  /** Closes the socket before any response. */
  | { kind: 'reset' }
  /** Sends some chunks, then closes the socket mid-stream. */
  | { kind: 'reset-mid-stream'; chunks: string[] }
  /** Sends some chunks (maybe none), then keeps the connection open and sends nothing more. */
  | { kind: 'stall'; chunks: string[] }
  /** Never answers (the client's timeout must fire). */
  | { kind: 'hang' }
  /** A 200 event stream whose data is not JSON. */
  | { kind: 'malformed' }
  /** Text deltas as fast as the client reads them, without end (a model ignoring max_tokens). */
  | { kind: 'flood'; text?: string }
  /** One short delta every `everyMs`, without end: never silent long enough to look stalled. */
  | { kind: 'drip'; everyMs: number; text?: string }
  /**
   * `bytes` of one answer: for a streaming request an event stream whose first event never
   * ends (one giant `data:` line, as a server answering one 40 MB chunk); otherwise a JSON body
   * that large. Written as fast as the client reads.
   */
  | { kind: 'giant'; bytes: number };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** performance.now() timings for benchmarks: request read, first text chunk written, stream ended. */
  receivedAt?: number;
  /** flood, drip, giant: bytes the server handed to the socket before the client went away. */
  bytesWritten?: number;
  /** flood, drip, giant: the client closed the connection (they never end by themselves). */
  clientClosed?: boolean;
  firstChunkAt?: number;
  endedAt?: number;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the remaining script. */
  script(steps: Step[]): void;
  /** Replaces the remaining script of non-streaming (JSON) requests. */
  scriptJson(steps: Step[]): void;
  close(): Promise<void>;
}

export interface FakeOptions {
  apiKey?: string;
  models?: string[];
  fallback?: Step;
  /** Answers non-streaming requests once their own script is empty. */
  jsonFallback?: Step;
  /** Answer 400 to response_format json_schema, as older local servers do. */
  noJsonSchema?: boolean;
  /** OpenAI's POST /v1/embeddings: vectors of this many dimensions (default 64). */
  embeddingDimensions?: number;
  /** The first embeddings calls answer these statuses (Retry-After: 0), then vectors. */
  embeddingFailures?: number[];
}

/**
 * A deterministic stand-in for an embedding model: each lower-cased word adds 1 to a hashed
 * dimension, so texts sharing words point the same way. Answers floats, or base64 of
 * little-endian float32 when asked (the openai SDK asks for base64 by default).
 */
function fakeEmbeddings(body: any, dimensions: number) {
  const inputs: string[] = Array.isArray(body?.input) ? body.input : [String(body?.input ?? '')];
  const data = inputs.map((text, index) => {
    const v = new Float32Array(dimensions);
    for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 0;
      for (const c of w) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      v[h % dimensions]! += 1;
    }
    if (v.every((x) => x === 0)) v[0] = 1;
    const embedding =
      body?.encoding_format === 'base64'
        ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
        : Array.from(v);
    return { object: 'embedding', index, embedding };
  });
  return {
    object: 'list',
    data,
    model: String(body?.model),
    usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
  };
}

/** A valid posting brief that adds no section to a report: what unscripted brief requests get. */
export const FAKE_BRIEF = {
  role_summary: 'The role as the fake model reads it.',
  requirements: [],
  keywords: [],
  open_questions: [],
};

/** A `text` step answering this JSON, for `scriptJson`; `prefix`/`suffix` add prose around it. */
export const jsonStep = (
  value: unknown,
  opts: { prefix?: string; suffix?: string; usage?: { input: number; output: number } } = {},
): Step => ({
  kind: 'text',
  chunks: [`${opts.prefix ?? ''}${JSON.stringify(value)}${opts.suffix ?? ''}`],
  usage: opts.usage,
});

/** The posting brief request is the one JSON request that carries a posting. */
const asksForBrief = (body: any) => JSON.stringify(body?.messages ?? '').includes('<job_posting>');

type Protocol = 'anthropic' | 'openai';

const sse = (res: http.ServerResponse, event: string | undefined, data: unknown) =>
  res.write(
    `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
  );

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorBody(protocol: Protocol, status: number, message: string) {
  const type =
    status === 401
      ? 'authentication_error'
      : status === 404
        ? 'not_found_error'
        : status === 429
          ? 'rate_limit_error'
          : status === 529
            ? 'overloaded_error'
            : status >= 500
              ? 'api_error'
              : 'invalid_request_error';
  return protocol === 'anthropic'
    ? { type: 'error', error: { type, message } }
    : { error: { message, type, code: null, param: null } };
}

/** Anthropic's first stream event: the message, empty, with its input tokens. */
const messageStart = (model: string, inputTokens: number) => ({
  type: 'message_start',
  message: {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: 1 },
  },
});

async function streamAnthropic(
  res: http.ServerResponse,
  model: string,
  step: Extract<Step, { kind: 'text' }>,
  record: RecordedRequest,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const usage = step.usage ?? { input: 20, output: step.chunks.length };
  sse(res, 'message_start', messageStart(model, usage.input));
  sse(res, 'content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '' },
  });
  sse(res, 'ping', { type: 'ping' });
  for (const text of step.chunks) {
    if (step.delayMs) await wait(step.delayMs);
    sse(res, 'content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text },
    });
    record.firstChunkAt ??= performance.now();
  }
  sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
  record.endedAt = performance.now();
}

async function streamOpenAi(
  res: http.ServerResponse,
  model: string,
  step: Extract<Step, { kind: 'text' }>,
  record: RecordedRequest,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const usage = step.usage ?? { input: 20, output: step.chunks.length };
  const chunk = (delta: object, finish: string | null) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  sse(res, undefined, chunk({ role: 'assistant', content: '' }, null));
  for (const text of step.chunks) {
    if (step.delayMs) await wait(step.delayMs);
    sse(res, undefined, chunk({ content: text }, null));
    record.firstChunkAt ??= performance.now();
  }
  sse(res, undefined, chunk({}, 'stop'));
  sse(res, undefined, {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    },
  });
  sse(res, undefined, '[DONE]');
  res.end();
  record.endedAt = performance.now();
}

/**
 * Writes what `next` produces until it returns undefined or the client closes the connection,
 * waiting for the socket to drain (so the count is what the client made room for, give or take
 * the kernel's buffers), and records the bytes and whether the client went away.
 */
async function pump(
  res: http.ServerResponse,
  record: RecordedRequest,
  next: () => Promise<string | Buffer | undefined>,
): Promise<void> {
  record.bytesWritten = 0;
  let closed = false;
  res.on('close', () => {
    closed = !res.writableFinished;
    if (closed) record.clientClosed = true;
  });
  for (;;) {
    if (closed || res.destroyed) return;
    const piece = await next();
    if (piece === undefined) break;
    if (closed || res.destroyed) return;
    record.bytesWritten += Buffer.byteLength(piece);
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

/** A text delta event in the protocol's format. */
function deltaEvent(protocol: Protocol, model: string, text: string): string {
  return protocol === 'anthropic'
    ? `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`
    : `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
}

/** The opening of a stream up to its first text (Anthropic's message_start and block start). */
function streamStart(protocol: Protocol, model: string): string {
  if (protocol === 'openai')
    return `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`;
  return (
    `event: message_start\ndata: ${JSON.stringify(messageStart(model, 20))}\n\n` +
    `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`
  );
}

const PIECE = 64 * 1024;

function whole(protocol: Protocol, model: string, text: string, usage = { input: 20, output: 10 }) {
  return protocol === 'anthropic'
    ? {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      }
    : {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 1_700_000_000,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
        ],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      };
}

async function start(protocol: Protocol, opts: FakeOptions): Promise<FakeServer> {
  let steps: Step[] = [];
  let jsonSteps: Step[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const expectedPath = protocol === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const body = raw ? JSON.parse(raw) : undefined;
        const record: RecordedRequest = {
          path: req.url ?? '',
          headers: req.headers,
          body,
          receivedAt: performance.now(),
        };
        requests.push(record);
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(payload));
        };
        if (protocol === 'openai' && req.method === 'POST' && req.url === '/v1/embeddings') {
          const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          if (opts.apiKey !== undefined && key !== opts.apiKey)
            return send(401, errorBody(protocol, 401, 'invalid api key'));
          const failure = opts.embeddingFailures?.shift();
          if (failure !== undefined)
            return send(failure, errorBody(protocol, failure, 'try again'), { 'retry-after': '0' });
          return send(200, fakeEmbeddings(body, opts.embeddingDimensions ?? 64));
        }
        if (req.method !== 'POST' || req.url !== expectedPath)
          return send(404, errorBody(protocol, 404, `no route ${req.url}`));
        const key =
          req.headers['x-api-key'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (opts.apiKey !== undefined && key !== opts.apiKey)
          return send(401, errorBody(protocol, 401, 'invalid x-api-key'));
        const model = String(body?.model);
        if (opts.models && !opts.models.includes(model))
          return send(
            404,
            errorBody(protocol, 404, `model "${model}" not found, try pulling it first`),
          );
        if (opts.noJsonSchema && body?.response_format?.type === 'json_schema')
          return send(
            400,
            errorBody(protocol, 400, 'response_format json_schema is not supported'),
          );
        const jsonStepNext = body?.stream
          ? undefined
          : (jsonSteps.shift() ??
            opts.jsonFallback ??
            (asksForBrief(body) ? jsonStep(FAKE_BRIEF) : undefined));
        const step = jsonStepNext ??
          steps.shift() ??
          opts.fallback ?? { kind: 'text', chunks: ['ok'] };
        switch (step.kind) {
          case 'error':
            return send(
              step.status,
              errorBody(protocol, step.status, step.message ?? `fake ${step.status}`),
              step.retryAfter ? { 'retry-after': step.retryAfter } : {},
            );
          case 'reset':
            return req.socket.destroy();
          case 'hang':
            return;
          case 'malformed':
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            sse(
              res,
              protocol === 'anthropic' ? 'content_block_delta' : undefined,
              '{"type": not json',
            );
            return res.end();
          case 'stall':
          case 'reset-mid-stream':
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            for (const text of step.chunks) {
              if (protocol === 'anthropic') {
                sse(res, 'content_block_delta', {
                  type: 'content_block_delta',
                  index: 0,
                  delta: { type: 'text_delta', text },
                });
              } else {
                sse(res, undefined, {
                  id: 'chatcmpl-fake',
                  object: 'chat.completion.chunk',
                  created: 1_700_000_000,
                  model,
                  choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
                });
              }
            }
            if (step.kind === 'stall') return; // open until the client gives up or close()
            await wait(20);
            return req.socket.destroy();
          case 'flood':
          case 'drip': {
            res.writeHead(200, {
              'content-type': 'text/event-stream',
              'cache-control': 'no-cache',
            });
            let first = true;
            const text = step.text ?? (step.kind === 'flood' ? 'flood and more flood ' : 'drip ');
            return pump(res, record, async () => {
              if (first) {
                first = false;
                return streamStart(protocol, model);
              }
              if (step.kind === 'drip') await wait(step.everyMs);
              else await new Promise((r) => setImmediate(r));
              return step.kind === 'flood'
                ? deltaEvent(protocol, model, text).repeat(50)
                : deltaEvent(protocol, model, text);
            });
          }
          case 'giant': {
            const streaming = Boolean(body?.stream);
            res.writeHead(200, {
              'content-type': streaming ? 'text/event-stream' : 'application/json',
            });
            // Streaming: an event whose data never ends. JSON: one string value that large.
            const head = streaming
              ? protocol === 'anthropic'
                ? 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"'
                : 'data: {"choices":[{"index":0,"delta":{"content":"'
              : '{"id":"x","content":"';
            let sent = 0;
            const filler = Buffer.alloc(PIECE, 'a');
            return pump(res, record, () => {
              if (sent >= step.bytes) return Promise.resolve(undefined);
              const piece = sent === 0 ? Buffer.concat([Buffer.from(head), filler]) : filler;
              sent += piece.length;
              return Promise.resolve(piece);
            });
          }
          case 'text':
            if (!body?.stream)
              return send(200, whole(protocol, model, step.chunks.join(''), step.usage));
            return protocol === 'anthropic'
              ? streamAnthropic(res, model, step, record)
              : streamOpenAi(res, model, step, record);
        }
      })();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `http://127.0.0.1:${port}`;
  return {
    // Anthropic's SDK takes the host; OpenAI's takes the /v1 prefix (stack notes).
    url: protocol === 'anthropic' ? host : `${host}/v1`,
    requests,
    script(next) {
      steps = [...next];
    },
    scriptJson(next) {
      jsonSteps = [...next];
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const startFakeAnthropic = (opts: FakeOptions = {}) => start('anthropic', opts);
export const startFakeOpenAi = (opts: FakeOptions = {}) => start('openai', opts);
