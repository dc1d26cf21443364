/**
 * Archives: ZIP, TAR and GZIP here, 7z and RAR in seven-zip.ts. An archive has no text of its
 * own (a zip comment aside); its entries are returned as inner files with their decoded paths,
 * and the pipeline types and reads each one a level deeper. Archives inside archives are
 * returned the same way, never opened here, so nesting is counted in one place (the pipeline's
 * maxDepth).
 *
 * Unreadable entries are problems at the entry's path while the other entries are still read:
 * an encrypted zip entry is `encrypted`, a bzip2 or LZMA zip entry `unsupported-format`, a bomb
 * or a lying size `limit-exceeded`. When a limit of the whole message is hit (decompressed
 * bytes, entry count, time), the entries read so far are kept and reading stops.
 */
import { Buffer } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import {
  LimitExceeded,
  type Budget,
  type ExtractContext,
  type ExtractResult,
  type Extractor,
  type FileProblem,
  type InnerFile,
} from './types.js';
import { EntryLimitExceeded, RATIO_FLOOR_BYTES, ZipReader, type ZipEntry } from './zip-reader.js';
import { decodeLegacyName } from './zip-names.js';
import { isTrivialPadding } from '../format-extent.js';
import { entryProblem, shortMessage } from './zip-package.js';

export { sevenZipExtractor } from './seven-zip.js';

export const zipArchiveExtractor: Extractor = {
  kinds: ['zip'],
  extract: readZip,
};

export const tarExtractor: Extractor = {
  kinds: ['tar'],
  extract: readTar,
};

export const gzipExtractor: Extractor = {
  kinds: ['gzip'],
  extract: readGzip,
};

/** Output chunk of the gzip inflater: the budget is charged at least this often. */
const GZIP_CHUNK = 64 * 1024;

// ---- zip -----------------------------------------------------------------------------------

async function readZip(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  const zip = await ZipReader.open(bytes, context.budget);
  try {
    const children: InnerFile[] = [];
    const problems: FileProblem[] = [];
    if (zip.listingCut) {
      problems.push({
        code: 'limit-exceeded',
        where: '',
        detail: `zip lists ${zip.declaredCount} entries; only the first ${zip.entries.length} were looked at`,
      });
    }
    for (const entry of zip.entries) {
      if (entry.directory) continue;
      const outcome = await readZipEntry(zip, entry);
      if ('bytes' in outcome) children.push(outcome);
      else problems.push(outcome.problem);
      if ('stop' in outcome) break;
    }
    // Bytes before the first entry the directory knows: another zip joined in front (`zip -A`),
    // or any file the zip was appended to. A listing cut short does not know its first entry.
    const leading = zip.listingCut ? null : bytes.subarray(0, zip.firstLocalHeader);
    if (leading !== null && !isTrivialPadding(leading)) children.unshift({ path: 'leading', bytes: leading });
    const pieces = zip.comment.trim() === '' ? [] : [{ where: 'comment', text: zip.comment }];
    return { pieces, children, problems };
  } finally {
    zip.close();
  }
}

type EntryOutcome = InnerFile | { problem: FileProblem; stop?: true };

async function readZipEntry(zip: ZipReader, entry: ZipEntry): Promise<EntryOutcome> {
  const { path } = entry;
  if (entry.encrypted) {
    const scheme = entry.method === 99 ? 'AES' : 'ZipCrypto';
    return { problem: { code: 'encrypted', where: '', path, detail: `zip entry is encrypted (${scheme})` } };
  }
  try {
    return { path, bytes: await zip.read(entry) };
  } catch (err) {
    return { problem: entryProblem(err, path), ...(isMessageLimit(err) ? { stop: true as const } : {}) };
  }
}

/** A limit of the whole message, after which no further entry may be read. */
function isMessageLimit(err: unknown): boolean {
  return err instanceof LimitExceeded && !(err instanceof EntryLimitExceeded);
}

// ---- tar -----------------------------------------------------------------------------------

async function readTar(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  const { budget } = context;
  const children: InnerFile[] = [];
  const problems: FileProblem[] = [];
  // latin1 keeps the raw bytes of old-style names, to be decoded like zip names; pax names
  // (UTF-8 by definition) arrive decoded already.
  const options = { filenameEncoding: 'latin1' } as Parameters<typeof tar.extract>[0];
  const extract = tar.extract(options);
  extract.end(bytes);
  try {
    for await (const entry of extract) {
      budget.checkTime();
      const header = entry.header;
      const type = header.type ?? 'file';
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      budget.takeEntry();
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Uint8Array>) {
        budget.takeDecompressed(chunk.length);
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      }
      children.push({ path: tarPath(header), bytes: Buffer.concat(chunks) });
    }
  } catch (err) {
    extract.destroy();
    if (err instanceof LimitExceeded) {
      problems.push({ code: 'limit-exceeded', where: '', detail: err.message });
    } else if (children.length > 0) {
      const detail = `tar is damaged after ${children.length} entries: ${tarReason(err)}`;
      problems.push({ code: 'unreadable', where: '', detail });
    } else {
      throw new Error(`tar unreadable: ${tarReason(err)}`);
    }
  }
  return { pieces: [], children, problems };
}

function tarPath(header: tar.Header): string {
  const pax = (header as { pax?: Record<string, string> }).pax;
  if (pax?.path !== undefined) return pax.path;
  return decodeLegacyName(Buffer.from(header.name, 'latin1')).name;
}

function tarReason(err: unknown): string {
  const message = shortMessage(err);
  if (message.includes('Invalid tar header')) return 'invalid header';
  if (message.includes('Unexpected end of data')) return 'truncated';
  return message;
}

// ---- gzip ----------------------------------------------------------------------------------

async function readGzip(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  const path = gzipInnerName(bytes, context.name);
  const { data, damaged } = await gunzip(bytes, context.budget);
  const problems: FileProblem[] = damaged
    ? [{ code: 'unreadable', where: '', path, detail: 'gzip stream is truncated; the part before was read' }]
    : [];
  return { pieces: [], children: [{ path, bytes: data }], problems };
}

/**
 * Inflates with the budget charged per output chunk and the ratio checked as bytes come out, so
 * a gzip bomb stops at the first limit, not at its end. A stream cut short keeps what came out.
 */
function gunzip(bytes: Buffer, budget: Budget): Promise<{ data: Buffer; damaged: boolean }> {
  const maxRatio = budget.limits.maxCompressionRatio;
  const ratioCap = Math.max(RATIO_FLOOR_BYTES, bytes.length * maxRatio);
  return new Promise((resolve, reject) => {
    const inflater = createGunzip({ chunkSize: GZIP_CHUNK });
    const chunks: Buffer[] = [];
    let produced = 0;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
    };
    inflater.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        produced += chunk.length;
        if (produced > ratioCap) {
          throw new LimitExceeded('ratio', `gzip inflates past the ${maxRatio}:1 compression ratio`);
        }
        budget.takeDecompressed(chunk.length);
        budget.checkTime();
        chunks.push(chunk);
      } catch (err) {
        inflater.destroy();
        settle(() => reject(err));
      }
    });
    inflater.on('error', (err: Error & { code?: string }) => {
      if (produced > 0 && (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR')) {
        settle(() => resolve({ data: Buffer.concat(chunks), damaged: true }));
      } else {
        settle(() => reject(new Error(`not a readable gzip stream (${err.code ?? 'error'})`)));
      }
    });
    inflater.on('end', () => settle(() => resolve({ data: Buffer.concat(chunks), damaged: false })));
    inflater.end(bytes);
  });
}

/** The attachment's name without `.gz` (`.tgz` → `.tar`), else the name stored in the header, else `data`. */
function gzipInnerName(bytes: Buffer, name: string | null): string {
  if (name !== null) {
    const base = name.replace(/\.t(?:ar\.)?gz$/i, '.tar').replace(/\.(?:gz|gzip)$/i, '');
    if (base !== '' && base !== name) return base;
  }
  return storedGzipName(bytes) ?? 'data';
}

/** FNAME of the gzip header (RFC 1952 §2.3), when present. */
function storedGzipName(bytes: Buffer): string | null {
  if (bytes.length < 10) return null;
  const flags = bytes[3] ?? 0;
  if ((flags & 0x08) === 0) return null;
  let at = 10;
  if ((flags & 0x04) !== 0) at += 2 + bytes.readUInt16LE(Math.min(at, bytes.length - 2));
  const end = bytes.indexOf(0, at);
  if (end <= at || end - at > 1024) return null;
  const stored = decodeLegacyName(bytes.subarray(at, end)).name;
  return stored.split('/').pop() || null;
}
