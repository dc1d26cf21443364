/**
 * `npm run bench`: every benchmark in one invocation, so their figures share one machine state.
 *
 *   node --import tsx bench/run.ts [--only detectors,pipeline,extraction,postfix] [--quick] [--runs N]
 *                                  [--sets filler,korean] [--store-dir DIR]
 *
 * Parts: `detectors` (the detector suite's MB/s, with and without a 5,000-word dictionary,
 * beside ripgrep running the same patterns on two generated 50 MB texts; `detect` on 50 KB
 * bodies), `pipeline` (inspectMessage per message, 50 KB and 5 KB Korean mail), `extraction`
 * (a 10 MB mail with a 5 MB PDF, a 2 MB XLSX and a 1 MB HWP, in process and through the worker
 * pool; ten at once for memory; OCR per page image), `postfix`
 * (msg/s through a real Postfix, alone and with the Outguard daemon; needs root and Postfix).
 * `--quick` is a smoke run of every part in about two minutes; its figures are not for quoting.
 * `--store-dir /dev/shm` puts the daemon's SQLite store on tmpfs, to see what the disk's fsyncs
 * cost (a diagnosis).
 *
 * Raw results go to bench/out/bench-<time>.json (git-ignored); the Markdown summary goes to
 * stdout, progress to stderr. Nothing here asserts a time: a slow result is reported, not failed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postfixSkipReason } from '../test/support/postfix.js';
import { runDetectorBench } from './detector-throughput.js';
import { runExtractionBench } from './extraction.js';
import { machineInfo } from './machine.js';
import { runPipelineBench } from './pipeline-latency.js';
import { runPostfixBench, type MailSet } from './postfix-throughput.js';
import { renderMarkdown, type BenchResult } from './report.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(REPO_ROOT, 'bench', 'out');

const PARTS = ['detectors', 'pipeline', 'extraction', 'postfix'] as const;
type Part = (typeof PARTS)[number];
const MAIL_SETS: readonly MailSet[] = ['filler', 'korean'];

/**
 * Full run: the method of perf-anchors.md (50 MB text, 5 rounds; 2,000 mails over 20 sessions,
 * 5 interleaved runs per case).
 */
const FULL = {
  detectorBytes: 50_000_000,
  detectorRounds: 5,
  messageIterations: 1000,
  messageWarmup: 200,
  pipelineIterations: 500,
  pipelineWarmup: 100,
  extractionIterations: 5,
  extractionConcurrent: 10,
  ocrPages: 5,
  postfixRuns: 5,
  postfixMessages: 2000,
  postfixSessions: 20,
  postfixSets: MAIL_SETS,
};

/** Smoke run: every code path, small sizes, one Postfix run per case; under 2 minutes. */
const QUICK: typeof FULL = {
  detectorBytes: 5_000_000,
  detectorRounds: 3,
  messageIterations: 200,
  messageWarmup: 50,
  pipelineIterations: 100,
  pipelineWarmup: 20,
  extractionIterations: 1,
  extractionConcurrent: 10,
  ocrPages: 1,
  postfixRuns: 1,
  postfixMessages: 400,
  postfixSessions: 20,
  postfixSets: ['filler'],
};

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: bench/run.ts [--only ${PARTS.join(',')}] [--quick] ` +
    `[--runs N] [--sets ${MAIL_SETS.join(',')}] [--store-dir DIR]\n`);
  process.exit(2);
}

function listOption<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T[] | null {
  if (value === undefined) return null;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (bad.length > 0 || items.length === 0) {
    usage(`--${name}: expected ${allowed.join('|')}, got "${value}"`);
  }
  return items as T[];
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        only: { type: 'string' },
        quick: { type: 'boolean', default: false },
        runs: { type: 'string' },
        sets: { type: 'string' },
        'store-dir': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    usage((err as Error).message);
  }
  if (parsed.help) usage('Outguard benchmarks');
  const settings = { ...(parsed.quick ? QUICK : FULL) };
  if (parsed.runs !== undefined) {
    const runs = Number(parsed.runs);
    if (!Number.isInteger(runs) || runs < 1) usage(`--runs: expected a positive integer`);
    settings.postfixRuns = runs;
  }
  settings.postfixSets = listOption(parsed.sets, MAIL_SETS, 'sets') ?? settings.postfixSets;
  const parts = listOption(parsed.only, PARTS, 'only') ?? [...PARTS];
  const storeDir = parsed['store-dir'];
  if (storeDir !== undefined && !existsSync(storeDir)) usage(`--store-dir: ${storeDir} not found`);
  return { quick: parsed.quick ?? false, parts, settings: { ...settings, storeDir } };
}

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Why the Postfix part cannot run here, or null. */
function postfixBlocker(): string | null {
  const missing = postfixSkipReason();
  if (missing) return missing;
  if (process.getuid?.() !== 0) return 'needs root (a throwaway Postfix master runs as root)';
  if (!existsSync('/usr/sbin/smtp-source') || !existsSync('/usr/sbin/smtp-sink')) {
    return 'smtp-source/smtp-sink not found (Debian package postfix)';
  }
  return null;
}

async function main(): Promise<void> {
  const { quick, parts, settings } = parseOptions();
  const machine = machineInfo(REPO_ROOT);
  const skipped: Record<string, string> = {};
  const result: { -readonly [K in keyof BenchResult]: BenchResult[K] } = {
    machine,
    settings: { quick, parts, ...settings },
    skipped,
  };
  const want = (part: Part) => parts.includes(part);

  if (want('detectors')) {
    result.detectors = await runDetectorBench({
      bytes: settings.detectorBytes,
      rounds: settings.detectorRounds,
      messageIterations: settings.messageIterations,
      messageWarmup: settings.messageWarmup,
      onProgress: progress,
    });
  }
  if (want('pipeline')) {
    progress(`pipeline: ${settings.pipelineIterations} iterations per mail`);
    result.pipeline = await runPipelineBench({
      iterations: settings.pipelineIterations,
      warmup: settings.pipelineWarmup,
    });
  }
  if (want('extraction')) {
    result.extraction = await runExtractionBench({
      iterations: settings.extractionIterations,
      concurrent: settings.extractionConcurrent,
      ocrPages: settings.ocrPages,
      onProgress: progress,
    });
  }
  if (want('postfix')) {
    const blocker = postfixBlocker();
    if (blocker) {
      skipped.postfix = blocker;
      progress(`postfix: skipped, ${blocker}`);
    } else {
      result.postfix = await runPostfixBench({
        runs: settings.postfixRuns,
        messages: settings.postfixMessages,
        sessions: settings.postfixSessions,
        sets: settings.postfixSets,
        ...(settings.storeDir ? { storeParent: settings.storeDir } : {}),
        onRun: progress,
      });
    }
  }

  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = machine.date.replace(/[:.]/g, '-');
  const file = path.join(OUT_DIR, `bench-${stamp}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(renderMarkdown(result));
  progress(`raw results: ${path.relative(REPO_ROOT, file)}`);
}

main().catch((err: unknown) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`bench failed: ${text}\n`);
  process.exitCode = 1;
});
