import { mockApi, renderPage, type Call } from '../../../test/render.tsx';
import { screen } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Resume } from '../../../../contracts/resumes.ts';
import { DraftPanel } from './draft-panel.tsx';

const APP = '00000000-0000-4000-8000-00000000000a';
const resume: Resume = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Main resume',
  content: '# Ada',
  focus_area: 'other',
  is_primary: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const BUDGET_MESSAGE =
  'Your daily AI budget is used up: 120 of 100 tokens today (UTC). It resets at midnight UTC (2026-11-26T00:00:00.000Z, in 8 h 34 min). The budget is set by the operator of this Job Forge.';

function fakeApi(generate: () => { status: number; body: unknown }) {
  const mock = mockApi((call: Call) => {
    if (call.path.startsWith(`/applications/${APP}/generation-jobs`))
      return { body: { items: [] } };
    if (call.path.startsWith('/resumes')) return { body: { items: [resume], total: 1 } };
    if (call.method === 'POST' && call.path === `/applications/${APP}/generate`) return generate();
    return undefined;
  });
  mocks.push(mock);
  return mock;
}
const mocks: { restore: () => void }[] = [];
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

describe('<DraftPanel> when drafting cannot start', () => {
  test('when the daily token budget is used up (429), then the API’s message is shown under its own heading with the way to Settings', async () => {
    const api = fakeApi(() => ({
      status: 429,
      body: { error: { code: 'token_budget_exceeded', message: BUDGET_MESSAGE } },
    }));
    const { user } = renderPage(<DraftPanel applicationId={APP} />);
    await user.click(await screen.findByRole('button', { name: 'Draft documents' }));
    await user.click(await screen.findByRole('button', { name: 'Start drafting' }));
    const alert = await screen.findByRole('alert');
    assert.match(alert.textContent ?? '', /^Daily AI budget used up/);
    assert.equal(screen.getByTestId('budget-message').textContent, BUDGET_MESSAGE);
    assert.equal(
      screen.getByRole('link', { name: 'Settings → AI provider' }).getAttribute('href'),
      '/settings',
    );
    assert.equal(api.calls.filter((c) => c.method === 'POST').length, 1, 'not retried');
    // The form stays open to try again later.
    screen.getByRole('button', { name: 'Start drafting' });
  });

  test('when another error refuses the start, then its message is shown as it is, not as a budget', async () => {
    fakeApi(() => ({
      status: 409,
      body: { error: { code: 'conflict', message: 'Add a job description first.' } },
    }));
    const { user } = renderPage(<DraftPanel applicationId={APP} />);
    await user.click(await screen.findByRole('button', { name: 'Draft documents' }));
    await user.click(await screen.findByRole('button', { name: 'Start drafting' }));
    const alert = await screen.findByRole('alert');
    assert.equal(alert.textContent, 'Could not start drafting: Add a job description first.');
    assert.equal(screen.queryByTestId('budget-message'), null);
  });
});
