import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { checkA11y as serious, JOB, nav, RESUME } from './helpers.ts';
import { browserSuite } from './suite.ts';

interface ContrastNode {
  target: string[];
  any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[];
}

/**
 * axe's serious and critical violations (the shared check); on a failure, each contrast problem's
 * colours and ratio as well, so the fix can be chosen from the message.
 */
async function checkA11y(page: Page, screen: string): Promise<void> {
  try {
    await serious(page, screen);
  } catch (err) {
    const nodes = await page.evaluate<ContrastNode[]>(
      'axe.run(document, { runOnly: ["color-contrast"] }).then((r) => r.violations.flatMap((v) => v.nodes))',
    );
    const detail = nodes.map((n) => {
      const d = n.any[0]?.data;
      return `${n.target.join(' ')}: ${d?.fgColor} on ${d?.bgColor} = ${d?.contrastRatio}`;
    });
    throw new Error(`${(err as Error).message}\n${detail.join('\n')}`, { cause: err });
  }
}

const isDark = (page: Page) =>
  page.evaluate(() => document.documentElement.classList.contains('dark'));

/** A user with something on every screen: a resume, applications across the board, documents. */
async function seed(suite: ReturnType<typeof browserSuite>) {
  const u = await suite.server.register();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await suite.server.request<any>(method, `/api/v1${path}`, { token: u.token, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  await call('POST', '/resumes', { name: 'Main resume', content: RESUME, is_primary: true });
  const ids: string[] = [];
  for (const [company, status] of [
    ['Acme', 'interview'],
    ['Globex', 'applied'],
    ['Initech', 'rejected'],
    ['Umbrella', 'offer'],
    ['Hooli', 'draft'],
  ] as const) {
    const app = await call('POST', '/applications', {
      company_name: company,
      role_title: 'Backend Engineer',
      job_description: JOB,
      job_url: `https://jobs.example.com/${company.toLowerCase()}`,
    });
    ids.push(app.id);
    if (status !== 'draft') await call('PATCH', `/applications/${app.id}`, { status: 'applied' });
    if (status !== 'draft' && status !== 'applied') {
      await call('PATCH', `/applications/${app.id}`, { status });
    }
  }
  await call('PUT', `/applications/${ids[0]}/documents/cover_letter`, {
    content: 'Dear Acme,\n\nI am **keen** to build your payments platform.',
  });
  // A tailored resume with a reworded line and one the source never mentions (a flag in the diff).
  await call('PUT', `/applications/${ids[0]}/documents/optimized_resume`, {
    content: `${RESUME.replace('Senior software engineer', 'Senior backend engineer')}\n- Scaled Kafka pipelines at Globex.`,
  });
  return { u, firstId: ids[0]! };
}

describe('dark mode in Chromium (pglite)', () => {
  const suite = browserSuite();

  test('when the system prefers dark, then every main screen is dark and passes axe (contrast included)', async () => {
    const { u, firstId } = await seed(suite);
    const watch = await suite.open();
    const { page } = watch;
    await page.emulateMedia({ colorScheme: 'dark' });

    await page.goto('/sign-in');
    assert.equal(await isDark(page), true, 'the system preference is followed');
    await checkA11y(page, 'sign-in (dark)');
    await page.getByRole('button', { name: 'Sign in' }).click(); // inline errors
    await page.getByText('is required').first().waitFor();
    await checkA11y(page, 'sign-in with errors (dark)');
    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill('a wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await checkA11y(page, 'sign-in failed (dark)');
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await screenshot(page, 'dark-01-dashboard');
    await checkA11y(page, 'dashboard (dark)');

    await nav(page, 'Board');
    await page.getByTestId('column-offer').getByTestId('board-card').waitFor();
    await screenshot(page, 'dark-02-board');
    await checkA11y(page, 'board (dark)');

    await nav(page, 'Applications');
    await page.getByRole('link', { name: 'Backend Engineer' }).first().waitFor();
    await checkA11y(page, 'applications table (dark)');

    await page.goto('/applications/new');
    await page.getByLabel('Job description').fill('Too short.');
    await page.getByRole('button', { name: 'Add application' }).click();
    await page.getByText('must be at least 50 characters').waitFor();
    await checkA11y(page, 'new application with errors (dark)');

    await page.goto(`/applications/${firstId}`);
    await page.getByRole('heading', { name: /Backend Engineer/ }).waitFor();
    await page.getByRole('tab', { name: 'Cover letter' }).click();
    await page.getByRole('region', { name: 'Cover letter' }).locator('strong').waitFor();
    await screenshot(page, 'dark-03-workspace');
    await checkA11y(page, 'workspace (dark)');
    await page.getByRole('tab', { name: 'Tailored resume' }).click();
    await page.getByRole('button', { name: 'Compare with source resume' }).click();
    await page.getByTestId('ungrounded-line').first().waitFor();
    await page.getByTestId('resume-comparison').locator('del').first().waitFor();
    await page.getByTestId('resume-comparison').scrollIntoViewIfNeeded();
    await screenshot(page, 'dark-04-comparison');
    await checkA11y(page, 'resume comparison with ungrounded lines (dark)');

    await nav(page, 'Resumes');
    await page.getByRole('link', { name: 'Main resume' }).waitFor();
    await checkA11y(page, 'resumes (dark)');
    await page.getByRole('button', { name: 'Delete Main resume' }).click();
    await page.getByRole('dialog').waitFor();
    await checkA11y(page, 'confirm dialog (dark)');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'New resume' }).click();
    await page.getByLabel('Content (Markdown)').waitFor();
    await checkA11y(page, 'new resume form (dark)');

    await nav(page, 'Search');
    await page.getByLabel('Search applications, resumes and documents').fill('payments');
    await page.getByRole('list', { name: 'Results' }).locator('mark').first().waitFor();
    await checkA11y(page, 'search (dark)');

    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await checkA11y(page, 'settings (dark)');
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    await page.getByRole('dialog').getByLabel('Password').fill('not my password');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete everything' }).click();
    await page.getByRole('dialog').getByRole('alert').waitFor();
    await checkA11y(page, 'delete-account dialog with an error (dark)');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // The errors are the two wrong passwords' answers (sign-in 401, account deletion 403),
    // which Chromium logs.
    assert.deepEqual(
      watch.consoleErrors.filter((e) => !/status of 40[13] \((Unauthorized|Forbidden)\)/.test(e)),
      [],
    );
    await watch.context.close();
  });

  test('when a user on a light system picks the dark theme, then it applies at once and survives a reload', async () => {
    const u = await suite.server.register();
    const watch = await suite.open();
    const { page } = watch;
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.equal(await isDark(page), false);
    const canvas = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await canvas();

    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.equal(await isDark(page), true);
    const dark = await canvas();
    assert.notEqual(dark, light, 'the page itself turned dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    await checkA11y(page, 'dashboard, dark by the toggle');
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.equal(await isDark(page), true, 'the choice is kept');
    assert.equal(await canvas(), dark);
    assert.deepEqual(watch.consoleErrors, []);
    await watch.context.close();
  });
});
