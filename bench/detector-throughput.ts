/**
 * Detector throughput (issue 3): the full detector suite in MB/s, with and without a 5,000-word
 * company dictionary, beside ripgrep running the same patterns (bench/candidate-patterns.ts) over
 * the same text in the same rounds; and the time `detect` takes on one 50 KB mail body.
 *
 * Two corpora, each its own set of rows (bench/corpus.ts): `business`, digit-dense (the main
 * figure), and `prose`, a few percent digits. The text is held in memory as one JS string for
 * the detectors and written to a file for ripgrep. MB is 10^6 bytes of the text's UTF-8
 * encoding for every row, so rows compare directly.
 *
 * Each round runs every case once, in a fixed order; rounds repeat, so a slow spell of the VM hits
 * every case alike (perf-anchors.md: ±10 % drift minute to minute). An untimed round first warms
 * V8's JIT and counts the findings by type; ripgrep sits it out (the file is already in the
 * page cache, having just been written). Single thread throughout: the detectors run on the main
 * thread, ripgrep gets `-j1`.
 *
 * The detectors are loaded from dist/ when the build is current (bench/built.ts): the milter runs
 * compiled JavaScript, and tsx's transform costs time of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBuilt } from './built.js';
import { patternFile, type Dialect } from './candidate-patterns.js';
import { CORPUS_STYLES, generateCorpus, type Corpus, type CorpusStyle } from './corpus.js';
import { companyDictionary } from './dictionary.js';
import { summarize, type Summary } from './stats.js';

type DetectorsModule = typeof import('../detectors/index.js');
type Detection = import('../detectors/index.js').Detection;

const RIPGREP = '/usr/bin/rg';

/** ripgrep with the dictionary over 50 MB takes seconds; this only stops a hung one. */
const RIPGREP_TIMEOUT_MS = 300_000;

/** Size of the per-message body (issue 3: "per-message scan time for a 50 KB body"). */
const MESSAGE_BYTES = 50_000;
/** Different bodies the per-message calls cycle through. */
const MESSAGE_BODIES = 20;

export interface DetectorBenchOptions {
  /** Corpus size in UTF-8 bytes (50 MB full, smaller for --quick). */
  readonly bytes: number;
  readonly rounds: number;
  /** Timed `detect` calls per 50 KB body and dictionary setting. */
  readonly messageIterations: number;
  readonly messageWarmup: number;
  readonly styles?: readonly CorpusStyle[];
  readonly seed?: number;
  readonly onProgress?: (message: string) => void;
}

export interface ScanCase {
  readonly name: string;
  readonly what: string;
  /** MB/s of each timed round. */
  readonly mbPerSecond: readonly number[];
  readonly summary: Summary;
  /** Findings, matches or UTF-16 units: whatever the case counts, for a sanity check. */
  readonly count: number | null;
  readonly countUnit: string;
  /** Set when the case could not run (ripgrep missing). */
  readonly skipped?: string;
}

export interface CorpusSet {
  readonly corpus: {
    readonly style: CorpusStyle;
    readonly utf8Bytes: number;
    readonly utf16Units: number;
    readonly digitShare: number;
    readonly seed: number;
    readonly planted: Corpus['planted'];
    readonly codeNameMentions: number;
    readonly generateMs: number;
  };
  /** Findings by type (any confidence) from the warm-up round, without and with the dictionary. */
  readonly found: Readonly<Record<string, number>>;
  readonly foundWithDictionary: Readonly<Record<string, number>>;
  readonly cases: readonly ScanCase[];
  readonly warnings: readonly string[];
}

export interface MessageCase {
  readonly style: CorpusStyle;
  readonly dictionary: boolean;
  /** Average UTF-8 size of the bodies. */
  readonly utf8Bytes: number;
  readonly bodies: number;
  /** Milliseconds per `detect`, one entry per timed call. */
  readonly ms: readonly number[];
  readonly summary: Summary;
  readonly findingsPerBody: number;
}

export interface DetectorBenchResult {
  /** `dist`, or why the source was used instead (bench/built.ts). */
  readonly detectorsFrom: string;
  readonly dictionary: {
    readonly words: number;
    readonly inUse: number;
    /** `createDetection` with the dictionary, once, cold. */
    readonly compileMs: number;
  };
  readonly patterns: { readonly shapes: number; readonly keywords: number; readonly dictionaryWords: number };
  readonly sets: readonly CorpusSet[];
  readonly perMessage: readonly MessageCase[];
}

interface CaseSpec {
  readonly name: string;
  readonly what: string;
  readonly countUnit: string;
  /** Also runs in the untimed warm-up round (JavaScript cases: JIT). */
  readonly warmup: boolean;
  /** Runs once; returns the count. Timed from outside. `tally` is set in the warm-up round. */
  readonly run: (tally?: Record<string, number>) => number;
  readonly skipped?: string;
}

interface Detections {
  readonly plain: Detection;
  readonly withDictionary: Detection;
}

export async function runDetectorBench(options: DetectorBenchOptions): Promise<DetectorBenchResult> {
  const progress = options.onProgress ?? (() => {});
  const built = await loadBuilt<DetectorsModule>('detectors/index');
  const { createDetection } = built.module;
  const dictionary = companyDictionary();
  const spec = [{ name: 'company', words: dictionary.words }];
  const t0 = performance.now();
  const withDictionary = createDetection({ dictionaries: spec });
  const compileMs = performance.now() - t0;
  const detections: Detections = { withDictionary, plain: createDetection() };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outguard-bench-'));
  try {
    const files = writePatternFiles(dir, dictionary.words);
    const sets: CorpusSet[] = [];
    for (const style of options.styles ?? CORPUS_STYLES) {
      progress(`detectors: ${style} corpus, ${options.bytes / 1e6} MB, ${options.rounds} rounds`);
      sets.push(runCorpusSet(style, options, detections, dir, files.paths));
    }
    progress('detectors: 50 KB bodies');
    const perMessage = (options.styles ?? CORPUS_STYLES).flatMap((style) =>
      messageCases(style, options, detections));
    return {
      detectorsFrom: built.from,
      dictionary: { words: dictionary.words.length, inUse: dictionary.inUse.length, compileMs },
      patterns: files.counts,
      sets,
      perMessage,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type PatternPaths = Record<`${Dialect}${'' | '+dict'}` | 'words', string>;

function writePatternFiles(dir: string, words: readonly string[]) {
  const paths = {} as PatternPaths;
  paths.words = path.join(dir, 'words.txt');
  writeFileSync(paths.words, `${words.join('\n')}\n`);
  let counts = { shapes: 0, keywords: 0, dictionaryWords: 0 };
  for (const dialect of ['unicode', 'bytes'] as const) {
    for (const withWords of [false, true]) {
      const file = patternFile(dialect, withWords ? words : []);
      const name = `${dialect}${withWords ? '+dict' : ''}` as const;
      const target = path.join(dir, `patterns-${dialect}${withWords ? '-dict' : ''}.txt`);
      writeFileSync(target, file.text);
      paths[name] = target;
      if (withWords) counts = { shapes: file.shapes, keywords: file.keywords, dictionaryWords: file.dictionaryWords };
    }
  }
  return { paths, counts };
}

function runCorpusSet(
  style: CorpusStyle,
  options: DetectorBenchOptions,
  detections: Detections,
  dir: string,
  patterns: PatternPaths,
): CorpusSet {
  const started = performance.now();
  const corpus = generateCorpus({ bytes: options.bytes, seed: options.seed, style });
  const generateMs = performance.now() - started;
  const file = path.join(dir, `corpus-${style}.txt`);
  const bytes = Buffer.from(corpus.text, 'utf8');
  writeFileSync(file, bytes);
  const specs = caseSpecs(corpus, bytes, file, detections, patterns);
  const times = specs.map(() => [] as number[]);
  const counts = specs.map(() => null as number | null);
  const tallies = specs.map(() => ({}) as Record<string, number>);
  for (let round = 0; round <= options.rounds; round += 1) {
    specs.forEach((spec, i) => {
      if (spec.skipped || (round === 0 && !spec.warmup)) return;
      const t0 = performance.now();
      counts[i] = spec.run(round === 0 ? tallies[i] : undefined);
      const seconds = (performance.now() - t0) / 1000;
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
  const found = tallies[specs.findIndex((s) => s.name === 'detect')] ?? {};
  const foundWithDictionary = tallies[specs.findIndex((s) => s.name === 'detect+dict')] ?? {};
  return {
    corpus: {
      style,
      utf8Bytes: corpus.utf8Bytes,
      utf16Units: corpus.utf16Units,
      digitShare: corpus.digitShare,
      seed: corpus.seed,
      planted: corpus.planted,
      codeNameMentions: corpus.codeNameMentions,
      generateMs,
    },
    found,
    foundWithDictionary,
    cases,
    warnings: sanityWarnings(corpus, found, foundWithDictionary, cases),
  };
}

/** Runs `detection` on `text`; in the warm-up round also counts findings by type. */
function detectCase(detection: Detection, text: string) {
  return (tally?: Record<string, number>): number => {
    const findings = detection.detect(text);
    if (tally) for (const f of findings) tally[f.type] = (tally[f.type] ?? 0) + 1;
    return findings.length;
  };
}

function caseSpecs(
  corpus: Corpus,
  bytes: Buffer,
  file: string,
  detections: Detections,
  patterns: PatternPaths,
): CaseSpec[] {
  const missing = ripgrepMissing();
  const rg = (name: string, key: keyof PatternPaths, what: string): CaseSpec => ({
    name,
    what,
    countUnit: 'matches',
    warmup: false,
    run: () => runRipgrep(['--no-config', '--count-matches', '-j1', '-f', patterns[key], file]),
    ...(missing ? { skipped: missing } : {}),
  });
  return [
    {
      name: 'detect',
      what: 'Outguard `detect`, all 11 personal-data types (createDetection())',
      countUnit: 'findings',
      warmup: true,
      run: detectCase(detections.plain, corpus.text),
    },
    rg('rg', 'unicode', 'ripgrep, the same shapes and context keywords'),
    {
      name: 'detect+dict',
      what: 'Outguard `detect`, all types + the 5,000-word dictionary',
      countUnit: 'findings',
      warmup: true,
      run: detectCase(detections.withDictionary, corpus.text),
    },
    rg('rg+dict', 'unicode+dict', 'ripgrep, the same shapes, keywords and 5,000 words'),
    {
      name: 'rg+dict-2pass',
      what: 'ripgrep twice: shapes and keywords, then the 5,000 words as fixed strings (-F -i)',
      countUnit: 'matches',
      warmup: false,
      run: () =>
        runRipgrep(['--no-config', '--count-matches', '-j1', '-f', patterns.unicode, file]) +
        runRipgrep(['--no-config', '--count-matches', '-j1', '-F', '-i', '-f', patterns.words, file]),
      ...(missing ? { skipped: missing } : {}),
    },
    rg('rg-bytes', 'bytes', 'ripgrep, shapes and keywords under (?-u), as UTF-8 bytes'),
    rg('rg-bytes+dict', 'bytes+dict', 'ripgrep, shapes, keywords and words under (?-u)'),
    {
      name: 'node-utf8-decode',
      what: 'Node, decoding the UTF-8 bytes to a JS string (what a string scan pays first)',
      countUnit: 'UTF-16 units',
      warmup: true,
      run: () => bytes.toString('utf8').length,
    },
  ];
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

/**
 * `detect` on 50 KB bodies of each corpus style, with and without the dictionary, alternating
 * call by call. Calls cycle through MESSAGE_BODIES different bodies: one body repeated a thousand
 * times sits in the CPU caches and read 10-15 % faster than a stream of different mails does.
 * Each call is timed on its own so the p95 shows the collection pauses a median hides.
 */
function messageCases(style: CorpusStyle, options: DetectorBenchOptions, detections: Detections): MessageCase[] {
  const base = (options.seed ?? 0) + 1;
  const bodies = Array.from({ length: MESSAGE_BODIES }, (_, k) =>
    generateCorpus({ bytes: MESSAGE_BYTES, seed: base + k, style }).text);
  const averageBytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b, 'utf8'), 0) / bodies.length;
  const variants = [
    { dictionary: false, detection: detections.plain, ms: [] as number[], findings: 0 },
    { dictionary: true, detection: detections.withDictionary, ms: [] as number[], findings: 0 },
  ];
  for (let i = 0; i < options.messageWarmup + options.messageIterations; i += 1) {
    const body = bodies[i % bodies.length] as string;
    for (const v of variants) {
      const t0 = performance.now();
      const found = v.detection.detect(body).length;
      const ms = performance.now() - t0;
      if (i < options.messageWarmup) continue;
      v.ms.push(ms);
      v.findings += found;
    }
  }
  return variants.map((v) => ({
    style,
    dictionary: v.dictionary,
    utf8Bytes: averageBytes,
    bodies: bodies.length,
    ms: v.ms,
    summary: summarize(v.ms),
    findingsPerBody: v.findings / Math.max(1, v.ms.length),
  }));
}

function sanityWarnings(
  corpus: Corpus,
  found: Readonly<Record<string, number>>,
  withDictionary: Readonly<Record<string, number>>,
  cases: readonly ScanCase[],
): string[] {
  const warnings: string[] = [];
  const { planted, style } = corpus;
  const rrn = found.rrn ?? 0;
  const card = found.credit_card ?? 0;
  if (rrn !== planted.rrn || card !== planted.credit_card) {
    warnings.push(`${style}: detectors found rrn ${rrn} / card ${card}, ` +
      `planted rrn ${planted.rrn} / card ${planted.credit_card}`);
  }
  const keywords = withDictionary.keyword ?? 0;
  if (keywords !== corpus.codeNameMentions) {
    warnings.push(`${style}: ${keywords} dictionary findings, ${corpus.codeNameMentions} words written`);
  }
  const rgCount = cases.find((c) => c.name === 'rg')?.count ?? null;
  if (rgCount !== null && rgCount < planted.rrn + planted.credit_card) {
    warnings.push(`${style}: ripgrep matched ${rgCount}, fewer than the ${planted.rrn + planted.credit_card} ` +
      'planted values: bench/candidate-patterns.ts is stale');
  }
  return warnings;
}
