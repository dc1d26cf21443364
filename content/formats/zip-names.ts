/**
 * File names inside archives, decoded the way the archiver most likely wrote them.
 *
 * ZIP names are bytes. Bit 11 of the general-purpose flags says UTF-8; without it, the name is in
 * whatever code page the archiver's machine used. Korean Windows (Explorer's "send to compressed
 * folder", old ALZip/Bandizip defaults) writes CP949, macOS writes UTF-8 without setting the bit,
 * Info-ZIP adds a UTF-8 copy in the 0x7075 "Unicode Path" extra field. So, in order: the flag,
 * the 0x7075 field (only when its CRC matches the name, as its spec demands), strict UTF-8 when
 * the bytes happen to be valid UTF-8 with something beyond ASCII, else CP949.
 *
 * XXX: CP932 (Japanese Windows) and other legacy code pages are not recognised: their names come
 * out as CP949 mojibake. Decoding never throws, so such a name is odd, never a crash; the content
 * of the entry is read all the same.
 */
import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';

export type NameEncoding = 'ascii' | 'utf8-flag' | 'unicode-path' | 'utf8' | 'cp949';

export interface DecodedName {
  /** `/`-separated, NFC-normalised (macOS writes decomposed Hangul). */
  readonly name: string;
  readonly encoding: NameEncoding;
}

export interface ExtraField {
  readonly id: number;
  readonly data: Buffer;
}

const UTF8_FLAG = 0x800;
const UNICODE_PATH_FIELD = 0x7075;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a ZIP entry name from its raw bytes, flags and extra fields. */
export function decodeZipName(raw: Buffer, flags: number, extraFields: readonly ExtraField[]): DecodedName {
  if ((flags & UTF8_FLAG) !== 0) {
    return finish(raw.toString('utf8'), 'utf8-flag');
  }
  const unicodePath = unicodePathName(raw, extraFields);
  if (unicodePath !== null) return finish(unicodePath, 'unicode-path');
  return decodeLegacyName(raw);
}

/**
 * A name whose encoding nothing declares: ASCII, else UTF-8 when the bytes are strictly valid
 * UTF-8, else CP949. Korean CP949 names are practically never valid UTF-8 (a CP949 pair's second
 * byte is rarely a UTF-8 continuation byte after a valid lead), so the order costs nothing.
 */
export function decodeLegacyName(raw: Buffer): DecodedName {
  if (isAscii(raw)) return finish(raw.toString('latin1'), 'ascii');
  try {
    return finish(STRICT_UTF8.decode(raw), 'utf8');
  } catch {
    return finish(iconv.decode(raw, 'cp949'), 'cp949');
  }
}

/** Free text stored without a declared encoding (a zip comment): UTF-8 when valid, else CP949. */
export function decodeLegacyText(raw: Buffer): string {
  try {
    return STRICT_UTF8.decode(raw);
  } catch {
    return iconv.decode(raw, 'cp949');
  }
}

function unicodePathName(raw: Buffer, extraFields: readonly ExtraField[]): string | null {
  for (const field of extraFields) {
    if (field.id !== UNICODE_PATH_FIELD) continue;
    // Version 1 byte, CRC-32 of the plain name 4 bytes, then the UTF-8 name.
    if (field.data.length < 6 || field.data[0] !== 1) continue;
    if (field.data.readUInt32LE(1) !== crc32(raw)) continue;
    try {
      return STRICT_UTF8.decode(field.data.subarray(5));
    } catch {
      continue;
    }
  }
  return null;
}

function isAscii(raw: Buffer): boolean {
  for (const byte of raw) if (byte >= 0x80) return false;
  return true;
}

function finish(name: string, encoding: NameEncoding): DecodedName {
  // Windows archivers write backslashes; NUL and other controls are never part of a real name.
  // A leading slash or drive would make the inner path look absolute in locations.
  const cleaned = name
    .replace(/\\/g, '/')
    .replace(/[\u0000-\u001f]/g, '_')
    .replace(/^(?:[A-Za-z]:)?\/+/, '')
    .normalize('NFC');
  return { name: cleaned, encoding };
}

/** Lower-cased path without a leading `./` or `/`, for case-insensitive part lookups. */
export function partKey(path: string): string {
  return path.replace(/^(\.\/|\/)+/, '').toLowerCase();
}
