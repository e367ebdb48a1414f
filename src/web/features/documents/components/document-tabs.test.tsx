import { mockApi, renderPage, type Call } from '../../../test/render.tsx';
import { screen, waitFor, within } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Document } from '../../../../contracts/documents.ts';
import type { Resume } from '../../../../contracts/resumes.ts';
import { DocumentTabs } from './document-tabs.tsx';

const APP = '00000000-0000-4000-8000-00000000000a';
const resume = (id: string, name: string, primary: boolean): Resume => ({
  id,
  name,
  content: '# Ada Example\n\n- Built payment systems in TypeScript.',
  focus_area: 'other',
  is_primary: primary,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});
// The draft was made from "Backend resume", which is not the primary one.
const primary = resume('00000000-0000-4000-8000-000000000001', 'Main resume', true);
const source = resume('00000000-0000-4000-8000-000000000002', 'Backend resume', false);

const tailored = (over: Partial<Document>): Document => ({
  id: '00000000-0000-4000-8000-0000000000d1',
  application_id: APP,
  document_type: 'optimized_resume',
  content:
    '# Ada Example\n\n- Built payment systems in TypeScript.\n- Staff Engineer at Globex (2025), leading 40 engineers.',
  version: 2,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
  grounding: null,
  flagged: false,
  ...over,
});
const LINE = 'Staff Engineer at Globex (2025), leading 40 engineers.';
const flagged = tailored({
  flagged: true,
  grounding: {
    checked_against_resume_id: source.id,
    ungrounded: [
      { text: 'Globex', kind: 'name', line: LINE },
      { text: '2025', kind: 'date', line: LINE },
      { text: '40', kind: 'number', line: LINE },
    ],
  },
});

function fakeApi(docs: Document[]) {
  const mock = mockApi((call: Call) => {
    if (call.path === `/applications/${APP}/documents`) return { body: { items: docs } };
    if (call.path.startsWith('/resumes')) return { body: { items: [primary, source], total: 2 } };
    return undefined;
  });
  mocks.push(mock);
  return mock;
}
const mocks: { restore: () => void }[] = [];
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

describe('<DocumentTabs> grounding flag', () => {
  test('when the tailored resume is flagged, then its tab and panel warn with the count, and the warning opens the comparison with the stored lines against the resume it was drafted from', async () => {
    const api = fakeApi([flagged]);
    const { user } = renderPage(<DocumentTabs applicationId={APP} />);
    // Seen from the first tab already, in words for a screen reader.
    const tab = await screen.findByRole('tab', { name: /Tailored resume/ });
    assert.match(tab.textContent ?? '', /⚠ 3/);
    assert.match(tab.textContent ?? '', /3 claims to review/);

    await user.click(tab);
    const warning = within(screen.getByTestId('grounding-badge')).getByRole('button', {
      name: '3 claims not found in your resume — review before sending',
    });
    assert.equal(warning.getAttribute('aria-expanded'), 'false');
    await user.click(warning);
    assert.equal(warning.getAttribute('aria-expanded'), 'true');

    const region = await screen.findByRole('region', { name: 'Comparison with the source resume' });
    await within(region).findByRole('columnheader', { name: 'Source: Backend resume' });
    const lines = within(region).getAllByTestId('ungrounded-line');
    assert.equal(lines.length, 1);
    assert.equal(
      within(lines[0]!).getByTestId('ungrounded-flag').textContent,
      '⚠ Not in your resume: name “Globex”; date “2025”; number “40”',
    );
    await waitFor(() => assert.equal(document.activeElement, region, 'focus moves to the lines'));
    // The stored check is the answer: the browser neither recomputes it nor asks the match endpoint.
    assert.deepEqual(
      api.calls.filter((c) => c.path.includes('/match')),
      [],
    );
  });

  test('when the tailored resume is grounded, then no tab or panel warning is shown', async () => {
    fakeApi([tailored({ grounding: { checked_against_resume_id: source.id, ungrounded: [] } })]);
    const { user } = renderPage(<DocumentTabs applicationId={APP} />);
    const tab = await screen.findByRole('tab', { name: /Tailored resume/ });
    assert.equal(tab.textContent, 'Tailored resume');
    await user.click(tab);
    await screen.findByText(/Version 2 · saved/);
    assert.equal(screen.queryByTestId('grounding-badge'), null);
  });
});
