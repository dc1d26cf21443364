/**
 * Pixel size of an image read from its header alone (PNG, JPEG, TIFF, BMP, GIF, WebP), so an
 * image too large for OCR is refused before any decoder allocates its pixels: a 60-byte PNG can
 * declare 100,000 × 100,000 pixels, and tesseract would try to hold all of them.
 *
 * Only the fields needed for width and height are read; every offset is checked against the
 * buffer. A header that cannot be read is an error (the file is reported unreadable).
 */
import type { Buffer } from 'node:buffer';

export type ImageFormat = 'png' | 'jpeg' | 'tiff' | 'bmp' | 'gif' | 'webp';

export interface ImageSize {
  readonly format: ImageFormat;
  /** Width and height of the first (or only) page. */
  readonly width: number;
  readonly height: number;
  /** Pages OCR will read: the IFDs of a multi-page TIFF, else 1. */
  readonly pages: number;
  /** Pixels of all pages together. */
  readonly pixels: number;
}

/** TIFF pages looked at; a chain longer than this is refused rather than walked. */
const MAX_TIFF_PAGES = 1000;

class HeaderError extends Error {
  override readonly name = 'ImageHeaderError';
}

function need(bytes: Buffer, end: number, what: string): void {
  if (end > bytes.length) throw new HeaderError(`${what}: header truncated`);
}

function single(format: ImageFormat, width: number, height: number): ImageSize {
  if (!(width > 0 && height > 0)) throw new HeaderError(`${format}: header gives no pixel size`);
  return { format, width, height, pages: 1, pixels: width * height };
}

function pngSize(bytes: Buffer): ImageSize {
  need(bytes, 24, 'png');
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new HeaderError('png: first chunk is not IHDR');
  return single('png', bytes.readUInt32BE(16), bytes.readUInt32BE(20));
}

function jpegSize(bytes: Buffer): ImageSize {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new HeaderError('jpeg: marker expected');
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data or end before any frame header
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) throw new HeaderError('jpeg: bad segment length');
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      need(bytes, at + 9, 'jpeg');
      return single('jpeg', bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5));
    }
    at += 2 + length;
  }
  throw new HeaderError('jpeg: no frame header');
}

function tiffSize(bytes: Buffer): ImageSize {
  need(bytes, 8, 'tiff');
  const little = bytes[0] === 0x49;
  const u16 = (at: number): number => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number): number => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  if (u16(2) !== 42) throw new HeaderError('tiff: not a classic TIFF');
  let ifd = u32(4);
  let pages = 0;
  let pixels = 0;
  let first: { width: number; height: number } | null = null;
  const seen = new Set<number>();
  while (ifd !== 0) {
    if (seen.has(ifd) || pages >= MAX_TIFF_PAGES) throw new HeaderError('tiff: page chain loops or is too long');
    seen.add(ifd);
    need(bytes, ifd + 2, 'tiff');
    const count = u16(ifd);
    need(bytes, ifd + 2 + count * 12 + 4, 'tiff');
    let width = 0;
    let height = 0;
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      const tag = u16(entry);
      if (tag !== 256 && tag !== 257) continue;
      const type = u16(entry + 2);
      // SHORT (3) sits in the first two bytes of the value field, LONG (4) fills it.
      const value = type === 3 ? u16(entry + 8) : u32(entry + 8);
      if (tag === 256) width = value;
      else height = value;
    }
    if (!(width > 0 && height > 0)) throw new HeaderError('tiff: page without pixel size');
    first ??= { width, height };
    pages += 1;
    pixels += width * height;
    ifd = u32(ifd + 2 + count * 12);
  }
  if (first === null) throw new HeaderError('tiff: no pages');
  return { format: 'tiff', width: first.width, height: first.height, pages, pixels };
}

function bmpSize(bytes: Buffer): ImageSize {
  need(bytes, 18, 'bmp');
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize === 12) {
    need(bytes, 22, 'bmp');
    return single('bmp', bytes.readUInt16LE(18), bytes.readUInt16LE(20));
  }
  need(bytes, 26, 'bmp');
  // A negative height means rows stored top-down; the size is its absolute value.
  return single('bmp', Math.abs(bytes.readInt32LE(18)), Math.abs(bytes.readInt32LE(22)));
}

function gifSize(bytes: Buffer): ImageSize {
  need(bytes, 10, 'gif');
  // The logical screen bounds what a viewer shows; frames may still claim more, so the larger wins.
  let width = bytes.readUInt16LE(6);
  let height = bytes.readUInt16LE(8);
  const flags = bytes[10] ?? 0;
  let at = 13 + (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x2c) {
      need(bytes, at + 9, 'gif');
      width = Math.max(width, bytes.readUInt16LE(at + 1) + bytes.readUInt16LE(at + 5));
      height = Math.max(height, bytes.readUInt16LE(at + 3) + bytes.readUInt16LE(at + 7));
      break;
    }
    if (block !== 0x21) break; // trailer or junk: the screen size stands
    at += 2;
    // Extension data: sub-blocks each led by their length, ended by a zero length.
    while (at < bytes.length && bytes[at] !== 0) at += (bytes[at] ?? 0) + 1;
    at += 1;
  }
  return single('gif', width, height);
}

function webpSize(bytes: Buffer): ImageSize {
  need(bytes, 30, 'webp');
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X') {
    return single('webp', bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1);
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) throw new HeaderError('webp: bad lossless signature');
    const bits = bytes.readUInt32LE(21);
    return single('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) {
      throw new HeaderError('webp: bad lossy frame start');
    }
    return single('webp', bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
  }
  throw new HeaderError('webp: unknown first chunk');
}

/** Reads the pixel size from the header; throws when the bytes are no image of these kinds. */
export function imageSize(bytes: Buffer): ImageSize {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return pngSize(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegSize(bytes);
  const head4 = bytes.toString('latin1', 0, 4);
  if (head4 === 'II*\0' || head4 === 'MM\0*') return tiffSize(bytes);
  if (head4.startsWith('BM')) return bmpSize(bytes);
  if (head4 === 'GIF8') return gifSize(bytes);
  if (head4 === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return webpSize(bytes);
  throw new HeaderError('not a PNG, JPEG, TIFF, BMP, GIF or WebP image');
}
