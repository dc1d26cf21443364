/**
 * Plain text files (TXT, CSV, TSV, logs) whose charset nobody declared: inner files of archives,
 * and attachments the pipeline did not read as declared text. CSV and TSV stay text: the
 * detectors read table rows and headers themselves.
 *
 * The charset is found from the bytes: a byte-order mark, UTF-16 without one by the pattern of
 * its NUL bytes (text-shape.ts), strict UTF-8 (ISO-2022-KR recognised inside it), else CP949,
 * the superset of EUC-KR (content/charset.ts). Only a guess that visibly failed, U+FFFD in the
 * output, is reported `charset-unknown`; the text is still given to the detectors, since the
 * ASCII digits of a number survive any wrong 8-bit charset.
 */
import type { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';
import { decodeText, resolveCharset } from '../charset.js';
import { utf16Order } from '../text-shape.js';
import { PieceCollector } from './pieces.js';
import type { ExtractContext, ExtractResult, Extractor, FileProblem } from './types.js';

export interface UndeclaredText {
  readonly text: string;
  /** The codec used. */
  readonly charset: string;
  /** True when nothing in the bytes said which charset they are in (no BOM, not valid UTF-8). */
  readonly guessed: boolean;
}

/**
 * Decodes bytes whose charset was not declared, or declared with `label` (an HTML meta charset)
 * when that label is known; see the header.
 */
export function decodeUndeclared(bytes: Buffer, label: string | null = null): UndeclaredText {
  const hasBom =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  const order = hasBom ? null : utf16Order(bytes);
  if (order !== null) {
    const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
    return { text: iconv.decode(even, order), charset: order, guessed: true };
  }
  // A byte-order mark outranks a declaration inside the text, as in the HTML standard.
  const used = hasBom ? null : label;
  const decoded = decodeText(bytes, used);
  // Declared means decoded as declared: a UTF-8 label on CP949 bytes was a guess after all.
  const declared = used !== null && decoded.charset === resolveCharset(used);
  // Valid UTF-8 (or ISO-2022-KR within it) and a BOM are evidence; falling back to CP949 is not.
  const guessed = !declared && decoded.charset !== 'utf-8' && decoded.charset !== 'iso-2022-kr' && !hasBom;
  return { text: decoded.text, charset: decoded.charset, guessed };
}

/** The `charset-unknown` problem for a guess that left U+FFFD in the text, else null. */
export function guessProblem(decoded: UndeclaredText): FileProblem | null {
  if (!decoded.guessed || !decoded.text.includes('\uFFFD')) return null;
  return {
    code: 'charset-unknown',
    where: '',
    detail: `charset not declared; read as ${decoded.charset} with undecodable bytes`,
  };
}

/**
 * The bytes decoded at most, for a text budget of `maxTextBytes` UTF-8 bytes: no charset needs
 * more than two input bytes per output byte (UTF-16 ASCII), so more could only be cut again.
 * The cut falls on an even offset in UTF-16 and never inside a UTF-8 sequence, so that it does not
 * by itself make valid UTF-8 or UTF-16 look like a failed guess.
 */
export function cutInput(bytes: Buffer, maxTextBytes: number): Buffer {
  const cap = maxTextBytes * 2 + 4;
  if (bytes.length <= cap) return bytes;
  if (utf16Order(bytes) !== null) return bytes.subarray(0, cap - (cap % 2));
  let end = cap;
  for (let back = 0; back < 3 && ((bytes[end] ?? 0) & 0xc0) === 0x80; back += 1) end -= 1;
  return bytes.subarray(0, end);
}

/** Decoded text of a cut input, without the one character the cut may have broken. */
export function dropCutCharacter(decoded: UndeclaredText): UndeclaredText {
  return decoded.text.endsWith('\uFFFD') ? { ...decoded, text: decoded.text.slice(0, -1) } : decoded;
}

export const textExtractor: Extractor = {
  kinds: ['text'],
  async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
    context.budget.checkTime();
    const { maxTextBytes } = context.budget.limits;
    const input = cutInput(bytes, maxTextBytes);
    const cut = input.length < bytes.length;
    const whole = decodeUndeclared(input);
    const decoded = cut ? dropCutCharacter(whole) : whole;
    const collector = new PieceCollector(maxTextBytes);
    collector.add('', decoded.text);
    const problem = guessProblem(decoded);
    if (problem !== null) collector.problem(problem);
    if (cut && !collector.full) {
      collector.problem({ code: 'truncated', where: '', detail: `only the first ${input.length} bytes were read` });
    }
    return { pieces: collector.pieces, children: [], problems: collector.problems };
  },
};
