import { mockApi, renderPage, type Call } from '../../../test/render.tsx';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Application, ApplicationStatus } from '../../../../contracts/applications.ts';
import { BoardPage } from './board-page.tsx';

const app = (id: string, role: string, status: ApplicationStatus): Application => ({
  id,
  name: `acme_${id}`,
  company_name: 'Acme',
  role_title: role,
  job_description: 'x'.repeat(50),
  job_url: null,
  location: null,
  status,
  notes: '',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

/**
 * The API behind the board: lists what it holds, applies PATCHes to it. `hold` keeps PATCH
 * answers back until released, so a test sees the board before the network answers.
 */
function fakeApi(apps: Application[], opts: { failPatch?: boolean; hold?: boolean } = {}) {
  const held: (() => void)[] = [];
  const mock = mockApi((call: Call) => {
    if (call.method === 'GET' && call.path.startsWith('/applications?')) {
      return { body: { items: apps, total: apps.length, limit: 100, offset: 0 } };
    }
    const m = /^\/applications\/([^/?]+)$/.exec(call.path);
    if (call.method === 'PATCH' && m) {
      const answer = () => {
        if (opts.failPatch) {
          return { status: 503, body: { error: { code: 'unavailable', message: 'Try later.' } } };
        }
        const i = apps.findIndex((a) => a.id === m[1]);
        apps[i] = { ...apps[i]!, ...(call.body as Partial<Application>) };
        return { body: apps[i] };
      };
      if (!opts.hold) return answer();
      return new Promise((resolve) => held.push(() => resolve(answer())));
    }
    return undefined;
  });
  mocks.push(mock);
  return { ...mock, release: () => held.splice(0).forEach((go) => go()) };
}
const mocks: { restore: () => void }[] = [];
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

const column = (status: ApplicationStatus) => screen.getByTestId(`column-${status}`);
const cardsIn = (status: ApplicationStatus) =>
  within(column(status))
    .queryAllByTestId('board-card')
    .map((c) => within(c).getByRole('link').textContent);
const patches = (calls: Call[]) =>
  calls.filter((c) => c.method === 'PATCH').map((c) => [c.path, c.body]);

/** A drag as the browser sends it, with one DataTransfer shared from dragstart to drop. */
function drag(card: HTMLElement, target: HTMLElement): void {
  const data = new Map<string, string>();
  const dataTransfer = {
    get types() {
      return [...data.keys()];
    },
    setData: (type: string, value: string) => data.set(type, value),
    getData: (type: string) => data.get(type) ?? '',
    effectAllowed: 'all',
    dropEffect: 'none',
  };
  fireEvent.dragStart(card, { dataTransfer });
  fireEvent.dragEnter(target, { dataTransfer });
  fireEvent.dragOver(target, { dataTransfer });
  fireEvent.drop(target, { dataTransfer });
}

const board = async () => {
  const r = renderPage(<BoardPage />, { path: '/board' });
  await screen.findByRole('heading', { name: 'Board' });
  return r;
};

describe('<BoardPage>', () => {
  test('when applications load, then each sits in its status column and every column is counted', async () => {
    fakeApi([
      app('a', 'Backend Engineer', 'draft'),
      app('b', 'SRE', 'applied'),
      app('c', 'Data Engineer', 'applied'),
    ]);
    await board();
    assert.deepEqual(cardsIn('draft'), ['Backend Engineer']);
    assert.deepEqual(cardsIn('applied'), ['SRE', 'Data Engineer']);
    assert.deepEqual(cardsIn('offer'), []);
    const names = screen.getAllByRole('region').map((r) => r.getAttribute('aria-label') ?? '');
    assert.ok(names.includes('Applications by status'));
    for (const [status, label, n] of [
      ['draft', 'Draft', '1'],
      ['applied', 'Applied', '2'],
      ['interview', 'Interview', '0'],
    ] as const) {
      assert.equal(within(column(status)).getByRole('heading').textContent, `${label} ${n}`);
    }
    assert.equal(within(column('draft')).getByRole('link').getAttribute('href'), '/applications/a');
  });

  test('when a card’s title is clicked, then the app opens its workspace without reloading', async () => {
    fakeApi([app('a', 'Backend Engineer', 'draft')]);
    const { user, router } = await board();
    await user.click(within(column('draft')).getByRole('link', { name: 'Backend Engineer' }));
    assert.equal(router.state.location.pathname, '/applications/a');
    await screen.findByText('Elsewhere');
  });

  test('when there are no applications, then the board invites to add the first', async () => {
    fakeApi([]);
    renderPage(<BoardPage />, { path: '/board' });
    await screen.findByText('No applications yet');
    assert.equal(screen.queryByTestId('column-draft'), null);
  });

  test('when a card is dragged to another column, then it moves at once and the new status is saved', async () => {
    const api = fakeApi([app('a', 'Backend Engineer', 'draft'), app('b', 'SRE', 'applied')], {
      hold: true,
    });
    await board();
    drag(within(column('draft')).getByTestId('board-card'), column('applied'));
    // Before the API answers: the optimistic board.
    assert.deepEqual(cardsIn('applied'), ['Backend Engineer', 'SRE']);
    assert.deepEqual(cardsIn('draft'), []);
    assert.equal(within(column('applied')).getByRole('heading').textContent, 'Applied 2');
    await waitFor(() =>
      assert.deepEqual(patches(api.calls), [['/applications/a', { status: 'applied' }]]),
    );
    api.release();
    await waitFor(() =>
      assert.ok(api.calls.filter((c) => c.method === 'GET').length >= 2, 'the list refetched'),
    );
    assert.deepEqual(cardsIn('applied').sort(), ['Backend Engineer', 'SRE']);
  });

  test('when a card is dropped back on its own column, then nothing is sent', async () => {
    const api = fakeApi([app('a', 'Backend Engineer', 'draft')]);
    await board();
    drag(within(column('draft')).getByTestId('board-card'), column('draft'));
    assert.deepEqual(cardsIn('draft'), ['Backend Engineer']);
    assert.deepEqual(patches(api.calls), []);
  });

  test('when Alt+→ and Alt+← are pressed on a card, then it moves one column each way and keeps focus', async () => {
    const api = fakeApi([app('a', 'Backend Engineer', 'applied')]);
    const { user } = await board();
    within(column('applied')).getByRole('link').focus();
    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    assert.deepEqual(cardsIn('interview'), ['Backend Engineer']);
    const link = within(column('interview')).getByRole('link');
    assert.ok(document.activeElement === link, 'focus followed the card');
    assert.equal(link.getAttribute('aria-keyshortcuts'), 'Alt+ArrowLeft Alt+ArrowRight');
    await waitFor(() =>
      assert.deepEqual(patches(api.calls), [['/applications/a', { status: 'interview' }]]),
    );
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await waitFor(() => assert.deepEqual(cardsIn('applied'), ['Backend Engineer']));
    assert.ok(document.activeElement === within(column('applied')).getByRole('link'));
    await waitFor(() => assert.equal(patches(api.calls).length, 2));
    assert.deepEqual(patches(api.calls)[1], ['/applications/a', { status: 'applied' }]);
  });

  test('when Alt+← is pressed on a card in the first column, then it stays and nothing is sent', async () => {
    const api = fakeApi([app('a', 'Backend Engineer', 'draft')]);
    const { user } = await board();
    within(column('draft')).getByRole('link').focus();
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    assert.deepEqual(cardsIn('draft'), ['Backend Engineer']);
    assert.deepEqual(patches(api.calls), []);
  });

  test('when a status is picked in the card’s menu, then the card moves to that column', async () => {
    const api = fakeApi([app('a', 'Backend Engineer', 'draft')]);
    const { user } = await board();
    const menu = screen.getByRole<HTMLSelectElement>('combobox', {
      name: 'Status of Backend Engineer at Acme',
    });
    assert.equal(menu.value, 'draft');
    // Until the user reaches it, the menu holds only the current status (render cost).
    assert.equal(within(menu).getAllByRole('option').length, 1);
    await user.click(menu);
    assert.deepEqual(
      within(menu)
        .getAllByRole('option')
        .map((o) => o.textContent),
      ['Draft', 'Applied', 'Interview', 'Rejected', 'Offer'],
    );
    await user.selectOptions(menu, 'Offer');
    assert.deepEqual(cardsIn('offer'), ['Backend Engineer']);
    assert.equal(
      screen.getByRole<HTMLSelectElement>('combobox', { name: /Backend Engineer/ }).value,
      'offer',
    );
    await waitFor(() =>
      assert.deepEqual(patches(api.calls), [['/applications/a', { status: 'offer' }]]),
    );
  });

  test('when the menu is reached by keyboard, then all statuses are there to pick with the arrows', async () => {
    const api = fakeApi([app('a', 'Backend Engineer', 'draft')]);
    const { user } = await board();
    within(column('draft')).getByRole('link').focus();
    await user.tab(); // from the card's link to its menu
    const menu = screen.getByRole<HTMLSelectElement>('combobox');
    assert.ok(document.activeElement === menu, 'the menu has focus');
    assert.equal(within(menu).getAllByRole('option').length, 5);
    await user.selectOptions(menu, 'Interview');
    await waitFor(() =>
      assert.deepEqual(patches(api.calls), [['/applications/a', { status: 'interview' }]]),
    );
  });

  test('when saving a move fails, then the board says so and the card goes back', async () => {
    fakeApi([app('a', 'Backend Engineer', 'draft')], { failPatch: true });
    const { user } = await board();
    await user.click(screen.getByRole('combobox'));
    await user.selectOptions(screen.getByRole('combobox'), 'Applied');
    const alert = await screen.findByRole('alert');
    assert.equal(alert.textContent, 'Could not move the application: Try later.');
    await waitFor(() => assert.deepEqual(cardsIn('draft'), ['Backend Engineer']));
    assert.deepEqual(cardsIn('applied'), []);
  });
});
