/**
 * Outlook's TNEF (winmail.dat, application/ms-tnef), read by our own code from MS-OXTNEF: the
 * attachments inside become children (so the pipeline types and reads them), the subject and
 * plain body become text, and the bodies Outlook keeps only as compressed RTF or HTML become
 * children `body.rtf` / `body.html` for the RTF and HTML extractors.
 *
 * A TNEF stream is a signature and key, then attribute records (level, id, length, data,
 * checksum). Attachment records follow an attAttachRendData that opens each attachment; MAPI
 * properties (attMAPIProps for the message, attAttachment for an attachment) carry the long file
 * name, the data, and the bodies. An attachment that is itself a message (PT_OBJECT data) is a
 * TNEF stream again after its 16-byte interface id, and is returned as a child to recurse into.
 *
 * Every length is checked against the buffer before it is used, counts are capped, and text in
 * 8-bit strings is decoded with the stream's OEM code page (949 in Korean Outlook).
 */
import { Buffer } from 'node:buffer';
import { decodeText } from '../charset.js';
import { PieceCollector } from './pieces.js';
import { compressedRtfInfo, decompressRtf } from './rtf-compressed.js';
import { LimitExceeded } from './types.js';
import type { Budget, ExtractContext, ExtractResult, Extractor, FileProblem, InnerFile } from './types.js';

const SIGNATURE = 0x223e9f78;
const MAX_ATTRIBUTES = 100_000;
const MAX_PROPERTIES = 10_000;
const MAX_VALUES = 10_000;
const MAX_ATTACHMENTS = 1000;

/** Attribute ids (the low 16 bits; the high 16 give the data type). */
const ATT = {
  subject: 0x8004,
  body: 0x800c,
  attachData: 0x800f,
  attachTitle: 0x8010,
  attachRendData: 0x9002,
  mapiProps: 0x9003,
  attachment: 0x9005,
  oemCodepage: 0x9007,
} as const;

/** MAPI property ids. */
const PR = {
  subject: 0x0037,
  body: 0x1000,
  rtfCompressed: 0x1009,
  bodyHtml: 0x1013,
  attachData: 0x3701,
  attachFilename: 0x3704,
  attachLongFilename: 0x3707,
  displayName: 0x3001,
  internetCodepage: 0x3fde,
} as const;

const PT = {
  string8: 0x001e,
  unicode: 0x001f,
  binary: 0x0102,
  object: 0x000d,
  multiValued: 0x1000,
} as const;

/** Sizes of fixed-length property types; each value is padded to 4 bytes in TNEF. */
const FIXED_SIZES: Record<number, number> = {
  0x0001: 4, // PT_NULL
  0x0002: 2, // PT_SHORT
  0x0003: 4, // PT_LONG
  0x0004: 4, // PT_FLOAT
  0x0005: 8, // PT_DOUBLE
  0x0006: 8, // PT_CURRENCY
  0x0007: 8, // PT_APPTIME
  0x000a: 4, // PT_ERROR
  0x000b: 2, // PT_BOOLEAN
  0x0014: 8, // PT_I8
  0x0040: 8, // PT_SYSTIME
  0x0048: 16, // PT_CLSID
};

class TnefError extends Error {
  override readonly name = 'TnefError';
}

/** A bounds-checked little-endian reader over one buffer. */
class Reader {
  at: number;
  constructor(
    readonly bytes: Buffer,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.at = start;
  }
  get left(): number {
    return this.end - this.at;
  }
  take(length: number, what: string): Buffer {
    if (length < 0 || length > this.left) throw new TnefError(`TNEF ${what} runs past its end`);
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }
  u16(what: string): number {
    return this.take(2, what).readUInt16LE(0);
  }
  u32(what: string): number {
    return this.take(4, what).readUInt32LE(0);
  }
  skipPadding(length: number): void {
    const pad = (4 - (length % 4)) % 4;
    this.at = Math.min(this.end, this.at + pad);
  }
}

interface Property {
  readonly id: number;
  readonly type: number;
  /** Values of variable-size types (strings, binaries, objects); empty for fixed types. */
  readonly values: Buffer[];
  /** The raw value of a fixed-size type. */
  readonly fixed: Buffer | null;
}

function readProperties(data: Buffer): Property[] {
  const reader = new Reader(data);
  const count = reader.u32('property count');
  if (count > MAX_PROPERTIES) throw new TnefError(`TNEF property list of ${count} entries`);
  const properties: Property[] = [];
  for (let i = 0; i < count; i++) {
    const type = reader.u16('property type');
    const id = reader.u16('property id');
    if (id >= 0x8000) {
      // A named property: its GUID, then a numeric id or a UTF-16 name.
      reader.take(16, 'property set');
      const kind = reader.u32('property name kind');
      if (kind === 0) reader.u32('property lid');
      else {
        const length = reader.u32('property name length');
        reader.take(length, 'property name');
        reader.skipPadding(length);
      }
    }
    const base = type & ~PT.multiValued;
    const variable = base === PT.string8 || base === PT.unicode || base === PT.binary || base === PT.object;
    if (variable) {
      const valueCount = reader.u32('value count');
      if (valueCount > MAX_VALUES) throw new TnefError(`TNEF property with ${valueCount} values`);
      const values: Buffer[] = [];
      for (let v = 0; v < valueCount; v++) {
        const length = reader.u32('value length');
        values.push(reader.take(length, 'property value'));
        reader.skipPadding(length);
      }
      properties.push({ id, type: base, values, fixed: null });
      continue;
    }
    const size = FIXED_SIZES[base];
    if (size === undefined) throw new TnefError(`TNEF property of unknown type 0x${base.toString(16)}`);
    const valueCount = type & PT.multiValued ? reader.u32('value count') : 1;
    if (valueCount > MAX_VALUES) throw new TnefError(`TNEF property with ${valueCount} values`);
    const padded = size + ((4 - (size % 4)) % 4);
    const fixed = reader.take(padded * valueCount, 'property value');
    properties.push({ id, type: base, values: [], fixed });
  }
  return properties;
}

/** Decodes an 8-bit string in the stream's code page, a Unicode one as UTF-16LE. */
function propertyString(property: Property, codepage: string | null): string | null {
  const value = property.values[0];
  if (value === undefined) return null;
  if (property.type === PT.unicode) return value.toString('utf16le').replace(/\0+$/, '');
  if (property.type === PT.string8 || property.type === PT.binary) {
    return decodeText(value, codepage).text.replace(/\0+$/, '');
  }
  return null;
}

function codepageLabel(codepage: number): string | null {
  if (codepage === 65001) return 'utf-8';
  if (codepage === 949 || codepage === 51949) return 'cp949';
  if (codepage === 932) return 'shift_jis';
  if (codepage >= 1250 && codepage <= 1258) return `windows-${codepage}`;
  if (codepage === 0) return null;
  return `cp${codepage}`;
}

/** A file name safe as one path segment. */
function safeName(name: string): string {
  const cleaned = name.replace(/[\0-\x1f]/g, '').replace(/[\\/]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '' : cleaned;
}

interface Attachment {
  title: string | null;
  data: Buffer | null;
  properties: Property[];
}

interface Parsed {
  codepage: string | null;
  subject: string | null;
  body: string | null;
  messageProperties: Property[];
  attachments: Attachment[];
  problems: FileProblem[];
}

function parseStream(bytes: Buffer): Parsed {
  const reader = new Reader(bytes);
  if (bytes.length < 6 || reader.u32('signature') !== SIGNATURE) throw new TnefError('not a TNEF stream (bad signature)');
  reader.u16('key');
  const parsed: Parsed = { codepage: null, subject: null, body: null, messageProperties: [], attachments: [], problems: [] };
  let subjectBytes: Buffer | null = null;
  let bodyBytes: Buffer | null = null;
  let current: Attachment | null = null;
  for (let n = 0; reader.left > 0; n++) {
    if (n >= MAX_ATTRIBUTES) throw new TnefError(`TNEF stream of more than ${MAX_ATTRIBUTES} attributes`);
    if (reader.left < 11) {
      parsed.problems.push({ code: 'unreadable', where: '', detail: 'TNEF stream ends inside an attribute header' });
      break;
    }
    const level = reader.take(1, 'level')[0];
    const id = reader.u32('attribute id') & 0xffff;
    const length = reader.u32('attribute length');
    if (length + 2 > reader.left) {
      parsed.problems.push({ code: 'unreadable', where: '', detail: 'TNEF stream truncated: an attribute runs past the end' });
      break;
    }
    const data = reader.take(length, 'attribute data');
    reader.u16('checksum');
    if (level === 2) {
      if (id === ATT.attachRendData) {
        if (parsed.attachments.length >= MAX_ATTACHMENTS) {
          parsed.problems.push({ code: 'limit-exceeded', where: '', detail: `more than ${MAX_ATTACHMENTS} attachments` });
          break;
        }
        current = { title: null, data: null, properties: [] };
        parsed.attachments.push(current);
      } else if (current !== null) {
        // Titles are in the code page, which may come later: keep the bytes as a binary string.
        if (id === ATT.attachTitle) current.title = data.toString('binary');
        else if (id === ATT.attachData) current.data = data;
        else if (id === ATT.attachment) {
          try {
            current.properties = readProperties(data);
          } catch (error) {
            parsed.problems.push({ code: 'unreadable', where: `attachment=${parsed.attachments.length}`, detail: (error as Error).message });
          }
        }
      }
      continue;
    }
    if (id === ATT.oemCodepage && data.length >= 4) parsed.codepage = codepageLabel(data.readUInt32LE(0));
    else if (id === ATT.subject) subjectBytes = data;
    else if (id === ATT.body) bodyBytes = data;
    else if (id === ATT.mapiProps) {
      try {
        parsed.messageProperties = readProperties(data);
      } catch (error) {
        parsed.problems.push({ code: 'unreadable', where: 'properties', detail: (error as Error).message });
      }
    }
  }
  const decode = (b: Buffer | null): string | null =>
    b === null ? null : decodeText(b, parsed.codepage).text.replace(/\0+$/, '');
  parsed.subject = decode(subjectBytes);
  parsed.body = decode(bodyBytes);
  for (const attachment of parsed.attachments) {
    if (attachment.title !== null) attachment.title = decode(Buffer.from(attachment.title, 'binary'));
  }
  return parsed;
}

function property(properties: readonly Property[], id: number): Property | undefined {
  return properties.find((p) => p.id === id);
}

function attachmentFile(attachment: Attachment, index: number, codepage: string | null): InnerFile | null {
  const props = attachment.properties;
  const nameProperty = [PR.attachLongFilename, PR.attachFilename, PR.displayName]
    .map((id) => property(props, id))
    .find((p) => p !== undefined && propertyString(p, codepage));
  const named = nameProperty ? propertyString(nameProperty, codepage) : attachment.title;
  let bytes = attachment.data;
  const dataProperty = property(props, PR.attachData);
  const value = dataProperty?.values[0];
  if (value !== undefined) {
    // PT_OBJECT data starts with the interface id: IID_IMessage before an attached message (a
    // TNEF stream of its own), IID_IStorage before an OLE object (a compound file).
    bytes = dataProperty?.type === PT.object ? value.subarray(16) : value;
  }
  if (bytes === null) return null;
  const name = safeName(named ?? '') || `attachment-${index + 1}`;
  return { path: name, bytes: Buffer.from(bytes) };
}

/** Names made unique within the stream, keeping the extension: `a.txt`, `a (2).txt`. */
function uniquePaths(files: InnerFile[]): InnerFile[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const count = (seen.get(file.path) ?? 0) + 1;
    seen.set(file.path, count);
    if (count === 1) return file;
    const dot = file.path.lastIndexOf('.');
    const path = dot > 0 ? `${file.path.slice(0, dot)} (${count})${file.path.slice(dot)}` : `${file.path} (${count})`;
    return { path, bytes: file.bytes };
  });
}

function bodyChildren(parsed: Parsed, budget: Budget, collector: PieceCollector): InnerFile[] {
  const children: InnerFile[] = [];
  const rtf = property(parsed.messageProperties, PR.rtfCompressed)?.values[0];
  if (rtf !== undefined) {
    try {
      const { compressed, rawSize } = compressedRtfInfo(rtf);
      if (compressed) budget.takeDecompressed(rawSize);
      children.push({ path: 'body.rtf', bytes: decompressRtf(rtf) });
    } catch (error) {
      if (error instanceof LimitExceeded) throw error;
      const why = error instanceof Error ? error.message : 'decode error';
      collector.problem({ code: 'unreadable', where: 'body', detail: `compressed RTF body not read: ${why}` });
    }
  }
  const html = property(parsed.messageProperties, PR.bodyHtml);
  const htmlValue = html?.values[0];
  if (html !== undefined && htmlValue !== undefined) {
    const bytes = html.type === PT.unicode ? Buffer.from(htmlValue.toString('utf16le'), 'utf8') : htmlValue;
    children.push({ path: 'body.html', bytes: Buffer.from(bytes) });
  }
  return children;
}

export const tnefExtractor: Extractor = {
  kinds: ['tnef'],
  async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
    const { budget } = context;
    const parsed = parseStream(bytes);
    const collector = new PieceCollector(budget.limits.maxTextBytes);
    for (const problem of parsed.problems) collector.problem(problem);

    const codepage = parsed.codepage;
    const subjectProperty = property(parsed.messageProperties, PR.subject);
    collector.add('subject', parsed.subject ?? (subjectProperty ? propertyString(subjectProperty, codepage) : null) ?? '');
    const bodyProperty = property(parsed.messageProperties, PR.body);
    collector.add('body', parsed.body ?? (bodyProperty ? propertyString(bodyProperty, codepage) : null) ?? '');

    const files: InnerFile[] = [];
    for (const [index, attachment] of parsed.attachments.entries()) {
      budget.checkTime();
      const file = attachmentFile(attachment, index, codepage);
      if (file === null) {
        collector.problem({ code: 'unreadable', where: `attachment=${index + 1}`, detail: 'TNEF attachment without data' });
        continue;
      }
      budget.takeEntry();
      files.push(file);
    }
    const children = uniquePaths([...bodyChildren(parsed, budget, collector), ...files]);
    return { pieces: collector.pieces, children, problems: collector.problems };
  },
};
