import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { dbKinds } from '../helpers/databases.ts';
import { DOCUMENT_TYPES, SAMPLE_BODIES, seedUser, type SeededUser } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const RUNS = Number(process.env.JOBFORGE_FUZZ_RUNS ?? 40);

/** The keys a route's body schema allows (through optional/nullable wrappers). */
function allowedKeys(schema: unknown): Set<string> | undefined {
  let s = schema as z.ZodType | undefined;
  while (s && !(s instanceof z.ZodObject) && 'unwrap' in s && typeof s.unwrap === 'function') {
    s = (s as unknown as { unwrap(): z.ZodType }).unwrap();
  }
  return s instanceof z.ZodObject ? new Set(Object.keys(s.shape)) : undefined;
}

const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>',
    'javascript:alert(1)',
    '../../etc/passwd',
    '\u202Eevil',
    '👩‍💻'.repeat(500),
    'x'.repeat(300_000),
    '00000000-0000-0000-0000-000000000000',
    'https://example.com/' + 'a'.repeat(3000),
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER, [], {}),
);
const FORBIDDEN_KEYS = [
  'id',
  'user_id',
  'created_at',
  'updated_at',
  'is_active',
  'password_hash',
  '__proto__',
  'constructor',
  'version',
  'name',
];

function bodies(sample: Record<string, unknown>) {
  const keys = Object.keys(sample);
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    // The valid body with some values replaced by hostile ones.
    fc.record(
      Object.fromEntries(keys.map((k) => [k, fc.oneof(fc.constant(sample[k]), hostileValue)])),
      {
        requiredKeys: [],
      },
    ),
    // The valid body plus fields nobody may set.
    fc
      .dictionary(fc.constantFrom(...FORBIDDEN_KEYS), hostileValue, { minKeys: 1, maxKeys: 3 })
      .map((extra) => ({ ...sample, ...extra })),
  );
}

for (const kind of dbKinds()) {
  describe(`routes under random and hostile input (${kind})`, () => {
    let s: TestServer;
    let owner: SeededUser;
    before(async () => {
      s = await startTestServer(kind);
      owner = await seedUser(s, 'fuzzmarker');
    });
    after(() => s.stop());

    /** A route pattern filled with the owner's own ids, so that handlers get past the lookup. */
    const ownerUrl = (pattern: string) =>
      pattern
        .replace(':type', DOCUMENT_TYPES[0])
        .replace(
          ':id',
          pattern.startsWith('/api/v1/resumes') ? owner.resumeIds[1]! : owner.applicationId,
        );

    test('when any write route gets any body, then never a 5xx and never a 2xx that accepted a field the schema does not allow', async () => {
      const routes = s.server.app.routeTable.filter(
        (r) =>
          ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.schema?.body !== undefined,
      );
      assert.ok(routes.length >= 10, 'the write routes were found');
      for (const route of routes) {
        const key = `${route.method} ${route.url}`;
        const sample = SAMPLE_BODIES[key];
        assert.ok(
          sample && typeof sample === 'object',
          `no sample body for ${key}: add one to test/helpers/fixtures.ts`,
        );
        const allowed = allowedKeys(route.schema?.body);
        const url = ownerUrl(route.url);
        // Logging out with the owner's token would end the session the other routes need.
        const token = route.url.startsWith('/api/v1/auth/') ? undefined : owner.token;
        await fc.assert(
          fc.asyncProperty(bodies(sample as Record<string, unknown>), async (body) => {
            const res = await s.request(route.method, url, { token, body });
            assert.ok(
              res.status < 500,
              `${key} answered ${res.status} to ${JSON.stringify(body).slice(0, 300)}: ${res.text.slice(0, 300)}`,
            );
            assert.equal(
              typeof res.body?.error?.code === 'string' || res.status < 300,
              true,
              `${key}: error bodies have a code`,
            );
            const extra =
              body && typeof body === 'object' && !Array.isArray(body) && allowed
                ? Object.keys(body).filter((k) => !allowed.has(k))
                : [];
            if (extra.length > 0) {
              assert.ok(res.status >= 400, `${key} accepted unknown field(s) ${extra.join(', ')}`);
            }
          }),
          { numRuns: RUNS, seed: Number(process.env.JOBFORGE_FUZZ_SEED ?? Date.now() % 1e9) },
        );
      }
      // Read routes with query parameters get the same treatment (search syntax, paging, sorting).
      const reads = s.server.app.routeTable.filter(
        (r) => r.method === 'GET' && r.schema?.querystring,
      );
      assert.ok(reads.length >= 2, 'the list and search routes were found');
      for (const route of reads) {
        const keys = allowedKeys(route.schema?.querystring) ?? new Set<string>();
        const query = fc.dictionary(
          fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 10 })),
          fc.oneof(
            hostileString.filter((v) => v.length < 2000),
            fc.integer().map(String),
            fc.constantFrom('-1', '1e9', 'NaN', 'asc', 'draft', owner.resumeIds[0]!),
          ),
          { maxKeys: 4 },
        );
        await fc.assert(
          fc.asyncProperty(query, async (params) => {
            const res = await s.request(
              'GET',
              `${ownerUrl(route.url)}?${new URLSearchParams(params).toString()}`,
              { token: owner.token },
            );
            assert.ok(
              res.status < 500,
              `GET ${route.url} answered ${res.status} to ${JSON.stringify(params).slice(0, 300)}: ${res.text.slice(0, 300)}`,
            );
          }),
          { numRuns: RUNS },
        );
      }
      // The owner still exists, owns what they owned, and nobody set their id or timestamps.
      const me = await s.request('GET', '/api/v1/users/me', { token: owner.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.id, owner.id);
    });
  });
}
