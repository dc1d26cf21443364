/**
 * Payment card numbers (신용카드·체크카드 번호), notes/korean-pii.md §1.5.
 *
 * A match is 13-19 digits, either bare or grouped 4-4-4-4 (Amex 4-6-5, Diners 4-6-4) with one
 * separator (`-`, a dash or a space) used the same way between every group. It must pass Luhn and
 * fit a card network's prefix (IIN) and length; that rejects the 0/1/7/8-leading ids that pass
 * Luhn by chance (one random digit string in ten does). Korean domestic-only cards start with 9,
 * so 9 is a valid prefix here even though no international network uses it.
 *
 * A grouped number is printed as a card number, so it is high confidence; a bare run is high only
 * with a card keyword nearby, medium otherwise (bare 16-digit runs also occur in URLs and ids).
 * A grouped number that is one stretch of a longer run of 4-digit groups (a tracking number
 * `1234 5678 9012 3456 7890`) is not reported.
 *
 * Masked receipts (`1234-56**-****-3456`) never match: every position must be a digit.
 */
import type { Detector, Finding } from './types.js';
import { asciiDigits, isDigitChar, maskCard } from './mask.js';
import { DASH, DIGIT, END_BOUNDARY, START_BOUNDARY } from './patterns.js';

const SEPARATOR = `(?: |${DASH})`;

/**
 * First digit of a card: no network starts with 0, 1, 7 or 8. Checking it in the pattern keeps
 * those digit runs from ever reaching JavaScript.
 */
const FIRST_DIGIT = '[2-69\\uFF12-\\uFF16\\uFF19]';

/**
 * Alternatives in order: 4-4-4-4, 4-6-5 / 4-6-4, bare. The back-reference makes every separator
 * in a number the same character. Capture groups 1 and 2 hold the separator of a grouped match.
 * One global regex, reused: `detect` is synchronous, so no two scans share its lastIndex.
 */
const CARD_REGEX = new RegExp(
  `${FIRST_DIGIT}${START_BOUNDARY}(?:` +
  `${DIGIT}{3}(${SEPARATOR})${DIGIT}{4}\\1${DIGIT}{4}\\1${DIGIT}{4}` +
  `|${DIGIT}{3}(${SEPARATOR})${DIGIT}{6}\\2${DIGIT}{4,5}` +
  `|${DIGIT}{12,18}` +
  `)${END_BOUNDARY}`,
  'g',
);

/** Card keywords count this far before a number… */
export const KEYWORD_WINDOW_BEFORE = 60;
/** …and this far after it (`유효기간 12/27, CVC 123` follows the number). */
export const KEYWORD_WINDOW_AFTER = 30;

const CARD_KEYWORDS = new RegExp(
  [
    '(?:신용|체크|법인|결제)\\s?카드',
    '카드\\s?번호',
    '유효\\s?기간',
    'card\\s*(?:no|num|#)',
    'credit\\s*card',
    '(?<![A-Za-z])(?:CC#|CVC|CVV)',
  ].join('|'),
  'i',
);

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

function isFourDigits(value: string): boolean {
  return value.length === 4 && [...value].every(isDigitChar);
}

/** Is the grouped match [start, end) one stretch of a longer run of 4-digit groups? */
function continuesGroupRun(text: string, start: number, end: number, separator: string): boolean {
  const before = text.slice(Math.max(0, start - 5), start);
  const after = text.slice(end, end + 5);
  const groupBefore = before.endsWith(separator) && isFourDigits(before.slice(0, 4));
  const groupAfter = after.startsWith(separator) && isFourDigits(after.slice(1, 5));
  return groupBefore || groupAfter;
}

function hasCardKeyword(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - KEYWORD_WINDOW_BEFORE), start);
  const after = text.slice(end, end + KEYWORD_WINDOW_AFTER);
  return CARD_KEYWORDS.test(before) || CARD_KEYWORDS.test(after);
}

export const creditCardDetector: Detector = {
  type: 'credit_card',
  symbol: 'CREDIT_CARD',
  detect(text: string): Finding[] {
    const findings: Finding[] = [];
    CARD_REGEX.lastIndex = 0;
    for (let match = CARD_REGEX.exec(text); match !== null; match = CARD_REGEX.exec(text)) {
      const value = match[0];
      const digits = asciiDigits(value);
      if (!issuerFits(digits) || !luhnValid(digits)) continue;
      const start = match.index;
      const end = start + value.length;
      const separator = match[1] ?? match[2];
      if (separator !== undefined && continuesGroupRun(text, start, end, separator)) continue;
      const grouped = separator !== undefined;
      const confidence = grouped || hasCardKeyword(text, start, end) ? 'high' : 'medium';
      findings.push({ type: 'credit_card', start, end, confidence, masked: maskCard(value) });
    }
    return findings;
  },
};
