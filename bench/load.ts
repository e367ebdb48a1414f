import http from 'node:http';
import type { Operation } from './measure.ts';
import { SEARCH_TERMS } from './text.ts';
import type { Endpoint, Target, Workload } from './workload.ts';

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * HTTP load over node:http with a keep-alive agent of `connections` sockets (see
 * docs/decisions/008-benchmark-tools.md for why not autocannon or undici).
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    connections: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  /** The body as text; throws on a transport error or any status outside 2xx. */
  get(path: string, token?: string): Promise<string> {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    return new Promise((resolve, reject) => {
      const req = http.get(this.baseUrl + path, { agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(body);
          else reject(new Error(`GET ${path}: HTTP ${status} ${body.slice(0, 300)}`));
        });
      });
      req.on('error', reject);
      // A stuck server must fail the bench, not hang it.
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`GET ${path}: timed out`)));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function requestPath(endpoint: Endpoint, t: Target): string {
  switch (endpoint) {
    case 'list':
      return '/api/v1/applications?limit=20';
    case 'get':
      return `/api/v1/applications/${t.applicationId}`;
    case 'search':
      return `/api/v1/search?q=${encodeURIComponent(t.word)}&limit=10`;
  }
}

export function httpOperation(
  client: HttpClient,
  workload: Workload,
  endpoint: Endpoint,
  concurrency: number,
): Operation {
  const pickers = workload.pickers(concurrency, endpoint);
  return async (worker) => {
    const t = pickers[worker]!();
    await client.get(requestPath(endpoint, t), t.token);
  };
}

export interface ProbeResult {
  notes: string[];
  /** Size of one response body per endpoint, bytes. */
  bytes: Record<Endpoint, number>;
}

/**
 * One request per endpoint before the run, checked for content: a benchmark of empty answers
 * (no rows, or a search that matches nothing) would measure the wrong thing.
 */
export async function probe(client: HttpClient, workload: Workload): Promise<ProbeResult> {
  const [t] = workload.pickers(1, 'list').map((p) => p());
  if (!t) throw new Error('no users seeded');
  const listBody = await client.get(requestPath('list', t), t.token);
  const list = JSON.parse(listBody);
  if (list.items.length !== 20) throw new Error(`list returned ${list.items.length} items`);
  const getBody = await client.get(requestPath('get', t), t.token);
  if (JSON.parse(getBody).id !== t.applicationId) throw new Error('get returned another one');
  const hits: string[] = [];
  let searchBody = '';
  for (const { word } of SEARCH_TERMS) {
    const body = await client.get(requestPath('search', { ...t, word }), t.token);
    const items = JSON.parse(body).items.length;
    if (word === SEARCH_TERMS[0].word) {
      if (items === 0) throw new Error(`a search for ${word} found nothing`);
      searchBody = body;
    }
    hits.push(`${word} ${items}`);
  }
  return {
    notes: [`list total ${list.total}`, `one user's search hits: ${hits.join(', ')}`],
    bytes: {
      list: Buffer.byteLength(listBody),
      get: Buffer.byteLength(getBody),
      search: Buffer.byteLength(searchBody),
    },
  };
}

export const ROUTE_OF: Record<Endpoint, string> = {
  list: '/api/v1/applications',
  get: '/api/v1/applications/:id',
  search: '/api/v1/search',
};

export interface RouteTotals {
  seconds: number;
  count: number;
}

/**
 * The server's own view of a route (GET 200s) from its Prometheus histogram at /metrics: time
 * from the request's arrival to the response's end, without the client and the loopback.
 */
export async function routeTotals(client: HttpClient, endpoint: Endpoint): Promise<RouteTotals> {
  const text = await client.get('/metrics');
  const labels = `{method="GET",route="${ROUTE_OF[endpoint]}",status="200"}`;
  const value = (suffix: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${suffix}${labels} `));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return {
    seconds: value('jobforge_http_request_duration_seconds_sum'),
    count: value('jobforge_http_request_duration_seconds_count'),
  };
}
