import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot } from './browser.ts';
import { browserSuite } from './suite.ts';

// "Remote" image and link targets on another loopback address: if anything did load them, the
// request would be seen here and never leave the machine.
const HOSTILE = [
  '<script>alert("script")</script>',
  '<img src="http://127.0.0.9:9/pixel.png" onerror="alert(\'onerror\')">',
  '<svg onload="alert(\'svg\')"></svg>',
  '<iframe src="javascript:alert(\'iframe\')"></iframe>',
  '<a href="javascript:alert(\'raw link\')">raw link</a>',
  '[markdown link](javascript:alert("md-link"))',
  '![tracker](http://127.0.0.9:9/tracker.png)',
  '<div style="background:url(http://127.0.0.9:9/bg.png)" onmouseover="alert(\'hover\')">hover</div>',
  'xssmarker word',
].join('\n\n');

describe('XSS in the browser (pglite)', () => {
  const suite = browserSuite();

  test('when a job description, a document and a search snippet carry scripts, handlers, javascript: links and remote images, then all render inert', async () => {
    const u = await suite.server.register();
    const created = await suite.server.request('POST', '/api/v1/applications', {
      token: u.token,
      body: {
        company_name: '<img src=x onerror=alert("company")>',
        role_title: 'Engineer <script>alert("role")</script>',
        job_description: `A posting that is long enough to be accepted by the API.\n\n${HOSTILE}`,
        job_url: 'https://jobs.example.com/1',
      },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    for (const type of ['research_report', 'cover_letter']) {
      const put = await suite.server.request(
        'PUT',
        `/api/v1/applications/${id}/documents/${type}`,
        {
          token: u.token,
          body: { content: `# ${type}\n\n${HOSTILE}` },
        },
      );
      assert.ok(put.status < 300, put.text);
    }

    const watch = await suite.open();
    const { page } = watch;
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    const inert = async (where: string) => {
      await page.getByRole('main').hover(); // would fire onmouseover handlers, were any alive
      const found = await page.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          scripts: [...document.scripts].filter((sc) => !sc.src).length,
          handlers: all.flatMap((el) =>
            [...el.attributes]
              .filter((a) => a.name.startsWith('on'))
              .map((a) => `${el.tagName} ${a.name}`),
          ),
          jsLinks: [...document.querySelectorAll('a')]
            .map((a) => a.getAttribute('href') ?? '')
            .filter((h) => !/^(https?:|mailto:|\/|#main$)/i.test(h.trim())),
          embeds: document.querySelectorAll('img, iframe, svg:not([aria-hidden]), object, embed')
            .length,
          styled: all.filter((el) => el.getAttribute('style')?.includes('url(')).length,
        };
      });
      assert.deepEqual(
        found,
        { scripts: 0, handlers: [], jsLinks: [], embeds: 0, styled: 0 },
        where,
      );
    };

    await page.goto(`/applications/${id}`);
    await page.getByText('<script>alert("script")</script>').first().waitFor(); // shown as text
    await inert('job description');
    for (const tab of ['Research report', 'Cover letter']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('region', { name: tab }).getByText('markdown link').waitFor();
      await inert(tab);
    }
    await screenshot(page, 'xss-workspace');

    await page.goto('/search?q=xssmarker');
    await page.getByRole('list', { name: 'Results' }).locator('mark').first().waitFor();
    await inert('search results');

    await page.goto('/board');
    await page.getByTestId('board-card').waitFor();
    await inert('board');

    assert.deepEqual(watch.dialogs, [], 'no dialog fired');
    assert.deepEqual(watch.foreignRequests, [], 'no request left for a remote image');
    assert.deepEqual(watch.consoleErrors, [], 'no console errors (no CSP violation either)');
  });
});
