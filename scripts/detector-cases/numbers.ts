/**
 * Synthetic personal-data values, valid or deliberately invalid, as a Korean office worker would
 * type them.
 *
 * Every reportable value is valid by construction (check digits computed, dates real, networks
 * right) and is refused when its bare digits would also read as a type that stands on its own
 * shape (a 13-digit account that is a valid RRN, say), so each value has one right label. Mobile
 * numbers are 010-1xxx-xxxx and local numbers start with 1: unassigned, so nothing here is a
 * real person's number. The `needsKeyword` flag follows the ground truth of issue 3.
 */
import type { PiiType } from '../../detectors/types.js';
import type { Decoy, Value } from './builder.js';
import { decoy, value } from './builder.js';
import {
  brnCheckDigit, cardNetworkFits, compareYmd, corpCheckDigit, daysInMonth, frnCheckDigit, frnVerdict,
  isCardNumber, luhnDigit, luhnValid, rrnCheckDigit, rrnVerdict, standaloneTypeOf,
} from './checks.js';
import type { Ymd } from './checks.js';
import type { Rng } from './rng.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Draws until `accept` holds; the bound turns a generator bug into an error, not a hang. */
function drawUntil<T>(draw: () => T, accept: (x: T) => boolean, what: string): T {
  for (let i = 0; i < 10_000; i++) {
    const x = draw();
    if (accept(x)) return x;
  }
  throw new Error(`numbers: could not draw ${what}`);
}

/** Separators people put between digit groups; `-` dominates as it does in real mail. */
const GROUP_SEPARATORS = [
  '-', '-', '-', '-', '-', '-', '-', ' ', ' ', '\u2013', '\u2014', '\u2212', '\uff0d', ' - ',
];

function groupSeparator(rng: Rng, bare = false): string {
  if (bare && rng.chance(0.15)) return '';
  return rng.pick(GROUP_SEPARATORS);
}

function grouped(digits: string, sizes: readonly number[], sep: string): string {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  if (at !== digits.length) throw new Error(`numbers: ${digits.length} digits, groups ${sizes.join('-')}`);
  return groups.join(sep);
}

// ---------------------------------------------------------------------------------------------
// Resident and foreigner registration numbers

/** check: legacy check digit passes. recent: born on/after 2020-10-01, random tail.
 *  keyed: born earlier, check fails: reportable only next to a keyword. */
export type RegistrationKind = 'check' | 'recent' | 'keyed';

function drawDate(rng: Rng, from: Ymd, to: Ymd): Ymd {
  return drawUntil(
    () => {
      const y = rng.int(from.y, to.y);
      const m = rng.int(1, 12);
      return { y, m, d: rng.int(1, daysInMonth(y, m)) };
    },
    (d) => compareYmd(d, from) >= 0 && compareYmd(d, to) <= 0,
    'a birth date',
  );
}

function genderDigit(rng: Rng, year: number, foreigner: boolean): string {
  const female = rng.chance(0.5) ? 1 : 0;
  const base = year >= 2000 ? (foreigner ? 7 : 3) : foreigner ? 5 : 1;
  return String(base + female);
}

function yymmdd(date: Ymd): string {
  return pad2(date.y % 100) + pad2(date.m) + pad2(date.d);
}

/** 13 digits of an RRN (or FRN when `foreigner`) of the given kind. */
function registrationDigits(rng: Rng, kind: RegistrationKind, foreigner: boolean): string {
  const verdict = foreigner ? frnVerdict : rrnVerdict;
  const check = foreigner ? frnCheckDigit : rrnCheckDigit;
  return drawUntil(
    () => {
      const born = kind === 'recent'
        ? drawDate(rng, { y: 2020, m: 10, d: 1 }, { y: 2026, m: 11, d: 20 })
        : drawDate(rng, { y: 1948, m: 1, d: 1 }, { y: 2019, m: 12, d: 31 });
      const head = yymmdd(born) + genderDigit(rng, born.y, foreigner);
      // Legacy tails: RRN region 00-95; FRN even office code and registrant type 6-9.
      const tail = foreigner
        ? pad2(rng.int(0, 49) * 2) + rng.digits(2) + String(rng.int(6, 9))
        : pad2(rng.int(0, 95)) + rng.digits(3);
      const d12 = head + tail;
      const good = check(d12);
      const last = kind === 'check' ? good : (good + rng.int(1, 9)) % 10;
      return d12 + String(last);
    },
    (d) => {
      const v = verdict(d);
      const labelled = kind === 'keyed' ? !v.standsAlone : v.standsAlone;
      return v.shapeOk && labelled && !isCardNumber(d);
    },
    `a ${kind} registration number`,
  );
}

function registrationText(rng: Rng, d13: string, sep?: string): string {
  return d13.slice(0, 6) + (sep ?? groupSeparator(rng, true)) + d13.slice(6);
}

export function rrn(rng: Rng, kind: RegistrationKind, sep?: string): Value {
  return value('rrn', registrationText(rng, registrationDigits(rng, kind, false), sep), kind === 'keyed');
}

export function frn(rng: Rng, kind: RegistrationKind, sep?: string): Value {
  return value(
    'foreigner_rrn',
    registrationText(rng, registrationDigits(rng, kind, true), sep),
    kind === 'keyed',
  );
}

/**
 * RRN/FRN-shaped strings that are not reportable, by what is wrong with them: a failed check
 * digit (born before 2020-10, so reportable only with a keyword, and traps keep keywords away),
 * a 7th digit of 9/0 (1800s), an impossible date, or a birth date after the clock.
 */
export type BadRegistration = 'check-fails' | 'century-1800s' | 'bad-date' | 'future';

export function badRegistration(rng: Rng, what: BadRegistration, foreigner: boolean, sep = '-'): string {
  const check = foreigner ? frnCheckDigit : rrnCheckDigit;
  const withCheck = (head7: string): string => {
    const d12 = head7 + rng.digits(5);
    return d12 + String(check(d12));
  };
  let d13: string;
  switch (what) {
    case 'check-fails':
      d13 = registrationDigits(rng, 'keyed', foreigner);
      break;
    case 'century-1800s': {
      const born = drawDate(rng, { y: 1870, m: 1, d: 1 }, { y: 1899, m: 12, d: 31 });
      d13 = withCheck(yymmdd(born) + rng.pick(['9', '0']));
      break;
    }
    case 'bad-date': {
      const g = foreigner ? rng.pick(['5', '6']) : rng.pick(['1', '2']);
      const g2000 = foreigner ? rng.pick(['7', '8']) : rng.pick(['3', '4']);
      const heads = [
        `${pad2(rng.int(50, 99))}13${pad2(rng.int(1, 28))}${g}`, // month 13
        `${pad2(rng.int(60, 99))}0230${g}`, // 30 February
        `${pad2(rng.int(70, 99))}0431${g}`, // 31 April
        `010229${g2000}`, // 2001 is not a leap year
        `000229${g}`, // 1900 is not a leap year (Gregorian), although 2000 is
        `${pad2(rng.int(50, 99))}${pad2(rng.int(1, 12))}00${g}`, // day 00
      ];
      d13 = withCheck(rng.pick(heads));
      break;
    }
    case 'future': {
      const born = drawDate(rng, { y: 2026, m: 12, d: 5 }, { y: 2029, m: 12, d: 31 });
      d13 = withCheck(yymmdd(born) + genderDigit(rng, born.y, foreigner));
      break;
    }
  }
  const v = (foreigner ? frnVerdict : rrnVerdict)(d13);
  const other = (foreigner ? rrnVerdict : frnVerdict)(d13);
  if (v.shapeOk && v.standsAlone) throw new Error(`numbers: ${what} registration is reportable`);
  if (other.shapeOk || standaloneTypeOf(d13) !== null) {
    return badRegistration(rng, what, foreigner, sep);
  }
  if (what !== 'check-fails' && v.shapeOk) throw new Error(`numbers: ${what} has a valid shape`);
  return d13.slice(0, 6) + sep + d13.slice(6);
}

// ---------------------------------------------------------------------------------------------
// Driver's licence

const LICENCE_REGIONS: ReadonlyArray<readonly [number, string | null]> = [
  [11, '서울'], [12, '부산'], [13, '경기'], [14, '강원'], [15, '충북'], [16, '충남'], [17, '전북'],
  [18, '전남'], [19, '경북'], [20, '경남'], [21, '제주'], [22, '대구'], [23, '인천'], [24, '광주'],
  [25, '대전'], [26, '울산'], [28, null],
];

/** dashed: 2-2-6-2 (any listed separator); spaced: 2 2 6 2; old: 서울 19-123456-61; bare: 12 digits. */
export type LicenceForm = 'dashed' | 'spaced' | 'old' | 'bare';

function licenceTail(rng: Rng): string {
  // Issue years 1988-2025; the two-digit year is printed as is.
  const year = rng.chance(0.3) ? rng.int(88, 99) : rng.int(0, 25);
  return pad2(year) + rng.digits(6) + rng.digits(2);
}

export function licence(rng: Rng, form: LicenceForm, sep?: string): Value {
  const [code, name] = form === 'old'
    ? rng.pick(LICENCE_REGIONS.filter(([, n]) => n !== null))
    : rng.pick(LICENCE_REGIONS);
  const d = String(code) + licenceTail(rng);
  if (form === 'old') {
    return value('driver_license', `${name} ${grouped(d.slice(2), [2, 6, 2], '-')}`, false);
  }
  if (form === 'bare') return value('driver_license', d, true);
  const s = form === 'spaced' ? ' ' : (sep ?? rng.pick(['-', '-', '-', '-', '\u2013', '\uff0d']));
  return value('driver_license', grouped(d, [2, 2, 6, 2], s), false);
}

/** A 2-2-6-2 number whose region is 27, 29-99 or 00-10: never a licence. */
export function badRegionLicence(rng: Rng): string {
  const region = rng.pick([27, rng.int(29, 99), rng.int(0, 10)]);
  return grouped(pad2(region) + licenceTail(rng), [2, 2, 6, 2], '-');
}

// ---------------------------------------------------------------------------------------------
// Passport

const PASSPORT_LETTERS = ['M', 'M', 'M', 'M', 'M', 'S', 'R', 'O', 'D'];
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function passportText(rng: Rng, form: 'old' | 'new', letter = rng.pick(PASSPORT_LETTERS)): string {
  return form === 'old'
    ? letter + rng.digits(8)
    : letter + rng.digits(3) + rng.pick([...UPPER]) + rng.digits(4);
}

export function passport(rng: Rng, form: 'old' | 'new'): Value {
  return value('passport', passportText(rng, form), true);
}

/** Passport-like strings that are wrong however close the keyword: letter, length or layout. */
export function badPassport(rng: Rng): string {
  const wrongLetter = rng.pick([...'ABCEFGHJKLNPTUVWXYZ']);
  return rng.pick([
    passportText(rng, 'old', wrongLetter),
    passportText(rng, 'new', wrongLetter),
    rng.pick(PASSPORT_LETTERS) + rng.digits(7),
    rng.pick(PASSPORT_LETTERS) + rng.digits(9),
    `${rng.pick(PASSPORT_LETTERS)}${rng.digits(3)}-${rng.pick([...UPPER])}${rng.digits(4)}`,
    `${rng.pick(PASSPORT_LETTERS)}${rng.digits(3)} ${rng.pick([...UPPER])}${rng.digits(4)}`,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Cards

export type Network =
  | 'visa' | 'visa13' | 'visa19' | 'mastercard' | 'mastercard2' | 'amex' | 'diners' | 'diners300'
  | 'jcb' | 'unionpay' | 'unionpay19' | 'discover' | 'domestic';

const NETWORK_SHAPES: Record<Network, (rng: Rng) => [prefix: string, length: number]> = {
  visa: () => ['4', 16],
  visa13: () => ['4', 13],
  visa19: () => ['4', 19],
  mastercard: (r) => [String(r.int(51, 55)), 16],
  mastercard2: (r) => [String(r.int(2221, 2720)), 16],
  amex: (r) => [r.pick(['34', '37']), 15],
  diners: () => ['36', 14],
  diners300: (r) => [String(r.int(300, 305)), 14],
  jcb: (r) => [String(r.int(3528, 3589)), 16],
  unionpay: () => ['62', 16],
  unionpay19: () => ['62', 19],
  discover: (r) => [r.pick(['6011', String(r.int(644, 649)), '65']), 16],
  domestic: (r) => [r.pick(['9410', '9420', '9430', '9445', '9490', '9711']), 16],
};

export function cardDigits(rng: Rng, network: Network): string {
  const [prefix, length] = NETWORK_SHAPES[network](rng);
  return drawUntil(
    () => {
      const body = prefix + rng.digits(length - prefix.length - 1);
      return body + String(luhnDigit(body));
    },
    (d) => standaloneTypeOf(d) === 'credit_card',
    `a ${network} card`,
  );
}

/** How a card of this length is printed: 4-4-4-4, Amex 4-6-5, Diners 4-6-4, else bare. */
function cardGroups(length: number): readonly number[] | null {
  if (length === 16) return [4, 4, 4, 4];
  if (length === 15) return [4, 6, 5];
  if (length === 14) return [4, 6, 4];
  return null;
}

export function card(rng: Rng, network: Network, sep?: string): Value {
  const d = cardDigits(rng, network);
  const groups = cardGroups(d.length);
  const s = sep ?? rng.pick(['-', '-', '-', ' ', ' ', '', '\u2013']);
  return value('credit_card', groups ? grouped(d, groups, s) : d, false);
}

/** A 16-digit 4-4-4-4 number that is not a card: Luhn fails, or the first digit is 0/1/7/8. */
export function notACard(rng: Rng, why: 'luhn' | 'prefix', sep = '-'): string {
  const d = drawUntil(
    () => {
      if (why === 'luhn') {
        const good = cardDigits(rng, rng.pick(['visa', 'mastercard', 'jcb', 'domestic', 'unionpay']));
        return good.slice(0, 15) + String((Number(good[15]) + rng.int(1, 9)) % 10);
      }
      const body = rng.pick(['0', '1', '7', '8']) + rng.digits(14);
      return body + String(luhnDigit(body));
    },
    (x) => !(cardNetworkFits(x) && luhnValid(x)),
    'a non-card 16-digit number',
  );
  return grouped(d, [4, 4, 4, 4], sep);
}

// ---------------------------------------------------------------------------------------------
// Bank accounts

export interface BankLayout {
  /** As written in Korean mail; every name contains a bank keyword of the spec. */
  readonly name: string;
  /** Romanised name in English mail: deliberately not a keyword, so "account no." carries it. */
  readonly english: string;
  readonly groups: readonly number[];
  readonly prefixes?: readonly string[];
}

export const BANKS: readonly BankLayout[] = [
  { name: 'KB국민은행', english: 'Kookmin Bank', groups: [6, 2, 6] },
  { name: '국민은행', english: 'Kookmin Bank', groups: [3, 2, 4, 3] },
  { name: '신한은행', english: 'Shinhan Bank', groups: [3, 3, 6], prefixes: ['110', '140'] },
  { name: '신한은행', english: 'Shinhan Bank', groups: [3, 2, 6] },
  { name: '우리은행', english: 'Woori Bank', groups: [4, 3, 6], prefixes: ['1002'] },
  { name: '하나은행', english: 'Hana Bank', groups: [3, 6, 5] },
  { name: 'NH농협은행', english: 'Nonghyup Bank', groups: [3, 4, 4, 2], prefixes: ['301', '302', '312', '351', '352'] },
  { name: 'IBK기업은행', english: 'Industrial Bank of Korea', groups: [3, 6, 2, 3] },
  { name: '카카오뱅크', english: 'KakaoBank', groups: [4, 2, 7], prefixes: ['3333'] },
  { name: '토스뱅크', english: 'Toss Bank', groups: [4, 4, 4], prefixes: ['1000'] },
  { name: '케이뱅크', english: 'K Bank', groups: [3, 3, 6], prefixes: ['100'] },
  { name: '우체국', english: 'Korea Post', groups: [6, 2, 6] },
  { name: 'SC제일은행', english: 'SC First Bank', groups: [3, 2, 6] },
];

function accountDigits(rng: Rng, layout: BankLayout): string {
  const length = layout.groups.reduce((a, b) => a + b, 0);
  return drawUntil(
    () => {
      const prefix = layout.prefixes ? rng.pick(layout.prefixes) : String(rng.int(1, 9));
      return prefix + rng.digits(length - prefix.length);
    },
    (d) => standaloneTypeOf(d) === null,
    `a ${layout.name} account`,
  );
}

export function account(rng: Rng, layout: BankLayout, sep?: string): Value {
  const d = accountDigits(rng, layout);
  const s = sep ?? rng.pick(['-', '-', '-', '-', '-', '', ' ', '\u2013']);
  return value('bank_account', grouped(d, layout.groups, s), true);
}

/** An account-shaped number for a decoy: the layout without the context. */
export function accountShape(rng: Rng, layout: BankLayout, sep = '-'): string {
  return grouped(accountDigits(rng, layout), layout.groups, sep);
}

// ---------------------------------------------------------------------------------------------
// Phones

export type PhoneForm =
  | 'mobile' | 'mobile-dot' | 'mobile-space' | 'mobile-bare' | 'legacy' | 'seoul' | 'area'
  | 'voip' | 'paren' | 'intl-mobile' | 'intl-seoul';

const PHONE_FORMS: readonly PhoneForm[] = [
  'mobile', 'mobile', 'mobile', 'mobile-dot', 'mobile-space', 'mobile-bare', 'legacy', 'seoul',
  'area', 'voip', 'paren', 'intl-mobile', 'intl-seoul',
];

const AREA_CODES = [
  '031', '032', '033', '041', '042', '043', '044', '051', '052', '053', '054', '055', '061', '062',
  '063', '064',
];

/** A local part starting with 1: never assigned, so never someone's number. */
const local = (rng: Rng, n: number): string => '1' + rng.digits(n - 1);

function phoneText(rng: Rng, form: PhoneForm): string {
  const mid4 = local(rng, 4);
  const last = rng.digits(4);
  switch (form) {
    case 'mobile': return `010-${mid4}-${last}`;
    case 'mobile-dot': return `010.${mid4}.${last}`;
    case 'mobile-space': return `010 ${mid4} ${last}`;
    case 'mobile-bare': return `010${mid4}${last}`;
    case 'legacy': {
      const mid = rng.chance(0.5) ? local(rng, 3) : mid4;
      return `${rng.pick(['011', '016', '017', '018', '019'])}-${mid}-${last}`;
    }
    case 'seoul': return `02-${rng.chance(0.5) ? local(rng, 3) : mid4}-${last}`;
    case 'area': return `${rng.pick(AREA_CODES)}-${rng.chance(0.5) ? local(rng, 3) : mid4}-${last}`;
    case 'voip': return `070-${mid4}-${last}`;
    case 'paren': return `(02) ${local(rng, 3)}-${last}`;
    case 'intl-mobile': return `+82 10-${mid4}-${last}`;
    case 'intl-seoul': return `+82-2-${local(rng, 3)}-${last}`;
  }
}

export function phone(rng: Rng, form: PhoneForm = rng.pick(PHONE_FORMS)): Value {
  return value('phone', phoneText(rng, form), false);
}

/** Company representative numbers (15xx/16xx/18xx-XXXX): not a person's phone. */
export function representativeNumber(rng: Rng): string {
  const prefix = rng.pick(['1588', '1544', '1577', '1599', '1600', '1644', '1661', '1670', '1800', '1899']);
  return `${prefix}-${rng.digits(4)}`;
}

// ---------------------------------------------------------------------------------------------
// Business and corporate registration, health insurance

export function brnDigits(rng: Rng): string {
  const d9 = String(rng.int(101, 699)) + pad2(rng.int(1, 99)) + rng.digits(4);
  return d9 + String(brnCheckDigit(d9));
}

export function brn(rng: Rng, form: 'dashed' | 'bare', sep?: string): Value {
  const d = brnDigits(rng);
  if (form === 'bare') return value('business_reg', d, true);
  const s = sep ?? rng.pick(['-', '-', '-', '-', '\u2013', '\uff0d']);
  return value('business_reg', grouped(d, [3, 2, 5], s), false);
}

export function badBrn(rng: Rng): string {
  const d = brnDigits(rng);
  return grouped(d.slice(0, 9) + String((Number(d[9]) + rng.int(1, 9)) % 10), [3, 2, 5], '-');
}

/** US social security number shape, 3-2-4. */
export function ssn(rng: Rng): string {
  return `${rng.int(101, 665)}-${pad2(rng.int(1, 99))}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

const CORP_OFFICES = [
  '1101', '1144', '1201', '1301', '1311', '1345', '1358', '1401', '1501', '1601', '1701', '1801',
  '2001', '2301',
];
const CORP_KINDS = ['11', '11', '11', '12', '13', '14', '21', '22', '71', '81'];

/**
 * 13 digits of a corporate number whose check passes (or fails, with `broken`). The 7th digit is
 * 0 or 9, or the first six are no date, so the number cannot also read as an RRN or FRN.
 */
export function corpDigits(rng: Rng, broken = false): string {
  return drawUntil(
    () => {
      const serial = rng.chance(0.8) ? '0' + rng.digits(5) : rng.chance(0.5) ? '9' + rng.digits(5) : rng.digits(6);
      const d12 = rng.pick(CORP_OFFICES) + rng.pick(CORP_KINDS) + serial;
      const good = corpCheckDigit(d12);
      return d12 + String(broken ? (good + rng.int(1, 9)) % 10 : good);
    },
    (d) =>
      standaloneTypeOf(d) === null &&
      ('09'.includes(d.charAt(6)) || (!rrnVerdict(d).shapeOk && !frnVerdict(d).shapeOk)),
    'a corporate number',
  );
}

export function corporate(rng: Rng, form: 'dashed' | 'bare'): Value {
  const d = corpDigits(rng);
  return value('corporate_reg', form === 'bare' ? d : `${d.slice(0, 6)}-${d.slice(6)}`, true);
}

export function healthDigits(rng: Rng): string {
  return String(rng.int(1, 7)) + rng.digits(10);
}

export function health(rng: Rng, form: 'dashed' | 'bare'): Value {
  const d = healthDigits(rng);
  return value('health_insurance', form === 'bare' ? d : `${d[0]}-${d.slice(1)}`, true);
}

// ---------------------------------------------------------------------------------------------
// Decoy helpers

/** A decoy aimed at `aim`, with no keyword tolerance unless given. */
export function trap(aim: PiiType | 'none', text: string, allow: Decoy['allow'] = []): Decoy {
  return decoy(aim, text, allow);
}
