/**
 * What a file is by its content, never by its name or declared type (issue 4, point 1).
 *
 * The order of the checks matters:
 *   1. the two container signatures whose magic says little get a second look inside
 *      (sniff-containers.ts): OLE (Word, Excel, PowerPoint, HWP 5, encrypted OOXML) and zip
 *      (OOXML, ODF, HWPX); then the TNEF and RTF signatures;
 *   2. file-type's magic bytes for PDF, images and archives;
 *   3. then the text shapes (text-shape.ts): a mail header block, HTML, text in UTF-8, UTF-16
 *      or a legacy charset. Text that file-type takes for something else wins when that
 *      something has a two-byte signature (a note starting "BMW" is not a bitmap, "MZ 목록" is
 *      not a program);
 *   4. anything else is `binary`.
 *
 * Sniffing runs on every attachment, so no check reads more than a bounded head of the file or
 * a container's directory. It never throws for bad content: a container that cannot be read is
 * still that container, for its extractor to report unreadable.
 */
import type { Buffer } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';
import { CFB_SIGNATURE } from './cfb-directory.js';
import type { FileKind, Sniffed } from './formats/types.js';
import { looksLikeEmf } from './formats/emf.js';
import { emlxMail, looksLikeMbox, stripMailLead } from './formats/mbox.js';
import { sniffOle, sniffZip } from './sniff-containers.js';
import { looksLikeHtml, looksLikeMailHeader, looksLikeText, utf16Order } from './text-shape.js';

export { typeMismatch } from './type-mismatch.js';

/** Media type of each kind when no library named a more precise one. */
const MEDIA_TYPES: Readonly<Record<FileKind, string>> = {
  text: 'text/plain',
  html: 'text/html',
  rtf: 'application/rtf',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  hwpx: 'application/hwp+zip',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  hwp: 'application/x-hwp',
  'office-encrypted': 'application/x-cfb',
  cfb: 'application/x-cfb',
  eml: 'message/rfc822',
  mbox: 'application/mbox',
  tnef: 'application/vnd.ms-tnef',
  zip: 'application/zip',
  '7z': 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  tar: 'application/x-tar',
  gzip: 'application/gzip',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  gif: 'image/gif',
  webp: 'image/webp',
  emf: 'image/emf',
  binary: 'application/octet-stream',
  empty: 'application/x-empty',
};

/** file-type extensions that are one of our kinds. */
const FILE_TYPE_KINDS: ReadonlyMap<string, FileKind> = new Map([
  ['pdf', 'pdf'],
  ['png', 'png'],
  ['apng', 'png'],
  ['jpg', 'jpeg'],
  ['tif', 'tiff'],
  ['bmp', 'bmp'],
  ['gif', 'gif'],
  ['webp', 'webp'],
  ['7z', '7z'],
  ['rar', 'rar'],
  ['tar', 'tar'],
  ['gz', 'gzip'],
  ['tar.gz', 'gzip'],
]);

/**
 * Kinds file-type decides by two bytes only, which ordinary text can start with. (Its other
 * two-byte guesses, such as `exe` for "MZ", are no kind of ours and lose to text anyway.)
 */
const WEAK_SIGNATURES = new Set(['bmp']);

const ZIP_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04], // a local file header
  [0x50, 0x4b, 0x05, 0x06], // the end record of an empty zip
  [0x50, 0x4b, 0x07, 0x08], // a spanned archive's marker
] as const;
/** 0x223E9F78, little-endian. */
const TNEF_SIGNATURE = [0x78, 0x9f, 0x3e, 0x22] as const;
const RTF_SIGNATURE = [0x7b, 0x5c, 0x72, 0x74, 0x66] as const; // {\rtf

function startsWith(bytes: Buffer, signature: ArrayLike<number>): boolean {
  for (let i = 0; i < signature.length; i += 1) if (bytes[i] !== signature[i]) return false;
  return true;
}

function result(kind: FileKind, evidence: string, mediaType = MEDIA_TYPES[kind]): Sniffed {
  return { kind, mediaType, evidence };
}

/**
 * A mail, or a store of mails, by its text: an mbox of several messages, an Apple Mail emlx
 * (its count line, then a mail), or a mail header block after a UTF-8 mark or blank lines.
 */
function sniffMail(bytes: Buffer): Sniffed | null {
  if (looksLikeMbox(bytes)) return result('mbox', 'mbox From_ separator lines');
  const emlx = emlxMail(bytes);
  if (emlx !== null && looksLikeMailHeader(stripMailLead(emlx))) return result('mbox', 'Apple Mail emlx byte count');
  if (looksLikeMailHeader(stripMailLead(bytes))) return result('eml', 'RFC 5322 header fields');
  return null;
}

/** The text kinds, or null: mail, HTML, plain text. */
function sniffText(bytes: Buffer): Sniffed | null {
  const mail = sniffMail(bytes);
  if (mail !== null) return mail;
  if (looksLikeHtml(bytes)) return result('html', 'HTML markup at the start');
  if (!looksLikeText(bytes)) return null;
  const order = utf16Order(bytes);
  const bom = bytes[0] === 0xff || bytes[0] === 0xfe;
  const evidence = order === null ? 'text' : `text, ${order}${bom ? '' : ' without byte-order mark'}`;
  return result('text', evidence);
}

export async function sniff(bytes: Buffer): Promise<Sniffed> {
  if (bytes.length === 0) return result('empty', 'no bytes');
  if (startsWith(bytes, CFB_SIGNATURE)) {
    const { kind, evidence } = sniffOle(bytes);
    return result(kind, evidence);
  }
  if (ZIP_SIGNATURES.some((s) => startsWith(bytes, s))) {
    const { kind, evidence } = await sniffZip(bytes);
    return result(kind, evidence);
  }
  if (startsWith(bytes, TNEF_SIGNATURE)) return result('tnef', 'TNEF signature');
  if (startsWith(bytes, RTF_SIGNATURE)) return result('rtf', 'RTF header {\\rtf');
  if (looksLikeEmf(bytes)) return result('emf', 'EMF header record');

  let detected: { ext: string; mime: string } | undefined;
  try {
    detected = await fileTypeFromBuffer(bytes);
  } catch {
    // A signature whose body file-type could not follow: judge by the other rules.
    detected = undefined;
  }
  const known = detected === undefined ? undefined : FILE_TYPE_KINDS.get(detected.ext);
  if (detected !== undefined && known !== undefined && !WEAK_SIGNATURES.has(detected.ext)) {
    return result(known, `${detected.ext} signature`, detected.mime);
  }
  const text = sniffText(bytes);
  if (text !== null) return text;
  if (detected !== undefined) {
    return result(known ?? 'binary', `${detected.ext} signature`, detected.mime);
  }
  return result('binary', 'no known signature');
}
