/**
 * The detector registry and `detectAll`, the one entry point the engine calls per text segment.
 *
 * Each detector scans independently; `detectAll` merges their findings into one list ordered by
 * position, in which no two findings overlap. Where two overlap (a 13-digit number can be both an
 * RRN and a Visa number), the higher confidence wins, then the longer span, then the one found
 * first; so a span is counted once, as its most likely type.
 */
import type { Detector, Finding, FindingType } from './types.js';
import { CONFIDENCE_RANK } from './types.js';
import { creditCardDetector } from './credit-card.js';
import { rrnDetector } from './rrn.js';

export type { Confidence, Detector, Finding, FindingType } from './types.js';
export { CONFIDENCE_RANK, FINDING_TYPES } from './types.js';
export { createRrnDetector, rrnChecksumValid, rrnDetector } from './rrn.js';
export type { RrnDetectorOptions } from './rrn.js';
export { creditCardDetector, issuerFits, luhnValid } from './credit-card.js';
export { maskCard, maskRrn } from './mask.js';

/** One detector per finding type, keyed by the type it reports. */
export const detectorsByType: Readonly<Record<FindingType, Detector>> = {
  rrn: rrnDetector,
  credit_card: creditCardDetector,
};

/** Every detector, in a fixed order. */
export const DEFAULT_DETECTORS: readonly Detector[] = Object.values(detectorsByType);

/** The detectors for the given types, in the order given (for a policy that enables a subset). */
export function selectDetectors(types: readonly FindingType[]): Detector[] {
  return types.map((type) => detectorsByType[type]);
}

function beats(candidate: Finding, incumbent: Finding): boolean {
  const rank = CONFIDENCE_RANK[candidate.confidence] - CONFIDENCE_RANK[incumbent.confidence];
  if (rank !== 0) return rank > 0;
  return candidate.end - candidate.start > incumbent.end - incumbent.start;
}

/**
 * Runs `detectors` over `text`; returns findings sorted by `start`, overlaps resolved (see the
 * header). Offsets are UTF-16 offsets into `text`.
 */
export function detectAll(
  text: string,
  detectors: readonly Detector[] = DEFAULT_DETECTORS,
): Finding[] {
  const found = detectors.flatMap((detector) => detector.detect(text));
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);

  const kept: Finding[] = [];
  // A kept finding that starts more than `longest` units before the candidate ends before it.
  let longest = 0;
  for (const candidate of found) {
    const rivals: number[] = [];
    for (let i = kept.length - 1; i >= 0; i -= 1) {
      const incumbent = kept[i] as Finding;
      if (incumbent.start + longest <= candidate.start) break;
      if (incumbent.end > candidate.start) rivals.push(i);
    }
    if (!rivals.every((i) => beats(candidate, kept[i] as Finding))) continue;
    // `rivals` holds descending indices, so each splice leaves the ones still to remove valid.
    for (const i of rivals) kept.splice(i, 1);
    kept.push(candidate);
    longest = Math.max(longest, candidate.end - candidate.start);
  }
  return kept;
}
