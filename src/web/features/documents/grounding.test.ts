import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Document } from '../../../contracts/documents.ts';
import { flagText, flaggedClaims, ungroundedLines } from './grounding.ts';

const RESUME_ID = '00000000-0000-4000-8000-000000000001';
const doc = (over: Partial<Document>): Document => ({
  id: '00000000-0000-4000-8000-000000000002',
  application_id: '00000000-0000-4000-8000-000000000003',
  document_type: 'optimized_resume',
  content: '# Ada',
  version: 2,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  grounding: null,
  flagged: false,
  ...over,
});

describe('stored grounding of a tailored resume', () => {
  test('when two claims sit on one line, then the comparison gets that line once with both reasons, in order', () => {
    const lines = ungroundedLines({
      checked_against_resume_id: RESUME_ID,
      ungrounded: [
        { text: 'Globex', kind: 'name', line: 'Scaled Kafka at Globex' },
        { text: '2025', kind: 'date', line: 'Staff Engineer (2025)' },
        { text: 'Kafka', kind: 'skill', line: 'Scaled Kafka at Globex' },
      ],
    });
    assert.deepEqual(lines, [
      {
        text: 'Scaled Kafka at Globex',
        reasons: [
          { kind: 'name', text: 'Globex' },
          { kind: 'skill', text: 'Kafka' },
        ],
      },
      { text: 'Staff Engineer (2025)', reasons: [{ kind: 'date', text: '2025' }] },
    ]);
  });

  test('when a document is flagged, then its claims are counted; otherwise none are', () => {
    const grounding = {
      checked_against_resume_id: RESUME_ID,
      ungrounded: [
        { text: 'Globex', kind: 'name' as const, line: 'At Globex' },
        { text: '40', kind: 'number' as const, line: 'Led 40 engineers' },
      ],
    };
    assert.equal(flaggedClaims(doc({ flagged: true, grounding })), 2);
    assert.equal(
      flaggedClaims(doc({ flagged: false, grounding: { ...grounding, ungrounded: [] } })),
      0,
    );
    assert.equal(flaggedClaims(undefined), 0);
    assert.equal(flagText(2), '2 claims not found in your resume — review before sending');
    assert.equal(flagText(1), '1 claim not found in your resume — review before sending');
  });
});
