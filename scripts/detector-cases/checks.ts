/**
 * Number validators the generator uses to label its own values.
 *
 * These restate the ground truth of issue 3 (check digits, calendar dates, card networks) so the
 * generator can (a) build values that are valid by construction and (b) refuse decoys that would
 * accidentally be valid and so turn a trap into a positive. They are an independent reading of
 * the spec, written without looking at detectors/*: if the two disagree, the accuracy test says so.
 */

/** The labelled set is judged at this instant: no birth date may lie after it. */
export const LABELLED_SET_CLOCK = '2026-12-01T00:00:00Z';

const CLOCK_DAY = { y: 2026, m: 12, d: 1 };
/** From this birth date on, RRN/FRN tails are random (no check digit). */
const RANDOM_TAIL_FROM = { y: 2020, m: 10, d: 1 };

export interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

export function compareYmd(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isRealDate(date: Ymd): boolean {
  return date.m >= 1 && date.m <= 12 && date.d >= 1 && date.d <= daysInMonth(date.y, date.m);
}

export function digitsOf(text: string): string {
  return text.replace(/[^0-9]/g, '');
}

const CENTURY_BY_G: Record<string, number> = {
  '9': 1800, '0': 1800, '1': 1900, '2': 1900, '5': 1900, '6': 1900,
  '3': 2000, '4': 2000, '7': 2000, '8': 2000,
};

/** Birth date of a 13-digit RRN/FRN-shaped string (century from the 7th digit), or null. */
export function birthDateOf(d13: string): Ymd | null {
  const century = CENTURY_BY_G[d13.charAt(6)];
  if (century === undefined) return null;
  const date = {
    y: century + Number(d13.slice(0, 2)),
    m: Number(d13.slice(2, 4)),
    d: Number(d13.slice(4, 6)),
  };
  return isRealDate(date) ? date : null;
}

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

function rrnWeightedSum(d12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(d12[i]) * (RRN_WEIGHTS[i] as number);
  return sum;
}

/** Legacy RRN check digit: (11 − Σ mod 11) mod 10. */
export function rrnCheckDigit(d12: string): number {
  return (11 - (rrnWeightedSum(d12) % 11)) % 10;
}

/** Legacy foreigner check digit: (13 − Σ mod 11) mod 10. */
export function frnCheckDigit(d12: string): number {
  return (13 - (rrnWeightedSum(d12) % 11)) % 10;
}

/** What makes a 13-digit RRN/FRN-shaped string reportable under the spec. */
export interface RegistrationVerdict {
  /** Real date, not after the clock, right G for the type. */
  readonly shapeOk: boolean;
  /** Check digit passes or the tail is random (born on or after 2020-10-01). */
  readonly standsAlone: boolean;
}

function registrationVerdict(d13: string, gs: string, check: (d12: string) => number) {
  const born = birthDateOf(d13);
  const shapeOk =
    d13.length === 13 && gs.includes(d13.charAt(6)) && born !== null &&
    compareYmd(born, CLOCK_DAY) <= 0;
  if (!shapeOk || born === null) return { shapeOk: false, standsAlone: false };
  const checkPasses = check(d13.slice(0, 12)) === Number(d13.charAt(12));
  return { shapeOk, standsAlone: checkPasses || compareYmd(born, RANDOM_TAIL_FROM) >= 0 };
}

export function rrnVerdict(d13: string): RegistrationVerdict {
  return registrationVerdict(d13, '1234', rrnCheckDigit);
}

export function frnVerdict(d13: string): RegistrationVerdict {
  return registrationVerdict(d13, '5678', frnCheckDigit);
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The Luhn digit that completes `body`. */
export function luhnDigit(body: string): number {
  for (let c = 0; c <= 9; c++) if (luhnValid(body + String(c))) return c;
  throw new Error('unreachable: some digit always completes a Luhn sum');
}

/** Network prefix and length as the spec lists them (Korean domestic cards start with 9). */
export function cardNetworkFits(d: string): boolean {
  const len = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d.startsWith('4')) return len === 13 || len === 16 || len === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16;
  if (p2 === 34 || p2 === 37) return len === 15;
  if (p2 === 36 || (p3 >= 300 && p3 <= 305)) return len === 14;
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19;
  if (p2 === 62) return len >= 16 && len <= 19;
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return len >= 16 && len <= 19;
  if (d.startsWith('9')) return len === 16;
  return false;
}

export function isCardNumber(d: string): boolean {
  return cardNetworkFits(d) && luhnValid(d);
}

const BRN_WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5];

export function brnCheckDigit(d9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(d9[i]) * (BRN_WEIGHTS[i] as number);
  sum += Math.floor((Number(d9[8]) * 5) / 10);
  return (10 - (sum % 10)) % 10;
}


/** Corporate check digit: weights 1,2,1,2,… on 12 digits, plain products (no digit folding). */
export function corpCheckDigit(d12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(d12[i]) * (i % 2 === 0 ? 1 : 2);
  return (10 - (sum % 10)) % 10;
}


/**
 * The type a bare digit run would be reported as with no keyword anywhere, or null. The
 * generator uses it to keep decoys and keyword-only values from colliding with a type that
 * stands on its own shape (a 13-digit account that happens to be a valid RRN, say).
 */
export function standaloneTypeOf(d: string): string | null {
  if (d.length === 13 && rrnVerdict(d).shapeOk && rrnVerdict(d).standsAlone) return 'rrn';
  if (d.length === 13 && frnVerdict(d).shapeOk && frnVerdict(d).standsAlone) return 'foreigner_rrn';
  if (isCardNumber(d)) return 'credit_card';
  if (/^01[016789]\d{8}$/.test(d)) return 'phone';
  return null;
}
