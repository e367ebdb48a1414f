import { mockApi, renderPage, type Call } from '../../../test/render.tsx';
import { screen, waitFor } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Document } from '../../../../contracts/documents.ts';
import type { MatchResult } from '../../../../contracts/match.ts';
import type { Resume } from '../../../../contracts/resumes.ts';
import { MatchPanel } from './match-panel.tsx';

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
const primary = resume('00000000-0000-4000-8000-000000000001', 'Main resume', true);
const backend = resume('00000000-0000-4000-8000-000000000002', 'Backend resume', false);

const tailored: Document = {
  id: '00000000-0000-4000-8000-0000000000d1',
  application_id: APP,
  document_type: 'optimized_resume',
  content: '# Ada Example\n\n- Built payment systems in TypeScript.',
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  grounding: { checked_against_resume_id: backend.id, ungrounded: [] },
  flagged: false,
};
const analysis = (resumeId: string, score: number): MatchResult => ({
  resume_id: resumeId,
  score,
  requirements: [
    { text: 'TypeScript', importance: 'must', status: 'met', evidence: ['Built payment systems'] },
  ],
  missing_keywords: [],
  tailored: null,
});

const mocks: { restore: () => void }[] = [];
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

function fakeApi(docs: Document[], resumes: Resume[]) {
  const mock = mockApi((call: Call) => {
    // The documents answer last: the panel must not analyse a resume before it knows them.
    if (call.path === `/applications/${APP}/documents`)
      return new Promise((resolve) => setTimeout(() => resolve({ body: { items: docs } }), 50));
    if (call.path.startsWith('/resumes'))
      return { body: { items: resumes, total: resumes.length } };
    const match = /\/match\?resume_id=([\w-]+)/.exec(call.path);
    if (match) return { body: analysis(match[1]!, match[1] === backend.id ? 80 : 40) };
    return undefined;
  });
  mocks.push(mock);
  return mock;
}
const matchCalls = (calls: Call[]) =>
  calls.filter((c) => c.path.includes('/match')).map((c) => c.path.split('resume_id=')[1]);

describe('MatchPanel', () => {
  test('when the tailored resume was drafted from a resume that is not the primary, then the match starts on that one and the user can pick another', async () => {
    const api = fakeApi([tailored], [primary, backend]);
    const { user } = renderPage(<MatchPanel applicationId={APP} />);
    const select = await screen.findByLabelText('Match against');
    await waitFor(() => assert.equal((select as HTMLSelectElement).value, backend.id));
    assert.ok(screen.getByText('The resume the tailored resume was drafted from'));
    assert.equal((await screen.findByTestId('match-score')).textContent, '80');
    assert.deepEqual(matchCalls(api.calls), [backend.id], 'never analysed the primary first');

    await user.selectOptions(select, primary.id);
    await waitFor(() => assert.equal(screen.getByTestId('match-score').textContent, '40'));
    assert.equal(matchCalls(api.calls).at(-1), primary.id);
  });

  test('when there is one resume and no draft, then it is matched without a choice to make', async () => {
    const api = fakeApi([], [primary]);
    renderPage(<MatchPanel applicationId={APP} />);
    assert.equal((await screen.findByTestId('match-score')).textContent, '40');
    assert.equal(screen.queryByLabelText('Match against'), null);
    assert.deepEqual(matchCalls(api.calls), [primary.id]);
  });
});
