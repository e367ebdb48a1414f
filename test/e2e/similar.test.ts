import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot } from './browser.ts';
import { addApplication, addResume, checkA11y, draftDocuments, nav, signUp } from './helpers.ts';
import { browserSuite } from './suite.ts';

const PAYMENTS =
  'We are hiring a backend engineer to build our payments platform with TypeScript and PostgreSQL.';
const PAYMENTS_TOO =
  'Backend engineer wanted for a payments platform: TypeScript services on PostgreSQL, card payments.';
const BAKERY =
  'Pastry chef for our bakery: croissants, sourdough and seasonal cakes, early shifts.';

describe('similar applications and search by meaning in Chromium (pglite, built-in embeddings)', () => {
  const suite = browserSuite();

  test('when two postings read alike, then each workspace lists the other first with its documents, a document link opens its tab, and search by meaning finds the application', async () => {
    const watch = await suite.open();
    const { page } = watch;
    await signUp(page, 'similar@example.com');
    await addResume(page, 'Main resume');

    // The first application gets a tailored resume; the bakery one is there to be ranked lower.
    await addApplication(page, 'Acme', 'Backend Engineer', PAYMENTS);
    const acmeUrl = page.url();
    await draftDocuments(page, { without: ['Research report', 'Cover letter'] });
    await addApplication(page, 'Crumbs', 'Pastry Chef', BAKERY);
    await addApplication(page, 'Globex', 'Payments Engineer', PAYMENTS_TOO);

    const list = page.getByRole('list', { name: 'Similar applications' });
    await list.waitFor();
    const links = list.getByRole('link');
    assert.equal(await links.first().textContent(), 'Backend Engineer at Acme');
    // The bakery shares no word with it: not listed as similar.
    assert.deepEqual(await links.filter({ hasText: ' at ' }).allTextContents(), [
      'Backend Engineer at Acme',
    ]);
    const docs = page.getByRole('list', { name: 'Documents of Backend Engineer at Acme' });
    assert.deepEqual(await docs.getByRole('link').allTextContents(), ['Tailored resume']);
    await list.scrollIntoViewIfNeeded();
    await screenshot(page, '64-similar-applications');
    await checkA11y(page, 'workspace with similar applications');

    // The document link opens Acme's workspace on that tab.
    await docs.getByRole('link', { name: 'Tailored resume' }).click();
    await page.waitForURL(`${acmeUrl}?document=optimized_resume`);
    await page.getByRole('heading', { name: /Backend Engineer/ }).waitFor();
    assert.equal(
      await page.getByRole('tab', { name: /Tailored resume/ }).getAttribute('aria-selected'),
      'true',
    );
    await page.getByText(/Version 1 · saved/).waitFor();
    // And Acme's own card lists Globex.
    await page
      .getByRole('list', { name: 'Similar applications' })
      .getByRole('link')
      .first()
      .filter({ hasText: 'Payments Engineer at Globex' })
      .waitFor();

    // Search by meaning: no word of the query needs to match exactly; resumes are left out.
    await nav(page, 'Search');
    await page.getByLabel('Search applications, resumes and documents').fill('card payments');
    await page.getByRole('link', { name: /Payments Engineer/ }).waitFor();
    await page.getByRole('switch', { name: 'Search by meaning' }).check();
    await page.waitForURL(/semantic=1/);
    const results = page.getByRole('list', { name: 'Results' });
    await results.getByTestId('hit-closeness').first().waitFor();
    assert.match(
      (await results.getByRole('listitem').first().textContent()) ?? '',
      /% close in meaning/,
    );
    assert.equal(await results.getByText('Resume', { exact: true }).count(), 0);
    assert.equal(await results.getByRole('link', { name: /Pastry Chef/ }).count(), 0, 'unrelated');
    // The mode survives a reload.
    await page.reload();
    assert.ok(await page.getByRole('switch', { name: 'Search by meaning' }).isChecked());
    await results.getByTestId('hit-closeness').first().waitFor();
    await screenshot(page, '65-search-by-meaning');
    await checkA11y(page, 'search by meaning');

    assert.deepEqual(watch.consoleErrors, [], 'no console errors');
    assert.deepEqual(watch.foreignRequests, []);
    await watch.context.close();
  });
});
