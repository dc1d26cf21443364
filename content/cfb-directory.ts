/**
 * The directory of an OLE compound file (MS-CFB), read without reading the file: the names of
 * the root storage's children and the first bytes of one of its streams. That is all content
 * sniffing needs to tell Word, Excel, PowerPoint, HWP 5 and encrypted OOXML apart.
 *
 * Why not the `cfb` package here: `CFB.read` assembles every stream of the file into memory
 * (about 35 ms and a full copy for a 20 MB document), and sniffing runs on every attachment.
 * This reader touches the header, the FAT sectors on the directory's chain and the directory
 * itself. The extractors, which need the streams' contents anyway, use `cfb`.
 *
 * Only the root's direct children count: an Outlook .msg that carries a Word attachment has a
 * `WordDocument` stream too, one storage down, and is not a Word file.
 *
 * Every chain walk is bounded by the number of sectors in the file, so a cyclic or lying FAT
 * ends in a CfbFormatError, never in a loop.
 */
import { Buffer } from 'node:buffer';

export const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Thrown for a compound file whose header, FAT or directory cannot be followed. */
export class CfbFormatError extends Error {
  override readonly name = 'CfbFormatError';
}

export interface CfbDirectory {
  /** Names of the streams and storages directly under the root, as stored (case kept). */
  readonly rootNames: readonly string[];
  /**
   * Up to `length` first bytes of the root-level stream `name` (matched ignoring case), or null
   * when there is no such stream.
   */
  streamHead(name: string, length: number): Buffer | null;
  /**
   * Throws CfbFormatError unless everything a whole-file reader walks to get the root-level
   * streams `names` ends cleanly: the FAT and DIFAT within the file, the MiniFAT, mini stream and
   * directory chains, the directory tree, and each named stream's chain (absent ones are
   * skipped). Clean means every chain ends at end-of-chain without revisiting a sector, stays
   * inside the file, and is long enough for the size its entry claims. Libraries such as
   * word-extractor follow chains without a bound and allocate as they go, so a looping chain
   * would run the process out of memory; this is asked first.
   */
  checkStreams(names: readonly string[]): void;
}

const HEADER_SIZE = 512;
const DIR_ENTRY_SIZE = 128;
/** Sector numbers from here up are markers (end of chain, free, FAT, DIFAT), not sectors. */
const MAX_REGULAR_SECTOR = 0xfffffffa;
const NO_STREAM = 0xffffffff;
const HEADER_DIFAT_ENTRIES = 109;

const TYPE_STORAGE = 1;
const TYPE_STREAM = 2;
const TYPE_ROOT = 5;

interface DirEntry {
  readonly name: string;
  readonly type: number;
  readonly left: number;
  readonly right: number;
  readonly child: number;
  readonly start: number;
  readonly size: number;
}

class Reader {
  readonly sectorSize: number;
  readonly miniSectorSize: number;
  readonly miniCutoff: number;
  /** Sectors that can exist in a file of this length: the bound of every chain walk. */
  readonly sectorCount: number;
  readonly #fatSectors: number[];
  readonly #dirChain: number[];

  constructor(readonly bytes: Buffer) {
    if (bytes.length < HEADER_SIZE || !bytes.subarray(0, 8).equals(CFB_SIGNATURE)) {
      throw new CfbFormatError('not an OLE compound file');
    }
    const sectorShift = bytes.readUInt16LE(0x1e);
    const miniShift = bytes.readUInt16LE(0x20);
    if (sectorShift !== 9 && sectorShift !== 12) throw new CfbFormatError('bad sector size');
    if (miniShift >= sectorShift) throw new CfbFormatError('bad mini sector size');
    this.sectorSize = 1 << sectorShift;
    this.miniSectorSize = 1 << miniShift;
    this.miniCutoff = bytes.readUInt32LE(0x38);
    this.sectorCount = Math.max(0, Math.ceil(bytes.length / this.sectorSize) - 1);
    this.#fatSectors = this.#readDifat();
    this.#dirChain = this.chain(bytes.readUInt32LE(0x30));
  }

  /** Sector numbers of the FAT, from the header and then the DIFAT chain. */
  #readDifat(): number[] {
    const { bytes } = this;
    const fatCount = Math.min(bytes.readUInt32LE(0x2c), this.sectorCount);
    const sectors: number[] = [];
    for (let i = 0; i < HEADER_DIFAT_ENTRIES && sectors.length < fatCount; i += 1) {
      sectors.push(bytes.readUInt32LE(0x4c + i * 4));
    }
    let difat = bytes.readUInt32LE(0x44);
    const perSector = this.sectorSize / 4 - 1;
    for (let walked = 0; sectors.length < fatCount && difat < MAX_REGULAR_SECTOR; walked += 1) {
      if (walked > this.sectorCount) throw new CfbFormatError('DIFAT chain loops');
      const at = this.offset(difat);
      for (let i = 0; i < perSector && sectors.length < fatCount; i += 1) {
        sectors.push(bytes.readUInt32LE(at + i * 4));
      }
      difat = bytes.readUInt32LE(at + perSector * 4);
    }
    return sectors;
  }

  offset(sector: number): number {
    const at = (sector + 1) * this.sectorSize;
    // The last sector of a file may be short; one that starts past the end does not exist.
    if (sector >= MAX_REGULAR_SECTOR || at >= this.bytes.length) throw new CfbFormatError('sector out of range');
    return at;
  }

  next(sector: number): number {
    const perSector = this.sectorSize / 4;
    const fatSector = this.#fatSectors[Math.floor(sector / perSector)];
    if (fatSector === undefined) throw new CfbFormatError('sector beyond the FAT');
    const at = this.offset(fatSector) + (sector % perSector) * 4;
    if (at + 4 > this.bytes.length) throw new CfbFormatError('FAT sector truncated');
    return this.bytes.readUInt32LE(at);
  }

  /** The sectors of a chain, in order; `limit` stops early once that many are known. */
  chain(start: number, limit = Number.POSITIVE_INFINITY): number[] {
    const sectors: number[] = [];
    for (let sector = start; sector < MAX_REGULAR_SECTOR && sectors.length < limit; sector = this.next(sector)) {
      if (sectors.length > this.sectorCount) throw new CfbFormatError('sector chain loops');
      sectors.push(sector);
    }
    return sectors;
  }

  entry(index: number): DirEntry | null {
    const perSector = this.sectorSize / DIR_ENTRY_SIZE;
    const sector = this.#dirChain[Math.floor(index / perSector)];
    if (sector === undefined) return null;
    const at = this.offset(sector) + (index % perSector) * DIR_ENTRY_SIZE;
    if (at + DIR_ENTRY_SIZE > this.bytes.length) return null;
    const { bytes } = this;
    const nameBytes = Math.min(bytes.readUInt16LE(at + 0x40), 64);
    const name = bytes.toString('utf16le', at, at + Math.max(0, nameBytes - 2));
    return {
      name,
      type: bytes[at + 0x42] ?? 0,
      left: bytes.readUInt32LE(at + 0x44),
      right: bytes.readUInt32LE(at + 0x48),
      child: bytes.readUInt32LE(at + 0x4c),
      start: bytes.readUInt32LE(at + 0x74),
      size: bytes.readUInt32LE(at + 0x78),
    };
  }

  /**
   * A whole chain, strictly: each sector visited once, inside the file (below `capacity`), and at least `minLength` long. `next` reads the table (FAT or MiniFAT) the chain lives in.
   */
  #strictChain(start: number, capacity: number, minLength: number, next: (s: number) => number, what: string): number {
    const seen = new Set<number>();
    let sector = start;
    // Any marker ends a chain (end-of-chain, or free as some writers leave it), as readers take it.
    while (sector < MAX_REGULAR_SECTOR) {
      if (sector >= capacity) throw new CfbFormatError(`${what} chain leaves the file`);
      if (seen.has(sector)) throw new CfbFormatError(`${what} chain loops`);
      seen.add(sector);
      sector = next(sector);
    }
    if (seen.size < minLength) throw new CfbFormatError(`${what} chain shorter than its size`);
    return seen.size;
  }

  /** Every directory entry of the directory chain, in index order. */
  #allEntries(): DirEntry[] {
    const perSector = this.sectorSize / DIR_ENTRY_SIZE;
    const entries: DirEntry[] = [];
    for (let index = 0; index < this.#dirChain.length * perSector; index += 1) {
      const entry = this.entry(index);
      if (entry === null) break;
      entries.push(entry);
    }
    return entries;
  }

  checkStreams(names: readonly string[]): void {
    const { bytes } = this;
    if (bytes.readUInt32LE(0x2c) > this.sectorCount) throw new CfbFormatError('FAT larger than the file');
    if (bytes.readUInt32LE(0x48) > this.sectorCount) throw new CfbFormatError('DIFAT larger than the file');
    for (const fatSector of this.#fatSectors) this.offset(fatSector);
    const fatNext = (sector: number): number => this.next(sector);

    // The directory: its chain, and a tree in which no entry is reached twice (a library that
    // walks it recursively would otherwise loop, or take exponential time on shared subtrees).
    this.#strictChain(bytes.readUInt32LE(0x30), this.sectorCount, 1, fatNext, 'directory');
    const entries = this.#allEntries();
    const root = entries[0];
    if (root === undefined || root.type !== TYPE_ROOT) throw new CfbFormatError('no root entry');
    if (entries.findIndex((e) => e.type === TYPE_ROOT) !== 0) throw new CfbFormatError('misplaced root entry');
    const reached = new Set<number>([0]);
    const pending = [root.child];
    while (pending.length > 0) {
      const index = pending.pop() as number;
      if (index === NO_STREAM) continue;
      const entry = entries[index];
      if (entry === undefined) throw new CfbFormatError('directory link out of range');
      if (reached.has(index)) throw new CfbFormatError('directory tree loops');
      reached.add(index);
      pending.push(entry.left, entry.right);
      if (entry.type === TYPE_STORAGE) pending.push(entry.child);
    }

    // The MiniFAT and the mini stream (the root entry's chain), which small streams live in.
    const miniFatSectors = bytes.readUInt32LE(0x40);
    const miniFatStart = bytes.readUInt32LE(0x3c);
    const miniFatLength = this.#strictChain(miniFatStart, this.sectorCount, 0, fatNext, 'MiniFAT');
    if (miniFatLength !== miniFatSectors) throw new CfbFormatError('MiniFAT length disagrees with the header');
    const miniStreamSectors = this.#strictChain(
      root.start,
      this.sectorCount,
      Math.ceil(root.size / this.sectorSize),
      fatNext,
      'mini stream',
    );
    const miniFat = this.chain(miniFatStart);
    const perFatSector = this.sectorSize / 4;
    const miniNext = (mini: number): number => {
      const fatSector = miniFat[Math.floor(mini / perFatSector)];
      if (fatSector === undefined) throw new CfbFormatError('mini sector beyond the MiniFAT');
      return bytes.readUInt32LE(this.offset(fatSector) + (mini % perFatSector) * 4);
    };
    const miniCapacity = (miniStreamSectors * this.sectorSize) / this.miniSectorSize;

    const wanted = new Set(names.map((n) => n.toLowerCase()));
    for (const child of this.rootChildren()) {
      if (child.type !== TYPE_STREAM || !wanted.has(child.name.toLowerCase())) continue;
      if (child.size < this.miniCutoff) {
        // An empty stream's start is often a placeholder; it is walked only when it could loop.
        if (child.size === 0 && child.start >= miniCapacity) continue;
        const length = Math.ceil(child.size / this.miniSectorSize);
        this.#strictChain(child.start, miniCapacity, length, miniNext, `${child.name} mini`);
      } else {
        this.#strictChain(child.start, this.sectorCount, Math.ceil(child.size / this.sectorSize), fatNext, child.name);
      }
    }
  }

  /** The root's direct children: an in-order walk of its red-black tree, without recursion. */
  rootChildren(): DirEntry[] {
    const root = this.entry(0);
    if (root === null) throw new CfbFormatError('no root entry');
    const children: DirEntry[] = [];
    const seen = new Set<number>();
    const pending = [root.child];
    while (pending.length > 0) {
      const index = pending.pop() as number;
      if (index === NO_STREAM || seen.has(index)) continue;
      seen.add(index);
      const entry = this.entry(index);
      if (entry === null) continue;
      if (entry.type === TYPE_STORAGE || entry.type === TYPE_STREAM) children.push(entry);
      pending.push(entry.left, entry.right);
    }
    return children;
  }

  /** First bytes of a stream, from the mini stream when it is small. */
  head(entry: DirEntry, length: number): Buffer {
    const wanted = Math.min(length, entry.size);
    if (entry.size < this.miniCutoff) return this.#miniHead(entry, wanted);
    const out: Buffer[] = [];
    let got = 0;
    for (const sector of this.chain(entry.start, Math.ceil(wanted / this.sectorSize))) {
      const at = this.offset(sector);
      const piece = this.bytes.subarray(at, Math.min(at + this.sectorSize, at + wanted - got));
      out.push(piece);
      got += piece.length;
    }
    return Buffer.concat(out);
  }

  #miniHead(entry: DirEntry, wanted: number): Buffer {
    const root = this.entry(0);
    if (root === null) throw new CfbFormatError('no root entry');
    const miniFat = this.chain(this.bytes.readUInt32LE(0x3c));
    const perFatSector = this.sectorSize / 4;
    const out: Buffer[] = [];
    let got = 0;
    let mini = entry.start;
    for (let walked = 0; got < wanted && mini < MAX_REGULAR_SECTOR; walked += 1) {
      if (walked > miniFat.length * perFatSector) throw new CfbFormatError('mini chain loops');
      const byteInMiniStream = mini * this.miniSectorSize;
      const hop = Math.floor(byteInMiniStream / this.sectorSize);
      const sector = this.chain(root.start, hop + 1)[hop];
      if (sector === undefined) throw new CfbFormatError('mini stream too short');
      const at = this.offset(sector) + (byteInMiniStream % this.sectorSize);
      const piece = this.bytes.subarray(at, Math.min(at + this.miniSectorSize, at + wanted - got));
      out.push(piece);
      got += piece.length;
      const fatSector = miniFat[Math.floor(mini / perFatSector)];
      if (fatSector === undefined) break;
      mini = this.bytes.readUInt32LE(this.offset(fatSector) + (mini % perFatSector) * 4);
    }
    return Buffer.concat(out);
  }
}

/** Reads the directory of an OLE compound file; throws CfbFormatError when it cannot. */
export function readCfbDirectory(bytes: Buffer): CfbDirectory {
  try {
    const reader = new Reader(bytes);
    const children = reader.rootChildren();
    return {
      rootNames: children.map((c) => c.name),
      streamHead(name: string, length: number): Buffer | null {
        const wanted = name.toLowerCase();
        const entry = children.find((c) => c.type === TYPE_STREAM && c.name.toLowerCase() === wanted);
        return entry === undefined ? null : reader.head(entry, length);
      },
      checkStreams(names: readonly string[]): void {
        try {
          reader.checkStreams(names);
        } catch (err) {
          if (err instanceof CfbFormatError) throw err;
          throw new CfbFormatError(err instanceof Error ? err.message : String(err));
        }
      },
    };
  } catch (err) {
    if (err instanceof CfbFormatError) throw err;
    // A read past the end of the buffer (RangeError) is a truncated file like any other.
    throw new CfbFormatError(err instanceof Error ? err.message : String(err));
  }
}
