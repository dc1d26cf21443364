/**
 * Builds raw test mails byte by byte, the way Korean mail clients write them: EUC-KR, CP949
 * (`ks_c_5601-1987`, Outlook's label), ISO-2022-KR, UTF-8, UTF-16; base64, quoted-printable or
 * 8bit; RFC 2047 subjects; RFC 2231 or RFC 2047 file names; multipart trees with attachments
 * and forwarded messages. Everything is hand-assembled (iconv-lite for the charsets) so a test
 * controls every label and byte, including wrong ones, which a real composer would not write.
 *
 * Usage:
 *
 *   const raw = buildMail({
 *     subject: '급여 명세',
 *     subjectCharset: 'euc-kr',
 *     body: multipart('mixed', [
 *       textPart('주민번호 900101-1234568', { charset: 'ks_c_5601-1987' }),
 *       attachmentPart('명단.csv', encodeText('이름,주민번호\n', 'cp949'), {
 *         contentType: 'text/csv',
 *       }),
 *     ]),
 *   });
 *
 * or, for the common shapes, `buildMail({ subject, text, html, attachments, charset })`.
 * Lines end in CRLF, as Postfix hands a message to a milter.
 */
import { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';

export type TransferEncoding = '7bit' | '8bit' | 'base64' | 'quoted-printable';

/** A MIME entity: its header fields (in order) and its already-encoded body. */
export interface MimePart {
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Buffer;
}

const CRLF = '\r\n';
const BASE64_LINE = 76;
const QP_LINE = 76;
const ESC = 0x1b;
const SO = 0x0e;
const SI = 0x0f;

let boundaryCounter = 0;

// ---------------------------------------------------------------------------------------------
// Charsets

/**
 * RFC 1557 ISO-2022-KR: the `ESC $ ) C` designator once at the start, SO before a run of
 * KS X 1001 characters (sent with the high bit cleared), SI before ASCII and before each line
 * end. Throws on a character outside KS X 1001 (the CP949 extension syllables such as 똠).
 */
export function encodeIso2022Kr(text: string): Buffer {
  const out: number[] = [ESC, 0x24, 0x29, 0x43];
  let shifted = false;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) {
      if (shifted) out.push(SI);
      shifted = false;
      out.push(code);
      continue;
    }
    const bytes = iconv.encode(ch, 'euc-kr');
    const [lead, trail] = [bytes[0] ?? 0, bytes[1] ?? 0];
    if (bytes.length !== 2 || lead < 0xa1 || trail < 0xa1) {
      throw new Error(`${ch} is not in KS X 1001 and cannot be written in ISO-2022-KR`);
    }
    if (!shifted) out.push(SO);
    shifted = true;
    out.push(lead & 0x7f, trail & 0x7f);
  }
  if (shifted) out.push(SI);
  return Buffer.from(out);
}

/**
 * `text` in `charset`: any iconv-lite charset (with its aliases: `euc-kr`, `cp949`,
 * `ks_c_5601-1987`, `utf-16le`…) or `iso-2022-kr`. `utf-16le/be` with `bom: true` get a BOM.
 */
export function encodeText(text: string, charset: string, options: { bom?: boolean } = {}): Buffer {
  if (charset.toLowerCase() === 'iso-2022-kr') return encodeIso2022Kr(text);
  return iconv.encode(text, charset, { addBOM: options.bom ?? false });
}

/** One RFC 2047 encoded word. */
function encodedWord(text: string, charset: string, mode: 'B' | 'Q'): string {
  const bytes = encodeText(text, charset);
  if (mode === 'B') return `=?${charset}?B?${bytes.toString('base64')}?=`;
  let q = '';
  for (const b of bytes) {
    q += b === 0x20 ? '_' : isAlphanumeric(b) ? String.fromCharCode(b) : `=${hex(b)}`;
  }
  return `=?${charset}?Q?${q}?=`;
}

/** Characters per encoded word: keeps each word under RFC 2047's 75 characters. */
const WORD_CHARS = 12;

/**
 * A header value as RFC 2047 encoded words (folded, one word per line), split on character
 * boundaries so no multibyte character is cut between words.
 */
export function encodeWords(text: string, charset = 'utf-8', mode: 'B' | 'Q' = 'B'): string {
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += WORD_CHARS) {
    words.push(encodedWord(chars.slice(i, i + WORD_CHARS).join(''), charset, mode));
  }
  return words.join(`${CRLF} `);
}

function isAlphanumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

// ---------------------------------------------------------------------------------------------
// Transfer encodings

function toCrlf(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, CRLF), 'latin1');
}

function base64Lines(bytes: Buffer): Buffer {
  const encoded = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += BASE64_LINE) {
    lines.push(encoded.slice(i, i + BASE64_LINE));
  }
  return Buffer.from(lines.join(CRLF), 'ascii');
}

/** Quoted-printable (RFC 2045 §6.7): line breaks of the text stay hard breaks. */
export function encodeQuotedPrintable(bytes: Buffer): Buffer {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    let current = '';
    for (let i = 0; i < line.length; i += 1) {
      const b = line.charCodeAt(i);
      const atEnd = i === line.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || (b === 0x20 && !atEnd) || b === 0x09;
      const token = plain && !(b === 0x09 && atEnd) ? line.charAt(i) : `=${hex(b)}`;
      if (current.length + token.length > QP_LINE - 1) {
        out.push(`${current}=`);
        current = '';
      }
      current += token;
    }
    out.push(current);
  }
  return Buffer.from(out.join(CRLF), 'ascii');
}

function encodeBody(bytes: Buffer, encoding: TransferEncoding): Buffer {
  switch (encoding) {
    case 'base64':
      return base64Lines(bytes);
    case 'quoted-printable':
      return encodeQuotedPrintable(bytes);
    case '7bit':
    case '8bit':
      return toCrlf(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Parts

export interface TextPartOptions {
  /** Charset the text is encoded in. Default `utf-8`. */
  charset?: string;
  /**
   * Label written in Content-Type; default: `charset`. `null` leaves the parameter out (the
   * bytes are still encoded in `charset`), as old clients do.
   */
  declaredCharset?: string | null;
  /** Default: `7bit` for ISO-2022-KR (it is 7-bit by design), `base64` otherwise. */
  transferEncoding?: TransferEncoding;
  /** Prepend a byte-order mark (UTF-16 / UTF-8). */
  bom?: boolean;
}

function textEntity(subtype: string, text: string, options: TextPartOptions): MimePart {
  const charset = options.charset ?? 'utf-8';
  const declared = options.declaredCharset === undefined ? charset : options.declaredCharset;
  const isIso = charset.toLowerCase() === 'iso-2022-kr';
  const encoding = options.transferEncoding ?? (isIso ? '7bit' : 'base64');
  const bytes = encodeText(text, charset, { bom: options.bom ?? false });
  const type = declared === null ? `text/${subtype}` : `text/${subtype}; charset="${declared}"`;
  return {
    headers: [
      ['Content-Type', type],
      ['Content-Transfer-Encoding', encoding],
    ],
    body: encodeBody(bytes, encoding),
  };
}

export function textPart(text: string, options: TextPartOptions = {}): MimePart {
  return textEntity('plain', text, options);
}

export function htmlPart(html: string, options: TextPartOptions = {}): MimePart {
  return textEntity('html', html, options);
}

export interface AttachmentOptions {
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** A `charset` parameter to declare on the Content-Type (the content is used as given). */
  charset?: string;
  /** Default `attachment`. */
  disposition?: 'attachment' | 'inline';
  /**
   * How a non-ASCII file name is written: RFC 2231 (`filename*=UTF-8''%ED…`, the default),
   * RFC 2047 (`filename="=?UTF-8?B?…?="`, Gmail and Outlook), or raw 8-bit bytes.
   */
  filenameEncoding?: 'rfc2231' | 'rfc2047' | 'raw';
  /** Charset of a non-ASCII file name. Default `utf-8`. */
  filenameCharset?: string;
  /** Default `base64`. */
  transferEncoding?: TransferEncoding;
}

function rfc2231(value: string, charset: string): string {
  const bytes = encodeText(value, charset);
  let encoded = '';
  for (const b of bytes) {
    const plain = isAlphanumeric(b) || b === 0x2e || b === 0x2d || b === 0x5f; // . - _
    encoded += plain ? String.fromCharCode(b) : `%${hex(b)}`;
  }
  return `${charset.toUpperCase()}''${encoded}`;
}

/** The `; name=…` parameter for `param` (`filename` or `name`) in the chosen style. */
function nameParameter(param: string, filename: string, options: AttachmentOptions): string {
  const charset = options.filenameCharset ?? 'utf-8';
  if (isAscii(filename)) return `; ${param}="${filename}"`;
  switch (options.filenameEncoding ?? 'rfc2231') {
    case 'rfc2231':
      return `; ${param}*=${rfc2231(filename, charset)}`;
    case 'rfc2047':
      return `; ${param}="${encodedWord(filename, charset, 'B')}"`;
    case 'raw':
      return `; ${param}="${encodeText(filename, charset).toString('latin1')}"`;
  }
}

/**
 * An attachment. `content` is the file's bytes (a string is taken as UTF-8). `filename` null
 * gives a part that names no file.
 */
export function attachmentPart(
  filename: string | null,
  content: Buffer | string,
  options: AttachmentOptions = {},
): MimePart {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const encoding = options.transferEncoding ?? 'base64';
  let type = options.contentType ?? 'application/octet-stream';
  if (options.charset !== undefined) type += `; charset="${options.charset}"`;
  let disposition: string = options.disposition ?? 'attachment';
  if (filename !== null) {
    type += nameParameter('name', filename, options);
    disposition += nameParameter('filename', filename, options);
  }
  return {
    headers: [
      ['Content-Type', type],
      ['Content-Disposition', disposition],
      ['Content-Transfer-Encoding', encoding],
    ],
    body: encodeBody(bytes, encoding),
  };
}

/** A forwarded message (message/rfc822), attached as is or base64-encoded. */
export function messagePart(
  raw: Buffer,
  options: { filename?: string; transferEncoding?: TransferEncoding } = {},
): MimePart {
  const encoding = options.transferEncoding ?? '8bit';
  const headers: Array<readonly [string, string]> = [['Content-Type', 'message/rfc822']];
  if (options.filename !== undefined) {
    const name = nameParameter('filename', options.filename, {});
    headers.push(['Content-Disposition', `attachment${name}`]);
  }
  headers.push(['Content-Transfer-Encoding', encoding]);
  return { headers, body: encodeBody(raw, encoding) };
}

/** A `multipart/<subtype>` entity (mixed, alternative…); the boundary is generated if omitted. */
export function multipart(
  subtype: string,
  parts: readonly MimePart[],
  boundary = `----=_outguard_test_${(boundaryCounter += 1)}_${subtype}`,
): MimePart {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const delimiter = Buffer.from(`--${boundary}${CRLF}`, 'ascii');
    chunks.push(delimiter, serialisePart(part), Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'ascii'));
  return {
    headers: [['Content-Type', `multipart/${subtype}; boundary="${boundary}"`]],
    body: Buffer.concat(chunks),
  };
}

function serialiseHeaders(headers: MimePart['headers']): Buffer {
  const lines = headers.map(([name, value]) => `${name}: ${value}${CRLF}`).join('');
  return Buffer.from(lines, 'latin1');
}

function serialisePart(part: MimePart): Buffer {
  return Buffer.concat([serialiseHeaders(part.headers), Buffer.from(CRLF), part.body]);
}

// ---------------------------------------------------------------------------------------------
// Messages

export interface MailOptions {
  from?: string;
  to?: string;
  /** Subject text; written as RFC 2047 words when not ASCII (see `subjectCharset`). */
  subject?: string;
  /** Charset of the encoded subject. Default `utf-8`. */
  subjectCharset?: string;
  /** Default `B`. */
  subjectEncoding?: 'B' | 'Q';
  /** Written verbatim instead of `subject` (for hand-made encoded words). */
  rawSubject?: string;
  messageId?: string;
  date?: string;
  /** Extra header fields, written after the standard ones. */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** The message body as a MIME entity. Takes precedence over text/html/attachments. */
  body?: MimePart;
  /** Shortcut: a text/plain body. */
  text?: string;
  /** Shortcut: a text/html body (with `text`, the two form multipart/alternative). */
  html?: string;
  /** Shortcut: charset of `text` and `html`. Default `utf-8`. */
  charset?: string;
  /** Shortcut: attachments, making the message multipart/mixed. */
  attachments?: readonly MimePart[];
}

function bodyFromShortcuts(options: MailOptions): MimePart {
  const textOptions: TextPartOptions = { charset: options.charset ?? 'utf-8' };
  const alternatives: MimePart[] = [];
  if (options.text !== undefined) alternatives.push(textPart(options.text, textOptions));
  if (options.html !== undefined) alternatives.push(htmlPart(options.html, textOptions));
  let main: MimePart | undefined = alternatives[0];
  if (alternatives.length > 1) main = multipart('alternative', alternatives);
  const attachments = options.attachments ?? [];
  if (attachments.length === 0) return main ?? textPart('', textOptions);
  return multipart('mixed', main === undefined ? attachments : [main, ...attachments]);
}

function subjectHeader(options: MailOptions): string | undefined {
  if (options.rawSubject !== undefined) return options.rawSubject;
  if (options.subject === undefined) return undefined;
  if (isAscii(options.subject)) return options.subject;
  return encodeWords(options.subject, options.subjectCharset ?? 'utf-8', options.subjectEncoding);
}

/** A complete RFC 5322 message with CRLF line ends. */
export function buildMail(options: MailOptions): Buffer {
  const body = options.body ?? bodyFromShortcuts(options);
  const headers: Array<readonly [string, string]> = [
    ['From', options.from ?? 'Hong Gildong <sender@outguard.test>'],
    ['To', options.to ?? 'recipient@example.org'],
  ];
  const subject = subjectHeader(options);
  if (subject !== undefined) headers.push(['Subject', subject]);
  headers.push(
    ['Date', options.date ?? 'Tue, 03 Dec 2024 10:00:00 +0900'],
    ['Message-ID', options.messageId ?? `<test-${(boundaryCounter += 1)}@outguard.test>`],
    ['MIME-Version', '1.0'],
    ...(options.headers ?? []),
    ...body.headers,
  );
  return Buffer.concat([serialiseHeaders(headers), Buffer.from(CRLF), body.body]);
}

/**
 * Wraps any file as the attachment of an otherwise plain mail (for files that are not mails
 * themselves, such as corpus documents).
 */
export function mailWithFile(filename: string, content: Buffer, contentType?: string): Buffer {
  return buildMail({
    subject: 'file attached',
    body: multipart('mixed', [
      textPart('see attachment'),
      attachmentPart(filename, content, contentType === undefined ? {} : { contentType }),
    ]),
  });
}
