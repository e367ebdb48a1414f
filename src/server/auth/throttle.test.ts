import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { passwordVerifications } from './passwords.ts';

const randomAddress = () => [...randomBytes(4)].map((b) => b % 250).join('.');

describe('JOBFORGE_TRUST_PROXY', () => {
  const trust = (v: string) => loadConfig({ JOBFORGE_TRUST_PROXY: v }).trustProxy;

  test('when it is unset, false or 0, then no proxy is trusted', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(trust('false'), false);
    assert.equal(trust('0'), false);
  });

  test('when it is a hop count or a list of addresses and ranges, then it is kept as such', () => {
    assert.equal(trust('1'), 1);
    assert.equal(trust('2'), 2);
    assert.deepEqual(trust('10.0.0.5, 10.0.0.0/8,fd00::/8 , ::1'), [
      '10.0.0.5',
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
    ]);
  });

  test('when it is true, a bad address or a bad range, then start-up stops saying what to write', () => {
    for (const [value, pattern] of [
      ['true', /would trust every hop.*number of proxies.*1 for one reverse proxy/],
      ['yes', /would trust every hop/],
      ['10.0.0.300', /"10\.0\.0\.300" is not an IP address or CIDR range/],
      ['10.0.0.0/33', /"10\.0\.0\.0\/33" is not/],
      ['proxy.internal', /"proxy\.internal" is not/],
      ['11', /at most 10/],
    ] as const) {
      assert.throws(
        () => loadConfig({ JOBFORGE_TRUST_PROXY: value }),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.problems.some((p) => p.startsWith('JOBFORGE_TRUST_PROXY: ') && pattern.test(p)),
        value,
      );
    }
  });
});

for (const kind of dbKinds()) {
  describe(`sign-in throttling (${kind})`, () => {
    let s: TestServer;
    // The test client plays the reverse proxy: it connects from 127.0.0.1 and names the client
    // in X-Forwarded-For, so each test can sign in "from" any address.
    before(async () => {
      s = await startTestServer(kind, { JOBFORGE_TRUST_PROXY: '127.0.0.1' });
    });
    after(() => s.stop());

    const login = (email: string, password: string, from: string) =>
      s.request('POST', '/api/v1/auth/login', {
        body: { email, password, client: 'api' },
        headers: { 'x-forwarded-for': from },
      });

    test('when 40 wrong passwords for one account arrive at once, then at most 5 are checked and the rest get 429 with Retry-After without hashing', async () => {
      const u = await s.register();
      const attacker = randomAddress();
      const before = passwordVerifications();
      const results = await Promise.all(
        Array.from({ length: 40 }, () => login(u.email, 'wrong-password', attacker)),
      );
      const verified = passwordVerifications() - before;
      const rejected = results.filter((r) => r.status === 401);
      const limited = results.filter((r) => r.status === 429);
      assert.equal(rejected.length + limited.length, 40, results.map((r) => r.status).join());
      assert.ok(rejected.length >= 1 && rejected.length <= 5, `${rejected.length} checked`);
      assert.equal(verified, rejected.length, 'argon2 ran once per 401 and never for a 429');
      for (const r of limited) {
        assert.equal(r.body.error.code, 'too_many_requests');
        assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After');
      }
      // The right password from the attacker's address waits too…
      const blocked = await login(u.email, u.password, attacker);
      assert.equal(blocked.status, 429);
      assert.match(blocked.body.error.message, /for this account from your address/);
      // …but the owner, from an address with no failures, signs in.
      const owner = await login(u.email, u.password, randomAddress());
      assert.equal(owner.status, 200, owner.text);
    });

    test('when the pair keeps failing after its wait, then each wait doubles; a correct password clears it', async () => {
      const u = await s.register();
      const from = randomAddress();
      for (let i = 0; i < 5; i++)
        assert.equal((await login(u.email, 'nope-nope', from)).status, 401);
      const first = await login(u.email, 'nope-nope', from);
      assert.equal(first.status, 429);
      const firstWait = Number(first.headers.get('retry-after'));
      assert.ok(firstWait > 800 && firstWait <= 900, `first wait ${firstWait} s (the window)`);

      // The wait passes (moved into the past rather than slept through).
      const elapse = (seconds: number) =>
        s.server.db.asOwner((tx) =>
          tx.query(
            `UPDATE auth_throttle SET last_attempt_at = last_attempt_at - make_interval(secs => $1)`,
            [seconds],
          ),
        );
      await elapse(901);
      assert.equal((await login(u.email, 'nope-nope', from)).status, 401, 'one more try');
      const second = await login(u.email, 'nope-nope', from);
      assert.equal(second.status, 429);
      const secondWait = Number(second.headers.get('retry-after'));
      assert.ok(secondWait > 1700 && secondWait <= 1800, `second wait ${secondWait} s (doubled)`);

      await elapse(1801);
      assert.equal((await login(u.email, u.password, from)).status, 200);
      // Cleared: the typo allowance is back.
      for (let i = 0; i < 5; i++)
        assert.equal((await login(u.email, 'nope-nope', from)).status, 401);
    });
  });

  describe(`client addresses cannot be spoofed (${kind})`, () => {
    // The peer (the test, on 127.0.0.1) is not a trusted proxy in the first two; in the others
    // it is the trusted proxy (by count, by range), which appends the real client address to
    // whatever the client sent, as a proxy does.
    for (const [trust, real] of [
      ['false', undefined],
      ['10.0.0.0/8', undefined],
      ['1', '203.0.113.9'],
      ['127.0.0.0/8', '203.0.113.9'],
    ] as const) {
      describe(`JOBFORGE_TRUST_PROXY=${trust}`, () => {
        let s: TestServer;
        before(async () => {
          s = await startTestServer(kind, {
            JOBFORGE_TRUST_PROXY: trust,
            JOBFORGE_LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
            JOBFORGE_REGISTRATIONS_PER_ADDRESS_PER_HOUR: '4',
          });
        });
        after(() => s.stop());

        const spoofed = (extra: Record<string, string> = {}) => ({
          'x-forwarded-for': real ? `${randomAddress()}, ${real}` : randomAddress(),
          ...extra,
        });

        test(`when the request says X-Forwarded-Proto https, then the refresh cookie is ${real ? '' : 'not '}Secure`, async () => {
          // Runs first: its sign-up is the first of the address's four this hour.
          const res = await s.request('POST', '/api/v1/auth/register', {
            body: {
              email: `cookie-${randomAddress()}@example.com`,
              password: 'long enough password',
              first_name: 'A',
              last_name: 'B',
            },
            headers: spoofed({ 'x-forwarded-proto': 'https' }),
          });
          assert.equal(res.status, 201, res.text);
          const cookie = res.headers.get('set-cookie') ?? '';
          assert.match(cookie, /jobforge_refresh=/);
          if (real) assert.match(cookie, /;\s*Secure/i);
          else assert.doesNotMatch(cookie, /;\s*Secure/i);
        });

        test('when a client sends a random X-Forwarded-For with each attempt, then the per-address limit still holds', async () => {
          const statuses: number[] = [];
          for (let i = 0; i < 6; i++) {
            // A different account each time: only the address limit can stop this.
            const res = await s.request('POST', '/api/v1/auth/login', {
              body: { email: `victim${i}@example.com`, password: 'guess-guess' },
              headers: spoofed(),
            });
            statuses.push(res.status);
          }
          assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
        });

        test('when a client registers with a random X-Forwarded-For each time, then the per-address limit holds', async () => {
          const statuses: number[] = [];
          // The cookie test above used one of the four.
          for (let i = 0; i < 5; i++) {
            const res = await s.request('POST', '/api/v1/auth/register', {
              body: {
                email: `signup${i}-${randomAddress()}@example.com`,
                password: 'long enough password',
                first_name: 'A',
                last_name: 'B',
              },
              headers: spoofed(),
            });
            statuses.push(res.status);
            if (res.status === 429) {
              assert.match(res.body.error.message, /Too many sign-ups from your address/);
              const wait = Number(res.headers.get('retry-after'));
              assert.ok(wait >= 1 && wait <= 3600, `Retry-After ${wait}`);
            }
          }
          assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
        });
      });
    }
  });
}
