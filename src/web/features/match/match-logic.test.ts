import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffRows } from '../../lib/diff.ts';
import {
  describeReasons,
  flagRows,
  groupRequirements,
  lineKey,
  statusChanges,
  type Requirement,
} from './match-logic.ts';

const req = (
  text: string,
  status: Requirement['status'],
  importance: Requirement['importance'] = 'must',
): Requirement => ({
  text,
  status,
  importance,
  evidence: status === 'missing' ? [] : [`quote for ${text}`],
});

describe('match logic', () => {
  test('when requirements are grouped, then each status holds its own, must-haves first, posting order kept', () => {
    const g = groupRequirements([
      req('Go', 'missing', 'nice'),
      req('TypeScript', 'met'),
      req('Kafka', 'missing'),
      req('Docker', 'met', 'nice'),
      req('PostgreSQL', 'met'),
      req('AWS', 'partial'),
    ]);
    assert.deepEqual(
      g.met.map((r) => r.text),
      ['TypeScript', 'PostgreSQL', 'Docker'],
    );
    assert.deepEqual(
      g.partial.map((r) => r.text),
      ['AWS'],
    );
    assert.deepEqual(
      g.missing.map((r) => r.text),
      ['Kafka', 'Go'],
    );
  });

  test('when there are no requirements, then every group is empty', () => {
    assert.deepEqual(groupRequirements([]), { met: [], partial: [], missing: [] });
  });

  test('when tailoring changes statuses, then improvements and regressions are counted by requirement', () => {
    const before = [req('A', 'missing'), req('B', 'partial'), req('C', 'met'), req('D', 'met')];
    const after = [
      req('A', 'met'),
      req('B', 'met'),
      req('C', 'partial'),
      req('D', 'met'),
      req('E', 'met'),
    ];
    assert.deepEqual(statusChanges(before, after), { improved: 2, worsened: 1 });
  });

  test('when a line is keyed, then heading marks, bullets, bold, case and punctuation do not matter', () => {
    assert.equal(lineKey('- **Led** a team at Globex (2025).'), 'led a team at globex 2025');
    assert.equal(lineKey('### Globex — Staff Engineer'), lineKey('Globex - Staff engineer'));
    assert.equal(lineKey('1. Café'), 'cafe');
    assert.equal(lineKey('   '), '');
  });

  test('when the report quotes ungrounded lines, then the diff rows showing them are flagged, whatever their kind', () => {
    const source = '# Ada\n\n- Built payments in TypeScript.\n- Led a team of five.';
    const tailored =
      '# Ada\n\n- Built payments in TypeScript and Kafka.\n- Led a team of five.\n- Staff engineer at Globex (2025).';
    const rows = diffRows(source, tailored);
    const kafka = {
      text: 'Built payments in TypeScript and Kafka.',
      reasons: [{ kind: 'skill' as const, text: 'Kafka' }],
    };
    const globex = {
      text: 'Staff engineer at Globex (2025).',
      reasons: [
        { kind: 'name' as const, text: 'Globex' },
        { kind: 'date' as const, text: '2025' },
      ],
    };
    const ghost = {
      text: 'A line the diff does not have',
      reasons: [{ kind: 'wording' as const, text: 'ghost' }],
    };
    const { flags, unplaced } = flagRows(rows, [kafka, globex, ghost]);
    const flagged = [...flags.entries()].map(([i, u]) => [rows[i]!.kind, u.text]);
    assert.deepEqual(flagged, [
      ['changed', kafka.text],
      ['added', globex.text],
    ]);
    assert.deepEqual(unplaced, [ghost]);
  });

  test('when a line is removed from the tailored resume, then it is never flagged (it has no tailored side)', () => {
    const rows = diffRows('- Globex', '');
    const { flags, unplaced } = flagRows(rows, [{ text: 'Globex', reasons: [] }]);
    assert.equal(flags.size, 0);
    assert.equal(unplaced.length, 1);
  });

  test('when reasons are described, then each says its kind and the unsupported text in words', () => {
    assert.equal(
      describeReasons({
        text: 'x',
        reasons: [
          { kind: 'name', text: 'Globex' },
          { kind: 'wording', text: 'synergy' },
        ],
      }),
      'name “Globex”; new wording “synergy”',
    );
  });
});
