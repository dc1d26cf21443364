/**
 * MessageState: the message as the milter receives it, rebuilt as the MTA holds it.
 * (The protocol around it is covered in milter-session.test.ts.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';
import { MessageState } from '../milter/message.js';

describe('MessageState.raw', () => {
  it('rebuilds header lines and body, 8-bit header bytes exactly, and holds the body once', () => {
    const message = new MessageState(1024 * 1024);
    message.addHeader('Subject', iconv.encode(' 급여 명세', 'euc-kr'), true);
    message.addHeader('From', Buffer.from('김철수 <kim@example.co.kr>'), false);
    const body = Buffer.from('주민등록번호 900101-1234568\r\n'.repeat(5000));
    for (let at = 0; at < body.length; at += 65_535) message.addBody(body.subarray(at, at + 65_535));
    assert.ok(message.bodyChunkCount > 1);

    const raw = message.raw();
    const head = Buffer.concat([
      Buffer.from('Subject:'), iconv.encode(' 급여 명세', 'euc-kr'), Buffer.from('\r\nFrom: 김철수 <kim@example.co.kr>\r\n\r\n'),
    ]);
    assert.ok(raw.equals(Buffer.concat([head, body])));
    // The chunks were let go: the body now lives in `raw` alone.
    assert.equal(message.bodyChunkCount, 1);
    assert.ok(message.raw().equals(raw), 'built again, the same bytes');
  });
});
