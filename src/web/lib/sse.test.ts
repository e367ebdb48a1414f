import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SseParser } from './sse.ts';

describe('SSE parser', () => {
  test('when events arrive whole, then each is parsed with its id, name and data', () => {
    const p = new SseParser();
    const out = p.push(
      'retry: 1000\n\nid: 1\nevent: progress\ndata: {"a":1}\n\nid: 2\nevent: delta\ndata: {"b":2}\n\n',
    );
    assert.deepEqual(out, [
      { id: '1', event: 'progress', data: '{"a":1}' },
      { id: '2', event: 'delta', data: '{"b":2}' },
    ]);
    assert.equal(p.retryMs, 1000);
    assert.equal(p.lastEventId, '2');
  });

  test('when an event is split across chunks anywhere (even inside \\r\\n), then it comes out once, whole', () => {
    const text = 'id: 7\r\nevent: delta\r\ndata: hello\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      assert.deepEqual(out, [{ id: '7', event: 'delta', data: 'hello' }], `cut at ${cut}`);
    }
  });

  test('when data spans lines, comments interleave and fields lack a space, then the spec rules apply', () => {
    const p = new SseParser();
    const out = p.push(': keep-alive\n\ndata:first\ndata: second\n: note\n\nevent: x\n\n');
    assert.deepEqual(out, [{ id: undefined, event: 'message', data: 'first\nsecond' }]);
  });

  test('when a later event has no id, then it carries the last id seen', () => {
    const p = new SseParser();
    const out = p.push('id: 3\ndata: a\n\ndata: b\n\n');
    assert.deepEqual(
      out.map((m) => m.id),
      ['3', '3'],
    );
  });

  test('when the stream stops mid-event, then nothing half-read is dispatched', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('id: 9\nevent: delta\ndata: {"text":"par'), []);
    assert.equal(p.lastEventId, undefined, 'event 9 must be sent again on reconnect');
    assert.deepEqual(p.push('"}\n\n'), [{ id: '9', event: 'delta', data: '{"text":"par"}' }]);
    assert.equal(p.lastEventId, '9');
  });
});
