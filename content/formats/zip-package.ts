/**
 * Reading a zip-packaged document (OOXML, ODF, HWPX) part by part, with one rule for failures:
 * a part that cannot be read becomes a problem at its place and the other parts are still read;
 * a limit of the whole message (time, decompressed bytes, entries) stops the reading and is
 * reported once, with everything read so far kept. Only the caller decides that a part is
 * essential, by letting `part` throw (`required`).
 *
 * Nothing in a package goes unseen: every entry the extractor did not read as a part comes back
 * as an inner file (`leftovers`), pictures for OCR, embedded documents, and anything else put in
 * the zip (a CSV next to word/document.xml), except the structural parts that hold no document
 * text (relationships, styles, themes, settings, the manifest). A structural XML part is exempt
 * only while it is XML: one whose bytes do not start (after a BOM and blanks) with `<` is returned
 * like any other entry, and so is any part that fails to parse because it is no XML at all.
 *
 * Known gaps: fonts (`word/fonts/*.odttf`, obfuscated TrueType) and printer settings
 * (`printerSettings*.bin`, a Windows DEVMODE) stay exempt by name, as neither can be told from
 * other bytes cheaply; whatever is hidden under those names is not read.
 *
 * Also here: the encryption check ODF and HWPX share (META-INF/manifest.xml).
 */
import type { Buffer } from 'node:buffer';
import { EncryptedFile, LimitExceeded, type Budget, type FileProblem, type InnerFile } from './types.js';
import { XmlWalker, type XmlVisitor } from './xml-walk.js';
import { EntryLimitExceeded, UnsupportedMethod, ZipReader, type ZipEntry } from './zip-reader.js';
import { partKey } from './zip-names.js';
import { looksLikeEmf } from './emf.js';

/**
 * Inner files returned per call of `embedded` or `leftovers`; a deck of 500 slide images is not
 * OCR'd image by image.
 */
const MAX_EMBEDDED_FILES = 64;

/**
 * Largest embedded file returned, 32 MiB: a 40-megapixel photo as JPEG is 10-20 MB, and the
 * OCR pixel limit refuses anything larger anyway.
 */
const MAX_EMBEDDED_BYTES = 32 * 1024 * 1024;

/**
 * Parts that shape a document but hold none of its text, by name (case-insensitive): package
 * bookkeeping, style sheets, themes, settings, fonts, printer set-up. Matched on the whole path
 * so that only the places the formats put them qualify.
 */
const STRUCTURAL: readonly RegExp[] = [
  /^\[content_types\]\.xml$/,
  /(^|\/)_rels\/[^/]*\.rels$/,
  /^mimetype$/,
  /^meta-inf\/(manifest\.xml|container\.xml|container\.rdf|manifest\.rdf)$/,
  /^manifest\.rdf$/,
  /^docprops\/app\.xml$/,
  /^(word|xl|ppt)\/(styles|styleswitheffects|settings|websettings|fonttable|numbering)\.xml$/,
  /^(xl\/calcchain|ppt\/presprops|ppt\/viewprops|ppt\/tablestyles)\.xml$/,
  /^(word|xl|ppt)\/(theme|printersettings|fonts)\/[^/]+$/,
  /^(object \d+\/)?(styles|settings)\.xml$/,
  /^contents\/header\.xml$/,
  /^(version|settings)\.xml$/,
];

/** Structural parts that must be XML, checked by content; the others (fonts, printer set-up,
 * `mimetype`) are exempt by name alone. */
const XML_NAMED = /\.(xml|rels|rdf)$|^(word|xl|ppt)\/theme\//;

/**
 * Pictures of what the parts hold (the first page, an embedded object as last drawn): dropped
 * when their bytes are the picture they claim to be, returned like any other entry when not.
 */
const RENDERED_COPIES: readonly RegExp[] = [
  /^docprops\/thumbnail\.[a-z]+$/,
  /^thumbnails\/thumbnail\.png$/,
  /^preview\/prvimage\.[a-z]+$/,
  /^objectreplacements\/[^/]+$/,
];

export interface PartOptions {
  /** Let any failure of this part throw: the document is unreadable without it. */
  readonly required?: boolean;
}

export class PackageReading {
  readonly zip: ZipReader;
  readonly budget: Budget;
  readonly problems: FileProblem[] = [];
  /** Set once a message-wide limit stopped the reading. */
  stopped = false;
  /** Entries read as parts or returned as inner files: what `leftovers` leaves out. */
  readonly #consumed = new Set<ZipEntry>();

  constructor(zip: ZipReader, budget: Budget) {
    this.zip = zip;
    this.budget = budget;
    if (zip.listingCut) {
      const listed = zip.entries.length;
      const detail = `package lists ${zip.declaredCount} entries; only the first ${listed} were looked at`;
      this.problems.push({ code: 'limit-exceeded', where: '', detail });
    }
  }

  static async open(bytes: Buffer, budget: Budget): Promise<PackageReading> {
    return new PackageReading(await ZipReader.open(bytes, budget), budget);
  }

  has(path: string): boolean {
    return this.zip.find(path) !== undefined;
  }

  /** Marks the entry at `path` as read by other means, or as a copy of what was read. */
  consume(path: string): void {
    const entry = this.zip.find(path);
    if (entry !== undefined) this.#consumed.add(entry);
  }

  /**
   * Streams the XML part at `path` through `visitor`. True when read to the end; false when it
   * is missing or failed (the failure is then a problem at `where`, unless `required`).
   */
  async part(path: string, where: string, visitor: XmlVisitor, options: PartOptions = {}): Promise<boolean> {
    if (this.stopped) return false;
    const entry = this.zip.find(path);
    if (entry === undefined) {
      if (options.required) throw new Error(`package part missing: ${path}`);
      return false;
    }
    this.#consumed.add(entry);
    let head = null as Buffer | null;
    try {
      const walker = new XmlWalker(visitor);
      await this.zip.stream(entry, (chunk) => {
        head ??= chunk;
        walker.write(chunk);
      });
      walker.end();
      return true;
    } catch (err) {
      if (options.required) throw err;
      if (head !== null && !looksLikeXml(head) && !(err instanceof LimitExceeded)) {
        // Not XML under an XML part's name: returned as an inner file by `leftovers`.
        this.#consumed.delete(entry);
        return false;
      }
      this.failure(err, where);
      return false;
    }
  }

  /** Records why a part (at a place in the document, `where`) was not read. */
  failure(err: unknown, where: string): void {
    if (err instanceof EntryLimitExceeded) {
      this.problems.push({ code: 'limit-exceeded', where, detail: err.message });
    } else if (err instanceof LimitExceeded) {
      this.problems.push({ code: 'limit-exceeded', where, detail: err.message });
      this.stopped = true;
    } else if (err instanceof EncryptedFile) {
      this.problems.push({ code: 'encrypted', where, detail: err.message });
    } else {
      this.problems.push({ code: 'unreadable', where, detail: shortMessage(err) });
    }
  }

  /** Every file under `folders` (e.g. `word/media/`) not read yet, in path order, as inner files. */
  async embedded(folders: readonly string[]): Promise<InnerFile[]> {
    const prefixes = folders.map((folder) => partKey(folder));
    return this.#innerFiles((e) => prefixes.some((p) => partKey(e.path).startsWith(p)));
  }

  /**
   * Every entry no part read and `embedded` did not return, in path order, as inner files:
   * whatever else the zip holds is read in its turn, not ignored. Structural parts are left out,
   * and so are thumbnails that are pictures.
   */
  async leftovers(): Promise<InnerFile[]> {
    return this.#innerFiles(() => true);
  }

  async #innerFiles(wanted: (entry: ZipEntry) => boolean): Promise<InnerFile[]> {
    const entries = this.zip.entries
      .filter((e) => !e.directory && !this.#consumed.has(e) && wanted(e))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const entry of entries) this.#consumed.add(entry);
    const files: InnerFile[] = [];
    for (const [index, entry] of entries.entries()) {
      if (this.stopped) break;
      if (files.length >= MAX_EMBEDDED_FILES) {
        const left = entries.length - index;
        const detail = `more than ${MAX_EMBEDDED_FILES} embedded files; ${left} were not read`;
        this.problems.push({ code: 'limit-exceeded', where: '', path: entry.path, detail });
        break;
      }
      const structural = STRUCTURAL.some((pattern) => pattern.test(partKey(entry.path)));
      if (structural && !XML_NAMED.test(partKey(entry.path))) continue;
      const bytes = await this.#readEntry(entry);
      if (bytes === null) continue;
      if (structural && looksLikeXml(bytes)) continue;
      const copy = RENDERED_COPIES.some((pattern) => pattern.test(partKey(entry.path)));
      if (looksLikeEmf(bytes)) {
        // The text an EMF draws is read by emf.ts; a copy of what the parts hold is dropped.
        if (!copy) files.push({ path: entry.path, bytes });
      } else if (isMetafile(bytes)) {
        // WMF/SVM drawings, and EMF headers without the signature: no reader here, and no OCR
        // of vector commands.
        const detail = 'vector drawing (EMF/WMF) not read';
        if (!copy) this.problems.push({ code: 'unsupported-format', where: '', path: entry.path, detail });
      } else if (!(copy && isRasterImage(bytes))) {
        files.push({ path: entry.path, bytes });
      }
    }
    return files;
  }

  async #readEntry(entry: ZipEntry): Promise<Buffer | null> {
    try {
      return await this.zip.read(entry, { maxBytes: MAX_EMBEDDED_BYTES });
    } catch (err) {
      this.problems.push(entryProblem(err, entry.path));
      if (err instanceof LimitExceeded && !(err instanceof EntryLimitExceeded)) this.stopped = true;
      return null;
    }
  }

  close(): void {
    this.zip.close();
  }
}

/**
 * ODF and HWPX list every encrypted part in META-INF/manifest.xml with an `encryption-data`
 * element (`manifest:` in ODF, `odf:` in HWPX); its presence means the content is ciphertext.
 */
export async function manifestDeclaresEncryption(reading: PackageReading): Promise<boolean> {
  let encrypted = false;
  await reading.part('META-INF/manifest.xml', 'manifest', {
    open(local) {
      if (local === 'encryption-data') encrypted = true;
    },
    close() {},
    text() {},
  });
  return encrypted;
}

/** True when `bytes` start, after a byte-order mark and blanks, with `<` (UTF-8 or UTF-16). */
export function looksLikeXml(bytes: Buffer): boolean {
  let i = 0;
  let step = 1;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [i, step] = [2, 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [i, step] = [3, 2];
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) {
    i += step;
  }
  return i >= bytes.length || bytes[i] === 0x3c;
}

const RASTER_SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x42, 0x4d], // BMP
  [0x49, 0x49, 0x2a, 0x00], // TIFF, little-endian
  [0x4d, 0x4d, 0x00, 0x2a], // TIFF, big-endian
];

/**
 * EMF (a first record of type 1, EMR_HEADER, of at least its 88 bytes), WMF (placeable, or a
 * memory/disk metafile header), SVM (`VCLMTF`).
 */
function isMetafile(bytes: Buffer): boolean {
  const emf = bytes.length >= 8 && bytes.readUInt32LE(0) === 1 && bytes.readUInt32LE(4) >= 88;
  const placeable = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x9ac6cdd7;
  const svm = bytes.length >= 6 && bytes.toString('latin1', 0, 6) === 'VCLMTF';
  if (emf || placeable || svm) return true;
  // A WMF without the placeable header: type 1 or 2, a 9-word header, version 1 or 3.
  if (bytes.length < 18) return false;
  const type = bytes.readUInt16LE(0);
  const version = bytes.readUInt16LE(4);
  const headerWords = bytes.readUInt16LE(2);
  return (type === 1 || type === 2) && headerWords === 9 && (version === 0x100 || version === 0x300);
}

export function isRasterImage(bytes: Buffer): boolean {
  const webp = bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF';
  if (webp && bytes.toString('latin1', 8, 12) === 'WEBP') return true;
  return RASTER_SIGNATURES.some((sig) => sig.length <= bytes.length && sig.every((b, i) => bytes[i] === b));
}

/** Why the inner file at `path` was not read: a problem placed where its text would have been. */
export function entryProblem(err: unknown, path: string): FileProblem {
  const at = { where: '', path };
  if (err instanceof LimitExceeded) return { code: 'limit-exceeded', ...at, detail: err.message };
  if (err instanceof EncryptedFile) return { code: 'encrypted', ...at, detail: err.message };
  if (err instanceof UnsupportedMethod) {
    return { code: 'unsupported-format', ...at, detail: `zip ${err.message}` };
  }
  return { code: 'unreadable', ...at, detail: shortMessage(err) };
}

export function shortMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
