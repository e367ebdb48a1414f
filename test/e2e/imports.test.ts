import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { bookmarkletHref, bookmarkletSource } from '../../src/web/lib/bookmarklet.ts';
import { screenshot } from './browser.ts';
import { checkA11y, nav, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

const DESCRIPTION =
  'Build and run the payment services of a growing fintech. You will design APIs in TypeScript, ' +
  'own PostgreSQL schemas and mentor two engineers.';

const posting = (title: string, company: string, city: string) => ({
  '@context': 'https://schema.org',
  '@type': 'JobPosting',
  title,
  description: `<p>${DESCRIPTION}</p>`,
  hiringOrganization: { '@type': 'Organization', name: company },
  jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: city } },
  employmentType: 'FULL_TIME',
  datePosted: '2026-11-01',
});

const page = (title: string, ld: unknown[]) =>
  `<!doctype html><html lang="en"><head><title>${title}</title>${ld
    .map((x) => `<script type="application/ld+json">${JSON.stringify(x)}</script>`)
    .join('')}</head><body><h1>${title}</h1><p>marker-fixture-board</p></body></html>`;

/** A job board on another origin (another port): what the user is looking at. */
const PAGES: Record<string, string> = {
  '/job': page('Staff Engineer at Initrode', [posting('Staff Engineer', 'Initrode', 'Lisbon')]),
  '/jobs': page('Two openings', [
    posting('Backend Engineer', 'Umbrella', 'Berlin'),
    posting('Site Reliability Engineer', 'Umbrella', 'Hamburg'),
  ]),
  '/empty': '<!doctype html><html lang="en"><head><title></title></head><body></body></html>',
};

function jobBoard() {
  let server: http.Server | undefined;
  before(async () => {
    server = http.createServer((req, res) => {
      const body = PAGES[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  });
  after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));
  return {
    url: (path: string) => `http://127.0.0.1:${(server!.address() as AddressInfo).port}${path}`,
  };
}

const field = (p: Page, label: string) => p.getByLabel(label, { exact: true }).inputValue();

async function importWithLink(p: Page, url: string): Promise<void> {
  await p.getByLabel('Paste a link to the posting').fill(url);
  await p.getByRole('button', { name: 'Import' }).click();
}

/**
 * The import window shows what it received and waits for the person: checks the sender's address
 * and the page's title, then imports.
 */
async function confirmReceived(popup: Page, url: string, title: string): Promise<void> {
  await popup.getByRole('heading', { name: 'A page was sent to Job Forge' }).waitFor();
  assert.equal(await popup.getByTestId('received-url').textContent(), url);
  assert.equal(await popup.getByTestId('received-title').textContent(), title);
  await popup.getByRole('button', { name: 'Import this page' }).click();
}

/** Runs the bookmarklet, as built for the settings page, on the page shown; answers the popup. */
async function runBookmarklet(p: Page, origin: string): Promise<Page> {
  const [popup] = await Promise.all([
    p.context().waitForEvent('page'),
    p.evaluate(bookmarkletSource(origin)),
  ]);
  return popup;
}

describe('importing a posting in Chromium (pglite, private addresses refused)', () => {
  const suite = browserSuite();
  const board = jobBoard();

  test('when a user sends a page with the bookmarklet, then the review form is filled and confirming creates the application with the page kept', async () => {
    const watch = await suite.open();
    const { page: p } = watch;
    const origin = new URL(suite.server.url).origin;
    await signUp(p, 'importer@example.com');

    // A link to a private address: the server refuses it and says why.
    await nav(p, 'Board');
    await p.getByRole('link', { name: 'New application', exact: true }).click();
    await importWithLink(p, board.url('/job'));
    await p.getByRole('alert').filter({ hasText: 'This address is not allowed' }).waitFor();
    await checkA11y(p, 'new application with import');

    // Settings shows the bookmarklet as a javascript: link built from the real builder.
    await nav(p, 'Settings');
    const link = p.getByRole('link', { name: 'Save to Job Forge' });
    assert.equal(await link.getAttribute('href'), bookmarkletHref(origin));
    await link.click();
    await p.getByText('Drag the link to your bookmarks bar').waitFor();
    await checkA11y(p, 'settings with the bookmarklet');
    await screenshot(p, '50-settings-bookmarklet');

    // On the job board (another origin), the bookmarklet opens Job Forge and sends the page.
    await p.goto(board.url('/job'));
    const popup = await runBookmarklet(p, origin);
    const popupErrors: string[] = [];
    popup.on('console', (m) => {
      if (m.type() === 'error') popupErrors.push(m.text());
    });
    await popup.getByRole('heading', { name: 'A page was sent to Job Forge' }).waitFor();
    await checkA11y(popup, 'bookmarklet confirmation');
    await screenshot(popup, '51-bookmarklet-confirm');
    await confirmReceived(popup, board.url('/job'), 'Staff Engineer at Initrode');
    await popup.getByLabel('Company').waitFor();
    assert.equal(await field(popup, 'Company'), 'Initrode');
    assert.equal(await field(popup, 'Role'), 'Staff Engineer');
    assert.match(await field(popup, 'Location (optional)'), /Lisbon/);
    assert.equal(await field(popup, 'Link to the posting (optional)'), board.url('/job'));
    assert.match(await field(popup, 'Job description'), /payment services/);
    assert.match(await field(popup, 'Notes (optional)'), /full.?time/i);
    await checkA11y(popup, 'bookmarklet review');
    await screenshot(popup, '51-bookmarklet-review-form');

    await popup.getByLabel('Role').fill('Staff Software Engineer');
    await popup.getByRole('button', { name: 'Create application' }).click();
    await popup.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await popup.getByRole('heading', { name: /Staff Software Engineer/ }).waitFor();
    const id = popup.url().split('/').pop()!;

    // The frozen page is attached to the application.
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'importer@example.com', password: 'correct horse battery' }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const snap = await fetch(`${origin}/api/v1/applications/${id}/posting`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(snap.status, 200);
    const body = (await snap.json()) as { html: string; url: string | null };
    assert.match(body.html, /marker-fixture-board/);
    assert.equal(body.url, board.url('/job'));

    assert.deepEqual(popupErrors, [], 'no console errors in the Job Forge window');
    await watch.context.close();
  });

  test('when the user is signed out, then the bookmarklet window signs in first and then continues', async () => {
    const watch = await suite.open();
    const { page: p } = watch;
    const origin = new URL(suite.server.url).origin;
    await signUp(p, 'later@example.com');
    await watch.context.clearCookies();
    await p.evaluate(() => localStorage.clear());

    await p.goto(board.url('/job'));
    const popup = await runBookmarklet(p, origin);
    await popup.waitForURL('**/sign-in');
    await popup.getByLabel('Email').fill('later@example.com');
    await popup.getByLabel('Password').fill('correct horse battery');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.waitForURL('**/import/bookmarklet');
    await confirmReceived(popup, board.url('/job'), 'Staff Engineer at Initrode');
    await popup.getByLabel('Company').waitFor();
    assert.equal(await field(popup, 'Company'), 'Initrode');
    await watch.context.close();
  });

  test('when another window posts a page to the import window, then it is ignored', async () => {
    const watch = await suite.open();
    const { page: p } = watch;
    await signUp(p, 'guarded@example.com');
    await p.goto('/import/bookmarklet');
    await p.getByText('This page receives postings from the Job Forge bookmarklet').waitFor();
    // Not opened by a bookmarklet: a page posted to it (here by itself) is not imported.
    let imports = 0;
    p.on('request', (r) => {
      if (r.url().endsWith('/applications/import')) imports++;
    });
    await p.evaluate(() =>
      window.postMessage(
        { type: 'jobforge-page', url: 'https://x.example/', html: '<p>x</p>' },
        '*',
      ),
    );
    await p.getByText('This page receives postings').waitFor();
    await p.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(imports, 0);
    await watch.context.close();
  });

  test('when the import window was opened by a page, then only that page can send it a posting', async () => {
    const watch = await suite.open();
    const { page: p } = watch;
    const origin = new URL(suite.server.url).origin;
    await signUp(p, 'opener@example.com');
    await p.goto(board.url('/job'));
    // Opened as the bookmarklet opens it, but nothing answers "ready" yet: the window waits.
    const [popup] = await Promise.all([
      p.context().waitForEvent('page'),
      p.evaluate((o) => {
        (window as unknown as { jf: Window | null }).jf = window.open(
          `${o}/import/bookmarklet`,
          'jobforge-import',
        );
      }, origin),
    ]);
    await popup.getByText('Waiting for the page from the bookmarklet').waitFor();
    const imports: string[] = [];
    popup.on('request', (r) => {
      if (r.url().endsWith('/applications/import')) imports.push(r.postData() ?? '');
    });
    // Another window (here the import window itself) posts first: it is not the opener.
    await popup.evaluate(() =>
      window.postMessage(
        { type: 'jobforge-page', url: 'https://x.example/', html: '<p>marker-intruder</p>' },
        '*',
      ),
    );
    // Then the opener sends its page: that one is imported, and it is the only import.
    await p.evaluate(
      ([o, html]) =>
        (window as unknown as { jf: Window }).jf.postMessage(
          { type: 'jobforge-page', url: location.href, html },
          o,
        ),
      [origin, await p.content()] as const,
    );
    await confirmReceived(popup, board.url('/job'), 'Staff Engineer at Initrode');
    await popup.getByLabel('Company').waitFor();
    assert.equal(await field(popup, 'Company'), 'Initrode');
    assert.equal(imports.length, 1);
    assert.match(imports[0]!, /marker-fixture-board/);
    assert.doesNotMatch(imports[0]!, /marker-intruder/);
    await watch.context.close();
  });
  test('when any page opens the import window and sends it a page, then it shows what came from where and imports nothing until the person confirms', async () => {
    const watch = await suite.open();
    const { page: p } = watch;
    const origin = new URL(suite.server.url).origin;
    await signUp(p, 'careful@example.com');
    // A page the person happens to be on opens the window itself and sends a page at once.
    const send = async () => {
      await p.goto(board.url('/jobs'));
      const [popup] = await Promise.all([
        p.context().waitForEvent('page'),
        p.evaluate((o) => {
          const w = window.open(`${o}/import/bookmarklet`, 'jobforge-import');
          window.addEventListener('message', (e) => {
            if (e.source === w && (e.data as { type?: string })?.type === 'jobforge-ready') {
              w!.postMessage(
                {
                  type: 'jobforge-page',
                  url: location.href,
                  html: document.documentElement.outerHTML,
                },
                o,
              );
            }
          });
        }, origin),
      ]);
      const imports: string[] = [];
      popup.on('request', (r) => {
        if (r.url().endsWith('/applications/import')) imports.push(r.postData() ?? '');
      });
      await popup.getByRole('heading', { name: 'A page was sent to Job Forge' }).waitFor();
      return { popup, imports };
    };

    const first = await send();
    assert.equal(await first.popup.getByTestId('received-url').textContent(), board.url('/jobs'));
    assert.equal(await first.popup.getByTestId('received-title').textContent(), 'Two openings');
    await first.popup.getByText(/any website can open this window/).waitFor();
    // Waiting changes nothing: the page stays on the person's side until they choose.
    await first.popup.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(first.imports.length, 0, 'nothing was sent to the server');
    await first.popup.getByRole('button', { name: 'Discard' }).click();
    await first.popup.getByText('Nothing was imported. You can close this window.').waitFor();
    assert.equal(await first.popup.getByRole('button', { name: 'Import this page' }).count(), 0);
    assert.equal(first.imports.length, 0, 'discarding sends nothing');
    await first.popup.close();

    // Confirming imports exactly the page shown.
    const second = await send();
    await second.popup.getByRole('button', { name: 'Import this page' }).click();
    await second.popup.getByText('This page lists 2 postings').waitFor();
    assert.equal(second.imports.length, 1);
    assert.match(second.imports[0]!, /Site Reliability Engineer/);
    await watch.context.close();
  });
});

describe('importing a posting in Chromium (pglite, private addresses allowed for the fixture board)', () => {
  const suite = browserSuite({ JOBFORGE_ALLOW_PRIVATE_URLS: 'true' });
  const board = jobBoard();

  test('when a link holds several postings, then the user chooses one, edits it and creates the application', async () => {
    const watch = await suite.open();
    const { page: p } = watch;
    await signUp(p, 'chooser@example.com');
    await nav(p, 'Board');
    await p.getByRole('link', { name: 'New application', exact: true }).click();

    await importWithLink(p, board.url('/empty'));
    await p.getByRole('alert').filter({ hasText: 'No job posting found' }).waitFor();

    await importWithLink(p, board.url('/jobs'));
    await p.getByText('This page lists 2 postings').waitFor();
    assert.equal(await field(p, 'Role'), 'Backend Engineer');
    await p.getByRole('radio', { name: /Site Reliability Engineer/ }).check();
    assert.equal(await field(p, 'Role'), 'Site Reliability Engineer');
    assert.match(await field(p, 'Location (optional)'), /Hamburg/);
    await checkA11y(p, 'import review with a choice of postings');
    await screenshot(p, '52-import-choose-posting');

    await p.getByLabel('Company').fill('Umbrella Corp');
    await p.getByRole('button', { name: 'Create application' }).click();
    await p.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await p.getByRole('heading', { name: /Site Reliability Engineer/ }).waitFor();
    await p.getByText('Umbrella Corp').first().waitFor();
    // The browser logs the refused import (422); nothing else went wrong.
    assert.deepEqual(
      watch.consoleErrors.filter((e) => !e.includes('status of 422')),
      [],
      'no other console errors',
    );
    await watch.context.close();
  });
});
