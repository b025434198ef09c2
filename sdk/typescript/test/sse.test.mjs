import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../dist/index.js';

test('sse: the stream the data plane sends, fed whole', () => {
  const p = new SseParser();
  const events = p.push('retry: 2000\n: connected\n\nid: 784512-93\nevent: insert\ndata: {"op":"insert"}\n\n: keep-alive\n\n');
  assert.deepEqual(events, [{ id: '784512-93', event: 'insert', data: '{"op":"insert"}' }]);
  assert.equal(p.retryMs, 2000);
  assert.equal(p.lastEventId, '784512-93');
});

test('sse: split anywhere, even one character at a time, gives the same events', () => {
  const stream = 'retry: 2000\r\n: connected\r\n\r\nid: 1-1\r\nevent: update\r\ndata: a\r\ndata: b\r\n\r\nid: 1-2\revent: delete\rdata:c\r\rdata: no id\n\n';
  const whole = new SseParser().push(stream);
  const parser = new SseParser();
  const pieces = [...stream].flatMap((c) => parser.push(c));
  assert.deepEqual(pieces, whole);
  assert.deepEqual(whole, [
    { id: '1-1', event: 'update', data: 'a\nb' },
    { id: '1-2', event: 'delete', data: 'c' },
    { id: '1-2', event: 'message', data: 'no id' },
  ]);
});

test('sse: fields without data dispatch nothing; unknown fields, NUL ids and bad retry are ignored; a final event without its blank line is not dispatched', () => {
  const p = new SseParser('0-0');
  assert.deepEqual(p.push('id: 5-5\nevent: insert\n\nfoo: bar\nretry: soon\nid: a\u0000b\ndata\ndata: x\n\n'), [{ id: '5-5', event: 'message', data: '\nx' }]);
  assert.equal(p.retryMs, undefined);
  assert.deepEqual(p.push('id: 9-9\ndata: unfinished'), []);
  assert.equal(p.lastEventId, '9-9');
});
