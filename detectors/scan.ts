/**
 * The one pass over a text that every detector shares.
 *
 * Per character the loop does one table lookup; only characters that may begin something are
 * looked at further: digits (number tokens, numbers.ts), `@` (e-mail addresses), `&` (an HTML
 * character reference that may stand for a digit) and the first characters of keywords
 * (keywords.ts). Detectors then judge the collected candidates; none of them reads the whole
 * text again. That is what keeps eleven detectors and a dictionary of thousands of words at the
 * cost of roughly one regular-expression scan.
 */
import { digitValue, isDash, isInvisible, isSpace, isWordCode, readFolded, type Folded } from './chars.js';
import { AFTER } from './context.js';
import { CLASS_BIT, CONTEXT_CLASSES, CONTEXT_WORDS } from './context-words.js';
import { KeywordMatcher, keywordHits, type KeywordHits } from './keywords.js';
import { collectCandidates, MIN_DIGITS, readToken, startIsClear, type Candidate } from './numbers.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A letter + digits shape a passport number has (`M12345678`, `M123A4567`). */
export interface PassportShape extends Span {
  /** The value with full-width characters folded, e.g. `M123A4567`. */
  readonly value: string;
}

/**
 * Context keywords found, ordered by start, as three parallel arrays: a mail of order tables has
 * a keyword every few dozen characters, and one object per keyword would have the garbage
 * collector copy each of them while the scan goes on.
 */
export interface ContextHits {
  readonly starts: number[];
  readonly ends: number[];
  /** The keyword's class, as a `CLASS_BIT` bit. */
  readonly bits: number[];
}

export interface DictionaryHit extends Span {
  readonly dictionary: number;
}

/**
 * What one pass over a text found. Number candidates are not kept here: they go to the caller's
 * judge as soon as every keyword that may speak for them has been read (see `Scanner.scan`).
 */
export interface Scan {
  readonly text: string;
  readonly passports: PassportShape[];
  readonly emails: Span[];
  /** Context keywords, ordered by start. */
  readonly context: ContextHits;
  /** Dictionary words, ordered by start; overlapping occurrences are all listed. */
  readonly dictionary: DictionaryHit[];
  /** Offsets of every `\n`, ascending: line lookups for keyword context (context.ts). */
  readonly newlines: number[];
}

/** Called with each number candidate once the scan has read far enough to judge it. */
export type CandidateSink = (candidate: Candidate, scan: Scan) => void;

const DIGIT = 1;
const AT = 2;
const AMPERSAND = 4;
const KEYWORD = 8;
/** A Latin letter some keyword starts with. */
const LATIN = 16;
const NEWLINE = 32;

/** Passport numbers begin with one of these (ordinary, single, residence, official, diplomatic). */
const PASSPORT_LETTERS = 'MSROD';

/** 1 for the passport letters, ASCII and full-width: checked before every digit run. */
const PASSPORT_START = new Uint8Array(65536);
for (const letter of PASSPORT_LETTERS) {
  PASSPORT_START[letter.charCodeAt(0)] = 1;
  PASSPORT_START[letter.charCodeAt(0) - 65 + 0xff21] = 1;
}

/** Asset names, not addresses: `logo@2x.png`. */
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'heic',
  'pdf', 'js', 'mjs', 'css', 'map', 'json', 'html', 'htm', 'xml', 'txt', 'zip', 'woff', 'woff2',
]);

const folded: Folded = { code: 0, length: 1 };

/** Characters people mask with: `*`, `＊`, `●`, `•`, `○`. */
const MASK_MARKS = new Set([42, 0xff0a, 0x25cf, 0x2022, 0x25cb]);

function isLocalPartChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 46 || code === 95 || code === 37 || code === 43 || code === 45
  );
}

function isDomainChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 46 || code === 45;
}

/** Could the character after a short ASCII digit run continue a number token? */
function mayContinueNumber(code: number): boolean {
  if (code < 0x80) return code === 45 || code === 32 || code === 46 || code === 41 || code === 10 || code === 13 || code === 38;
  // Full-width forms (０-９, `）`, `．`) are folded by the full reader.
  return isDash(code) || isSpace(code) || isInvisible(code) || (code >= 0xff01 && code <= 0xff5e);
}

export interface DictionaryWords {
  readonly words: readonly string[];
}

export class Scanner {
  private readonly table = new Uint8Array(65536);
  private readonly matcher: KeywordMatcher;
  /** Per matcher entry: class bit for a context word, 0 for a dictionary word. */
  private readonly entryBit: number[] = [];
  /** Per matcher entry: dictionary index, or -1 for a context word. */
  private readonly entryDictionary: number[] = [];

  constructor(dictionaries: readonly DictionaryWords[]) {
    const words: string[] = [];
    for (const cls of CONTEXT_CLASSES) {
      for (const word of CONTEXT_WORDS[cls]) {
        words.push(word);
        this.entryBit.push(CLASS_BIT[cls]);
        this.entryDictionary.push(-1);
      }
    }
    dictionaries.forEach((dictionary, index) => {
      for (const word of dictionary.words) {
        words.push(word);
        this.entryBit.push(0);
        this.entryDictionary.push(index);
      }
    });
    this.matcher = new KeywordMatcher(words);
    for (let code = 0; code < 65536; code += 1) {
      let kind = this.matcher.firstChar[code] === 1 ? KEYWORD : 0;
      if (kind !== 0 && this.matcher.needsWordStart(code)) kind |= LATIN;
      if (digitValue(code) >= 0) kind |= DIGIT;
      if (code === 64) kind |= AT;
      if (code === 38) kind |= AMPERSAND;
      if (code === 10) kind |= NEWLINE;
      this.table[code] = kind;
    }
  }

  /**
   * Reads `text` once, handing every number candidate to `judge` on the way.
   *
   * A candidate is judged once the scan has passed the end of its line and AFTER characters past
   * its end (context.ts): by then every keyword that may speak for it, and the line break that
   * ends its table row, have been read. Judging while scanning, rather than after, lets the
   * candidates die young: kept to the end, tens of thousands of them per megabyte of order
   * tables made the garbage collector copy each one again and again.
   */
  scan(text: string, judge: CandidateSink): Scan {
    const table = this.table;
    const matcher = this.matcher;
    const length = text.length;
    const hits = keywordHits();
    const scan: Scan = {
      text,
      passports: [],
      emails: [],
      context: { starts: [], ends: [], bits: [] },
      dictionary: [],
      newlines: [],
    };
    const pending: Candidate[] = [];
    let judged = 0;
    let i = 0;
    while (i < length) {
      const code = text.charCodeAt(i);
      const kind = table[code]!;
      if (kind === 0) {
        i += 1;
        continue;
      }
      if (kind & KEYWORD) {
        // Latin words start only at a word start; checking that first skips most English letters.
        const wordStartOk = (kind & LATIN) === 0 || i === 0 || !isWordCode(text.charCodeAt(i - 1));
        if (wordStartOk && matcher.mayStartAt(text, i)) this.keep(i, matcher.startsAt(text, i, hits), hits, scan);
      }
      if (kind & DIGIT) {
        i = this.readNumber(text, i, pending, scan);
        continue;
      }
      if (kind & NEWLINE) {
        scan.newlines.push(i);
        // Candidates on earlier lines whose after-window is read: judge them and let them go.
        while (judged < pending.length && pending[judged]!.end + AFTER <= i) judge(pending[judged++]!, scan);
        if (judged === pending.length) {
          pending.length = 0;
          judged = 0;
        }
      }
      if (kind & AT) readEmail(text, i, scan.emails);
      if (kind & AMPERSAND) {
        readFolded(text, i, folded);
        if (folded.code >= 48 && folded.code <= 57) {
          i = this.readNumber(text, i, pending, scan);
          continue;
        }
      }
      i += 1;
    }
    while (judged < pending.length) judge(pending[judged++]!, scan);
    return scan;
  }

  /** Files the `count` words found at `at` as context or dictionary hits. */
  private keep(at: number, count: number, hits: KeywordHits, scan: Scan): void {
    for (let k = 0; k < count; k += 1) {
      const entry = hits.entries[k]!;
      const bit = this.entryBit[entry]!;
      if (bit === 0) {
        scan.dictionary.push({ start: at, end: hits.ends[k]!, dictionary: this.entryDictionary[entry]! });
        continue;
      }
      // Of context words starting at one place, the longest speaks (`입금액` is an amount, not `입금`).
      let longer = false;
      for (let j = k + 1; j < count && !longer; j += 1) longer = this.entryBit[hits.entries[j]!] !== 0;
      if (longer) continue;
      scan.context.starts.push(at);
      scan.context.ends.push(hits.ends[k]!);
      scan.context.bits.push(bit);
    }
  }

  /** Reads the number at `at`; returns where scanning resumes. */
  private readNumber(text: string, at: number, candidates: Candidate[], scan: Scan): number {
    if (at > 0 && PASSPORT_START[text.charCodeAt(at - 1)] === 1) readPassport(text, at - 1, scan.passports);
    const skip = shortNumberEnd(text, at);
    if (skip >= 0) return skip;
    const token = readToken(text, at);
    collectCandidates(token, candidates);
    const next = Math.max(token.next, at + 1);
    // A number wrapped across lines hides its line breaks from the main loop.
    if (token.crossesLines) for (let p = at; p < next; p += 1) if (text.charCodeAt(p) === 10) scan.newlines.push(p);
    return next;
  }
}

/**
 * Most numbers in mail are short (`2024-03-15`, `3개`, `18,470,000`): they cannot hold a value of
 * MIN_DIGITS digits, and reading them as tokens would cost more than the rest of the scan. This
 * walks plain ASCII digits and the ASCII joins (`-`, space, `.`) counting digits, and returns
 * where the number ends when it is certainly too short, or -1 when the full reader must look
 * (enough digits, or a character the reader folds: full-width, entity, line break, `)`).
 */
function shortNumberEnd(text: string, at: number): number {
  let digits = 0;
  let end = at;
  let p = at;
  while (p < text.length) {
    const code = text.charCodeAt(p);
    if (code >= 48 && code <= 57) {
      digits += 1;
      if (digits >= MIN_DIGITS) return -1;
      p += 1;
      end = p;
      continue;
    }
    if (code === 45 || code === 32 || code === 46) {
      p += 1;
      continue;
    }
    if (p > end + 3) break;
    if (mayContinueNumber(code)) return -1;
    break;
  }
  return end === at ? -1 : end;
}

function isUpperLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 0xff21 && code <= 0xff3a);
}

function asciiUpper(code: number): string {
  return String.fromCharCode(code >= 0xff21 ? code - 0xff21 + 65 : code);
}

/** Reads `count` digits at `at` as ASCII, or null. */
function digitsAt(text: string, at: number, count: number): string | null {
  let out = '';
  for (let k = 0; k < count; k += 1) {
    const value = digitValue(text.charCodeAt(at + k));
    if (value < 0) return null;
    out += String(value);
  }
  return out;
}

/** A passport shape whose letter is at `letterAt`, appended to `out`. */
function readPassport(text: string, letterAt: number, out: PassportShape[]): void {
  const letter = text.charCodeAt(letterAt);
  if (!isUpperLetter(letter) || !PASSPORT_LETTERS.includes(asciiUpper(letter))) return;
  if (!startIsClear(text, letterAt)) return;
  const head = asciiUpper(letter);
  const old = digitsAt(text, letterAt + 1, 8);
  if (old !== null && !isWordCode(text.charCodeAt(letterAt + 9))) {
    out.push({ start: letterAt, end: letterAt + 9, value: head + old });
    return;
  }
  const front = digitsAt(text, letterAt + 1, 3);
  const middle = text.charCodeAt(letterAt + 4);
  if (front === null || !isUpperLetter(middle)) return;
  const back = digitsAt(text, letterAt + 5, 4);
  if (back === null || isWordCode(text.charCodeAt(letterAt + 9))) return;
  out.push({ start: letterAt, end: letterAt + 9, value: head + front + asciiUpper(middle) + back });
}

/** An address around the `@` at `at`, appended to `out`. ASCII only, so Korean particles stay out. */
function readEmail(text: string, at: number, out: Span[]): void {
  let start = at;
  while (start > 0 && at - start < 64 && isLocalPartChar(text.charCodeAt(start - 1))) start -= 1;
  while (start < at && text.charCodeAt(start) === 46) start += 1;
  if (start === at || text.charCodeAt(at - 1) === 46) return;
  // `s****n@example.org`: an address someone already masked.
  if (start > 0 && MASK_MARKS.has(text.charCodeAt(start - 1))) return;
  let end = at + 1;
  while (end < text.length && end - at < 255 && isDomainChar(text.charCodeAt(end))) end += 1;
  while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end -= 1;
  const domain = text.slice(at + 1, end);
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => label.length === 0 || label.startsWith('-'))) return;
  const tld = labels[labels.length - 1]!;
  if (!/^[A-Za-z]{2,24}$/.test(tld) || FILE_EXTENSIONS.has(tld.toLowerCase())) return;
  out.push({ start, end });
}
