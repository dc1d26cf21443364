/**
 * Text that arrives as a MIME part with a declared charset: the message body, its HTML
 * alternative, and text attachments (CSV, TXT, HTML). Kept apart from the file extractors
 * because only here is there a Content-Type charset to honour; a text file inside a zip has
 * none, and the text extractor sniffs it instead. A part that declares none, or one its bytes
 * contradict, is sniffed the same way.
 */
import type { Buffer } from 'node:buffer';
import { decodeText, repairIso2022Kr, resolveCharset } from './charset.js';
import { cutInput, decodeUndeclared, dropCutCharacter, guessProblem } from './formats/text.js';
import { htmlToText } from './html.js';
import type { ExtractionSink } from './sink.js';
import { utf16Order } from './text-shape.js';
import type { Location } from './types.js';

/**
 * HTML input cap, in characters; past it the rest is `truncated` (and the message held).
 * html-to-text runs synchronously at about 1.5-3 MB/s and cannot be interrupted by the time
 * budget: a 32 Mi-character table took 22 s and 3.4 GB in a worker. 8 Mi characters (a few
 * seconds) is far beyond any HTML mail body, and beyond most HTML files people attach.
 */
export const MAX_HTML_CHARS = 8 * 1024 * 1024;

/** C0 controls but tab, line feed and carriage return, and DEL. */
const STRAY_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Text with its stray control characters as spaces, as the text extractor does
 * (formats/pieces.ts): `9\0 0\0 1…` must reach the detectors as digits, not as a run the number
 * patterns never match. ISO-2022-KR still in the text (a part mislabelled ASCII) is decoded first,
 * since its shifts are control characters.
 */
export function controlsToSpaces(text: string): string {
  // Only a string of bytes can be ISO-2022-KR; decoding one with Hangul in it would garble it.
  const bytes = !/[^\u0000-\u00ff]/.test(text);
  return (bytes ? repairIso2022Kr(text) : text).replace(STRAY_CONTROLS, ' ');
}

/** Longest piece of sender-controlled text (a charset label) quoted in a problem detail. */
const MAX_QUOTED = 40;

export function quoted(value: string): string {
  return JSON.stringify(value.slice(0, MAX_QUOTED));
}

/** HTML as text into the sink; HTML past MAX_HTML_CHARS is cut and reported `truncated`. */
export function addHtml(sink: ExtractionSink, location: Location, html: string, cutBefore = false): void {
  const cut = cutBefore || html.length > MAX_HTML_CHARS;
  sink.addText(location, htmlToText(html.slice(0, MAX_HTML_CHARS)), cut);
}

/**
 * A text-like MIME part decoded with its declared charset. Undeclared text, an unknown label, and
 * bytes shaped like UTF-16 under a label that says otherwise (Excel's "Unicode text" sent as
 * `text/csv; charset=utf-8`) go to the one decoder of undeclared text (formats/text.ts), which
 * finds UTF-16 without a byte-order mark; read as UTF-8 or CP949, its ASCII digits would hide
 * behind NUL bytes. Control characters other than tab and line breaks become spaces.
 */
export function addDeclaredText(
  sink: ExtractionSink,
  location: Location,
  content: Buffer,
  charset: string | null,
  isHtml: boolean,
): void {
  const bytes = cutInput(content, sink.remaining);
  const cut = bytes.length < content.length;
  const declared = charset === null ? null : resolveCharset(charset);
  const order = utf16Order(bytes);
  let text: string;
  if (declared === null || (order !== null && declared.toLowerCase() !== order)) {
    const whole = decodeUndeclared(bytes);
    const decoded = cut ? dropCutCharacter(whole) : whole;
    const guess = guessProblem(decoded);
    if (charset !== null && declared === null) {
      const detail = `unknown charset ${quoted(charset)}, read as ${decoded.charset}`;
      sink.problem('charset-unknown', location, detail);
    } else if (guess !== null) {
      sink.problem(guess.code, location, guess.detail);
    }
    text = decoded.text;
  } else {
    text = decodeText(bytes, charset).text;
  }
  const clean = controlsToSpaces(text);
  if (isHtml) addHtml(sink, location, clean, cut);
  else sink.addText(location, clean, cut);
}
