/**
 * Inline text parts whose bytes are not text. mailparser reads every inline `text/plain` or
 * `text/html` part with no file name as body text, never as a file: a zip, PDF or image sent as
 * `Content-Type: text/plain` with no name would be read as a few bytes of mojibake and never
 * typed. Such parts are taken out of the body and sent through the attachment pipeline instead,
 * where they are typed by their content (and the contradiction with their label reported).
 *
 * mailparser hands a part's bytes to our decode stream (content/charset.ts) only when the part
 * names a charset it does not decode itself nor refuses; `labelCharsetlessText` gives every text
 * part that names none (no Content-Type at all, an empty `charset`, a refused label such as
 * `base64`) the UTF-8 label mailparser would assume anyway (raw-scan.ts then relabels it for our
 * stream), so every inline text part passes there and `isBodyText` can look at its bytes. The
 * parts are found by walking the MIME tree's header blocks (folded fields unfolded), not by a
 * pattern over the whole message: a part with no Content-Type has no line to match.
 */
import type { Buffer } from 'node:buffer';
import { looksLikeHtml, looksLikeMailHeader, looksLikeText } from './text-shape.js';

/** A charset parameter with a value (quoted or a token), as mailsplit reads it. */
const CHARSET_PARAMETER = /(^|;)\s*charset\s*=\s*("[^"]+"|[^;\s"]+)/i;
/** Any charset parameter, even an empty one, to drop before the label is added. */
const ANY_CHARSET_PARAMETER = /(^|;)\s*charset\s*=\s*("[^"]*"|[^;\s]*)/gi;
/** Labels mailparser refuses or that name a transfer encoding, not a charset: read as missing. */
const NON_CHARSET_LABELS = new Set(['base64', 'hex', 'binary', '7bit', '8bit', 'quotedprintable']);
const BOUNDARY_PARAMETER = /(?:^|;)\s*boundary\s*=\s*("[^"]*"|[^;\s]+)/i;
/** Marks a Content-Type field we added, which is no header of the sender's to scan. */
const ADDED_MARKER = 'x-outguard-added=1';

/** Whether a raw header line is a Content-Type field `labelCharsetlessText` added. */
export function isAddedContentType(line: string): boolean {
  return /^content-type:/i.test(line) && line.includes(ADDED_MARKER);
}

/** Deepest multipart nesting followed; mailparser's own limits are far below. */
const MAX_DEPTH = 64;

interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

interface HeaderField {
  readonly start: number;
  readonly end: number;
  /** The field value with its folding undone. */
  readonly value: string;
}

/** The first field of that name in the header block [start, end), unfolded. */
function findField(text: string, start: number, end: number, name: string): HeaderField | null {
  const prefix = `${name}:`;
  let at = start;
  while (at < end) {
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
    else lineEnd += 1;
    // The field runs on over continuation lines (starting with white space).
    let fieldEnd = lineEnd;
    while (fieldEnd < end && (text[fieldEnd] === ' ' || text[fieldEnd] === '\t')) {
      const next = text.indexOf('\n', fieldEnd);
      fieldEnd = next < 0 || next >= end ? end : next + 1;
    }
    if (text.slice(at, at + prefix.length).toLowerCase() === prefix) {
      const value = text.slice(at + prefix.length, fieldEnd).replace(/\r?\n(?=[ \t])/g, '').trim();
      return { start: at, end: fieldEnd, value };
    }
    at = fieldEnd;
  }
  return null;
}

/** Where the header block of the entity at `start` ends (the blank line's start), and the body. */
function splitEntity(text: string, start: number, end: number): { headerEnd: number; bodyStart: number } {
  // A part that opens with a blank line has no header fields at all.
  const opening = /\r?\n/y;
  opening.lastIndex = start;
  if (opening.test(text) && opening.lastIndex <= end) return { headerEnd: start, bodyStart: opening.lastIndex };
  // Searched within the entity only, so that siblings with no blank line cost no rescans.
  const match = /\r?\n\r?\n/.exec(text.slice(start, end));
  if (match === null) return { headerEnd: end, bodyStart: end };
  const at = start + match.index;
  const lineBreak = text[at] === '\r' ? 2 : 1;
  return { headerEnd: at + lineBreak, bodyStart: at + match[0].length };
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
}

/** Whether a Content-Type value names a charset our decode stream will be given. */
function namesUsableCharset(value: string): boolean {
  const match = CHARSET_PARAMETER.exec(value);
  if (match === null) return false;
  const label = unquote(match[2] ?? '').trim();
  return label !== '' && !NON_CHARSET_LABELS.has(label.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** The part regions of a multipart body [start, end) with that boundary. */
function multipartParts(text: string, start: number, end: number, boundary: string): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  const delimiter = `--${boundary}`;
  let partStart = -1;
  let at = start;
  while (at < end) {
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
    if (text.startsWith(delimiter, at)) {
      let rest = text.slice(at + delimiter.length, lineEnd).replace(/\r$/, '');
      const closing = rest.startsWith('--');
      if (closing) rest = rest.slice(2);
      if (/^[ \t]*$/.test(rest)) {
        if (partStart >= 0) parts.push([partStart, Math.max(partStart, at)]);
        if (closing) return parts;
        partStart = Math.min(end, lineEnd + 1);
      }
    }
    at = lineEnd + 1;
  }
  if (partStart >= 0) parts.push([partStart, end]);
  return parts;
}

/** Collects the label edits for the entity [start, end) and, when multipart, for its parts. */
function labelEntity(text: string, start: number, end: number, defaultType: string, depth: number, edits: Edit[]): void {
  if (depth > MAX_DEPTH) return;
  const { headerEnd, bodyStart } = splitEntity(text, start, end);
  const field = findField(text, start, headerEnd, 'content-type');
  let type: string;
  if (field === null) {
    const disposition = findField(text, start, headerEnd, 'content-disposition');
    // mailsplit reads an attachment with no type as application/octet-stream.
    if (disposition !== null && /^attachment\b/i.test(disposition.value)) return;
    type = defaultType;
  } else {
    type = (field.value.split(';')[0] ?? '').trim().toLowerCase();
  }
  if (type.startsWith('multipart/') && field !== null) {
    const boundary = BOUNDARY_PARAMETER.exec(field.value);
    if (boundary === null) return;
    const childType = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    for (const [partStart, partEnd] of multipartParts(text, bodyStart, end, unquote(boundary[1] ?? ''))) {
      labelEntity(text, partStart, partEnd, childType, depth + 1, edits);
    }
    return;
  }
  if (!type.startsWith('text/')) return;
  if (field === null) {
    // Nothing to label in a part with no body; a message that is all header lines stays as is.
    if (bodyStart >= end) return;
    // Added as the last field, so that no continuation line of the sender's can fold into it.
    const lineBreak = headerEnd >= start + 2 && text[headerEnd - 2] === '\r' ? '\r\n' : '\n';
    const open = headerEnd > start && text[headerEnd - 1] !== '\n' ? lineBreak : '';
    edits.push({ at: headerEnd, remove: 0, insert: `${open}Content-Type: ${type}; charset=utf-8; ${ADDED_MARKER}${lineBreak}` });
    return;
  }
  if (namesUsableCharset(field.value)) return;
  const kept = field.value.replace(ANY_CHARSET_PARAMETER, '$1').replace(/;\s*(?=;|$)/g, '');
  const lineBreak = text.slice(field.start, field.end).endsWith('\r\n') ? '\r\n' : field.end > field.start && text[field.end - 1] === '\n' ? '\n' : '';
  edits.push({ at: field.start, remove: field.end - field.start, insert: `Content-Type: ${kept}; charset=utf-8${lineBreak}` });
}

/**
 * The raw message (as Latin-1) with every text part that names no usable charset labelled
 * `charset=utf-8`: a Content-Type field added where the part has none, the label added (or an
 * empty or refused one replaced) where it has one. mailparser reads such a part as UTF-8 all the
 * same. Returns the input itself when there is nothing to change.
 */
export function labelCharsetlessText(latin1: string): string {
  const edits: Edit[] = [];
  labelEntity(latin1, 0, latin1.length, 'text/plain', 0, edits);
  if (edits.length === 0) return latin1;
  // Edits never overlap (one per entity, each inside its own header block): join the pieces once.
  const pieces: string[] = [];
  let at = 0;
  for (const edit of edits.sort((a, b) => a.at - b.at)) {
    pieces.push(latin1.slice(at, edit.at), edit.insert);
    at = edit.at + edit.remove;
  }
  pieces.push(latin1.slice(at));
  return pieces.join('');
}

/**
 * Whether an inline text part's bytes are text (plain text in any charset we read, UTF-16, HTML
 * or a mail); empty parts are text too. Anything else goes to the attachment pipeline.
 */
export function isBodyText(bytes: Buffer): boolean {
  if (bytes.length === 0) return true;
  return looksLikeText(bytes) || looksLikeHtml(bytes) || looksLikeMailHeader(bytes);
}
