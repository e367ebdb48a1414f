import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { parseModelJson } from './json.ts';
import { asData } from './prompts.ts';

const GUARD = { timeout: 30_000 };
const schema = z.object({ a: z.number() });
const gap = ' '.repeat(200_000);

describe('model answers and prompt data in linear time', () => {
  test(
    'when an answer opens a code fence and never closes it, over a huge blank run, then it is refused',
    GUARD,
    () => {
      assert.deepEqual(parseModelJson(`\`\`\`json${gap}x`, schema), {
        ok: false,
        reason: 'the answer contains no JSON object',
      });
    },
  );

  test('when the JSON sits in a fence after a huge blank run, then it is read', GUARD, () => {
    assert.deepEqual(parseModelJson(`Here:\n\`\`\`JSON${gap}{"a": 1,}${gap}\`\`\` done`, schema), {
      ok: true,
      value: { a: 1 },
    });
  });

  test(
    'when data holds "<" and long blank runs before a tag name, then only real closing tags are defused',
    GUARD,
    () => {
      assert.equal(asData(`<${gap}x`), `<${gap}x`);
      assert.equal(asData(`a <${gap}/${gap}resume> b`), `a ‹${gap}/${gap}resume> b`);
    },
  );
});
