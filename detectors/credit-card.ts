/**
 * Payment card numbers (신용카드·체크카드 번호), notes/korean-pii.md §1.5.
 *
 * Shapes: 4-4-4-4 (one separator throughout, plus a short fifth group for 17-19-digit UnionPay
 * and JCB numbers), Amex 4-6-5, Diners 4-6-4, or 13-19 bare digits. A
 * number must pass Luhn and fit a network's prefix and length; that rejects the 0/1/7/8-leading
 * ids that pass Luhn by chance (one random digit string in ten does). Korean domestic-only cards
 * start with 9, so 9 is a valid prefix here though no international network uses it.
 *
 * A grouped number is printed as a card number: high. A bare run is high with a card keyword,
 * medium without (bare 16-digit runs also occur as ids), low when the deciding keyword names
 * another id (주문번호 2411251234567806: date-led order numbers fall in the 2221-2720 Mastercard
 * range) and for 13 bare digits (retired Visa length, now mostly barcodes). A run of 4-digit groups longer than a
 * card (a tracking number) never becomes a candidate (numbers.ts).
 */
import { BIT, dashOrSpace, evidence, shaped, type Judge } from './judge.js';
import { maskCard } from './mask.js';

const OWN = BIT.card;
const RIVALS = BIT.account | BIT.phone | BIT.resident | BIT.business;

/** Luhn (mod 10) over ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Does the number's prefix and length belong to a card network (or a Korean domestic card)? */
export function issuerFits(digits: string): boolean {
  const len = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const longForm = len >= 16 && len <= 19;
  if (digits.startsWith('4')) return len === 13 || len === 16 || len === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return len === 15; // Amex
  if (p2 === 36 || (p3 >= 300 && p3 <= 305)) return len === 14; // Diners
  if (p4 >= 3528 && p4 <= 3589) return longForm; // JCB
  if (p2 === 62) return longForm; // UnionPay
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return longForm; // Discover
  if (digits.startsWith('9')) return len === 16; // Korean domestic-only cards
  return false;
}

export const judgeCard: Judge = (candidate, ctx) => {
  const { digits } = candidate;
  const grouped =
    dashOrSpace(candidate) &&
    (shaped(candidate, 4, 4, 4, 4) ||
      shaped(candidate, 4, 6, 5) ||
      shaped(candidate, 4, 6, 4) ||
      shaped(candidate, 4, 4, 4, 4, 3) ||
      shaped(candidate, 4, 4, 4, 4, 2) ||
      shaped(candidate, 4, 4, 4, 4, 1));
  const bare = candidate.sep === 'none' && digits.length >= 13;
  if (!grouped && !bare) return null;
  if (!issuerFits(digits) || !luhnValid(digits)) return null;
  const masked = maskCard(candidate);
  if (grouped) return { type: 'credit_card', confidence: 'high', masked };
  const said = evidence(ctx, candidate.start, candidate.end, OWN, RIVALS);
  if (said === 'own') return { type: 'credit_card', confidence: 'high', masked };
  // 13-digit Visa numbers are long retired; 13 digits starting with 4 are JAN/EAN barcodes now.
  const weak = said === 'reference' || digits.length === 13;
  return { type: 'credit_card', confidence: weak ? 'low' : 'medium', masked };
};
