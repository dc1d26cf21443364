/**
 * Detector throughput: `detectAll` over a generated text held in memory as one JS string, and
 * beside it, in the same rounds, ripgrep running the same candidate shapes over the same text
 * written to a file.
 *
 * MB is 10^6 bytes of the text's UTF-8 encoding for every row, so rows compare directly. Each
 * round runs every case once, in a fixed order; rounds repeat. Interleaving means a slow spell of
 * the VM hits every case alike (perf-anchors.md: ±10 % drift minute to minute). One untimed round
 * first warms V8's JIT and puts the file in the page cache.
 *
 * Single thread throughout: detectAll runs on the main thread, ripgrep gets `-j1`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectAll } from '../detectors/index.js';
import { candidatePatterns, jsCandidateRegexes, type Dialect } from './candidate-patterns.js';
import { generateCorpus, type Corpus } from './corpus.js';
import { summarize, type Summary } from './stats.js';

const RIPGREP = '/usr/bin/rg';

/** A ripgrep run over 50 MB takes well under a second; this only stops a hung one. */
const RIPGREP_TIMEOUT_MS = 120_000;

export interface DetectorBenchOptions {
  /** Corpus size in UTF-8 bytes (50 MB full, smaller for --quick). */
  readonly bytes: number;
  readonly rounds: number;
  readonly seed?: number;
}

export interface ScanCase {
  readonly name: string;
  readonly what: string;
  /** MB/s of each timed round. */
  readonly mbPerSecond: readonly number[];
  readonly summary: Summary;
  /** Matches, matching lines or findings: whatever the case counts, for a sanity check. */
  readonly count: number | null;
  readonly countUnit: string;
  /** Set when the case could not run (ripgrep missing, no PCRE2). */
  readonly skipped?: string;
}

export interface DetectorBenchResult {
  readonly corpus: {
    readonly utf8Bytes: number;
    readonly utf16Units: number;
    readonly seed: number;
    readonly planted: Corpus['planted'];
    readonly generateMs: number;
  };
  /** Findings of the planted types: must equal `planted`. */
  readonly found: { readonly rrn: number; readonly credit_card: number; readonly other: number };
  readonly cases: readonly ScanCase[];
  readonly warnings: readonly string[];
}

interface CaseSpec {
  readonly name: string;
  readonly what: string;
  readonly countUnit: string;
  /** Runs once; returns the count. Timed from outside. */
  readonly run: () => number;
  readonly skipped?: string;
}

export function runDetectorBench(options: DetectorBenchOptions): DetectorBenchResult {
  const started = performance.now();
  const corpus = generateCorpus({ bytes: options.bytes, seed: options.seed });
  const generateMs = performance.now() - started;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outguard-bench-'));
  try {
    const file = path.join(dir, 'corpus.txt');
    const bytes = Buffer.from(corpus.text, 'utf8');
    writeFileSync(file, bytes);
    const specs = caseSpecs(corpus, bytes, file);
    const times = specs.map(() => [] as number[]);
    const counts = specs.map(() => null as number | null);
    for (let round = 0; round <= options.rounds; round += 1) {
      specs.forEach((spec, i) => {
        if (spec.skipped) return;
        const t0 = performance.now();
        counts[i] = spec.run();
        const seconds = (performance.now() - t0) / 1000;
        // Round 0 is the warm-up: JIT, page cache.
        if (round > 0) times[i]?.push(corpus.utf8Bytes / 1e6 / seconds);
      });
    }
    const cases = specs.map((spec, i) => ({
      name: spec.name,
      what: spec.what,
      mbPerSecond: times[i] ?? [],
      summary: summarize(times[i] ?? []),
      count: counts[i] ?? null,
      countUnit: spec.countUnit,
      ...(spec.skipped ? { skipped: spec.skipped } : {}),
    }));
    const found = countFindings(corpus.text);
    return {
      corpus: { utf8Bytes: corpus.utf8Bytes, utf16Units: corpus.utf16Units, seed: corpus.seed,
        planted: corpus.planted, generateMs },
      found,
      cases,
      warnings: sanityWarnings(corpus, found, cases),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function countFindings(text: string): DetectorBenchResult['found'] {
  const found = { rrn: 0, credit_card: 0, other: 0 };
  for (const f of detectAll(text)) {
    if (f.type === 'rrn' || f.type === 'credit_card') found[f.type] += 1;
    else found.other += 1;
  }
  return found;
}

function caseSpecs(corpus: Corpus, bytes: Buffer, file: string): CaseSpec[] {
  const regexes = jsCandidateRegexes();
  const rgMissing = ripgrepMissing();
  const pcre2Missing = rgMissing ?? pcre2Unavailable();
  return [
    {
      name: 'detectAll',
      what: 'Outguard detectAll (all detectors, validation, overlap resolution) on the JS string',
      countUnit: 'findings',
      run: () => detectAll(corpus.text).length,
    },
    {
      name: 'node-candidates',
      what: 'V8, the detectors\' candidate regexes alone (two passes, no validation)',
      countUnit: 'candidates',
      run: () => regexes.reduce((sum, re) => sum + countMatches(re, corpus.text), 0),
    },
    {
      name: 'node-utf8-decode',
      what: 'Node, decoding the UTF-8 bytes to a JS string (what a string scan pays first)',
      countUnit: 'UTF-16 units',
      run: () => bytes.toString('utf8').length,
    },
    ripgrepCase('rg', 'unicode', file, 'ripgrep -c -j1, candidate shapes (Unicode classes)',
      rgMissing),
    ripgrepCase('rg-ascii', 'bytes', file, 'ripgrep -c -j1, same shapes under (?-u) as UTF-8 bytes',
      rgMissing),
    ripgrepCase('rg-pcre2', 'pcre2', file, 'ripgrep -P -c -j1, the exact JS patterns (PCRE2 JIT)',
      pcre2Missing),
  ];
}

function countMatches(re: RegExp, text: string): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(text) !== null) n += 1;
  return n;
}

function ripgrepCase(
  name: string,
  dialect: Dialect,
  file: string,
  what: string,
  skipped: string | null,
): CaseSpec {
  const args = ['--no-config', '-c', '-j1', ...(dialect === 'pcre2' ? ['-P'] : [])];
  for (const pattern of candidatePatterns(dialect)) args.push('-e', pattern);
  args.push(file);
  return {
    name,
    what,
    countUnit: 'matching lines',
    run: () => runRipgrep(args),
    ...(skipped ? { skipped } : {}),
  };
}

function runRipgrep(args: string[]): number {
  const result = spawnSync(RIPGREP, args, { encoding: 'utf8', timeout: RIPGREP_TIMEOUT_MS });
  // Exit 1 is "no match", a valid count of zero.
  if (result.status === 1) return 0;
  if (result.status !== 0) {
    throw new Error(`rg exited ${result.status ?? result.signal}: ${result.stderr.trim()}`);
  }
  return Number(result.stdout.trim());
}

function ripgrepMissing(): string | null {
  const probe = spawnSync(RIPGREP, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `${RIPGREP} not found (apt-get install ripgrep)`;
}

function pcre2Unavailable(): string | null {
  const probe = spawnSync(RIPGREP, ['--pcre2-version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : 'ripgrep was built without PCRE2';
}

function sanityWarnings(
  corpus: Corpus,
  found: DetectorBenchResult['found'],
  cases: readonly ScanCase[],
): string[] {
  const warnings: string[] = [];
  const { planted } = corpus;
  if (found.rrn !== planted.rrn || found.credit_card !== planted.credit_card) {
    warnings.push(
      `detectors found rrn ${found.rrn} / card ${found.credit_card}, ` +
        `planted rrn ${planted.rrn} / card ${planted.credit_card}`,
    );
  }
  const candidates = cases.find((c) => c.name === 'node-candidates')?.count ?? 0;
  if (candidates < found.rrn + found.credit_card) {
    warnings.push('the JS candidate mirror finds fewer matches than the detectors: ' +
      'bench/candidate-patterns.ts is stale');
  }
  return warnings;
}
