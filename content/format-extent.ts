/**
 * Where a file of a kind with a known end really ends, and what lies past it.
 *
 * A reader of PDF, JPEG, PNG or GIF stops at the format's end and never looks at what follows,
 * so a zip (or anything else) appended to a photo or a report would pass unread: a polyglot.
 * The pipeline (content/attachments.ts) sends bytes past the end through itself as an inner
 * file named `appended`, unless they are trivial padding. The zip extractor does the same for
 * bytes before a zip's first entry (content/formats/archive.ts, `leading`).
 *
 * Each end is found by walking the format's own structure where that is cheap (PNG chunks, GIF
 * blocks, JPEG segments and scans), so data appended after the end cannot move it by holding
 * an end marker of its own; PDF is the exception (its last `%%EOF`, as incremental updates
 * append whole revisions after the first one).
 */
import { Buffer } from 'node:buffer';
import type { FileKind } from './formats/types.js';

/** Bytes past a format's end up to this many are padding some tools add, never read. */
export const PADDING_BYTES = 64;

/** True when `bytes` are few or only zero bytes and white space: nothing worth reading. */
export function isTrivialPadding(bytes: Buffer): boolean {
  if (bytes.length <= PADDING_BYTES) return true;
  for (const byte of bytes) {
    if (byte !== 0 && byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) {
      return false;
    }
  }
  return true;
}

/**
 * The bytes after the end of a `kind` file, or null when there are none worth reading (or the
 * kind has no end we know, or its structure is too broken to find it).
 */
export function appendedBytes(kind: FileKind, bytes: Buffer): Buffer | null {
  const end = formatEnd(kind, bytes);
  if (end === null || end >= bytes.length) return null;
  const rest = bytes.subarray(end);
  if (isTrivialPadding(rest)) return null;
  return rebaseZip(rest, end) ?? rest;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_RECORD = 0x06054b50;
/** The end record (22 bytes) and the longest comment it may carry. */
const END_SEARCH = 22 + 0xffff;

/**
 * A zip appended to another file with its offsets counted from the start of the whole file
 * (as `zip -A` leaves them), copied with its offsets counted from its own start so it reads on
 * its own; null when `rest` is no such zip (its offsets already its own, or not a zip).
 */
function rebaseZip(rest: Buffer, shift: number): Buffer | null {
  if (rest.length < 30 || rest.readUInt32LE(0) !== LOCAL_HEADER) return null;
  let eocd = -1;
  for (let at = rest.length - 22; at >= Math.max(0, rest.length - END_SEARCH); at -= 1) {
    if (rest.readUInt32LE(at) === END_RECORD && at + 22 + rest.readUInt16LE(at + 20) === rest.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = rest.readUInt16LE(eocd + 10);
  const directory = rest.readUInt32LE(eocd + 16);
  const own = directory + 4 <= rest.length && rest.readUInt32LE(directory) === CENTRAL_HEADER;
  const local = directory - shift;
  if (own || directory < shift || local + 4 > rest.length || rest.readUInt32LE(local) !== CENTRAL_HEADER) {
    return null;
  }
  const copy = Buffer.from(rest);
  copy.writeUInt32LE(local, eocd + 16);
  let at = local;
  for (let i = 0; i < count && at + 46 <= copy.length && copy.readUInt32LE(at) === CENTRAL_HEADER; i += 1) {
    const offset = copy.readUInt32LE(at + 42);
    // 0xFFFFFFFF points to a zip64 field, left alone: the zip reader then reports what it finds.
    if (offset !== 0xffffffff && offset >= shift) copy.writeUInt32LE(offset - shift, at + 42);
    at += 46 + copy.readUInt16LE(at + 28) + copy.readUInt16LE(at + 30) + copy.readUInt16LE(at + 32);
  }
  return copy;
}

function formatEnd(kind: FileKind, bytes: Buffer): number | null {
  switch (kind) {
    case 'pdf':
      return pdfEnd(bytes);
    case 'jpeg':
      return jpegEnd(bytes);
    case 'png':
      return pngEnd(bytes);
    case 'gif':
      return gifEnd(bytes);
    default:
      return null;
  }
}

/** After the last `%%EOF` and its line end. */
function pdfEnd(bytes: Buffer): number | null {
  const at = bytes.lastIndexOf('%%EOF', undefined, 'latin1');
  if (at < 0) return null;
  let end = at + 5;
  if (bytes[end] === 0x0d) end += 1;
  if (bytes[end] === 0x0a) end += 1;
  return end;
}

const PNG_SIGNATURE_BYTES = 8;

/** After the IEND chunk (length, type, data, CRC). */
function pngEnd(bytes: Buffer): number | null {
  let at = PNG_SIGNATURE_BYTES;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const next = at + 12 + length;
    if (type === 'IEND') return Math.min(next, bytes.length);
    at = next;
  }
  return null;
}

/**
 * After the EOI marker that closes the image: segments are skipped by their lengths (an EXIF
 * thumbnail's own EOI stays inside its APP1 segment) and entropy-coded data is scanned for the
 * next marker. Falls back to the last FFD9 when the walk loses its way.
 */
function jpegEnd(bytes: Buffer): number | null {
  const walked = walkJpeg(bytes);
  if (walked !== null) return walked;
  for (let i = bytes.length - 2; i >= 2; i -= 1) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return i + 2;
  }
  return null;
}

function walkJpeg(bytes: Buffer): number | null {
  let at = 2; // after SOI
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return at + 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (at + 4 > bytes.length) return null;
    const segmentEnd = at + 2 + bytes.readUInt16BE(at + 2);
    if (marker !== 0xda) {
      at = segmentEnd;
      continue;
    }
    // Start of scan: entropy-coded data runs to the next marker that is not a stuffed zero
    // byte or a restart marker.
    at = segmentEnd;
    for (;;) {
      at = bytes.indexOf(0xff, at);
      if (at < 0 || at + 1 >= bytes.length) return null;
      const next = bytes[at + 1] as number;
      if (next !== 0 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
      at += next === 0xff ? 1 : 2;
    }
  }
  return null;
}

/** After the trailer byte 0x3B that follows the last block. */
function gifEnd(bytes: Buffer): number | null {
  if (bytes.length < 13) return null;
  let at = 13;
  const flags = bytes[10] as number;
  if (flags & 0x80) at += 3 * 2 ** ((flags & 0x07) + 1);
  while (at < bytes.length) {
    const introducer = bytes[at];
    if (introducer === 0x3b) return at + 1;
    if (introducer === 0x21) {
      at = skipSubBlocks(bytes, at + 2);
    } else if (introducer === 0x2c) {
      if (at + 10 > bytes.length) return null;
      const local = bytes[at + 9] as number;
      at += 10;
      if (local & 0x80) at += 3 * 2 ** ((local & 0x07) + 1);
      at = skipSubBlocks(bytes, at + 1); // after the LZW minimum code size
    } else {
      return null;
    }
  }
  return null;
}

/** Past a chain of data sub-blocks ending with a zero-length one. */
function skipSubBlocks(bytes: Buffer, from: number): number {
  let at = from;
  while (at < bytes.length) {
    const size = bytes[at] as number;
    at += 1 + size;
    if (size === 0) return at;
  }
  return bytes.length;
}
