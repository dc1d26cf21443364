/**
 * The test SMTP client and sink (test/support/smtp.ts) on their own, without Postfix: the
 * byte-identical checks in the Postfix tests are only as good as these two.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import {
  messageBody,
  readSinkDir,
  smtpSend,
  startSmtpSink,
  toWireMessage,
  type SmtpSink,
} from './support/smtp.js';

describe('test SMTP client and sink', () => {
  let dir: string;
  let sink: SmtpSink;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outguard-sink-'));
    sink = await startSmtpSink(path.join(dir, 'sink'));
  });
  after(async () => {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function deliveredSince(count: number) {
    return (await readSinkDir(sink.dir)).slice(count);
  }

  it('should store several messages from one connection byte for byte', async () => {
    const before = (await readSinkDir(sink.dir)).length;
    const korean = Buffer.concat([
      Buffer.from('Subject: test\r\nContent-Type: text/plain; charset=euc-kr\r\n\r\n'),
      iconv.encode('주민등록번호 900101-1234568\r\n', 'euc-kr'),
    ]);
    const dots = 'Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle . dot\r\n';
    const results = await smtpSend(sink.port, [
      { raw: korean, from: 'a@example.com', to: ['b@example.net', 'c@example.org'] },
      { raw: dots, from: '', to: ['d@example.net'] },
    ]);
    assert.deepEqual(
      results.map((r) => [r.ok, r.code, r.stage]),
      [
        [true, 250, 'message'],
        [true, 250, 'message'],
      ],
    );
    assert.match(results[0]?.queueId ?? '', /^SINK\d+$/);
    const stored = await deliveredSince(before);
    assert.equal(stored.length, 2);
    assert.ok(stored[0]?.raw.equals(korean));
    assert.deepEqual(stored[0]?.to, ['b@example.net', 'c@example.org']);
    assert.equal(stored[1]?.raw.toString('latin1'), dots);
    assert.equal(stored[1]?.from, '', 'the null sender is kept as an empty string');
  });

  it('should normalise bare LF to CRLF and add a final line end', () => {
    assert.equal(toWireMessage('A: b\n\nline').toString(), 'A: b\r\n\r\nline\r\n');
    assert.equal(messageBody(toWireMessage('A: b\n\nbody\n')).toString(), 'body\r\n');
  });

  it('should find the end of data when it is split across TCP packets', async () => {
    const before = (await readSinkDir(sink.dir)).length;
    const socket = net.connect({ host: '127.0.0.1', port: sink.port });
    const replies: string[] = [];
    socket.on('data', (chunk) => replies.push(chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => socket.once('connect', resolve));
    const commands = ['EHLO x\r\n', 'MAIL FROM:<a@example.com>\r\n', 'RCPT TO:<b@example.net>\r\n'];
    for (const piece of commands) {
      socket.write(piece);
      await pause();
    }
    socket.write('DATA\r\n');
    await pause();
    for (const piece of ['Subject: split\r\n\r\nbody\r', '\n', '.', '\r', '\nQUIT\r\n']) {
      socket.write(piece);
      await pause();
    }
    await closed;
    const stored = await deliveredSince(before);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.raw.toString(), 'Subject: split\r\n\r\nbody\r\n');
    assert.match(replies.join(''), /221 /);
  });

  it('should report a refused connection for every message', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const message = { raw: 'Subject: x\r\n\r\nx\r\n', from: 'a@example.com', to: ['b@example.net'] };
    const results = await smtpSend(port, [message, message]);
    assert.deepEqual(
      results.map((r) => [r.ok, r.code, r.stage]),
      [
        [false, 0, 'connect'],
        [false, 0, 'connect'],
      ],
    );
  });
});
