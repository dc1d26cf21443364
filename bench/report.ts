/**
 * The Markdown summary printed at the end of a run: one table per part, ratios beside them.
 * BENCHMARKS.md quotes these tables; the raw numbers stay in the JSON file next to them.
 */
import type { CorpusSet, DetectorBenchResult, MessageCase } from './detector-throughput.js';
import type { ExtractionBenchResult, MailFigures } from './extraction.js';
import type { MachineInfo } from './machine.js';
import type { PipelineCase } from './pipeline-latency.js';
import type { PostfixBenchResult, PostfixRun } from './postfix-throughput.js';
import { QUIET_BUSY_PCT } from './proc-cpu.js';
import { median } from './stats.js';

/** Issue 3's goal for the detector suite, per core. */
export const DETECTOR_GOAL_MB_S = 200;
/** Issue 4's goals: one 10 MB mail extracted and scanned within this, ten at once within that. */
export const EXTRACTION_GOAL_MS = 1500;
export const EXTRACTION_GOAL_RSS_MB = 600;
/** The milter goal: Outguard + Postfix at this share of Postfix alone. */
export const THROUGHPUT_GOAL_RATIO = 0.85;

export interface BenchResult {
  readonly machine: MachineInfo;
  readonly settings: Record<string, unknown>;
  readonly detectors?: DetectorBenchResult;
  readonly pipeline?: readonly PipelineCase[];
  readonly extraction?: ExtractionBenchResult;
  readonly postfix?: PostfixBenchResult;
  /** Parts that did not run, with the reason. */
  readonly skipped: Readonly<Record<string, string>>;
}

function fixed(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function machineSection(m: MachineInfo): string {
  return [
    `Machine: ${m.cores} cores (nproc), ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.kernel}`,
    `Software: Node ${m.node}, Postfix ${m.postfix ?? 'not found'}, ` +
      `${m.ripgrep ?? 'ripgrep not found'}`,
    `Run: ${m.date}, commit ${m.commit ?? 'none'}${m.dirty ? ' (uncommitted changes)' : ''}, ` +
      `load average ${m.loadAverage} at start`,
  ].join('  \n');
}

/** `rrn 2,981, phone 20,223, …`, largest first. */
function typeCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([type, n]) => `${type} ${n}`).join(', ');
}

function caseMedian(set: CorpusSet, name: string): number {
  const c = set.cases.find((x) => x.name === name);
  return c && !c.skipped ? c.summary.median : Number.NaN;
}

function corpusSetSection(set: CorpusSet): string {
  const c = set.corpus;
  const rows = set.cases.map((x) => [
    `${x.name}: ${x.what}`,
    x.skipped ? 'skipped' : `**${fixed(x.summary.median)}**`,
    fixed(x.summary.min),
    fixed(x.summary.max),
    x.count === null ? '–' : `${x.count} ${x.countUnit}`,
  ]);
  const ratio = (ours: string, theirs: string) =>
    fixed(caseMedian(set, ours) / caseMedian(set, theirs), 2);
  const full = caseMedian(set, 'detect+dict');
  return [
    `#### ${c.style} corpus`,
    '',
    `${fixed(c.utf8Bytes / 1e6, 1)} MB UTF-8 (${c.utf16Units} UTF-16 units, ` +
      `${fixed(c.digitShare * 100, 1)} % digits), seed ${c.seed}; planted ${c.planted.rrn} RRN + ` +
      `${c.planted.credit_card} cards, ${c.codeNameMentions} dictionary words written.`,
    `Findings at any confidence: ${typeCounts(set.found)}. ` +
      `With the dictionary: ${typeCounts(set.foundWithDictionary)}.`,
    '',
    table(['Case (single thread, MB/s)', 'Median', 'Min', 'Max', 'Count'], rows),
    '',
    `detect ÷ rg = **${ratio('detect', 'rg')}**; detect+dict ÷ rg+dict = **${ratio('detect+dict', 'rg+dict')}**, ` +
      `÷ rg+dict-2pass = **${ratio('detect+dict', 'rg+dict-2pass')}**; against the (?-u) rows: ` +
      `${ratio('detect', 'rg-bytes')} and ${ratio('detect+dict', 'rg-bytes+dict')}. ` +
      `All types + dictionary against the ${DETECTOR_GOAL_MB_S} MB/s/core goal: ` +
      `${fixed(full)} MB/s = ${fixed(full / DETECTOR_GOAL_MB_S, 2)} of it.`,
    ...set.warnings.map((w) => `\n**Warning:** ${w}`),
  ].join('\n');
}

function messageSection(cases: readonly MessageCase[]): string {
  const rows = cases.map((m) => [
    `${m.style}, ${m.bodies} bodies of ${fixed(m.utf8Bytes / 1000, 1)} KB`,
    m.dictionary ? 'all types + 5,000 words' : 'all types',
    `**${fixed(m.summary.median, 2)}**`,
    fixed(m.summary.p95, 2),
    fixed(m.summary.min, 2),
    fixed(m.summary.max, 2),
    fixed(m.utf8Bytes / 1000 / m.summary.median, 0),
    fixed(m.findingsPerBody, 0),
  ]);
  return [
    table(['`detect` on one body (ms)', 'Detectors', 'Median', 'p95', 'Min', 'Max', 'MB/s at median',
      'Findings per body'], rows),
    '',
    `${cases[0]?.summary.n ?? 0} timed calls per row after warm-up, cycling through the bodies, ` +
      'the two settings alternating.',
  ].join('\n');
}

function detectorSection(d: DetectorBenchResult): string {
  return [
    `Detectors loaded from ${d.detectorsFrom}. Dictionary: ${d.dictionary.words} words ` +
      `(${d.dictionary.inUse} of them written into the corpora), compiled in ` +
      `${fixed(d.dictionary.compileMs, 0)} ms. ripgrep pattern files: ${d.patterns.shapes} detector ` +
      `shapes + ${d.patterns.keywords} context keywords (+ ${d.patterns.dictionaryWords} words), ` +
      '`rg --count-matches -j1 -f FILE`.',
    ...d.sets.map((set) => `\n${corpusSetSection(set)}`),
    '',
    '#### `detect` per message',
    '',
    messageSection(d.perMessage),
  ].join('\n');
}

function pipelineSection(cases: readonly PipelineCase[]): string {
  const rows = cases.map((c) => [
    c.what,
    `**${fixed(c.summary.median, 2)}**`,
    fixed(c.summary.p95, 2),
    fixed(c.summary.min, 2),
    fixed(c.summary.max, 2),
    fixed(1000 / c.summary.median, 0),
    `${c.action} (${plural(c.findings, 'finding')})`,
  ]);
  const n = cases[0]?.summary.n ?? 0;
  return [
    table(['inspectMessage, default policy (ms)', 'Median', 'p95', 'Min', 'Max',
      'msg/s on 1 core', 'Decision'], rows),
    '',
    `${n} timed iterations per mail after warm-up; engine loaded from ${cases[0]?.from ?? '–'}.`,
  ].join('\n');
}

function cpuCell(runs: readonly PostfixRun[]): string {
  const pick = (key: keyof PostfixRun['cpuMsPerMail']) => {
    const values = runs.map((r) => r.cpuMsPerMail[key]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : median(values);
  };
  const parts = [`Postfix ${fixed(pick('postfix'), 2)}`];
  const outguard = pick('outguard');
  if (outguard !== null) parts.push(`Outguard ${fixed(outguard, 2)}`);
  parts.push(`tools ${fixed(pick('loadTools'), 2)}`);
  return parts.join(', ');
}

function postfixSection(p: PostfixBenchResult): string {
  const rows = p.summaries.map((s) => {
    const runs = p.runs.filter((r) => r.set === s.set && r.case === s.case);
    const busy = median(runs.map((r) => r.cpu?.busyPct ?? Number.NaN));
    const system = median(runs.map((r) => r.cpu?.systemPct ?? Number.NaN));
    return [
      `${s.set}, ${s.case === 'alone' ? 'Postfix alone' : 'Postfix + Outguard'}`,
      `**${fixed(s.msgPerSecond.median)}**`,
      fixed(s.msgPerSecond.min),
      fixed(s.msgPerSecond.max),
      fixed(s.refusedPct.median, 1),
      s.held.join(' / '),
      `${s.completeRuns}/${runs.length}`,
      `${fixed(busy, 0)} % (${fixed(system, 0)} % kernel)`,
      cpuCell(runs),
    ];
  });
  const first = p.runs[0];
  const load = first
    ? `${first.messages} mails per run (${first.marked} with the RRN), ` +
      `${plural(p.summaries[0]?.msgPerSecond.n ?? 0, 'run')} per case, interleaved, ` +
      'fresh Postfix per run.'
    : 'No runs.';
  const ratios = p.ratios.map(
    (r) => `${r.set}: Outguard ÷ alone = **${fixed(r.ofMedians, 2)}** (medians), ` +
      `${fixed(r.pairedMedian, 2)} (median of per-run pairs); goal ${THROUGHPUT_GOAL_RATIO}.`,
  );
  const noisy = p.runs.filter((r) => (r.backgroundBusyPct ?? 0) >= QUIET_BUSY_PCT).length;
  const errors = p.runs.reduce((sum, r) => sum + (r.outguard?.errors ?? 0), 0);
  const sourceErrors = p.runs.flatMap((r) => r.sourceErrors);
  return [
    load,
    '',
    table(['Mail set, case', 'Median msg/s', 'Min', 'Max', 'Refused %', 'Held per run',
      'Complete', 'CPU busy', 'CPU ms per mail'], rows),
    '',
    ...ratios,
    '',
    `Outguard inspection errors (fail-closed answers): ${errors}. ` +
      `Runs started on a busy machine (≥ ${QUIET_BUSY_PCT} % busy the second before): ${noisy}.`,
    '',
    'Per run, msg/s (machine busy % in the second before the run):',
    '',
    ...perRunLines(p),
    ...(sourceErrors.length > 0 ? [`smtp-source errors: ${sourceErrors.join('; ')}`] : []),
  ].join('\n');
}

function perRunLines(p: PostfixBenchResult): string[] {
  return p.summaries.map((s) => {
    const runs = p.runs.filter((r) => r.set === s.set && r.case === s.case);
    const cells = runs.map(
      (r) => `${fixed(r.msgPerSecond, 0)} (${fixed(r.backgroundBusyPct, 0)} %)`,
    );
    return `- ${s.set}, ${s.case}: ${cells.join(', ')}`;
  });
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}

function mailRow(what: string, m: MailFigures): string[] {
  const parts = Object.entries(m.perAttachment).map(([name, ms]) => `${name} ${fixed(ms, 0)}`).join(', ');
  return [
    what,
    `${mb(m.bytes)} (PDF ${mb(m.pdf)}, XLSX ${mb(m.xlsx)}, HWP ${mb(m.hwp)})`,
    `**${fixed(m.inProcess.median, 0)}**`,
    `${fixed(m.inProcess.min, 0)}–${fixed(m.inProcess.max, 0)}`,
    parts,
    String(m.findings),
    m.problems.length === 0 ? 'none' : m.problems.join('; '),
  ];
}

function extractionSection(r: ExtractionBenchResult): string {
  const c = r.concurrent;
  return [
    `Extractors loaded from ${r.from}. One mail, extraction and detection, in this process (ms):`,
    '',
    table(
      ['Mail', 'MB (attachments)', 'Median', 'Min–max', 'Each attachment alone, median', 'Findings', 'Problems'],
      [mailRow('typical (PDF: 60 text pages + a photograph)', r.typical), mailRow('all text (PDF: text pages only)', r.allText)],
    ),
    '',
    `The typical mail through a warm pool of ${r.poolSize} children: **${fixed(r.pooled.median, 0)} ms** median ` +
      `(${fixed(r.pooled.min, 0)}–${fixed(r.pooled.max, 0)}); goal ${EXTRACTION_GOAL_MS} ms.`,
    '',
    `${c.mails} typical mails at once to a running \`outguard start\` over the milter protocol: ` +
      `${fixed(c.wallMs / 1000, 1)} s wall; peak resident of the daemon and its children ` +
      `**${fixed(c.peakTreeMb, 0)} MB** summed RSS, **${fixed(c.peakTreePssMb, 0)} MB** PSS (the daemon process ` +
      `alone ${fixed(c.peakDaemonMb, 0)} MB; idle, ${fixed(c.idleTreeMb, 0)} MB RSS, ${fixed(c.idleTreePssMb, 0)} MB PSS ` +
      `and ${fixed(c.idleDaemonMb, 0)} MB); goal ${EXTRACTION_GOAL_RSS_MB} MB. ` +
      `Verdicts: ${Object.entries(c.verdicts).map(([v, n]) => `${n} ${v}`).join(', ')}.`,
    '',
    `OCR of one ${r.ocr.pixels} page image (30 lines of Korean, tesseract kor+eng, one thread): ` +
      `**${fixed(r.ocr.perPageMs.median, 0)} ms** median (${fixed(r.ocr.perPageMs.min, 0)}–${fixed(r.ocr.perPageMs.max, 0)}).`,
  ].join('\n');
}

export function renderMarkdown(result: BenchResult): string {
  const out = ['## Outguard benchmark', '', machineSection(result.machine)];
  if (result.detectors) {
    out.push('', '### Detector throughput', '', detectorSection(result.detectors));
  }
  if (result.pipeline) {
    out.push('', '### Inspection pipeline, per message', '', pipelineSection(result.pipeline));
  }
  if (result.extraction) {
    out.push('', '### Attachment extraction', '', extractionSection(result.extraction));
  }
  if (result.postfix) {
    out.push('', '### Postfix throughput', '', postfixSection(result.postfix));
    const storeDir = result.settings.storeDir;
    if (typeof storeDir === 'string') {
      out.push('', `*Outguard's store was under ${storeDir} (--store-dir): a diagnosis run.*`);
    }
  }
  for (const [part, reason] of Object.entries(result.skipped)) {
    out.push('', `*${part}: skipped (${reason}).*`);
  }
  return `${out.join('\n')}\n`;
}
