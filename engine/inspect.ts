/**
 * The inspection pipeline shared by the milter and `outguard scan`: raw message in, located and
 * masked findings, problems and a policy decision out.
 *
 * Extraction and detection run in a Scanner (engine/scanner.ts): in this process by default,
 * in the worker pool for the daemon. Policy, masking and the fail-closed floor run here.
 *
 * It has no side effects: recording, replying to Postfix and printing belong to the callers.
 */
import type { AttachmentInfo, Problem, ProblemCode } from '../content/types.js';
import { DEFAULT_LIMITS } from '../content/limits.js';
import type { ExtractLimits } from '../content/index.js';
import { defaultDetection } from '../detectors/index.js';
import type { Detection, Finding } from '../detectors/types.js';
import { evaluatePolicy } from '../policies/evaluate.js';
import type { RawMessage } from '../milter/spool.js';
import type { Decision, Policy } from '../policies/types.js';
import { inProcessScanner, type NameFindings, type ScannedMessage, type Scanner } from './scanner.js';

export interface LocatedFinding extends Finding {
  /**
   * `subject`, `body`, `body:html`, `attachment:NAME[/inner/path][#page=N]`, or, for a value in a
   * file, sheet or entry name, `attachment-name:` and that name or location, masked.
   */
  readonly location: string;
}

export interface InspectOptions {
  readonly policy: Policy;
  /** The detector set built from the settings; default every personal-data type, no dictionaries. */
  readonly detection?: Detection;
  /** The MTA cut the message at our size limit: what follows the cut was never seen. */
  readonly truncated?: boolean;
  /** Where extraction and detection run; default in this process. The daemon passes its pool. */
  readonly scanner?: Scanner;
  /** Per-message extraction limits; default content/limits.ts DEFAULT_LIMITS. */
  readonly limits?: ExtractLimits;
  /** Names the message in the scanner's log lines (the Postfix queue id). */
  readonly label?: string;
}

export interface Inspection {
  /** Extraction output (segment locations, not their text); its subject and file names may hold clear values: never store it. */
  readonly extracted: ScannedMessage;
  readonly findings: readonly LocatedFinding[];
  readonly problems: readonly Problem[];
  /** Attachments with every finding in their file names masked: safe to store and print. */
  readonly attachments: readonly AttachmentInfo[];
  readonly decision: Decision;
  /** The subject with every finding in it replaced by its masked form: safe to store and log. */
  readonly maskedSubject: string;
}

/**
 * Problems that mean part of the message was never read. Whatever the policy says, a message
 * with one of them is not delivered: the engine raises accept or monitor to hold.
 */
export const UNINSPECTED_PROBLEMS: ReadonlySet<ProblemCode> = new Set([
  'unparseable',
  'truncated',
  'unreadable',
  // A limit stopped reading: what lay past it (a bomb's payload, the 21st level) was never seen.
  'limit-exceeded',
]);

/** Rule id recorded when the fail-closed floor, not a policy rule, decided. */
export const FAIL_CLOSED_RULE = 'builtin-uninspected';

export async function inspectMessage(raw: RawMessage, options: InspectOptions): Promise<Inspection> {
  const scanner = options.scanner ?? inProcessScanner;
  const { extracted, segmentFindings, nameFindings } = await scanner.scan({
    raw,
    limits: options.limits ?? DEFAULT_LIMITS,
    detection: options.detection ?? defaultDetection,
    ...(options.label !== undefined ? { label: options.label } : {}),
  });
  const findings: LocatedFinding[] = [];
  let subjectFindings: readonly Finding[] = [];
  extracted.segments.forEach((segment, index) => {
    const found = segmentFindings[index] ?? [];
    if (segment.location === 'subject') subjectFindings = found;
    for (const f of found) findings.push({ ...f, location: segment.location });
  });
  const renames = namesFound(nameFindings, findings);
  const problems: Problem[] = [...extracted.problems];
  if (options.truncated) {
    problems.push({ code: 'truncated', location: 'message', detail: 'message larger than milter.maxMessageBytes' });
  }
  const decision = failClosed(evaluatePolicy(options.policy, { findings, problems }), problems);
  return {
    extracted,
    findings: findings.map((f) => ({ ...f, location: renamed(f.location, renames) })),
    problems: problems.map((p) => ({ ...p, location: renamed(p.location, renames), detail: renamed(p.detail, renames) })),
    attachments: extracted.attachments.map((a) => ({ ...a, filename: a.filename && renamed(a.filename, renames) })),
    decision,
    maskedSubject: maskSpans(extracted.subject, subjectFindings),
  };
}

function failClosed(decision: Decision, problems: readonly Problem[]): Decision {
  if (decision.action === 'hold' || decision.action === 'block') return decision;
  const unread = [...new Set(problems.filter((p) => UNINSPECTED_PROBLEMS.has(p.code)).map((p) => p.code))];
  if (unread.length === 0) return decision;
  return { ...decision, action: 'hold', ruleId: FAIL_CLOSED_RULE, reason: unread.join(', ') };
}

/**
 * File names, sheet names and entry paths are text the sender chose: each one with findings is
 * masked wherever it appears in what leaves the engine (longest first, so a location is masked
 * whole before a file name inside it), and its findings are added at `attachment-name:MASKED`
 * so a value found only there still counts for the policy. A value met in several names (a zip's
 * name is in each of its entries' paths and locations) is counted once.
 */
function namesFound(nameFindings: readonly NameFindings[], findings: LocatedFinding[]): Map<string, string> {
  const renames = new Map<string, string>();
  const counted = new Set<string>();
  for (const [name, found] of nameFindings) {
    const masked = maskSpans(name, found);
    renames.set(name, masked);
    const shown = masked.startsWith(ATTACHMENT) ? masked.slice(ATTACHMENT.length) : masked;
    for (const f of found) {
      const key = `${f.type}\u0000${f.label ?? ''}\u0000${name.slice(f.start, f.end)}`;
      if (counted.has(key)) continue;
      counted.add(key);
      findings.push({ ...f, location: `attachment-name:${shown}` });
    }
  }
  return new Map([...renames].sort(([a], [b]) => b.length - a.length));
}

const ATTACHMENT = 'attachment:';

function renamed(text: string, renames: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [name, masked] of renames) out = out.split(name).join(masked);
  return out;
}

/** A finding as it may leave the engine (record, report): masked, located, no clear value. */
export function findingSummary(f: LocatedFinding) {
  return {
    type: f.type,
    masked: f.masked,
    location: f.location,
    confidence: f.confidence,
    start: f.start,
    end: f.end,
    // Dictionary or pattern name: what a keyword or pattern finding is counted under.
    ...(f.label !== undefined ? { label: f.label } : {}),
  };
}

/**
 * Replace each finding's span in `text` with its masked form. Personal-data findings never
 * overlap each other, but a dictionary word or pattern match may overlap them; where findings
 * overlap, the one starting first is written and the part of a later one that runs past it is
 * written as `*`, so no character inside any finding is ever left in clear.
 */
export function maskSpans(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const f of sorted) {
    if (f.end <= at) continue;
    if (f.start < at) {
      out += '*'.repeat(f.end - at);
    } else {
      out += text.slice(at, f.start) + f.masked;
    }
    at = f.end;
  }
  return out + text.slice(at);
}
