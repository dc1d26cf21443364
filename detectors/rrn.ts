/**
 * Resident (주민등록번호) and foreigner (외국인등록번호) registration numbers: `YYMMDD-GNNNNNN`.
 *
 * Shape: 6 + 7 digits joined by a dash or one space, or 13 bare digits. G, the 7th digit, gives
 * the type and century: 1/2 and 3/4 residents born in the 1900s and 2000s, 5/6 and 7/8 foreigners
 * (notes/korean-pii.md §1.1-1.2). 9/0 (born in the 1800s) are reported low: nobody alive holds
 * one, and the shape is the corporate number's (110111-0…).
 *
 * Confidence:
 * - a real, past birth date is required;
 * - the legacy check digit passes: medium, high with a keyword;
 * - numbers issued since October 2020 have a random tail and no check digit, so for a birth date
 *   on or after 2020-10-01 a failed check is no evidence against: medium, high with a keyword;
 * - an older birth date with a failed check: medium with a keyword (a number reissued after
 *   2020 keeps the old birth date), low without — a 13-digit id that starts with a date;
 * - a bare 13-digit Korean EAN barcode (880…, valid EAN check) without a keyword: low;
 * - a bare number, or one whose check fails, with a deciding keyword naming another kind of id
 *   (주문번호, Lot, 운송장): low. A dashed number that passes the check is not lowered.
 */
import { BIT, dashOrSpace, evidence, shaped, type Judge, type JudgeContext } from './judge.js';
import { maskRrn } from './mask.js';
import type { Candidate } from './numbers.js';
import type { Confidence } from './types.js';

/** Numbers assigned from this date on carry a random tail instead of a check digit. */
const RANDOM_TAIL_SINCE = 20201001;

const CENTURY_BY_G: Readonly<Record<string, number>> = {
  '9': 1800, '0': 1800, '1': 1900, '2': 1900, '5': 1900, '6': 1900,
  '3': 2000, '4': 2000, '7': 2000, '8': 2000,
};

const CHECK_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;

const OWN = BIT.resident | BIT.foreigner;
const RIVALS = BIT.corporate | BIT.account | BIT.card;

/** 6-7 with a dash or space, or 13 bare digits. */
export function registrationShaped(candidate: Candidate): boolean {
  return (shaped(candidate, 6, 7) && dashOrSpace(candidate)) || (shaped(candidate, 13) && candidate.sep === 'none');
}

export function isForeignerDigit(g: string): boolean {
  return g >= '5' && g <= '8';
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Gregorian: 1900 is not a leap year, 2000 is. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Birth date as YYYYMMDD, or null when it is not a real calendar date. */
export function birthDate(digits: string): number | null {
  const century = CENTURY_BY_G[digits.charAt(6)];
  if (century === undefined) return null;
  const year = century + Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return year * 10000 + month * 100 + day;
}

/** Korea has one time zone, UTC+9 with no daylight saving: "today" is Seoul's date. */
export function seoulToday(now: Date): number {
  const seoul = new Date(now.getTime() + 9 * 60 * 60 * 1000);
  return seoul.getUTCFullYear() * 10000 + (seoul.getUTCMonth() + 1) * 100 + seoul.getUTCDate();
}

/**
 * Legacy check digit: weighted sum of the first 12 digits; resident check = (11 − Σ mod 11) mod
 * 10, foreigner check = (13 − Σ mod 11) mod 10 (so a foreigner number never passes the other).
 */
export function rrnChecksumValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < CHECK_WEIGHTS.length; i += 1) sum += Number(digits.charAt(i)) * CHECK_WEIGHTS[i]!;
  const base = isForeignerDigit(digits.charAt(6)) ? 13 : 11;
  return (base - (sum % 11)) % 10 === Number(digits.charAt(12));
}

/** EAN-13 check (weights 1,3,1,3…). */
export function ean13Valid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(digits.charAt(i)) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(digits.charAt(12));
}

function confidenceOf(candidate: Candidate, ctx: JudgeContext, born: number): Confidence {
  const { digits } = candidate;
  const said = evidence(ctx, candidate.start, candidate.end, OWN, RIVALS);
  if (digits.charAt(6) === '9' || digits.charAt(6) === '0') return 'low';
  const valid = rrnChecksumValid(digits);
  if (said === 'own') return valid || born >= RANDOM_TAIL_SINCE ? 'high' : 'medium';
  // `주문번호 2411253000123`, `Lot 241125-3123456`: a date-led id named as something else. A
  // dashed number that passes the check stays a resident number (`홍길동 900101-1234568 금액 …`).
  if (said === 'reference' && (!valid || candidate.sep === 'none')) return 'low';
  if (valid) {
    const barcode = candidate.sep === 'none' && digits.startsWith('880') && ean13Valid(digits);
    return barcode ? 'low' : 'medium';
  }
  return born >= RANDOM_TAIL_SINCE ? 'medium' : 'low';
}

export const judgeRegistration: Judge = (candidate, ctx) => {
  if (!registrationShaped(candidate)) return null;
  const born = birthDate(candidate.digits);
  if (born === null || born > ctx.today) return null;
  return {
    type: isForeignerDigit(candidate.digits.charAt(6)) ? 'foreigner_rrn' : 'rrn',
    confidence: confidenceOf(candidate, ctx, born),
    masked: maskRrn(candidate.digits),
  };
};
