/**
 * Korean phone numbers, notes/korean-pii.md §1.7.
 *
 * - Mobile: 010-XXXX-XXXX; the legacy 011 and 016-019 also with a 3-digit middle group; bare as
 *   11 digits (010…) or 10 (01X with a 3-digit middle).
 * - Landline: 02 (Seoul) or an area code 031-033, 041-044, 051-055, 061-064, then 3-4 + 4
 *   digits; 070 (VoIP); 0502-0508 (safe numbers) 4-4-4. `(02) 123-4567` and `(031)123-4567` too.
 * - International: `+82 10-1234-5678`, `+82-2-123-4567`, `+821012345678` (the leading 0
 *   dropped, or kept: `+82 010-…`); the `+` is part of the span.
 * - `010-12345678`: a mobile number with its last two groups run together.
 * Separators: dash, one space, dot, or a mix of dash and space. Representative numbers
 * (15XX/16XX/18XX-XXXX) belong to companies, have 8 digits and never become candidates.
 *
 * A phone number is personal data of modest weight: medium, high with a phone keyword. Synthetic
 * test numbers (010-1xxx) are not rejected: real numbers are never validated against a register.
 */
import { BIT, inContext, type Judge } from './judge.js';
import { maskPhone } from './mask.js';
import type { Candidate } from './numbers.js';

const OWN = BIT.phone;
const RIVALS = BIT.account | BIT.business | BIT.health | BIT.card | BIT.resident;

const AREA_CODES = new Set([
  '031', '032', '033', '041', '042', '043', '044', '051', '052', '053', '054', '055',
  '061', '062', '063', '064', '070',
]);
const LEGACY_MOBILE = new Set(['011', '016', '017', '018', '019']);

function separatorsFit(candidate: Candidate): boolean {
  const { sep } = candidate;
  return sep === 'dash' || sep === 'space' || sep === 'dot' || sep === 'mixed' || sep === 'paren';
}

/** Is `lengths`/`digits` a domestic number (leading 0 present)? */
function domesticShape(digits: string, lengths: readonly number[]): boolean {
  const [first, middle, last] = lengths;
  if (lengths.length === 1) {
    if (digits.startsWith('010')) return digits.length === 11;
    return LEGACY_MOBILE.has(digits.slice(0, 3)) && (digits.length === 10 || digits.length === 11);
  }
  // `010-12345678`: the middle and last groups run together.
  if (lengths.length === 2) return digits.startsWith('010') && first === 3 && middle === 8;
  if (lengths.length !== 3 || last !== 4 || middle === undefined) return false;
  const head = digits.slice(0, first);
  if (head === '010') return middle === 4;
  if (LEGACY_MOBILE.has(head)) return middle === 3 || middle === 4;
  if (head === '02') return middle === 3 || middle === 4;
  if (AREA_CODES.has(head)) return middle === 3 || middle === 4;
  if (first === 4 && /^050[2-8]$/.test(head)) return middle === 4;
  return false;
}

/**
 * `+82 10 1234 5678`, `+821012345678`: 82, then the domestic number without its leading 0;
 * `+82 010-1234-5678` (the 0 kept, as people write it) too.
 */
function internationalShape(candidate: Candidate): boolean {
  const { digits, lengths } = candidate;
  if (!candidate.plus || !digits.startsWith('82')) return false;
  const rest = digits.slice(2);
  if (lengths.length === 1) return domesticShape(`0${rest}`, [rest.length + 1]);
  if (lengths[0] !== 2) return false;
  if (rest.startsWith('0')) return domesticShape(rest, lengths.slice(1));
  return domesticShape(`0${rest}`, [lengths[1]! + 1, ...lengths.slice(2)]);
}

/** Domestic or international phone shape (used by other judges to stay off phone numbers). */
export function isPhoneShape(candidate: Candidate): boolean {
  if (candidate.lengths.length > 1 && !separatorsFit(candidate)) return false;
  if (candidate.lengths.length === 1 && candidate.sep !== 'none') return false;
  return internationalShape(candidate) || (!candidate.plus && domesticShape(candidate.digits, candidate.lengths));
}

export const judgePhone: Judge = (candidate, ctx) => {
  if (!isPhoneShape(candidate)) return null;
  // The `+` or `(` right before the first group is part of what was written.
  const start = candidate.plus || candidate.paren ? candidate.start - 1 : candidate.start;
  const keyword = inContext(ctx, start, candidate.end, OWN, RIVALS);
  return { type: 'phone', confidence: keyword ? 'high' : 'medium', masked: (candidate.plus ? '+' : '') + maskPhone(candidate), start };
};
