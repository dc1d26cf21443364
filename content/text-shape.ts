/**
 * What the first bytes of a file say about text: UTF-16 with or without a byte-order mark, text
 * at all, a mail header block, an HTML document. Used by sniff.ts on every attachment and by the
 * text and HTML extractors, so every check reads a bounded head of the file, never all of it.
 */
import { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';

/** How much of a file the text checks look at. */
export const TEXT_SAMPLE_BYTES = 64 * 1024;

export type Utf16Order = 'utf-16le' | 'utf-16be';

/**
 * Share of NUL bytes that must fall on one parity for BOM-less UTF-16: ASCII in UTF-16LE puts
 * every NUL at odd offsets; Hangul puts none at all, so mixed Korean text still leans clearly.
 */
const NUL_PARITY_SHARE = 0.95;
/** Share of decoded BOM-less UTF-16 characters that must be plausible text. */
const PLAUSIBLE_SHARE = 0.95;
/** Control characters tolerated in text, per character looked at. */
const MAX_CONTROL_SHARE = 0.01;
/** U+FFFD tolerated per character when text that is not UTF-8 is read as CP949. */
const MAX_REPLACEMENT_SHARE = 0.1;

function sample(bytes: Uint8Array, size = TEXT_SAMPLE_BYTES): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, size));
}

/** A code unit that text in Korean, English or another CJK language is made of. */
function plausibleUnit(code: number): boolean {
  return (
    code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c ||
    (code >= 0x20 && code < 0x7f) ||
    (code >= 0xa0 && code < 0x2fe0) || // Latin, Greek, Cyrillic, jamo, punctuation, symbols
    (code >= 0x3000 && code < 0xa000) || // CJK punctuation, compatibility jamo, kana, Han
    (code >= 0xac00 && code < 0xd7b0) || // Hangul syllables
    (code >= 0xf900 && code < 0xfb00) ||
    (code >= 0xfe30 && code < 0xfff0)
  );
}

function byteOrderMark(bytes: Uint8Array): Utf16Order | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-16 by its byte-order mark, or without one by where its NUL bytes fall and by what it
 * decodes to; null for anything else.
 */
export function utf16Order(bytes: Uint8Array): Utf16Order | null {
  const bom = byteOrderMark(bytes);
  if (bom !== null) return bom;
  const head = sample(bytes);
  const even = head.length - (head.length % 2);
  if (even < 4) return null;
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < even; i += 1) {
    if (head[i] === 0) {
      if (i % 2 === 0) nulEven += 1;
      else nulOdd += 1;
    }
  }
  const nuls = nulEven + nulOdd;
  if (nuls === 0) return null;
  let order: Utf16Order;
  if (nulOdd >= nuls * NUL_PARITY_SHARE) order = 'utf-16le';
  else if (nulEven >= nuls * NUL_PARITY_SHARE) order = 'utf-16be';
  else return null;
  return plausibleUtf16(head.subarray(0, even), order) ? order : null;
}

function plausibleUtf16(bytes: Buffer, order: Utf16Order): boolean {
  let plausible = 0;
  const units = bytes.length / 2;
  for (let i = 0; i < bytes.length; i += 2) {
    const code = order === 'utf-16le' ? bytes.readUInt16LE(i) : bytes.readUInt16BE(i);
    if (plausibleUnit(code)) plausible += 1;
  }
  return plausible >= units * PLAUSIBLE_SHARE;
}

/** A control character text does not hold (tab, line breaks, form feed and ISO-2022 shifts do). */
function isStrayControl(byte: number): boolean {
  if (byte === 0x7f) return true;
  if (byte >= 0x20) return false;
  return !(byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c || byte === 0x0b ||
    byte === 0x0e || byte === 0x0f || byte === 0x1b || byte === 0x1a);
}

/** Valid UTF-8, allowing a sequence cut at the end of the sample. */
function utf8Head(head: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Text by its first bytes: UTF-16 (see utf16Order), or no NUL bytes, hardly any other control
 * characters, and either valid UTF-8 or bytes CP949 mostly reads (Latin-1 and other legacy text
 * passes too: the text extractor reports the charset it could not be sure of).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0) return false;
  if (utf16Order(bytes) !== null) return true;
  const head = sample(bytes);
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (isStrayControl(byte)) controls += 1;
  }
  if (controls > head.length * MAX_CONTROL_SHARE) return false;
  if (utf8Head(head)) return true;
  const decoded = iconv.decode(head, 'cp949');
  let replaced = 0;
  for (const char of decoded) if (char === '\uFFFD') replaced += 1;
  return replaced <= decoded.length * MAX_REPLACEMENT_SHARE;
}

/** The first `size` bytes as a string: UTF-16 decoded as such, anything else byte for byte. */
export function headString(bytes: Uint8Array, size: number): string {
  const order = utf16Order(bytes);
  const head = sample(bytes, order === null ? size : size * 2);
  const text = order === null ? head.toString('latin1') : iconv.decode(head, order);
  return text.replace(/^(?:\uFEFF|\xEF\xBB\xBF)/, '');
}

const MAIL_HEAD_BYTES = 16 * 1024;
/** Good header fields after which a malformed line no longer says "not a mail". */
const TOLERANT_AFTER_FIELDS = 8;
/** RFC 5322 §2.2: printable ASCII but the colon, then a colon. */
const FIELD = /^[!-9;-~]+:/;
/** Fields one of which a mail or MIME entity has in its header. */
const MAIL_FIELDS = new Set([
  'from', 'to', 'cc', 'subject', 'date', 'received', 'return-path', 'mime-version', 'message-id',
  'content-type', 'content-transfer-encoding', 'delivered-to', 'reply-to', 'sender',
]);

/**
 * An RFC 5322 header block at the start: every line up to the first empty one (or the end of
 * the looked-at head) is a `Name: value` field or its folded continuation, with at least one
 * field a mail has. One field alone counts only when an empty line closes it (a MIME entity);
 * an mbox `From ` line before it is allowed, and so is a malformed line after many good fields.
 */
export function looksLikeMailHeader(bytes: Uint8Array): boolean {
  const head = sample(bytes, MAIL_HEAD_BYTES).toString('latin1');
  const cutByWindow = bytes.byteLength > MAIL_HEAD_BYTES;
  const lines = head.split('\n');
  let index = lines[0]?.startsWith('From ') ? 1 : 0;
  let fields = 0;
  let mailField = false;
  let closed = false;
  for (; index < lines.length; index += 1) {
    const line = (lines[index] as string).replace(/\r$/, '');
    const last = index === lines.length - 1;
    if (line === '') {
      closed = !last || cutByWindow;
      break;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (fields === 0) return false;
      continue;
    }
    const match = FIELD.exec(line);
    if (match === null) {
      // A field cut by the end of the looked-at head is still a field.
      if (last && cutByWindow && /^[!-9;-~]+$/.test(line)) break;
      // Real mail has broken lines deep in long headers (Exchange unfolds some); after that many
      // good fields the block is a mail header all the same.
      if (fields >= TOLERANT_AFTER_FIELDS && mailField) return true;
      return false;
    }
    fields += 1;
    if (MAIL_FIELDS.has(match[0].slice(0, -1).toLowerCase())) mailField = true;
    if (last && cutByWindow) closed = true;
  }
  return mailField && (fields >= 2 || closed);
}

const HTML_HEAD_CHARS = 1024;
/** Markup only HTML has, near the start of a document or fragment. */
const HTML_MARKUP =
  /<(?:!doctype\s+html|html|head|body|table|div|meta|title|style|script|p|br|span|font|a|h[1-6]|ul|ol|li|img|center|b|i|u|strong|em|pre|form|tr|td)[\s>/]/i;

/**
 * HTML by its first KiB: after a byte-order mark, white space and any XML declaration or
 * comment, it opens with a tag, and some tag in that KiB is one only HTML uses.
 */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = headString(bytes, HTML_HEAD_CHARS).trimStart();
  return head.startsWith('<') && HTML_MARKUP.test(head);
}
