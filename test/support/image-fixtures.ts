/**
 * Images of Korean text for the OCR tests, drawn with @napi-rs/canvas in NanumGothic (registered
 * by path, so a machine without the font fails loudly instead of drawing empty boxes), encoded
 * as PNG, JPEG, GIF and WebP by the canvas, and as BMP and (multi-page) TIFF by the tiny writers
 * here, which the canvas cannot produce.
 */
import { Buffer } from 'node:buffer';
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { Canvas } from '@napi-rs/canvas';

export const NANUM_GOTHIC = '/usr/share/fonts/truetype/nanum/NanumGothic.ttf';
export const KOREAN_FONT_FAMILY = 'OutguardTestNanumGothic';
let registered = false;

/** Registers NanumGothic from fonts-nanum; throws when the font is missing or not accepted. */
export function registerKoreanFont(): void {
  if (registered) return;
  if (!existsSync(NANUM_GOTHIC)) throw new Error(`${NANUM_GOTHIC} missing: install fonts-nanum`);
  const key = GlobalFonts.registerFromPath(NANUM_GOTHIC, KOREAN_FONT_FAMILY);
  if (!key) throw new Error('NanumGothic could not be registered with the canvas');
  registered = true;
}

/** Black text on white, 40 px NanumGothic, one line per entry. */
export function renderLines(lines: readonly string[], width = 1100): Canvas {
  registerKoreanFont();
  const canvas = createCanvas(width, 60 * lines.length + 50);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000000';
  context.font = `40px ${KOREAN_FONT_FAMILY}`;
  lines.forEach((line, i) => context.fillText(line, 30, 70 + i * 60));
  return canvas;
}

/** 8-bit grey levels of a canvas, row by row from the top. */
export function greyPixels(canvas: Canvas): Buffer {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const grey = Buffer.alloc(canvas.width * canvas.height);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = Math.round(0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!);
  }
  return grey;
}

/** A 24-bit uncompressed BMP (BITMAPINFOHEADER, rows bottom-up, padded to 4 bytes). */
export function toBmp(canvas: Canvas): Buffer {
  const { width, height } = canvas;
  const grey = greyPixels(canvas);
  const rowSize = Math.ceil((width * 3) / 4) * 4;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + rowSize * height, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(rowSize * height, 34);
  const pixels = Buffer.alloc(rowSize * height);
  for (let y = 0; y < height; y++) {
    const row = (height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) pixels.fill(grey[y * width + x]!, row + x * 3, row + x * 3 + 3);
  }
  return Buffer.concat([header, pixels]);
}

/** An uncompressed 8-bit greyscale TIFF, little-endian, one IFD per page. */
export function toTiff(pages: readonly Canvas[]): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  parts.push(header);
  let offset = 8;
  const ifdOffsets: number[] = [];
  const layouts = pages.map((page) => {
    const pixels = greyPixels(page);
    const pixelOffset = offset;
    offset += pixels.length + (pixels.length % 2);
    const ifdOffset = offset;
    ifdOffsets.push(ifdOffset);
    offset += 2 + 9 * 12 + 4;
    return { page, pixels, pixelOffset, ifdOffset };
  });
  header.writeUInt32LE(ifdOffsets[0] ?? 0, 4);
  layouts.forEach(({ page, pixels, pixelOffset }, index) => {
    parts.push(pixels, Buffer.alloc(pixels.length % 2));
    const entries: [number, number, number, number][] = [
      [256, 4, 1, page.width], // ImageWidth
      [257, 4, 1, page.height], // ImageLength
      [258, 3, 1, 8], // BitsPerSample
      [259, 3, 1, 1], // Compression: none
      [262, 3, 1, 1], // PhotometricInterpretation: black is zero
      [273, 4, 1, pixelOffset], // StripOffsets
      [277, 3, 1, 1], // SamplesPerPixel
      [278, 4, 1, page.height], // RowsPerStrip
      [279, 4, 1, pixels.length], // StripByteCounts
    ];
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, count, value], i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(count, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    ifd.writeUInt32LE(ifdOffsets[index + 1] ?? 0, 2 + entries.length * 12);
    parts.push(ifd);
  });
  return Buffer.concat(parts);
}

/** A PNG header declaring `width` × `height`, with no pixel data: enough to be refused. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const png = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt8(8, 24);
  png.writeUInt8(0, 25);
  return png;
}
