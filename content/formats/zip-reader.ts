/**
 * The one way Outguard reads a ZIP from memory: the archive extractor and the OOXML, ODF and
 * HWPX extractors all list and inflate entries through here, so every zip gets the same guards.
 *
 * Built on yauzl (lazyEntries, raw name bytes, validateEntrySizes) because it exposes the
 * encryption flag and refuses an entry that inflates past its declared size while streaming,
 * where fflate silently inflates a whole bomb first (notes/libraries.md §9).
 *
 * Guards, in the order they bite:
 *   - listing stops at the message's entry limit (a "million empty files" zip is not walked);
 *   - an encrypted entry is never inflated: EncryptedFile;
 *   - the declared size is checked against the per-entry compression ratio and the caller's
 *     per-entry cap before a byte is inflated, so a 1 GiB-of-zeros entry is refused at once;
 *   - while inflating, every chunk is charged to the message budget (decompressed bytes, time)
 *     and to the entry's declared size, so a lying size header stops at the declared size plus
 *     one chunk, not at the end of the bomb;
 *   - `takeEntry` is charged for every entry opened.
 * Limits of one entry throw EntryLimitExceeded (a LimitExceeded), so a caller can skip that
 * entry and read the others; limits of the message throw plain LimitExceeded.
 */
import { Buffer } from 'node:buffer';
import { pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry as YauzlEntry, ZipFile } from 'yauzl';
import { EncryptedFile, LimitExceeded, type Budget } from './types.js';
import { decodeLegacyText, decodeZipName, partKey, type ExtraField, type NameEncoding } from './zip-names.js';

export interface ZipEntry {
  /** Decoded, `/`-separated path as stored (directories end with `/`). */
  readonly path: string;
  readonly nameEncoding: NameEncoding;
  /** General-purpose flag bit 0: ZipCrypto or AES (method 99); the data is ciphertext. */
  readonly encrypted: boolean;
  readonly directory: boolean;
  /** 0 stored, 8 deflate; anything else is not read here. */
  readonly method: number;
  readonly compressedSize: number;
  /** Uncompressed size the central directory declares (may lie; reading enforces it). */
  readonly size: number;
}

export interface ReadOptions {
  /** Largest inflated size accepted for this entry, in bytes. */
  readonly maxBytes?: number;
}

/** A limit of one entry (its ratio, its declared size, the caller's cap): the others may still be read. */
export class EntryLimitExceeded extends LimitExceeded {}

/** The entry uses a compression method yauzl cannot inflate (bzip2, LZMA, Deflate64, zstd, …). */
export class UnsupportedMethod extends Error {
  override readonly name = 'UnsupportedMethod';
  constructor(readonly method: number) {
    super(`compression method ${method} (${methodName(method)}) is not supported`);
  }
}

/**
 * Outputs whose size is under this are never refused for their ratio: 1 MiB of inflated output
 * hurts nobody, while small highly repetitive data (a style sheet, a blank sheet, a gzipped log)
 * legitimately deflates past 100 : 1. Above it, the ratio limit applies. Shared by every
 * archive reader (zip here, gzip in archive.ts, 7z and RAR in seven-zip.ts).
 */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/** Entries between two deadline checks while listing a large central directory. */
const LIST_TIME_CHECK_EVERY = 256;

const ENCRYPTED_FLAG = 0x1;
const STRONG_ENCRYPTION_FLAG = 0x40;
const MASKED_HEADER_FLAG = 0x2000;

export class ZipReader {
  readonly #zip: ZipFile;
  readonly #budget: Budget;
  readonly #raw: Map<ZipEntry, YauzlEntry>;
  readonly #byKey: Map<string, ZipEntry>;
  /** Entries listed, in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** Entries the central directory declares; more than `entries.length` when listing stopped. */
  readonly declaredCount: number;
  /** The archive comment (UTF-8 when valid, else CP949); '' when none. */
  readonly comment: string;
  /**
   * The lowest local-header offset the listed entries reference (the file length when none):
   * bytes before it belong to no entry of this directory. yauzl reads only the last end record,
   * so another zip (joined with `zip -A`) or any other file put in front hides there.
   */
  readonly firstLocalHeader: number;

  private constructor(zip: ZipFile, budget: Budget, raw: Map<ZipEntry, YauzlEntry>, size: number) {
    this.#zip = zip;
    this.#budget = budget;
    this.#raw = raw;
    this.entries = [...raw.keys()];
    this.declaredCount = zip.entryCount;
    const rawComment = zip.comment as unknown as Buffer | string;
    this.comment = typeof rawComment === 'string' ? rawComment : decodeLegacyText(rawComment);
    let first = size;
    for (const yentry of raw.values()) first = Math.min(first, yentry.relativeOffsetOfLocalHeader);
    this.firstLocalHeader = first;
    this.#byKey = new Map();
    for (const entry of this.entries) {
      const key = partKey(entry.path);
      if (!this.#byKey.has(key)) this.#byKey.set(key, entry);
    }
  }

  /**
   * Reads the central directory. Throws EncryptedFile for an encrypted central directory, an
   * Error for anything that is not a readable zip, LimitExceeded when time runs out.
   */
  static async open(bytes: Buffer, budget: Budget): Promise<ZipReader> {
    budget.checkTime();
    const zip = await openBuffer(bytes);
    const maxListed = Math.max(1, budget.limits.maxEntries);
    const raw = new Map<ZipEntry, YauzlEntry>();
    try {
      await listEntries(zip, budget, maxListed, (entry, yentry) => raw.set(entry, yentry));
    } catch (err) {
      zip.close();
      throw hasMaskedLocalHeader(bytes) && !(err instanceof LimitExceeded)
        ? new EncryptedFile('zip central directory is encrypted')
        : err;
    }
    return new ZipReader(zip, budget, raw, bytes.length);
  }

  /** True when the central directory holds more entries than were listed. */
  get listingCut(): boolean {
    return this.declaredCount > this.entries.length;
  }

  /** The entry at `path`, compared case-insensitively (OOXML part names are). */
  find(path: string): ZipEntry | undefined {
    return this.#byKey.get(partKey(path));
  }

  /**
   * Inflates one entry, handing each chunk to `onChunk` as it comes out; resolves with the byte
   * count. An exception from `onChunk` stops reading and rejects with it.
   */
  async stream(
    entry: ZipEntry,
    onChunk: (chunk: Buffer) => void,
    options: ReadOptions = {},
  ): Promise<number> {
    const yentry = this.#raw.get(entry);
    if (yentry === undefined) throw new Error('entry does not belong to this zip');
    if (entry.encrypted) throw new EncryptedFile('zip entry is encrypted');
    if (entry.method !== 0 && entry.method !== 8) throw new UnsupportedMethod(entry.method);
    const budget = this.#budget;
    budget.checkTime();
    budget.takeEntry();
    checkDeclared(entry, budget, options.maxBytes ?? Number.POSITIVE_INFINITY);
    const input = await openStream(this.#zip, yentry);
    return pump(input, entry, budget, options.maxBytes ?? Number.POSITIVE_INFINITY, onChunk);
  }

  /** Inflates one entry into a Buffer, with the guards of `stream`. */
  async read(entry: ZipEntry, options: ReadOptions = {}): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.stream(entry, (chunk) => chunks.push(chunk), options);
    return Buffer.concat(chunks);
  }

  close(): void {
    this.#zip.close();
  }
}

function openBuffer(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      bytes,
      {
        lazyEntries: true,
        decodeStrings: false,
        validateEntrySizes: true,
        autoClose: false,
        strictFileNames: false,
      },
      (err, zip) => {
        if (err || !zip) reject(openError(bytes, err));
        else resolve(zip);
      },
    );
  });
}

function listEntries(
  zip: ZipFile,
  budget: Budget,
  maxListed: number,
  add: (entry: ZipEntry, yentry: YauzlEntry) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let listed = 0;
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      if (err === undefined) resolve();
      else reject(err);
    };
    zip.on('error', (err: unknown) => finish(listingError(err)));
    zip.on('end', () => finish());
    zip.on('entry', (yentry: YauzlEntry) => {
      if (done) return;
      try {
        add(describe(yentry), yentry);
        listed += 1;
        if (listed % LIST_TIME_CHECK_EVERY === 0) budget.checkTime();
      } catch (err) {
        finish(err);
        return;
      }
      if (listed >= maxListed) finish();
      else zip.readEntry();
    });
    zip.readEntry();
  });
}

function describe(yentry: YauzlEntry): ZipEntry {
  // decodeStrings:false hands the raw name bytes over in place of the string the types promise.
  const rawName = yentry.fileName as unknown as Buffer;
  const extraFields = yentry.extraFields as readonly ExtraField[];
  const { name, encoding } = decodeZipName(rawName, yentry.generalPurposeBitFlag, extraFields);
  return {
    path: name,
    nameEncoding: encoding,
    encrypted: (yentry.generalPurposeBitFlag & ENCRYPTED_FLAG) !== 0,
    directory: name.endsWith('/') && yentry.uncompressedSize === 0,
    method: yentry.compressionMethod,
    compressedSize: yentry.compressedSize,
    size: yentry.uncompressedSize,
  };
}

function checkDeclared(entry: ZipEntry, budget: Budget, maxBytes: number): void {
  if (entry.size > maxBytes) {
    throw new EntryLimitExceeded(
      'decompressed',
      `entry declares ${entry.size} bytes, over the ${maxBytes}-byte cap`,
    );
  }
  const maxRatio = budget.limits.maxCompressionRatio;
  if (entry.size > RATIO_FLOOR_BYTES && entry.size > Math.max(entry.compressedSize, 1) * maxRatio) {
    const ratio = Math.round(entry.size / Math.max(entry.compressedSize, 1));
    throw new EntryLimitExceeded('ratio', `compression ratio ${ratio}:1 over the ${maxRatio}:1 limit`);
  }
}

/**
 * Output chunk of the inflater. yauzl's own uses zlib's default of 16 KiB, which made an 8 MB
 * sheet 500 round trips to the thread pool: four times the inflate time, spent waiting.
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;

/**
 * The entry's bytes as a stream: stored entries straight from yauzl, deflated ones through an
 * inflater of our own with larger chunks. yauzl then no longer counts the inflated bytes; `pump`
 * does, both ways (past the declared size at once, short of it at the end).
 */
function openStream(zip: ZipFile, yentry: YauzlEntry): Promise<NodeJS.ReadableStream & { destroy(): void }> {
  const deflated = yentry.compressionMethod === 8;
  return new Promise((resolve, reject) => {
    zip.openReadStream(yentry, deflated ? { decodeFileData: false } : {}, (err, raw) => {
      if (err || !raw) {
        reject(streamError(err, yentry.uncompressedSize));
        return;
      }
      if (!deflated) {
        resolve(raw);
        return;
      }
      const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
      // Either side's error destroys both and reaches `pump` as the inflater's 'error'.
      pipeline(raw, inflater, () => {});
      resolve(inflater);
    });
  });
}

function pump(
  input: NodeJS.ReadableStream & { destroy(): void },
  entry: ZipEntry,
  budget: Budget,
  maxBytes: number,
  onChunk: (chunk: Buffer) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let produced = 0;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      input.destroy();
      reject(err);
    };
    input.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        produced += chunk.length;
        // yauzl checks the declared size too, but only after its own buffering; stop here first.
        if (produced > entry.size) throw overDeclared(entry.size);
        if (produced > maxBytes) {
          throw new EntryLimitExceeded('decompressed', `entry inflates past the ${maxBytes}-byte cap`);
        }
        budget.takeDecompressed(chunk.length);
        budget.checkTime();
        onChunk(chunk);
      } catch (err) {
        fail(err);
      }
    });
    input.on('error', (err: unknown) => fail(streamError(err, entry.size)));
    input.on('end', () => {
      if (settled) return;
      settled = true;
      if (produced < entry.size) reject(new Error('zip entry is shorter than its declared size'));
      else resolve(produced);
    });
  });
}

function overDeclared(size: number): EntryLimitExceeded {
  return new EntryLimitExceeded('decompressed', `entry inflates past its declared size of ${size} bytes`);
}

/** yauzl and zlib messages turned into short, stable reasons; no entry content ever appears. */
function streamError(err: unknown, declaredSize: number): Error {
  if (err instanceof LimitExceeded || err instanceof EncryptedFile) return err;
  const message = errorText(err);
  if (message.includes('too many bytes in the stream')) return overDeclared(declaredSize);
  if (message.includes('not enough bytes in the stream')) {
    return new Error('zip entry is shorter than its declared size');
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new Error(`corrupt compressed data in zip entry (${code})`);
  }
  return new Error(`zip entry unreadable: ${message}`);
}

function listingError(err: unknown): Error {
  if (err instanceof LimitExceeded) return err;
  const message = errorText(err);
  if (message.includes('strong encryption')) return new EncryptedFile('zip uses PKWARE strong encryption');
  return new Error(`zip directory unreadable: ${message}`);
}

function openError(bytes: Buffer, err: unknown): Error {
  if (hasMaskedLocalHeader(bytes)) return new EncryptedFile('zip central directory is encrypted');
  const message = errorText(err);
  if (message.includes('End of central directory record signature not found')) {
    return new Error('not a zip file, or truncated: no end of central directory');
  }
  if (message.includes('Invalid comment length')) {
    return new Error('zip end record does not match the file length: truncated or padded');
  }
  return new Error(`zip unreadable: ${message}`);
}

/**
 * PKWARE central-directory encryption masks the local headers (flag bit 13) and encrypts the
 * directory, so the directory cannot be parsed; the first local header still tells.
 */
function hasMaskedLocalHeader(bytes: Buffer): boolean {
  if (bytes.length < 30 || bytes.readUInt32LE(0) !== 0x04034b50) return false;
  const flags = bytes.readUInt16LE(6);
  return (flags & ENCRYPTED_FLAG) !== 0 && (flags & (MASKED_HEADER_FLAG | STRONG_ENCRYPTION_FLAG)) !== 0;
}

/** First line of an error message, bounded: yauzl messages are short but some carry offsets. */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

const METHOD_NAMES: Readonly<Record<number, string>> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
  99: 'AES',
};

export function methodName(method: number): string {
  return METHOD_NAMES[method] ?? 'unknown';
}
