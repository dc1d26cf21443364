/**
 * Raw message in, located text out: `extractMessage` turns a mail into the segments the
 * detectors scan (`subject`, `body`, `body:html`, `attachment:NAME`, and for a forwarded message
 * `attachment:NAME/…` recursively), the list of attachments, and every reason some part was not
 * read (content/types.ts).
 *
 * mailparser's `simpleParser` does the MIME work (structure, transfer encodings, RFC 2047/2231
 * names). Charsets go through our own decode stream (content/charset.ts) so Korean labels,
 * ISO-2022-KR and unknown labels are handled alike. This module never throws on bad input: a
 * message mailparser rejects becomes an `unparseable` problem.
 *
 * Limits: the text of all segments together is cut at `maxTextBytes` (UTF-8 bytes) and forwarded
 * messages are followed `maxDepth` levels deep; what lies beyond is reported as `truncated`.
 *
 * Known gaps: header fields other than Subject, a multipart preamble/epilogue, and 8-bit body
 * parts that declare no charset (mailparser reads them as UTF-8, so Hangul is lost; ASCII digits
 * survive) are not inspected.
 */
import { Buffer } from 'node:buffer';
import { simpleParser } from 'mailparser';
import type { Attachment, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';
import type { AttachmentInfo, ExtractedMessage, Location } from './types.js';
import { createDecodeStreamClass, decodeText, repairIso2022Kr } from './charset.js';
import type { PartDecodeReport } from './charset.js';
import { htmlToText } from './html.js';
import { relabelCharsets, unknownTransferEncodings } from './raw-scan.js';
import { ExtractionSink } from './sink.js';

/**
 * Default cap on extracted text: 16 MiB. Postfix's default message_size_limit is 10 MB, so a
 * message within it never reaches the cap, while a crafted one cannot make us hold more.
 */
export const DEFAULT_MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** Default depth of message/rfc822 nesting followed; a forward of a forward of a forward is 3. */
export const DEFAULT_MAX_DEPTH = 5;

/**
 * HTML input cap, in characters. html-to-text ran at about 3 MB/s here, so 32 Mi characters
 * cost about 10 s, well inside Postfix's 300 s milter_content_timeout.
 */
export const MAX_HTML_CHARS = 32 * 1024 * 1024;

export interface ExtractOptions {
  /** Cap on the UTF-8 size of all extracted text together. Default `DEFAULT_MAX_TEXT_BYTES`. */
  maxTextBytes?: number;
  /** How many levels of attached messages are followed. Default `DEFAULT_MAX_DEPTH`. */
  maxDepth?: number;
}

/** Content types whose bytes are text, besides `text/*`. */
const TEXT_LIKE_TYPES = new Set([
  'application/csv', 'application/x-csv', 'application/json', 'application/xml',
]);

/** File name endings read as text whatever type the part declares (often octet-stream). */
const TEXT_LIKE_NAME = /\.(?:txt|csv|tsv|log|json|xml|md)$/i;

const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);

/**
 * A header field name is 1+ printable ASCII characters other than colon (RFC 5322 §2.2). Random
 * bytes parse as a "header block" of nonsense lines; none of them has such a name.
 */
const FIELD_NAME = /^[!-9;-~]+$/;

interface Frame {
  readonly sink: ExtractionSink;
  readonly maxDepth: number;
  /** `''` for the message itself, `attachment:NAME/` inside a forwarded one. */
  readonly prefix: string;
  readonly depth: number;
}

async function parse(
  raw: Buffer,
  onPart: (report: PartDecodeReport) => void,
): Promise<ParsedMail> {
  return simpleParser(raw, {
    Iconv: createDecodeStreamClass(onPart),
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
    checksumAlgo: false,
  });
}

/** Longest piece of sender-controlled text (a charset label) quoted in a problem detail. */
const MAX_QUOTED = 40;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function quoted(value: string): string {
  return JSON.stringify(value.slice(0, MAX_QUOTED));
}

function hasHeaderFields(parsed: ParsedMail): boolean {
  return parsed.headerLines.some((line) => FIELD_NAME.test(line.key));
}

/** Where the text of a body part ended up, to place a charset problem. */
function bodyLocation(frame: Frame, parsed: ParsedMail, report: PartDecodeReport): Location {
  const probe = report.decoded.text.trim().slice(0, 200);
  const inHtml = typeof parsed.html === 'string' && probe !== '' && parsed.html.includes(probe);
  return `${frame.prefix}${inHtml ? 'body:html' : 'body'}`;
}

function addHtml(frame: Frame, location: Location, html: string, cutBefore = false): void {
  const cut = cutBefore || html.length > MAX_HTML_CHARS;
  frame.sink.addText(location, htmlToText(html.slice(0, MAX_HTML_CHARS)), cut);
}

function isStructured(header: HeaderValue | undefined): header is StructuredHeader {
  const candidate = header as Partial<StructuredHeader> | undefined;
  return typeof candidate?.value === 'string' && typeof candidate.params === 'object';
}

/** The Content-Type the part declares, lower case without parameters. */
function declaredType(attachment: Attachment): string {
  const header = attachment.headers.get('content-type');
  const value = isStructured(header) ? header.value : '';
  return (value || attachment.contentType || 'application/octet-stream').toLowerCase();
}

function declaredCharset(attachment: Attachment): string | null {
  const header = attachment.headers.get('content-type');
  return isStructured(header) ? (header.params.charset ?? null) : null;
}

function isTextLike(type: string, filename: string | null): boolean {
  return (
    type.startsWith('text/') || TEXT_LIKE_TYPES.has(type) || TEXT_LIKE_NAME.test(filename ?? '')
  );
}

/** Reads one text-like attachment into a segment. */
function addTextAttachment(frame: Frame, location: Location, attachment: Attachment): void {
  const { sink } = frame;
  // The budget is in UTF-8 bytes of output; no charset needs more than 2 input bytes per output
  // byte (UTF-16 ASCII), so more input than that could only be cut again after decoding.
  const inputCap = sink.remaining * 2 + 4;
  const bytes = attachment.content.subarray(0, inputCap);
  const cut = bytes.length < attachment.content.length;
  const decoded = decodeText(bytes, declaredCharset(attachment));
  if (decoded.unknownLabel !== null) {
    const detail = `unknown charset ${quoted(decoded.unknownLabel)}, read as ${decoded.charset}`;
    sink.problem('charset-unknown', location, detail);
  }
  const type = declaredType(attachment);
  const isHtml = type === 'text/html' || /\.html?$/i.test(attachment.filename ?? '');
  if (isHtml) addHtml(frame, location, decoded.text, cut);
  else sink.addText(location, decoded.text, cut);
}

/** Follows an attached message; returns whether it could be read at all. */
async function addMessageAttachment(
  frame: Frame,
  location: Location,
  attachment: Attachment,
): Promise<boolean> {
  if (frame.depth + 1 > frame.maxDepth) {
    const detail = `attached message nested deeper than ${frame.maxDepth} levels`;
    frame.sink.problem('truncated', location, detail);
    return false;
  }
  const inner: Frame = { ...frame, prefix: `${location}/`, depth: frame.depth + 1 };
  return (await extractInto(inner, attachment.content)) !== null;
}

async function addAttachment(frame: Frame, attachment: Attachment, index: number): Promise<void> {
  const filename = attachment.filename ?? null;
  const name = filename ?? `part-${attachment.partId ?? index + 1}`;
  const location = `${frame.prefix}attachment:${name}`;
  const type = declaredType(attachment);
  const slot = frame.sink.reserveAttachment();
  let inspected = false;
  if (MESSAGE_TYPES.has(type) || MESSAGE_TYPES.has(attachment.contentType)) {
    inspected = await addMessageAttachment(frame, location, attachment);
  } else if (isTextLike(attachment.contentType, filename) || isTextLike(type, filename)) {
    addTextAttachment(frame, location, attachment);
    inspected = true;
  } else {
    frame.sink.problem('unsupported-format', location, `no text extractor for ${type}`);
  }
  const size = attachment.size ?? attachment.content.length;
  const info: AttachmentInfo = { filename, contentType: type, size, inspected };
  frame.sink.setAttachment(slot, info);
}

/**
 * Extracts one message (the outer one or an attached one) into the frame's sink. Returns the
 * parsed message, or null when it could not be parsed at all.
 */
async function extractInto(frame: Frame, raw: Buffer): Promise<ParsedMail | null> {
  const { sink, prefix } = frame;
  const whole = prefix === '' ? 'message' : prefix.slice(0, -1);
  const latin1 = raw.toString('latin1');
  const reports: PartDecodeReport[] = [];
  let parsed: ParsedMail;
  try {
    parsed = await parse(relabelCharsets(raw, latin1), (report) => reports.push(report));
  } catch (error) {
    sink.problem('unparseable', whole, errorText(error));
    return null;
  }
  if (raw.length > 0 && parsed.headerLines.length > 0 && !hasHeaderFields(parsed)) {
    sink.problem('unparseable', whole, 'no header fields: the input is not a mail message');
  }
  for (const encoding of unknownTransferEncodings(latin1)) {
    // A forwarded message's parts are also seen in the outer raw message: report each once.
    const detail = `unknown transfer encoding ${quoted(encoding)}: a part was read undecoded`;
    sink.problemOnce('unreadable', whole, detail);
  }

  sink.addText(`${prefix}subject`, repairIso2022Kr(parsed.subject ?? ''));
  sink.addText(`${prefix}body`, repairIso2022Kr(parsed.text ?? ''));
  if (typeof parsed.html === 'string') {
    addHtml(frame, `${prefix}body:html`, repairIso2022Kr(parsed.html));
  }
  for (const report of reports) {
    if (report.decoded.unknownLabel === null) continue;
    const detail = `unknown charset ${quoted(report.label)}, read as ${report.decoded.charset}`;
    sink.problem('charset-unknown', bodyLocation(frame, parsed, report), detail);
  }
  for (const [index, attachment] of parsed.attachments.entries()) {
    await addAttachment(frame, attachment, index);
  }
  return parsed;
}

/**
 * Extracts the text of a raw message (RFC 5322 bytes, as Postfix hands them over) for the
 * detectors. Resolves for any input; rejects only on a programming error.
 */
export async function extractMessage(
  raw: Buffer,
  options: ExtractOptions = {},
): Promise<ExtractedMessage> {
  const sink = new ExtractionSink(options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const frame: Frame = { sink, maxDepth, prefix: '', depth: 0 };
  const parsed = await extractInto(frame, raw);
  return {
    messageId: parsed?.messageId ?? null,
    subject: repairIso2022Kr(parsed?.subject ?? ''),
    from: parsed?.from?.text ?? null,
    ...sink.result(),
  };
}
