/**
 * HWP 5 documents built record by record for the extractor tests: paragraphs with controls
 * (header, footer, text box, table, hidden comment, footnote) nested by record level, in an OLE
 * container written with the `cfb` package; optionally compressed, flagged as password-protected,
 * or saved as a distribution document (ViewText sections behind the 256-byte key record and
 * AES-128-ECB), following the public format description.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import CFB from 'cfb';

export type ControlId = 'head' | 'foot' | 'gso ' | 'tbl ' | 'tcmt' | 'fn  ' | 'en  ';

export interface HwpParagraphSpec {
  readonly text: string;
  /** Controls anchored at the start of this paragraph, each holding its own paragraphs. */
  readonly controls?: readonly { id: ControlId; paragraphs: readonly HwpParagraphSpec[] }[];
}

export interface HwpSpec {
  readonly paragraphs: readonly HwpParagraphSpec[];
  readonly compressed?: boolean;
  readonly password?: boolean;
  readonly distribution?: boolean;
  readonly binData?: readonly { name: string; bytes: Buffer }[];
}

/** Extended control character codes in PARA_TEXT, by control. */
const CONTROL_CHAR: Record<ControlId, number> = {
  head: 16,
  foot: 16,
  'gso ': 11,
  'tbl ': 11,
  tcmt: 15,
  'fn  ': 17,
  'en  ': 17,
};

export function record(tag: number, level: number, payload: Buffer): Buffer {
  const big = payload.length >= 0xfff;
  const head = Buffer.alloc(big ? 8 : 4);
  // `>>> 0`: a size field of 2048 or more sets bit 31, and writeUInt32LE refuses a negative.
  head.writeUInt32LE((((big ? 0xfff : payload.length) << 20) | (level << 10) | tag) >>> 0, 0);
  if (big) head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

function controlValue(id: ControlId): number {
  return ((id.charCodeAt(0) << 24) | (id.charCodeAt(1) << 16) | (id.charCodeAt(2) << 8) | id.charCodeAt(3)) >>> 0;
}

function paragraph(spec: HwpParagraphSpec, level: number): Buffer[] {
  const controls = spec.controls ?? [];
  const units: number[] = [];
  for (const control of controls) {
    const code = CONTROL_CHAR[control.id];
    const value = controlValue(control.id);
    units.push(code, value & 0xffff, value >>> 16, 0, 0, 0, 0, code);
  }
  for (let i = 0; i < spec.text.length; i++) units.push(spec.text.charCodeAt(i));
  units.push(13); // paragraph end
  const text = Buffer.alloc(units.length * 2);
  units.forEach((unit, i) => text.writeUInt16LE(unit, i * 2));

  const header = Buffer.alloc(24); // 5.0.3.2 and later add a two-byte field at the end
  header.writeUInt32LE(units.length, 0);
  header.writeUInt16LE(1, 12); // one char shape
  header.writeUInt16LE(1, 16); // one line segment
  const charShape = Buffer.alloc(8);
  const out = [record(66, level, header), record(67, level + 1, text), record(68, level + 1, charShape), record(69, level + 1, Buffer.alloc(36))];
  for (const control of controls) {
    const ctrl = Buffer.alloc(12);
    ctrl.writeUInt32LE(controlValue(control.id), 0);
    out.push(record(71, level + 1, ctrl));
    const list = Buffer.alloc(8);
    list.writeUInt16LE(control.paragraphs.length, 0);
    out.push(record(72, level + 2, list));
    for (const inner of control.paragraphs) out.push(...paragraph(inner, level + 2));
  }
  return out;
}

export function sectionRecords(paragraphs: readonly HwpParagraphSpec[]): Buffer {
  return Buffer.concat(paragraphs.flatMap((p) => paragraph(p, 0)));
}

export function fileHeader(flags: number): Buffer {
  const header = Buffer.alloc(256);
  header.write('HWP Document File', 0, 'latin1');
  header.writeUInt32LE(0x05000304, 32);
  header.writeUInt32LE(flags, 36);
  return header;
}

function msvcRand(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 214013) + 2531011) >>> 0;
    return (state >>> 16) & 0x7fff;
  };
}

/** A distribution section: the scrambled 256-byte key record, then the data under AES-128-ECB. */
export function distributionSection(data: Buffer, seedBytes: Buffer = randomBytes(256)): Buffer {
  const plain = Buffer.from(seedBytes);
  const offset = 4 + ((plain[0] ?? 0) & 0xf);
  const key = plain.subarray(offset, offset + 16);
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  const paddedData = Buffer.concat([data, Buffer.alloc((16 - (data.length % 16)) % 16)]);
  const encrypted = Buffer.concat([cipher.update(paddedData), cipher.final()]);
  const scrambled = Buffer.from(plain);
  const rand = msvcRand(plain.readUInt32LE(0));
  let mask = 0;
  let run = 0;
  for (let i = 0; i < 256; i++) {
    if (run === 0) {
      mask = rand() & 0xff;
      run = (rand() & 0xf) + 1;
    }
    if (i >= 4) scrambled[i] = (scrambled[i] ?? 0) ^ mask;
    run -= 1;
  }
  return Buffer.concat([record(28, 0, scrambled), encrypted]);
}

/**
 * Writes an OLE container holding `streams` (paths relative to the root, `/`-separated). The file
 * is padded with unused sectors to cover its whole FAT sector: cfb.js writes a FAT that maps
 * more sectors than the file has, which strict readers (hwpjs's) reject; the padding is valid
 * CFB and changes no stream.
 */
export function writeContainer(streams: ReadonlyMap<string, Buffer>): Buffer {
  const container = CFB.utils.cfb_new();
  for (const [path, content] of streams) CFB.utils.cfb_add(container, path, content);
  const written = Buffer.from(CFB.write(container, { type: 'buffer' }) as Uint8Array);
  const sectorSize = 1 << written.readUInt16LE(30);
  const fatSectors = written.readUInt32LE(44);
  const mapped = fatSectors * (sectorSize / 4);
  const needed = sectorSize * (1 + mapped);
  return written.length >= needed ? written : Buffer.concat([written, Buffer.alloc(needed - written.length)]);
}

/** The streams of an OLE file by path relative to its root. */
export function readStreams(bytes: Buffer): Map<string, Buffer> {
  const container = CFB.read(bytes, { type: 'buffer' });
  const streams = new Map<string, Buffer>();
  container.FullPaths.forEach((fullPath, index) => {
    const entry = container.FileIndex[index];
    if (entry?.type !== 2 || entry.name === '\u0001Sh33tJ5') return;
    streams.set(fullPath.slice(fullPath.indexOf('/') + 1), Buffer.from(entry.content));
  });
  return streams;
}

export function buildHwp(spec: HwpSpec): Buffer {
  const compressed = spec.compressed ?? true;
  const flags = (compressed ? 1 : 0) | (spec.password ? 2 : 0) | (spec.distribution ? 4 : 0);
  let section = sectionRecords(spec.paragraphs);
  if (compressed) section = deflateRawSync(section);
  const streams = new Map<string, Buffer>();
  streams.set('FileHeader', fileHeader(flags));
  streams.set('DocInfo', compressed ? deflateRawSync(Buffer.alloc(0)) : Buffer.alloc(0));
  if (spec.distribution) streams.set('ViewText/Section0', distributionSection(section));
  else streams.set('BodyText/Section0', section);
  for (const item of spec.binData ?? []) {
    streams.set(`BinData/${item.name}`, compressed ? deflateRawSync(item.bytes) : item.bytes);
  }
  return writeContainer(streams);
}

function setFlags(streams: Map<string, Buffer>, flags: number): void {
  const header = streams.get('FileHeader');
  if (!header) throw new Error('no FileHeader');
  const copy = Buffer.from(header);
  copy.writeUInt32LE(copy.readUInt32LE(36) | flags, 36);
  streams.set('FileHeader', copy);
}

/** A copy of an HWP file with extra FileHeader flags set (e.g. 0x2, password), all else untouched. */
export function withHeaderFlags(bytes: Buffer, flags: number): Buffer {
  const streams = readStreams(bytes);
  setFlags(streams, flags);
  return writeContainer(streams);
}

/**
 * A copy of an HWP file re-saved as a distribution document: every BodyText section moved to
 * ViewText behind a key record and encrypted, the distribution flag set.
 */
export function asDistribution(bytes: Buffer): Buffer {
  const streams = new Map<string, Buffer>();
  for (const [path, content] of readStreams(bytes)) {
    const section = /^BodyText\/(Section\d+)$/.exec(path);
    if (section) streams.set(`ViewText/${section[1]}`, distributionSection(content));
    else streams.set(path, content);
  }
  setFlags(streams, 4);
  return writeContainer(streams);
}
