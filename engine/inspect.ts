/**
 * The inspection pipeline shared by the milter and `outguard scan`: raw message in, located and
 * masked findings, problems and a policy decision out.
 *
 * It has no side effects: recording, replying to Postfix and printing belong to the callers.
 */
import type { ExtractedMessage, Problem } from '../content/types.js';
import { extractMessage } from '../content/index.js';
import { DEFAULT_DETECTORS, detectAll } from '../detectors/index.js';
import type { Detector, Finding } from '../detectors/types.js';
import { evaluatePolicy } from '../policies/evaluate.js';
import type { Decision, Policy } from '../policies/types.js';

export interface LocatedFinding extends Finding {
  /** `subject`, `body`, `body:html`, `attachment:NAME`. */
  readonly location: string;
}

export interface InspectOptions {
  readonly policy: Policy;
  readonly detectors?: readonly Detector[];
  /** The MTA cut the message at our size limit: what follows the cut was never seen. */
  readonly truncated?: boolean;
}

export interface Inspection {
  readonly extracted: ExtractedMessage;
  readonly findings: readonly LocatedFinding[];
  readonly problems: readonly Problem[];
  readonly decision: Decision;
  /** The subject with every finding in it replaced by its masked form: safe to store and log. */
  readonly maskedSubject: string;
}

export async function inspectMessage(raw: Buffer, options: InspectOptions): Promise<Inspection> {
  const extracted = await extractMessage(raw);
  const detectors = options.detectors ?? DEFAULT_DETECTORS;
  const findings: LocatedFinding[] = [];
  let subjectFindings: Finding[] = [];
  for (const segment of extracted.segments) {
    const found = detectAll(segment.text, detectors);
    if (segment.location === 'subject') subjectFindings = found;
    for (const f of found) findings.push({ ...f, location: segment.location });
  }
  const problems: Problem[] = [...extracted.problems];
  if (options.truncated) {
    problems.push({ code: 'truncated', location: 'message', detail: 'message larger than milter.maxMessageBytes' });
  }
  const decision = evaluatePolicy(options.policy, { findings, problems });
  const maskedSubject = maskSpans(extracted.subject, subjectFindings);
  return { extracted, findings, problems, decision, maskedSubject };
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
  };
}

/** Replace each finding's span in `text` with its masked form. Findings must not overlap. */
export function maskSpans(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const f of sorted) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + f.masked;
    at = f.end;
  }
  return out + text.slice(at);
}
