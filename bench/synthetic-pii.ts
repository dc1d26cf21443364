/**
 * Synthetic personal data for the benchmark corpus: resident registration numbers with a valid
 * legacy check digit and Luhn-valid card numbers on real network prefixes.
 *
 * Every value is made up from the seeded generator; none is anyone's. The check-digit and Luhn
 * arithmetic is written again here rather than imported from detectors/, so that a bug there
 * shows up as "found ≠ planted" in the benchmark instead of cancelling out.
 *
 * Values are written in the forms people use (dash, space, bare, full-width digits, grouped
 * cards); every form here is one the detectors promise to find (notes/korean-pii.md §1.1, §1.5).
 */
import type { Random } from './random.js';

export type PlantedType = 'rrn' | 'credit_card';

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;

/**
 * Birth years for synthetic RRNs. All before October 2020, so every number carries a legacy
 * check digit and is found without a keyword.
 */
const FIRST_BIRTH_YEAR = 1950;
const LAST_BIRTH_YEAR = 2015;

/** Days per month, February at 28 so every generated date exists in every year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** 13 ASCII digits: YYMMDD, gender digit for the century, five random digits, check digit. */
export function syntheticRrnDigits(random: Random): string {
  const year = random.int(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR);
  const month = random.int(1, 12);
  const day = random.int(1, DAYS_IN_MONTH[month - 1] ?? 28);
  const female = random.chance(0.5) ? 1 : 0;
  const gender = (year < 2000 ? 1 : 3) + female;
  const first12 = `${pad2(year % 100)}${pad2(month)}${pad2(day)}${gender}${random.digits(5)}`;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(first12.charAt(i)) * (RRN_WEIGHTS[i] ?? 0);
  return first12 + String((11 - (sum % 11)) % 10);
}

/** Card networks used, with the prefix and length that fit them. */
const CARD_SHAPES = [
  { prefix: '4', length: 16 }, // Visa
  { prefix: '5', length: 16, second: ['1', '2', '3', '4', '5'] }, // Mastercard 51-55
  { prefix: '94', length: 16 }, // Korean domestic-only
  { prefix: '37', length: 15 }, // Amex
] as const;

function luhnCheckDigit(body: string): string {
  let sum = 0;
  // The check digit will sit to the right, so the body's last digit is the first one doubled.
  let double = true;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Card digits, 15 (Amex) or 16, Luhn-valid. */
export function syntheticCardDigits(random: Random): string {
  const shape = random.pick(CARD_SHAPES);
  const prefix = 'second' in shape ? shape.prefix + random.pick(shape.second) : shape.prefix;
  const body = prefix + random.digits(shape.length - prefix.length - 1);
  return body + luhnCheckDigit(body);
}

const FULL_WIDTH_DIGIT_OFFSET = 0xff10 - 0x30;

function fullWidth(digits: string): string {
  const widen = (d: string) => String.fromCharCode(d.charCodeAt(0) + FULL_WIDTH_DIGIT_OFFSET);
  return digits.replace(/[0-9]/g, widen);
}

/** An RRN as written in mail: mostly `YYMMDD-NNNNNNN`, sometimes bare, spaced or full-width. */
export function formatRrn(digits: string, random: Random): string {
  const front = digits.slice(0, 6);
  const back = digits.slice(6);
  const roll = random.next();
  if (roll < 0.7) return `${front}-${back}`;
  if (roll < 0.8) return digits;
  if (roll < 0.9) return `${front} ${back}`;
  return fullWidth(`${front}-${back}`);
}

/**
 * A card as written in mail: grouped with dashes or spaces (Amex 4-6-5), or bare. A bare number
 * is always given a card keyword by the caller's sentence, as people do.
 */
export function formatCard(digits: string, random: Random): string {
  const separator = random.pick(['-', '-', ' ', '']);
  if (separator === '') return digits;
  const groups =
    digits.length === 15
      ? [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)]
      : [digits.slice(0, 4), digits.slice(4, 8), digits.slice(8, 12), digits.slice(12)];
  return groups.join(separator);
}
