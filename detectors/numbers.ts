/**
 * Number tokens and the candidate windows in them.
 *
 * The scanner hands every digit it meets to `readToken`, which reads the longest run of digit
 * groups joined by separators, folding full-width digits, dashes, spaces, invisible characters
 * and HTML character references as it goes (chars.ts). Joins are of two strengths:
 * - hard (`-` and its look-alikes, ` - `, a dash then a line break, `.`, `(02) `): groups joined
 *   this way belong together, so no candidate may start or end inside such a run. That is what
 *   keeps `20240315-1234567`, `2024-900101-1234568` and `10.0.19045.3693` from yielding values;
 * - soft (one space): `1 900101 1234568` may be a row number and an RRN, so a window may start or
 *   end at a space, unless the neighbour has the width of the group beside it, which means the
 *   same grouping continues (`1234 5678 9012 3456 7890` is a tracking number, not a card).
 *
 * Tab, `|`, `,` and `/` never join: they separate table cells and CSV fields.
 *
 * A line break directly between two digits may continue the group (once per number) when the
 * number does not start its line (a soft-wrapped sentence: `… 주민번호는 900101-12⏎34568 입니다`); numbers that
 * start their lines are a column of values and are never glued together. Because `…-1234568⏎3번`
 * (a value, then a numbered line) reads the same way, such a `wrap` join yields windows both
 * ways: ending at the break, and running across it with the two groups as one.
 *
 * Digits written one by one with spaces (`9 0 0 1 0 1 - 1 2 …`) are merged back into groups when
 * four or more single digits stand in a row somewhere in the token.
 */
import { isInvisible, isWordCode, readFolded, type Folded } from './chars.js';

export type JoinKind = 'dash' | 'space' | 'dot' | 'paren' | 'wrap';

export interface Group {
  /** Offset of the group's first character. */
  readonly start: number;
  /** Offset one past its last digit. */
  readonly end: number;
  /** ASCII digits. */
  readonly digits: string;
}

export interface NumberToken {
  readonly groups: readonly Group[];
  /** `joins[k]` joins `groups[k]` and `groups[k + 1]`. */
  readonly joins: readonly JoinKind[];
  /** Nothing that continues a longer id touches the first group (see `startIsClear`). */
  readonly startOk: boolean;
  /** Nothing that continues a longer id touches the last group. */
  readonly endOk: boolean;
  /** `+` right before the first group (an international phone number). */
  readonly plus: boolean;
  /** Offset after the token, where scanning resumes. */
  readonly next: number;
  /** The token runs across a line break (the scanner's newline list must hear of it). */
  readonly crossesLines: boolean;
}

/** A run of consecutive groups of a token that may be one value. */
export interface Candidate {
  readonly start: number;
  readonly end: number;
  /** All digits of the window, ASCII. */
  readonly digits: string;
  /** Digit count of each group. */
  readonly lengths: readonly number[];
  /** The one join used throughout (a wrap does not count), `none` for a single group, `mixed` otherwise. */
  readonly sep: Exclude<JoinKind, 'wrap'> | 'none' | 'mixed';
  /** The window is the start of a `+`-prefixed token. */
  readonly plus: boolean;
  /** The window's first join is `(0xx) `. */
  readonly paren: boolean;
}

/** Values have at least 9 digits (`02-123-4567`) and at most 19 (the longest card). */
export const MIN_DIGITS = 9;
export const MAX_DIGITS = 19;
/** No value has more groups than this (`+82 10 1234 5678` is four after the `+`). */
const MAX_GROUPS = 5;
/** Single space-separated digits merged into one group from this many in a row. */
const SPACED_DIGITS_RUN = 4;

const folded: Folded = { code: 0, length: 1 };

/**
 * Folded character at `at` (see chars.ts), or -1 past the end; `folded.length` says how many code
 * units it took. Plain ASCII other than `&` is answered without the general reader, because it
 * is almost all of what a token is made of.
 */
function codeAt(text: string, at: number): number {
  if (at >= text.length) return -1;
  const code = text.charCodeAt(at);
  if (code < 128 && code !== 38) {
    folded.length = 1;
    return code;
  }
  readFolded(text, at, folded);
  return folded.code;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Set when the token being read ran across a line break (see NumberToken.crossesLines). */
let crossedLine = false;
/** Wrap joins in the token being read. */
let wrapsInToken = 0;

/** Longest quote prefix skipped at the start of a continued line (`> > `). */
const MAX_QUOTE_PREFIX = 12;

/**
 * Offset after a line break at `at` (`\n` or `\r\n`) and the indentation or reply-quote prefix
 * (`> `, `>> `) that starts the next line, or -1. A quoted reply re-wraps and re-prefixes lines,
 * so `900101-⏎> 1234568` is still one number.
 */
function lineBreakEnd(text: string, at: number): number {
  const code = text.charCodeAt(at);
  let p: number;
  if (code === 10) p = at + 1;
  else if (code === 13 && text.charCodeAt(at + 1) === 10) p = at + 2;
  else return -1;
  crossedLine = true;
  const limit = p + MAX_QUOTE_PREFIX;
  while (p < limit) {
    const next = text.charCodeAt(p);
    if (next !== 32 && next !== 9 && next !== 62) break;
    p += 1;
  }
  return p;
}

/** A line longer than this before the number is running text, whatever came earlier. */
const LINE_LOOKBACK = 4096;

/**
 * Does the line holding `at` have something other than spaces and a reply-quote prefix before
 * `at`? Looks back at most LINE_LOOKBACK characters, so a megabyte-long line costs no more.
 */
function lineHasTextBefore(text: string, at: number): boolean {
  const limit = Math.max(0, at - LINE_LOOKBACK);
  for (let p = at - 1; p >= limit; p -= 1) {
    const code = text.charCodeAt(p);
    if (code === 10 || code === 13) return false;
    if (code !== 32 && code !== 9 && code !== 62 && !isInvisible(code)) return true;
  }
  return at > LINE_LOOKBACK;
}

/** Offset of the digit the last join read leads to (a module slot, not an object per join). */
let joinNext = 0;

function joined(kind: JoinKind, next: number): JoinKind {
  joinNext = next;
  return kind;
}

/** Offset of the digit at or after `at` past at most one space, or -1. */
function digitAfterOptionalSpace(text: string, at: number): number {
  let p = skipInvisible(text, at);
  if (codeAt(text, p) === 32) p = skipInvisible(text, p + folded.length);
  return isDigit(codeAt(text, p)) ? p : -1;
}

/** Most invisible characters skipped in a row: enough for any paste, too few to cost time. */
const MAX_INVISIBLE_RUN = 8;

/**
 * Offset past up to MAX_INVISIBLE_RUN invisible characters (or their references, `&#8203;`) at
 * `at`: `900101-\u200b1234568` is one number.
 */
function skipInvisible(text: string, at: number): number {
  let p = at;
  for (let k = 0; k < MAX_INVISIBLE_RUN; k += 1) {
    const code = codeAt(text, p);
    if (code < 0 || !isInvisible(code)) break;
    p += folded.length;
  }
  return p;
}

/**
 * Is the parenthesised group [from, to) an area code (`(02)`, `(031)`, `(010)`)? A list marker
 * `(1)` is not, and must not glue itself to the value after it.
 */
function isAreaCode(text: string, from: number, to: number): boolean {
  return to - from >= 2 && to - from <= 4 && text.charCodeAt(from) === 48;
}

/** The join starting at `at` (right after a digit), or null when the token ends there. */
function readJoin(text: string, at: number, firstGroup: boolean, opened: boolean, tokenStart: number): JoinKind | null {
  const code = codeAt(text, at);
  const width = folded.length;
  if (code === 45) {
    // `-`, then at most one space, then optionally a line break (the wrap after a hyphen).
    let p = skipInvisible(text, at + width);
    if (codeAt(text, p) === 32) p = skipInvisible(text, p + folded.length);
    const afterBreak = lineBreakEnd(text, p);
    if (afterBreak >= 0) p = skipInvisible(text, afterBreak);
    return isDigit(codeAt(text, p)) ? joined('dash', p) : null;
  }
  if (code === 32) {
    const p = skipInvisible(text, at + width);
    const after = codeAt(text, p);
    if (isDigit(after)) return joined('space', p);
    if (after !== 45) return null;
    const next = digitAfterOptionalSpace(text, p + folded.length);
    return next >= 0 ? joined('dash', next) : null;
  }
  if (code === 46) {
    return isDigit(codeAt(text, at + width)) ? joined('dot', at + width) : null;
  }
  if (code === 41 && firstGroup && opened && isAreaCode(text, tokenStart, at)) {
    const next = digitAfterOptionalSpace(text, at + width);
    return next >= 0 ? joined('paren', next) : null;
  }
  // One wrap per token: a second would mean a column of numbers, one per line, glued together.
  if (wrapsInToken > 0) return null;
  const afterBreak = lineBreakEnd(text, at);
  if (afterBreak >= 0 && isDigit(codeAt(text, afterBreak)) && lineHasTextBefore(text, tokenStart)) {
    wrapsInToken += 1;
    return joined('wrap', afterBreak);
  }
  return null;
}

/** The code unit before `at`, skipping invisible characters; 0 at the start of the text. */
function codeBefore(text: string, at: number): number {
  let p = at - 1;
  while (p >= 0 && isInvisible(text.charCodeAt(p))) p -= 1;
  return p >= 0 ? text.charCodeAt(p) : 0;
}

/**
 * Is the left edge of a token at `at` clear: no letter or digit touching it, and no dash that is
 * itself attached to a letter or digit (`ID-900101-…`)?
 */
export function startIsClear(text: string, at: number): boolean {
  const before = codeBefore(text, at);
  if (isWordCode(before)) return false;
  if (before === 45 || before === 0xff0d || (before >= 0x2010 && before <= 0x2015)) {
    return !isWordCode(codeBefore(text, at - 1));
  }
  return true;
}

function endIsClear(text: string, at: number): boolean {
  let p = at;
  while (p < text.length && isInvisible(text.charCodeAt(p))) p += 1;
  const after = codeAt(text, p);
  if (after < 0) return true;
  if (isWordCode(after)) return false;
  if (after === 45) return !isWordCode(codeAt(text, p + folded.length));
  return true;
}

/** Reads the token whose first digit is at `at`. */
export function readToken(text: string, at: number): NumberToken {
  const groups: Group[] = [];
  const joins: JoinKind[] = [];
  const before = codeBefore(text, at);
  const opened = before === 40 || before === 0xff08;
  crossedLine = false;
  wrapsInToken = 0;
  let groupStart = at;
  let digits = '';
  let groupEnd = at;
  let p = at;
  for (;;) {
    // Plain ASCII digits are the common case: take the run in one slice.
    const runStart = p;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c < 48 || c > 57) break;
      p += 1;
    }
    if (p > runStart) {
      digits += text.slice(runStart, p);
      groupEnd = p;
    }
    const code = codeAt(text, p);
    if (isDigit(code)) {
      digits += String.fromCharCode(code);
      p += folded.length;
      groupEnd = p;
      continue;
    }
    if (code >= 0 && isInvisible(code)) {
      p = skipInvisible(text, p);
      // A run longer than MAX_INVISIBLE_RUN ends the number: padding, not a paste.
      const still = codeAt(text, p);
      if (still >= 0 && isInvisible(still)) break;
      continue;
    }
    if (code < 0) break;
    const join = readJoin(text, p, groups.length === 0, opened, at);
    if (join === null) break;
    groups.push({ start: groupStart, end: groupEnd, digits });
    joins.push(join);
    groupStart = joinNext;
    digits = '';
    p = joinNext;
  }
  groups.push({ start: groupStart, end: groupEnd, digits });
  const merged = mergeSpacedDigits(groups, joins);
  return {
    groups: merged.groups,
    joins: merged.joins,
    startOk: startIsClear(text, at),
    endOk: endIsClear(text, groupEnd),
    plus: before === 43 || before === 0xff0b,
    next: groupEnd,
    crossesLines: crossedLine,
  };
}

function mergeSpacedDigits(groups: Group[], joins: JoinKind[]): { groups: Group[]; joins: JoinKind[] } {
  if (groups.length < SPACED_DIGITS_RUN) return { groups, joins };
  const runEnd = (k: number): number => {
    let run = k;
    while (run + 1 < groups.length && groups[run]!.digits.length === 1 && groups[run + 1]!.digits.length === 1 && joins[run] === 'space') {
      run += 1;
    }
    return run;
  };
  // Only a token written digit by digit somewhere (a run of SPACED_DIGITS_RUN) is merged; then
  // its shorter runs are too (`0 2 - 1 8 2 - 0 9 6 9`). `1 2 3` alone stays three numbers.
  let spaced = false;
  for (let k = 0; k < groups.length && !spaced; k = runEnd(k) + 1) spaced = runEnd(k) - k + 1 >= SPACED_DIGITS_RUN;
  if (!spaced) return { groups, joins };
  const outGroups: Group[] = [];
  const outJoins: JoinKind[] = [];
  let k = 0;
  while (k < groups.length) {
    const run = runEnd(k);
    const slice = groups.slice(k, run + 1);
    outGroups.push({ start: slice[0]!.start, end: slice[slice.length - 1]!.end, digits: slice.map((g) => g.digits).join('') });
    if (run < joins.length) outJoins.push(joins[run]!);
    k = run + 1;
  }
  return { groups: outGroups, joins: outJoins };
}

function totalDigits(token: NumberToken): number {
  let total = 0;
  for (const g of token.groups) total += g.digits.length;
  return total;
}

/**
 * Every window of the token that may be one value (see the header for the boundary rules),
 * appended to `out`.
 */
function isSoft(join: JoinKind | undefined): boolean {
  return join === 'space' || join === 'wrap';
}

function candidate(
  token: NumberToken,
  i: number,
  j: number,
  digits: string,
  lengths: readonly number[],
  sep: Candidate['sep'],
): Candidate {
  return {
    start: token.groups[i]!.start,
    end: token.groups[j]!.end,
    digits,
    lengths,
    sep,
    plus: i === 0 && token.plus,
    paren: j > i && token.joins[i] === 'paren',
  };
}

export function collectCandidates(token: NumberToken, out: Candidate[]): void {
  if (totalDigits(token) < MIN_DIGITS) return;
  const { groups, joins } = token;
  const last = groups.length - 1;
  for (let i = 0; i <= last; i += 1) {
    if (i === 0 ? !token.startOk : !isSoft(joins[i - 1])) continue;
    let digits = '';
    let sep: Candidate['sep'] = 'none';
    // A wrap is read two ways: as no break at all (`merged`), or as the window's separator.
    const merged: number[] = [];
    let wrapped = false;
    for (let j = i; j <= last && merged.length <= MAX_GROUPS; j += 1) {
      const group = groups[j]!;
      digits += group.digits;
      const join = j > i ? joins[j - 1]! : undefined;
      if (join === 'wrap') {
        merged[merged.length - 1]! += group.digits.length;
        wrapped = true;
      } else {
        merged.push(group.digits.length);
        if (join !== undefined) sep = sep === 'none' ? join : sep === join ? sep : 'mixed';
      }
      if (digits.length > MAX_DIGITS) break;
      if (j === last ? !token.endOk : !isSoft(joins[j])) continue;
      if (digits.length < MIN_DIGITS || merged.length > MAX_GROUPS) continue;
      if (!continuesGrouping(token, i, j, sep)) out.push(candidate(token, i, j, digits, merged.slice(), sep));
      if (!wrapped || j - i + 1 > MAX_GROUPS) continue;
      const splitSep = sep === 'none' ? 'space' : sep;
      const split: number[] = [];
      for (let k = i; k <= j; k += 1) split.push(groups[k]!.digits.length);
      if (!continuesGrouping(token, i, j, splitSep)) out.push(candidate(token, i, j, digits, split, splitSep));
    }
  }
}

/** A space-grouped window whose space-joined neighbour has the same width continues its grouping. */
function continuesGrouping(token: NumberToken, i: number, j: number, sep: Candidate['sep']): boolean {
  if (sep !== 'space') return false;
  const { groups, joins } = token;
  const before = joins[i - 1] === 'space' ? groups[i - 1] : undefined;
  const after = joins[j] === 'space' ? groups[j + 1] : undefined;
  if (before !== undefined && before.digits.length === groups[i]!.digits.length) return true;
  return after !== undefined && after.digits.length === groups[j]!.digits.length;
}
