/**
 * Policy vocabulary: what a rule may look at and what it may decide.
 *
 * The milter core ships with two kinds of condition (detector findings and inspection
 * problems) combined with all/any/not; the policy engine (issue 5) adds scopes, sender and
 * recipient conditions, keywords and schedules to the same union without changing the shape of
 * a decision.
 */
import type { ProblemCode } from '../content/types.js';
import type { Confidence, FindingType } from '../detectors/types.js';

/** What happens to a message. Ordered from most to least permissive. */
export type Action = 'accept' | 'monitor' | 'hold' | 'block';

export const ACTIONS: readonly Action[] = ['accept', 'monitor', 'hold', 'block'];

/**
 * Findings of one type, label and confidence a message keeps (engine/scanner.ts): a table of
 * thousands of values is judged on its first thousand of each kind. A rule's `min` may not ask
 * for more, since no message could show more (policies/load.ts refuses it).
 */
export const FINDINGS_KEPT_PER_KIND = 1000;

export interface FindingsCondition {
  readonly findings: {
    /** Types counted; omitted means every type. */
    readonly types?: readonly FindingType[];
    /**
     * Dictionary or pattern names: only `keyword` and `pattern` findings with one of these
     * labels are counted (findings of other types have no label). Omitted: no label filter.
     */
    readonly labels?: readonly string[];
    /** Matches when at least this many findings of those types are present. */
    readonly min: number;
    /** Findings below this confidence are not counted. */
    readonly minConfidence: Confidence;
  };
}

export interface ProblemsCondition {
  /** Matches when extraction reported any of these problem codes. */
  readonly problems: readonly ProblemCode[];
}

export interface AllCondition {
  readonly all: readonly Condition[];
}
export interface AnyCondition {
  readonly any: readonly Condition[];
}
export interface NotCondition {
  readonly not: Condition;
}

export type Condition =
  | FindingsCondition
  | ProblemsCondition
  | AllCondition
  | AnyCondition
  | NotCondition;

/** SMTP text for a block, Korean and English; the SMTP reply carries the English one. */
export interface BlockReply {
  readonly en: string;
  readonly ko: string;
}

export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly when: Condition;
  readonly action: Action;
  /** Only for `block`; a generic text is used when absent. */
  readonly reply?: BlockReply;
}

export interface Policy {
  readonly version: 1;
  /** Evaluated in order; the first rule whose condition matches decides. */
  readonly rules: readonly Rule[];
  /** Action when no rule matches. */
  readonly defaultAction: Action;
}

/** One finding as the policy sees it: already located and masked, never the clear value. */
export interface PolicyFinding {
  readonly type: FindingType;
  readonly confidence: Confidence;
  readonly masked: string;
  readonly location: string;
  /** Dictionary or pattern name, for `keyword` and `pattern` findings only. */
  readonly label?: string;
}

export interface PolicyInput {
  readonly findings: readonly PolicyFinding[];
  readonly problems: ReadonlyArray<{ readonly code: ProblemCode; readonly location: string }>;
}

export interface Decision {
  readonly action: Action;
  /** The rule that decided, or null when the default action applied. */
  readonly ruleId: string | null;
  /** Short English reason for logs and the record, e.g. "rrn x2 in body". */
  readonly reason: string;
  readonly reply?: BlockReply;
  /**
   * Findings per type at any confidence, for logs and statistics. Keyword and pattern findings
   * are counted per dictionary or pattern: `keyword:confidential`, `pattern:employee-id`.
   */
  readonly countsByType: Readonly<Record<string, number>>;
}
