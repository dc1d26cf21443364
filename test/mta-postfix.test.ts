/**
 * mta/ queue tools against a real, throwaway Postfix (test/support/postfix.ts).
 *
 * Mail is put on hold without a milter: an access-table HOLD on the sender hold@example.com.
 * Mail for the domain defer.example is routed to a closed port, so it sits in the deferred
 * queue, which is how we get a queued message that is not held.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import {
  deleteMessage,
  listQueue,
  readQueueHeaders,
  releaseFromHold,
  runTool,
  verifyHeldMessage,
  headerValues,
} from '../mta/index.js';
import { postfixSkipReason, startTestPostfix, type TestPostfix } from './support/postfix.js';
import { messageBody, toWireMessage } from './support/smtp.js';

const skip = postfixSkipReason() ?? false;

/** Long queue ids are on; this one has the right shape but no queue file. */
const UNKNOWN_ID = '4jgZZZ0000zJ9Hc';

/** Queue operations finish in well under a second; the bound only stops a hung test. */
const WAIT_MS = 15_000;

interface HeldMail {
  queueId: string;
  raw: Buffer;
  messageId: string;
  from: string;
  to: string[];
}

let counter = 0;

function eucKrWord(text: string): string {
  return `=?EUC-KR?B?${iconv.encode(text, 'euc-kr').toString('base64')}?=`;
}

/** A Korean EUC-KR message with synthetic personal data, as a legacy mail client sends it. */
function koreanMessage(messageId: string, to: string[]): Buffer {
  const head = [
    `From: ${eucKrWord('홍길동')} <hold@example.com>`,
    `To: ${to.join(', ')}`,
    `Subject: ${eucKrWord('고객 개인정보 요청')}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=euc-kr',
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\r\n');
  const body = [
    '안녕하세요. 요청하신 고객 정보입니다.',
    '주민등록번호: 900101-1234568',
    '카드번호: 4111-1111-1111-1111',
    '.이 줄은 점으로 시작합니다',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), iconv.encode(body, 'euc-kr')]);
}

async function sendHeld(
  pf: TestPostfix,
  to = ['kim@example.net', 'lee@example.org'],
): Promise<HeldMail> {
  counter += 1;
  const messageId = `<held-${counter}.${Date.now()}@example.com>`;
  const raw = koreanMessage(messageId, to);
  const result = await pf.sendMail(raw, { from: 'hold@example.com', to });
  assert.equal(result.code, 250, result.text);
  assert.ok(result.queueId, 'Postfix reported no queue id');
  const queueId = result.queueId;
  await pf.waitForQueue((q) => q.some((e) => e.queue_id === queueId), WAIT_MS);
  return { queueId, raw, messageId, from: 'hold@example.com', to };
}

describe('mta queue tools against a real Postfix', { skip }, () => {
  let pf: TestPostfix;

  before(async () => {
    pf = await startTestPostfix({
      extraMainCf: {
        smtpd_sender_restrictions: 'check_sender_access inline:{ hold@example.com=HOLD }',
        // Nothing listens on port 9, so this mail is deferred after its first attempt.
        transport_maps: 'inline:{ defer.example=smtp:[127.0.0.1]:9 }',
      },
    });
  });

  after(async () => {
    await pf?.stop();
  });

  describe('when a message is on hold', () => {
    it('should list it in the hold queue with its envelope', async () => {
      const held = await sendHeld(pf);
      const entry = (await listQueue(pf.tools)).find((e) => e.queue_id === held.queueId);
      assert.ok(entry);
      assert.equal(entry.queue_name, 'hold');
      assert.equal(entry.sender, 'hold@example.com');
      assert.deepEqual(
        entry.recipients.map((r) => r.address),
        ['kim@example.net', 'lee@example.org'],
      );
      assert.ok(entry.message_size > 0);
      assert.ok(entry.arrival_time > 1_700_000_000);
    });

    it('should read its headers, including the Message-ID we sent', async () => {
      const held = await sendHeld(pf);
      const headers = await readQueueHeaders(held.queueId, pf.tools);
      assert.ok(headers);
      assert.deepEqual(headerValues(headers, 'message-id'), [held.messageId]);
      assert.equal(headers[0]?.name, 'Received', 'Postfix adds its Received header first');
      assert.match(headerValues(headers, 'Received')[0] ?? '', new RegExp(`id ${held.queueId}`));
    });

    it('should return null headers for an unknown queue id', async () => {
      assert.equal(await readQueueHeaders(UNKNOWN_ID, pf.tools), null);
    });

    it('should verify it when sender, recipients and Message-ID all match', async () => {
      const held = await sendHeld(pf);
      const result = await verifyHeldMessage(
        held.queueId,
        { sender: held.from, recipients: [...held.to].reverse(), messageId: held.messageId },
        pf.tools,
      );
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.ok && result.entry.queue_id, held.queueId);
    });

    it('should verify without a Message-ID when none was recorded', async () => {
      const held = await sendHeld(pf);
      const result = await verifyHeldMessage(
        held.queueId,
        { sender: held.from, recipients: held.to, messageId: null },
        pf.tools,
      );
      assert.equal(result.ok, true, JSON.stringify(result));
    });

    it('should compare address domains case-insensitively', async () => {
      const held = await sendHeld(pf);
      const result = await verifyHeldMessage(
        held.queueId,
        {
          sender: 'hold@EXAMPLE.com',
          recipients: ['kim@Example.NET', 'lee@example.org'],
          messageId: held.messageId,
        },
        pf.tools,
      );
      assert.equal(result.ok, true, JSON.stringify(result));
    });

    const mismatches: Array<{ title: string; change: (h: HeldMail) => Partial<HeldMail> }> = [
      { title: 'a different sender', change: () => ({ from: 'other@example.com' }) },
      { title: 'a different local-part case', change: () => ({ from: 'Hold@example.com' }) },
      { title: 'a missing recipient', change: (h) => ({ to: h.to.slice(0, 1) }) },
      { title: 'an extra recipient', change: (h) => ({ to: [...h.to, 'park@example.net'] }) },
      { title: 'a swapped recipient', change: (h) => ({ to: [h.to[0] ?? '', 'choi@example.org'] }) },
      { title: 'a different Message-ID', change: () => ({ messageId: '<other@example.com>' }) },
    ];
    for (const { title, change } of mismatches) {
      it(`should report a mismatch for ${title}`, async () => {
        const held = await sendHeld(pf);
        const expected = { ...held, ...change(held) };
        const result = await verifyHeldMessage(
          held.queueId,
          { sender: expected.from, recipients: expected.to, messageId: expected.messageId },
          pf.tools,
        );
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.reason, 'mismatch');
        assert.ok(!result.ok && !result.detail.includes('@'), 'detail must not carry addresses');
      });
    }

    it('should report not-found for a queue id that is not queued', async () => {
      const result = await verifyHeldMessage(
        UNKNOWN_ID,
        { sender: 'hold@example.com', recipients: ['kim@example.net'], messageId: null },
        pf.tools,
      );
      assert.deepEqual(result.ok ? null : result.reason, 'not-found');
    });
  });

  describe('when a message is queued but not held', () => {
    it('should report not-held from verify and from release', async () => {
      const sent = await pf.sendMail('Subject: later\r\n\r\nbody\r\n', {
        from: 'sender@example.com',
        to: ['someone@defer.example'],
      });
      assert.ok(sent.queueId, sent.text);
      const queueId = sent.queueId;
      await pf.waitForQueue(
        (q) => q.some((e) => e.queue_id === queueId && e.queue_name === 'deferred'),
        WAIT_MS,
      );
      const expected = {
        sender: 'sender@example.com',
        recipients: ['someone@defer.example'],
        messageId: null,
      };
      const verified = await verifyHeldMessage(queueId, expected, pf.tools);
      assert.equal(verified.ok ? null : verified.reason, 'not-held');
      const released = await releaseFromHold(queueId, pf.tools);
      assert.equal(released.outcome, 'not-held', released.detail);
      assert.equal((await deleteMessage(queueId, pf.tools)).outcome, 'deleted');
    });
  });

  describe('when releasing a held message', () => {
    it('should deliver it to the sink with a byte-identical body', async () => {
      const held = await sendHeld(pf, ['release@example.net']);
      const before = (await pf.delivered()).length;
      const result = await releaseFromHold(held.queueId, pf.tools);
      assert.equal(result.outcome, 'released', result.detail);
      const delivered = await pf.waitForDelivered(before + 1, WAIT_MS);
      const message = delivered.find((m) => m.raw.includes(held.messageId));
      assert.ok(message, 'released message not found in the sink');
      assert.deepEqual(message.to, ['release@example.net']);
      assert.equal(message.from, 'hold@example.com');
      assert.ok(messageBody(message.raw).equals(messageBody(toWireMessage(held.raw))));
      const after = await listQueue(pf.tools);
      assert.ok(!after.some((e) => e.queue_id === held.queueId));
    });

    it('should report not-found for an unknown id although postsuper exits 0', async () => {
      const direct = await runTool('postsuper', ['-H', UNKNOWN_ID], pf.tools);
      assert.equal(direct.exitCode, 0, 'postsuper claims success for a missing message');
      assert.match(direct.stderr, /Released from hold: 0 messages/);
      const result = await releaseFromHold(UNKNOWN_ID, pf.tools);
      assert.equal(result.outcome, 'not-found', result.detail);
    });

    it('should report not-found when released twice', async () => {
      const held = await sendHeld(pf, ['twice@example.net']);
      assert.equal((await releaseFromHold(held.queueId, pf.tools)).outcome, 'released');
      await pf.waitForQueue((q) => !q.some((e) => e.queue_id === held.queueId), WAIT_MS);
      assert.equal((await releaseFromHold(held.queueId, pf.tools)).outcome, 'not-found');
    });
  });

  describe('when deleting a held message', () => {
    it('should remove it from the queue and report deleted', async () => {
      const held = await sendHeld(pf);
      const result = await deleteMessage(held.queueId, pf.tools);
      assert.equal(result.outcome, 'deleted', result.detail);
      const entries = await listQueue(pf.tools);
      assert.ok(!entries.some((e) => e.queue_id === held.queueId));
      const verified = await verifyHeldMessage(
        held.queueId,
        { sender: held.from, recipients: held.to, messageId: held.messageId },
        pf.tools,
      );
      assert.equal(verified.ok ? null : verified.reason, 'not-found');
    });

    it('should report not-found for an unknown id although postsuper exits 0', async () => {
      const direct = await runTool('postsuper', ['-d', UNKNOWN_ID], pf.tools);
      assert.equal(direct.exitCode, 0);
      assert.equal((await deleteMessage(UNKNOWN_ID, pf.tools)).outcome, 'not-found');
    });
  });
});

const NOTICE_ENVELOPE = { from: 'outguard@example.com', to: ['admin@example.net'] };

describe('the test Postfix harness', { skip }, () => {
  let pf: TestPostfix;

  before(async () => {
    // A milter address nobody listens on: Postfix applies milter_default_action to every message.
    pf = await startTestPostfix({ milter: 'inet:127.0.0.1:9', defaultAction: 'quarantine' });
  });

  after(async () => {
    await pf?.stop();
  });

  it('should hold mail when the milter is unreachable and the default action is quarantine', async () => {
    const envelope = { from: 'a@example.com', to: ['b@example.net'] };
    const sent = await pf.sendMail('Subject: t\r\n\r\nx\r\n', envelope);
    assert.equal(sent.code, 250, sent.text);
    const queueId = sent.queueId;
    const queue = await pf.waitForQueue((q) => q.some((e) => e.queue_id === queueId), WAIT_MS);
    assert.equal(queue.find((e) => e.queue_id === queueId)?.queue_name, 'hold');
    assert.match(await pf.maillog(), new RegExp(`${queueId}: milter-hold`));
  });

  it('should hold locally submitted mail too (non_smtpd_milters)', async () => {
    await pf.submitLocal('Subject: cron\n\n백업 완료\n', { from: 'cron@example.com', to: ['ops@example.net'] });
    const queue = await pf.waitForQueue((q) => q.some((e) => e.sender === 'cron@example.com'), WAIT_MS);
    assert.equal(queue.find((e) => e.sender === 'cron@example.com')?.queue_name, 'hold');
  });

  it('should deliver mail from the notify port without asking the milter', async () => {
    const before = (await pf.delivered()).length;
    const results = await pf.sendMany(
      [
        { raw: 'Subject: notice 1\r\n\r\n승인 요청\r\n', ...NOTICE_ENVELOPE },
        { raw: 'Subject: notice 2\r\n\r\n승인 완료\r\n', ...NOTICE_ENVELOPE },
      ],
      pf.notifyPort,
    );
    assert.deepEqual(results.map((r) => r.code), [250, 250]);
    const delivered = await pf.waitForDelivered(before + 2, WAIT_MS);
    assert.equal(delivered.length, before + 2);
  });

  it('should put the reason Postfix refused to start into the thrown error', async () => {
    // postfix(1) prints this only to a terminal; the harness runs it under a pty to catch it.
    await assert.rejects(
      startTestPostfix({ extraMainCf: { maillog_file_prefixes: '/nonexistent' } }),
      /does not match any prefix in maillog_file_prefixes/,
    );
  });

  it('should answer 451 per message on one connection after switching to tempfail', async () => {
    await pf.reconfigure({ milter_default_action: 'tempfail' });
    const message = { raw: 'Subject: t\r\n\r\nx\r\n', ...NOTICE_ENVELOPE };
    const results = await pf.sendMany([message, message]);
    assert.deepEqual(results.map((r) => [r.ok, r.code]), [[false, 451], [false, 451]]);
    assert.equal(results[0]?.queueId, null);
  });
});
