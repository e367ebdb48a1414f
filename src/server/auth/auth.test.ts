import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer } from '../../../test/helpers/server.ts';

for (const kind of dbKinds()) {
  describe(`auth (${kind})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(kind, {
        JOBFORGE_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        JOBFORGE_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
      });
    });
    after(() => s.stop());

    test('when a person registers, then they get a user, a bearer token and a refresh cookie only', async () => {
      const res = await s.request('POST', '/api/v1/auth/register', {
        body: {
          email: 'Ana.Lopez@Example.com',
          password: 'secret-password',
          first_name: 'Ana',
          last_name: 'López',
        },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.token_type, 'bearer');
      assert.equal(res.body.user.last_name, 'López');
      assert.equal(
        res.body.refresh_token,
        undefined,
        'a browser never sees the refresh token in a body',
      );
      const cookie = res.headers.get('set-cookie') ?? '';
      assert.match(cookie, /jobforge_refresh=/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      const me = await s.request('GET', '/api/v1/users/me', { token: res.body.access_token });
      assert.equal(me.status, 200);
      assert.equal(me.body.email, 'Ana.Lopez@Example.com');
    });

    test('when the email is taken in another case, then registration answers 409', async () => {
      const u = await s.register();
      const res = await s.request('POST', '/api/v1/auth/register', {
        body: {
          email: u.email.toUpperCase(),
          password: 'secret-password',
          first_name: 'A',
          last_name: 'B',
        },
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'email_taken');
    });

    test('when the password is too short or too long, then 400 names the limit', async () => {
      for (const password of ['short', 'x'.repeat(129)]) {
        const res = await s.request('POST', '/api/v1/auth/register', {
          body: {
            email: `p${password.length}@example.com`,
            password,
            first_name: 'A',
            last_name: 'B',
          },
        });
        assert.equal(res.status, 400);
        assert.match(res.body.error.fields.password, /at (least 8|most 128)/);
      }
    });

    test('when the email is unknown or the password wrong, then the message is the same', async () => {
      const u = await s.register();
      const wrong = await s.request('POST', '/api/v1/auth/login', {
        body: { email: u.email, password: 'nope-nope' },
      });
      const unknown = await s.request('POST', '/api/v1/auth/login', {
        body: { email: 'nobody@example.com', password: 'nope-nope' },
      });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.deepEqual(wrong.body, unknown.body);
    });

    test('when an account fails too often, then login answers 429 with Retry-After, even with the right password', async () => {
      const u = await s.register();
      for (let i = 0; i < 3; i++) {
        const r = await s.request('POST', '/api/v1/auth/login', {
          body: { email: u.email, password: 'wrong-password' },
        });
        assert.equal(r.status, 401);
      }
      const res = await s.request('POST', '/api/v1/auth/login', {
        body: { email: u.email, password: u.password },
      });
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    });

    test('when tokens are expired, tampered, alg none, signed with another key or a refresh token, then 401', async () => {
      const u = await s.register();
      const [h, p, sig] = u.token.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${p}.`;
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${sig}`;
      const otherKey = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(new TextEncoder().encode('another-key-another-key-another-key!'));
      const expired = await new SignJWT({ ...payload, exp: Math.floor(Date.now() / 1000) - 60 })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(new TextEncoder().encode('irrelevant-irrelevant-irrelevant-!!'));
      for (const token of [none, tampered, otherKey, expired, u.refreshToken, 'garbage']) {
        const res = await s.request('GET', '/api/v1/users/me', { token });
        assert.equal(res.status, 401, token);
        assert.equal(res.body.error.code, 'unauthorized');
      }
      assert.equal((await s.request('GET', '/api/v1/users/me')).status, 401);
    });

    const refresh = (token: string, headers: Record<string, string> = {}) =>
      s.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: token }, headers });
    // The grace window passes for every used token (moved into the past, not slept through).
    const graceOver = () =>
      s.server.db.asOwner((tx) =>
        tx.query(
          `UPDATE refresh_tokens SET used_at = used_at - interval '11 seconds' WHERE used_at IS NOT NULL`,
        ),
      );

    test('when a refresh token is reused after the grace window, then the whole family is revoked', async () => {
      const u = await s.register();
      const r1 = await refresh(u.refreshToken);
      assert.equal(r1.status, 200);
      assert.notEqual(r1.body.refresh_token, u.refreshToken);
      await graceOver();
      const reuse = await refresh(u.refreshToken);
      assert.equal(reuse.status, 401);
      // The rotated token and the access tokens of that session are dead too.
      assert.equal((await refresh(r1.body.refresh_token)).status, 401);
      assert.equal(
        (await s.request('GET', '/api/v1/users/me', { token: r1.body.access_token })).status,
        401,
      );
    });

    test('when a rotated token is presented again within the grace window by its client, then it gets the session’s current tokens and the session lives', async () => {
      const u = await s.register();
      const r1 = await refresh(u.refreshToken);
      assert.equal(r1.status, 200);
      const again = await refresh(u.refreshToken);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.refresh_token, r1.body.refresh_token, 'the current one, no new one');
      assert.equal(
        (await s.request('GET', '/api/v1/users/me', { token: again.body.access_token })).status,
        200,
      );
      // Still one line of tokens: the current one rotates normally, and the session lives on.
      const r2 = await refresh(r1.body.refresh_token);
      assert.equal(r2.status, 200);
      // Two rotations later, within the window, the first token still finds the current one.
      const late = await refresh(u.refreshToken);
      assert.deepEqual([late.status, late.body.refresh_token], [200, r2.body.refresh_token]);
      assert.equal((await refresh(r2.body.refresh_token)).status, 200);
    });

    test('when a rotated token is presented again within the grace window by another client, then the family is revoked', async () => {
      const u = await s.register();
      const r1 = await refresh(u.refreshToken);
      assert.equal(r1.status, 200);
      const thief = await refresh(u.refreshToken, { 'user-agent': 'curl/8.5.0' });
      assert.equal(thief.status, 401);
      assert.equal((await refresh(r1.body.refresh_token)).status, 401, 'the session ended');
    });

    test('when ten refreshes race with one token, then all get the session’s one current token', async () => {
      const u = await s.register();
      const results = await Promise.all(Array.from({ length: 10 }, () => refresh(u.refreshToken)));
      assert.deepEqual(
        results.map((r) => r.status),
        Array(10).fill(200),
      );
      const tokens = new Set(results.map((r) => r.body.refresh_token as string));
      assert.equal(tokens.size, 1, 'one rotation, one current token');
      const [current] = tokens;
      assert.equal((await refresh(current!)).status, 200);
    });

    test('when a browser refreshes with its cookie, then it gets a new cookie and no token in the body', async () => {
      const reg = await s.request('POST', '/api/v1/auth/register', {
        body: {
          email: 'cookie@example.com',
          password: 'secret-password',
          first_name: 'C',
          last_name: 'K',
        },
      });
      const cookie = (reg.headers.get('set-cookie') ?? '').split(';')[0]!;
      const res = await s.request('POST', '/api/v1/auth/refresh', { headers: { cookie } });
      assert.equal(res.status, 200);
      assert.equal(res.body.refresh_token, undefined);
      assert.match(res.headers.get('set-cookie') ?? '', /jobforge_refresh=/);
      assert.notEqual((res.headers.get('set-cookie') ?? '').split(';')[0], cookie);
    });

    test('when a user logs out, then the access token and refresh token stop working', async () => {
      const u = await s.register();
      const out = await s.request('POST', '/api/v1/auth/logout', { token: u.token });
      assert.equal(out.status, 204);
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: u.token })).status, 401);
      const r = await s.request('POST', '/api/v1/auth/refresh', {
        body: { refresh_token: u.refreshToken },
      });
      assert.equal(r.status, 401);
    });

    test('when the password changes, then other sessions end and this one stays', async () => {
      const u = await s.register();
      const other = await s.request('POST', '/api/v1/auth/login', {
        body: { email: u.email, password: u.password, client: 'api' },
      });
      assert.equal(other.status, 200);
      const res = await s.request('POST', '/api/v1/users/me/password', {
        token: u.token,
        body: { current_password: u.password, new_password: 'a brand new password' },
      });
      assert.equal(res.status, 204);
      assert.equal((await s.request('GET', '/api/v1/users/me', { token: u.token })).status, 200);
      assert.equal(
        (await s.request('GET', '/api/v1/users/me', { token: other.body.access_token })).status,
        401,
      );
      const r = await refresh(other.body.refresh_token);
      assert.equal(r.status, 401);
      const login = await s.request('POST', '/api/v1/auth/login', {
        body: { email: u.email, password: 'a brand new password' },
      });
      assert.equal(login.status, 200);
    });
  });
}
