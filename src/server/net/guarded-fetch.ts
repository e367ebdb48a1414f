import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { checkTarget, type OutboundOptions } from './outbound-guard.ts';

/**
 * A fetch for the LLM SDKs when the base URL is a user's choice: every request's address is
 * checked by the outbound guard and the connection is pinned to the checked address, as for job
 * imports (no second DNS lookup that rebinding could answer differently). Redirects are not
 * followed: an API answers where it is asked. A refused address rejects with the guard's
 * AppError, which the SDKs wrap as a connection error (see llm/errors.ts).
 */
export function guardedFetch(opts: OutboundOptions): typeof fetch {
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
