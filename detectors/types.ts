/**
 * Detector contract.
 *
 * A detector looks at one JavaScript string and returns findings. A finding names its type, its
 * span in that string (UTF-16 offsets, `end` exclusive), a confidence and a masked form. It never
 * carries the clear value: whoever needs it (only `outguard detect --reveal`) slices the text it
 * passed in. Keeping the raw value out of the object is what keeps it out of logs and the store.
 */

/** Personal-data types. The detector suite (issue 3) adds the rest of the Korean set. */
export type FindingType = 'rrn' | 'credit_card';

export const FINDING_TYPES: readonly FindingType[] = ['rrn', 'credit_card'];

export type Confidence = 'high' | 'medium' | 'low';

export const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

export interface Finding {
  readonly type: FindingType;
  /** Offset of the first UTF-16 unit of the match in the scanned string. */
  readonly start: number;
  /** Offset one past the last unit of the match. */
  readonly end: number;
  readonly confidence: Confidence;
  /** The value as it may be shown: `900101-1******`, `4111-11**-****-1111`. */
  readonly masked: string;
}

export interface Detector {
  readonly type: FindingType;
  /** Stable result symbol for logs and statistics, UPPER_SNAKE. */
  readonly symbol: string;
  detect(text: string): Finding[];
}
