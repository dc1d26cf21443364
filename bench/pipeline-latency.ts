/**
 * Per-message cost of the whole inspection pipeline (`inspectMessage`: MIME parse, charset and
 * transfer decoding, detectors, policy) with the shipped default policy, one message at a time
 * on one thread, as the milter runs it at end-of-message.
 *
 * Warm-up iterations run first and are not timed: a daemon that has seen a few hundred mails is
 * the state worth measuring. Each timed iteration is measured on its own so the p95 shows the
 * garbage-collection pauses a median hides.
 *
 * The engine and the policy loader come from dist/ when the build is current (bench/built.ts).
 */
import { loadBuilt } from './built.js';
import { ANCHOR_RRN, koreanMail } from './mails.js';
import { summarize, type Summary } from './stats.js';

export interface PipelineBenchOptions {
  readonly iterations: number;
  readonly warmup: number;
}

type InspectModule = typeof import('../engine/inspect.js');
type PolicyLoadModule = typeof import('../policies/load.js');

export interface PipelineCase {
  readonly name: string;
  readonly what: string;
  readonly bytes: number;
  /** Milliseconds per message, one entry per timed iteration. */
  readonly ms: readonly number[];
  readonly summary: Summary;
  /** What the policy decided and how many findings it saw (a sanity check). */
  readonly action: string;
  readonly findings: number;
  /** `dist`, or why the source was used instead. */
  readonly from: string;
}

/** The two mails the brief asks for: 50 KB and 5 KB, EUC-KR base64, one RRN each. */
const MAILS = [
  { name: 'mail-50k', bytes: 50_000 },
  { name: 'mail-5k', bytes: 5_000 },
] as const;

export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineCase[]> {
  const engine = await loadBuilt<InspectModule>('engine/inspect');
  const { inspectMessage } = engine.module;
  const policy = (await loadBuilt<PolicyLoadModule>('policies/load')).module.loadPolicyFile();
  const cases: PipelineCase[] = [];
  for (const spec of MAILS) {
    const raw = koreanMail({ bytes: spec.bytes, rrn: ANCHOR_RRN });
    let last = await inspectMessage(raw, { policy });
    for (let i = 0; i < options.warmup; i += 1) last = await inspectMessage(raw, { policy });
    const ms: number[] = [];
    for (let i = 0; i < options.iterations; i += 1) {
      const t0 = performance.now();
      last = await inspectMessage(raw, { policy });
      ms.push(performance.now() - t0);
    }
    cases.push({
      name: spec.name,
      what: `${(raw.length / 1000).toFixed(1)} KB Korean mail, EUC-KR body in base64, one RRN ` +
        '(plus the phones and addresses of its text)',
      bytes: raw.length,
      ms,
      summary: summarize(ms),
      action: last.decision.action,
      findings: last.findings.length,
      from: engine.from,
    });
  }
  return cases;
}
