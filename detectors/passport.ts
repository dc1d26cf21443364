/**
 * Korean passport numbers (여권번호), notes/korean-pii.md §1.4.
 *
 * Old form: M, S, R, O or D + 8 digits; since 21 December 2021: letter + 3 digits + letter + 4
 * digits. No check digit is printed, and the bare shape is common in part, model and SKU codes
 * (`M350A1200`), so a passport keyword nearby is required: high with it, low without.
 * The scanner collects the shapes (scan.ts); this judges them.
 */
import { BIT, evidence, type JudgeContext, type Verdict } from './judge.js';
import type { PassportShape } from './scan.js';

const OWN = BIT.passport;
/** Only words naming the code as something else (모델명, 품번, SKU) argue against a passport. */
const RIVALS = BIT.reference;

/** `M123*****`: the letter and the first three digits. */
export function maskPassport(value: string): string {
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 4)}`;
}

export function judgePassport(shape: PassportShape, ctx: JudgeContext): Verdict {
  const said = evidence(ctx, shape.start, shape.end, OWN, RIVALS);
  return { type: 'passport', confidence: said === 'own' ? 'high' : 'low', masked: maskPassport(shape.value) };
}
