import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { screenshot } from './browser.ts';
import { JOB, nav } from './helpers.ts';
import { browserSuite } from './suite.ts';

// The shortest access token the configuration allows (JOBFORGE_ACCESS_TOKEN_TTL, min 10 s).
const ACCESS_TTL_SECONDS = 10;

/** Signs in through the form as a user registered over the API. */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** The API calls a page makes, with their answers' status codes, in order. */
function apiLog(page: Page): string[] {
  const log: string[] = [];
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/v1/')) log.push(`${r.request().method()} ${path} ${r.status()}`);
  });
  return log;
}

/** Successful refreshes the server has answered since it started (its /metrics). */
async function refreshesServed(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const m =
    /^jobforge_http_requests_total\{method="POST",route="\/api\/v1\/auth\/refresh",status="200"\} (\d+)$/m.exec(
      text,
    );
  return Number(m?.[1] ?? 0);
}

/**
 * The browser restarts with `n` tabs of Job Forge: the refresh cookie survives, no tab's memory
 * does, and every tab loads at once. Answers the refresh calls the tabs made (their statuses).
 */
async function restoreTabs(context: BrowserContext, n: number): Promise<number[]> {
  for (const p of context.pages()) await p.close();
  const refreshes: number[] = [];
  const onResponse = (r: Response) => {
    if (new URL(r.url()).pathname === '/api/v1/auth/refresh') refreshes.push(r.status());
  };
  context.on('response', onResponse);
  const tabs = await Promise.all(Array.from({ length: n }, () => context.newPage()));
  await Promise.all(tabs.map((t) => t.goto('/')));
  await Promise.all(tabs.map((t) => t.getByRole('heading', { name: 'Dashboard' }).waitFor()));
  for (const t of tabs) {
    assert.equal(await t.getByRole('button', { name: 'Sign out' }).count(), 1, 'signed in');
  }
  // Each tab's token works: a page of data loads in every one.
  await Promise.all(tabs.map((t) => nav(t, 'Board')));
  await Promise.all(tabs.map((t) => t.getByText('No applications yet').waitFor()));
  context.off('response', onResponse);
  return refreshes;
}

// Chromium logs every 4xx answer as a console error; a 401 on the way to a refresh is expected.
const unexpected = (errors: string[]) =>
  errors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e));

describe('session in the browser (pglite)', () => {
  const suite = browserSuite({ JOBFORGE_ACCESS_TOKEN_TTL: String(ACCESS_TTL_SECONDS) });

  test('when the access token expires while the app is open, then the next action refreshes silently and succeeds', async () => {
    const u = await suite.server.register();
    const watch = await suite.open();
    const { page } = watch;
    const log = apiLog(page);
    await signIn(page, u.email, u.password);
    await nav(page, 'Board');
    await page.getByRole('link', { name: 'New application', exact: true }).click();
    await page.getByLabel('Company').fill('Acme');
    await page.getByLabel('Role').fill('Backend Engineer');
    await page.getByLabel('Job description').fill(JOB);

    // The user pauses on the form for longer than the token lives.
    await page.waitForTimeout((ACCESS_TTL_SECONDS + 1.5) * 1000);
    log.length = 0;
    await page.getByRole('button', { name: 'Add application' }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: /Backend Engineer/ }).waitFor();

    assert.deepEqual(log.slice(0, 3), [
      'POST /api/v1/applications 401',
      'POST /api/v1/auth/refresh 200',
      'POST /api/v1/applications 201',
    ]);
    // u.token has expired by now too: a fresh one.
    const login = await suite.server.request<any>('POST', '/api/v1/auth/login', {
      body: { email: u.email, password: u.password, client: 'api' },
    });
    const list = await suite.server.request<any>('GET', '/api/v1/applications', {
      token: login.body.access_token,
    });
    assert.equal(list.body.total, 1, 'the retried request created one application, not two');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1, 'still in');
    assert.deepEqual(unexpected(watch.consoleErrors), []);
    await watch.context.close();
  });

  test('when the session is ended in another tab, then this tab’s next action sends the user to sign in, saying why', async () => {
    const u = await suite.server.register();
    const watch = await suite.open();
    const { page, context } = watch;
    await signIn(page, u.email, u.password);
    await nav(page, 'Board');
    await page.getByText('No applications yet').waitFor();

    // A second tab of the same browser shares the refresh cookie; signing out there ends the
    // session for both.
    const other = await context.newPage();
    await other.goto('/settings');
    await other.getByRole('heading', { name: 'Settings' }).waitFor();
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.getByText('You have signed out.').waitFor();

    await nav(page, 'Resumes');
    await page.waitForURL('**/sign-in');
    const status = page.getByRole('status').filter({ hasText: 'session' });
    assert.equal(
      await status.textContent(),
      'Your session has ended (it expired, or you signed out elsewhere). Please sign in again.',
      'the sign-in page says why',
    );
    await screenshot(page, 'session-ended');

    // Signing in again takes the user back to work.
    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Resumes|Dashboard/ }).waitFor();
    assert.deepEqual(watch.dialogs, []);
    await context.close();
  });

  test('when 2 and then 10 tabs of a signed-in user are restored at once, then they share one refresh and all stay signed in', async () => {
    const u = await suite.server.register();
    const { page, context } = await suite.open();
    await signIn(page, u.email, u.password);
    for (const n of [2, 10]) {
      const before = await refreshesServed(suite.server.url);
      const refreshes = await restoreTabs(context, n);
      assert.deepEqual(refreshes, [200], `${n} tabs: one refresh, by one tab`);
      assert.equal(await refreshesServed(suite.server.url), before + 1, 'the server saw one');
    }
    await context.close();
  });

  test('when the browser has no Web Locks, then ten tabs restored at once all stay signed in', async () => {
    const u = await suite.server.register();
    const { page, context } = await suite.open();
    // As on a page served over plain HTTP under a network name (not a secure context).
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
    });
    await signIn(page, u.email, u.password);
    const refreshes = await restoreTabs(context, 10);
    // Tabs that start together may each refresh; the server's reuse grace keeps them all in.
    assert.ok(refreshes.length >= 1 && refreshes.length <= 10, `${refreshes.length} refreshes`);
    assert.deepEqual(
      refreshes.filter((s) => s !== 200),
      [],
      'no refresh was refused',
    );
    await context.close();
  });
});
