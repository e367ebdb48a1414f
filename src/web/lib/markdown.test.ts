import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markdownToSafeTree, safeHref, treeText, type SafeNode } from './markdown.ts';
import { snippetParts } from './snippet.ts';

/** Every element of a tree, depth first. */
function elements(nodes: SafeNode[]): Exclude<SafeNode, string>[] {
  return nodes.flatMap((n) => (typeof n === 'string' ? [] : [n, ...elements(n.children)]));
}

describe('markdown sanitiser', () => {
  test('when Markdown is ordinary, then headings, emphasis, lists, code and tables come through', () => {
    const tree = markdownToSafeTree(
      '# Title\n\nSome **bold** and *em* and `code`.\n\n- one\n- two\n\n3. three\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    const tags = elements(tree).map((e) => e.tag);
    for (const t of ['h1', 'p', 'strong', 'em', 'code', 'ul', 'li', 'ol', 'table', 'th', 'td'])
      assert.ok(tags.includes(t as never), `has ${t}`);
    assert.equal(elements(tree).find((e) => e.tag === 'ol')?.start, 3);
  });

  test('when the source holds raw HTML, then it is text: no script, iframe or handler element exists', () => {
    const src =
      '<script>alert(1)</script>\n\nHello <img src=x onerror="alert(2)"> and <b onclick="x()">bold</b>\n\n<iframe src="javascript:alert(3)"></iframe>';
    const tree = markdownToSafeTree(src);
    const tags = new Set(elements(tree).map((e) => e.tag as string));
    for (const bad of ['script', 'img', 'iframe', 'b']) assert.ok(!tags.has(bad), `no <${bad}>`);
    const text = treeText(tree);
    assert.match(text, /<script>alert\(1\)<\/script>/, 'shown as the text it is');
    assert.match(text, /onerror="alert\(2\)"/);
    // Only href, start and className ever reach an element: nothing named on*.
    for (const e of elements(tree))
      assert.deepEqual(
        Object.keys(e).filter(
          (k) => !['tag', 'children', 'href', 'start', 'className'].includes(k),
        ),
        [],
      );
  });

  test('when links use script or data schemes, then they lose their target and keep their text', () => {
    const tree = markdownToSafeTree(
      '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](java\tscript:alert(1)) [d](data:text/html,<script>x</script>) [e](vbscript:x) [ok](https://example.com/x) [mail](mailto:a@example.com)',
    );
    const links = elements(tree).filter((e) => e.tag === 'a');
    assert.deepEqual(
      links.map((l) => l.href),
      ['https://example.com/x', 'mailto:a@example.com'],
    );
    // (c has a tab in its target: not a link at all for marked, so plain text.)
    assert.match(treeText(tree), /^a b .*alert\(1\)\) d e ok mail$/);
  });

  test('when the source has images, then none is loaded: each shows as its alt text', () => {
    const tree = markdownToSafeTree(
      '![tracking pixel](http://127.0.0.9:9/p.png) ![](https://x.test/a.png)',
    );
    assert.ok(!elements(tree).some((e) => (e.tag as string) === 'img'));
    assert.match(treeText(tree), /\[image: tracking pixel\] \[image: untitled\]/);
  });

  test('when entities are written, then they are decoded to the characters once', () => {
    assert.equal(
      treeText(markdownToSafeTree('Fish &amp; chips &lt;3 &#x1F600;')),
      'Fish & chips <3 😀',
    );
  });

  test('safeHref accepts only absolute http(s) and mailto', () => {
    assert.equal(safeHref('https://a.example/b?c#d'), 'https://a.example/b?c#d');
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:x',
      'data:,x',
      '/relative',
      'file:///etc/passwd',
      '',
    ])
      assert.equal(safeHref(bad), undefined, bad);
  });
});

describe('search snippet', () => {
  test('when a snippet has marks and escaped markup, then marks are parts and the markup stays text', () => {
    assert.deepEqual(snippetParts('say &lt;script&gt; <mark>hello</mark> &amp; bye'), [
      { text: 'say <script> ', mark: false },
      { text: 'hello', mark: true },
      { text: ' & bye', mark: false },
    ]);
  });

  test('when a snippet carried unescaped tags other than mark, then they are only text', () => {
    const parts = snippetParts('<img src=x onerror=alert(1)><mark>a</mark>');
    assert.deepEqual(parts, [
      { text: '<img src=x onerror=alert(1)>', mark: false },
      { text: 'a', mark: true },
    ]);
  });
});
