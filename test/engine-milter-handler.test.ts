/**
 * The milter's end-of-message decision, without a network: envelope in, verdict and record out.
 * The fail-closed cases live here, because a real Postfix cannot be made to hit them on demand.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createDetection, defaultDetection } from '../detectors/index.js';
import { createMilterHandler, type MilterHandlerDeps } from '../engine/milter-handler.js';
import { createLogger } from '../log/logger.js';
import type { EomVerdict, MessageEnvelope } from '../milter/types.js';
import type { RawMessage } from '../milter/spool.js';
import { loadPolicyFile, parsePolicy } from '../policies/load.js';
import { MAX_RAW_COPY_BYTES, openStore, type Store } from '../store/index.js';
import { buildMail } from './support/mail-builder.js';

const RRN = '900101-1234568';
const session = { connectionId: 1, messageNumber: 1 };

function envelope(raw: RawMessage, overrides: Partial<MessageEnvelope> = {}): MessageEnvelope {
  return {
    connect: { hostname: 'client.corp.example', family: 'inet', port: 50123, address: '10.1.2.3' },
    helo: 'client.corp.example',
    sender: 'hong@corp.example',
    senderArgs: [],
    recipients: ['partner@outside.example'],
    headers: [{ name: 'Message-ID', value: ' <m1@corp.example>' }],
    macros: { i: '4bX9z1kQmFzJ7' },
    queueId: '4bX9z1kQmFzJ7',
    raw,
    truncated: false,
    ...overrides,
  };
}

describe('the end-of-message handler', () => {
  let store: Store;
  let logText = '';
  const logStream = new PassThrough();
  logStream.on('data', (c: Buffer) => (logText += c.toString('utf8')));
  const logger = createLogger({ stream: logStream, level: 'debug' });
  const policy = loadPolicyFile();
  const handler = (overrides: Partial<MilterHandlerDeps> = {}) =>
    createMilterHandler({
      store,
      policy: () => policy,
      detection: () => defaultDetection,
      logger,
      settings: { scanTimeoutMs: 5000, onError: 'tempfail' },
      ...overrides,
    });

  before(async () => {
    store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'og-handler-')) });
  });
  after(() => store.close());

  const idOf = (verdict: EomVerdict): string => {
    const headers = 'headers' in verdict ? (verdict.headers ?? []) : [];
    return headers.find((h) => h.name === 'X-Outguard-Id')!.value;
  };

  it('should accept clean mail with our id and verdict headers and record it', async () => {
    const raw = buildMail({ subject: '회의 안내', text: '내일 뵙겠습니다.', charset: 'euc-kr' });
    const verdict = await handler().onEndOfMessage(envelope(raw), session);
    assert.equal(verdict.kind, 'accept');
    const id = idOf(verdict);
    assert.deepEqual(
      'headers' in verdict && verdict.headers?.map((h) => [h.op, h.name, h.value]),
      [
        ['add', 'X-Outguard-Id', id],
        ['add', 'X-Outguard-Verdict', 'accept; rule=default'],
      ],
    );
    const record = await store.getMessage(id);
    assert.equal(record?.state, 'accepted');
    assert.equal(record?.queueId, '4bX9z1kQmFzJ7');
    assert.equal(record?.clientAddress, '10.1.2.3');
    assert.equal(record?.subject, '회의 안내');
    assert.equal(await store.getRawCopy(id), null, 'no copy is kept of delivered mail');
  });

  it('should quarantine mail with a resident number, keep an encrypted copy and a masked record', async () => {
    const raw = buildMail({ subject: `주민번호 ${RRN}`, text: `주민등록번호 ${RRN}` });
    const verdict = await handler().onEndOfMessage(envelope(raw), session);
    assert.equal(verdict.kind, 'quarantine');
    const id = idOf(verdict);
    assert.equal(verdict.kind === 'quarantine' && verdict.reason, `outguard hold rule=personal-data-hold id=${id}`);
    const record = (await store.getMessage(id))!;
    assert.equal(record.state, 'held');
    assert.equal(record.subject, '주민번호 900101-1******');
    assert.deepEqual(record.findings.map((f) => [f.type, f.masked, f.location]), [
      ['rrn', '900101-1******', 'subject'],
      ['rrn', '900101-1******', 'body'],
    ]);
    assert.deepEqual(await store.getRawCopy(id), raw);
    assert.ok(!JSON.stringify(record).includes('1234568'));
  });

  it('should hold a message cut at the size limit, whatever it contains', async () => {
    const raw = buildMail({ subject: 'big', text: 'harmless start' });
    const verdict = await handler().onEndOfMessage(envelope(raw, { truncated: true }), session);
    assert.equal(verdict.kind, 'quarantine');
    assert.equal((await store.getMessage(idOf(verdict)))?.ruleId, 'uninspectable-hold');
  });

  it('should reject with a 550 naming the rule when the policy blocks', async () => {
    const blocking = parsePolicy(`
version: 1
rules:
  - id: no-cards
    when: { findings: { types: [credit_card] } }
    action: block
    reply: { en: Card numbers may not leave the company, ko: 카드번호는 외부로 보낼 수 없습니다 }
`);
    const raw = buildMail({ subject: 'card', text: '카드 4111-1111-1111-1111' });
    const verdict = await handler({ policy: () => blocking }).onEndOfMessage(envelope(raw), session);
    assert.equal(verdict.kind, 'reject');
    assert.ok(verdict.kind === 'reject' && verdict.reply);
    assert.equal(verdict.reply.code, 550);
    assert.equal(verdict.reply.enhanced, '5.7.1');
    assert.match(verdict.reply.text, /^Card numbers may not leave the company \(rule no-cards, ref [0-9A-Z]{26}\)$/);
  });

  it('should use the detection in force for each message, as a reload swaps it', async () => {
    const watchful = parsePolicy(`
version: 1
rules:
  - id: confidential-monitor
    when: { findings: { types: [keyword], labels: [confidential] } }
    action: monitor
`);
    let detection = defaultDetection;
    const swappable = handler({ policy: () => watchful, detection: () => detection });
    const raw = buildMail({ subject: '[대외비] 3분기 실적', text: '사내 공유용 자료입니다.' });

    const before = await swappable.onEndOfMessage(envelope(raw), session);
    assert.equal((await store.getMessage(idOf(before)))?.state, 'accepted');

    detection = createDetection({ dictionaries: [{ name: 'confidential', words: ['대외비', '기밀'] }] });
    const after = await swappable.onEndOfMessage(envelope(raw), session);
    const record = (await store.getMessage(idOf(after)))!;
    assert.equal(record.state, 'monitored');
    assert.equal(record.ruleId, 'confidential-monitor');
    assert.deepEqual(record.findings.map((f) => [f.type, f.label, f.masked, f.location]), [
      ['keyword', 'confidential', '대외비', 'subject'],
    ]);
  });

  describe('when it cannot decide', () => {
    const failing: MilterHandlerDeps['inspect'] = async () => {
      throw new Error('extractor crashed');
    };
    const stalling: MilterHandlerDeps['inspect'] = () => new Promise(() => {});
    const raw = buildMail({ subject: 'x', text: `주민번호 ${RRN}` });

    it('should tempfail, never accept, when inspection throws', async () => {
      const verdict = await handler({ inspect: failing }).onEndOfMessage(envelope(raw), session);
      assert.equal(verdict.kind, 'tempfail');
      assert.ok(verdict.kind === 'tempfail' && verdict.reply);
      assert.equal(verdict.reply.code, 451);
      assert.equal(verdict.reply.enhanced, '4.7.1');
    });

    it('should tempfail when the scan exceeds its time budget', async () => {
      const verdict = await handler({
        inspect: stalling,
        settings: { scanTimeoutMs: 50, onError: 'tempfail' },
      }).onEndOfMessage(envelope(raw), session);
      assert.equal(verdict.kind, 'tempfail');
    });

    it('should hold and keep the copy when configured to quarantine on error', async () => {
      const verdict = await handler({
        inspect: failing,
        settings: { scanTimeoutMs: 5000, onError: 'quarantine' },
      }).onEndOfMessage(envelope(raw), session);
      assert.equal(verdict.kind, 'quarantine');
      const id = /id=([0-9A-Z]{26})/.exec(verdict.kind === 'quarantine' ? verdict.reason : '')![1]!;
      const record = await store.getMessage(id);
      assert.equal(record?.state, 'held');
      assert.equal(record?.action, 'hold');
      assert.equal(record?.subject, '', 'an unmasked subject is not kept');
      assert.deepEqual(await store.getRawCopy(id), raw);
    });

    it('should keep a spooled message\'s copy from its file, and refuse an oversized one before reading it', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'og-spool-'));
      const file = path.join(dir, 'm.eml');
      writeFileSync(file, raw);
      const verdict = await handler({ inspect: failing, settings: { scanTimeoutMs: 5000, onError: 'quarantine' } })
        .onEndOfMessage(envelope({ file, size: raw.length }), session);
      const id = /id=([0-9A-Z]{26})/.exec(verdict.kind === 'quarantine' ? verdict.reason : '')![1]!;
      assert.deepEqual(await store.getRawCopy(id), raw);
      // The size the session counted decides; a file this large is never read into memory.
      const huge = envelope({ file: path.join(dir, 'not-there.eml'), size: MAX_RAW_COPY_BYTES + 1 });
      const logged = logText.length;
      const refused = await handler({ inspect: failing, settings: { scanTimeoutMs: 5000, onError: 'quarantine' } }).onEndOfMessage(huge, session);
      assert.equal(refused.kind, 'quarantine', 'Postfix still holds it; the store says why it has no copy');
      assert.match(logText.slice(logged), /"err":"StoreError: raw copy of \w+ is over 536870912 bytes","level":"error","message":"cannot record held message"/);
      assert.doesNotMatch(logText.slice(logged), /ENOENT/);
      rmSync(dir, { recursive: true, force: true });
    });

    it('should correct its record, not add a second one, when the held copy cannot be saved', async () => {
      const noCopies = new Proxy(store, {
        get(target, prop) {
          if (prop === 'saveRawCopy') return async () => { throw new Error('disk full'); };
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const before = (await store.listMessages({ limit: 1000 })).length;
      const verdict = await handler({ store: noCopies }).onEndOfMessage(envelope(raw), session);
      assert.equal(verdict.kind, 'tempfail');
      const all = await store.listMessages({ limit: 1000 });
      assert.equal(all.length, before + 1, 'one record for one message');
      assert.equal(all[0]?.state, 'tempfailed');
      assert.deepEqual((await store.events(all[0]!.id)).map((e) => e.to), ['held', 'tempfailed']);
    });

    it('should tempfail when the store cannot record the decision', async () => {
      const broken = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'og-broken-')) });
      await broken.close();
      const verdict = await handler({ store: broken }).onEndOfMessage(envelope(buildMail({ text: 'clean' })), session);
      assert.equal(verdict.kind, 'tempfail');
    });
  });

  it('should log one verdict line per message with the queue id and no clear value', () => {
    const lines = logText.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const verdicts = lines.filter((l) => l.message === 'verdict');
    assert.ok(verdicts.length >= 4);
    for (const line of lines) assert.equal(line.qid, '4bX9z1kQmFzJ7');
    const held = verdicts.find((l) => l.action === 'hold' && l.rule === 'personal-data-hold');
    assert.deepEqual(held?.counts, { rrn: 2 });
    assert.ok(!logText.includes('1234568'));
    assert.ok(lines.some((l) => l.level === 'error' && l.message === 'inspection failed'));
  });
});
