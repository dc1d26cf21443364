/**
 * Policy evaluation: the first rule whose condition matches decides; otherwise the default.
 *
 * Pure and synchronous: it sees masked findings and problem codes only, so it can run on stored
 * records as well as on live mail (the policy engine's replay builds on that).
 */
import { CONFIDENCE_RANK } from '../detectors/types.js';
import type {
  Condition,
  Decision,
  FindingsCondition,
  Policy,
  PolicyFinding,
  PolicyInput,
} from './types.js';

export function evaluatePolicy(policy: Policy, input: PolicyInput): Decision {
  const countsByType = countByType(input);
  for (const rule of policy.rules) {
    if (!matches(rule.when, input)) continue;
    return {
      action: rule.action,
      ruleId: rule.id,
      reason: explain(rule.when, input),
      countsByType,
      ...(rule.reply ? { reply: rule.reply } : {}),
    };
  }
  return { action: policy.defaultAction, ruleId: null, reason: 'no rule matched', countsByType };
}

export function matches(condition: Condition, input: PolicyInput): boolean {
  if ('all' in condition) return condition.all.every((c) => matches(c, input));
  if ('any' in condition) return condition.any.some((c) => matches(c, input));
  if ('not' in condition) return !matches(condition.not, input);
  if ('problems' in condition) return input.problems.some((p) => condition.problems.includes(p.code));
  return countedFindings(condition.findings, input).length >= condition.findings.min;
}

/**
 * Every dictionary or pattern name the policy's conditions select, so the daemon can warn about
 * one the settings do not define: such a condition would silently never match.
 */
export function policyLabels(policy: Policy): string[] {
  const labels = new Set<string>();
  const visit = (condition: Condition): void => {
    if ('all' in condition) condition.all.forEach(visit);
    else if ('any' in condition) condition.any.forEach(visit);
    else if ('not' in condition) visit(condition.not);
    else if ('findings' in condition) condition.findings.labels?.forEach((l) => labels.add(l));
  };
  for (const rule of policy.rules) visit(rule.when);
  return [...labels];
}

/** The findings a findings-condition counts: of its types and labels, at or above its confidence. */
function countedFindings(spec: FindingsCondition['findings'], input: PolicyInput): PolicyFinding[] {
  const floor = CONFIDENCE_RANK[spec.minConfidence];
  return input.findings.filter(
    (f) =>
      CONFIDENCE_RANK[f.confidence] >= floor &&
      (!spec.types || spec.types.includes(f.type)) &&
      // Labels narrow keyword and pattern findings only: `types: [rrn, pattern], labels: [x]`
      // still counts every RRN.
      (!spec.labels || f.label === undefined || spec.labels.includes(f.label)) &&
      (!spec.labels || f.label !== undefined || spec.types !== undefined),
  );
}

/** `rrn`, or for a dictionary or pattern finding `keyword:NAME` / `pattern:NAME`. */
function countKey(f: PolicyFinding): string {
  return f.label !== undefined && (f.type === 'keyword' || f.type === 'pattern') ? `${f.type}:${f.label}` : f.type;
}

function countByType(input: PolicyInput): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of input.findings) {
    const key = countKey(f);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * A short reason naming what matched: "rrn x2, credit_card x1", "keyword:confidential x1" or
 * "unparseable". ASCII except for dictionary and pattern names, which the admin chose.
 */
function explain(condition: Condition, input: PolicyInput): string {
  if ('problems' in condition) {
    const codes = [...new Set(input.problems.filter((p) => condition.problems.includes(p.code)).map((p) => p.code))];
    return codes.join(', ');
  }
  if ('findings' in condition) {
    const counts = countByType({ findings: countedFindings(condition.findings, input), problems: [] });
    return Object.entries(counts).map(([type, n]) => `${type} x${n}`).join(', ');
  }
  if ('all' in condition) return condition.all.map((c) => explain(c, input)).filter(Boolean).join('; ');
  if ('any' in condition) {
    const hit = condition.any.find((c) => matches(c, input));
    return hit ? explain(hit, input) : '';
  }
  return 'not: ' + (matches(condition.not, input) ? 'matched' : 'no match');
}
