import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filenameFrom } from './download.ts';

describe('filenameFrom', () => {
  test('when the header quotes the name, then that name is used', () => {
    assert.equal(
      filenameFrom('attachment; filename="acme_engineer_cover_letter.pdf"', 'x'),
      'acme_engineer_cover_letter.pdf',
    );
  });
  test('when the header has filename*, then the UTF-8 name wins over the ASCII one', () => {
    assert.equal(
      filenameFrom(`attachment; filename="cafe.md"; filename*=UTF-8''caf%C3%A9.md`, 'x'),
      'café.md',
    );
  });
  test('when the name is bare, then it is read up to the next parameter', () => {
    assert.equal(filenameFrom('attachment; filename=packet.zip; size=3', 'x'), 'packet.zip');
  });
  test('when there is no header or no name, then the fallback is used', () => {
    assert.equal(filenameFrom(null, 'file.pdf'), 'file.pdf');
    assert.equal(filenameFrom('attachment', 'file.pdf'), 'file.pdf');
    assert.equal(filenameFrom('attachment; filename=""', 'file.pdf'), 'file.pdf');
  });
  test('when the name holds path separators, then they cannot climb out of the folder', () => {
    assert.equal(filenameFrom('attachment; filename="../../etc/passwd"', 'x'), '.._.._etc_passwd');
  });
});
