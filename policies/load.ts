/**
 * Reading a policy from YAML, with errors that name the rule, the field and the line.
 *
 * The file format uses snake_case keys, as mail administrators write Postfix and rspamd
 * settings; the loader turns it into the camelCase `Policy` type. Unknown keys are refused: a
 * misspelt condition must never silently match everything or nothing.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { shippedFile } from '../config/paths.js';
import { PROBLEM_CODES, type ProblemCode } from '../content/types.js';
import { FINDING_TYPES } from '../detectors/types.js';
import { ACTIONS, FINDINGS_KEPT_PER_KIND, type Condition, type Policy } from './types.js';

/** The finding types that carry a dictionary or pattern name. */
const LABELLED_TYPES: readonly string[] = ['keyword', 'pattern'];

/** The policy shipped with Outguard: personal data → hold, unreadable → hold, else accept. */
export const DEFAULT_POLICY_PATH = shippedFile('policies', 'default.yaml');

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z
      .object({
        findings: z
          .object({
            types: z.array(z.enum(FINDING_TYPES as [string, ...string[]])).min(1).optional(),
            labels: z.array(z.string().min(1)).min(1).optional(),
            min: z
              .number()
              .int()
              .min(1)
              .max(FINDINGS_KEPT_PER_KIND, `at most ${FINDINGS_KEPT_PER_KIND}: a message keeps that many findings of one kind`)
              .default(1),
            min_confidence: z.enum(['low', 'medium', 'high']).default('medium'),
          })
          .strict()
          .superRefine((f, ctx) => {
            // Only keyword and pattern findings carry a label: with neither type, nothing counts.
            if (f.labels && f.types && !f.types.some((t) => LABELLED_TYPES.includes(t))) {
              ctx.addIssue({
                code: 'custom',
                path: ['labels'],
                message: 'labels name dictionaries and patterns: add keyword or pattern to types',
              });
            }
          })
          .transform((f) => ({
            types: f.types,
            ...(f.labels ? { labels: f.labels } : {}),
            min: f.min,
            minConfidence: f.min_confidence,
          })),
      })
      .strict(),
    z.object({ problems: z.array(z.enum(PROBLEM_CODES as [ProblemCode, ...ProblemCode[]])).min(1) }).strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
) as z.ZodType<Condition>;

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, . _ - (at most 64)'),
    description: z.string().default(''),
    when: conditionSchema,
    action: z.enum(ACTIONS as [string, ...string[]]),
    reply: z.object({ en: z.string().min(1), ko: z.string().min(1) }).strict().optional(),
  })
  .strict();

const policySchema = z
  .object({
    version: z.literal(1),
    default_action: z.enum(ACTIONS as [string, ...string[]]).default('accept'),
    rules: z.array(ruleSchema).default([]),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id "${rule.id}"` });
      }
      seen.add(rule.id);
      if (rule.reply && rule.action !== 'block') {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'reply'], message: 'reply is only for action block' });
      }
    });
  });

/** Parse policy YAML text. `source` names the file in error messages. */
export function parsePolicy(text: string, source = 'policy'): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new PolicyError(`${source}:${line}: ${first.message.split('\n')[0]}`);
  }
  const parsed = policySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keyPath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const extraKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const line = lineOf(doc.contents, keyPath, extraKey, lineCounter);
    throw new PolicyError(`${source}${line ? `:${line}` : ''}: ${describe(doc.toJS(), keyPath, issue.message, extraKey)}`);
  }
  const p = parsed.data;
  return {
    version: 1,
    defaultAction: p.default_action as Policy['defaultAction'],
    rules: p.rules.map((r) => ({
      id: r.id,
      description: r.description,
      when: r.when,
      action: r.action as Policy['defaultAction'],
      ...(r.reply ? { reply: r.reply } : {}),
    })),
  };
}

export function loadPolicyFile(file: string = DEFAULT_POLICY_PATH): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError(`cannot read policy ${file}: ${(err as Error).message}`);
  }
  return parsePolicy(text, file);
}

/** "rule personal-data-hold, field when.findings.min: …" — the words an admin searches for. */
function describe(
  value: unknown,
  keyPath: ReadonlyArray<string | number>,
  message: string,
  extraKey: string | undefined,
): string {
  let where = '';
  if (keyPath[0] === 'rules' && typeof keyPath[1] === 'number') {
    const rules = (value as { rules?: Array<{ id?: unknown }> }).rules;
    const id = rules?.[keyPath[1]]?.id;
    where = `rule ${typeof id === 'string' ? `"${id}"` : `#${keyPath[1] + 1}`}`;
    keyPath = keyPath.slice(2);
  }
  const field = [...keyPath, ...(extraKey ? [extraKey] : [])].join('.');
  const what = extraKey ? `unknown field "${field}"` : `${field ? `field ${field}: ` : ''}${message}`;
  return where ? `${where}, ${what}` : what;
}

function lineOf(
  root: unknown,
  keyPath: ReadonlyArray<string | number>,
  extraKey: string | undefined,
  lineCounter: LineCounter,
): number | null {
  let node = root as Node | null;
  let best: Node | null = node;
  for (const key of keyPath) {
    const next = childOf(node, key);
    if (!next) break;
    node = next;
    best = next;
  }
  if (extraKey && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === extraKey);
    if (pair && isScalar(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line;
  }
  const range = (best as { range?: [number, number, number] } | null)?.range;
  return range ? lineCounter.linePos(range[0]).line : null;
}

function childOf(node: Node | null, key: string | number): Node | null {
  if (!node || typeof node !== 'object' || !('items' in node)) return null;
  const items = (node as { items: unknown[] }).items;
  if (typeof key === 'number') return (items[key] as Node | undefined) ?? null;
  for (const item of items) {
    const pair = item as { key?: unknown; value?: unknown };
    if (isScalar(pair.key) && pair.key.value === key) return (pair.value as Node) ?? (pair.key as Node);
  }
  return null;
}
