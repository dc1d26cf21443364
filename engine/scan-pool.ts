/**
 * The daemon's scan pool: a few child processes (engine/scan-worker.ts) that extract and scan
 * mail, so a slow, hanging or crashing file cannot stall the milter or take the daemon down.
 *
 * Child processes, not worker threads: a native addon (re2, pdfjs's canvas) that segfaults kills only
 * its child, and a child stuck in a synchronous loop (a regex, a parser) can be killed, which a
 * thread cannot. Each child handles one message at a time.
 *
 * Fail closed everywhere. A message is refused at once when the queue is full or the pool is
 * closing, and rejected when its time is up (the child is killed and replaced), when its child
 * dies (replaced, and the death logged with the queue id), or when the child reports an error.
 * The caller (engine/milter-handler.ts) answers each rejection with `milter.onError`.
 *
 * The time a message may take counts from submission, queue wait included; the child is told
 * how much is left, and ends extraction early enough (`limit-exceeded`, the text read so far
 * kept) to answer before the pool would have to kill it.
 *
 * Memory: each child runs with `--max-old-space-size`, and is replaced after a number of
 * messages or once its resident size passes a bound, so a leak in a library cannot grow forever.
 * The heap cap does not cover ArrayBuffers and native memory (a PDF bomb reached 1.9 GB), so
 * while a message is scanned the child's resident size is sampled too, and a child past
 * `maxJobRssBytes` is killed and its message fails closed.
 *
 * Each child leads its own process group and has its own temporary folder (TMPDIR), which
 * extractors' helpers (7z, tesseract) inherit: killing a child kills the whole group, and the
 * folder, which may hold attachment contents in clear, is removed when the child exits.
 * Children exit when the IPC channel closes (the daemon died or closed the pool), killing their
 * group first, so none is left behind. `close()` lets messages in flight finish for a grace
 * period, then kills.
 */
import { Buffer } from 'node:buffer';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractLimits } from '../content/index.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { NOQUEUE } from '../log/logger.js';
import {
  errorMessage,
  SCAN_TMPDIR_ENV,
  type ChildMessage,
  type ParentMessage,
  type RawFile,
  type SendableDetectionOptions,
} from './scan-protocol.js';
import type { RawMessage } from '../milter/spool.js';
import type { ScanRequest, ScanResult, Scanner } from './scanner.js';

const MiB = 1024 * 1024;

/**
 * Messages in memory from this size up reach their child as a file in its temporary folder (0700,
 * removed with the child) rather than over IPC; smaller ones are not worth the file system round
 * trip. A message the milter spooled is read by the child from its spool file instead.
 */
const RAW_FILE_MIN_BYTES = 256 * 1024;

/** V8's semi-space size for the children, in MiB (see childExecArgv). */
const CHILD_SEMI_SPACE_MB = 2;

export const POOL_DEFAULTS = {
  /**
   * Messages waiting for a free child before new ones are refused: Postfix's default
   * default_process_limit is 100 smtpd processes, so a full Postfix is queued, not refused.
   */
  maxQueue: 100,
  /**
   * V8 heap cap per child. A 10 MB mail (5 MB PDF, 2 MB XLSX, 1 MB HWP) peaks around 130 MB of
   * heap, mostly the workbook's text; 1 GiB leaves room for the large honest case, and a child
   * that needs more dies alone and its message is held, not the daemon.
   */
  maxOldSpaceMb: 1024,
  /** Messages one child handles before it is replaced, so a slow leak is bounded. */
  maxMessagesPerChild: 500,
  /**
   * Resident size after a message above which the child is replaced. Native memory (canvas,
   * zlib) and heap pages V8 keeps stay resident (a forced GC gave none back here); replacing
   * the child returns them. Not lower: the 10 MB mail above leaves a child at about 330 MB, an
   * all-text PDF of that size at more, and a fresh child pays about a second of warm-up (JIT,
   * pdfjs set-up) on its next large mail.
   */
  maxRssBytes: 1024 * MiB,
  /**
   * Resident size during a message past which the child is killed and the message fails
   * closed: half again `maxRssBytes`, so an honest large mail has room, while a
   * decompression bomb in native memory is stopped long before the machine swaps.
   */
  maxJobRssBytes: 1536 * MiB,
  /** How long `close()` lets messages in flight finish before killing their children. */
  closeGraceMs: 10_000,
} as const;

/** A child that does not exit this long after being asked is killed. */
const EXIT_GRACE_MS = 3_000;
/** Longest wait before respawning after children kept dying at start. */
const MAX_RESPAWN_DELAY_MS = 30_000;
/** Lines of a child's stderr logged before the rest is dropped (a library can be chatty). */
const MAX_STDERR_LINES = 50;
/** How often a busy child's resident size is read. */
const RSS_SAMPLE_MS = 200;

export interface ScanPoolOptions {
  /** Children; default the number of CPUs, at least 1. */
  readonly size?: number;
  /** Messages that may wait for a child; more are refused. Default POOL_DEFAULTS.maxQueue. */
  readonly maxQueue?: number;
  /** Time one message may take, from submission (queue wait included), in ms. */
  readonly timeoutMs: number;
  /** The detector set for the children; default every personal-data type, no dictionaries. */
  readonly detection?: SendableDetectionOptions;
  readonly maxOldSpaceMb?: number;
  readonly maxMessagesPerChild?: number;
  readonly maxRssBytes?: number;
  /** Resident size while scanning past which a child is killed; Linux only (read from /proc). */
  readonly maxJobRssBytes?: number;
  readonly logger?: Logger;
  /**
   * Tests only: a module whose `testExtractors` replace the registry's extractors in the
   * children. Refused unless NODE_ENV is `test`.
   */
  readonly testExtractorsModule?: string;
}

/** The pool would not take the message: queue full, or closing. */
export class ScanRefused extends Error {
  override readonly name = 'ScanRefused';
}

/** The message was not scanned within the time allowed. */
export class ScanTimeout extends Error {
  override readonly name = 'ScanTimeout';
}

/** The child scanning the message died (crash, signal, out of memory). */
export class ScanWorkerDied extends Error {
  override readonly name = 'ScanWorkerDied';
}

/** The child reported an error it could not turn into a result. */
export class ScanFailed extends Error {
  override readonly name = 'ScanFailed';
}

interface Job {
  readonly id: number;
  readonly raw: RawMessage;
  readonly limits: ExtractLimits;
  readonly label: string;
  /** Epoch ms by which the message must be answered. */
  readonly deadline: number;
  /** The detector generation the pool had when the job was sent: older results are refused. */
  generation: number;
  readonly resolve: (result: ScanResult) => void;
  readonly reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

interface Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** The child's TMPDIR, removed when it exits. */
  readonly tempDir: string;
  /** Samples the resident size while a job runs. */
  watchdog: NodeJS.Timeout | undefined;
  ready: boolean;
  job: Job | null;
  handled: number;
  /** Out of service: being replaced, killed or gone. */
  retired: boolean;
  stderrLines: number;
}

const HERE = fileURLToPath(import.meta.url);

/** scan-worker.ts under tsx (tests, `tsx cli/main.ts`), scan-worker.js under dist/. */
export const WORKER_FILE = path.join(path.dirname(HERE), `scan-worker${path.extname(HERE)}`);

/** Test-runner flags followed by a separate value, which must not reach the child either. */
const VALUE_FLAGS = new Set([
  '--test-reporter',
  '--test-reporter-destination',
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
]);

/**
 * The parent's node flags for the child (the tsx loader, above all), without those that would
 * make it a test runner, a debugger on the same port, or cap its heap differently.
 */
export function childExecArgv(maxOldSpaceMb: number, parent: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i += 1) {
    const arg = parent[i] ?? '';
    if (VALUE_FLAGS.has(arg)) {
      i += 1;
      continue;
    }
    // A compiled worker needs no TypeScript loader, and tsx would transform pdfjs's large
    // modules on load (about 430 MB more per child, measured).
    const loader = arg === '--import' ? (parent[i + 1] ?? '') : arg.startsWith('--import=') ? arg.slice(9) : '';
    if (loader.includes('tsx') && WORKER_FILE.endsWith('.js')) {
      if (arg === '--import') i += 1;
      continue;
    }
    const dropped = ['--test', '--experimental-test', '--inspect', '--watch', '--max-old-space-size', '--max-semi-space-size'];
    const isDropped = (flag: string) => arg === flag || arg.startsWith(`${flag}-`) || arg.startsWith(`${flag}=`);
    if (dropped.some(isDropped)) continue;
    out.push(arg);
  }
  if (WORKER_FILE.endsWith('.ts') && !out.some((arg) => arg.includes('tsx'))) out.push('--import', 'tsx');
  // A young generation of 2 MiB instead of 16: ten large mails at once left the two children
  // about 100 MB smaller together, at no measurable cost in scan time (BENCHMARKS.md).
  out.push(`--max-old-space-size=${maxOldSpaceMb}`, `--max-semi-space-size=${CHILD_SEMI_SPACE_MB}`);
  return out;
}

export class ScanPool implements Scanner {
  readonly #size: number;
  readonly #maxQueue: number;
  readonly #timeoutMs: number;
  readonly #maxOldSpaceMb: number;
  readonly #maxMessagesPerChild: number;
  readonly #maxRssBytes: number;
  readonly #maxJobRssBytes: number;
  readonly #logger: Logger;
  readonly #env: NodeJS.ProcessEnv;
  readonly #workers = new Set<Worker>();
  readonly #queue: Job[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #respawnTimers = new Set<NodeJS.Timeout>();
  /** Holds one folder per child; made 0700 by mkdtemp. */
  readonly #tempRoot: string;
  #nextWorker = 1;
  #detection: SendableDetectionOptions;
  #generation = 1;
  #nextJobId = 1;
  /** Children in a row that died before they were ready: slows respawning down. */
  #startFailures = 0;
  /** Set once `close()` is called: nothing is taken or respawned after it. */
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(options: ScanPoolOptions) {
    this.#size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
    this.#maxQueue = Math.max(0, Math.floor(options.maxQueue ?? POOL_DEFAULTS.maxQueue));
    this.#timeoutMs = options.timeoutMs;
    this.#maxOldSpaceMb = options.maxOldSpaceMb ?? POOL_DEFAULTS.maxOldSpaceMb;
    this.#maxMessagesPerChild = options.maxMessagesPerChild ?? POOL_DEFAULTS.maxMessagesPerChild;
    this.#maxRssBytes = options.maxRssBytes ?? POOL_DEFAULTS.maxRssBytes;
    this.#maxJobRssBytes = options.maxJobRssBytes ?? POOL_DEFAULTS.maxJobRssBytes;
    this.#logger = options.logger ?? nullLogger();
    this.#detection = sendable(options.detection ?? {});
    this.#env = childEnv(options.testExtractorsModule);
    this.#tempRoot = mkdtempSync(path.join(tmpdir(), 'outguard-scan-'));
    for (let i = 0; i < this.#size; i += 1) this.#spawn();
  }

  /** Scans one message in a child. Rejects with ScanRefused, ScanTimeout, ScanWorkerDied or ScanFailed. */
  scan(request: ScanRequest): Promise<ScanResult> {
    const label = request.label ?? NOQUEUE;
    if (this.#closed) return Promise.reject(new ScanRefused('scan pool is closed'));
    if (this.#idleWorker() === null && this.#queue.length >= this.#maxQueue) {
      this.#logger.warn('scan queue full, message refused', { qid: label, queued: this.#queue.length });
      return Promise.reject(new ScanRefused(`scan queue full (${this.#maxQueue} messages waiting)`));
    }
    let resolve!: (result: ScanResult) => void;
    let reject!: (err: Error) => void;
    const done = new Promise<ScanResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = {
      id: this.#nextJobId++,
      raw: request.raw,
      limits: request.limits,
      label,
      deadline: Date.now() + this.#timeoutMs,
      generation: this.#generation,
      resolve,
      reject,
      timer: undefined,
      settled: false,
    };
    job.timer = setTimeout(() => this.#onTimeout(job), this.#timeoutMs);
    const tracked = done.catch(() => undefined).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    this.#queue.push(job);
    this.#dispatch();
    return done;
  }

  /**
   * Replaces the detector set in every child, now and for children started later. Returns its
   * generation number; a child scanning a message finishes it with the set it started with.
   */
  setDetection(options: SendableDetectionOptions): number {
    this.#generation += 1;
    this.#detection = sendable(options);
    for (const worker of this.#workers) {
      if (worker.ready && !worker.retired) this.#sendDetection(worker);
    }
    return this.#generation;
  }

  /** Process ids of the children alive now, replaced and dying ones included. */
  pids(): number[] {
    return [...this.#workers].map((w) => w.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Children in service, those started and ready for work, those busy, and messages waiting. */
  stats(): { readonly workers: number; readonly ready: number; readonly busy: number; readonly queued: number } {
    const serving = [...this.#workers].filter((w) => !w.retired);
    const busy = serving.filter((w) => w.job !== null).length;
    const ready = serving.filter((w) => w.ready).length;
    return { workers: serving.length, ready, busy, queued: this.#queue.length };
  }

  /**
   * Stops taking messages, refuses those still queued, lets those in flight finish for
   * `graceMs`, then stops every child and resolves once all have exited.
   */
  close(graceMs: number = POOL_DEFAULTS.closeGraceMs): Promise<void> {
    if (this.#closing === null) {
      this.#closed = true;
      this.#closing = this.#shutDown(graceMs);
    }
    return this.#closing;
  }

  async #shutDown(graceMs: number): Promise<void> {
    for (const timer of this.#respawnTimers) clearTimeout(timer);
    this.#respawnTimers.clear();
    for (const job of this.#queue.splice(0)) this.#settle(job, new ScanRefused('scan pool is closed'));
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all([...this.#inFlight]), grace]);
    clearTimeout(graceTimer);
    const exits = [...this.#workers].map((w) => w.exited);
    for (const worker of this.#workers) {
      if (worker.job) this.#settle(worker.job, new ScanRefused('scan pool closed before the scan finished'));
      this.#retire(worker, worker.job ? 'kill' : 'graceful');
    }
    await Promise.all(exits);
    rmSync(this.#tempRoot, { recursive: true, force: true });
  }

  #spawn(): void {
    const tempDir = path.join(this.#tempRoot, `w${this.#nextWorker++}`);
    try {
      // Recursive: a temp cleaner may have removed an idle root; it is remade 0700 too.
      mkdirSync(tempDir, { recursive: true, mode: 0o700 });
    } catch (err) {
      this.#logger.error('cannot make a scan worker its temporary folder', { dir: tempDir, err: errorMessage(err) });
      this.#startFailures += 1;
      this.#replace();
      return;
    }
    const child = fork(WORKER_FILE, [], {
      serialization: 'advanced',
      execArgv: childExecArgv(this.#maxOldSpaceMb),
      // The child makes it its TMPDIR once started (engine/scan-worker.ts).
      env: { ...this.#env, [SCAN_TMPDIR_ENV]: tempDir },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group, so a kill reaches the helpers it started (7z, tesseract).
      detached: true,
    });
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => {
      markExited = resolve;
    });
    const worker: Worker = {
      child,
      exited,
      tempDir,
      watchdog: undefined,
      ready: false,
      job: null,
      handled: 0,
      retired: false,
      stderrLines: 0,
    };
    this.#workers.add(worker);
    // Libraries print warnings on stdout; only stderr (crash reports) is worth a log line.
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#onStderr(worker, chunk));
    child.on('message', (message: ChildMessage) => this.#onMessage(worker, message));
    child.once('exit', (code, signal) => {
      this.#onExit(worker, code, signal);
      markExited();
    });
    child.on('error', (err) => {
      this.#logger.error('scan worker error', { pid: child.pid, err: errorMessage(err) });
      if (child.pid === undefined) {
        this.#onExit(worker, null, null);
        markExited();
      }
    });
  }

  #onMessage(worker: Worker, message: ChildMessage): void {
    switch (message.type) {
      case 'ready':
        worker.ready = true;
        this.#sendDetection(worker);
        this.#logger.debug('scan worker ready', { pid: message.pid });
        this.#dispatch();
        return;
      case 'detection-ready':
        this.#startFailures = 0;
        return;
      case 'detection-failed':
        // It would go on scanning with an older set: replaced, and the new child gets the
        // current settings. Counted as a failed start, so a set no child can build does not
        // respawn children in a tight loop.
        this.#logger.error('scan worker refused the detection settings, replacing it', {
          pid: worker.child.pid,
          generation: message.generation,
          err: message.error,
        });
        this.#startFailures += 1;
        this.#retire(worker, 'kill');
        return;
      case 'result':
      case 'failed':
        this.#onDone(worker, message);
        return;
    }
  }

  #onDone(worker: Worker, message: Extract<ChildMessage, { type: 'result' | 'failed' }>): void {
    const job = worker.job;
    if (!job || job.id !== message.id) return;
    this.#stopWatchdog(worker);
    worker.job = null;
    worker.handled += 1;
    if (message.type === 'result' && message.generation < job.generation) {
      // Scanned with a detector set older than the one in force when it was sent.
      const fields = { qid: job.label, pid: worker.child.pid, generation: message.generation, required: job.generation };
      this.#logger.error('scan result from an outdated detector set refused', fields);
      this.#settle(job, new ScanFailed(`scanned with detector set ${message.generation}, not ${job.generation}`));
    } else if (message.type === 'result') {
      this.#settle(job, null, message.result);
    } else {
      const fields = { qid: job.label, pid: worker.child.pid, err: message.error };
      this.#logger.error('scan failed in worker', fields);
      this.#settle(job, new ScanFailed(message.error));
    }
    if (worker.handled >= this.#maxMessagesPerChild || message.rss > this.#maxRssBytes) {
      const fields = { pid: worker.child.pid, handled: worker.handled, rss: message.rss };
      this.#logger.info('scan worker replaced', fields);
      this.#retire(worker, 'graceful');
    }
    this.#dispatch();
  }

  #onTimeout(job: Job): void {
    if (job.settled) return;
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#logger.warn('scan timed out waiting for a worker', { qid: job.label, ms: this.#timeoutMs });
      this.#settle(job, new ScanTimeout(`no scan worker free within ${this.#timeoutMs} ms`));
      return;
    }
    const worker = [...this.#workers].find((w) => w.job === job);
    const fields = { qid: job.label, pid: worker?.child.pid, ms: this.#timeoutMs };
    this.#logger.warn('scan timed out, killing its worker', fields);
    this.#settle(job, new ScanTimeout(`scan exceeded ${this.#timeoutMs} ms`));
    if (worker) this.#retire(worker, 'kill');
  }

  #onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.#workers.delete(worker)) return;
    this.#stopWatchdog(worker);
    // A child that crashed leaves its helpers running in its group, writing to its folder.
    killGroup(worker.child);
    rmSync(worker.tempDir, { recursive: true, force: true });
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const job = worker.job;
    worker.job = null;
    if (job && !job.settled) {
      const fields = { qid: job.label, pid: worker.child.pid, code, signal };
      this.#logger.error('scan worker died during a scan', fields);
      this.#settle(job, new ScanWorkerDied(`scan worker died (${how})`));
    } else if (!worker.retired) {
      this.#logger.warn('scan worker exited', { pid: worker.child.pid, code, signal });
    }
    if (!worker.ready) this.#startFailures += 1;
    if (!worker.retired) {
      worker.retired = true;
      this.#replace();
    }
    this.#dispatch();
  }

  /** Takes a child out of service and starts its replacement. */
  #retire(worker: Worker, mode: 'graceful' | 'kill'): void {
    if (!worker.retired) {
      worker.retired = true;
      this.#replace();
    }
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
    if (mode === 'kill') {
      killGroup(worker.child);
      return;
    }
    // The child exits when its channel closes; one that does not is killed.
    if (worker.child.connected) worker.child.disconnect();
    setTimeout(() => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) killGroup(worker.child);
    }, EXIT_GRACE_MS).unref();
  }

  #replace(): void {
    if (this.#closed) return;
    const failures = this.#startFailures;
    if (failures === 0) {
      this.#spawn();
      return;
    }
    // Children dying before they are ready (a broken install) would otherwise respawn in a tight
    // loop; messages meanwhile time out and are answered fail-closed.
    const delay = Math.min(MAX_RESPAWN_DELAY_MS, 250 * 2 ** failures);
    if (failures >= 3) this.#logger.error('scan workers keep dying at start', { failures, retryMs: delay });
    const timer = setTimeout(() => {
      this.#respawnTimers.delete(timer);
      if (!this.#closed) this.#spawn();
    }, delay);
    this.#respawnTimers.add(timer);
  }

  #idleWorker(): Worker | null {
    for (const worker of this.#workers) {
      if (worker.ready && !worker.retired && worker.job === null) return worker;
    }
    return null;
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idleWorker();
      if (!worker) return;
      const job = this.#queue.shift() as Job;
      worker.job = job;
      job.generation = this.#generation;
      this.#startWatchdog(worker, job);
      const raw = job.raw;
      if (!Buffer.isBuffer(raw)) {
        // Spooled by the milter: the child reads the spool file; the session removes it.
        this.#sendJob(worker, job, { path: raw.file, remove: false });
        continue;
      }
      if (raw.length < RAW_FILE_MIN_BYTES) {
        this.#sendJob(worker, job, null);
        continue;
      }
      const file = path.join(worker.tempDir, `message-${job.id}.eml`);
      // The job may have timed out, or its child died, while the file was written.
      const stillWanted = () => worker.job === job && !job.settled && !worker.retired;
      writeFile(file, raw, { mode: 0o600 }).then(
        () => {
          if (stillWanted()) this.#sendJob(worker, job, { path: file, remove: true });
          else void rm(file, { force: true });
        },
        (err: unknown) => {
          // A full disk or a removed folder: the channel still works, so the message goes that way.
          void rm(file, { force: true });
          this.#logger.warn('cannot write a message for its scan worker, sending it over IPC', { qid: job.label, err: errorMessage(err) });
          if (stillWanted()) this.#sendJob(worker, job, null);
        },
      );
    }
  }

  #sendJob(worker: Worker, job: Job, rawFile: RawFile | null): void {
    const timeLeftMs = Math.max(0, job.deadline - Date.now());
    const raw = rawFile === null && Buffer.isBuffer(job.raw) ? job.raw : null;
    this.#send(worker, { type: 'scan', id: job.id, raw, rawFile, limits: job.limits, timeLeftMs });
  }

  #startWatchdog(worker: Worker, job: Job): void {
    const pid = worker.child.pid;
    if (process.platform !== 'linux' || pid === undefined) return;
    worker.watchdog = setInterval(() => {
      void residentBytes(pid).then((rss) => {
        if (rss === null || rss <= this.#maxJobRssBytes || worker.job !== job || job.settled) return;
        const fields = { qid: job.label, pid, rss, max: this.#maxJobRssBytes };
        this.#logger.error('scan worker killed: resident size over the bound during a scan', fields);
        const mib = (bytes: number) => Math.round(bytes / MiB);
        const reason = `scan worker killed at ${mib(rss)} MiB resident (bound ${mib(this.#maxJobRssBytes)} MiB)`;
        this.#settle(job, new ScanWorkerDied(reason));
        this.#retire(worker, 'kill');
      });
    }, RSS_SAMPLE_MS);
    worker.watchdog.unref();
  }

  #stopWatchdog(worker: Worker): void {
    clearInterval(worker.watchdog);
    worker.watchdog = undefined;
  }

  #sendDetection(worker: Worker): void {
    this.#send(worker, { type: 'detection', generation: this.#generation, options: this.#detection });
  }

  /** A send that fails means the child is going: kill it, and its exit fails its message. */
  #send(worker: Worker, message: ParentMessage): void {
    const fail = (err: unknown) => {
      this.#logger.warn('cannot reach scan worker', { pid: worker.child.pid, err: errorMessage(err) });
      this.#retire(worker, 'kill');
    };
    try {
      worker.child.send(message, (err) => {
        if (err) fail(err);
      });
    } catch (err) {
      fail(err);
    }
  }

  #settle(job: Job, err: Error | null, result?: ScanResult): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (err) job.reject(err);
    else job.resolve(result as ScanResult);
  }

  #onStderr(worker: Worker, chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      worker.stderrLines += 1;
      if (worker.stderrLines > MAX_STDERR_LINES) return;
      // Sanitised like an error: a library may echo the text it was reading.
      this.#logger.warn('scan worker stderr', { pid: worker.child.pid, line: errorMessage(line) });
    }
  }
}

/**
 * Kills a child and every process in its group (it was forked detached, so it leads one). Also
 * after the child itself has exited: helpers it started may still run in the group.
 */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** A process's resident size from /proc (Linux), or null when it cannot be read (it exited). */
async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** A clock function cannot cross the process boundary; the children use the system clock. */
function sendable(options: SendableDetectionOptions & { readonly now?: unknown }): SendableDetectionOptions {
  const { now: _clock, ...rest } = options;
  return rest;
}

/** The environment for children: the daemon's, minus the test runner's marker, plus the hook. */
function childEnv(testExtractorsModule: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A child that inherits this thinks it is a test file and reports to the runner.
  delete env.NODE_TEST_CONTEXT;
  delete env.OUTGUARD_TEST_EXTRACTORS;
  if (testExtractorsModule !== undefined) {
    if (process.env.NODE_ENV !== 'test') {
      throw new Error('testExtractorsModule is for tests only (NODE_ENV=test)');
    }
    env.OUTGUARD_TEST_EXTRACTORS = testExtractorsModule;
  }
  return env;
}
