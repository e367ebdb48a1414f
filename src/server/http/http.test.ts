import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openPostgres } from '../db/postgres.ts';

for (const kind of dbKinds()) {
  describe(`HTTP edges (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    test('when the body is malformed JSON, then 400 invalid_json', async () => {
      const res = await s.request('POST', '/api/v1/auth/login', { rawBody: '{"email": "a@b.c",' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'invalid_json');
    });

    test('when the body is over 1 MiB, then 413 says the limit', async () => {
      const res = await s.request('POST', '/api/v1/auth/login', {
        body: { email: 'a@b.co', password: 'x'.repeat(1_100_000) },
      });
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, 'payload_too_large');
      assert.match(res.body.error.message, /1024 KiB/);
    });

    test('when the body is not JSON, then 415', async () => {
      const res = await s.request('POST', '/api/v1/auth/login', {
        rawBody: 'email=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 415);
      assert.equal(res.body.error.code, 'unsupported_media_type');
    });

    test('when a field has the wrong type or is unknown, then 400 names each field', async () => {
      const res = await s.request('POST', '/api/v1/auth/register', {
        body: {
          email: 42,
          password: 'long enough',
          first_name: 'A',
          last_name: 'B',
          id: 'x',
          user_id: 'y',
        },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.equal(res.body.error.fields.email, 'must be text');
      assert.equal(res.body.error.fields.id, 'is not a field you can set');
      assert.equal(res.body.error.fields.user_id, 'is not a field you can set');
    });

    test('when the route does not exist, then a JSON 404', async () => {
      const res = await s.request('GET', '/api/v1/nothing-here');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    });

    test('when an operator probes, then healthz, readyz and metrics answer', async () => {
      assert.deepEqual((await s.request('GET', '/healthz')).body, { status: 'ok' });
      assert.deepEqual((await s.request('GET', '/readyz')).body, { status: 'ready' });
      const u = await s.register();
      await s.request('GET', '/api/v1/users/me', { token: u.token });
      const metrics = await s.request('GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.match(
        metrics.text,
        /jobforge_http_requests_total\{method="GET",route="\/api\/v1\/users\/me",status="200"\} 1/,
      );
      assert.match(metrics.text, /jobforge_http_request_duration_seconds_bucket/);
      assert.match(metrics.text, /jobforge_db_pool_connections \d+/);
      if (kind === 'postgres') {
        // The LISTEN connection that wakes event streams on every instance (decision 013).
        assert.match(metrics.text, /jobforge_job_events_listener_up 1/);
        assert.match(metrics.text, /jobforge_job_events_listener_connects [1-9]/);
      } else {
        assert.doesNotMatch(metrics.text, /jobforge_job_events_listener/);
      }
    });

    test('when someone reads the API docs, then the OpenAPI document and the docs page are served locally', async () => {
      const doc = await s.request('GET', '/openapi.json');
      assert.equal(doc.status, 200);
      assert.equal(doc.body.openapi, '3.1.0');
      for (const path of ['/api/v1/auth/register', '/api/v1/users/me', '/api/v1/search']) {
        assert.ok(doc.body.paths[path], `${path} is documented`);
      }
      assert.deepEqual(doc.body.paths['/api/v1/resumes'].get.security, [{ bearer: [] }]);
      assert.equal(doc.body.paths['/api/v1/auth/login'].post.security, undefined);
      // Downloads are files, not JSON strings: their media types with a binary body.
      const ok = (path: string) => doc.body.paths[path].get.responses['200'].content;
      const binary = { schema: { type: 'string', format: 'binary' } };
      assert.deepEqual(ok('/api/v1/applications/{id}/packet'), { 'application/zip': binary });
      for (const path of [
        '/api/v1/applications/{id}/documents/{type}/export',
        '/api/v1/resumes/{id}/export',
      ]) {
        assert.deepEqual(ok(path), {
          'text/markdown': binary,
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document': binary,
          'application/pdf': binary,
        });
      }
      const page = await fetch(`${s.url}/docs/`);
      const html = await page.text();
      assert.equal(page.status, 200);
      const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(scripts.length > 0);
      for (const src of scripts) {
        assert.doesNotMatch(src, /^(https?:)?\/\//, 'no script from another origin');
        assert.equal((await fetch(new URL(src, `${s.url}/docs/`))).status, 200);
      }
    });

    test('when a response goes out, then it carries the security headers', async () => {
      const res = await s.request('GET', '/healthz');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
    });
  });
}

describe('readiness', () => {
  test('when the database cannot be reached, then readyz answers 503 and healthz 200', async () => {
    const db = openPostgres({
      url: 'postgres://nobody:x@127.0.0.1:1/none',
      migrationUrl: 'postgres://nobody:x@127.0.0.1:1/none',
      poolSize: 1,
    });
    const app = await buildApp({
      config: loadConfig({}),
      db,
      secret: 'x'.repeat(32),
      logger: false,
    });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().status, 'unavailable');
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('embedded database statistics', () => {
  test('when the embedded server starts, then the planner has statistics (PGlite has no autovacuum)', async () => {
    const s = await startTestServer('pglite');
    try {
      const { rows } = await s.server.db.asOwner((tx) =>
        tx.query<{ analyzed: boolean }>(
          `SELECT last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = 'applications'`,
        ),
      );
      assert.equal(rows[0]?.analyzed, true);
    } finally {
      await s.stop();
    }
  });

  test('when the embedded database is vacuumed while requests run, then they all succeed and nothing changes', async () => {
    const s = await startTestServer('pglite');
    try {
      const u = await s.register();
      const content = `# Nurse\n\n${'Ten years on a busy surgical ward. '.repeat(4)}`;
      const created = await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Main', content },
      });
      assert.equal(created.status, 201, created.text);
      const updates = Array.from({ length: 20 }, (_, i) =>
        s.request('PATCH', `/api/v1/resumes/${created.body.id}`, {
          token: u.token,
          body: { name: `Main ${i}` },
        }),
      );
      // VACUUM cannot run inside a transaction: this also proves it is sent outside one.
      const [, ...results] = await Promise.all([s.server.db.vacuum!(), ...updates]);
      assert.deepEqual(new Set(results.map((r) => r.status)), new Set([200]));
      const got = await s.request('GET', `/api/v1/resumes/${created.body.id}`, { token: u.token });
      assert.equal(got.body.content, content);
      assert.match(got.body.name, /^Main \d+$/);
    } finally {
      await s.stop();
    }
  });
});
