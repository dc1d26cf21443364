/**
 * Mail throughput through a real Postfix, alone and with Outguard attached as its milter, by the
 * method of perf-anchors.md so the figures sit beside its anchors:
 *
 * - a fresh throwaway Postfix per run (test/support/postfix.ts; one instance slows down run after
 *   run on this VM), relaying to Postfix's smtp-sink;
 * - load from smtp-source: 20 sessions, 2,000 mails, 10 % of them carrying the fake RRN
 *   900101-1234568. smtp-source sends one body per process, so two run at once: 18 sessions of
 *   clean mail and 2 sessions of marked mail (same share of sessions as of mail, so both finish
 *   together);
 * - the clock runs from starting smtp-source until the maillog accounts for every mail (sent to
 *   the sink, held by the milter, or refused); msg/s counts only sent + held;
 * - cases interleaved within each run (alone, Outguard, alone, Outguard…), so a slow spell of the
 *   VM hits both alike; only the ratio within one invocation is trustworthy.
 *
 * Outguard is the real daemon (`outguard start`, test/support/outguard-process.ts) with its
 * shipped defaults: SQLite store in a throwaway data folder, default policy, JSON log lines.
 * Postfix's milter_default_action is `quarantine`, as the README recommends, so a failure shows
 * up as extra held mail (and in the daemon's error count), never as silently delivered mail.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts, startTestPostfix, type TestPostfix } from '../test/support/postfix.js';
import { startOutguard, type OutguardDaemon } from '../test/support/outguard-process.js';
import { MaillogTally, type Tally } from './maillog-tally.js';
import { ANCHOR_RRN, koreanMail } from './mails.js';
import { startSink, startSource, sleep, type Sink, type SourceJob } from './postfix-tools.js';
import { CpuLedger, type CpuSeconds } from './cpu-ledger.js';
import { cpuBetween, findPid, sampleCpu, waitForQuiet, type CpuUse } from './proc-cpu.js';
import { median, summarize, type Summary } from './stats.js';

export type PostfixCase = 'alone' | 'outguard';

/**
 * What the clean 90 % carry. `filler`: smtp-source's own 5,000-byte ASCII body, as the anchors
 * used. `korean`: the 5 KB EUC-KR base64 Korean mail, which costs Outguard real decoding.
 * The marked 10 % are always the Korean mail with the RRN.
 */
export type MailSet = 'filler' | 'korean';

export const MAIL_BYTES = 5_000;
const MARKED_SHARE = 0.1;

/**
 * Poll the maillog this often: ±50 ms on runs of 5-30 s (under 1 %), and few enough wake-ups
 * that this process's own CPU stays a small share of the machine it is measuring.
 */
const POLL_MS = 50;
/** After both smtp-source processes have exited, give up if no mail is decided for this long. */
const STALL_MS = 30_000;
/** Hard ceiling for one run, far above the ~10 s a healthy run takes. */
const RUN_TIMEOUT_MS = 300_000;
/** Pause between runs, so one run's exiting processes do not overlap the next run's start. */
const SETTLE_MS = 1_000;
/**
 * Longest wait for a quiet machine before a run starts anyway (and is flagged as noisy). Short
 * enough that a full run on a shared machine still ends in about 15 minutes.
 */
const QUIET_TIMEOUT_MS = 20_000;

export interface PostfixBenchOptions {
  readonly runs: number;
  readonly messages: number;
  readonly sessions: number;
  readonly sets: readonly MailSet[];
  /**
   * Folder in which each run's Outguard data folder (SQLite store) is made; default the system
   * temp folder. A tmpfs (/dev/shm) takes the disk's fsync cost out: a diagnosis, not a figure.
   */
  readonly storeParent?: string;
  /** Called before each run, for progress output. */
  readonly onRun?: (label: string) => void;
}

export interface OutguardRunFacts {
  /** Verdict log lines by action (accept, hold…). */
  readonly verdicts: Readonly<Record<string, number>>;
  /** `inspection failed` log lines: each one is a fail-closed answer. */
  readonly errors: number;
  /** The daemon's own per-message time (its `ms` field), end-of-message to verdict. */
  readonly scanMs: Summary;
}

export interface PostfixRun {
  readonly case: PostfixCase;
  readonly set: MailSet;
  readonly run: number;
  readonly messages: number;
  readonly marked: number;
  readonly tally: Tally;
  /** Every mail accounted for before the stall or run timeout. */
  readonly complete: boolean;
  /** From starting smtp-source to the last decision in the maillog. */
  readonly seconds: number;
  /** From starting smtp-source until both exited (the offered rate's clock). */
  readonly sourceSeconds: number;
  /** (sent + held) / seconds. */
  readonly msgPerSecond: number;
  readonly refusedPct: number;
  /** Whole-machine CPU use during the run. */
  readonly cpu: CpuUse | null;
  /** Whole-machine busy share in the second before the run (someone else's load shows here). */
  readonly backgroundBusyPct: number | null;
  /** CPU-seconds by process group during the run (cpu-ledger.ts). */
  readonly cpuSeconds: CpuSeconds;
  /** The same per mail, in milliseconds. */
  readonly cpuMsPerMail: Readonly<Record<keyof CpuSeconds, number | null>>;
  readonly outguard: OutguardRunFacts | null;
  /** smtp-source exits other than 0, with their stderr. */
  readonly sourceErrors: readonly string[];
}

export interface PostfixCaseSummary {
  readonly case: PostfixCase;
  readonly set: MailSet;
  readonly msgPerSecond: Summary;
  readonly refusedPct: Summary;
  readonly held: readonly number[];
  readonly completeRuns: number;
}

export interface PostfixBenchResult {
  readonly runs: readonly PostfixRun[];
  readonly summaries: readonly PostfixCaseSummary[];
  /** Per set: median Outguard msg/s ÷ median alone msg/s, and the median of per-run ratios. */
  readonly ratios: ReadonlyArray<{ set: MailSet; ofMedians: number; pairedMedian: number }>;
}

interface MailFiles {
  readonly dir: string;
  readonly marked: string;
  readonly clean: string;
}

export async function runPostfixBench(options: PostfixBenchOptions): Promise<PostfixBenchResult> {
  const files = writeMailFiles();
  const runs: PostfixRun[] = [];
  try {
    for (let run = 1; run <= options.runs; run += 1) {
      for (const set of options.sets) {
        for (const which of ['alone', 'outguard'] as const) {
          options.onRun?.(`postfix run ${run}/${options.runs}: ${set}, ${which}`);
          runs.push(await runOnce(which, set, run, options, files));
          await sleep(SETTLE_MS);
        }
      }
    }
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
  return { runs, summaries: summarizeRuns(runs, options.sets), ratios: ratios(runs, options.sets) };
}

/**
 * smtp-source -F sends a file "while appending CRLF after each line", so the files are written
 * with bare LF; the bytes Postfix receives are the built mail's CRLF lines.
 */
function writeMailFiles(): MailFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outguard-bench-mail-'));
  const toLf = (raw: Buffer) =>
    Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  const marked = path.join(dir, 'marked.eml');
  const clean = path.join(dir, 'clean.eml');
  writeFileSync(marked, toLf(koreanMail({ bytes: MAIL_BYTES, rrn: ANCHOR_RRN })));
  writeFileSync(clean, toLf(koreanMail({ bytes: MAIL_BYTES })));
  return { dir, marked, clean };
}

interface RunParts {
  sink: Sink | null;
  daemon: OutguardDaemon | null;
  postfix: TestPostfix | null;
  configDir: string | null;
}

async function runOnce(
  which: PostfixCase,
  set: MailSet,
  run: number,
  options: PostfixBenchOptions,
  files: MailFiles,
): Promise<PostfixRun> {
  const parts: RunParts = { sink: null, daemon: null, postfix: null, configDir: null };
  try {
    const [sinkPort = 0] = await freePorts(1);
    parts.sink = await startSink(sinkPort);
    if (which === 'outguard') {
      parts.configDir = mkdtempSync(path.join(os.tmpdir(), 'outguard-bench-config-'));
      parts.daemon = await startDaemon(parts.configDir, options.storeParent ?? os.tmpdir());
    }
    parts.postfix = await startTestPostfix({
      ...(parts.daemon ? { milter: `inet:127.0.0.1:${parts.daemon.milterPort}` } : {}),
      defaultAction: 'quarantine',
      extraMainCf: { relayhost: `[127.0.0.1]:${sinkPort}` },
    });
    return await drive(which, set, run, options, files, parts);
  } finally {
    await parts.postfix?.stop();
    await parts.daemon?.stop();
    await parts.sink?.stop();
    if (parts.daemon) rmSync(parts.daemon.dataDir, { recursive: true, force: true });
    if (parts.configDir) rmSync(parts.configDir, { recursive: true, force: true });
  }
}

/**
 * The daemon on its shipped defaults. An explicit, empty config file keeps a config at
 * /etc/outguard/outguard.yaml (a real installation on this machine) out of the measurement.
 */
function startDaemon(configDir: string, storeParent: string): Promise<OutguardDaemon> {
  const config = path.join(configDir, 'outguard.yaml');
  writeFileSync(config, '# benchmark: shipped defaults\n{}\n');
  const dataDir = mkdtempSync(path.join(storeParent, 'outguard-bench-data-'));
  return startOutguard({ OUTGUARD_CONFIG: config, OUTGUARD_DATA_DIR: dataDir });
}

async function drive(
  which: PostfixCase,
  set: MailSet,
  run: number,
  options: PostfixBenchOptions,
  files: MailFiles,
  parts: RunParts,
): Promise<PostfixRun> {
  const postfix = parts.postfix as TestPostfix;
  const marked = Math.round(options.messages * MARKED_SHARE);
  const markedSessions = Math.max(1, Math.round(options.sessions * MARKED_SHARE));
  const jobs: SourceJob[] = [
    { sessions: options.sessions - markedSessions, messages: options.messages - marked,
      file: set === 'korean' ? files.clean : null, fillerBytes: MAIL_BYTES },
    { sessions: markedSessions, messages: marked, file: files.marked, fillerBytes: MAIL_BYTES },
  ];
  const tally = new MaillogTally(path.join(postfix.dir, 'maillog'));
  const daemonPid = parts.daemon
    ? await findPid('OUTGUARD_DATA_DIR', parts.daemon.dataDir, 'main.ts')
    : null;
  const backgroundBusyPct = await waitForQuiet(QUIET_TIMEOUT_MS);
  const ledger = await CpuLedger.open({
    postfixDir: postfix.dir,
    outguard: daemonPid,
    sink: parts.sink?.pid ?? null,
  });
  const cpuBefore = await sampleCpu();

  const t0 = performance.now();
  let sourceSeconds = Number.NaN;
  const sources = Promise.all(jobs.map((job) => startSource(postfix.smtpPort, job).done)).then(
    (exits) => {
      sourceSeconds = (performance.now() - t0) / 1000;
      return exits;
    },
  );
  const { complete, seconds } = await waitForDecisions(tally, options.messages, sources, t0);
  const cpu = cpuBetween(cpuBefore, await sampleCpu());
  const exits = await sources;
  const cpuSeconds = await ledger.close();
  await tally.close();

  const decided = tally.counts.sent + tally.counts.held;
  return {
    case: which,
    set,
    run,
    messages: options.messages,
    marked,
    tally: { ...tally.counts },
    complete,
    seconds,
    sourceSeconds,
    msgPerSecond: decided / seconds,
    refusedPct: (100 * tally.counts.refused) / options.messages,
    cpu,
    backgroundBusyPct,
    cpuSeconds,
    cpuMsPerMail: perMail(cpuSeconds, options.messages),
    outguard: parts.daemon ? outguardFacts(parts.daemon) : null,
    sourceErrors: exits.filter((e) => e.code !== 0).map((e) => `exit ${e.code}: ${e.stderr}`),
  };
}

function perMail(seconds: CpuSeconds, messages: number): PostfixRun['cpuMsPerMail'] {
  const ms = (s: number | null) => (s === null ? null : (1000 * s) / messages);
  return {
    postfix: ms(seconds.postfix),
    outguard: ms(seconds.outguard),
    loadTools: ms(seconds.loadTools),
    bench: ms(seconds.bench),
  };
}

async function waitForDecisions(
  tally: MaillogTally,
  total: number,
  sources: Promise<unknown>,
  t0: number,
): Promise<{ complete: boolean; seconds: number }> {
  let sourcesDone = false;
  void sources.then(() => (sourcesDone = true));
  let lastDecided = -1;
  let lastProgress = performance.now();
  for (;;) {
    await tally.poll();
    const now = performance.now();
    if (tally.decided >= total) return { complete: true, seconds: (now - t0) / 1000 };
    if (tally.decided !== lastDecided) {
      lastDecided = tally.decided;
      lastProgress = now;
    }
    const stalled = sourcesDone && now - lastProgress > STALL_MS;
    if (stalled || now - t0 > RUN_TIMEOUT_MS) {
      return { complete: false, seconds: (lastProgress - t0) / 1000 };
    }
    await sleep(POLL_MS);
  }
}

function outguardFacts(daemon: OutguardDaemon): OutguardRunFacts {
  const lines = daemon.logLines();
  const verdicts: Record<string, number> = {};
  const scanMs: number[] = [];
  for (const line of lines) {
    if (line.message !== 'verdict') continue;
    const action = String(line.action);
    verdicts[action] = (verdicts[action] ?? 0) + 1;
    if (typeof line.ms === 'number') scanMs.push(line.ms);
  }
  return {
    verdicts,
    errors: lines.filter((l) => l.message === 'inspection failed').length,
    scanMs: summarize(scanMs),
  };
}

function summarizeRuns(
  runs: readonly PostfixRun[],
  sets: readonly MailSet[],
): PostfixCaseSummary[] {
  const out: PostfixCaseSummary[] = [];
  for (const set of sets) {
    for (const which of ['alone', 'outguard'] as const) {
      const mine = runs.filter((r) => r.set === set && r.case === which);
      out.push({
        case: which,
        set,
        msgPerSecond: summarize(mine.map((r) => r.msgPerSecond)),
        refusedPct: summarize(mine.map((r) => r.refusedPct)),
        held: mine.map((r) => r.tally.held),
        completeRuns: mine.filter((r) => r.complete).length,
      });
    }
  }
  return out;
}

function ratios(
  runs: readonly PostfixRun[],
  sets: readonly MailSet[],
): PostfixBenchResult['ratios'] {
  return sets.map((set) => {
    const alone = runs.filter((r) => r.set === set && r.case === 'alone');
    const withOutguard = runs.filter((r) => r.set === set && r.case === 'outguard');
    const paired = withOutguard.flatMap((o) => {
      const partner = alone.find((a) => a.run === o.run);
      return partner ? [o.msgPerSecond / partner.msgPerSecond] : [];
    });
    return {
      set,
      ofMedians:
        median(withOutguard.map((r) => r.msgPerSecond)) / median(alone.map((r) => r.msgPerSecond)),
      pairedMedian: median(paired),
    };
  });
}
