import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SecretBox } from './secret-box.ts';

const SECRET = 'a server secret that is long enough for tests';

describe('secret box', () => {
  test('when a value is sealed, then it opens with the same secret and context only', () => {
    const box = new SecretBox(SECRET, 'llm api key');
    const sealed = box.encrypt('sk-ant-secret', 'user-1');
    assert.doesNotMatch(sealed, /sk-ant-secret/);
    assert.notEqual(sealed, box.encrypt('sk-ant-secret', 'user-1'), 'a fresh IV each time');
    assert.equal(box.decrypt(sealed, 'user-1'), 'sk-ant-secret');
    assert.equal(box.decrypt(sealed, 'user-2'), undefined, 'bound to its owner');
    assert.equal(new SecretBox(`${SECRET}!`, 'llm api key').decrypt(sealed, 'user-1'), undefined);
    assert.equal(new SecretBox(SECRET, 'other purpose').decrypt(sealed, 'user-1'), undefined);
  });

  test('when the stored value is tampered with or garbage, then it does not open', () => {
    const box = new SecretBox(SECRET, 'llm api key');
    const sealed = box.encrypt('key', 'u');
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    for (const bad of [flipped, 'v1.', 'v2.abc', 'garbage', '']) {
      assert.equal(box.decrypt(bad, 'u'), undefined, bad);
    }
  });
});
