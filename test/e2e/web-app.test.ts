import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot, type PageWatch } from './browser.ts';
import { checkA11y, JOB, nav, RESUME, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

describe('web app in Chromium (pglite)', () => {
  const suite = browserSuite();
  let first: PageWatch;

  test('when a new user runs a whole job search, then every screen works, is accessible and logs no error', async () => {
    first = await suite.open();
    const { page } = first;
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await screenshot(page, '01-sign-in');
    await checkA11y(page, 'sign-in');

    await signUp(page, 'ada@example.com');
    await page.getByText('Welcome to Job Forge').waitFor();
    await screenshot(page, '02-dashboard-empty');
    await checkA11y(page, 'dashboard (empty)');

    // A resume.
    await nav(page, 'Resumes');
    await page.getByRole('button', { name: 'Add your resume' }).click();
    await page.getByLabel('Name').fill('Main resume');
    await page.getByLabel('Content (Markdown)').fill(RESUME);
    await page.getByRole('button', { name: 'Create resume' }).click();
    await page.getByRole('link', { name: 'Main resume' }).waitFor();
    await page.getByText('Primary', { exact: true }).waitFor();
    await screenshot(page, '03-resumes');
    await checkA11y(page, 'resumes');

    // An application, with the API's own validation inline first.
    await nav(page, 'Board');
    await page.getByText('No applications yet').waitFor();
    await page.getByRole('link', { name: 'New application', exact: true }).click();
    await page.getByLabel('Company').fill('Acme');
    await page.getByLabel('Role').fill('Backend Engineer');
    await page.getByLabel('Link to the posting (optional)').fill('not a link');
    await page.getByLabel('Job description').fill('Too short.');
    await page.getByRole('button', { name: 'Add application' }).click();
    await page.getByText('must be at least 50 characters').waitFor();
    await page.getByText('must be a valid http(s) URL').waitFor();
    await screenshot(page, '04-new-application-invalid');
    await checkA11y(page, 'new application');
    await page.getByLabel('Link to the posting (optional)').fill('https://jobs.example.com/acme/1');
    await page.getByLabel('Job description').fill(JOB);
    await page.getByRole('button', { name: 'Add application' }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: /Backend Engineer/ }).waitFor();

    // Across the board: drag, then the keyboard (the card's status menu).
    await nav(page, 'Board');
    const card = (status: string) => page.getByTestId(`column-${status}`).getByTestId('board-card');
    await card('draft').waitFor();
    await card('draft').dragTo(page.getByTestId('column-applied'));
    await card('applied').waitFor();
    await page.reload();
    await card('applied').waitFor(); // saved, and the session survived the reload
    const menu = card('applied').getByRole('combobox');
    await menu.focus();
    await page.keyboard.press('ArrowDown');
    await card('interview').waitFor();
    await page.waitForLoadState('networkidle');
    await page.reload();
    await card('interview').waitFor();
    // Alt+→ / Alt+← on the card moves it one column and keeps focus on it.
    await card('interview').getByRole('link').focus();
    await page.keyboard.press('Alt+ArrowRight');
    await card('rejected').waitFor();
    assert.equal(
      await page.evaluate(
        () => document.activeElement?.closest('section')?.getAttribute('data-testid') ?? null,
      ),
      'column-rejected',
      'focus followed the card',
    );
    await page.waitForLoadState('networkidle');
    await page.keyboard.press('Alt+ArrowLeft');
    await card('interview').waitFor();
    await page.waitForLoadState('networkidle');
    assert.match(page.url(), /\/board$/, 'Alt+← did not navigate back');
    await page.reload();
    await card('interview').waitFor();
    // At 1280 px all five columns are on screen, none cut off.
    for (const status of ['draft', 'applied', 'interview', 'rejected', 'offer']) {
      const box = await page.getByTestId(`column-${status}`).boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= 1280,
        `column ${status} fits: ${JSON.stringify(box)}`,
      );
    }
    await screenshot(page, '05-board');
    await checkA11y(page, 'board');

    // The workspace: write, save and revise a cover letter.
    await card('interview').getByRole('link', { name: 'Backend Engineer' }).click();
    await page.getByRole('tab', { name: 'Cover letter' }).click();
    await page.getByRole('button', { name: 'Write the cover letter' }).click();
    const editor = page.getByLabel('Cover letter (Markdown)');
    await editor.fill('Dear Acme,\n\nI am **zephyrine** keen to build your payments platform.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Version 1 · saved/).waitFor();
    await page
      .getByRole('region', { name: 'Cover letter' })
      .locator('strong', { hasText: 'zephyrine' })
      .waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await editor.fill(
      'Dear Acme team,\n\nI am **zephyrine** keen to build your payments platform.',
    );
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Version 2 · saved/).waitFor();
    await page.getByRole('button', { name: 'Version history' }).click();
    await page.getByRole('button', { name: 'Version 1', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    assert.match(
      await page.evaluate(() => navigator.clipboard.readText()),
      /Dear Acme team/,
      'copied to the clipboard',
    );
    await page.getByText('Status changed', { exact: false }).count(); // timeline rendered below
    await page.getByText('Applied → Interview').waitFor();
    await screenshot(page, '06-workspace');
    await checkA11y(page, 'workspace');

    // Search finds the document.
    await nav(page, 'Search');
    await page.getByLabel('Search applications, resumes and documents').fill('zephyrine');
    await page
      .getByRole('list', { name: 'Results' })
      .locator('mark', { hasText: 'zephyrine' })
      .first()
      .waitFor();
    await screenshot(page, '07-search');
    await checkA11y(page, 'search');

    // The dashboard counts the move: applied once, answered (interview) once.
    await nav(page, 'Dashboard');
    await page.getByTestId('stat-total').filter({ hasText: '1' }).waitFor();
    assert.equal(await page.getByTestId('stat-applied').textContent(), '1');
    assert.equal(await page.getByTestId('stat-response-rate').textContent(), '100%');
    assert.equal(await page.getByTestId('funnel-interview').textContent(), '1');
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await screenshot(page, '08-dashboard');
    await checkA11y(page, 'dashboard');

    // Table: search as you type.
    await nav(page, 'Applications');
    await page.getByRole('link', { name: 'Backend Engineer' }).waitFor();
    await page.getByLabel('Search').fill('nothing-like-this');
    await page.getByText('Nothing matches').waitFor();
    await page.getByLabel('Search').fill('acme');
    await page.getByRole('link', { name: 'Backend Engineer' }).waitFor();
    await screenshot(page, '09-applications-table');
    await checkA11y(page, 'applications table');

    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await screenshot(page, '10-settings');
    await checkA11y(page, 'settings');

    // 360 px wide: nothing overflows the page sideways.
    await page.setViewportSize({ width: 360, height: 780 });
    for (const [screen, name] of [
      ['Board', '11-board-360'],
      ['Dashboard', '12-dashboard-360'],
    ] as const) {
      await nav(page, screen);
      await page.getByRole('heading', { name: screen }).waitFor();
      await screenshot(page, name);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${screen} is ${width}px wide at 360px`);
      if (screen === 'Board') {
        // The columns stack: the last one is as wide as the page, below the first.
        const [first, last] = await Promise.all(
          ['draft', 'offer'].map((s) => page.getByTestId(`column-${s}`).boundingBox()),
        );
        assert.ok(first && last && last.y > first.y && last.x + last.width <= 360);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.goto('/board');
    await page.waitForURL('**/sign-in');

    assert.deepEqual(first.consoleErrors, [], 'no console errors');
    assert.deepEqual(first.foreignRequests, [], 'no request left the origin');
  });

  test('when a second user signs up, then they see none of the first user’s data', async () => {
    const second = await suite.open();
    const { page } = second;
    await signUp(page, 'grace@example.com');
    await page.getByText('Welcome to Job Forge').waitFor();
    await nav(page, 'Board');
    await page.getByText('No applications yet').waitFor();
    await nav(page, 'Resumes');
    await page.getByText('Start with your resume').waitFor();
    await nav(page, 'Search');
    await page.getByLabel('Search applications, resumes and documents').fill('zephyrine');
    await page.getByText('No matches').waitFor();
    assert.equal(await page.getByText('Acme').count(), 0);
    assert.deepEqual(second.consoleErrors, []);
    await second.context.close();
  });
});
