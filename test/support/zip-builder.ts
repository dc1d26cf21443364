/**
 * A small ZIP writer for tests: stored or deflated entries with full control over what the
 * headers claim (name bytes and the UTF-8 flag, extra fields, encryption flag, declared sizes),
 * so tests can build CP949-named zips, lying size headers and bombs from code instead of
 * shipping binary fixtures. Also the 1 GiB-of-zeros deflate stream for bomb tests, made in
 * about a megabyte without ever holding the gigabyte.
 */
import { Buffer } from 'node:buffer';
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipItem {
  /** A string is written as UTF-8 with flag bit 11 set; a Buffer as raw bytes, flag clear. */
  readonly name: string | Buffer;
  readonly data?: Buffer | string;
  /** 8 (deflate, the default) or 0 (stored). */
  readonly method?: 0 | 8;
  /** Extra field bytes, written in both the local and the central header. */
  readonly extra?: Buffer;
  /** Extra general-purpose flag bits (1 = encrypted). */
  readonly flags?: number;
  /** Already compressed payload (with `crc` and `size`), e.g. a bomb stream. */
  readonly raw?: { readonly compressed: Buffer; readonly crc: number; readonly size: number };
  /** What the headers claim as the uncompressed size, when it should lie. */
  readonly declaredSize?: number;
  /** Overrides the method number written (99 for AES), payload unchanged. */
  readonly methodField?: number;
}

export function buildZip(items: readonly ZipItem[], comment: Buffer | string = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = typeof item.name === 'string' ? Buffer.from(item.name, 'utf8') : item.name;
    const utf8 = typeof item.name === 'string' && /[^\x00-\x7f]/.test(item.name);
    const flags = (utf8 ? 0x800 : 0) | (item.flags ?? 0);
    const method = item.method ?? 8;
    const extra = item.extra ?? Buffer.alloc(0);
    let payload: Buffer;
    let crc: number;
    let size: number;
    if (item.raw) {
      ({ compressed: payload, crc, size } = item.raw);
    } else {
      const given = item.data ?? Buffer.alloc(0);
      const data = typeof given === 'string' ? Buffer.from(given, 'utf8') : given;
      payload = method === 8 ? deflateRawSync(data) : data;
      crc = crc32(data);
      size = data.length;
    }
    const declared = item.declaredSize ?? size;
    const methodField = item.methodField ?? method;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(methodField, 8);
    local.writeUInt32LE(0x5a210000, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, payload);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(methodField, 10);
    central.writeUInt32LE(0x5a210000, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(payload.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + extra.length + payload.length;
  }
  const directory = Buffer.concat(centrals);
  const commentBytes = typeof comment === 'string' ? Buffer.from(comment, 'utf8') : comment;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, directory, end, commentBytes]);
}

/** The Info-ZIP Unicode Path extra field (0x7075) carrying `utf8Name` for the raw `name`. */
export function unicodePathExtra(name: Buffer, utf8Name: string): Buffer {
  const unicode = Buffer.from(utf8Name, 'utf8');
  const field = Buffer.alloc(4 + 5 + unicode.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + unicode.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(name) >>> 0, 5);
  unicode.copy(field, 9);
  return field;
}

/**
 * A raw deflate stream of `mebibytes` MiB of zeros: one flushed 1 MiB block sequence repeated
 * (each starts with a literal and back-references only zeros, so repeats stay valid), then an
 * empty final block. 1 GiB comes out at about 1 MB.
 */
export function zerosDeflate(mebibytes: number): { compressed: Buffer; crc: number; size: number } {
  const mib = Buffer.alloc(1024 * 1024);
  const block = deflateRawSync(mib, { finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  let crc = 0;
  for (let i = 0; i < mebibytes; i += 1) {
    parts.push(block);
    crc = crc32(mib, crc);
  }
  parts.push(Buffer.from([0x03, 0x00]));
  return { compressed: Buffer.concat(parts), crc, size: mebibytes * 1024 * 1024 };
}
