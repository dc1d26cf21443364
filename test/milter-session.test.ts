/**
 * Milter session: the protocol state machine as Postfix drives it, through a real socket and the
 * fake MTA in test/support/milter-client.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nullLogger } from '../log/logger.js';
import { ACTION, PROTO } from '../milter/constants.js';
import { smtpReplyText, stageReply } from '../milter/verdict.js';
import type { MilterReply } from '../milter/codec.js';
import type { EomVerdict, MessageEnvelope } from '../milter/types.js';
import type { RawMessage, SpooledMessage } from '../milter/spool.js';
import { MilterClient, sendMessage, sendMessageContent } from './support/milter-client.js';
import type { TestMessage } from './support/milter-client.js';
import {
  bounded,
  closeAllHarnesses,
  deferred,
  greet,
  startHarness,
} from './support/milter-harness.js';
import type { Harness } from './support/milter-harness.js';

const RRN_MAIL: TestMessage = {
  sender: '<kim@example.kr>',
  recipients: ['<lee@example.com>', '<park@example.net>'],
  headers: [
    ['From', ' 김철수 <kim@example.kr>'],
    ['To', ' lee@example.com,\n\tpark@example.net'],
    ['Subject', ' 급여 명세서'],
  ],
  body: '주민등록번호: 900101-1234568\r\n카드: 4111111111111111\r\n',
};

/** A reduced offer: version 2, header edits only, no NR_*, no HDR_LEADSPC. */
const OLD_MTA = { version: 2, actions: ACTION.ADDHDRS | ACTION.CHGHDRS, protocol: 0 };

function types(replies: readonly (MilterReply | null)[]): string[] {
  return replies.map((reply) => reply?.type ?? 'none');
}

function lastEnvelope(harness: Harness): MessageEnvelope {
  const envelope = harness.envelopes.at(-1);
  assert.ok(envelope, 'handler saw no message');
  return envelope;
}

/** The message of a session without a spool: always in memory. */
function inMemory(raw: RawMessage): Buffer {
  assert.ok(Buffer.isBuffer(raw), 'message kept in memory');
  return raw;
}

/** Round-trip a command that needs a reply: proves nothing unasked was queued before it. */
async function assertInStep(client: MilterClient): Promise<void> {
  assert.equal((await client.unknown('NOOP')).type, 'continue');
  assert.equal(client.bufferedReplies, 0);
}

describe('milter session', { timeout: 60_000 }, () => {
  after(closeAllHarnesses);

  describe('when Postfix negotiates (version 6, actions 0x1FF, protocol 0x1FFFFF)', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness();
    });
    after(() => harness.close());

    it('should answer version 6 with exactly the wanted actions and protocol flags', async () => {
      const client = await harness.client(null);
      const reply = await client.negotiate();
      assert.deepEqual(reply, {
        type: 'optneg',
        version: 6,
        actions: ACTION.ADDHDRS | ACTION.CHGHDRS | ACTION.QUARANTINE | ACTION.SETSYMLIST,
        protocol: PROTO.NR_HDR | PROTO.NR_BODY | PROTO.HDR_LEADSPC,
        symlists: [
          { stage: 2, macros: ['i', '{auth_authen}', '{mail_addr}'] },
          {
            stage: 5,
            macros: ['i', '{auth_authen}', '{daemon_name}', '{daemon_port}', '{client_addr}',
              '{client_name}'],
          },
        ],
      });
      assert.equal(reply.actions, 0x131);
      assert.equal(reply.protocol, 0x180080);
      assert.equal(harness.logs.filter((l) => l.level === 'warn').length, 0);
    });

    it('should not reply to headers or body chunks (NR_HDR, NR_BODY) and accept at EOM',
      async () => {
        const client = await harness.client();
        await greet(client);
        const replies = await sendMessage(client, RRN_MAIL);
        assert.deepEqual(types(replies), ['accept']);
        assert.equal(client.bufferedReplies, 0);
      });
  });

  describe('when the MTA offers less (version 2, no QUARANTINE, NR_* or HDR_LEADSPC)', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness({
        verdict: (envelope) =>
          envelope.sender === 'hold@example.kr'
            ? { kind: 'quarantine', reason: 'rrn found' }
            : { kind: 'accept' },
      });
    });
    after(() => harness.close());

    it('should downgrade to what was offered and log each missing feature', async () => {
      const client = await harness.client(null);
      const reply = await client.negotiate(OLD_MTA);
      assert.deepEqual(reply, { type: 'optneg', version: 2, actions: 0x11, protocol: 0,
        symlists: [] });
      const missing = harness.logs
        .filter((l) => l.level === 'warn' && l.message === 'MTA did not offer a wanted feature')
        .map((l) => l['feature']);
      assert.deepEqual(missing.sort(), ['SMFIF_QUARANTINE', 'SMFIF_SETSYMLIST', 'SMFIP_HDR_LEADSPC',
        'SMFIP_NR_BODY', 'SMFIP_NR_HDR', 'protocol version 6'].sort());
    });

    it('should reply continue to each header, EOH and body chunk', async () => {
      const client = await harness.client(OLD_MTA);
      await greet(client);
      await client.mail('<kim@example.kr>');
      await client.rcpt('<lee@example.com>');
      assert.deepEqual(types([await client.header('From', 'kim@example.kr'),
        await client.header('Subject', '안녕')]), ['continue', 'continue']);
      assert.equal((await client.eoh())?.type, 'continue');
      const body = await client.body(Buffer.alloc(150_000, 0x61));
      assert.deepEqual(types(body), ['continue', 'continue', 'continue']);
      assert.deepEqual(types(await client.eom()), ['accept']);
      assert.equal(client.bufferedReplies, 0);
    });

    it('should put back the stripped leading space when rebuilding the message', async () => {
      const client = await harness.client(OLD_MTA);
      await greet(client);
      await sendMessage(client, {
        sender: '<kim@example.kr>',
        recipients: ['<lee@example.com>'],
        headers: [['Subject', '급여'], ['To', 'a@example.kr,\n\tb@example.kr'], ['X-Empty', '']],
        body: 'hi\r\n',
      });
      const envelope = lastEnvelope(harness);
      const expected =
        'Subject: 급여\r\nTo: a@example.kr,\r\n\tb@example.kr\r\nX-Empty:\r\n\r\nhi\r\n';
      assert.equal(envelope.raw.toString('utf8'), expected);
      assert.deepEqual(envelope.headers.map((h) => h.value),
        [' 급여', ' a@example.kr,\n\tb@example.kr', '']);
    });

    it('should turn a hold into a tempfail when quarantine was not granted, with a warning',
      async () => {
        const client = await harness.client(OLD_MTA);
        await greet(client);
        const replies = await sendMessage(client, { ...RRN_MAIL, sender: '<hold@example.kr>' });
        assert.deepEqual(types(replies), ['tempfail']);
        assert.ok(harness.logs.some((l) => l.level === 'warn' &&
          l.message === 'MTA did not grant quarantine, sending tempfail instead of hold'));
      });

    it('should refuse a version below 2 by closing the connection', async () => {
      const client = await harness.client(null);
      client.send({ type: 'optneg', version: 1, actions: 0x1ff, protocol: 0 });
      await bounded(client.closed, 'close');
      assert.equal(client.bufferedReplies, 0);
    });
  });

  describe('macros', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness();
    });
    after(() => harness.close());

    it('should accept empty macro packets at every stage', async () => {
      const client = await harness.client();
      for (const stage of ['C', 'H']) client.sendMacro(stage, {});
      await client.connectCmd();
      await client.helo('mail.example.kr');
      const empty = Object.fromEntries(['M', 'R', 'T', 'L', 'N', 'B', 'E'].map((s) => [s, {}]));
      const replies = await sendMessage(client, { ...RRN_MAIL, macros: empty });
      assert.deepEqual(types(replies), ['accept']);
      assert.deepEqual(lastEnvelope(harness).macros, {});
      assert.equal(lastEnvelope(harness).queueId, null);
    });

    it('should merge stage macros into the envelope, later stages winning, with the queue id',
      async () => {
        const client = await harness.client();
        await greet(client);
        await sendMessage(client, {
          ...RRN_MAIL,
          macros: {
            M: { '{auth_authen}': 'kim', '{mail_addr}': 'kim@example.kr' },
            R: { i: '4QxYz1Ab2Cd' },
            E: { i: '4QxYz1Ab2Cd', '{daemon_name}': 'ORIGINATING', '{client_addr}': '192.0.2.10' },
          },
        });
        const envelope = lastEnvelope(harness);
        assert.equal(envelope.queueId, '4QxYz1Ab2Cd');
        assert.deepEqual(envelope.macros, {
          j: 'relay.example.kr',
          '{daemon_name}': 'ORIGINATING',
          _: 'x',
          '{auth_authen}': 'kim',
          '{mail_addr}': 'kim@example.kr',
          i: '4QxYz1Ab2Cd',
          '{client_addr}': '192.0.2.10',
        });
      });

    it('should bind qid on log lines once macro i arrives', async () => {
      const client = await harness.client();
      await greet(client);
      await sendMessage(client, { ...RRN_MAIL, macros: { E: { i: '4QqIdLog99' } } });
      const debug = harness.logs.filter((l) => l.message === 'verdict sent');
      assert.equal(debug.at(-1)?.['qid'], '4QqIdLog99');
      assert.ok(harness.logs.every((l) => l['conn'] === undefined || 'qid' in l));
      const before = harness.logs.filter((l) => l.message === 'negotiated');
      assert.ok(before.every((l) => l['qid'] === 'NOQUEUE'));
    });

    it('should ignore macros for a stage letter no MTA uses', async () => {
      const client = await harness.client();
      await greet(client);
      client.sendMacro('Z', { x: 'big' });
      await sendMessage(client, RRN_MAIL);
      assert.equal(lastEnvelope(harness).macros['x'], undefined);
      assert.ok(harness.logs.some((l) => l.message === 'ignoring macros for an unknown stage'));
    });

    it('should not take a malformed queue id', async () => {
      const client = await harness.client();
      await greet(client);
      await sendMessage(client, { ...RRN_MAIL, macros: { E: { i: '../../etc/passwd' } } });
      assert.equal(lastEnvelope(harness).queueId, null);
    });
  });

  describe('several messages on one connection', () => {
    let harness: Harness;
    const aborted: number[] = [];
    before(async () => {
      harness = await startHarness({
        verdict: (envelope) => envelope.sender === 'bad@example.kr'
          ? { kind: 'reject' }
          : { kind: 'accept' },
        hooks: { onAbort: (session) => void aborted.push(session.messageNumber) },
      });
    });
    after(() => harness.close());

    it('should keep CONNECT and HELO across ABORT and clear the message state', async () => {
      const client = await harness.client();
      await greet(client);
      client.sendMacro('M', { '{auth_authen}': 'first' });
      await client.mail('<first@example.kr>');
      await client.rcpt('<r1@example.com>');
      await client.data();
      await client.header('Subject', ' first');
      client.abort();
      await sendMessage(client, { ...RRN_MAIL, sender: '<second@example.kr>',
        recipients: ['<r2@example.com>'], headers: [['Subject', ' second']] });
      const envelope = lastEnvelope(harness);
      assert.equal(envelope.sender, 'second@example.kr');
      assert.deepEqual(envelope.recipients, ['r2@example.com']);
      assert.deepEqual(envelope.headers, [{ name: 'Subject', value: ' second' }]);
      assert.equal(envelope.helo, 'mail.example.kr');
      assert.deepEqual(envelope.connect, { hostname: 'mail.example.kr', family: 'inet',
        port: 40000, address: '192.0.2.10' });
      assert.equal(envelope.macros['j'], 'relay.example.kr');
      assert.equal(envelope.macros['{auth_authen}'], undefined);
      assert.deepEqual(aborted, [1]);
    });

    it('should serve three messages with a verdict each, ABORT after each as Postfix does',
      async () => {
        const client = await harness.client();
        await greet(client);
        const before = harness.envelopes.length;
        const verdicts: string[][] = [];
        for (const sender of ['<a@example.kr>', '<bad@example.kr>', '<c@example.kr>']) {
          verdicts.push(types(await sendMessage(client, { ...RRN_MAIL, sender })));
          client.abort();
        }
        assert.deepEqual(verdicts, [['accept'], ['reject'], ['accept']]);
        assert.deepEqual(harness.envelopes.slice(before).map((e) => e.sender),
          ['a@example.kr', 'bad@example.kr', 'c@example.kr']);
        assert.deepEqual(harness.sessions.slice(before).map((s) => s.messageNumber), [1, 2, 3]);
        await assertInStep(client);
      });

    it('should treat repeated ABORT as one, without replying and without a second onAbort',
      async () => {
        const client = await harness.client();
        await greet(client);
        aborted.length = 0;
        await client.mail('<kim@example.kr>');
        client.abort();
        client.abort();
        client.abort();
        await assertInStep(client);
        assert.deepEqual(aborted, [1]);
        assert.deepEqual(types(await sendMessage(client, RRN_MAIL)), ['accept']);
        client.abort();
        client.abort();
        await assertInStep(client);
        assert.deepEqual(aborted, [1]);
      });

    it('should start over after QUIT_NC: a new OPTNEG on the same socket, no old state',
      async () => {
        const client = await harness.client();
        await greet(client);
        await client.mail('<kim@example.kr>');
        client.quitNc();
        const reply = await client.negotiate();
        assert.equal(reply.version, 6);
        await client.helo('other.example.kr');
        assert.deepEqual(types(await sendMessage(client, RRN_MAIL)), ['accept']);
        const envelope = lastEnvelope(harness);
        assert.equal(envelope.connect, null);
        assert.equal(envelope.helo, 'other.example.kr');
        assert.equal(envelope.macros['j'], undefined);
      });

    it('should close on QUIT without replying', async () => {
      const client = await harness.client();
      await greet(client);
      client.quit();
      await bounded(client.closed, 'close');
      assert.equal(client.bufferedReplies, 0);
    });

    it('should call onAbort when the connection drops mid-message', async () => {
      const client = await harness.client();
      await greet(client);
      aborted.length = 0;
      await client.mail('<kim@example.kr>');
      client.destroy();
      await bounded(client.closed, 'close');
      for (let i = 0; i < 400 && aborted.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.deepEqual(aborted, [1]);
    });
  });

  describe('verdicts at end of message', () => {
    let harness: Harness;
    let next: EomVerdict = { kind: 'accept' };
    before(async () => {
      harness = await startHarness({ verdict: () => next });
    });
    after(() => harness.close());

    async function verdictFor(verdict: EomVerdict, offer?: typeof OLD_MTA): Promise<MilterReply[]> {
      next = verdict;
      const client = await harness.client(offer);
      await greet(client);
      return sendMessage(client, RRN_MAIL);
    }

    it('should send q (cleaned reason), header edits, then exactly one a', async () => {
      const replies = await verdictFor({
        kind: 'quarantine',
        reason: `주민번호 found\r\nrule=rrn ${'x'.repeat(200)}`,
        headers: [{ op: 'add', name: 'X-Outguard', value: 'held' }],
      });
      assert.deepEqual(types(replies), ['quarantine', 'addHeader', 'accept']);
      const reason = (replies[0] as { reason: string }).reason;
      assert.match(reason, /^\? found rule=rrn x+$/);
      assert.equal(Buffer.byteLength(reason), 100);
    });

    it('should send a default reason when the given one cleans down to nothing', async () => {
      const replies = await verdictFor({ kind: 'quarantine', reason: '\r\n' });
      assert.deepEqual(replies[0], { type: 'quarantine', reason: 'held by Outguard' });
    });

    it('should encode add, insert and change with LF folds and the leading space (LEADSPC)',
      async () => {
        const replies = await verdictFor({
          kind: 'accept',
          headers: [
            { op: 'add', name: 'X-Outguard-Verdict', value: 'hold;\r\n rule=rrn' },
            { op: 'insert', index: 0, name: 'X-Outguard-Id', value: '01J9' },
            { op: 'change', index: 1, name: 'Subject', value: '[보류] 급여\nline two' },
            { op: 'change', index: 2, name: 'Received', value: '' },
          ],
        });
        assert.deepEqual(replies, [
          { type: 'addHeader', name: 'X-Outguard-Verdict', value: ' hold;\n rule=rrn' },
          { type: 'insertHeader', index: 0, name: 'X-Outguard-Id', value: ' 01J9' },
          { type: 'changeHeader', index: 1, name: 'Subject', value: ' [보류] 급여\n\tline two' },
          { type: 'changeHeader', index: 2, name: 'Received', value: '' },
          { type: 'accept' },
        ]);
      });

    it('should leave the leading space to the MTA without LEADSPC', async () => {
      const offer = { ...OLD_MTA, version: 6 };
      const replies = await verdictFor({ kind: 'accept',
        headers: [{ op: 'add', name: 'X-Outguard', value: 'ok' }] }, offer);
      assert.deepEqual(replies[0], { type: 'addHeader', name: 'X-Outguard', value: 'ok' });
    });

    it('should drop an edit with an invalid header name and log an error', async () => {
      const replies = await verdictFor({ kind: 'accept',
        headers: [{ op: 'add', name: 'Bad Name:', value: 'x' }] });
      assert.deepEqual(types(replies), ['accept']);
      assert.ok(harness.logs.some((l) => l.level === 'error' &&
        l.message === 'invalid header name in edit, dropping it'));
    });

    it('should send a multi-line reply code with % doubled', async () => {
      const replies = await verdictFor({ kind: 'reject', reply: { code: 550, enhanced: '5.7.1',
        text: 'Message blocked: 100% personal data\nContact 보안팀 security@example.kr' } });
      assert.deepEqual(replies, [{ type: 'replyCode', text:
        '550-5.7.1 Message blocked: 100%% personal data\r\n' +
        '550 5.7.1 Contact ??? security@example.kr' }]);
    });

    it('should send a 4xx reply code for a tempfail', async () => {
      const replies = await verdictFor({ kind: 'tempfail',
        reply: { code: 451, enhanced: '4.7.1', text: 'Try again later' } });
      assert.deepEqual(replies, [{ type: 'replyCode', text: '451 4.7.1 Try again later' }]);
    });

    it('should fall back to plain r when the reply code does not match the class', async () => {
      const replies = await verdictFor({ kind: 'reject',
        reply: { code: 451, enhanced: '4.7.1', text: 'wrong class' } });
      assert.deepEqual(types(replies), ['reject']);
      const bad = await verdictFor({ kind: 'tempfail',
        reply: { code: 450, enhanced: '5.7.1', text: 'mismatch' } });
      assert.deepEqual(types(bad), ['tempfail']);
    });

    it('should send plain r, t and d', async () => {
      assert.deepEqual(types(await verdictFor({ kind: 'reject' })), ['reject']);
      assert.deepEqual(types(await verdictFor({ kind: 'tempfail' })), ['tempfail']);
      assert.deepEqual(types(await verdictFor({ kind: 'discard' })), ['discard']);
    });
  });

  describe('reply rules', () => {
    const log = nullLogger();

    it('should turn a discard at connect into a tempfail, and keep it at MAIL', () => {
      assert.deepEqual(stageReply({ kind: 'discard' }, 'connect', log), { type: 'tempfail' });
      assert.deepEqual(stageReply({ kind: 'discard' }, 'mail', log), { type: 'discard' });
    });

    it('should write a reply without text as code and enhanced code only', () => {
      assert.equal(smtpReplyText({ code: 554, enhanced: '5.7.0', text: '' }, 5), '554 5.7.0');
    });

    it('should refuse malformed codes', () => {
      for (const [code, enhanced] of [[55, '5.7.1'], [550.5, '5.7.1'], [650, '6.7.1'],
        [550, '5.7'], [550, 'x.7.1']] as const) {
        assert.equal(smtpReplyText({ code, enhanced, text: 'no' }, 5), null, `${code} ${enhanced}`);
      }
    });

    it('should keep at most 20 lines of a reply', () => {
      const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
      const reply = smtpReplyText({ code: 550, enhanced: '5.7.1', text }, 5) ?? '';
      assert.equal(reply.split('\r\n').length, 20);
      assert.match(reply, /550 5\.7\.1 line 19$/);
    });
  });

  describe('when the handler is slow or fails', () => {
    it('should send progress packets while a slow handler works', async () => {
      const release = deferred();
      const harness = await startHarness({
        progressIntervalMs: 5,
        verdict: async () => {
          await release.promise;
          return { kind: 'accept' };
        },
      });
      try {
        const client = await harness.client();
        await greet(client);
        await sendMessageContent(client, RRN_MAIL);
        const pending = client.eom();
        // The handler cannot answer before we release it, so `p` must come first.
        const first = await client.nextReply();
        assert.equal(first.type, 'progress');
        release.resolve();
        const rest = await pending;
        assert.equal(rest.at(-1)?.type, 'accept');
        assert.ok(rest.slice(0, -1).every((r) => r.type === 'progress'));
      } finally {
        await harness.close();
      }
    });

    it('should tempfail, and log an error, when the handler throws or rejects', async () => {
      let mode: 'throw' | 'reject' = 'throw';
      const harness = await startHarness({
        verdict: () => {
          if (mode === 'throw') throw new Error('store down');
          return Promise.reject(new Error('scan failed'));
        },
      });
      try {
        const client = await harness.client();
        await greet(client);
        assert.deepEqual(types(await sendMessage(client, RRN_MAIL)), ['tempfail']);
        mode = 'reject';
        assert.deepEqual(types(await sendMessage(client, RRN_MAIL)), ['tempfail']);
        const errors = harness.logs.filter((l) => l.message === 'handler failed, sending tempfail');
        assert.deepEqual(errors.map((l) => [l.level, l['error']]),
          [['error', 'store down'], ['error', 'scan failed']]);
        await assertInStep(client);
      } finally {
        await harness.close();
      }
    });

    it('should map onConnect and onMail verdicts, and tempfail when they throw', async () => {
      const harness = await startHarness({
        hooks: {
          onConnect: (info) => info.address === '192.0.2.66'
            ? { kind: 'reject', reply: { code: 554, enhanced: '5.7.1', text: 'go away' } }
            : { kind: 'continue' },
          onMail: (sender, _args, macros) => {
            if (sender === 'notify@example.kr') return { kind: 'accept' };
            if (sender === '') throw new Error('bug');
            if (macros['{auth_authen}'] === 'blocked') return { kind: 'discard' };
            return { kind: 'continue' };
          },
        },
      });
      try {
        const client = await harness.client();
        assert.deepEqual(await client.connectCmd('bad.example', '192.0.2.66'),
          { type: 'replyCode', text: '554 5.7.1 go away' });
        const ok = await harness.client();
        await greet(ok);
        assert.equal((await ok.mail('<notify@example.kr>')).type, 'accept');
        ok.abort();
        assert.equal((await ok.mail('<>')).type, 'tempfail');
        ok.abort();
        ok.sendMacro('M', { '{auth_authen}': 'blocked' });
        assert.equal((await ok.mail('<kim@example.kr>')).type, 'discard');
        ok.abort();
        assert.equal((await ok.mail('<kim@example.kr>')).type, 'continue');
      } finally {
        await harness.close();
      }
    });
  });

  describe('the message handed to the handler', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness({ maxMessageBytes: 100_000 });
    });
    after(() => harness.close());

    const eucKr = Buffer.from([0xb1, 0xde, 0xbf, 0xa9]); // 급여 in EUC-KR
    const bigBody = Buffer.from(`${'가나다라 900101-1234568 마바사\r\n'.repeat(2000)}끝\r\n`);

    it('should rebuild the raw message byte for byte (folded headers, 8-bit, >64 KiB body)',
      async () => {
        assert.ok(bigBody.length > 65535 && bigBody.length < 100_000 - 200);
        const client = await harness.client();
        await greet(client);
        const headers: [string, string | Buffer][] = [
          ['Received', ' from mail.example.kr\n\tby relay.example.kr; Tue, 3 Dec 2024'],
          ['Subject', Buffer.concat([Buffer.from(' '), eucKr])],
          ['X-Spaces', '    lots'],
          ['X-Tab', '\tvalue'],
          ['X-Empty', ''],
        ];
        await sendMessage(client, { ...RRN_MAIL, headers, body: bigBody });
        const expected = Buffer.concat([
          Buffer.from('Received: from mail.example.kr\r\n'),
          Buffer.from('\tby relay.example.kr; Tue, 3 Dec 2024\r\n'),
          Buffer.from('Subject: '), eucKr, Buffer.from('\r\n'),
          Buffer.from('X-Spaces:    lots\r\nX-Tab:\tvalue\r\nX-Empty:\r\n\r\n'),
          bigBody,
        ]);
        const envelope = lastEnvelope(harness);
        assert.ok(inMemory(envelope.raw).equals(expected));
        assert.equal(envelope.truncated, false);
        assert.ok(Buffer.from(envelope.headers[1]!.value, 'latin1').subarray(1).equals(eucKr));
      });

    it('should strip angle brackets and keep the null sender as an empty string', async () => {
      const client = await harness.client();
      await greet(client);
      await sendMessage(client, { ...RRN_MAIL, sender: '<>', recipients: ['<a@example.kr>',
        'b@example.kr'] });
      const envelope = lastEnvelope(harness);
      assert.equal(envelope.sender, '');
      assert.deepEqual(envelope.recipients, ['a@example.kr', 'b@example.kr']);
    });

    it('should cut the body at maxMessageBytes and set truncated', async () => {
      const client = await harness.client();
      await greet(client);
      const body = Buffer.concat([bigBody, bigBody]);
      const replies = await sendMessage(client, { ...RRN_MAIL, headers: [['Subject', ' big']],
        body });
      assert.deepEqual(types(replies), ['accept']);
      const envelope = lastEnvelope(harness);
      assert.equal(envelope.truncated, true);
      const raw = inMemory(envelope.raw);
      assert.equal(raw.length, 100_000 + 2);
      const full = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), body]);
      assert.ok(raw.equals(full.subarray(0, raw.length)));
      const cut = harness.logs.find((l) =>
        l.message === 'message over size limit, handler sees it cut');
      assert.equal(cut?.['bodyBytes'], body.length);
    });
  });

  describe('when the peer breaks the protocol', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness({ maxPacketBytes: 65536 });
    });
    after(() => harness.close());

    const cases: readonly [string, Buffer][] = [
      ['an unknown command code', Buffer.from([0, 0, 0, 1, 0x5a])],
      ['a zero length', Buffer.from([0, 0, 0, 0])],
      ['an oversize packet', Buffer.from([0, 1, 0, 1, 0x42])],
      ['a HEADER missing its NUL', Buffer.from('\0\0\0\x05LSubj', 'latin1')],
      ['a macro list with an odd count', Buffer.from('\0\0\0\x05DMab\0', 'latin1')],
    ];
    for (const [title, bytes] of cases) {
      it(`should close the connection on ${title} and log a warning`, async () => {
        const client = await harness.client();
        await greet(client);
        client.writeRaw(bytes);
        await bounded(client.closed, 'close');
        assert.ok(harness.logs.some((l) => l.level === 'warn' &&
          l.message === 'protocol error, closing connection'));
      });
    }

    it('should close when a command comes before negotiation', async () => {
      const client = await harness.client(null);
      await assert.rejects(client.helo('x'), /connection closed/);
    });
  });
});

describe('milter session with a spool folder', { timeout: 60_000 }, () => {
  after(closeAllHarnesses);
  const SPOOL_FROM = 64 * 1024;
  const head = Buffer.from('From: 김철수 <kim@example.kr>\r\nSubject: 급여 명세서\r\n\r\n');
  const bigBody = Buffer.from(`주민등록번호: 900101-1234568\r\n`.repeat(20_000));
  const headers: TestMessage['headers'] = [['From', ' 김철수 <kim@example.kr>'], ['Subject', ' 급여 명세서']];

  function spoolDir(): string {
    return mkdtempSync(path.join(tmpdir(), 'og-spool-'));
  }

  /** Message files anywhere under the spool folder. */
  function spooled(dir: string): string[] {
    return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith('.eml'));
  }

  it('should hand a large message over as a file holding it exactly, and remove it after the verdict', async () => {
    const dir = spoolDir();
    let seen: { file: string; bytes: Buffer; size: number } | null = null;
    const harness = await startHarness({
      spool: { dir, fromBytes: SPOOL_FROM },
      verdict: (envelope) => {
        const spooled = envelope.raw as SpooledMessage;
        assert.ok(!Buffer.isBuffer(envelope.raw), 'a large message is spooled');
        seen = { file: spooled.file, bytes: readFileSync(spooled.file), size: spooled.size };
        return { kind: 'accept' };
      },
    });
    const client = await harness.client();
    await greet(client);
    const replies = await sendMessage(client, { ...RRN_MAIL, headers, body: bigBody });
    assert.deepEqual(types(replies), ['accept']);
    const got = seen as { file: string; bytes: Buffer; size: number } | null;
    assert.ok(got !== null);
    assert.ok(got.bytes.equals(Buffer.concat([head, bigBody])), 'header block and body, byte for byte');
    assert.equal(got.size, got.bytes.length);
    assert.equal(path.dirname(path.dirname(got.file)), dir, 'in this daemon\'s own folder');
    assert.equal(existsSync(got.file), false, 'removed once the verdict was sent');
    assert.deepEqual(spooled(dir), []);
    await harness.close();
    assert.deepEqual(readdirSync(dir), [], 'its own folder goes when it stops');
    rmSync(dir, { recursive: true, force: true });
  });

  it('should empty the spool folder when it starts, and only once it holds its address', async () => {
    const dir = spoolDir();
    writeFileSync(path.join(dir, 'left-by-an-old-version.eml'), 'Subject: x\r\n\r\n');
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
    const dead = path.join(dir, `${pidMax + 1}@${host}-deadbeef`); // no process can have this pid
    const living = path.join(dir, `${process.ppid}@${host}-0badf00d`); // another daemon, running
    const elsewhere = path.join(dir, `1@another-container-00c0ffee`); // its host cleans it
    for (const folder of [dead, living, elsewhere]) {
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'message.eml'), 'Subject: y\r\n\r\n');
    }
    const harness = await startHarness({ spool: { dir, fromBytes: SPOOL_FROM } });
    const own = readdirSync(dir).filter((name) => name.startsWith(`${process.pid}@${host}-`));
    assert.equal(own.length, 1);
    const kept = [own[0], path.basename(living), path.basename(elsewhere)].sort();
    assert.deepEqual(readdirSync(dir).sort(), kept, 'running daemons\' folders and other hosts\' are kept');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, own[0]!)).mode & 0o777, 0o700);
    // A second daemon that cannot bind the address touches nothing.
    const address = harness.server.address;
    assert.equal(address.kind, 'inet');
    await assert.rejects(startHarness({ listen: address, spool: { dir, fromBytes: SPOOL_FROM } }), /EADDRINUSE/);
    assert.equal(readdirSync(dir).length, 3);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep a small message in memory', async () => {
    const dir = spoolDir();
    const harness = await startHarness({ spool: { dir, fromBytes: SPOOL_FROM } });
    const client = await harness.client();
    await greet(client);
    await sendMessage(client, RRN_MAIL);
    assert.ok(Buffer.isBuffer(lastEnvelope(harness).raw));
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep the file until the handler settles when the MTA hangs up, then remove it', async () => {
    const dir = spoolDir();
    const release = deferred();
    let file = '';
    const harness = await startHarness({
      spool: { dir, fromBytes: SPOOL_FROM },
      verdict: async (envelope) => {
        file = (envelope.raw as SpooledMessage).file;
        await release.promise;
        assert.equal(existsSync(file), true, 'still there while the handler reads it');
        return { kind: 'accept' };
      },
    });
    const client = await harness.client();
    await greet(client);
    await sendMessageContent(client, { ...RRN_MAIL, headers, body: bigBody });
    client.send({ type: 'eob', chunk: Buffer.alloc(0) });
    const deadline = Date.now() + 5000;
    while (file === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    client.destroy();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(existsSync(file), true);
    release.resolve();
    const until = Date.now() + 5000;
    while (existsSync(file) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    assert.equal(existsSync(file), false, 'removed once the handler settled');
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep a large message in memory when no spool file can be made, and say so', async () => {
    const dir = spoolDir();
    const harness = await startHarness({ spool: { dir, fromBytes: SPOOL_FROM } });
    rmSync(dir, { recursive: true, force: true }); // a temp cleaner took the folder since
    const client = await harness.client();
    await greet(client);
    const replies = await sendMessage(client, { ...RRN_MAIL, headers, body: bigBody });
    assert.deepEqual(types(replies), ['accept']);
    assert.ok(inMemory(lastEnvelope(harness).raw).equals(Buffer.concat([head, bigBody])));
    assert.ok(harness.logs.some((l) => l.message === 'large message kept in memory: no spool file'));
  });

  it('should tempfail a message that cannot be rebuilt from its spool file (a header after the body)', async () => {
    const dir = spoolDir();
    const harness = await startHarness({ spool: { dir, fromBytes: SPOOL_FROM } });
    const client = await harness.client();
    await greet(client);
    await sendMessageContent(client, { ...RRN_MAIL, headers, body: bigBody });
    await client.header('X-Late', ' after the body');
    const replies = await client.eom();
    assert.equal(types(replies).at(-1), 'tempfail');
    assert.equal(harness.envelopes.length, 0, 'the handler never saw a partial message');
    assert.ok(harness.logs.some((l) => l.message === 'message lost on its way to the spool, tempfail'));
    assert.deepEqual(spooled(dir), [], 'and its file is gone');
    rmSync(dir, { recursive: true, force: true });
  });
});
