import http from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeOpenAi, type FakeServer } from '../../../test/fakes/llm-servers.ts';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { lexicalVector } from '../llm/embeddings/index.ts';
import {
  embeddingStorage,
  similarApplications,
  staleSubjects,
  upsertEmbedding,
} from './embeddings.repository.ts';

const PAYMENTS = {
  company_name: 'Northwind Payments',
  role_title: 'Senior Backend Engineer',
  job_description:
    'Build payment APIs in TypeScript and Node.js. Run PostgreSQL at scale, Kafka event streams, ' +
    'card payments and payouts for online shops.',
};
const SIMILAR = {
  company_name: 'Globex Pay',
  role_title: 'Backend Engineer, Payments',
  job_description:
    'You will build payment APIs with TypeScript on Node.js, tune PostgreSQL and run Kafka for ' +
    'card payments and merchant payouts.',
};
const OTHERS = [
  {
    company_name: 'St. Mary Hospital',
    role_title: 'ICU Registered Nurse',
    job_description:
      'Provide patient care for critically ill adults: medication administration, telemetry ' +
      'monitoring, BLS and ACLS certification required.',
  },
  {
    company_name: 'Contoso Capital',
    role_title: 'Financial Analyst',
    job_description:
      'Financial modeling, forecasting and budgeting in Excel; monthly reporting to the CFO under ' +
      'IFRS; reconciliation of accounts.',
  },
  {
    company_name: 'Initech',
    role_title: 'Frontend Engineer',
    job_description:
      'Build accessible React interfaces in TypeScript, design systems, browser performance and ' +
      'component testing.',
  },
];

/** A small seeded generator: the same corpora on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}
const VOCABULARY = `python kafka postgres react nurse patient budget forecast payments ledger audit
  design kubernetes terraform sales quota leads triage telemetry compliance docker mentoring
  analytics dashboards excel marketing campaigns logistics warehouse routing`.split(/\s+/);

async function createApp(s: TestServer, u: TestUser, body: object): Promise<string> {
  const res = await s.request('POST', '/api/v1/applications', { token: u.token, body });
  assert.equal(res.status, 201, res.text);
  return res.body.id as string;
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
};

for (const kind of dbKinds()) {
  describe(`similar applications and semantic search, built-in lexical embeddings (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    test('when a user asks for applications like one, then the obviously similar posting comes first, with its documents, and never itself or another user’s', async () => {
      const u = await s.register();
      const other = await s.register();
      const target = await createApp(s, u, PAYMENTS);
      const others = [];
      for (const body of OTHERS) others.push(await createApp(s, u, body));
      const similar = await createApp(s, u, SIMILAR);
      // Another user's copy of the very same posting: the closest possible, and never shown.
      const foreign = await createApp(s, other, PAYMENTS);
      const letter = await s.request(
        'PUT',
        `/api/v1/applications/${similar}/documents/cover_letter`,
        { token: u.token, body: { content: 'Dear Globex Pay team, …' } },
      );
      assert.equal(letter.status, 201);
      const res = await s.request('GET', `/api/v1/applications/${target}/similar?limit=10`, {
        token: u.token,
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.model, 'lexical:jobforge-stems-512-v1');
      const ids = res.body.items.map((i: any) => i.application.id);
      assert.equal(ids[0], similar, JSON.stringify(res.body.items));
      assert.deepEqual(new Set(ids), new Set([similar, ...others]));
      assert.ok(!ids.includes(target) && !ids.includes(foreign));
      const first = res.body.items[0];
      assert.equal(first.application.company_name, 'Globex Pay');
      assert.deepEqual(first.documents, [{ id: letter.body.id, document_type: 'cover_letter' }]);
      const scores = res.body.items.map((i: any) => i.score);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
      );
      assert.ok(scores[0] > scores[1] + 0.1, `a clear winner: ${scores.join(', ')}`);
      const limited = await s.request('GET', `/api/v1/applications/${target}/similar?limit=2`, {
        token: u.token,
      });
      assert.deepEqual(
        limited.body.items.map((i: any) => i.application.id),
        ids.slice(0, 2),
      );
      const asOther = await s.request('GET', `/api/v1/applications/${target}/similar`, {
        token: other.token,
      });
      assert.equal(asOther.status, 404);
    });

    test('when an application’s posting changes, then its vector is recomputed before the next query', async () => {
      const u = await s.register();
      const target = await createApp(s, u, PAYMENTS);
      const nurse = await createApp(s, u, OTHERS[0]!);
      const frontend = await createApp(s, u, OTHERS[2]!);
      const before = await s.request('GET', `/api/v1/applications/${target}/similar`, {
        token: u.token,
      });
      assert.equal(before.body.items[0].application.id, frontend);
      const patch = await s.request('PATCH', `/api/v1/applications/${nurse}`, {
        token: u.token,
        body: { ...SIMILAR },
      });
      assert.equal(patch.status, 200, patch.text);
      const afterEdit = await s.request('GET', `/api/v1/applications/${target}/similar`, {
        token: u.token,
      });
      assert.equal(afterEdit.body.items[0].application.id, nurse);
      const rows = await s.server.db.asOwner((tx) =>
        tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM document_embeddings WHERE user_id = $1',
          [u.id],
        ),
      );
      assert.equal(rows.rows[0]!.n, 3, 'one vector per application, replaced, not added');
    });

    test('when vectors of another model exist for the same rows, then each model only ever compares its own', async () => {
      const u = await s.register();
      const target = await createApp(s, u, PAYMENTS);
      const similar = await createApp(s, u, SIMILAR);
      const nurse = await createApp(s, u, OTHERS[0]!);
      const url = `/api/v1/applications/${target}/similar`;
      const lexical = await s.request('GET', url, { token: u.token });
      assert.equal(lexical.body.items[0].application.id, similar);
      // Another model (3 dimensions) that finds the nurse closest: stored beside the lexical rows.
      const tiny: Record<string, number[]> = {
        [target]: [1, 0, 0],
        [similar]: [0, 1, 0],
        [nurse]: [1, 0.1, 0],
      };
      await s.server.db.withUser(u.id, async (tx) => {
        const storage = await embeddingStorage(tx);
        for (const [applicationId, vector] of Object.entries(tiny))
          await upsertEmbedding(tx, storage, {
            userId: u.id,
            applicationId,
            model: 'test:tiny',
            vector,
          });
      });
      const again = await s.request('GET', url, { token: u.token });
      assert.deepEqual(again.body, lexical.body, 'the lexical answer is untouched');
      const tinyHits = await s.server.db.withUser(u.id, async (tx) =>
        similarApplications(tx, await embeddingStorage(tx), {
          userId: u.id,
          model: 'test:tiny',
          applicationId: target,
          limit: 10,
        }),
      );
      assert.deepEqual(
        tinyHits.map((h) => h.application_id),
        [nurse, similar],
      );
      const stale = await s.server.db.withUser(u.id, (tx) =>
        staleSubjects(tx, {
          userId: u.id,
          model: lexical.body.model,
          kinds: ['application', 'document'],
          limit: 100,
        }),
      );
      assert.deepEqual(stale, [], 'the lexical vectors are current');
      const rows = await s.server.db.asOwner((tx) =>
        tx.query<{ model: string; dimensions: number; n: number }>(
          `SELECT model, dimensions, count(*)::int AS n FROM document_embeddings
            WHERE user_id = $1 GROUP BY 1, 2 ORDER BY 1`,
          [u.id],
        ),
      );
      assert.deepEqual(rows.rows, [
        { model: lexical.body.model, dimensions: 512, n: 3 },
        { model: 'test:tiny', dimensions: 3, n: 3 },
      ]);
    });

    test('when the limit or id is malformed, then 400 or 404 with a message', async () => {
      const u = await s.register();
      const id = await createApp(s, u, PAYMENTS);
      for (const q of ['limit=0', 'limit=51', 'limit=abc', 'other=1']) {
        const res = await s.request('GET', `/api/v1/applications/${id}/similar?${q}`, {
          token: u.token,
        });
        assert.equal(res.status, 400, `${q}: ${res.text}`);
        assert.ok(res.body.error.message.length > 0);
      }
      const bad = await s.request('GET', '/api/v1/applications/not-a-uuid/similar', {
        token: u.token,
      });
      assert.equal(bad.status, 404);
      const blank = await s.request('GET', '/api/v1/search?semantic=true&q=%3F%3F%3F', {
        token: u.token,
      });
      assert.equal(blank.status, 400, blank.text);
      assert.match(blank.body.error.message, /no words/);
      const wrong = await s.request('GET', '/api/v1/search?semantic=yes&q=kafka', {
        token: u.token,
      });
      assert.equal(wrong.status, 400);
    });

    test('when semantic search runs, then its ranking is the brute-force cosine ranking over all of the user’s applications (exact: recall 1.0)', async () => {
      for (const seed of [1, 2, 3]) {
        const next = random(seed);
        const pick = (n: number) =>
          Array.from({ length: n }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
        const u = await s.register();
        const texts = new Map<string, string>();
        for (let i = 0; i < 14; i++) {
          const body = {
            company_name: `Company ${i}`,
            role_title: pick(2).join(' '),
            job_description: `${pick(12).join(' ')} and more words to pass the minimum length.`,
          };
          const id = await createApp(s, u, body);
          texts.set(id, `${body.role_title}\n${body.company_name}\n${body.job_description}`);
        }
        const q = pick(3).join(' ');
        const limit = 6;
        const res = await s.request(
          'GET',
          `/api/v1/search?semantic=true&kinds=application&limit=${limit}&q=${encodeURIComponent(q)}`,
          { token: u.token },
        );
        assert.equal(res.status, 200, res.text);
        const qv = lexicalVector(q)!;
        const brute = [...texts]
          .map(([id, t]) => ({ id, score: cosine(qv, lexicalVector(t)!) }))
          .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
        const got = res.body.items as { id: string; rank: number; kind: string }[];
        assert.equal(got.length, limit);
        const exact = new Map(brute.map((b) => [b.id, b.score]));
        for (const h of got) {
          assert.equal(h.kind, 'application');
          assert.ok(Math.abs(h.rank - exact.get(h.id)!) < 1e-5, `${h.id}: ${h.rank}`);
        }
        for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]!.rank >= got[i]!.rank - 1e-6);
        // The same top `limit` as brute force; only ties within float32 rounding may swap.
        const cut = brute[limit - 1]!.score;
        for (const b of brute) {
          if (b.score > cut + 1e-5)
            assert.ok(
              got.some((h) => h.id === b.id),
              `seed ${seed}: missed ${b.id}`,
            );
        }
        for (const h of got) assert.ok(exact.get(h.id)! >= cut - 1e-5);
        assert.deepEqual(
          got.map((h) => h.id),
          brute.slice(0, limit).map((b) => b.id),
          `seed ${seed}`,
        );
      }
    });

    test('when semantic search covers documents, then a document found by its words comes back with its application, and resumes are not searched', async () => {
      const u = await s.register();
      const app = await createApp(s, u, OTHERS[1]!);
      await createApp(s, u, PAYMENTS);
      const doc = await s.request('PUT', `/api/v1/applications/${app}/documents/cover_letter`, {
        token: u.token,
        body: { content: 'I reconciled ledgers and built IFRS forecasting models in Excel.' },
      });
      const res = await s.request(
        'GET',
        `/api/v1/search?semantic=true&q=${encodeURIComponent('ledger reconciliation forecasting')}`,
        { token: u.token },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.items[0].id, doc.body.id);
      assert.equal(res.body.items[0].application_id, app);
      assert.equal(res.body.items[0].document_type, 'cover_letter');
      assert.match(res.body.items[0].title, /^Cover letter — Contoso Capital/);
      assert.match(res.body.items[0].snippet, /reconciled ledgers/);
      const resumes = await s.request('GET', '/api/v1/search?semantic=true&kinds=resume&q=ledger', {
        token: u.token,
      });
      assert.deepEqual(resumes.body.items, []);
    });
  });

  for (const provider of ['openai', 'openai-compatible'] as const) {
    describe(`similar applications with ${provider} embeddings (fake server, real SDK; ${kind})`, () => {
      let fake: FakeServer;
      let s: TestServer;
      before(async () => {
        fake = await startFakeOpenAi({ apiKey: 'sk-embed', embeddingDimensions: 96 });
        s = await startTestServer(kind, {
          JOBFORGE_EMBEDDING_PROVIDER: provider,
          JOBFORGE_EMBEDDING_BASE_URL: fake.url,
          OPENAI_API_KEY: 'sk-embed',
          ...(provider === 'openai-compatible' ? { JOBFORGE_EMBEDDING_MODEL: 'nomic-embed' } : {}),
        });
      });
      after(async () => {
        await s.stop();
        await fake.close();
      });

      test('when vectors come from the provider, then the similar posting comes first and each text is embedded once per content', async () => {
        const u = await s.register();
        const target = await createApp(s, u, PAYMENTS);
        for (const body of OTHERS) await createApp(s, u, body);
        const similar = await createApp(s, u, SIMILAR);
        const res = await s.request('GET', `/api/v1/applications/${target}/similar`, {
          token: u.token,
        });
        assert.equal(res.status, 200, res.text);
        const model =
          provider === 'openai' ? 'openai:text-embedding-3-small' : 'openai-compatible:nomic-embed';
        assert.equal(res.body.model, model);
        assert.equal(res.body.items[0].application.id, similar);
        const calls = fake.requests.filter((r) => r.path === '/v1/embeddings');
        assert.equal(calls.length, 1, 'one batch');
        assert.equal(calls[0]!.body.input.length, 5);
        assert.equal(calls[0]!.body.encoding_format, provider === 'openai' ? 'base64' : 'float');
        const again = await s.request('GET', `/api/v1/applications/${target}/similar`, {
          token: u.token,
        });
        assert.deepEqual(again.body, res.body);
        assert.equal(
          fake.requests.filter((r) => r.path === '/v1/embeddings').length,
          1,
          'nothing re-embedded when nothing changed',
        );
        const stored = await s.server.db.asOwner((tx) =>
          tx.query<{ model: string; dimensions: number }>(
            'SELECT DISTINCT model, dimensions FROM document_embeddings WHERE user_id = $1',
            [u.id],
          ),
        );
        assert.deepEqual(stored.rows, [{ model, dimensions: 96 }]);
      });

      test('when the provider answers 429 then 503, then the request is tried again and succeeds', async () => {
        const flaky = await startFakeOpenAi({
          apiKey: 'sk-embed',
          embeddingFailures: [429, 503],
        });
        const flakyServer = await startTestServer(kind, {
          JOBFORGE_EMBEDDING_PROVIDER: provider,
          JOBFORGE_EMBEDDING_BASE_URL: flaky.url,
          OPENAI_API_KEY: 'sk-embed',
          ...(provider === 'openai-compatible' ? { JOBFORGE_EMBEDDING_MODEL: 'nomic-embed' } : {}),
        });
        try {
          const v = await flakyServer.register();
          const id = await createApp(flakyServer, v, PAYMENTS);
          const similar = await createApp(flakyServer, v, SIMILAR);
          const res = await flakyServer.request('GET', `/api/v1/applications/${id}/similar`, {
            token: v.token,
          });
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.items[0].application.id, similar);
          assert.equal(flaky.requests.filter((r) => r.path === '/v1/embeddings').length, 3);
        } finally {
          await flakyServer.stop();
          await flaky.close();
        }
      });

      test('when the provider answers a body larger than any batch of vectors, then it is cut off and 502, never buffered whole', async () => {
        // 40 MiB of one JSON answer, written as fast as the client reads.
        let written = 0;
        let hungUp = false;
        const giant = http.createServer((req, res) => {
          req.resume();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"object":"list","data":[{"object":"embedding","index":0,"embedding":[');
          const piece = '0.5,'.repeat(256 * 1024);
          const pump = () => {
            while (written < 40 * 1024 * 1024 && !hungUp) {
              written += piece.length;
              if (!res.write(piece)) return void res.once('drain', pump);
            }
            res.end('0]}]}');
          };
          res.on('close', () => (hungUp = true));
          pump();
        });
        await new Promise<void>((r) => giant.listen(0, '127.0.0.1', r));
        const { port } = giant.address() as AddressInfo;
        const bigServer = await startTestServer(kind, {
          JOBFORGE_EMBEDDING_PROVIDER: 'openai-compatible',
          JOBFORGE_EMBEDDING_BASE_URL: `http://127.0.0.1:${port}/v1`,
          JOBFORGE_EMBEDDING_MODEL: 'nomic-embed',
        });
        try {
          const v = await bigServer.register();
          const id = await createApp(bigServer, v, PAYMENTS);
          const res = await bigServer.request('GET', `/api/v1/applications/${id}/similar`, {
            token: v.token,
          });
          assert.equal(res.status, 502, res.text);
          assert.equal(res.body.error.code, 'embedding_failed');
          assert.match(res.body.error.message, /the answer was larger than 32 MiB/);
          // The close reaches the fake a moment after the answer: wait for it (hang guard).
          for (let i = 0; !hungUp && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
          assert.ok(hungUp, 'the client closed the connection');
          assert.ok(written < 40 * 1024 * 1024, `the server wrote ${written} bytes`);
        } finally {
          await bigServer.stop();
          await new Promise<void>((r) => giant.close(() => r()));
        }
      });

      test('when the provider rejects the key, then 502 with the reason, not a 500', async () => {
        const badServer = await startTestServer(kind, {
          JOBFORGE_EMBEDDING_PROVIDER: 'openai',
          JOBFORGE_EMBEDDING_BASE_URL: fake.url,
          OPENAI_API_KEY: 'sk-wrong',
        });
        try {
          const v = await badServer.register();
          const id = await createApp(badServer, v, PAYMENTS);
          const res = await badServer.request('GET', `/api/v1/applications/${id}/similar`, {
            token: v.token,
          });
          assert.equal(res.status, 502, res.text);
          assert.equal(res.body.error.code, 'embedding_failed');
          assert.match(res.body.error.message, /API key was rejected/);
        } finally {
          await badServer.stop();
        }
      });
    });
  }
}
