import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { spawnJobforge } from '../../test/helpers/jobforge-process.ts';
import { assertCatalogSafe } from '../server/db/catalog-check.ts';
import { openDatabase } from '../server/db/index.ts';

const register = (url: string, email: string) =>
  fetch(`${url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email,
      password: 'correct horse battery',
      first_name: 'Signal',
      last_name: 'Test',
      client: 'api',
    }),
  });

/**
 * A POST whose body the caller writes, in as many pieces as it likes, on a connection the client
 * keeps open for as long as the server does (as browsers and proxies do).
 */
function startRequest(url: string, body: string, agent: http.Agent) {
  const req = http.request(url, {
    agent,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
  });
  return { req, response };
}

describe('jobforge serve', () => {
  let dir: string;
  after(() => fs.rm(dir, { recursive: true, force: true }));

  test('when SIGTERM arrives during traffic, then the request in flight completes, the process exits 0, the lock is released and the data reopens intact', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-sigterm-'));
    const server = spawnJobforge(['serve'], { JOBFORGE_DATA_DIR: dir });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const url = (await server.waitFor(/Job Forge is running at (http:\/\/[^\s)]+)/))[1]!;
      assert.equal((await register(url, 'before@example.com')).status, 201);

      // A request whose body is still arriving is in flight for certain: send half of it, wait
      // until the server has seen the request and then the signal, then send the rest.
      const body = JSON.stringify({
        email: 'in-flight@example.com',
        password: 'correct horse battery',
        first_name: 'Signal',
        last_name: 'Test',
        client: 'api',
      });
      const inFlight = startRequest(`${url}/api/v1/auth/register`, body, agent);
      inFlight.req.write(body.slice(0, 20));
      await server.waitFor(/"url":"\/api\/v1\/auth\/register"/, { count: 2 });
      server.child.kill('SIGTERM');
      const signalled = Date.now();
      await server.waitFor(/SIGTERM: finishing in-flight requests, then closing the database/);
      inFlight.req.end(body.slice(20));
      const res = await inFlight.response;
      assert.equal(res.status, 201, res.body);

      const exit = await server.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, server.output());
      // Not Fastify's 72-second keep-alive timeout: connections close once their response is out.
      const shutdownMs = Date.now() - signalled;
      assert.ok(shutdownMs < 10_000, `shutdown took ${shutdownMs} ms`);
      assert.match(
        server.output(),
        /SIGTERM: finishing in-flight requests, then closing the database/,
      );
      await assert.rejects(fs.stat(path.join(dir, 'jobforge.lock')), { code: 'ENOENT' });
    } finally {
      agent.destroy();
      server.child.kill('SIGKILL');
    }

    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await assertCatalogSafe(db);
      const { rows } = await db.asOwner((tx) =>
        tx.query<{ email: string }>('SELECT email FROM users ORDER BY email'),
      );
      assert.deepEqual(
        rows.map((r) => r.email),
        ['before@example.com', 'in-flight@example.com'],
      );
    } finally {
      await db.close();
    }
  });
});
