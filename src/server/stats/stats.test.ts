import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { JOB_DESCRIPTION } from '../../../test/helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';

for (const kind of dbKinds()) {
  describe(`application stats (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind);
    });
    after(() => s.stop());

    const stats = async (token: string) => {
      const res = await s.request('GET', '/api/v1/stats/applications', { token });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const create = async (token: string, status = 'draft') => {
      const res = await s.request('POST', '/api/v1/applications', {
        token,
        body: {
          company_name: 'Acme',
          role_title: 'Engineer',
          job_description: JOB_DESCRIPTION,
          status,
        },
      });
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };
    const move = async (token: string, id: string, status: string) => {
      const res = await s.request('PATCH', `/api/v1/applications/${id}`, {
        token,
        body: { status },
      });
      assert.equal(res.status, 200, res.text);
    };
    /** Moves an application's events into the past, so durations are measurable. */
    const backdate = (id: string, toStatus: string, daysAgo: number) =>
      s.server.db.asOwner((tx) =>
        tx.query(
          `UPDATE application_events SET created_at = now() - $3 * interval '1 day'
            WHERE application_id = $1 AND to_status = $2::application_status`,
          [id, toStatus, daysAgo],
        ),
      );

    test('when a new user asks, then every figure is zero or null and there are 12 empty weeks', async () => {
      const u = await s.register();
      const body = await stats(u.token);
      assert.equal(body.total, 0);
      assert.deepEqual(body.by_status, {
        draft: 0,
        applied: 0,
        interview: 0,
        rejected: 0,
        offer: 0,
      });
      assert.equal(body.weeks.length, 12);
      assert.ok(body.weeks.every((w: any) => w.added === 0 && w.applied === 0));
      assert.match(body.weeks[11].week_start, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(new Date(`${body.weeks[11].week_start}T00:00:00Z`).getUTCDay(), 1, 'a Monday');
      assert.deepEqual(
        [
          body.applied_count,
          body.responded_count,
          body.response_rate,
          body.median_days_to_response,
        ],
        [0, 0, null, null],
      );
    });

    test('when applications move through the funnel, then counts, response rate and median days follow the timeline', async () => {
      const u = await s.register();
      await create(u.token); // stays a draft
      await create(u.token, 'applied'); // applied, no answer yet
      const b = await create(u.token);
      await move(u.token, b, 'applied');
      await move(u.token, b, 'interview');
      await move(u.token, b, 'offer');
      const c = await create(u.token, 'applied');
      await move(u.token, c, 'rejected');
      await create(u.token, 'interview'); // skipped "applied": no date to measure from
      // b: applied 10 days ago, answered 4 days ago (6 days); c: 9 → 7 days ago (2 days).
      await backdate(b, 'applied', 10);
      await backdate(b, 'interview', 4);
      await backdate(b, 'offer', 1);
      await backdate(c, 'applied', 9);
      await backdate(c, 'rejected', 7);

      const body = await stats(u.token);
      assert.equal(body.total, 5);
      assert.deepEqual(body.by_status, {
        draft: 1,
        applied: 1,
        interview: 1,
        rejected: 1,
        offer: 1,
      });
      assert.equal(body.applied_count, 3, 'a, b and c were applied for');
      assert.equal(body.responded_count, 2, 'b and c had an answer');
      assert.equal(body.response_rate, 2 / 3);
      assert.ok(
        Math.abs(body.median_days_to_response - 4) < 0.01,
        `median of 6 and 2 days: ${body.median_days_to_response}`,
      );
      const weekTotal = body.weeks.reduce((n: number, w: any) => n + w.added, 0);
      assert.equal(weekTotal, 5, 'all five were added within the last 12 weeks');
    });

    test('when two users have applications, then each sees only their own figures', async () => {
      const u1 = await s.register();
      const u2 = await s.register();
      await create(u1.token, 'applied');
      await create(u1.token, 'offer');
      assert.equal((await stats(u1.token)).total, 2);
      const other = await stats(u2.token);
      assert.equal(other.total, 0);
      assert.equal(other.applied_count, 0);
    });

    test('when no token is sent, then 401', async () => {
      const res = await s.request('GET', '/api/v1/stats/applications');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
    });
  });
}
