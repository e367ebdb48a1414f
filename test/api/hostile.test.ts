import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../helpers/databases.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  PAYLOADS,
  signUp,
  startGiantChunkServer,
  watchHealthz,
  type GiantModelServer,
  type PayloadContext,
} from '../hostile/payloads.ts';

/**
 * One user's worst input must not stall the server for everyone: each payload is answered
 * (2xx or 4xx, never a 5xx or a hang) while a /healthz loop keeps being answered. How long
 * /healthz waited is the bench's figure (npm run bench -- hostile), printed here as a
 * diagnostic only; the hang guard is watchHealthz's 10 s per request.
 */
for (const kind of dbKinds()) {
  describe(`hostile input (${kind})`, () => {
    let s: TestServer;
    let giantModel: GiantModelServer;
    let ctx: PayloadContext;
    before(async () => {
      giantModel = await startGiantChunkServer();
      s = await startTestServer(kind, {
        // The giant-chunk model server runs on 127.0.0.1, as a user's own Ollama would.
        JOBFORGE_ALLOW_PRIVATE_URLS: 'true',
        // One try per job and per model call: the payload is the reply, not the retries.
        JOBFORGE_LLM_MAX_ATTEMPTS: '1',
        JOBFORGE_JOB_MAX_ATTEMPTS: '1',
      });
      ctx = { session: await signUp(s.url), other: await signUp(s.url, 'victim'), giantModel };
    });
    after(async () => {
      await s?.stop();
      await giantModel?.close();
    });

    for (const payload of PAYLOADS) {
      test(
        `when ${payload.name}, then it is answered and /healthz keeps answering`,
        { timeout: 180_000 },
        async (t) => {
          const watch = watchHealthz(s.url);
          const outcome = await payload.run(ctx).then(
            (statuses) => ({ statuses }),
            (error: unknown) => ({ error }),
          );
          const health = await watch.stop();
          if ('error' in outcome) throw outcome.error;
          const { statuses } = outcome;
          t.diagnostic(
            `statuses ${statuses.join(',')}; worst /healthz wait ${health.worstMs.toFixed(0)} ms`,
          );
          for (const status of statuses) {
            assert.ok(
              payload.accept ? payload.accept(status) : status >= 200 && status < 500,
              `answered ${status}`,
            );
          }
          assert.deepEqual(health.failures, [], '/healthz kept answering');
          assert.ok(health.answered > 0, '/healthz was asked and answered during the payload');
        },
      );
    }

    test('when every payload has run, then the server still serves its users', async () => {
      const me = await s.request('GET', '/api/v1/users/me', { token: ctx.session.token });
      assert.equal(me.status, 200);
      const list = await s.request('GET', '/api/v1/applications', { token: ctx.session.token });
      assert.equal(list.status, 200);
      assert.ok(list.body.items.length > 0);
    });
  });
}
