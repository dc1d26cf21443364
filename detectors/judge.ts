/**
 * What a per-type detector is: a judge of the candidates the shared scan collected (scan.ts).
 *
 * A judge looks at one candidate's digits and grouping, applies its validator (check digit, date,
 * issuer range, region code), asks for keyword context when its rules need it, and returns a
 * verdict with a confidence, or null when the candidate is not of its type.
 */
import { CLASS_BIT } from './context-words.js';
import { contextBits } from './context.js';
import type { Candidate } from './numbers.js';
import type { Scan } from './scan.js';
import type { Confidence, PiiType } from './types.js';

export interface Verdict {
  readonly type: PiiType;
  readonly confidence: Confidence;
  readonly masked: string;
  /** Span, when it differs from the candidate's (a `+82` prefix, a region name). */
  readonly start?: number;
  readonly end?: number;
}

export interface JudgeContext {
  readonly scan: Scan;
  /** Today in Seoul as YYYYMMDD, for "not born in the future". */
  readonly today: number;
}

export type Judge = (candidate: Candidate, ctx: JudgeContext) => Verdict | null;

export const BIT = CLASS_BIT;

/**
 * Is the span in `own` context (context.ts)? `rivals` are the classes whose keywords would say it
 * is something else; both are `CLASS_BIT` masks.
 */
export function inContext(ctx: JudgeContext, start: number, end: number, own: number, rivals: number): boolean {
  return (contextBits(ctx.scan, start, end, own | rivals) & own) !== 0;
}

/** What the deciding keyword says about a span: its own type, another id (a reference), or nothing. */
export type Evidence = 'own' | 'reference' | 'none';

/**
 * Like `inContext`, but also tells when the deciding keyword names an id that is not personal
 * data (주문번호, 운송장, Invoice, 빌드…): a shape that would otherwise stand on its own then drops
 * to low.
 */
export function evidence(ctx: JudgeContext, start: number, end: number, own: number, rivals: number): Evidence {
  const bits = contextBits(ctx.scan, start, end, own | rivals | CLASS_BIT.reference);
  if ((bits & own) !== 0) return 'own';
  return (bits & CLASS_BIT.reference) !== 0 ? 'reference' : 'none';
}

/**
 * Group lengths exactly `a`, `b`, …? (Fixed parameters rather than a rest array: this runs several
 * times for every candidate, and a rest parameter allocates.)
 */
export function shaped(candidate: Candidate, a: number, b = -1, c = -1, d = -1, e = -1): boolean {
  const { lengths } = candidate;
  const count = b < 0 ? 1 : c < 0 ? 2 : d < 0 ? 3 : e < 0 ? 4 : 5;
  if (lengths.length !== count) return false;
  return (
    lengths[0] === a &&
    (count < 2 || lengths[1] === b) &&
    (count < 3 || lengths[2] === c) &&
    (count < 4 || lengths[3] === d) &&
    (count < 5 || lengths[4] === e)
  );
}

/** Grouped by one dash-like or space separator throughout. */
export function dashOrSpace(candidate: Candidate): boolean {
  return candidate.sep === 'dash' || candidate.sep === 'space';
}

/** Looks for `scheme://` or `www.` in the run of non-space characters that holds `at`. */
export function inUrl(text: string, at: number): boolean {
  const limit = Math.max(0, at - 2048);
  let p = at - 1;
  while (p >= limit) {
    const code = text.charCodeAt(p);
    // A link ends at white space, quotes, angle or square brackets, and table-cell delimiters.
    if (code <= 32 || code === 34 || code === 39 || code === 60 || code === 62 || code === 91 || code === 93 || code === 44 || code === 124) break;
    p -= 1;
  }
  const run = text.slice(p + 1, at);
  return run.includes('://') || run.toLowerCase().startsWith('www.');
}
