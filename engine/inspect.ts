/**
 * The inspection pipeline shared by the milter and `outguard scan`: raw message in, located and
 * masked findings, problems and a policy decision out.
 *
 * It has no side effects: recording, replying to Postfix and printing belong to the callers.
 */
import type { AttachmentInfo, ExtractedMessage, Problem, ProblemCode } from '../content/types.js';
import { extractMessage } from '../content/index.js';
import { defaultDetection } from '../detectors/index.js';
import type { Detection, Finding } from '../detectors/types.js';
import { evaluatePolicy } from '../policies/evaluate.js';
import type { Decision, Policy } from '../policies/types.js';

export interface LocatedFinding extends Finding {
  /** `subject`, `body`, `body:html`, `attachment:NAME`. */
  readonly location: string;
}

export interface InspectOptions {
  readonly policy: Policy;
  /** The detector set built from the settings; default every personal-data type, no dictionaries. */
  readonly detection?: Detection;
  /** The MTA cut the message at our size limit: what follows the cut was never seen. */
  readonly truncated?: boolean;
}

export interface Inspection {
  /** Extraction output; its file names and segments may hold clear values: never store it. */
  readonly extracted: ExtractedMessage;
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
export const UNINSPECTED_PROBLEMS: ReadonlySet<ProblemCode> = new Set(['unparseable', 'truncated', 'unreadable']);

/** Rule id recorded when the fail-closed floor, not a policy rule, decided. */
export const FAIL_CLOSED_RULE = 'builtin-uninspected';

export async function inspectMessage(raw: Buffer, options: InspectOptions): Promise<Inspection> {
  const extracted = await extractMessage(raw);
  const detection = options.detection ?? defaultDetection;
  const findings: LocatedFinding[] = [];
  let subjectFindings: Finding[] = [];
  for (const segment of extracted.segments) {
    const found = detection.detect(segment.text);
    if (segment.location === 'subject') subjectFindings = found;
    for (const f of found) findings.push({ ...f, location: segment.location });
  }
  // File names are text the sender chose (`900101-1234568.pdf`): scanned, and masked wherever
  // they appear in what leaves the engine.
  const renames = new Map<string, string>();
  for (const a of extracted.attachments) {
    if (!a.filename || renames.has(a.filename)) continue;
    const found = detection.detect(a.filename);
    if (found.length === 0) continue;
    const masked = maskSpans(a.filename, found);
    renames.set(a.filename, masked);
    for (const f of found) findings.push({ ...f, location: `attachment-name:${masked}` });
  }
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
