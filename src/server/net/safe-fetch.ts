import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Writable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../http/errors.ts';
import { checkTarget, type CheckedTarget, type OutboundOptions } from './outbound-guard.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface FetchedPage {
  /** Where the content came from, after redirects. */
  url: string;
  status: number;
  /** The media type without parameters, lower case ('' when the server sent none). */
  mediaType: string;
  charset: string | undefined;
  body: Buffer;
}

export interface SafeFetchOptions extends OutboundOptions {
  /** Media types accepted; anything else is refused before its body is read. */
  accept: (mediaType: string) => boolean;
  /** How an unaccepted type is described to the user ("an HTML page"). */
  expected: string;
}

const unreachable = (url: URL | string, why: string) =>
  new AppError(422, 'url_unreachable', `The page at ${String(url)} could not be reached: ${why}.`);

/**
 * GET with the guard on every hop: each redirect target is checked and pinned again, the body is
 * streamed and cut off past maxBytes (compressed or not), and one deadline covers the whole
 * exchange, so a server that sends a byte a second cannot hold a request open.
 */
export async function safeFetch(raw: string, opts: SafeFetchOptions): Promise<FetchedPage> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let current = raw;
  try {
    for (let hop = 0; ; hop++) {
      const target = await checkTarget(current, opts);
      const res = await send(target, controller.signal).catch((err: unknown) => {
        throw controller.signal.aborted
          ? tooSlow(target.url, timeoutMs)
          : toUnreachable(target.url, err);
      });
      const location = res.headers.location;
      if (res.statusCode && [301, 302, 303, 307, 308].includes(res.statusCode) && location) {
        res.resume();
        if (hop >= (opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) {
          throw new AppError(
            422,
            'too_many_redirects',
            `The page at ${raw} redirected too many times.`,
          );
        }
        current = new URL(location, target.url).href;
        continue;
      }
      return await readPage(target, res, opts, controller.signal, timeoutMs);
    }
  } finally {
    clearTimeout(timer);
    controller.abort(); // closes whatever connection is still open
  }
}

const tooSlow = (url: URL, ms: number) =>
  new AppError(
    422,
    'url_timeout',
    `The page at ${url.href} took longer than ${ms / 1000} s to load.`,
  );

function toUnreachable(url: URL, err: unknown): AppError {
  const code = (err as { code?: string }).code;
  const why =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'ECONNRESET'
        ? 'the connection was reset'
        : code?.startsWith('ERR_TLS') || code?.includes('CERT')
          ? 'its certificate is not valid'
          : 'the connection failed';
  return unreachable(url, why);
}

function send(target: CheckedTarget, signal: AbortSignal): Promise<http.IncomingMessage> {
  // Any lookup the socket makes is answered with the address the guard checked.
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const { url } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      agent: false,
      lookup,
      signal,
      headers: {
        host: url.host,
        'user-agent': 'JobForge/0.1 (job posting import)',
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
        'accept-language': 'en;q=1, *;q=0.5',
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readPage(
  target: CheckedTarget,
  res: http.IncomingMessage,
  opts: SafeFetchOptions,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<FetchedPage> {
  const { url } = target;
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    res.resume();
    throw unreachable(url, `it answered ${status}${status === 404 ? ' (not found)' : ''}`);
  }
  const [type = '', ...params] = (res.headers['content-type'] ?? '').split(';');
  const mediaType = type.trim().toLowerCase();
  if (!opts.accept(mediaType)) {
    res.resume();
    throw new AppError(
      422,
      'unsupported_content_type',
      `The page at ${url.href} is not ${opts.expected} (it is ${mediaType || 'of no stated type'}).`,
    );
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const tooLarge = () =>
    new AppError(
      422,
      'response_too_large',
      `The page at ${url.href} is larger than ${Math.round(maxBytes / 1024)} KiB.`,
    );
  if (Number(res.headers['content-length'] ?? 0) > maxBytes && !res.headers['content-encoding']) {
    res.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge());
      chunks.push(chunk);
      done();
    },
  });
  try {
    const inflate = decoder(res.headers['content-encoding']);
    await (inflate ? pipeline(res, inflate, sink) : pipeline(res, sink));
  } catch (err) {
    res.destroy();
    if (err instanceof AppError) throw err;
    if (signal.aborted) throw tooSlow(url, timeoutMs);
    throw unreachable(url, 'the response was cut off or could not be decompressed');
  }
  const charset = params
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1])
    .find(Boolean)
    ?.toLowerCase();
  return { url: url.href, status, mediaType, charset, body: Buffer.concat(chunks) };
}

/** Decompressors for the encodings we asked for; the size cap applies to their output. */
function decoder(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}
