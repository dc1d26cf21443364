/**
 * Release and discard of held messages against a scripted Postfix: the paths a real Postfix
 * cannot be made to take on demand (tools hanging, a queue file that changed hands, a race).
 * The happy paths run through a real Postfix in e2e-postfix.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { discardHeld, releaseHeld, type HeldActionDeps } from '../approvals/held.js';
import { nullLogger } from '../log/logger.js';
import { newMessageId, openStore, type NewMessageRecord, type Store } from '../store/index.js';
import { fakeTools, type FakeTools } from './support/fake-postfix.js';

const QUEUE_ID = '4jgGPV6tKKzJ9Hd';

function record(id: string, overrides: Partial<NewMessageRecord> = {}): NewMessageRecord {
  return {
    id,
    queueId: QUEUE_ID,
    clientAddress: '10.0.0.5',
    clientName: 'pc.corp.example',
    helo: 'pc.corp.example',
    sender: 'hong@corp.example',
    recipients: ['Partner@outside.example', 'partner@outside.example'],
    messageId: 'no-brackets@corp.example',
    subject: '급여 자료',
    size: 1200,
    attachmentNames: [],
    action: 'hold',
    ruleId: 'personal-data-hold',
    reason: 'rrn x1',
    state: 'held',
    findings: [{ type: 'rrn', masked: '900101-1******', location: 'body', confidence: 'high', start: 0, end: 14 }],
    problems: [],
    receivedAt: new Date(),
    ...overrides,
  };
}

function queueLine(sender: string): string {
  return JSON.stringify({
    queue_name: 'hold',
    queue_id: QUEUE_ID,
    arrival_time: 1796306174,
    message_size: 1200,
    forced_expire: false,
    sender,
    // Postfix folded the two recipients that differ only in case into one.
    recipients: [{ address: 'partner@outside.example' }],
  });
}

describe('releasing and discarding held messages', () => {
  let store: Store;
  let fake: FakeTools;
  let deps: HeldActionDeps;
  const opened: Store[] = [];

  beforeEach(async () => {
    store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'og-approvals-')), logger: nullLogger() });
    opened.push(store);
    fake = await fakeTools();
    deps = { store, postfix: { ...fake.options, timeoutMs: 1000 }, logger: nullLogger() };
  });
  after(async () => {
    for (const s of opened) await s.close();
  });

  const held = async (overrides: Partial<NewMessageRecord> = {}) => {
    const id = newMessageId();
    await store.recordMessage(record(id, overrides));
    return id;
  };
  const queueShows = async (id: string, sender = 'hong@corp.example') => {
    await fake.script('postqueue', { stdout: queueLine(sender) + '\n' });
    await fake.script('postcat', { stdout: `*** HEADER EXTRACTED ${QUEUE_ID} ***\nSubject: x\nX-Outguard-Id: ${id}\n` });
  };

  it('should put the record back to held when the Postfix tools hang', async () => {
    const id = await held();
    await queueShows(id);
    await fake.script('postsuper', { sleepSeconds: 5 });
    const result = await releaseHeld(deps, id, { actor: 'cli:root' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure, 'postfix-failed');
    assert.equal((await store.getMessage(id))?.state, 'held');
    const events = await store.events(id);
    assert.deepEqual(events.map((e) => [e.from, e.to, e.actor]).slice(1), [
      ['held', 'released', 'cli:root'],
      ['released', 'held', 'outguard'],
    ]);
  });

  it('should refuse a queue file that lacks our id header and change nothing', async () => {
    const id = await held();
    await queueShows(newMessageId());
    const result = await discardHeld(deps, id, { actor: 'cli:root' });
    assert.equal(!result.ok && result.failure, 'queue-mismatch');
    assert.equal((await store.getMessage(id))?.state, 'held');
    assert.ok(!(await fake.calls()).some((c) => c.startsWith('postsuper')), 'postsuper never ran');
  });

  it('should refuse when the queue file is gone', async () => {
    const id = await held();
    await fake.script('postqueue', { stdout: '' });
    const result = await releaseHeld(deps, id, { actor: 'cli:root' });
    assert.equal(!result.ok && result.failure, 'queue-gone');
    assert.match(!result.ok ? result.detail : '', /not in the queue; nothing was changed/);
  });

  it('should close the record on discard when the queue file is already gone, saying so', async () => {
    const id = await held();
    await fake.script('postqueue', { stdout: '' });
    const result = await discardHeld(deps, id.toLowerCase(), { actor: 'cli:root' });
    assert.equal(result.ok, true);
    assert.match(result.ok ? result.detail : '', /already gone from the Postfix queue/);
    assert.equal((await store.getMessage(id))?.state, 'discarded');
    assert.match((await store.events(id)).at(-1)?.reason ?? '', /released or deleted outside Outguard/);
    assert.ok(!(await fake.calls()).some((c) => c.startsWith('postsuper')), 'postsuper never ran');
  });

  it('should report an unreadable queue as a Postfix failure, not a crash', async () => {
    const id = await held();
    await fake.script('postqueue', { stderr: 'postqueue: fatal: open /nope/main.cf: No such file or directory\n', exit: 1 });
    const result = await releaseHeld(deps, id, { actor: 'cli:root' });
    assert.equal(!result.ok && result.failure, 'postfix-failed');
    assert.match(!result.ok ? result.detail : '', /^cannot read the Postfix queue: /);
    assert.equal((await store.getMessage(id))?.state, 'held');
  });

  it('should match a null-sender message (MAILER-DAEMON in the queue) and deduplicated recipients', async () => {
    const id = await held({ sender: '' });
    await queueShows(id, 'MAILER-DAEMON');
    // postsuper says it released, but the queue still shows hold: judged from the queue.
    await fake.script('postsuper', { stderr: 'postsuper: Released from hold: 1 message\n' });
    const result = await releaseHeld(deps, id, { actor: 'cli:root' });
    assert.equal(!result.ok && result.failure, 'postfix-failed', 'verification passed; Postfix judged');
    assert.ok((await fake.calls()).some((c) => c === `postsuper -c /etc/postfix-out -H ${QUEUE_ID}`));
  });

  it('should let exactly one of two racing decisions act', async () => {
    const id = await held();
    await queueShows(id);
    await fake.script('postsuper', { stderr: 'postsuper: Deleted: 1 message\n' });
    const results = await Promise.all([
      discardHeld(deps, id, { actor: 'approver-a' }),
      discardHeld(deps, id, { actor: 'approver-b' }),
    ]);
    const lost = results.filter((r) => !r.ok && r.failure === 'lost-race');
    assert.equal(lost.length, 1, JSON.stringify(results));
    assert.equal((await fake.calls()).filter((c) => c.startsWith('postsuper')).length, 1);
  });

  it('should refuse unknown ids and records that are not held', async () => {
    const unknown = await releaseHeld(deps, 'nope', { actor: 'cli:root' });
    assert.equal(!unknown.ok && unknown.failure, 'unknown-message');
    const id = await held({ state: 'accepted', action: 'accept' });
    const notHeld = await releaseHeld(deps, id, { actor: 'cli:root' });
    assert.equal(!notHeld.ok && notHeld.failure, 'not-held');
  });
});
