import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import vm from 'node:vm';
import { asPageMessage, bookmarkletHref, bookmarkletSource } from './bookmarklet.ts';

describe('bookmarklet', () => {
  test('when built for an origin, then the href is that code as a javascript: URL', () => {
    const href = bookmarkletHref('https://jobs.example.org');
    assert.ok(href.startsWith('javascript:'));
    assert.equal(
      decodeURIComponent(href.slice('javascript:'.length)),
      bookmarkletSource('https://jobs.example.org'),
    );
    assert.ok(!/\s/.test(href), 'no raw whitespace in a bookmark URL');
  });
  test('when the origin holds quotes, then it stays one string literal', () => {
    const src = bookmarkletSource(`https://a.example'"+alert(1)+"`);
    assert.ok(src.includes(JSON.stringify(`https://a.example'"+alert(1)+"`)));
    // Compiled, not run: a syntax error would mean the quote broke out of the literal.
    assert.doesNotThrow(() => new vm.Script(src));
  });
  test('when a message is not a page, then it is refused', () => {
    assert.equal(asPageMessage(null), null);
    assert.equal(asPageMessage('jobforge-page'), null);
    assert.equal(asPageMessage({ type: 'jobforge-page', url: 'x' }), null);
    assert.equal(asPageMessage({ type: 'other', url: 'x', html: '' }), null);
    assert.deepEqual(
      asPageMessage({ type: 'jobforge-page', url: 'https://x', html: '<p>', extra: 1 }),
      {
        type: 'jobforge-page',
        url: 'https://x',
        html: '<p>',
      },
    );
  });
});
