/**
 * Corporate registration number (법인등록번호): `OOOOKK-SSSSSSC`, the RRN's shape.
 *
 * Check digit: weights 1,2,1,2,… on the first 12 digits, C = (10 − Σ mod 10) mod 10, plain
 * products (notes/korean-pii.md §1.10 warns of a digit-folding variant in public code; the
 * registry's published examples satisfy the plain one). One 13-digit number in ten passes it by
 * chance, and the shape is the RRN's, so a corporate number is reported only with its keyword;
 * without one it is kept as low. It is company data, but policies may count it.
 */
import { BIT, inContext, type Judge } from './judge.js';
import { maskRrn } from './mask.js';
import { birthDate, registrationShaped, rrnChecksumValid } from './rrn.js';

const OWN = BIT.corporate;
const RIVALS = BIT.resident | BIT.foreigner | BIT.account | BIT.card | BIT.reference;

export function corporateChecksumValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(digits.charAt(i)) * (i % 2 === 0 ? 1 : 2);
  return (10 - (sum % 10)) % 10 === Number(digits.charAt(12));
}

export const judgeCorporate: Judge = (candidate, ctx) => {
  const { digits } = candidate;
  if (!registrationShaped(candidate) || !corporateChecksumValid(digits)) return null;
  // One resident number in ten passes this check too; a number that is a valid resident number
  // (check digit, real date, G 1-8) stays one, whatever the keyword (notes §1.10).
  const g = digits.charAt(6);
  const resident = g >= '1' && g <= '8' && birthDate(digits) !== null && rrnChecksumValid(digits);
  const keyword = !resident && inContext(ctx, candidate.start, candidate.end, OWN, RIVALS);
  return { type: 'corporate_reg', confidence: keyword ? 'high' : 'low', masked: maskRrn(digits) };
};
