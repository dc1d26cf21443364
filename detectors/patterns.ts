/**
 * Regular-expression pieces the detectors share, so that every detector draws the same line
 * around a number (see notes/korean-pii.md §0).
 *
 * - Digits are ASCII or full-width (０-９): Korean IMEs and Excel exports produce the latter.
 * - A number must not touch an ASCII or full-width letter or digit on either side; Hangul may
 *   touch it, because Korean writes particles straight after a number (`900101-1234567이고`).
 *   JavaScript's `\b` cannot express this (it sees a boundary between `1` and `１`).
 * - A number that continues a dotted run (`10.0.19045.3693`) is a version, never a value.
 *
 * The boundary is written as a lookbehind placed after the first digit, so each pattern starts
 * with a plain character class that V8 can scan for quickly (measured about 1.5× faster on 40 MB
 * of Korean text than a pattern that opens with the lookbehind).
 */

/** One ASCII or full-width digit. */
export const DIGIT = '[0-9\\uFF10-\\uFF19]';

/** A character that may not touch a number: ASCII/full-width letters and digits. */
export const WORD_CHAR = '[0-9A-Za-z\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A]';

/** Hyphen-like separators: `-`, U+2010-U+2015 (en/em dash…), U+2212 minus, U+FF0D full-width. */
export const DASH = '[\\-\\u2010-\\u2015\\u2212\\uFF0D]';

/**
 * Lookbehind for the first digit of a match (the digit itself is the `.`): no word character and
 * no `digit.` right before it.
 */
export const START_BOUNDARY = `(?<!${WORD_CHAR}.)(?<!${DIGIT}\\..)`;

/** Lookahead after the last digit: no word character, no `.digit` continuing a dotted run. */
export const END_BOUNDARY = `(?!${WORD_CHAR})(?!\\.${DIGIT})`;

/**
 * Does `pattern` occur in the `window` characters before `start`? Used for keyword context; the
 * slice is small, so the cost does not depend on the size of the text.
 */
export function hasKeywordBefore(
  text: string,
  start: number,
  pattern: RegExp,
  window: number,
): boolean {
  return pattern.test(text.slice(Math.max(0, start - window), start));
}
