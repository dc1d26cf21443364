/**
 * The Markdown summary printed at the end of a run: one table per part, ratios beside them.
 * BENCHMARKS.md quotes these tables; the raw numbers stay in the JSON file next to them.
 */
import type { DetectorBenchResult } from './detector-throughput.js';
import type { MachineInfo } from './machine.js';
import type { PipelineCase } from './pipeline-latency.js';
import type { PostfixBenchResult, PostfixRun } from './postfix-throughput.js';
import { QUIET_BUSY_PCT } from './proc-cpu.js';
import { median } from './stats.js';

/** Issue 3's goal for the detector suite, per core. */
export const DETECTOR_GOAL_MB_S = 200;
/** The milter goal: Outguard + Postfix at this share of Postfix alone. */
export const THROUGHPUT_GOAL_RATIO = 0.85;

export interface BenchResult {
  readonly machine: MachineInfo;
  readonly settings: Record<string, unknown>;
  readonly detectors?: DetectorBenchResult;
  readonly pipeline?: readonly PipelineCase[];
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

function detectorSection(d: DetectorBenchResult): string {
  const rows = d.cases.map((c) => [
    c.name,
    c.skipped ? 'skipped' : `**${fixed(c.summary.median)}**`,
    fixed(c.summary.min),
    fixed(c.summary.max),
    c.count === null ? '–' : `${c.count} ${c.countUnit}`,
  ]);
  const ours = d.cases.find((c) => c.name === 'detectAll')?.summary.median ?? Number.NaN;
  const ratioTo = (name: string) => {
    const other = d.cases.find((c) => c.name === name);
    return other && !other.skipped ? fixed(ours / other.summary.median, 2) : '–';
  };
  const c = d.corpus;
  return [
    `Corpus: ${fixed(c.utf8Bytes / 1e6, 1)} MB UTF-8 (${c.utf16Units} UTF-16 units), ` +
      `seed ${c.seed}, ` +
      `planted ${c.planted.rrn} RRN + ${c.planted.credit_card} cards; ` +
      `detectAll found ${d.found.rrn} + ${d.found.credit_card} (other types ${d.found.other}).`,
    '',
    table(['Case (single thread, MB/s)', 'Median', 'Min', 'Max', 'Count'], rows),
    '',
    `detectAll ÷ rg: ${ratioTo('rg')}; ÷ rg (?-u): ${ratioTo('rg-ascii')}; ` +
      `÷ rg -P: ${ratioTo('rg-pcre2')}; against the ${DETECTOR_GOAL_MB_S} MB/s/core goal: ` +
      `${fixed(ours / DETECTOR_GOAL_MB_S, 2)}.`,
    ...d.warnings.map((w) => `\n**Warning:** ${w}`),
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
    `${n} timed iterations per mail after warm-up.`,
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

export function renderMarkdown(result: BenchResult): string {
  const out = ['## Outguard benchmark', '', machineSection(result.machine)];
  if (result.detectors) {
    out.push('', '### Detector throughput', '', detectorSection(result.detectors));
  }
  if (result.pipeline) {
    out.push('', '### Inspection pipeline, per message', '', pipelineSection(result.pipeline));
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
