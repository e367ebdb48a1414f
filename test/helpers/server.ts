import type { Config } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import type { OutboundOptions } from '../../src/server/net/outbound-guard.ts';
import { createTestDatabase, type DbKind, type TestDatabase } from './databases.ts';
import { fakeResolver } from './outbound.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  kind: DbKind;
  url: string;
  server: RunningServer;
  config: Config;
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  /** Registers a user through the API; returns its token and ids. */
  register(
    overrides?: Partial<{ email: string; password: string; first_name: string; last_name: string }>,
  ): Promise<TestUser>;
  stop(): Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

let counter = 0;

/** A real Job Forge server on a random port over a fresh database of the given kind. */
export async function startTestServer(
  kind: DbKind,
  env: Record<string, string> = {},
  opts: { outbound?: OutboundOptions } = {},
): Promise<TestServer> {
  const db: TestDatabase = await createTestDatabase(kind, env);
  const server = await startServer(db.config, {
    logger: process.env.JOBFORGE_TEST_LOG_LEVEL !== undefined,
    // Outbound network is blocked in tests: no name resolves unless a test says so.
    outbound: { resolve: fakeResolver(), ...opts.outbound },
  });
  const request = async <T>(method: string, path: string, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
    }
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text.length > 0)
      parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
  return {
    kind,
    url: server.url,
    server,
    config: db.config,
    request,
    async register(overrides = {}) {
      counter += 1;
      const input = {
        email: `user${counter}-${Date.now()}@example.com`,
        password: 'correct horse battery',
        first_name: 'Test',
        last_name: `User ${counter}`,
        ...overrides,
      };
      const res = await request<any>('POST', '/api/v1/auth/register', {
        body: { ...input, client: 'api' },
      });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
      return {
        id: res.body.user.id,
        email: input.email,
        password: input.password,
        token: res.body.access_token,
        refreshToken: res.body.refresh_token,
      };
    },
    async stop() {
      await server.stop();
      await db.drop();
    },
  };
}
