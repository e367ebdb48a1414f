// First: it sets up the DOM that Testing Library's screen binds to.
import { mockApi, renderPage } from '../../../test/render.tsx';
import { act, screen } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BookmarkletImportPage } from './bookmarklet-import-page.tsx';

const HTML =
  '<!doctype html><html><head><title>Staff Engineer at Initrode</title></head><body><p>marker-board</p></body></html>';

/** The window that opened this one: records what the page posts to it. */
let opener: { posted: unknown[]; postMessage(m: unknown): void };
const restores: (() => void)[] = [];

beforeEach(() => {
  opener = {
    posted: [],
    postMessage(m: unknown) {
      this.posted.push(m);
    },
  };
  Object.defineProperty(window, 'opener', { value: opener, configurable: true, writable: true });
});
afterEach(() => {
  restores.splice(0).forEach((r) => r());
  Object.defineProperty(window, 'opener', { value: null, configurable: true, writable: true });
});

function importPage() {
  const api = mockApi((call) =>
    call.method === 'POST' && call.path === '/applications/import'
      ? {
          status: 422,
          body: { error: { code: 'no_posting_found', message: 'No job posting found.' } },
        }
      : undefined,
  );
  restores.push(api.restore);
  return {
    ...renderPage(<BookmarkletImportPage />, { path: '/import/bookmarklet' }),
    calls: api.calls,
  };
}

const send = (source: unknown, url = 'https://jobs.example/123') =>
  act(() => {
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { type: 'jobforge-page', url, html: HTML },
        source: source as Window,
      }),
    );
  });

describe('<BookmarkletImportPage>', () => {
  test('when the opener sends a page, then it shows where from and what, and sends nothing until “Import this page”', async () => {
    const { user, calls } = importPage();
    assert.deepEqual(opener.posted, [{ type: 'jobforge-ready' }]);
    send(opener);
    await screen.findByRole('heading', { name: 'A page was sent to Job Forge' });
    assert.equal(screen.getByTestId('received-url').textContent, 'https://jobs.example/123');
    assert.equal(screen.getByTestId('received-title').textContent, 'Staff Engineer at Initrode');
    assert.equal(calls.length, 0, 'nothing reaches the server before the person confirms');
    await user.click(screen.getByRole('button', { name: 'Import this page' }));
    await screen.findByText('No job posting found.');
    assert.deepEqual(
      calls.map((c) => [c.method, c.path, c.body]),
      [['POST', '/applications/import', { html: HTML, url: 'https://jobs.example/123' }]],
    );
  });

  test('when the person discards the page, then nothing is imported', async () => {
    const { user, calls } = importPage();
    send(opener, 'javascript:alert(1)');
    await screen.findByRole('heading', { name: 'A page was sent to Job Forge' });
    assert.equal(
      screen.getByTestId('received-url').textContent,
      'an address that is not a web page',
    );
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    await screen.findByText('Nothing was imported. You can close this window.');
    assert.equal(screen.queryByRole('button', { name: 'Import this page' }), null);
    assert.deepEqual(calls, []);
  });

  test('when a window other than the opener posts a page, then it is ignored', async () => {
    const { calls } = importPage();
    send({ postMessage() {} });
    assert.equal(screen.queryByRole('heading', { name: 'A page was sent to Job Forge' }), null);
    await screen.findByText('Waiting for the page from the bookmarklet…');
    assert.deepEqual(calls, []);
  });
});
