/**
 * Turning the bytes of a text part into a string, for the charsets Korean mail actually uses.
 *
 * - EUC-KR and its labels (`ks_c_5601-1987` from Outlook, `korean`, `cp949`…) are all read as
 *   CP949: it is a superset of EUC-KR, and Korean Windows writes CP949-only syllables (똠, 뷁)
 *   under the EUC-KR label.
 * - ISO-2022-KR, a 7-bit stateful encoding of old Korean mail, is known to neither mailparser nor
 *   iconv-lite; `decodeIso2022Kr` handles it (notes/libraries.md §1).
 * - Other labels go to libmime (iconv-lite plus its aliases and the Japanese charsets).
 * - Text whose charset is not declared is sniffed: a BOM, else strict UTF-8, else CP949.
 * - A label nobody knows is read the same way, and the caller is told so it can report it.
 *
 * Also here: the decode stream handed to mailparser as its `Iconv` option, which is how the body
 * parts mailparser decodes get the same treatment (and how we learn their declared charsets).
 * Together with the relabelling in content/raw-scan.ts, every body part that declares a charset
 * goes through it.
 */
import { Buffer } from 'node:buffer';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import * as libmimeCharset from 'libmime/lib/charset.js';

/** Label of text whose charset was sniffed and found to be neither UTF-8/16 nor anything else. */
export const FALLBACK_CHARSET = 'cp949';

const ISO_2022_KR = 'iso-2022-kr';
const UTF7 = 'utf-7';
const UTF8 = 'utf-8';
const BYTE_ORDER_MARK = 0xfeff;

/** Labels, with punctuation and case dropped, that mean EUC-KR or its CP949 superset. */
const KOREAN_LABELS = new Set([
  'euckr', 'cseuckr', 'ksc56011987', 'ksc56011989', 'ksc5601', 'korean', 'isoir149',
  'cp949', 'windows949', 'xwindows949', 'ms949', 'uhc', 'xuhc',
]);

/** Labels read as UTF-8 (with the CP949 fallback of `decodeText`). */
const UTF8_LABELS = new Set(['utf8', 'usascii', 'ascii', 'ansix341968', '7bit']);

/** Prefix that makes mailparser pass a label on to our decode stream (content/raw-scan.ts). */
export const RELABEL_PREFIX = 'x-outguard-';

const UTF7_LABELS = new Set(['utf7', 'unicode11utf7', 'csunicode11utf7', 'xutf7']);

/** A label without the prefix `relabelCharsets` may have added. */
export function originalLabel(label: string): string {
  const trimmed = label.trim();
  const prefixed = trimmed.toLowerCase().startsWith(RELABEL_PREFIX);
  return prefixed ? trimmed.slice(RELABEL_PREFIX.length) : trimmed;
}

function squash(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The codec to decode a declared label with: `cp949`, `iso-2022-kr`, `utf-7`, `utf-8`, or the
 * canonical name under which libmime decodes it (iconv-lite's charsets and libmime's aliases,
 * plus the Japanese ones through encoding-japanese). Null when the label is unknown, or names
 * something that is not a text charset (`base64`, `hex`: the text would come out encoded).
 */
export function resolveCharset(label: string): string | null {
  const key = squash(originalLabel(label));
  if (key === '') return null;
  if (KOREAN_LABELS.has(key)) return FALLBACK_CHARSET;
  if (key === 'iso2022kr' || key === 'csiso2022kr') return ISO_2022_KR;
  if (UTF7_LABELS.has(key)) return UTF7;
  if (UTF8_LABELS.has(key)) return UTF8;
  // libmime refuses UTF-7 (handled above), base64 and hex, and knows no other name we do not.
  const name = originalLabel(label);
  return libmimeCharset.createDecodeStream(name).supported
    ? libmimeCharset.normalizeCharset(name)
    : null;
}

/** `bytes` as UTF-8 (a leading BOM dropped), or null when they are not valid UTF-8. */
function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The charset a byte-order mark announces, or null. */
function charsetFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return UTF8;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** The charset of undeclared text: BOM first, then strict UTF-8, else CP949. */
export function sniffCharset(bytes: Uint8Array): string {
  return charsetFromBom(bytes) ?? (strictUtf8(bytes) === null ? FALLBACK_CHARSET : UTF8);
}

const ESC = 0x1b;
const SO = 0x0e;
const SI = 0x0f;
/** `ESC $ ) C`: the designator that announces KS X 1001 for the SO/SI shifts. */
const ISO_2022_KR_DESIGNATOR = [ESC, 0x24, 0x29, 0x43] as const;

function isDesignatorAt(bytes: Uint8Array, i: number): boolean {
  return ISO_2022_KR_DESIGNATOR.every((b, k) => bytes[i + k] === b);
}

/**
 * ISO-2022-KR (RFC 1557) to text: drop the designator, set the high bit of every byte between SO
 * and SI (which turns KS X 1001 into EUC-KR), reset the shift at each line end as the RFC
 * requires, then read the result as EUC-KR.
 */
export function decodeIso2022Kr(bytes: Uint8Array): string {
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  let shifted = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i] as number;
    if (b === ESC && isDesignatorAt(bytes, i)) {
      i += ISO_2022_KR_DESIGNATOR.length - 1;
    } else if (b === SO) {
      shifted = true;
    } else if (b === SI) {
      shifted = false;
    } else {
      if (b === 0x0a || b === 0x0d) shifted = false;
      out[length] = shifted && b > 0x20 && b < 0x7f ? b | 0x80 : b;
      length += 1;
    }
  }
  return iconv.decode(out.subarray(0, length), FALLBACK_CHARSET);
}

/** Does a string that went through a UTF-8/ASCII decoder still carry ISO-2022-KR shifts? */
export function looksIso2022Kr(text: string): boolean {
  return text.includes('\x1b$)C');
}

/**
 * Repairs ISO-2022-KR that reached us as a string (an encoded-word in a header, or a body part
 * mislabelled as ASCII): ISO-2022-KR is 7-bit, so the string still holds every original byte.
 */
export function repairIso2022Kr(text: string): string {
  return looksIso2022Kr(text) ? decodeIso2022Kr(Buffer.from(text, 'latin1')) : text;
}

export interface DecodedText {
  readonly text: string;
  /** The codec actually used. */
  readonly charset: string;
  /** The declared label when nobody knows it (the text was sniffed instead); else null. */
  readonly unknownLabel: string | null;
}

function decodeAs(bytes: Uint8Array, codec: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (codec) {
    case ISO_2022_KR:
      return decodeIso2022Kr(buffer);
    case UTF7:
      return iconv.decode(buffer, 'utf7');
    case UTF8:
      return buffer.toString('utf8');
    case FALLBACK_CHARSET:
    case 'utf-16le':
    case 'utf-16be':
      return iconv.decode(buffer, codec);
    default:
      return libmimeCharset.decode(buffer, codec);
  }
}

/**
 * Decodes `bytes` by their declared charset, or sniffs when none is declared or the label is
 * unknown. Text declared UTF-8 or ASCII that is not valid UTF-8 is read as CP949: in Korean mail
 * that mislabel is common, and reading it as UTF-8 would turn every Hangul word into U+FFFD.
 * ISO-2022-KR under any 7-bit label is recognised by its designator.
 */
export function decodeText(bytes: Uint8Array, declared: string | null | undefined): DecodedText {
  const label = originalLabel(declared ?? '');
  const known = label === '' ? null : resolveCharset(label);
  const unknownLabel = label !== '' && known === null ? label : null;
  let charset = known ?? charsetFromBom(bytes) ?? UTF8;
  let text: string;
  if (charset === UTF8) {
    // One strict pass both validates and decodes; invalid means CP949 (see above).
    const utf8 = strictUtf8(bytes);
    if (utf8 !== null && looksIso2022Kr(utf8)) charset = ISO_2022_KR;
    else if (utf8 === null) charset = FALLBACK_CHARSET;
    text = charset === UTF8 && utf8 !== null ? utf8 : decodeAs(bytes, charset);
  } else {
    text = decodeAs(bytes, charset);
  }
  if (text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
  return { text, charset, unknownLabel };
}

/** What the decode stream tells its owner about each part it decoded. */
export interface PartDecodeReport {
  readonly label: string;
  readonly decoded: DecodedText;
}

/** The constructor shape mailparser's `Iconv` option expects. */
export type DecodeStreamClass = new (fromCharset: string, toCharset: string) => Transform;

/**
 * A decode-stream class for mailparser's `Iconv` option. mailparser creates one per body part
 * whose charset it does not decode itself (with the relabelling of content/raw-scan.ts: every
 * part that declares a charset) and pipes the part's bytes through it; each stream collects
 * the part, decodes it with `decodeText` and reports to `onPart`. The output is UTF-8, as
 * mailparser expects from iconv. A part `divert` claims (returns true for) outputs nothing.
 */
export function createDecodeStreamClass(
  onPart: (report: PartDecodeReport) => void,
  divert?: (bytes: Buffer, label: string) => boolean,
): DecodeStreamClass {
  return class PartDecodeStream extends Transform {
    readonly #label: string;
    readonly #chunks: Buffer[] = [];

    constructor(fromCharset: string, _toCharset: string) {
      super();
      this.#label = fromCharset;
    }

    override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      this.#chunks.push(chunk);
      done();
    }

    override _flush(done: TransformCallback): void {
      try {
        const bytes = Buffer.concat(this.#chunks);
        // A part the owner takes elsewhere (bytes that are not text) adds nothing to the body.
        if (divert?.(bytes, originalLabel(this.#label)) === true) {
          done();
          return;
        }
        const decoded = decodeText(bytes, this.#label);
        onPart({ label: originalLabel(this.#label), decoded });
        this.push(Buffer.from(decoded.text, 'utf8'));
        done();
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
}
