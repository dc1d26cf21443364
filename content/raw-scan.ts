/**
 * Cheap scans of the raw message for what mailparser does not tell us per part.
 *
 * Both work on header lines found anywhere in the message (every MIME part has its own header
 * block). A body line that merely looks like such a header can cause a spurious rename or
 * problem report; that only errs on the side of looking closer. Base64 bodies cannot contain
 * these lines (no `:` or `=` inside the alphabet's lines), so attached binaries do not.
 */
import { Buffer } from 'node:buffer';
import { RELABEL_PREFIX } from './charset.js';

/** Transfer encodings mailparser decodes, plus the identity ones. */
const KNOWN_TRANSFER_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);

/** The labels mailparser decodes itself (UTF-8, ASCII) or refuses to decode (UTF-7). */
const SELF_DECODED_LABEL =
  /(charset\s*=\s*"?)((?:unicode-1-1-|x-|cs)?utf-?7|utf-?8|us-ascii|ascii)(?![\w-])/gi;

const TRANSFER_ENCODING_FIELD = /^content-transfer-encoding:[ \t]*"?([^\s";]+)/gim;

/**
 * mailparser hands a text part to our decode stream (content/charset.ts) only when it would not
 * decode the part itself. Two kinds of part need us anyway:
 * - UTF-8 and ASCII labels: Korean mail often labels CP949 bytes so, and mailparser would turn
 *   every Hangul syllable into U+FFFD; our stream checks the bytes and falls back to CP949;
 * - UTF-7: mailparser refuses it (a guard for HTML renderers against `+ADw-script+AD4-`) and
 *   leaves the encoded form as text. We scan text and never render it, and UTF-7 can hide
 *   digits from the detectors.
 * So their `charset=` parameters get the `x-outguard-` prefix, which `resolveCharset` removes
 * again. Returns `raw` itself when there is nothing to rename.
 */
export function relabelCharsets(raw: Buffer, latin1: string): Buffer {
  SELF_DECODED_LABEL.lastIndex = 0;
  if (!SELF_DECODED_LABEL.test(latin1)) return raw;
  return Buffer.from(latin1.replace(SELF_DECODED_LABEL, `$1${RELABEL_PREFIX}$2`), 'latin1');
}

/**
 * Transfer encodings declared in the message that mailparser cannot undo (`x-gzip64`,
 * `x-uuencode`): it passes such a part through as is, so its content was never seen decoded.
 */
export function unknownTransferEncodings(latin1: string): string[] {
  const found = new Set<string>();
  for (const match of latin1.matchAll(TRANSFER_ENCODING_FIELD)) {
    const encoding = (match[1] ?? '').toLowerCase();
    if (!KNOWN_TRANSFER_ENCODINGS.has(encoding)) found.add(encoding);
  }
  return [...found];
}
