import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tidy } from '../imports/html-to-markdown.ts';
import { parseResumeFile } from './read-resume.ts';
import { firstHeading, plainTextToMarkdown } from './text-to-markdown.ts';

// Hang guards only: each input below took seconds to minutes with the old regexes.
const GUARD = { timeout: 30_000 };
const spaces = (n: number) => ' '.repeat(n);

describe('linear-time resume text', () => {
  test('when a heading line holds 3,000 spaces, then the title is read past them', GUARD, () => {
    assert.equal(
      firstHeading(`# Jeanne Dupré${spaces(3000)}##${spaces(3000)}\n\nText`),
      'Jeanne Dupré',
    );
    // A title of 3,003 characters is no name.
    assert.equal(firstHeading(`# a${spaces(3000)}b\n`), undefined);
    assert.equal(
      firstHeading(`#${spaces(3000)}\n${spaces(3000)}Ada Lovelace ##\n`),
      'Ada Lovelace',
    );
    assert.equal(firstHeading(`### Not a title\n## **Ada** \`Lovelace\`  #  \n`), 'Ada Lovelace');
    assert.equal(firstHeading(`#${spaces(3000)}`), undefined);
  });

  test(
    'when a 12 KB file is all such heading lines, then it is imported with the first as title',
    GUARD,
    async () => {
      const lines = Array.from({ length: 4 }, (_, i) => `# Line${i}${spaces(3000)}b`);
      const file = `# Jeanne Dupré${spaces(3000)}\n\n${lines.join('\n')}\n`;
      assert.ok(file.length > 12_000);
      assert.equal(firstHeading(file), 'Jeanne Dupré');
      const imported = await parseResumeFile('cv.md', new TextEncoder().encode(file));
      assert.equal(imported.name, 'Jeanne Dupré');
      // Trailing blanks go; the spaces inside a line stay.
      assert.ok(imported.content.startsWith('# Jeanne Dupré\n\n# Line0   '));
      assert.ok(imported.content.endsWith(`# Line3${spaces(3000)}b`));
    },
  );

  test(
    'when lines end in long runs of spaces and tabs, then tidy drops them and keeps the rest',
    GUARD,
    () => {
      const body = `a${spaces(100_000)}b`;
      assert.equal(tidy(`${body}\t \n${spaces(50_000)}\r\nc${spaces(10)}`), `${body}\n\r\nc`);
      assert.equal(
        plainTextToMarkdown(`Ada Lovelace\n\n${body}${spaces(5)}\n`),
        `# Ada Lovelace\n\n${body}`,
      );
    },
  );
});
