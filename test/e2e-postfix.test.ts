/**
 * End to end through a real Postfix from Debian: Outguard runs as `outguard start`, Postfix calls
 * it as a milter and relays to a local sink, and the CLI releases and discards held mail.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { postfixSkipReason, startTestPostfix, type TestPostfix } from './support/postfix.js';
import { messageBody, toWireMessage } from './support/smtp.js';
import { runOutguard, startOutguard, type OutguardDaemon } from './support/outguard-process.js';
import { openStore } from '../store/index.js';

const SENDER = 'hong@corp.example';
const RRN = '900101-1234568';
const DELIVERY_WAIT_MS = 20_000;

let serial = 0;
/** A mail as a Korean mail client writes it: EUC-KR body in base64, encoded-word subject. */
function koreanMail(subject: string, body: string, charset = 'euc-kr'): Buffer {
  serial++;
  return Buffer.from(
    [
      `From: =?UTF-8?B?${Buffer.from('홍길동').toString('base64')}?= <${SENDER}>`,
      'To: partner@outside.example',
      `Subject: =?${charset.toUpperCase()}?B?${iconv.encode(subject, charset).toString('base64')}?=`,
      `Message-ID: <e2e-${serial}-${process.pid}@corp.example>`,
      'Date: Thu, 03 Dec 2026 10:00:00 +0900',
      'MIME-Version: 1.0',
      `Content-Type: text/plain; charset=${charset}`,
      'Content-Transfer-Encoding: base64',
      '',
      iconv.encode(body, charset).toString('base64').replace(/.{76}/g, '$&\r\n'),
      '',
    ].join('\r\n'),
    'latin1',
  );
}

function header(raw: Buffer, name: string): string | undefined {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(head);
  return match?.[1];
}

interface HeldSummary {
  id: string;
  queueId: string;
  subject: string;
  rule: string;
  findings: Array<{ type: string; masked: string }>;
}

describe('Outguard attached to a real Postfix', { skip: postfixSkipReason() ?? false }, () => {
  let postfix: TestPostfix;
  let outguard: OutguardDaemon;

  before(async () => {
    outguard = await startOutguard();
    postfix = await startTestPostfix({ milter: `inet:127.0.0.1:${outguard.milterPort}`, defaultAction: 'tempfail' });
    outguard.env.OUTGUARD_POSTFIX_CONFIG_DIR = postfix.configDir;
  });
  after(async () => {
    await outguard?.stop();
    await postfix?.stop();
  });

  const held = async (): Promise<HeldSummary[]> => {
    const result = await runOutguard(['held', '--json'], { env: outguard.env });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as HeldSummary[];
  };

  it('(a) should deliver a clean mail with the X-Outguard headers', async () => {
    const raw = koreanMail('주간 회의 안내', '내일 오전 10시에 3층 회의실에서 뵙겠습니다.');
    const sent = await postfix.sendMail(raw, { from: SENDER, to: ['partner@outside.example'] });
    assert.equal(sent.code, 250, sent.text);
    const [delivered] = await postfix.waitForDelivered(1, DELIVERY_WAIT_MS);
    assert.ok(delivered);
    assert.match(header(delivered.raw, 'X-Outguard-Verdict') ?? '', /^accept; rule=default$/);
    assert.match(header(delivered.raw, 'X-Outguard-Id') ?? '', /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.deepEqual(messageBody(delivered.raw), messageBody(toWireMessage(raw)));
  });

  it('(b) should hold a mail carrying a resident number until `outguard release`', async () => {
    const before = (await postfix.delivered()).length;
    const raw = koreanMail('급여 자료', `안녕하세요.\r\n주민등록번호: ${RRN}\r\n확인 부탁드립니다.`);
    const sent = await postfix.sendMail(raw, { from: SENDER, to: ['partner@outside.example'] });
    assert.equal(sent.code, 250, sent.text);
    const queueId = sent.queueId!;
    const queue = await postfix.waitForQueue((q) => q.some((e) => e.queue_id === queueId && e.queue_name === 'hold'), DELIVERY_WAIT_MS);
    assert.ok(queue.find((e) => e.queue_id === queueId));
    assert.equal((await postfix.delivered()).length, before, 'a held mail must not reach the sink');

    const list = await held();
    const record = list.find((h) => h.queueId === queueId);
    assert.ok(record, 'outguard held lists the message by its queue id');
    assert.equal(record.rule, 'personal-data-hold');
    assert.deepEqual(record.findings.map((f) => [f.type, f.masked]), [['rrn', '900101-1******']]);
    assert.equal(record.subject, '급여 자료');
    assert.match(await postfix.maillog(), new RegExp(`${queueId}: milter-hold: END-OF-MESSAGE`));

    const released = await runOutguard(['release', queueId], { env: outguard.env });
    assert.equal(released.code, 0, released.stderr);
    assert.match(released.stdout, /released/);
    const delivered = await postfix.waitForDelivered(before + 1, DELIVERY_WAIT_MS);
    const mail = delivered.find((d) => header(d.raw, 'X-Outguard-Id') === record.id);
    assert.ok(mail, 'the released mail reaches the sink');
    assert.deepEqual(messageBody(mail.raw), messageBody(toWireMessage(raw)), 'body byte-identical');
    assert.equal(header(mail.raw, 'X-Outguard-Verdict'), 'hold; rule=personal-data-hold');
    assert.equal((await held()).some((h) => h.id === record.id), false);

    const again = await runOutguard(['release', record.id], { env: outguard.env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is released, not held/);
  });

  it('(c) should delete a held mail with `outguard discard`', async () => {
    const raw = koreanMail('카드 정보', '법인카드 번호 4111-1111-1111-1111 입니다.', 'cp949');
    const sent = await postfix.sendMail(raw, { from: SENDER, to: ['partner@outside.example', 'second@outside.example'] });
    const queueId = sent.queueId!;
    await postfix.waitForQueue((q) => q.some((e) => e.queue_id === queueId && e.queue_name === 'hold'), DELIVERY_WAIT_MS);
    const record = (await held()).find((h) => h.queueId === queueId)!;
    assert.deepEqual(record.findings.map((f) => f.masked), ['4111-11**-****-1111']);

    const result = await runOutguard(['discard', record.id, '--reason', '외부 발송 금지'], { env: outguard.env });
    assert.equal(result.code, 0, result.stderr);
    const queue = await postfix.queue();
    assert.equal(queue.some((e) => e.queue_id === queueId), false, 'gone from the queue');
    assert.equal((await postfix.delivered()).some((d) => header(d.raw, 'X-Outguard-Id') === record.id), false);
  });

  it('should refuse to release a held mail whose queue file changed hands', async () => {
    const raw = koreanMail('명단', `주민번호 ${RRN}`);
    const sent = await postfix.sendMail(raw, { from: SENDER, to: ['partner@outside.example'] });
    const queueId = sent.queueId!;
    await postfix.waitForQueue((q) => q.some((e) => e.queue_id === queueId && e.queue_name === 'hold'), DELIVERY_WAIT_MS);
    const record = (await held()).find((h) => h.queueId === queueId)!;
    // Someone deletes it by hand; our record still says held.
    const { deleteMessage } = await import('../mta/index.js');
    assert.equal((await deleteMessage(queueId, postfix.tools)).outcome, 'deleted');
    const result = await runOutguard(['release', record.id], { env: outguard.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not in the queue; nothing was changed/);
    assert.ok((await held()).some((h) => h.id === record.id), 'the record is left as it was');
  });

  it('should inspect a 3 MB mail from its spool file, hold it with an exact copy, and leave the spool empty', async () => {
    const rows = Array.from({ length: 120_000 }, (_, i) => `고객${i},010-${String(1000 + (i % 9000))}-5678`).join('\r\n');
    const raw = koreanMail('고객 명단 전달', `요청하신 명단입니다.\r\n${rows}\r\n주민등록번호: ${RRN}\r\n`);
    assert.ok(raw.length > 2 * 1024 * 1024, 'over the 1 MiB spool threshold');
    const sent = await postfix.sendMail(raw, { from: SENDER, to: ['partner@outside.example'] });
    assert.equal(sent.code, 250, sent.text);
    const queueId = sent.queueId!;
    await postfix.waitForQueue((q) => q.some((e) => e.queue_id === queueId && e.queue_name === 'hold'), DELIVERY_WAIT_MS);
    const record = (await held()).find((h) => h.queueId === queueId);
    assert.ok(record);
    assert.ok(record.findings.some((f) => f.type === 'rrn'));
    const store = await openStore({ dataDir: outguard.dataDir });
    try {
      const copy = await store.getRawCopy(record.id);
      assert.ok(copy, 'the held mail has its copy');
      assert.deepEqual(messageBody(copy), messageBody(toWireMessage(raw)), 'read whole from the spool file');
    } finally {
      await store.close();
    }
    const verdict = outguard.logLines().find((l) => l.message === 'verdict' && l.qid === queueId);
    assert.equal(verdict?.spooled, true, 'inspected from the spool, not from memory');
    const left = (readdirSync(path.join(outguard.dataDir, 'spool'), { recursive: true }) as string[]).filter((n) => n.endsWith('.eml'));
    assert.deepEqual(left, [], 'the spool file went with the verdict');
    const result = await runOutguard(['discard', record.id], { env: outguard.env });
    assert.equal(result.code, 0, result.stderr);
  });

  it('(e) should decide each of two messages on one SMTP connection', async () => {
    const before = (await postfix.delivered()).length;
    const clean = koreanMail('첫 번째', '개인정보 없는 메일입니다.');
    const dirty = koreanMail('두 번째', `고객 주민등록번호 ${RRN}`);
    const results = await postfix.sendMany([
      { raw: clean, from: SENDER, to: ['partner@outside.example'] },
      { raw: dirty, from: SENDER, to: ['partner@outside.example'] },
    ]);
    assert.deepEqual(results.map((r) => r.code), [250, 250]);
    const heldId = results[1]!.queueId!;
    await postfix.waitForQueue((q) => q.some((e) => e.queue_id === heldId && e.queue_name === 'hold'), DELIVERY_WAIT_MS);
    const delivered = await postfix.waitForDelivered(before + 1, DELIVERY_WAIT_MS);
    assert.ok(delivered.some((d) => header(d.raw, 'Message-ID') === header(toWireMessage(clean), 'Message-ID')));
    assert.equal(delivered.some((d) => header(d.raw, 'Message-ID') === header(toWireMessage(dirty), 'Message-ID')), false);
  });

  it('should log one verdict line per message, with the queue id and no clear value', () => {
    const verdicts = outguard.logLines().filter((l) => l.message === 'verdict');
    assert.ok(verdicts.length >= 5);
    for (const line of verdicts) assert.match(String(line.qid), /^[0-9A-Za-z]{10,}$/);
    const all = JSON.stringify(outguard.logLines());
    assert.ok(!all.includes('1234568'), 'no resident number in the logs');
    assert.ok(!all.includes('4111-1111-1111-1111'), 'no card number in the logs');
  });

  it('should have `outguard doctor` read this Postfix and flag what is not fail-closed', async () => {
    const result = await runOutguard(['doctor', '--json'], { env: outguard.env });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { status: string; checks: Array<{ id: string; status: string; fix?: string }> };
    const check = (id: string) => report.checks.find((c) => c.id === id);
    assert.equal(check('smtpd_milters')?.status, 'ok');
    assert.equal(check('enable_long_queue_ids')?.status, 'ok');
    // This Postfix runs with milter_default_action = tempfail: safe, but quarantine is advised.
    assert.equal(check('milter_default_action')?.status, 'warn');
    assert.match(check('milter_default_action')?.fix ?? '', /postconf -c \S+ -e .?milter_default_action = quarantine/);
  });

  it('(d) should deliver nothing while the milter is down', async () => {
    const before = (await postfix.delivered()).length;
    await outguard.stop();
    // tempfail: the client is told to retry later.
    const refused = await postfix.sendMail(koreanMail('다운 중', '본문'), { from: SENDER, to: ['partner@outside.example'] });
    assert.equal(Math.floor(refused.code / 100), 4, `expected 4xx, got ${refused.code} ${refused.text}`);
    // quarantine: the mail is accepted and held.
    await postfix.reconfigure({ milter_default_action: 'quarantine' });
    const kept = await postfix.sendMail(koreanMail('다운 중 2', '본문'), { from: SENDER, to: ['partner@outside.example'] });
    assert.equal(kept.code, 250, kept.text);
    await postfix.waitForQueue((q) => q.some((e) => e.queue_id === kept.queueId && e.queue_name === 'hold'), DELIVERY_WAIT_MS);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await postfix.delivered()).length, before, 'nothing delivered unchecked');
  });
});
