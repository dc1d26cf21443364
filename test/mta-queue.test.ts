/**
 * mta/ queue logic without a running Postfix: parsing, queue-id validation, and how outcomes
 * are judged from tool output and the queue (never from exit codes).
 *
 * The Postfix tools are replaced by a fake command directory: each fake tool records its
 * arguments in calls.log and prints canned stdout/stderr, so a test can both script Postfix's
 * answers and prove that a tool was never run.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  PostfixToolError,
  deleteMessage,
  findQueueEntry,
  isValidQueueId,
  listQueue,
  parseQueueJson,
  readQueueHeaders,
  releaseFromHold,
  runTool,
  verifyHeldMessage,
} from '../mta/index.js';
import { parseHeaderLines } from '../mta/queue.js';
import { parsePostconfOutput } from '../mta/postfix-tools.js';
import { fakeTools, type FakeTools } from './support/fake-postfix.js';

const HELD_ID = '4jgGPV6tKKzJ9Hd';

function queueLine(queueName: string, queueId = HELD_ID): string {
  return JSON.stringify({
    queue_name: queueName,
    queue_id: queueId,
    arrival_time: 1796306174,
    message_size: 328,
    forced_expire: false,
    sender: 'hold@example.com',
    recipients: [{ address: 'kim@example.net' }, { address: 'lee@example.org' }],
  });
}

describe('queue id validation', () => {
  const valid = ['4jgGPV6tKKzJ9Hd', '4jgGHP24ZPzJ9F9', '3F2A1B9C0D', 'ABCDEF', 'bcdfghjklm'];
  for (const id of valid) {
    it(`should accept ${id}`, () => assert.equal(isValidQueueId(id), true));
  }
  const invalid = [
    '',
    '../x',
    'ABC;rm',
    'ABC;rm -rf /',
    '-d ALL',
    'ALL',
    'ABCDEF\n',
    ' ABCDEF',
    'abcde',
    'AEIOU12345',
    '4jgGPV6tKK/J9Hd',
    'ABCDEF'.repeat(6),
  ];
  for (const id of invalid) {
    it(`should refuse ${JSON.stringify(id)}`, () => assert.equal(isValidQueueId(id), false));
  }
});

describe('mta queue functions with scripted Postfix tools', () => {
  let fake: FakeTools;

  beforeEach(async () => {
    fake = await fakeTools();
  });
  afterEach(async () => {
    await rm(fake.dir, { recursive: true, force: true });
  });

  describe('when given a malformed queue id', () => {
    const actions: Array<[string, (id: string) => Promise<unknown>]> = [
      ['releaseFromHold', (id) => releaseFromHold(id, fake.options)],
      ['deleteMessage', (id) => deleteMessage(id, fake.options)],
      ['readQueueHeaders', (id) => readQueueHeaders(id, fake.options)],
      ['findQueueEntry', (id) => findQueueEntry(id, fake.options)],
      [
        'verifyHeldMessage',
        (id) => verifyHeldMessage(id, { sender: '', recipients: [], messageId: null }, fake.options),
      ],
    ];
    for (const [name, action] of actions) {
      for (const id of ['../x', 'ABC;rm', '-d ALL']) {
        it(`${name} should refuse ${JSON.stringify(id)} before running any tool`, async () => {
          await assert.rejects(action(id), (err: unknown) => {
            return err instanceof PostfixToolError && err.code === 'bad-queue-id';
          });
          assert.deepEqual(await fake.calls(), []);
        });
      }
    }
  });

  describe('when releasing', () => {
    it('should pass -c to every tool and flush the released message', async () => {
      await fake.script('postsuper', {
        stderr: `postsuper: ${HELD_ID}: released from hold\npostsuper: Released from hold: 1 message\n`,
      });
      await fake.script('postqueue', { stdout: queueLine('deferred') + '\n' });
      const result = await releaseFromHold(HELD_ID, fake.options);
      assert.equal(result.outcome, 'released', result.detail);
      assert.deepEqual(await fake.calls(), [
        `postsuper -c /etc/postfix-out -H ${HELD_ID}`,
        'postqueue -c /etc/postfix-out -j',
        `postqueue -c /etc/postfix-out -i ${HELD_ID}`,
      ]);
    });

    it('should report failed when postsuper reports a release but the message is still held', async () => {
      await fake.script('postsuper', { stderr: 'postsuper: Released from hold: 1 message\n' });
      await fake.script('postqueue', { stdout: queueLine('hold') + '\n' });
      assert.equal((await releaseFromHold(HELD_ID, fake.options)).outcome, 'failed');
    });

    it('should report failed when postsuper is refused, whatever its exit code', async () => {
      await fake.script('postsuper', {
        stderr: 'postsuper: fatal: use of this command is reserved for the superuser\n',
        exit: 0,
      });
      await fake.script('postqueue', { stdout: queueLine('hold') + '\n' });
      const result = await releaseFromHold(HELD_ID, fake.options);
      assert.equal(result.outcome, 'failed');
      assert.match(result.detail, /superuser/);
    });

    it('should report not-found when nothing was released and the id is not queued', async () => {
      await fake.script('postsuper', { stderr: 'postsuper: Released from hold: 0 messages\n' });
      await fake.script('postqueue', { stdout: '' });
      assert.equal((await releaseFromHold(HELD_ID, fake.options)).outcome, 'not-found');
    });

    it('should still report released when the flush service is missing', async () => {
      await fake.script('postsuper', { stderr: 'postsuper: Released from hold: 1 message\n' });
      await fake.script('postqueue', {
        stdout: queueLine('deferred') + '\n',
        stderr: 'postqueue: warning: Mail system is down -- accessing queue directly\n',
      });
      const result = await releaseFromHold(HELD_ID, fake.options);
      assert.equal(result.outcome, 'released');
      assert.match(result.detail, /next queue run/);
    });
  });

  describe('when deleting', () => {
    it('should report deleted only when the queue no longer lists the id', async () => {
      await fake.script('postsuper', { stderr: 'postsuper: Deleted: 1 message\n' });
      await fake.script('postqueue', { stdout: '' });
      assert.equal((await deleteMessage(HELD_ID, fake.options)).outcome, 'deleted');
    });

    it('should report failed when the message is still queued', async () => {
      await fake.script('postsuper', { stderr: 'postsuper: Deleted: 0 messages\n' });
      await fake.script('postqueue', { stdout: queueLine('hold') + '\n' });
      assert.equal((await deleteMessage(HELD_ID, fake.options)).outcome, 'failed');
    });
  });

  it('should throw when postqueue cannot list the queue', async () => {
    await fake.script('postqueue', {
      stderr: 'postqueue: fatal: Queue report unavailable - mail system is down\n',
      exit: 69,
    });
    await assert.rejects(listQueue(fake.options), /mail system is down/);
  });

  it('should return null headers when postcat cannot find the queue file', async () => {
    await fake.script('postcat', {
      stderr: `postcat: fatal: open queue file ${HELD_ID}: No such file or directory\n`,
      exit: 1,
    });
    assert.equal(await readQueueHeaders(HELD_ID, fake.options), null);
  });

  it('should raise not-installed when the command directory has no such tool', async () => {
    await assert.rejects(
      runTool('postqueue', ['-j'], { commandDir: path.join(fake.dir, 'missing') }),
      (err: unknown) => err instanceof PostfixToolError && err.code === 'not-installed',
    );
  });
});

describe('parsing Postfix output', () => {
  it('should parse postqueue -j lines and skip anything else', () => {
    const text = [
      'postqueue: warning: something odd',
      queueLine('hold'),
      '{"queue_name": "deferred", "queue_id": "ABCDEF", "arrival_time": 1, "message_size": 2, ' +
        '"forced_expire": true, "sender": "", "recipients": [{"address": "x@example.net", ' +
        '"delay_reason": "connect to 127.0.0.1[127.0.0.1]:9: Connection refused"}]}',
      '{not json',
      '',
    ].join('\n');
    const entries = parseQueueJson(text);
    assert.equal(entries.length, 2);
    assert.equal(entries[0]?.queue_name, 'hold');
    assert.equal(entries[1]?.sender, '', 'the null sender is an empty string');
    assert.equal(entries[1]?.forced_expire, true);
    assert.match(entries[1]?.recipients[0]?.delay_reason ?? '', /Connection refused/);
  });

  it('should unfold header lines and stop at the blank line', () => {
    const text = [
      'Received: from client (localhost [127.0.0.1])',
      '\tby relay.test.invalid (Postfix) with ESMTP id 4jgGPV6tKKzJ9Hd',
      'Subject: =?EUC-KR?B?sO3AvyDBpLq4?=',
      'Message-ID:',
      ' <folded@example.com>',
      '',
      'Not-A-Header: body text',
    ].join('\n');
    const headers = parseHeaderLines(text);
    assert.deepEqual(
      headers.map((h) => h.name),
      ['Received', 'Subject', 'Message-ID'],
    );
    assert.equal(headers[2]?.value, '<folded@example.com>');
    assert.match(headers[0]?.value ?? '', /^from client .*id 4jgGPV6tKKzJ9Hd$/);
  });

  it('should parse postconf name = value lines, including empty values', () => {
    assert.deepEqual(
      parsePostconfOutput('smtpd_milters = inet:127.0.0.1:10030\nnon_smtpd_milters =\n'),
      { smtpd_milters: 'inet:127.0.0.1:10030', non_smtpd_milters: '' },
    );
  });
});
