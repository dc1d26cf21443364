/**
 * The second look sniff.ts takes inside the two container formats whose magic bytes say little:
 * an OLE compound file is Word, Excel, PowerPoint, HWP 5 or encrypted OOXML by its streams; a
 * zip is OOXML, ODF or HWPX by its entries and its `mimetype` entry.
 *
 * Both looks are cheap on purpose (they run on every attachment): the OLE look reads the
 * directory only (cfb-directory.ts); the zip look reads the central directory and inflates at
 * most the tiny `mimetype` entry. A container these looks cannot read is still a container:
 * `cfb` or `zip`, left to the extractor to report unreadable.
 */
import { Buffer } from 'node:buffer';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { CfbFormatError, readCfbDirectory } from './cfb-directory.js';
import type { FileKind } from './formats/types.js';

export interface ContainerKind {
  readonly kind: FileKind;
  readonly evidence: string;
}

const HWP_SIGNATURE = 'HWP Document File';

/** Root streams that decide an OLE file's kind, in the order they are tried. */
const OLE_STREAMS: ReadonlyArray<{ stream: string; kind: FileKind }> = [
  { stream: 'WordDocument', kind: 'doc' },
  { stream: 'Workbook', kind: 'xls' },
  { stream: 'Book', kind: 'xls' },
  { stream: 'PowerPoint Document', kind: 'ppt' },
];

export function sniffOle(bytes: Buffer): ContainerKind {
  let names: Set<string>;
  let directory: ReturnType<typeof readCfbDirectory>;
  try {
    directory = readCfbDirectory(bytes);
    names = new Set(directory.rootNames.map((n) => n.toLowerCase()));
  } catch (err) {
    if (!(err instanceof CfbFormatError)) throw err;
    return { kind: 'cfb', evidence: 'OLE signature, unreadable directory' };
  }
  if (names.has('encryptioninfo') && names.has('encryptedpackage')) {
    return { kind: 'office-encrypted', evidence: 'OLE streams EncryptionInfo and EncryptedPackage' };
  }
  if (names.has('fileheader')) {
    try {
      const head = directory.streamHead('FileHeader', HWP_SIGNATURE.length);
      if (head !== null && head.toString('latin1') === HWP_SIGNATURE) {
        return { kind: 'hwp', evidence: 'OLE stream FileHeader "HWP Document File"' };
      }
    } catch (err) {
      if (!(err instanceof CfbFormatError)) throw err;
    }
  }
  for (const { stream, kind } of OLE_STREAMS) {
    if (names.has(stream.toLowerCase())) return { kind, evidence: `OLE stream ${stream}` };
  }
  return { kind: 'cfb', evidence: 'OLE compound file of no known kind' };
}

/** Largest `mimetype` entry read, packed or not. */
const MAX_MIMETYPE_BYTES = 1024;
/**
 * Central-directory entries looked at (yauzl lists about 50 a millisecond). The entries that
 * decide come first in the files of every producer seen; past this many the kind is decided on
 * what was seen, rather than spend time listing a large archive only to type it.
 */
const MAX_ENTRIES_LOOKED = 1000;

const MIMETYPE_KINDS: ReadonlyMap<string, FileKind> = new Map([
  ['application/hwp+zip', 'hwpx'],
  ['application/vnd.oasis.opendocument.text', 'odt'],
  ['application/vnd.oasis.opendocument.text-template', 'odt'],
  ['application/vnd.oasis.opendocument.text-master', 'odt'],
  ['application/vnd.oasis.opendocument.spreadsheet', 'ods'],
  ['application/vnd.oasis.opendocument.spreadsheet-template', 'ods'],
  ['application/vnd.oasis.opendocument.presentation', 'odp'],
  ['application/vnd.oasis.opendocument.presentation-template', 'odp'],
]);

/** OOXML main-part folders, with `[Content_Types].xml` beside them. */
const OOXML_FOLDERS: ReadonlyArray<{ prefix: string; main: string; kind: FileKind }> = [
  { prefix: 'word/', main: 'word/document.xml', kind: 'docx' },
  { prefix: 'xl/', main: 'xl/workbook.xml', kind: 'xlsx' },
  { prefix: 'ppt/', main: 'ppt/presentation.xml', kind: 'pptx' },
];

interface ZipListing {
  mimetype: string | null;
  contentTypes: boolean;
  names: Set<string>;
  /** Top-level folders seen, with their `/`. */
  folders: Set<string>;
}

function decide(listing: ZipListing): ContainerKind {
  const { mimetype } = listing;
  if (mimetype !== null) {
    const kind = MIMETYPE_KINDS.get(mimetype);
    if (kind !== undefined) return { kind, evidence: `zip entry mimetype ${mimetype}` };
  }
  if (listing.contentTypes) {
    for (const { main, kind } of OOXML_FOLDERS) {
      if (listing.names.has(main)) return { kind, evidence: `zip entries [Content_Types].xml and ${main}` };
    }
    for (const { prefix, kind } of OOXML_FOLDERS) {
      if (listing.folders.has(prefix)) return { kind, evidence: `zip entries [Content_Types].xml and ${prefix}` };
    }
  }
  // An HWPX package that lost its mimetype entry still has its sections.
  if (listing.names.has('contents/content.hpf') || listing.names.has('contents/section0.xml')) {
    return { kind: 'hwpx', evidence: 'zip entries Contents/section*.xml' };
  }
  // An unknown mimetype is not quoted: it is sender-controlled text and ends up in problem details.
  const evidence = mimetype === null ? 'zip central directory' : 'zip with an unknown mimetype entry';
  return { kind: 'zip', evidence };
}

/** True once the listing can only give one answer, so the rest of the directory is skipped. */
function decided(listing: ZipListing): boolean {
  if (listing.mimetype !== null && MIMETYPE_KINDS.has(listing.mimetype)) return true;
  return listing.contentTypes && OOXML_FOLDERS.some(({ main }) => listing.names.has(main));
}

function readMimetype(zip: ZipFile, entry: Entry): Promise<string | null> {
  const readable =
    !entry.isEncrypted() &&
    (entry.compressionMethod === 0 || entry.compressionMethod === 8) &&
    entry.uncompressedSize <= MAX_MIMETYPE_BYTES &&
    entry.compressedSize <= MAX_MIMETYPE_BYTES;
  if (!readable) return Promise.resolve(null);
  return new Promise((resolve) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        resolve(null);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_MIMETYPE_BYTES) stream.destroy();
        else chunks.push(chunk);
      });
      stream.on('error', () => resolve(null));
      stream.on('close', () => {
        resolve(size > MAX_MIMETYPE_BYTES ? null : Buffer.concat(chunks).toString('latin1').trim());
      });
    });
  });
}

function listZip(zip: ZipFile): Promise<ZipListing> {
  const listing: ZipListing = { mimetype: null, contentTypes: false, names: new Set(), folders: new Set() };
  return new Promise((resolve) => {
    let looked = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      zip.close();
      resolve(listing);
    };
    zip.on('error', finish);
    zip.on('end', finish);
    zip.on('entry', (entry: Entry) => {
      looked += 1;
      const name = entry.fileName.replace(/\\/g, '/');
      const lower = name.toLowerCase();
      listing.names.add(lower);
      const slash = lower.indexOf('/');
      if (slash > 0) listing.folders.add(lower.slice(0, slash + 1));
      if (lower === '[content_types].xml') listing.contentTypes = true;
      const next = (): void => {
        if (done) return;
        if (decided(listing) || looked >= MAX_ENTRIES_LOOKED) finish();
        else zip.readEntry();
      };
      if (name === 'mimetype' && listing.mimetype === null) {
        void readMimetype(zip, entry).then((mimetype) => {
          listing.mimetype = mimetype;
          next();
        });
      } else {
        next();
      }
    });
    zip.readEntry();
  });
}

export async function sniffZip(bytes: Buffer): Promise<ContainerKind> {
  const zip = await new Promise<ZipFile | null>((resolve) => {
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, opened) => resolve(err ? null : opened),
    );
  });
  if (zip === null) return { kind: 'zip', evidence: 'zip signature, unreadable central directory' };
  return decide(await listZip(zip));
}
