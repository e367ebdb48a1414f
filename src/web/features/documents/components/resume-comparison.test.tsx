import { renderPage } from '../../../test/render.tsx';
import { screen, within } from '@testing-library/react';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resume } from '../../../../contracts/resumes.ts';
import type { UngroundedLine } from '../../match/match-logic.ts';
import { DiffTable } from './resume-comparison.tsx';

const source: Resume = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Main resume',
  content: [
    '# Ada Example',
    '',
    'Senior software engineer.',
    '',
    '- Built payment systems in TypeScript.',
    '- Led a team of five engineers.',
  ].join('\n'),
  focus_area: 'other',
  is_primary: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const tailored = [
  '# Ada Example',
  '',
  'Senior backend engineer.',
  '',
  '- Built payment systems in TypeScript.',
  '- Scaled Kafka pipelines at Globex.',
].join('\n');

const globex: UngroundedLine = {
  text: 'Scaled Kafka pipelines at Globex.',
  reasons: [
    { kind: 'name', text: 'Globex' },
    { kind: 'skill', text: 'Kafka' },
  ],
};

const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1); // no header
const texts = (tag: string) =>
  [...screen.getByRole('table').querySelectorAll(tag)].map((e) => e.textContent);

describe('<DiffTable>', () => {
  test('when a line is reworded, then only the changed words are struck out and highlighted', () => {
    renderPage(<DiffTable source={source} tailored={tailored} />);
    screen.getByRole('columnheader', { name: 'Source: Main resume' });
    screen.getByRole('columnheader', { name: 'Tailored resume' });
    assert.ok(texts('del').includes('software'), `deleted: ${texts('del').join('|')}`);
    assert.ok(texts('ins').includes('backend'), `inserted: ${texts('ins').join('|')}`);
    assert.ok(!texts('del').some((t) => t?.includes('Senior')), 'unchanged words stay plain');
    const same = rows().find((r) => r.textContent?.includes('Built payment systems'))!;
    assert.equal(same.querySelectorAll('del, ins').length, 0, 'an unchanged line is not marked');
    assert.match(
      screen.getByTestId('diff-summary').textContent ?? '',
      /^2 lines changed, 0 added, 0 removed\./,
    );
  });

  test('when the check found an ungrounded line, then its row is flagged with the reasons in words', () => {
    renderPage(
      <DiffTable source={source} tailored={tailored} grounding="checked" ungrounded={[globex]} />,
    );
    const flagged = screen.getAllByTestId('ungrounded-line');
    assert.equal(flagged.length, 1);
    assert.match(flagged[0]!.textContent ?? '', /Scaled Kafka pipelines at Globex\./);
    assert.equal(
      within(flagged[0]!).getByTestId('ungrounded-flag').textContent,
      '⚠ Not in your resume: name “Globex”; skill “Kafka”',
    );
    assert.match(
      screen.getByTestId('grounding-summary').textContent ?? '',
      /1 line cannot be traced to this resume/,
    );
  });

  test('when every line is grounded, then nothing is flagged and the summary says so', () => {
    renderPage(
      <DiffTable source={source} tailored={tailored} grounding="checked" ungrounded={[]} />,
    );
    assert.equal(screen.queryAllByTestId('ungrounded-line').length, 0);
    assert.equal(
      screen.getByTestId('grounding-summary').textContent,
      'Every line of the tailored resume traces back to this resume.',
    );
  });

  test('when a reported line matches no row, then it is listed under the table, not dropped', () => {
    const elsewhere: UngroundedLine = {
      text: 'Won the 2031 Turing Award.',
      reasons: [{ kind: 'date', text: '2031' }],
    };
    renderPage(
      <DiffTable
        source={source}
        tailored={tailored}
        grounding="checked"
        ungrounded={[globex, elsewhere]}
      />,
    );
    screen.getByText('Also not traced to this resume:');
    screen.getByText(/Won the 2031 Turing Award\. — date “2031”/);
    assert.equal(screen.getAllByTestId('ungrounded-line').length, 1);
  });

  test('when the report is for another version, then no line is flagged and the check is said to be running', () => {
    renderPage(<DiffTable source={source} tailored={tailored} grounding="stale" />);
    assert.equal(screen.queryAllByTestId('ungrounded-line').length, 0);
    assert.equal(
      screen.getByTestId('grounding-summary').textContent,
      'Checking the latest version against your resume…',
    );
  });
});
