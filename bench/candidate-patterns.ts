/**
 * "The same patterns" for ripgrep: every shape a detector judges, every context keyword, and the
 * company dictionary, written as one ripgrep pattern file, so the benchmark can put our scan rate
 * beside a C-speed scanner doing comparable work on the same bytes (issue 3).
 *
 * Since issue 3 the detectors hold no regular expressions: one JavaScript pass (detectors/scan.ts)
 * reads number tokens, passport shapes, e-mail addresses and keywords, and per-type judges check
 * them. The shapes below are written from the judges' documented rules (detectors/rrn.ts,
 * credit-card.ts, driver-license.ts, passport.ts, bank-account.ts, phone.ts, business-reg.ts,
 * health-insurance.ts, corporate-reg.ts); the keywords come straight from
 * detectors/context-words.ts, and the dictionary is the one the detectors get.
 * XXX: a new shape in a judge needs a line here and a sample in test/bench-detector-inputs.test.ts,
 * which checks that ripgrep matches one detector-confirmed sample of every shape it lists.
 *
 * What ripgrep does LESS than the detectors, so its figure flatters it:
 * - no validation at all: no RRN or business check digit, no Luhn, no card issuer ranges, no
 *   birth-date or region-code checks, no keyword-context weighing (60 characters before, 30
 *   after, the table column's header), no overlap resolution, no masking;
 * - it only counts matches (`--count-matches`); it builds no list of findings with offsets, and
 *   it never turns bytes into a JS string;
 * - no folding of invisible characters, HTML character references (`&#45;`) or a number wrapped
 *   across a line break (ripgrep works per line);
 * - the detectors split a run of digit groups into every window that may be a value (`1 900101
 *   1234568` is a row number and an RRN); ripgrep takes the leftmost-first match only (words
 *   are listed longest first, so that where one word begins another both pick the longer);
 * - a Hangul keyword may have up to two spaces between its syllables in the text (`주 민 번 호`);
 *   here a keyword is matched as written (a space inside it may be one or two whitespace);
 * - bank accounts: the detector weighs any grouping of 2-4 groups (10-14 digits); here only the
 *   bare form and the groupings banks print (notes/korean-pii.md §1.6) are listed.
 * What it does MORE:
 * - boundaries are consuming (`(?:^|[^0-9A-Za-z…])` before and after): ripgrep's default engine
 *   has no lookaround. This only widens what matches; a 4-4-4-4 card may mix separators (no
 *   back-references), and a Latin keyword matches inside a longer word (`\b` would push
 *   ripgrep's lazy DFA off non-ASCII text, so it is left out);
 * - in the `bytes` dialect, a byte class cannot exclude a 3-byte full-width letter, so that
 *   boundary is wider again.
 *
 * Dialects:
 * - `unicode`: ripgrep's default engine, Unicode classes written as `\x{…}`;
 * - `bytes`: the same under `(?-u)`, every non-ASCII character written as its UTF-8 bytes (what
 *   made ripgrep twice as fast on `\d` patterns in perf-anchors.md).
 *
 * ripgrep 13 joins the lines of a pattern file with `|` into one expression, so a flag at the
 * head of one line would leak into the lines after it: every line is therefore one `(?:…)`
 * group with its flags inside.
 */
import { CONTEXT_WORDS } from '../detectors/context-words.js';

export type Dialect = 'unicode' | 'bytes';

export interface NamedPattern {
  /** Which detector shape this is, for the report and the pattern file's reader. */
  readonly name: string;
  readonly regex: string;
  /**
   * The regex is a number body that needs the shared boundaries around it. Bounded bodies go
   * into one alternation with one boundary pair, as someone writing for ripgrep would: on 5 MB
   * of the digit-dense corpus the shapes as one factored line ran 1.8× as fast as a line per
   * shape (54 against 30 MB/s).
   */
  readonly bounded: boolean;
}

interface Atoms {
  /** One ASCII or full-width digit. */
  readonly digit: string;
  /** Dash look-alikes the scanner folds to `-`. */
  readonly dash: string;
  /** Space look-alikes the scanner folds to ` ` (not tab: it separates cells). */
  readonly space: string;
  /** Anything but an ASCII or full-width letter or digit (what may touch a number). */
  readonly notWord: string;
  /** Passport letters M, S, R, O, D, ASCII or full-width. */
  readonly passportLetter: string;
  /** Any upper-case Latin letter, ASCII or full-width. */
  readonly upper: string;
  /** The dialect's prefix for each line (`(?-u)` for bytes). */
  readonly flags: string;
  /** A non-ASCII character as the dialect writes it. */
  readonly char: (ch: string) => string;
}

function hexEscape(code: number): string {
  return `\\x{${code.toString(16).toUpperCase()}}`;
}

const UNICODE: Atoms = {
  digit: '[0-9\\x{FF10}-\\x{FF19}]',
  dash: '[\\-\\x{2010}-\\x{2015}\\x{2212}\\x{FE63}\\x{FF0D}]',
  space: '[ \\x{A0}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}]',
  notWord: '[^0-9A-Za-z\\x{FF10}-\\x{FF19}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}]',
  passportLetter: '[MSROD\\x{FF2D}\\x{FF33}\\x{FF32}\\x{FF2F}\\x{FF24}]',
  upper: '[A-Z\\x{FF21}-\\x{FF3A}]',
  flags: '',
  char: (ch) => (ch.charCodeAt(0) < 0x80 ? escapeAscii(ch) : ch),
};

function utf8Bytes(ch: string): string {
  return [...Buffer.from(ch, 'utf8')]
    .map((b) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

/**
 * UTF-8 of the full-width forms: U+FF10-FF19 digits are EF BC 90-99, U+FF21-FF3A letters EF BC
 * A1-BA; U+2010-2015 are E2 80 90-95, U+2212 is E2 88 92, U+FE63 EF B9 A3, U+FF0D EF BC 8D;
 * U+00A0 is C2 A0, U+2000-200A E2 80 80-8A, U+202F E2 80 AF, U+205F E2 81 9F, U+3000 E3 80 80.
 */
const BYTES: Atoms = {
  digit: '(?:[0-9]|\\xEF\\xBC[\\x90-\\x99])',
  dash: '(?:-|\\xE2\\x80[\\x90-\\x95]|\\xE2\\x88\\x92|\\xEF\\xB9\\xA3|\\xEF\\xBC\\x8D)',
  space: '(?: |\\xC2\\xA0|\\xE2\\x80[\\x80-\\x8A\\xAF]|\\xE2\\x81\\x9F|\\xE3\\x80\\x80)',
  notWord: '[^0-9A-Za-z]',
  passportLetter: '(?:[MSROD]|\\xEF\\xBC[\\xAD\\xB3\\xB2\\xAF\\xA4])',
  upper: '(?:[A-Z]|\\xEF\\xBC[\\xA1-\\xBA])',
  flags: '(?-u)',
  char: (ch) => (ch.charCodeAt(0) < 0x80 ? escapeAscii(ch) : utf8Bytes(ch)),
};

/** The characters Rust's regex syntax treats as meta (and accepts escaped). */
const META = new Set([...'\\.+*?()|[]{}^$#&-~']);

function escapeAscii(ch: string): string {
  return META.has(ch) ? `\\${ch}` : ch;
}

function atomsFor(dialect: Dialect): Atoms {
  return dialect === 'unicode' ? UNICODE : BYTES;
}

/** One of the listed ASCII digits, or its full-width form. */
function digitIn(a: Atoms, digits: string): string {
  const wide = [...digits].map((d) => String.fromCharCode(d.charCodeAt(0) - 48 + 0xff10));
  if (a === UNICODE) return `[${digits}${wide.map((ch) => hexEscape(ch.charCodeAt(0))).join('')}]`;
  return `(?:[${digits}]|${wide.map(utf8Bytes).join('|')})`;
}

/** A fixed digit string, each digit ASCII or full-width. */
function digitsLiteral(a: Atoms, digits: string): string {
  return [...digits].map((d) => digitIn(a, d)).join('');
}

/** The joins the scanner reads as one group boundary: a dash (spaces around it allowed) or one space. */
function dashOrSpace(a: Atoms): string {
  return `(?:${a.space}?${a.dash}${a.space}?|${a.space})`;
}

/** Phone separators: dash, space, or dot. */
function phoneSeparator(a: Atoms): string {
  return `(?:${a.space}?${a.dash}${a.space}?|${a.space}|\\.)`;
}

function repeatDigit(a: Atoms, min: number, max: number = min): string {
  return min === max ? `${a.digit}{${min}}` : `${a.digit}{${min},${max}}`;
}

/** Groups of the given digit counts joined by `separator`. */
function grouped(a: Atoms, lengths: readonly number[], separator: string): string {
  return lengths.map((n) => repeatDigit(a, n)).join(separator);
}

/** Region names of the old licence form (detectors/driver-license.ts). */
const LICENCE_REGIONS = ['경기북부', '서울', '부산', '경기', '강원', '충북', '충남', '전북', '전남', '경북',
  '경남', '제주', '대구', '인천', '광주', '대전', '울산'];

/** Account groupings banks print (notes/korean-pii.md §1.6). */
const ACCOUNT_GROUPINGS: readonly (readonly number[])[] = [
  [6, 2, 6], [3, 2, 4, 3], [3, 3, 6], [3, 2, 6], [4, 3, 6], [3, 6, 5], [3, 4, 4, 2], [3, 6, 2, 3],
  [4, 2, 7], [4, 4, 4],
];

/**
 * Every detector's candidate shapes, one named regex each (no flags, no outer group); `bounded`
 * ones still need `(?:^|notWord)…(?:$|notWord)` around them (see `numberShapesLine`).
 */
export function shapePatterns(dialect: Dialect): NamedPattern[] {
  const a = atomsFor(dialect);
  const sep = dashOrSpace(a);
  const psep = phoneSeparator(a);
  const d = (min: number, max?: number) => repeatDigit(a, min, max);
  const number = (name: string, regex: string): NamedPattern => ({ name, regex, bounded: true });
  const regions = LICENCE_REGIONS.map((name) => [...name].map(a.char).join('')).join('|');
  const areaCodes = ['31', '32', '33', '41', '42', '43', '44', '51', '52', '53', '54', '55',
    '61', '62', '63', '64', '70'].map((code) => digitsLiteral(a, code)).join('|');
  const zero = digitIn(a, '0');
  const mobilePrefix = `${zero}${digitIn(a, '1')}${digitIn(a, '016789')}`;
  const subscriber = `${d(3, 4)}${psep}${d(4)}`;
  return [
    number('rrn / foreigner / corporate 6-7', grouped(a, [6, 7], sep)),
    number('rrn / foreigner / corporate 13 bare', d(13)),
    // Before 4-4-4-4: ripgrep takes the first alternative that matches, not the longest.
    number('card 4-4-4-4-1..3 (UnionPay, JCB)', `${grouped(a, [4, 4, 4, 4], sep)}${sep}${d(1, 3)}`),
    number('card 4-4-4-4', grouped(a, [4, 4, 4, 4], sep)),
    number('card 4-6-5 (Amex)', grouped(a, [4, 6, 5], sep)),
    number('card 4-6-4 (Diners)', grouped(a, [4, 6, 4], sep)),
    number('card 13-19 bare', d(13, 19)),
    number('licence 2-2-6-2', grouped(a, [2, 2, 6, 2], sep)),
    number('licence 12 bare', d(12)),
    {
      name: 'licence region name + 2-6-2',
      regex: `(?:(?:${regions})${a.space}?|(?:^|${a.notWord}))${grouped(a, [2, 6, 2], sep)}(?:$|${a.notWord})`,
      bounded: false,
    },
    number('passport letter + 8 digits, letter + 3 + letter + 4',
      `${a.passportLetter}(?:${d(8)}|${d(3)}${a.upper}${d(4)})`),
    number('account 10-14 bare', d(10, 14)),
    ...ACCOUNT_GROUPINGS.map((lengths) => number(`account ${lengths.join('-')}`, grouped(a, lengths, sep))),
    number('phone mobile 01X', `${mobilePrefix}${psep}${subscriber}`),
    number('phone mobile 3-8', `${digitsLiteral(a, '010')}${sep}${d(8)}`),
    number('phone mobile bare',
      `(?:${digitsLiteral(a, '010')}${d(8)}|${zero}${digitIn(a, '1')}${digitIn(a, '16789')}${d(7, 8)})`),
    number('phone Seoul 02', `${digitsLiteral(a, '02')}${psep}${subscriber}`),
    number('phone area codes, 070', `${zero}(?:${areaCodes})${psep}${subscriber}`),
    number('phone 0502-0508', `${digitsLiteral(a, '050')}${digitIn(a, '2345678')}${psep}${d(4)}${psep}${d(4)}`),
    number('phone (0xx) form', `\\(${zero}${d(1, 2)}\\)${a.space}?${subscriber}`),
    number('phone +82', `\\+${digitsLiteral(a, '82')}(?:${psep}${d(1, 3)}${psep}${subscriber}|${d(9, 10)})`),
    {
      name: 'e-mail',
      regex: '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,24}',
      bounded: false,
    },
    number('business 3-2-5', grouped(a, [3, 2, 5], sep)),
    number('business 10 bare', d(10)),
    number('health insurance 1-10', grouped(a, [1, 10], sep)),
    number('health insurance 11 bare', d(11)),
  ];
}

/** A word as the detectors match it, less the case rule: a space in it is 1-2 whitespace. */
function wordBody(word: string, a: Atoms): string {
  return word.trim().split(/\s+/).map((part) => [...part].map(a.char).join('')).join('\\s{1,2}');
}

function hasLatin(word: string): boolean {
  return /[A-Za-z]/.test(word);
}

/**
 * Lines for a word list: the words with Latin letters in one case-insensitive group (the
 * detectors fold Latin case), every other word on its own line. One `(?i:…)` group rather than
 * `(?i)` per word: on the 50 MB digit-dense corpus with the 5,000-word dictionary it was about a
 * third faster (8.7 against 6.4 MB/s).
 */
export function wordLines(words: readonly string[], dialect: Dialect): string[] {
  const a = atomsFor(dialect);
  // ripgrep takes the first alternative that matches, the detectors the longest word: longest
  // first makes the two agree where one word begins another (`주민등록증`, `주민등록`).
  const sorted = [...words].sort((x, y) => y.length - x.length);
  const latin = sorted.filter(hasLatin).map((w) => wordBody(w, a));
  const other = sorted.filter((w) => !hasLatin(w)).map((w) => wordBody(w, a));
  return [...(latin.length > 0 ? [`(?i:${latin.join('|')})`] : []), ...other];
}

/** Every context keyword of every class, each once (the lists share a few words). */
export function contextKeywords(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const words of Object.values(CONTEXT_WORDS)) {
    for (const word of words) {
      const key = word.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(word);
    }
  }
  return out;
}

/** The bounded shapes as one alternation between one boundary pair. */
function numberShapesLine(shapes: readonly NamedPattern[], a: Atoms): string {
  const bodies = shapes.filter((p) => p.bounded).map((p) => p.regex);
  return `(?:^|${a.notWord})(?:${bodies.join('|')})(?:$|${a.notWord})`;
}

export interface PatternFile {
  /** The file's text: one `(?:…)` group per line. */
  readonly text: string;
  /** Detector shapes, context keywords, dictionary words covered. */
  readonly shapes: number;
  readonly keywords: number;
  readonly dictionaryWords: number;
}

/** Shapes, then context keywords, then the dictionary, for `rg -f`. */
export function patternFile(dialect: Dialect, dictionary: readonly string[] = []): PatternFile {
  const a = atomsFor(dialect);
  const shapes = shapePatterns(dialect);
  const keywords = contextKeywords();
  const lines = [
    numberShapesLine(shapes, a),
    ...shapes.filter((p) => !p.bounded).map((p) => p.regex),
    // One list, so that longest-first holds across both (`Lotus Lite` before the keyword `lot`).
    ...wordLines([...keywords, ...dictionary], dialect),
  ].map((regex) => `(?:${a.flags}${regex})`);
  return {
    text: `${lines.join('\n')}\n`,
    shapes: shapes.length,
    keywords: keywords.length,
    dictionaryWords: dictionary.length,
  };
}
