/**
 * The detectors' candidate regexes (the shape a number must have before any JavaScript check
 * runs), written out for V8 and for ripgrep, so the benchmark can put our scan rate beside a
 * C-speed scanner's on the same bytes.
 *
 * They mirror the private RRN and card regexes in detectors/rrn.ts and detectors/credit-card.ts
 * (issue 2), built from the shared pieces in detectors/patterns.ts. XXX: if those detectors
 * change shape, change the mirror here too; run.ts warns when the JS mirror finds fewer
 * candidates than the detectors report findings, which is the sign that it went stale.
 *
 * Dialects:
 * - `js`: exactly the detectors' patterns (lookarounds, back-reference).
 * - `pcre2`: the same patterns for `rg -P`; only the `\uXXXX` escapes are rewritten.
 * - `unicode`: ripgrep's default engine, which has neither lookaround nor back-references: the
 *   boundaries become a consuming "start of line or non-word character" on each side, the
 *   dotted-run (`1.2.3`) exclusion is dropped, and a grouped card's separators may differ. Each
 *   change only widens what matches, so rg does at least the detectors' work.
 * - `bytes`: the `unicode` shapes under `(?-u)`, with every non-ASCII character written as its
 *   UTF-8 bytes. A byte class cannot exclude a 3-byte full-width letter, so that boundary is
 *   dropped too (wider again).
 *
 * Line breaks: the RRN may be split after its dash across a line (`-\r?\n`). ripgrep matches
 * within a line unless run with -U, so the rg dialects leave that alternative out.
 */
import { DASH, DIGIT, END_BOUNDARY, START_BOUNDARY, WORD_CHAR } from '../detectors/patterns.js';

export type Dialect = 'js' | 'pcre2' | 'unicode' | 'bytes';

interface Atoms {
  digit: string;
  /** First digit of the month (0/1) and of the day (0-3), as detectors/rrn.ts checks them. */
  monthTens: string;
  dayTens: string;
  /** First digit of a card: 2-6 or 9 (detectors/credit-card.ts). */
  cardFirst: string;
  dash: string;
  /** Placed right after the first digit (js/pcre2) or before it (rg engines). */
  startBoundary: string;
  endBoundary: string;
  /** Line-break form of the RRN separator, or '' where the engine works per line. */
  wrappedSeparator: string;
  /** Back-references available (js, pcre2). */
  backrefs: boolean;
}

/** JS pieces not exported by detectors/ (they are private constants there). */
const MONTH_TENS = '[01\\uFF10\\uFF11]';
const DAY_TENS = '[0-3\\uFF10-\\uFF13]';
const CARD_FIRST = '[2-69\\uFF12-\\uFF16\\uFF19]';

const JS_ATOMS: Atoms = {
  digit: DIGIT,
  monthTens: MONTH_TENS,
  dayTens: DAY_TENS,
  cardFirst: CARD_FIRST,
  dash: DASH,
  startBoundary: START_BOUNDARY,
  endBoundary: END_BOUNDARY,
  wrappedSeparator: `${DASH}\\r?\\n|`,
  backrefs: true,
};

/** `\uXXXX` → `\x{XXXX}`, the escape Rust's regex and PCRE2 understand. */
function braceEscapes(source: string): string {
  return source.replace(/\\u([0-9A-Fa-f]{4})/g, '\\x{$1}');
}

function rustAtoms(): Atoms {
  // Rust's regex has no lookarounds or back-references: consuming boundaries instead.
  const notWord = `[^${braceEscapes(WORD_CHAR).slice(1)}`;
  return {
    ...pcre2Atoms(),
    startBoundary: `(?:^|${notWord})`,
    endBoundary: `(?:$|${notWord})`,
    backrefs: false,
  };
}

/** Full-width digits U+FF10-FF19 are EF BC 90-99 in UTF-8. */
const BYTE_ATOMS: Atoms = {
  digit: '(?:[0-9]|\\xEF\\xBC[\\x90-\\x99])',
  monthTens: '(?:[01]|\\xEF\\xBC[\\x90\\x91])',
  dayTens: '(?:[0-3]|\\xEF\\xBC[\\x90-\\x93])',
  cardFirst: '(?:[2-69]|\\xEF\\xBC[\\x92-\\x96\\x99])',
  // - , U+2010-2015 (E2 80 90-95), U+2212 (E2 88 92), U+FF0D (EF BC 8D)
  dash: '(?:-|\\xE2\\x80[\\x90-\\x95]|\\xE2\\x88\\x92|\\xEF\\xBC\\x8D)',
  startBoundary: '(?:^|[^0-9A-Za-z])',
  endBoundary: '(?:$|[^0-9A-Za-z])',
  wrappedSeparator: '',
  backrefs: false,
};

/** The js atoms with `\x{…}` escapes and no line-break separator, for `rg -P`. */
function pcre2Atoms(): Atoms {
  return {
    digit: braceEscapes(DIGIT),
    monthTens: braceEscapes(MONTH_TENS),
    dayTens: braceEscapes(DAY_TENS),
    cardFirst: braceEscapes(CARD_FIRST),
    dash: braceEscapes(DASH),
    startBoundary: braceEscapes(START_BOUNDARY),
    endBoundary: braceEscapes(END_BOUNDARY),
    wrappedSeparator: '',
    backrefs: true,
  };
}

function atomsFor(dialect: Dialect): Atoms {
  switch (dialect) {
    case 'js':
      return JS_ATOMS;
    case 'pcre2':
      return pcre2Atoms();
    case 'unicode':
      return rustAtoms();
    case 'bytes':
      return BYTE_ATOMS;
  }
}

/** Lookaround boundaries sit after the first digit; consuming ones must come before it. */
function withBoundaries(a: Atoms, first: string, rest: string): string {
  return a.backrefs
    ? `${first}${a.startBoundary}${rest}${a.endBoundary}`
    : `${a.startBoundary}${first}${rest}${a.endBoundary}`;
}

export function rrnCandidate(dialect: Dialect): string {
  const a = atomsFor(dialect);
  const d = a.digit;
  const separator = `(?:${a.wrappedSeparator} ${a.dash} |${a.dash}| |)`;
  return withBoundaries(a, d, `${d}${a.monthTens}${d}${a.dayTens}${d}${separator}${d}{7}`);
}

export function cardCandidate(dialect: Dialect): string {
  const a = atomsFor(dialect);
  const d = a.digit;
  const sep = `(?: |${a.dash})`;
  const grouped = a.backrefs
    ? `${d}{3}(${sep})${d}{4}\\1${d}{4}\\1${d}{4}|${d}{3}(${sep})${d}{6}\\2${d}{4,5}`
    : `${d}{3}${sep}${d}{4}${sep}${d}{4}${sep}${d}{4}|${d}{3}${sep}${d}{6}${sep}${d}{4,5}`;
  return withBoundaries(a, a.cardFirst, `(?:${grouped}|${d}{12,18})`);
}

/** Both candidate patterns for one dialect; `(?-u)` is prefixed for `bytes`. */
export function candidatePatterns(dialect: Dialect): string[] {
  const prefix = dialect === 'bytes' ? '(?-u)' : '';
  return [rrnCandidate(dialect), cardCandidate(dialect)].map((p) => prefix + p);
}

/** The `js` patterns as global regexes, for counting candidates in V8. */
export function jsCandidateRegexes(): RegExp[] {
  return candidatePatterns('js').map((source) => new RegExp(source, 'g'));
}
