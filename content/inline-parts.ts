/**
 * Inline text parts whose bytes are not text. mailparser reads every inline `text/plain` or
 * `text/html` part with no file name as body text, never as a file: a zip, PDF or image sent as
 * `Content-Type: text/plain` with no name would be read as a few bytes of mojibake and never
 * typed. Such parts are taken out of the body and sent through the attachment pipeline instead,
 * where they are typed by their content (and the contradiction with their label reported).
 *
 * mailparser hands a part's bytes to our decode stream (content/charset.ts) only when the part
 * names a charset; `labelCharsetlessText` gives every text part that names none the UTF-8 label
 * mailparser would assume anyway (raw-scan.ts then relabels it for our stream), so every inline
 * text part passes there and `isBodyText` can look at its bytes.
 */
import type { Buffer } from 'node:buffer';
import { looksLikeHtml, looksLikeMailHeader, looksLikeText } from './text-shape.js';

/**
 * A text/* Content-Type field with its folded continuation lines. Only lines that start a
 * header field match; base64 bodies cannot hold a colon, so attached binaries never do.
 */
const TEXT_CONTENT_TYPE = /^(content-type:[ \t]*text\/[!#$&^_.+\w-]+)([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/gim;
const CHARSET_PARAMETER = /charset\s*=/i;

/**
 * The raw message (as Latin-1) with `; charset=utf-8` added to each text/* Content-Type field
 * that names no charset; mailparser reads such a part as UTF-8 all the same. Returns the input
 * itself when there is nothing to add.
 */
export function labelCharsetlessText(latin1: string): string {
  TEXT_CONTENT_TYPE.lastIndex = 0;
  return latin1.replace(TEXT_CONTENT_TYPE, (field: string, type: string, rest: string) =>
    CHARSET_PARAMETER.test(rest) ? field : `${type}; charset=utf-8${rest}`,
  );
}

/**
 * Whether an inline text part's bytes are text (plain text in any charset we read, UTF-16, HTML
 * or a mail); empty parts are text too. Anything else goes to the attachment pipeline.
 */
export function isBodyText(bytes: Buffer): boolean {
  if (bytes.length === 0) return true;
  return looksLikeText(bytes) || looksLikeHtml(bytes) || looksLikeMailHeader(bytes);
}
