import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seriousA11yViolations } from './browser.ts';

/** Screens and steps the browser tests share (browser.ts launches and watches the browser). */

export const RESUME =
  '# Ada Example\n\nSenior software engineer.\n\n## Experience\n\n- Built payment systems in TypeScript and PostgreSQL at Example Ltd (2019–2024).\n- Led a team of five engineers.';
export const JOB =
  'We are hiring a backend engineer to build our payments platform with TypeScript and PostgreSQL.';

export async function checkA11y(page: Page, screen: string): Promise<void> {
  const found = await seriousA11yViolations(page);
  assert.deepEqual(found, [], `axe on ${screen}`);
}

export const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

export async function signUp(page: Page, email: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Example');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

export async function addResume(page: Page, name: string, content = RESUME): Promise<void> {
  await nav(page, 'Resumes');
  await page.getByRole('button', { name: 'New resume' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Content (Markdown)').fill(content);
  await page.getByRole('button', { name: 'Create resume' }).click();
  await page.getByRole('link', { name }).waitFor();
}

/** Creates an application through the form and lands on its workspace. */
export async function addApplication(
  page: Page,
  company: string,
  role: string,
  description = JOB,
): Promise<void> {
  await nav(page, 'Board');
  await page.getByRole('link', { name: 'New application', exact: true }).click();
  await page.getByLabel('Company').fill(company);
  await page.getByLabel('Role').fill(role);
  await page.getByLabel('Job description').fill(description);
  await page.getByRole('button', { name: 'Add application' }).click();
  await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: new RegExp(role) }).waitFor();
}

/**
 * Drafts with the offline engine from the open workspace and waits until every asked document is
 * saved. `without` names the documents to leave out (their checkbox labels).
 */
export async function draftDocuments(page: Page, { without = [] as string[] } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Draft documents' }).click();
  for (const name of without) await page.getByRole('checkbox', { name }).uncheck();
  await page.getByRole('button', { name: 'Start drafting' }).click();
  const n = 3 - without.length;
  await page
    .getByTestId('draft-summary')
    .filter({ hasText: `Done: ${n} of ${n} saved` })
    .waitFor({ timeout: 60_000 });
}
