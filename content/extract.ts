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
 * Attachments go to the attachment pipeline (content/attachments.ts): typed by content, read
 * by the extractor for their kind, archives and attached mails followed recursively.
 *
 * Limits (content/limits.ts): the text of all segments together is cut at `maxTextBytes` (UTF-8
 * bytes), reported `truncated`; nesting deeper than `maxDepth`, and the byte, entry, ratio and
 * time limits of the message's one budget, are reported `limit-exceeded`.
 *
 * Header fields are text the sender chose too (`X-Note: 주민번호 …`, or a text file whose first
 * lines look like a header, which is typed `eml`): every field but the Subject (its own segment)
 * and those that only carry routing and transport data goes to a `headers` segment, one
 * `Name: value` line each, RFC 2047 words decoded and raw 8-bit values read as UTF-8 or CP949.
 * Address fields keep only their display names and Content-Type loses its boundary: the mail's
 * own addresses would otherwise be an e-mail finding in every message.
 *
 * Every inline text part passes our decode stream (text parts that name no charset are labelled
 * UTF-8 first, content/inline-parts.ts): one whose bytes are a container, document or image is
 * taken out of the body and read as the file it is (`attachment:inline-part-N`). Encrypted
 * content in the body (inline PGP, multipart/encrypted) is reported `encrypted`; encrypted and
 * signature attachments are judged by content/mail-crypto.ts in the pipeline.
 *
 * Known gap: a multipart preamble/epilogue is not inspected.
 */
import { Buffer } from 'node:buffer';
import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import type { Attachment, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';
import type { ExtractedMessage, Location } from './types.js';
import { addFile, type ExtractorLookup, type Pipeline } from './attachments.js';
import { createDecodeStreamClass, decodeText, RELABEL_PREFIX, repairIso2022Kr } from './charset.js';
import type { PartDecodeReport } from './charset.js';
import { extractorFor } from './formats/index.js';
import { isAddedContentType, isBodyText, labelCharsetlessText } from './inline-parts.js';
import { hasPgpArmor } from './mail-crypto.js';
import type { Budget, ExtractLimits } from './formats/types.js';
import { createBudget, resolveLimits } from './limits.js';
import { relabelCharsets, unknownTransferEncodings } from './raw-scan.js';
import { DEFAULT_MAX_TEXT_BYTES, ExtractionSink } from './sink.js';
import { sniff } from './sniff.js';
import { addDeclaredText, addHtml, controlsToSpaces, MAX_HTML_CHARS, quoted } from './text-part.js';

export { DEFAULT_MAX_TEXT_BYTES, MAX_HTML_CHARS };

export interface ExtractOptions {
  /** Overrides of the per-message limits (content/limits.ts DEFAULT_LIMITS). */
  limits?: Partial<ExtractLimits>;
  /** Shorthand for `limits.maxTextBytes`. */
  maxTextBytes?: number;
  /** Shorthand for `limits.maxDepth`. */
  maxDepth?: number;
  /** Extractor lookup; default the one registry (content/formats/index.ts). Tests replace it. */
  extractors?: ExtractorLookup;
}

/**
 * A header field name is 1+ printable ASCII characters other than colon (RFC 5322 §2.2). Random
 * bytes parse as a "header block" of nonsense lines; none of them has such a name.
 */
const FIELD_NAME = /^[!-9;-~]+$/;

/**
 * Header fields not scanned: routing, signatures, identifiers and transport framing the sending
 * software writes (their hashes and ids only make false hits), Outguard's own verdict fields, and
 * the Subject, which has its own segment.
 */
const UNSCANNED_FIELDS: ReadonlySet<string> = new Set([
  'received',
  'dkim-signature',
  'authentication-results',
  'message-id',
  'references',
  'in-reply-to',
  'content-transfer-encoding',
  'mime-version',
  'return-path',
  'date',
  'subject',
]);
const UNSCANNED_PREFIXES = ['arc-', 'x-outguard-'];

/**
 * Fields whose addresses are the mail's routing: only their display names are scanned, or every
 * mail would carry e-mail findings from its own From and To.
 */
const ADDRESS_FIELDS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'delivered-to',
  'x-original-to',
  'resent-from',
  'resent-to',
  'resent-cc',
  'resent-bcc',
  'resent-sender',
  'disposition-notification-to',
  'return-receipt-to',
  'errors-to',
]);
/** A multipart boundary: machine-made, often long runs of digits. */
const BOUNDARY = /boundary\s*=\s*(?:"[^"]*"|[^;\s]*)/gi;
/** Addresses in angle brackets; bare `local@domain` words are dropped by withoutAddresses. */
const ANGLE_ADDRESS = /<[^<>]*>/g;
/** A word of an address field (every pattern here runs in linear time on any header). */
const WORD = /[^\s,;]+/g;

interface Frame {
  readonly pipeline: Pipeline;
  /** `''` for the message itself, `attachment:NAME/` inside a forwarded one. */
  readonly prefix: string;
  /** Depth of this message's attachments: 0 for the mail itself. */
  readonly depth: number;
}

async function parse(
  raw: Buffer,
  onPart: (report: PartDecodeReport) => void,
  divert: (bytes: Buffer, label: string) => boolean,
): Promise<ParsedMail> {
  return simpleParser(raw, {
    Iconv: createDecodeStreamClass(onPart, divert),
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
    checksumAlgo: false,
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hasHeaderFields(parsed: ParsedMail): boolean {
  return parsed.headerLines.some((line) => FIELD_NAME.test(line.key) && !isAddedContentType(line.line));
}

/** An address field's value with only its display names left. */
function withoutAddresses(value: string): string {
  return value
    .replace(ANGLE_ADDRESS, '')
    .replace(WORD, (word) => (word.includes('@') ? '' : word))
    .trim();
}

function scannedField(key: string): boolean {
  return !UNSCANNED_FIELDS.has(key) && !UNSCANNED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * A header value as text: unfolded, raw 8-bit bytes (mailparser keeps them as Latin-1) read as
 * UTF-8 or else CP949, then RFC 2047 words decoded.
 */
function headerValue(raw: string): string {
  const unfolded = raw.replace(/\r?\n(?=[ \t])/g, '').trim();
  const text = /[^\x00-\x7f]/.test(unfolded)
    ? decodeText(Buffer.from(unfolded, 'latin1'), null).text
    : unfolded;
  try {
    return libmime.decodeWords(text);
  } catch {
    return text;
  }
}

/** The header fields worth scanning, `Name: value` one per line (see UNSCANNED_FIELDS). */
function headerText(parsed: ParsedMail): string {
  const lines: string[] = [];
  for (const { key, line } of parsed.headerLines) {
    // A Content-Type field added to label a charsetless body (inline-parts.ts) is ours.
    if (!scannedField(key) || isAddedContentType(line)) continue;
    const colon = line.indexOf(':');
    // A line with no colon is not a field, but it is still text the message carries.
    if (colon < 0) {
      lines.push(headerValue(line));
      continue;
    }
    let value = headerValue(line.slice(colon + 1));
    if (ADDRESS_FIELDS.has(key)) value = withoutAddresses(value);
    // The charset relabelling of raw-scan.ts is ours, not the sender's.
    else if (key === 'content-type') value = value.replace(BOUNDARY, '').replaceAll(RELABEL_PREFIX, '').trim();
    if (value !== '') lines.push(`${line.slice(0, colon).trim()}: ${value}`);
  }
  return repairIso2022Kr(lines.join('\n'));
}

/** Where the text of a body part ended up, to place a charset problem. */
function bodyLocation(frame: Frame, parsed: ParsedMail, report: PartDecodeReport): Location {
  const probe = report.decoded.text.trim().slice(0, 200);
  const inHtml = typeof parsed.html === 'string' && probe !== '' && parsed.html.includes(probe);
  return `${frame.prefix}${inHtml ? 'body:html' : 'body'}`;
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

function declaredSmimeType(attachment: Attachment): string | null {
  const header = attachment.headers.get('content-type');
  return isStructured(header) ? (header.params['smime-type'] ?? null) : null;
}

/** Hands one MIME attachment to the attachment pipeline (content/attachments.ts). */
async function addAttachment(frame: Frame, attachment: Attachment, index: number): Promise<void> {
  const filename = attachment.filename ?? null;
  const label = filename ?? `part-${attachment.partId ?? index + 1}`;
  await addFile(frame.pipeline, {
    location: `${frame.prefix}attachment:${label}`,
    filename,
    label,
    name: filename,
    declaredType: declaredType(attachment),
    charset: declaredCharset(attachment),
    smimeType: declaredSmimeType(attachment),
    bytes: attachment.content,
    size: attachment.size ?? attachment.content.length,
    depth: frame.depth,
  });
}

/**
 * An inline text part whose bytes are not text shaped. Bytes of no known kind (text broken up by
 * NUL bytes, say) stay body text, read as the part declares. A container, document or image goes
 * to the attachment pipeline, named `inline-part-N`: it is read like any attachment, and its
 * contradicted text/* label is reported as a type mismatch.
 */
async function addInlinePart(frame: Frame, bytes: Buffer, label: string, index: number): Promise<void> {
  const { sink } = frame.pipeline;
  const charset = label === '' ? null : label;
  let kind: string;
  try {
    kind = (await sniff(bytes)).kind;
  } catch {
    kind = 'binary';
  }
  if (kind === 'binary' || kind === 'empty') {
    addDeclaredText(sink, `${frame.prefix}body`, bytes, charset, false);
    return;
  }
  const name = `inline-part-${index + 1}`;
  await addFile(frame.pipeline, {
    location: `${frame.prefix}attachment:${name}`,
    filename: null,
    label: name,
    name: null,
    declaredType: 'text/*',
    charset,
    bytes,
    depth: frame.depth,
  });
}

/**
 * Extracts one message (the outer one or an attached one) into the frame's sink. Returns the
 * parsed message, or null when it could not be parsed at all.
 */
async function extractInto(frame: Frame, raw: Buffer): Promise<ParsedMail | null> {
  const { prefix } = frame;
  const { sink } = frame.pipeline;
  const whole = prefix === '' ? 'message' : prefix.slice(0, -1);
  const latin1 = raw.toString('latin1');
  const reports: PartDecodeReport[] = [];
  // Inline text parts whose bytes are not text: read as files after the attachments.
  const diverted: Array<{ bytes: Buffer; label: string }> = [];
  const divert = (bytes: Buffer, label: string): boolean => {
    if (isBodyText(bytes)) return false;
    diverted.push({ bytes, label });
    return true;
  };
  const labelled = labelCharsetlessText(latin1);
  const input = labelled === latin1 ? raw : Buffer.from(labelled, 'latin1');
  let parsed: ParsedMail;
  try {
    parsed = await parse(relabelCharsets(input, labelled), (report) => reports.push(report), divert);
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
  sink.addText(`${prefix}headers`, headerText(parsed));
  // Controls as spaces, as for attachments: NUL-separated digits must still read as a number.
  sink.addText(`${prefix}body`, controlsToSpaces(parsed.text ?? ''));
  if (typeof parsed.html === 'string') {
    addHtml(sink, `${prefix}body:html`, controlsToSpaces(parsed.html));
  }
  reportEncryptedBody(frame, parsed, whole);
  for (const report of reports) {
    if (report.decoded.unknownLabel === null) continue;
    const detail = `unknown charset ${quoted(report.label)}, read as ${report.decoded.charset}`;
    sink.problem('charset-unknown', bodyLocation(frame, parsed, report), detail);
  }
  for (const [index, attachment] of parsed.attachments.entries()) {
    await addAttachment(frame, attachment, index);
  }
  for (const [index, part] of diverted.entries()) {
    await addInlinePart(frame, part.bytes, part.label, index);
  }
  return parsed;
}

/**
 * Encrypted mail content outside the attachments: an ASCII-armoured PGP message in the body
 * text (inline PGP), and a message that is itself multipart/encrypted (PGP/MIME; its parts come
 * to the pipeline too, and the control part is reported there as well).
 */
function reportEncryptedBody(frame: Frame, parsed: ParsedMail, whole: Location): void {
  const { sink } = frame.pipeline;
  const type = parsed.headers.get('content-type');
  if (isStructured(type) && type.value.toLowerCase() === 'multipart/encrypted') {
    sink.problem('encrypted', whole, 'multipart/encrypted message');
  }
  if (hasPgpArmor(parsed.text ?? '')) sink.problem('encrypted', `${frame.prefix}body`, 'PGP-encrypted text');
  if (typeof parsed.html === 'string' && hasPgpArmor(parsed.html)) {
    sink.problem('encrypted', `${frame.prefix}body:html`, 'PGP-encrypted text');
  }
}

/** The limits `options` ask for: the defaults, then `limits`, then the shorthands. */
function limitsFrom(options: ExtractOptions): ExtractLimits {
  return resolveLimits({
    ...options.limits,
    ...(options.maxTextBytes !== undefined ? { maxTextBytes: options.maxTextBytes } : {}),
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
  });
}

/**
 * Extracts the text of a raw message (RFC 5322 bytes, as Postfix hands them over) for the
 * detectors. One budget (content/limits.ts) covers the whole message, attached mails and
 * archives at every depth included. Resolves for any input; rejects only on a programming error.
 */
export async function extractMessage(
  raw: Buffer,
  options: ExtractOptions = {},
): Promise<ExtractedMessage> {
  const limits = limitsFrom(options);
  const budget: Budget = createBudget(limits);
  const sink = new ExtractionSink(limits.maxTextBytes);
  const pipeline: Pipeline = {
    sink,
    budget,
    extractorFor: options.extractors ?? extractorFor,
    readMessage: async (bytes, prefix, depth) => {
      await extractInto({ pipeline, prefix, depth }, bytes);
    },
    innerFilesListed: 0,
  };
  const parsed = await extractInto({ pipeline, prefix: '', depth: 0 }, raw);
  return {
    messageId: parsed?.messageId ?? null,
    subject: repairIso2022Kr(parsed?.subject ?? ''),
    from: parsed?.from?.text ?? null,
    ...sink.result(),
  };
}
