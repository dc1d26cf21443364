/**
 * Character classes the scanner reads through, so that detection sees `９００１０１－１２３…` and
 * `900101&#45;1234568` as the number they are while every offset stays an offset into the
 * original text (notes/korean-pii.md §0).
 *
 * Normalisation is done per character as the scanner reads, never by building a second copy of
 * the text: a copy would need an offset map for every character of every message, while only the
 * few characters inside a candidate number ever need folding.
 */

/** Digit value 0-9 of an ASCII or full-width digit code unit, or -1. */
export function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 0xff10 && code <= 0xff19) return code - 0xff10;
  return -1;
}

/** `-`, U+2010-U+2015 (hyphen, non-breaking hyphen, figure dash, en/em dash, bar), U+2212 minus, U+FE63, U+FF0D, U+3161. */
export function isDash(code: number): boolean {
  return (
    code === 45 ||
    (code >= 0x2010 && code <= 0x2015) ||
    code === 0x2212 ||
    code === 0xfe63 ||
    code === 0xff0d ||
    // ㅡ (the jamo EU), typed for a dash on Korean keyboards: `010ㅡ1234ㅡ5678`.
    code === 0x3161
  );
}

/**
 * One space between groups: ASCII space, no-break space, the typographic spaces U+2000-U+200A,
 * U+202F, U+205F and the ideographic space U+3000. Tab is not one: it separates cells.
 */
export function isSpace(code: number): boolean {
  return (
    code === 32 ||
    code === 0xa0 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * Characters that render as nothing: zero-width space/joiners, direction marks and embeddings,
 * word joiner, BOM, soft hyphen. Pasted from web pages, or inserted on purpose to slip a number
 * past a filter.
 */
export function isInvisible(code: number): boolean {
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    code === 0xfeff ||
    code === 0xad
  );
}

/** ASCII or full-width letter or digit: what may not touch a number. */
export function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 0xff10 && code <= 0xff19) ||
    (code >= 0xff21 && code <= 0xff3a) ||
    (code >= 0xff41 && code <= 0xff5a)
  );
}

/** Upper-case ASCII letter for an ASCII or full-width letter, else 0. */
export function upperLetter(code: number): number {
  if (code >= 65 && code <= 90) return code;
  if (code >= 97 && code <= 122) return code - 32;
  if (code >= 0xff21 && code <= 0xff3a) return code - 0xff21 + 65;
  if (code >= 0xff41 && code <= 0xff5a) return code - 0xff41 + 65;
  return 0;
}

/** Precomposed Hangul syllable (가-힣). */
export function isHangul(code: number): boolean {
  return code >= 0xac00 && code <= 0xd7a3;
}

/** Whitespace a keyword may be split by (`주민 번호`, `대 외 비`): spaces, tab, line breaks. */
export function isKeywordGap(code: number): boolean {
  return isSpace(code) || code === 9 || code === 10 || code === 13;
}

/** What one read at a position gave: the folded character and how many code units it took. */
export interface Folded {
  /** ASCII code for digits, `-` for any dash, 32 for any space; otherwise the code unit. */
  code: number;
  length: number;
}

const NAMED_ENTITIES: Readonly<Record<string, number>> = {
  nbsp: 32,
  ensp: 32,
  emsp: 32,
  thinsp: 32,
  hyphen: 45,
  dash: 45,
  ndash: 45,
  mdash: 45,
  minus: 45,
};

/** Longest entity we try to read: `&#x0000FF10;` is 12 units. */
const MAX_ENTITY = 12;

/**
 * The character at `at`, folded (see `Folded`), reading an HTML character reference (`&#45;`,
 * `&#x39;`, `&ndash;`, `&nbsp;`) as the character it names. Text from HTML parts is already
 * decoded; this is for references that reach us in plain text (pasted markup, text/plain written
 * by tools that escape everything).
 */
export function readFolded(text: string, at: number, out: Folded): void {
  const code = text.charCodeAt(at);
  out.length = 1;
  if (code === 38) {
    const entity = readEntity(text, at);
    if (entity !== null) {
      out.code = fold(entity.code);
      out.length = entity.length;
      return;
    }
  }
  out.code = fold(code);
}

function fold(code: number): number {
  if (code < 128) return code;
  if (isDash(code)) return 45;
  if (isSpace(code)) return 32;
  // Full-width ASCII (！ to ～): digits, `＋`, `（`, `）`, `．` read as their ASCII forms.
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0;
  return code;
}

function readEntity(text: string, at: number): { code: number; length: number } | null {
  // Bounded: an `&` with no `;` after it (query strings) must not search the rest of the text.
  let semi = -1;
  const limit = Math.min(text.length, at + MAX_ENTITY + 1);
  for (let p = at + 2; p < limit; p += 1) {
    if (text.charCodeAt(p) === 59) {
      semi = p;
      break;
    }
  }
  if (semi < 0) return null;
  const body = text.slice(at + 1, semi);
  let code: number | undefined;
  if (body.startsWith('#x') || body.startsWith('#X')) {
    if (/^#[xX][0-9A-Fa-f]{1,6}$/.test(body)) code = Number.parseInt(body.slice(2), 16);
  } else if (body.startsWith('#')) {
    if (/^#[0-9]{1,7}$/.test(body)) code = Number.parseInt(body.slice(1), 10);
  } else {
    code = NAMED_ENTITIES[body];
  }
  if (code === undefined || code > 0xffff) return null;
  return { code, length: semi - at + 1 };
}
