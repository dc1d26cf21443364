/**
 * The scan pool (engine/scan-pool.ts): mail scanned in child processes that may crash, hang or
 * bloat without taking the daemon with them.
 *
 * Children that misbehave on purpose load test/support/pool-test-extractors.ts, through the
 * pool's test-only option (NODE_ENV=test). Every pool is closed, and the last tests check that
 * no child outlives its pool, nor a daemon killed outright.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../content/index.js';
import { defaultDetection } from '../detectors/index.js';
import { inspectMessage } from '../engine/inspect.js';
import { createMilterHandler } from '../engine/milter-handler.js';
import {
  childExecArgv,
  ScanFailed,
  ScanPool,
  ScanRefused,
  ScanTimeout,
  ScanWorkerDied,
} from '../engine/scan-pool.js';
import { SCAN_TMPDIR_ENV } from '../engine/scan-protocol.js';
import type { RawMessage } from '../milter/spool.js';
import { inProcessScanner, type ScanRequest, type ScanResult } from '../engine/scanner.js';
import { createLogger } from '../log/logger.js';
import type { MessageEnvelope } from '../milter/types.js';
import { loadPolicyFile } from '../policies/load.js';
import { openStore, type Store } from '../store/index.js';
import { attachmentPart, buildMail } from './support/mail-builder.js';
import { MilterClient, sendMessage } from './support/milter-client.js';
import { greet } from './support/milter-harness.js';
import { startOutguard } from './support/outguard-process.js';

process.env.NODE_ENV = 'test';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MISBEHAVING = path.join(HERE, 'support', 'pool-test-extractors.ts');
const RRN = '900101-1234568';

function request(raw: RawMessage, label = 'TESTQID01'): ScanRequest {
  return { raw, limits: DEFAULT_LIMITS, detection: defaultDetection, label };
}

/** A mail whose PDF attachment tells the misbehaving extractor what to do. */
function pdfMail(behaviour: string): Buffer {
  return buildMail({
    subject: '보고서',
    text: '첨부합니다.',
    attachments: [attachmentPart('보고서.pdf', Buffer.from(`%PDF-1.4\n${behaviour}`), { contentType: 'application/pdf' })],
  });
}

/** The misbehaving extractor's page made it back: the message was read to the end. */
function pdfRead(result: ScanResult): boolean {
  return result.extracted.segments.some((s) => s.location === 'attachment:보고서.pdf#page=1');
}

const clean = buildMail({ subject: '회의 안내', text: `참석자 명단 확인 바랍니다. 주민등록번호: ${RRN}` });

function envelope(raw: Buffer, queueId: string): MessageEnvelope {
  return {
    connect: null,
    helo: 'client.corp.example',
    sender: 'hong@corp.example',
    senderArgs: [],
    recipients: ['partner@outside.example'],
    headers: [],
    macros: { i: queueId },
    queueId,
    raw,
    truncated: false,
  };
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function waitUntil(what: string, test: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

/** Process ids of `pid`'s children. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** The temporary folder the pool gave a child, from the environment it started with (Linux /proc). */
function tempDirOf(pid: number): string {
  const name = `${SCAN_TMPDIR_ENV}=`;
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return (env.find((v) => v.startsWith(name)) ?? '').slice(name.length);
}

/**
 * Waits until child `pid` runs its helper and has written into its temporary folder: the
 * extractor writes where os.tmpdir() points, so this also shows the folder is its TMPDIR.
 */
async function helperOf(pid: number): Promise<{ helper: number; dir: string }> {
  const dir = tempDirOf(pid);
  let helper = 0;
  await waitUntil('the helper runs and the folder is written', () => {
    helper = childrenOf(pid)[0] ?? 0;
    return helper > 0 && existsSync(dir) && readdirSync(dir).length > 0;
  });
  return { helper, dir };
}

const onLinux = process.platform === 'linux';

function capturedLogger() {
  let text = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { logger: createLogger({ stream, level: 'debug' }), lines: () => text };
}

describe('the scan pool', () => {
  describe('when children behave', () => {
    const pool = new ScanPool({ size: 2, timeoutMs: 30_000 });
    after(() => pool.close());

    it('should give the same result as scanning in this process', async () => {
      const raw = buildMail({
        subject: `명단 ${RRN}`,
        text: `주민등록번호: ${RRN}`,
        attachments: [attachmentPart(`${RRN}.csv`, `이름,주민번호\n홍길동,${RRN}\n`, { contentType: 'text/csv' })],
      });
      const [pooled, local] = await Promise.all([pool.scan(request(raw)), inProcessScanner.scan(request(raw))]);
      assert.deepEqual(pooled, local);
      assert.equal(pooled.segmentFindings.flat().filter((f) => f.type === 'rrn').length, 3);
      assert.deepEqual(pooled.nameFindings.map(([name, found]) => [name, found.map((f) => f.masked)]), [
        [`${RRN}.csv`, ['900101-1******']],
        [`attachment:${RRN}.csv`, ['900101-1******']],
      ]);
    });

    it('should hand a large message over as a file in the child\'s folder, and remove it once read', { skip: !onLinux && 'reads /proc' }, async () => {
      const rows = Array.from({ length: 20_000 }, (_, i) => `고객${i},010-${String(1000 + (i % 9000))}-5678,${RRN}`).join('\n');
      const raw = buildMail({ subject: '고객 명단', text: '첨부 확인 바랍니다', attachments: [attachmentPart('명단.csv', rows, { contentType: 'text/csv' })] });
      assert.ok(raw.length > 1024 * 1024);
      await pool.scan(request(buildMail({ subject: 'warm', text: '준비' }))); // both children up
      const dirs = childrenOf(process.pid)
        .map((pid) => (existsSync(`/proc/${pid}/environ`) ? tempDirOf(pid) : '')) // `ps` itself is gone
        .filter((d) => d !== '');
      assert.ok(dirs.length >= 1, 'the children and their folders are found');
      const seen: string[] = [];
      const watchers = dirs.map((dir) => watch(dir, (_event, name) => { if (name) seen.push(String(name)); }));
      try {
        const [pooled, local] = await Promise.all([pool.scan(request(raw)), inProcessScanner.scan(request(raw))]);
        assert.deepEqual(pooled, local);
        assert.equal(pooled.segmentFindings.flat().filter((f) => f.type === 'rrn').length, 1000, 'capped per kind');
      } finally {
        for (const watcher of watchers) watcher.close();
      }
      assert.ok(seen.some((name) => /^message-\d+\.eml$/.test(name)), `files seen: ${seen.join(', ')}`);
      for (const dir of dirs) assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.eml')), [], dir);
    });

    it('should scan a message spooled by the milter from its file, and leave the file to the session', async () => {
      const raw = buildMail({ subject: '급여 대장', text: `주민등록번호: ${RRN}`, attachments: [attachmentPart('대장.txt', `홍길동 ${RRN}\n`.repeat(30_000), { contentType: 'text/plain' })] });
      const dir = mkdtempSync(path.join(tmpdir(), 'og-spool-'));
      const file = path.join(dir, 'message.eml');
      writeFileSync(file, raw, { mode: 0o600 });
      const [pooled, local] = await Promise.all([
        pool.scan(request({ file, size: raw.length })),
        inProcessScanner.scan(request(raw)),
      ]);
      assert.deepEqual(pooled, local);
      assert.ok(pooled.segmentFindings.flat().some((f) => f.type === 'rrn'));
      assert.ok(existsSync(file), 'the spool file belongs to the milter session');
      await assert.rejects(pool.scan(request({ file: path.join(dir, 'gone.eml'), size: 1 })), /ENOENT|no such file/);
      rmSync(dir, { recursive: true, force: true });
    });

    it('should serve the inspection pipeline and the policy unchanged', async () => {
      const inspection = await inspectMessage(clean, { policy: loadPolicyFile(), scanner: pool });
      assert.equal(inspection.decision.action, 'hold');
      assert.equal(inspection.decision.ruleId, 'personal-data-hold');
      assert.deepEqual(inspection.findings.map((f) => [f.type, f.location]), [['rrn', 'body']]);
    });

    it('should send a new detector set to every child, and use it from the next message', async () => {
      const raw = buildMail({ subject: '[대외비] 인사 발령', text: '내부 검토용' });
      const before = await pool.scan(request(raw));
      assert.equal(before.segmentFindings.flat().length, 0);
      const generation = pool.setDetection({ dictionaries: [{ name: 'confidential', words: ['대외비'] }] });
      assert.ok(generation > 1);
      const results = await Promise.all([pool.scan(request(raw)), pool.scan(request(raw))]);
      for (const result of results) {
        assert.deepEqual(result.segmentFindings.flat().map((f) => [f.type, f.label]), [['keyword', 'confidential']]);
      }
      pool.setDetection({});
    });
  });

  describe('when a child crashes or hangs', () => {
    const { logger, lines } = capturedLogger();
    const pool = new ScanPool({ size: 1, timeoutMs: 2_000, logger, testExtractorsModule: MISBEHAVING });
    after(() => pool.close());

    for (const behaviour of ['CRASH', 'EXIT']) {
      it(`should fail that message, log its queue id, and serve the next (${behaviour})`, async () => {
        await pool.scan(request(clean));
        const [pid] = pool.pids();
        await assert.rejects(pool.scan(request(pdfMail(behaviour), 'CRASHQID7')), ScanWorkerDied);
        assert.ok(gone(pid!), 'the crashed child is gone');
        const next = await pool.scan(request(clean));
        assert.equal(next.segmentFindings.flat()[0]?.type, 'rrn');
        assert.ok(!pool.pids().includes(pid!));
        const died = lines().split('\n').find((l) => l.includes('scan worker died during a scan')) ?? '';
        assert.match(died, /"qid":"CRASHQID7"/);
        assert.match(died, /"level":"error"/);
      });
    }

    it('should kill a child that hangs at the timeout, and serve the next message', async () => {
      await pool.scan(request(clean));
      const [pid] = pool.pids();
      const started = Date.now();
      await assert.rejects(pool.scan(request(pdfMail('HANG'), 'HANGQID42')), ScanTimeout);
      const waited = Date.now() - started;
      assert.ok(waited >= 1_900 && waited < 5_000, `rejected after ${waited} ms`);
      await waitUntil('the hung child is gone', () => gone(pid!));
      const next = await pool.scan(request(clean));
      assert.equal(next.segmentFindings.flat()[0]?.type, 'rrn');
      assert.match(lines(), /scan timed out, killing its worker.*HANGQID42|HANGQID42.*scan timed out, killing its worker/);
    });

    it('should answer the milter fail-closed for the crashing mail and accept the next', async () => {
      const store: Store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'og-pool-')) });
      try {
        const policy = loadPolicyFile();
        const handler = createMilterHandler({
          store,
          policy: () => policy,
          scanner: pool,
          logger,
          settings: { scanTimeoutMs: 10_000, onError: 'tempfail' },
        });
        const session = { connectionId: 1, messageNumber: 1 };
        const crashed = await handler.onEndOfMessage(envelope(pdfMail('CRASH'), 'MILTERQ1'), session);
        assert.equal(crashed.kind, 'tempfail');
        const next = await handler.onEndOfMessage(envelope(buildMail({ subject: '안내', text: '회의는 3시입니다.' }), 'MILTERQ2'), session);
        assert.equal(next.kind, 'accept');
      } finally {
        await store.close();
      }
    });
  });

  describe('when a child or its helpers must be stopped', { skip: !onLinux && 'reads /proc' }, () => {
    it('should kill the helpers of a child killed at the timeout and remove its temporary folder', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 3_000, testExtractorsModule: MISBEHAVING });
      try {
        await pool.scan(request(clean));
        const [pid] = pool.pids();
        const scanning = pool.scan(request(pdfMail('HELPER')));
        const { helper, dir } = await helperOf(pid!);
        assert.ok(dir.startsWith(path.join(tmpdir(), 'outguard-scan-')), `TMPDIR is ${dir}`);
        await assert.rejects(scanning, ScanTimeout);
        await waitUntil('the helper is gone', () => gone(helper));
        await waitUntil('the folder is removed', () => !existsSync(dir));
      } finally {
        await pool.close();
      }
    });

    it('should end extraction within the time the message has left, queue wait included', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 2_500, testExtractorsModule: MISBEHAVING });
      try {
        await pool.scan(request(clean));
        const first = pool.scan(request(pdfMail('SLOW')));
        const started = Date.now();
        const result = await pool.scan(request(pdfMail('PAGES')));
        assert.ok(Date.now() - started < 2_500, 'answered before the pool gave up');
        const codes = result.extracted.problems.map((p) => p.code);
        assert.deepEqual(codes, ['limit-exceeded']);
        const pages = result.extracted.segments.filter((s) => s.location.includes('#page='));
        assert.ok(pages.length >= 5 && pages.length < 20, `${pages.length} pages kept`);
        await first;
      } finally {
        await pool.close();
      }
    });

    it('should kill a child whose resident size passes the bound during a scan, and fail its message', async () => {
      const { logger, lines } = capturedLogger();
      const pool = new ScanPool({
        size: 1,
        timeoutMs: 20_000,
        maxJobRssBytes: 300 * 1024 * 1024,
        logger,
        testExtractorsModule: MISBEHAVING,
      });
      try {
        await pool.scan(request(clean));
        const [pid] = pool.pids();
        const started = Date.now();
        await assert.rejects(pool.scan(request(pdfMail('BLOAT'), 'BLOATQID')), (err: unknown) => {
          assert.ok(err instanceof ScanWorkerDied);
          assert.match(err.message, /resident/);
          return true;
        });
        assert.ok(Date.now() - started < 10_000, 'killed long before the timeout');
        await waitUntil('the bloated child is gone', () => gone(pid!));
        assert.match(lines(), /resident size over the bound.*BLOATQID|BLOATQID.*resident size over the bound/);
        assert.equal((await pool.scan(request(clean))).segmentFindings.flat()[0]?.type, 'rrn');
      } finally {
        await pool.close();
      }
    });
  });

  describe('when a child cannot use the current detector set', () => {
    it('should replace it, and never answer with the set it had before', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 10_000 });
      try {
        await pool.scan(request(clean));
        const [pid] = pool.pids();
        // The child cannot compile this pattern (the daemon checks settings before it sends them).
        pool.setDetection({ patterns: [{ name: 'broken', regex: '(' }] });
        await assert.rejects(pool.scan(request(clean)), (err: unknown) => err instanceof ScanWorkerDied || err instanceof ScanFailed);
        await waitUntil('the child is replaced', () => gone(pid!));
        pool.setDetection({});
        assert.equal((await pool.scan(request(clean))).segmentFindings.flat()[0]?.type, 'rrn');
      } finally {
        await pool.close();
      }
    });

    it('should refuse a result scanned with an older detector set than it required', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 10_000, testExtractorsModule: MISBEHAVING });
      try {
        await pool.scan(request(clean));
        await assert.rejects(pool.scan(request(pdfMail('STALE'))), ScanFailed);
      } finally {
        await pool.close();
      }
    });
  });

  describe('when more mail arrives than it can take', () => {
    it('should queue up to its bound and refuse the rest at once', async () => {
      const pool = new ScanPool({ size: 1, maxQueue: 1, timeoutMs: 10_000, testExtractorsModule: MISBEHAVING });
      try {
        await pool.scan(request(clean));
        const first = pool.scan(request(pdfMail('SLOW')));
        const second = pool.scan(request(pdfMail('SLOW')));
        const started = Date.now();
        await assert.rejects(pool.scan(request(clean, 'FULLQID')), ScanRefused);
        assert.ok(Date.now() - started < 100, 'refused without waiting');
        assert.ok(pdfRead(await first));
        assert.ok(pdfRead(await second));
      } finally {
        await pool.close();
      }
    });

    it('should time out a message that waited in the queue too long', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 1_000, testExtractorsModule: MISBEHAVING });
      try {
        await pool.scan(request(clean));
        const hung = pool.scan(request(pdfMail('HANG')));
        const waiting = pool.scan(request(clean));
        await assert.rejects(hung, ScanTimeout);
        await assert.rejects(waiting, /no scan worker free within 1000 ms|scan exceeded/);
        // The replacement's start-up is not the next message's to pay (on a busy machine it took
        // longer than this pool's 1 s timeout).
        await waitUntil('a replacement child ready', () => pool.stats().ready === 1 && pool.stats().busy === 0);
        assert.equal((await pool.scan(request(clean))).segmentFindings.flat()[0]?.type, 'rrn');
      } finally {
        await pool.close();
      }
    });
  });

  describe('when a child has done its share', () => {
    it('should replace it after maxMessagesPerChild messages', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 10_000, maxMessagesPerChild: 2 });
      try {
        await pool.scan(request(clean));
        const [first] = pool.pids();
        await pool.scan(request(clean));
        await waitUntil('the first child exits', () => gone(first!));
        await pool.scan(request(clean));
        assert.equal(pool.pids().length, 1);
        assert.notEqual(pool.pids()[0], first);
      } finally {
        await pool.close();
      }
    });

    it('should replace it once its resident size passes the bound', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 10_000, maxRssBytes: 1 });
      try {
        await pool.scan(request(clean));
        const [first] = pool.pids();
        await waitUntil('the bloated child exits', () => gone(first!));
        await pool.scan(request(clean));
        assert.notEqual(pool.pids()[0], first);
      } finally {
        await pool.close();
      }
    });
  });

  describe('when it closes', () => {
    it('should finish the message in flight, refuse new ones, and leave no child behind', async () => {
      const pool = new ScanPool({ size: 2, timeoutMs: 10_000, testExtractorsModule: MISBEHAVING });
      await Promise.all([pool.scan(request(clean)), pool.scan(request(clean))]);
      const pids = pool.pids();
      assert.equal(pids.length, 2);
      const inFlight = pool.scan(request(pdfMail('SLOW')));
      await sleep(50);
      const closing = pool.close();
      await assert.rejects(pool.scan(request(clean)), ScanRefused);
      assert.ok(pdfRead(await inFlight));
      await closing;
      assert.deepEqual(pool.pids(), []);
      for (const pid of pids) assert.ok(gone(pid), `child ${pid} still running`);
    });

    it('should kill a child still busy when the grace period ends', async () => {
      const pool = new ScanPool({ size: 1, timeoutMs: 60_000, testExtractorsModule: MISBEHAVING });
      await pool.scan(request(clean));
      const [pid] = pool.pids();
      const hung = pool.scan(request(pdfMail('HANG')));
      await sleep(100);
      await pool.close(200);
      await assert.rejects(hung, ScanRefused);
      assert.ok(gone(pid!));
    });

    it('should leave no helper nor temporary folder behind when the daemon is killed mid-scan', { skip: !onLinux && 'reads /proc' }, async () => {
      const host = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'support', 'pool-host.ts'), 'busy'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      host.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      await waitUntil('the host reports its children', () => out.includes('\n'), 30_000);
      const { pids } = JSON.parse(out) as { pids: number[] };
      let busy: { helper: number; dir: string } | undefined;
      await waitUntil('one child runs a helper', () => pids.some((pid) => childrenOf(pid).length > 0));
      for (const pid of pids) if (childrenOf(pid).length > 0) busy = await helperOf(pid);
      host.kill('SIGKILL');
      await once(host, 'exit');
      await waitUntil('every child of the killed host exits', () => pids.every(gone));
      await waitUntil('the helper is gone', () => gone(busy!.helper));
      await waitUntil('the folder is removed', () => !existsSync(busy!.dir));
    });

    it('should leave no child behind when the daemon is killed outright', async () => {
      const host = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'support', 'pool-host.ts')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      host.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      await waitUntil('the host reports its children', () => out.includes('\n'), 30_000);
      const { pids } = JSON.parse(out) as { pids: number[] };
      assert.equal(pids.length, 2);
      host.kill('SIGKILL');
      await once(host, 'exit');
      await waitUntil('every child of the killed host exits', () => pids.every(gone));
    });
  });

  it('should pass the tsx loader on to children but no test-runner flag', () => {
    const args = childExecArgv(256, ['--import', 'tsx', '--test', '--test-reporter', 'spec', '--test-concurrency=1', '--inspect=9229']);
    assert.deepEqual(args, ['--import', 'tsx', '--max-old-space-size=256', '--max-semi-space-size=2']);
  });

  it('should refuse the test hook outside tests', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      assert.throws(() => new ScanPool({ size: 1, timeoutMs: 1_000, testExtractorsModule: MISBEHAVING }), /tests only/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});

describe('the scan pool in a milter handler', () => {
  let store: Store;
  before(async () => {
    store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'og-pool-handler-')) });
  });
  after(() => store.close());

  it('should tempfail at once when the queue is full', async () => {
    const pool = new ScanPool({ size: 1, maxQueue: 1, timeoutMs: 10_000, testExtractorsModule: MISBEHAVING });
    try {
      await pool.scan(request(clean));
      const busy = Promise.all([pool.scan(request(pdfMail('SLOW'))), pool.scan(request(pdfMail('SLOW')))]);
      const handler = createMilterHandler({
        store,
        policy: () => loadPolicyFile(),
        scanner: pool,
        logger: createLogger({ silent: true }),
        settings: { scanTimeoutMs: 10_000, onError: 'tempfail' },
      });
      const verdict = await handler.onEndOfMessage(envelope(clean, 'FULLQ1'), { connectionId: 1, messageNumber: 1 });
      assert.equal(verdict.kind, 'tempfail');
      await busy;
    } finally {
      await pool.close();
    }
  });
});

describe('the daemon and its scan workers', () => {
  it('should scan through its workers, give them a reloaded dictionary, and leave none behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'og-pool-daemon-'));
    const config = path.join(dir, 'outguard.yaml');
    const settings = (words: string) =>
      `extraction:\n  pool:\n    size: 2\ndetection:\n  dictionaries:\n    - name: confidential\n      words: [${words}]\n`;
    writeFileSync(config, settings('대외비'));
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nrules:\n  - id: secret\n    when: { findings: { labels: [confidential] } }\n    action: hold\n');
    const daemon = await startOutguard({ OUTGUARD_DATA_DIR: path.join(dir, 'data'), OUTGUARD_CONFIG: config, OUTGUARD_POLICY: policy });
    let workers: number[] = [];
    try {
      await waitUntil('two scan workers run', () => (workers = childrenOf(daemon.pid)).length === 2, 20_000);
      const verdictFor = async (subject: string): Promise<string> => {
        const client = await MilterClient.connect({ kind: 'inet', host: '127.0.0.1', port: daemon.milterPort });
        try {
          await client.negotiate();
          await greet(client);
          const replies = await sendMessage(client, {
            sender: 'hong@corp.example',
            recipients: ['partner@outside.example'],
            headers: [['Subject', subject], ['Content-Type', 'text/plain; charset=utf-8']],
            body: '내부 검토 자료입니다.\r\n',
            macros: { E: { i: 'POOLD1' } },
          });
          // A hold is a quarantine packet before the final answer.
          return replies.some((r) => r.type === 'quarantine') ? 'quarantine' : (replies[replies.length - 1]?.type ?? 'none');
        } finally {
          client.close();
        }
      };
      assert.equal(await verdictFor('[대외비] 인사'), 'quarantine');
      assert.equal(await verdictFor('[기밀] 인사'), 'accept');
      writeFileSync(config, settings('대외비, 기밀'));
      daemon.signal('SIGHUP');
      await waitUntil('the detection is reloaded', () => daemon.logLines().some((l) => l.message === 'detection reloaded'));
      assert.equal(await verdictFor('[기밀] 인사'), 'quarantine');
    } finally {
      await daemon.stop();
    }
    assert.ok(workers.length === 2 && workers.every(gone), `workers left running: ${workers.filter((p) => !gone(p))}`);
  });
});
