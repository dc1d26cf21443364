/**
 * Outlook's compressed RTF (PR_RTF_COMPRESSED, "LZFu"), as specified in MS-OXRTFCP: a 16-byte
 * header (sizes, type, CRC) then an LZ77 stream over a 4 KiB ring dictionary that starts out
 * holding a fixed RTF prefix. Many Outlook mails carry their only body this way inside TNEF.
 *
 * The declared output size is checked against what the format can produce before anything is
 * allocated (each 17 input bytes yield at most 8 × 17), the output stops at the declared size,
 * and the CRC of the compressed bytes is checked, so a damaged stream is reported, not guessed.
 */
import { Buffer } from 'node:buffer';

const COMPRESSED = 0x75465a4c; // "LZFu"
const UNCOMPRESSED = 0x414c454d; // "MELA"
const HEADER = 16;

/** The dictionary's initial contents (MS-OXRTFCP 3.1.3.1), 207 bytes. */
const PREBUFFER = Buffer.from(
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript ' +
    '\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n' +
    '\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx',
  'latin1',
);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** MS-OXRTFCP's CRC-32: the usual table, but starting from 0 and without the final inversion. */
export function rtfCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return crc;
}

export interface CompressedRtfInfo {
  readonly compressed: boolean;
  /** Declared size of the RTF once decompressed. */
  readonly rawSize: number;
}

export function compressedRtfInfo(data: Buffer): CompressedRtfInfo {
  if (data.length < HEADER) throw new Error('compressed RTF shorter than its header');
  const type = data.readUInt32LE(8);
  if (type !== COMPRESSED && type !== UNCOMPRESSED) throw new Error('compressed RTF of unknown type');
  return { compressed: type === COMPRESSED, rawSize: data.readUInt32LE(4) };
}

export function decompressRtf(data: Buffer): Buffer {
  const { compressed, rawSize } = compressedRtfInfo(data);
  // compSize counts the bytes after itself: the remaining 12 header bytes and the data.
  const end = Math.min(data.length, 4 + data.readUInt32LE(0));
  const input = data.subarray(HEADER, end);
  if (!compressed) return Buffer.from(input.subarray(0, rawSize));
  if (rtfCrc(input) !== data.readUInt32LE(12)) throw new Error('compressed RTF fails its CRC');
  if (rawSize > Math.ceil(input.length / 17) * 8 * 17 + 17) throw new Error('compressed RTF declares an impossible size');

  const dictionary = Buffer.alloc(4096);
  PREBUFFER.copy(dictionary);
  let write = PREBUFFER.length;
  const out = Buffer.alloc(rawSize);
  let produced = 0;
  let at = 0;
  const emit = (byte: number): void => {
    if (produced < rawSize) out[produced++] = byte;
    dictionary[write] = byte;
    write = (write + 1) & 0xfff;
  };
  while (at < input.length && produced < rawSize) {
    const control = input[at++]!;
    for (let bit = 0; bit < 8 && produced < rawSize; bit++) {
      if ((control & (1 << bit)) === 0) {
        if (at >= input.length) return out.subarray(0, produced);
        emit(input[at++]!);
        continue;
      }
      if (at + 2 > input.length) return out.subarray(0, produced);
      const reference = (input[at]! << 8) | input[at + 1]!;
      at += 2;
      const offset = reference >>> 4;
      // A reference to the write position itself marks the end of the stream.
      if (offset === write) return out.subarray(0, produced);
      const length = (reference & 0xf) + 2;
      for (let k = 0; k < length; k++) emit(dictionary[(offset + k) & 0xfff]!);
    }
  }
  return out.subarray(0, produced);
}
