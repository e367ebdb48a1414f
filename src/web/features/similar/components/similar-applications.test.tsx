import { mockApi, renderPage, type Call } from '../../../test/render.tsx';
import { screen, within } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { SimilarResult } from '../../../../contracts/similar.ts';
import { alike, isAlike, SimilarApplications } from './similar-applications.tsx';

const APP = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const THIRD = '00000000-0000-4000-8000-00000000000c';

const result: SimilarResult = {
  model: 'lexical-v1',
  items: [
    {
      application: {
        id: OTHER,
        name: 'globex_backend',
        company_name: 'Globex',
        role_title: 'Backend Engineer',
        status: 'interview',
        created_at: '2026-10-01T00:00:00Z',
      },
      score: 0.8712,
      documents: [
        { id: '00000000-0000-4000-8000-0000000000d2', document_type: 'cover_letter' },
        { id: '00000000-0000-4000-8000-0000000000d1', document_type: 'optimized_resume' },
      ],
    },
    {
      application: {
        id: THIRD,
        name: 'initech_platform',
        company_name: 'Initech',
        role_title: 'Platform Engineer',
        status: 'draft',
        created_at: '2026-10-02T00:00:00Z',
      },
      score: 0.41,
      documents: [],
    },
  ],
};

const mocks: { restore: () => void }[] = [];
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));
function fakeApi(body: SimilarResult) {
  const mock = mockApi((call: Call) =>
    call.path.startsWith(`/applications/${APP}/similar`) ? { body } : undefined,
  );
  mocks.push(mock);
  return mock;
}

describe('<SimilarApplications>', () => {
  test('when the API finds similar applications, then each links to its workspace and its documents open on their tab, in tab order', async () => {
    const api = fakeApi(result);
    renderPage(<SimilarApplications applicationId={APP} />);
    const list = await screen.findByRole('list', { name: 'Similar applications' });
    const first = within(list).getByRole('link', { name: 'Backend Engineer at Globex' });
    assert.equal(first.getAttribute('href'), `/applications/${OTHER}`);
    const docs = screen.getByRole('list', { name: 'Documents of Backend Engineer at Globex' });
    assert.deepEqual(
      within(docs)
        .getAllByRole('link')
        .map((l) => [l.textContent, l.getAttribute('href')]),
      [
        ['Tailored resume', `/applications/${OTHER}?document=optimized_resume`],
        ['Cover letter', `/applications/${OTHER}?document=cover_letter`],
      ],
    );
    assert.match(list.textContent ?? '', /87% alike/);
    assert.match(list.textContent ?? '', /Interview/);
    // An application with no documents lists none.
    within(list).getByRole('link', { name: 'Platform Engineer at Initech' });
    assert.equal(screen.queryByRole('list', { name: /Documents of Platform Engineer/ }), null);
    assert.deepEqual(
      api.calls.map((c) => c.path),
      [`/applications/${APP}/similar?limit=5`],
    );
  });

  test('when the nearest applications share nothing with this one, then the card says there is none yet', async () => {
    fakeApi({
      model: 'lexical-v1',
      items: [{ ...result.items[1]!, score: 0.003 }],
    });
    renderPage(<SimilarApplications applicationId={APP} />);
    assert.match((await screen.findByTestId('similar-empty')).textContent ?? '', /^None yet/);
  });

  test('when a score is out of range, then the percentage stays within 0–100', () => {
    assert.equal(alike(1.0000001), '100% alike');
    assert.equal(alike(-0.2), '0% alike');
    assert.equal(alike(0.5), '50% alike');
    assert.equal(isAlike(0.004), false);
    assert.equal(isAlike(0.006), true);
  });
});
