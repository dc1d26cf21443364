/**
 * TNEF streams (winmail.dat) built attribute by attribute from MS-OXTNEF for the extractor
 * tests: Korean subject and body in the OEM code page (949), MAPI property lists with Unicode
 * file names, attached data, attached messages (PT_OBJECT), and a compressed RTF body written by
 * a small LZFu compressor (MS-OXRTFCP) that uses back-references, so decompression is exercised
 * on references as well as literals.
 */
import { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';
import { rtfCrc } from '../../content/formats/rtf-compressed.js';

export const LEVEL_MESSAGE = 1;
export const LEVEL_ATTACHMENT = 2;

/** Full attribute ids (type in the high word). */
export const ATTR = {
  tnefVersion: 0x00089006,
  oemCodepage: 0x00069007,
  messageClass: 0x00078008,
  subject: 0x00018004,
  body: 0x0002800c,
  mapiProps: 0x00069003,
  attachRendData: 0x00069002,
  attachTitle: 0x00018010,
  attachData: 0x0006800f,
  attachment: 0x00069005,
} as const;

export function attribute(level: number, id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(level, 0);
  head.writeUInt32LE(id >>> 0, 1);
  head.writeUInt32LE(data.length, 5);
  const checksum = Buffer.alloc(2);
  checksum.writeUInt16LE(data.reduce((sum, byte) => (sum + byte) & 0xffff, 0));
  return Buffer.concat([head, data, checksum]);
}

export function tnefStream(attributes: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt32LE(0x223e9f78, 0);
  head.writeUInt16LE(0x0107, 4);
  return Buffer.concat([head, ...attributes]);
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

function pad4(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

export type MapiValue =
  | { type: 'unicode'; value: string }
  | { type: 'string8'; value: Buffer }
  | { type: 'binary'; value: Buffer }
  | { type: 'object'; iid: Buffer; value: Buffer }
  | { type: 'long'; value: number };

const TYPE_CODES = { unicode: 0x1f, string8: 0x1e, binary: 0x102, object: 0x0d, long: 0x03 } as const;

export function mapiProperties(properties: readonly { id: number; value: MapiValue }[]): Buffer {
  const parts: Buffer[] = [u32(properties.length)];
  for (const { id, value } of properties) {
    const tag = Buffer.alloc(4);
    tag.writeUInt16LE(TYPE_CODES[value.type], 0);
    tag.writeUInt16LE(id, 2);
    parts.push(tag);
    if (value.type === 'long') {
      parts.push(u32(value.value));
      continue;
    }
    let data: Buffer;
    if (value.type === 'unicode') data = Buffer.from(`${value.value}\0`, 'utf16le');
    else if (value.type === 'object') data = Buffer.concat([value.iid, value.value]);
    else data = value.value;
    parts.push(u32(1), u32(data.length), pad4(data));
  }
  return Buffer.concat(parts);
}

export const IID_IMESSAGE = Buffer.from('0703020000000000c000000000000046', 'hex');

const PREBUFFER = Buffer.from(
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript ' +
    '\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n' +
    '\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx',
  'latin1',
);

/**
 * LZFu compression with greedy back-references into the ring dictionary (longest match of 2 to
 * 17 bytes whose source does not overlap the bytes being written), then the end reference.
 */
export function compressRtf(rtf: Buffer): Buffer {
  const dictionary = Buffer.alloc(4096);
  PREBUFFER.copy(dictionary);
  let write = PREBUFFER.length;
  const out: number[] = [];
  let at = 0;
  let done = false;
  while (!done) {
    const controlAt = out.length;
    out.push(0);
    let control = 0;
    for (let bit = 0; bit < 8; bit++) {
      if (at >= rtf.length) {
        control |= 1 << bit;
        out.push(write >> 4, (write & 0xf) << 4);
        done = true;
        break;
      }
      let bestLength = 0;
      let bestOffset = 0;
      for (let offset = 0; offset < 4096; offset++) {
        let length = 0;
        while (length < 17 && at + length < rtf.length) {
          const source = (offset + length) & 0xfff;
          // Keep the source out of the region this reference itself will write.
          if (((source - write) & 0xfff) < 17) break;
          if (dictionary[source] !== rtf[at + length]) break;
          length++;
        }
        if (length > bestLength) {
          bestLength = length;
          bestOffset = offset;
        }
      }
      const take = bestLength >= 2 ? bestLength : 1;
      if (bestLength >= 2) {
        control |= 1 << bit;
        const reference = (bestOffset << 4) | (bestLength - 2);
        out.push(reference >> 8, reference & 0xff);
      } else {
        out.push(rtf[at]!);
      }
      for (let k = 0; k < take; k++) {
        dictionary[write] = rtf[at + k]!;
        write = (write + 1) & 0xfff;
      }
      at += take;
    }
    out[controlAt] = control;
  }
  const data = Buffer.from(out);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(data.length + 12, 0);
  header.writeUInt32LE(rtf.length, 4);
  header.writeUInt32LE(0x75465a4c, 8);
  header.writeUInt32LE(rtfCrc(data), 12);
  return Buffer.concat([header, data]);
}

export function cp949(text: string): Buffer {
  return iconv.encode(text, 'cp949');
}

/** `\'hh` escapes of CP949 bytes: how Korean text sits in an RTF body written by Outlook. */
export function rtfEscapedKorean(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else for (const byte of cp949(ch)) out += `\\'${byte.toString(16)}`;
  }
  return out;
}
