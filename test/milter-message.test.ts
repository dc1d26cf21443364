/**
 * MessageState: the message as the milter receives it, rebuilt as the MTA holds it.
 * (The protocol around it is covered in milter-session.test.ts.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageState } from '../milter/message.js';
import { SpoolError, SpoolFile } from '../milter/spool.js';

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

/** A spool file on a disk that fills up after `room` bytes. */
class FillingSpoolFile extends SpoolFile {
  constructor(dir: string, private room: number) {
    super(dir);
  }

  override write(bytes: Buffer): void {
    if (bytes.length > this.room) {
      // Unlike SpoolFile, the file stays: MessageState must remove it itself.
      throw new SpoolError('cannot write the spool file: ENOSPC: no space left on device');
    }
    this.room -= bytes.length;
    super.write(bytes);
  }
}

describe('MessageState with a spool', () => {
  const body = Buffer.from('주민등록번호 900101-1234568\r\n'.repeat(20_000));
  const feed = (message: MessageState) => {
    message.addHeader('Subject', Buffer.from(' 명단'), true);
    for (let at = 0; at < body.length; at += 65_535) message.addBody(body.subarray(at, at + 65_535));
  };

  it('keeps the message in memory when the disk is full before it could be moved', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'og-spool-'));
    const message = new MessageState(64 * 1024 * 1024, { dir, fromBytes: 100_000, openFile: (d) => new FillingSpoolFile(d, 1000) });
    feed(message);
    assert.match(message.spoolSkipped ?? '', /ENOSPC/);
    const raw = message.content();
    assert.ok(Buffer.isBuffer(raw) && raw.equals(Buffer.concat([Buffer.from('Subject: 명단\r\n\r\n'), body])));
    assert.deepEqual(readdirSync(dir), [], 'the half-written file is gone');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to hand over a message the disk cut short, and leaves no file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'og-spool-'));
    let file: SpoolFile | null = null;
    const message = new MessageState(64 * 1024 * 1024, {
      dir,
      fromBytes: 100_000,
      openFile: (d) => (file = new FillingSpoolFile(d, 300_000)),
    });
    feed(message);
    assert.equal(message.spoolSkipped, null, 'it was moved to disk first');
    assert.throws(() => message.content(), (err: unknown) => err instanceof SpoolError && /ENOSPC/.test(err.message));
    assert.ok(file !== null && !existsSync((file as SpoolFile).file));
    message.discard();
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true, force: true });
  });
});
