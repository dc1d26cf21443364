/**
 * Ways the same number reaches a mail body: full-width digits from a Korean IME, digit-by-digit
 * spacing, a zero-width space pasted from a web page, HTML entities from a groupware editor, and
 * soft line wraps. Each rewrite keeps the digits (the self-check proves it) and changes only how
 * they are written, so the expected span still runs from the value's first to last character.
 */
import type { Piece } from './builder.js';
import type { Rng } from './rng.js';

function withText<T extends Piece>(piece: T, text: string): T {
  return { ...piece, text };
}

/** ０-９, －, and with `letters` Ａ-Ｚ as well (a passport typed in full-width mode). */
export function fullwidth<T extends Piece>(piece: T, letters = false): T {
  const text = [...piece.text]
    .map((ch) => {
      if (/[0-9]/.test(ch)) return String.fromCharCode(0xff10 + Number(ch));
      if (ch === '-') return '\uff0d';
      if (letters && /[A-Z]/.test(ch)) return String.fromCharCode(0xff21 + ch.charCodeAt(0) - 65);
      return ch;
    })
    .join('');
  return withText(piece, text);
}

/** `9 0 0 1 0 1 - 1 2 3 4 5 6 8`: one space between every character. */
export function spaced<T extends Piece>(piece: T): T {
  return withText(piece, [...piece.text.replace(/ /g, '')].join(' '));
}

/** Offsets `i` such that text[i-1] and text[i] are both digits. */
function digitJoints(text: string): number[] {
  const joints: number[] = [];
  for (let i = 1; i < text.length; i++) {
    if (/[0-9\uff10-\uff19]/.test(text.charAt(i - 1)) && /[0-9\uff10-\uff19]/.test(text.charAt(i))) {
      joints.push(i);
    }
  }
  return joints;
}

/** One U+200B between two digits, somewhere inside. */
export function zeroWidth<T extends Piece>(piece: T, rng: Rng): T {
  const at = rng.pick(digitJoints(piece.text));
  return withText(piece, piece.text.slice(0, at) + '\u200b' + piece.text.slice(at));
}

/** Hyphens as `&#45;` (or `&#x2d;`), spaces as `&nbsp;`, as a rich-text editor saves them. */
export function htmlEscaped<T extends Piece>(piece: T, hyphen: '&#45;' | '&#x2d;' = '&#45;'): T {
  return withText(piece, piece.text.replace(/-/g, hyphen).replace(/ /g, '&nbsp;'));
}

/**
 * A soft wrap inside a digit group (`900101-12` / `34568`): the break falls at least two digits
 * from either end of the group, where a mail client's line filling would put it.
 */
export function wrappedInGroup<T extends Piece>(piece: T, rng: Rng, lineBreak = '\n'): T {
  const text = piece.text;
  const joints = digitJoints(text).filter(
    (i) => digitJoints(text).includes(i - 1) && digitJoints(text).includes(i + 1),
  );
  const at = rng.pick(joints);
  return withText(piece, text.slice(0, at) + lineBreak + text.slice(at));
}

/** A wrap right after a separator: `900101-` / `1234568`. */
export function wrappedAfterSeparator<T extends Piece>(piece: T, rng: Rng, lineBreak = '\n'): T {
  const seps: number[] = [];
  for (let i = 1; i < piece.text.length; i++) if (piece.text.charAt(i - 1) === '-') seps.push(i);
  const at = rng.pick(seps);
  return withText(piece, piece.text.slice(0, at) + lineBreak + piece.text.slice(at));
}
