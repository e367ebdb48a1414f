import { mockApi, renderPage, type Call } from '../../../test/render.tsx';
import { screen, waitFor } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { SearchHit } from '../../../../contracts/search.ts';
import { SearchPage } from './search-page.tsx';

const hit: SearchHit = {
  kind: 'application',
  id: '00000000-0000-4000-8000-00000000000a',
  application_id: null,
  document_type: null,
  title: 'Backend Engineer at Acme',
  snippet: 'We build payments &lt;fast&gt;',
  rank: 0.734,
};

const mocks: { restore: () => void }[] = [];
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

describe('<SearchPage> search by meaning', () => {
  test('when the user turns on "Search by meaning", then the query is sent with semantic=true, the address keeps it and its hits (not the full-text ones still shown) say how close they are', async () => {
    // The answer by meaning is held back until released, to see what is shown meanwhile.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const api = mockApi((call: Call) => {
      if (!call.path.startsWith('/search?')) return undefined;
      const answer = { body: { items: [hit], query: 'x' } };
      return call.path.includes('semantic') ? held.then(() => answer) : answer;
    });
    mocks.push(api);
    const { user, router } = renderPage(<SearchPage />, { path: '/search' });
    await user.type(
      screen.getByLabelText('Search applications, resumes and documents'),
      'payments',
    );
    await screen.findByRole('link', { name: 'Backend Engineer at Acme' });
    assert.ok(
      api.calls.every((c) => !c.path.includes('semantic')),
      'full text first',
    );
    assert.equal(screen.queryByTestId('hit-closeness'), null);

    const toggle = screen.getByRole('switch', { name: 'Search by meaning' });
    await user.click(toggle);
    assert.equal((toggle as HTMLInputElement).checked, true);
    await waitFor(() =>
      assert.ok(api.calls.some((c) => c.path === '/search?q=payments&limit=30&semantic=true')),
    );
    // Until it answers, the full-text hit stays on screen as what it is: its rank is no closeness.
    screen.getByRole('link', { name: 'Backend Engineer at Acme' });
    assert.equal(screen.queryByTestId('hit-closeness'), null);
    release();
    assert.equal(
      (await screen.findByTestId('hit-closeness')).textContent,
      ' · 73% close in meaning',
    );
    screen.getByLabelText('Search applications and documents by meaning');
    assert.equal(router.state.location.search, '?q=payments&semantic=1');
    // Snippets stay text: the escaped markup is shown, never parsed.
    screen.getByText('We build payments <fast>');
  });
});
