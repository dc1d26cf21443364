/**
 * The detector suite's one entry: build a detector set from the settings with
 * `createDetection`, run it with `detection.detect(text)` (or `detectAll`).
 *
 * How it fits together: scan.ts reads the text once, collecting number candidates (numbers.ts,
 * normalising as it reads: chars.ts), passport shapes, e-mail addresses and keywords
 * (keywords.ts, context-words.ts); one judge per type (rrn.ts, credit-card.ts, …) validates the
 * candidates and weighs keyword context (context.ts); detection.ts adds the company's
 * dictionaries and patterns (custom-patterns.ts) and resolves overlaps.
 */
import { createDetection } from './detection.js';
import type { Detection, Finding } from './types.js';

export type {
  Confidence,
  Detection,
  DetectionOptions,
  DictionarySpec,
  Finding,
  FindingType,
  MaskStyle,
  PatternSpec,
  PiiType,
} from './types.js';
export {
  atLeast,
  CONFIDENCE_RANK,
  CONFIDENCES,
  DEFAULT_MIN_CONFIDENCE,
  DetectionConfigError,
  FINDING_TYPES,
  PII_TYPES,
} from './types.js';
export { createDetection } from './detection.js';
export { businessChecksumValid } from './business-reg.js';
export { corporateChecksumValid } from './corporate-reg.js';
export { issuerFits, luhnValid } from './credit-card.js';
export { regionCodeValid } from './driver-license.js';
export { birthDate, ean13Valid, rrnChecksumValid } from './rrn.js';

/** Every personal-data type, no dictionaries or patterns, on the system clock. */
export const defaultDetection: Detection = createDetection();

/** Findings in `text` at any confidence, ordered by start (see Detection.detect for overlaps). */
export function detectAll(text: string, detection: Detection = defaultDetection): Finding[] {
  return detection.detect(text);
}
