/**
 * Business registration number (사업자등록번호): `AAA-BB-CCCCD`, notes/korean-pii.md §1.9.
 *
 * Check digit: weights 1,3,7,1,3,7,1,3,5 on digits 1-9, plus ⌊d9 × 5 / 10⌋, check =
 * (10 − Σ mod 10) mod 10. AAA is a tax-office code and never starts with 0 (which also keeps
 * `031-12-34567`-like strings out). The dashed 3-2-5 form with a valid check is medium, high with
 * a keyword; 10 bare digits pass the check one time in ten, so they need the keyword (else low).
 * A US social security number (3-2-4) never has this shape.
 */
import { BIT, dashOrSpace, inContext, shaped, type Judge } from './judge.js';
import { maskKeeping } from './mask.js';

const OWN = BIT.business;
const RIVALS = BIT.account | BIT.phone | BIT.corporate | BIT.health;
const WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5] as const;

export function businessChecksumValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits.charAt(i)) * WEIGHTS[i]!;
  sum += Math.floor((Number(digits.charAt(8)) * 5) / 10);
  return (10 - (sum % 10)) % 10 === Number(digits.charAt(9));
}

export const judgeBusiness: Judge = (candidate, ctx) => {
  const { digits } = candidate;
  const grouped = shaped(candidate, 3, 2, 5) && dashOrSpace(candidate);
  const bare = shaped(candidate, 10) && candidate.sep === 'none';
  if ((!grouped && !bare) || digits.charAt(0) === '0' || !businessChecksumValid(digits)) return null;
  // Not lowered by order or invoice words: a business number is what an invoice carries.
  const keyword = inContext(ctx, candidate.start, candidate.end, OWN, RIVALS);
  const confidence = keyword ? 'high' : grouped ? 'medium' : 'low';
  return { type: 'business_reg', confidence, masked: maskKeeping(candidate, 5) };
};
