/**
 * Mail stores that are text but not one mail: an mbox (messages each after a `From ` separator
 * line) and Apple Mail's `.emlx` (a decimal byte count line, the mail, then a property list).
 * Read as one mail, an mbox's later messages would be the first one's body or epilogue, their
 * attachments never decoded; so each message is returned as an inner file `message-N.eml` (the
 * emlx's mail as `message.eml`), which the pipeline types and reads as a mail.
 *
 * Also here, for sniff.ts and the pipeline: where a mail's header block really starts, after a
 * UTF-8 byte-order mark and blank lines some tools write in front of a saved `.eml`.
 */
import { Buffer } from 'node:buffer';
import type { ExtractContext, ExtractResult, Extractor, FileProblem, InnerFile } from './types.js';

/** Head of a file searched for the start of a mail: a mark and blank lines, no more. */
const MAIL_START_WINDOW = 4096;
/** Longest separator or count line looked at. */
const FIRST_LINE_MAX = 1000;

/**
 * An mbox `From_` line: `From`, a space, the envelope sender, then a date with a time of day.
 * Writers escape body lines starting `From ` (as `>From `), so an unescaped one that carries a
 * time is a separator.
 */
const SEPARATOR = /^From \S+ +[^\r\n]*\d{1,2}:\d\d/;
const SEPARATOR_LINES = /^From \S+ +[^\r\n]*\d{1,2}:\d\d[^\r\n]*\r?\n/gm;
/** An emlx's first line: the mail's length in bytes. */
const EMLX_COUNT = /^(\d{1,12})\r?\n/;

/** Offset of the first byte after a UTF-8 byte-order mark and blank (white-space-only) lines. */
export function mailStart(bytes: Buffer): number {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const limit = Math.min(bytes.length, MAIL_START_WINDOW);
  for (let line = at; line < limit; ) {
    let i = line;
    while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0d)) i += 1;
    if (bytes[i] !== 0x0a) break;
    line = i + 1;
    at = line;
  }
  return at;
}

/** `bytes` without the byte-order mark and blank lines `mailStart` skips. */
export function stripMailLead(bytes: Buffer): Buffer {
  const start = mailStart(bytes);
  return start === 0 ? bytes : bytes.subarray(start);
}

function firstLine(bytes: Buffer): string {
  return bytes.toString('latin1', 0, Math.min(bytes.length, FIRST_LINE_MAX));
}

/**
 * True when the content is an mbox of more than one message: a `From_` line first and another
 * at the start of a later line. (One message after a `From_` line is simply a mail.)
 */
export function looksLikeMbox(bytes: Buffer): boolean {
  if (!SEPARATOR.test(firstLine(bytes))) return false;
  // Only files that open with a From_ line get here, so a search through the whole is cheap.
  for (let at = bytes.indexOf('\nFrom ', 0, 'latin1'); at >= 0; at = bytes.indexOf('\nFrom ', at + 1, 'latin1')) {
    if (SEPARATOR.test(firstLine(bytes.subarray(at + 1)))) return true;
  }
  return false;
}

/** The mail of an Apple Mail `.emlx`, or null when the content is not one. */
export function emlxMail(bytes: Buffer): Buffer | null {
  const match = EMLX_COUNT.exec(firstLine(bytes));
  if (match === null) return null;
  const count = Number(match[1]);
  const start = (match[0] as string).length;
  if (count === 0 || start + count > bytes.length) return null;
  return bytes.subarray(start, start + count);
}

export const mboxExtractor: Extractor = {
  kinds: ['mbox'],
  extract: readMailStore,
};

async function readMailStore(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  context.budget.checkTime();
  const emlx = looksLikeMbox(bytes) ? null : emlxMail(bytes);
  if (emlx !== null) return { pieces: [], children: [{ path: 'message.eml', bytes: emlx }], problems: [] };
  return splitMbox(bytes, context);
}

function splitMbox(bytes: Buffer, context: ExtractContext): ExtractResult {
  // latin1 maps bytes one to one, so offsets found in the string are offsets in the buffer.
  const text = bytes.toString('latin1');
  const starts: Array<{ line: number; body: number }> = [];
  for (const match of text.matchAll(SEPARATOR_LINES)) {
    starts.push({ line: match.index, body: match.index + match[0].length });
  }
  const children: InnerFile[] = [];
  const problems: FileProblem[] = [];
  const { maxEntries } = context.budget.limits;
  if (starts.length === 0 || (starts[0] as { line: number }).line !== 0) {
    throw new Error('mbox does not start with a From_ separator line');
  }
  for (let i = 0; i < starts.length; i += 1) {
    if (children.length >= maxEntries) {
      problems.push({ code: 'limit-exceeded', where: '', detail: `mbox holds more than ${maxEntries} messages` });
      break;
    }
    const { body } = starts[i] as { body: number };
    const end = i + 1 < starts.length ? (starts[i + 1] as { line: number }).line : text.length;
    children.push({ path: `message-${i + 1}.eml`, bytes: unescapeFromLines(text.slice(body, end)) });
  }
  return { pieces: [], children, problems };
}

/** mboxrd quoting undone: `>From ` back to `From `, `>>From ` to `>From `. */
function unescapeFromLines(message: string): Buffer {
  return Buffer.from(message.replace(/^>(>*From )/gm, '$1'), 'latin1');
}
