/**
 * Detector contract.
 *
 * A detector judges one JavaScript string and returns findings. A finding names its type, its
 * span in that string (UTF-16 offsets, `end` exclusive), a confidence and a masked form. It never
 * carries the clear value: whoever needs it (only `outguard detect --reveal`) slices the text it
 * passed in. Keeping the raw value out of the object is what keeps it out of logs and the store.
 */

/** Korean personal-data types (notes/korean-pii.md §1). */
export type PiiType =
  | 'rrn'
  | 'foreigner_rrn'
  | 'driver_license'
  | 'passport'
  | 'credit_card'
  | 'bank_account'
  | 'phone'
  | 'email'
  | 'business_reg'
  | 'corporate_reg'
  | 'health_insurance';

export const PII_TYPES: readonly PiiType[] = [
  'rrn',
  'foreigner_rrn',
  'driver_license',
  'passport',
  'credit_card',
  'bank_account',
  'phone',
  'email',
  'business_reg',
  'corporate_reg',
  'health_insurance',
];

/**
 * Every finding type: the personal-data types, plus `keyword` (a word from one of the company's
 * dictionaries) and `pattern` (a company regular expression). The last two carry the dictionary
 * or pattern name in `label`.
 */
export type FindingType = PiiType | 'keyword' | 'pattern';

export const FINDING_TYPES: readonly FindingType[] = [...PII_TYPES, 'keyword', 'pattern'];

export type Confidence = 'high' | 'medium' | 'low';

export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

export const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/**
 * What is reported when nobody asks otherwise. Low findings (a shape with neither a validator
 * nor context, such as a passport-shaped part number) are kept for statistics only.
 */
export const DEFAULT_MIN_CONFIDENCE: Confidence = 'medium';

export interface Finding {
  readonly type: FindingType;
  /** Offset of the first UTF-16 unit of the match in the scanned string. */
  readonly start: number;
  /** Offset one past the last unit of the match. */
  readonly end: number;
  readonly confidence: Confidence;
  /** The value as it may be shown: `900101-1******`, `4111-11**-****-1111`. */
  readonly masked: string;
  /** Dictionary or pattern name, for `keyword` and `pattern` findings only. */
  readonly label?: string;
}

/** Findings at `min` confidence or above, in their original order. */
export function atLeast(findings: readonly Finding[], min: Confidence): Finding[] {
  const floor = CONFIDENCE_RANK[min];
  return findings.filter((f) => CONFIDENCE_RANK[f.confidence] >= floor);
}

/** How a `keyword` or `pattern` finding is shown: as found, first and last character kept, or all `*`. */
export type MaskStyle = 'none' | 'partial' | 'full';

/** A company dictionary (`대외비`, `기밀`, project code names) from the settings. */
export interface DictionarySpec {
  readonly name: string;
  readonly words: readonly string[];
  /** Default `high`: the company listed the word. */
  readonly confidence?: Confidence;
  /** Default `none`: a keyword is not personal data. */
  readonly mask?: MaskStyle;
}

/** A company regular expression (RE2 syntax: linear time, no look-around or back-references). */
export interface PatternSpec {
  readonly name: string;
  readonly regex: string;
  readonly ignoreCase?: boolean;
  /** Default `medium`. */
  readonly confidence?: Confidence;
  /** Default `partial`. */
  readonly mask?: MaskStyle;
}

/** One match of a company pattern: UTF-16 offsets into the scanned string. */
export interface PatternMatch {
  /** Index into the `PatternSpec` list the matcher was built from. */
  readonly pattern: number;
  readonly start: number;
  readonly end: number;
}

/** Company patterns compiled once (detectors/custom-patterns.ts), run per text. */
export interface PatternMatcher {
  find(text: string): PatternMatch[];
}

/** A detector set, compiled once from the settings and reused for every message. */
export interface Detection {
  /** The types this set can report. */
  readonly types: readonly FindingType[];
  /**
   * Every finding in `text` at any confidence, ordered by `start`. No two personal-data findings
   * overlap (the higher confidence wins, then the longer span); a `keyword` or `pattern` finding
   * may overlap them, and its masked form then has their values masked inside it.
   */
  detect(text: string): Finding[];
}

export interface DetectionOptions {
  /** Personal-data types to look for; default every type. */
  readonly types?: readonly PiiType[];
  readonly dictionaries?: readonly DictionarySpec[];
  readonly patterns?: readonly PatternSpec[];
  /** Clock for "birth date not in the future"; tests pin it. Default: the system clock. */
  readonly now?: () => Date;
}

/** A dictionary or pattern in the settings that cannot be used; the message names which and why. */
export class DetectionConfigError extends Error {
  override readonly name = 'DetectionConfigError';
}
