/**
 * Korean resident registration number (주민등록번호, RRN): `YYMMDD-GNNNNNN`.
 *
 * What makes a match a finding (notes/korean-pii.md §1.1):
 * - shape: 6 digits, one separator (none, a dash, one space, ` - `, or a dash then a line break),
 *   7 digits, with the shared number boundaries (detectors/patterns.ts);
 * - a real calendar date whose century comes from the gender digit G, not in the future;
 * - the legacy check digit. Numbers issued since October 2020 have a random tail and no check
 *   digit, so a failed check is not a rejection when the birth date is on or after 2020-10-01 or
 *   an RRN keyword precedes the number; those are reported at medium confidence. A failed check
 *   with neither is dropped: a 13-digit id that happens to start with a date is not an RRN.
 *
 * G 5-8 are foreigner registration numbers (외국인등록번호). Until the detector suite (issue 3)
 * splits them into their own `foreigner_rrn` type they are reported here as `rrn`, checked with
 * the foreigner variant of the check digit and with foreigner keywords.
 *
 * Masked values (`900101-1******`, `X`, `●`) never match: the pattern needs 13 digits.
 */
import type { Detector, Finding } from './types.js';
import { asciiDigits, maskRrn } from './mask.js';
import { DASH, DIGIT, END_BOUNDARY, START_BOUNDARY, hasKeywordBefore } from './patterns.js';

/** Separator between the date and the back half: see the header. */
const SEPARATOR = `(?:${DASH}\\r?\\n| ${DASH} |${DASH}| |)`;

/**
 * `YYMMDD`, with the first digits of month (0/1) and day (0-3) checked in the pattern: on
 * digit-dense text (CSV exports) that rejects most candidates before any JavaScript runs.
 */
const MONTH_TENS = '[01\\uFF10\\uFF11]';
const DAY_TENS = '[0-3\\uFF10-\\uFF13]';
const BIRTH_DATE = `${DIGIT}${START_BOUNDARY}${DIGIT}${MONTH_TENS}${DIGIT}${DAY_TENS}${DIGIT}`;

/** One global regex, reused: `detect` is synchronous, so no two scans share its lastIndex. */
const RRN_REGEX = new RegExp(`${BIRTH_DATE}${SEPARATOR}${DIGIT}{7}${END_BOUNDARY}`, 'g');

/** Keywords are looked for this many characters before a number (the same line, in practice). */
export const KEYWORD_WINDOW = 60;

/**
 * RRN keywords, plus the foreigner ones (people write 주민번호 for both). The Korean words match
 * anywhere (particles attach to them); the acronyms must stand alone.
 */
const KEYWORDS = new RegExp(
  [
    '주민\\s?(?:등록|번호)',
    '외국인\\s?(?:등록|번호)',
    '(?<![A-Za-z])(?:RRN|FRN|ARC)(?![A-Za-z])',
    '(?:resident|foreigner|alien)\\s+registration',
  ].join('|'),
  'i',
);

/** Numbers assigned from this date on carry a random tail instead of a check digit. */
const RANDOM_TAIL_SINCE = 20201001;

/** Century by gender digit: 9/0 born 1800s, 1/2 and 5/6 1900s, 3/4 and 7/8 2000s. */
const CENTURY_BY_G: Readonly<Record<string, number>> = {
  '9': 1800, '0': 1800, '1': 1900, '2': 1900, '5': 1900, '6': 1900,
  '3': 2000, '4': 2000, '7': 2000, '8': 2000,
};

const CHECK_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;

/** Korea has one time zone, UTC+9 with no daylight saving: "today" is Seoul's date. */
const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;

export interface RrnDetectorOptions {
  /** Clock for the "not in the future" check; tests pin it. Default: the system clock. */
  now?: () => Date;
}

function isForeigner(g: string): boolean {
  return g >= '5' && g <= '8';
}

/** Birth date as YYYYMMDD, or null when it is not a real calendar date. */
function birthDate(digits: string): number | null {
  const century = CENTURY_BY_G[digits.charAt(6)];
  if (century === undefined) return null;
  const year = century + Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return null;
  // Day 0 of the next month is the last day of this one; Date.UTC follows Gregorian leap years.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return year * 10000 + month * 100 + day;
}

function seoulToday(now: Date): number {
  const seoul = new Date(now.getTime() + SEOUL_OFFSET_MS);
  return seoul.getUTCFullYear() * 10000 + (seoul.getUTCMonth() + 1) * 100 + seoul.getUTCDate();
}

/**
 * Legacy check digit: weighted sum of the first 12 digits; RRN check = (11 − Σ mod 11) mod 10,
 * foreigner check = (13 − Σ mod 11) mod 10.
 */
export function rrnChecksumValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < CHECK_WEIGHTS.length; i += 1) {
    sum += Number(digits.charAt(i)) * (CHECK_WEIGHTS[i] ?? 0);
  }
  const base = isForeigner(digits.charAt(6)) ? 13 : 11;
  return (base - (sum % 11)) % 10 === Number(digits.charAt(12));
}

export function createRrnDetector(options: RrnDetectorOptions = {}): Detector {
  const now = options.now ?? (() => new Date());
  return {
    type: 'rrn',
    symbol: 'KR_RRN',
    detect(text: string): Finding[] {
      const today = seoulToday(now());
      const findings: Finding[] = [];
      RRN_REGEX.lastIndex = 0;
      for (let match = RRN_REGEX.exec(text); match !== null; match = RRN_REGEX.exec(text)) {
        const start = match.index;
        const digits = asciiDigits(match[0]);
        const born = birthDate(digits);
        if (born === null || born > today) continue;
        let confidence: Finding['confidence'] = 'high';
        if (!rrnChecksumValid(digits)) {
          const plausible =
            born >= RANDOM_TAIL_SINCE || hasKeywordBefore(text, start, KEYWORDS, KEYWORD_WINDOW);
          if (!plausible) continue;
          confidence = 'medium';
        }
        const end = start + match[0].length;
        findings.push({ type: 'rrn', start, end, confidence, masked: maskRrn(digits) });
      }
      return findings;
    },
  };
}

/** The RRN detector on the system clock. */
export const rrnDetector: Detector = createRrnDetector();
