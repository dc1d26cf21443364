/**
 * Our own reader of HWP 5 text, from the public format description ("한글 문서 파일 형식 5.0"):
 * the FileHeader flags, the section streams (BodyText/Section*, or ViewText/Section* in a
 * distribution document), and the paragraph-text records in them.
 *
 * Why it exists beside @ohah/hwpjs: hwpjs parses every record and gives up on the whole file
 * when one of them (a picture, an OLE object) is shorter than it expects, while the text sits
 * in PARA_TEXT records alone. Reading only those, and skipping every other record by its
 * length, still gets the text of such files. It also decrypts distribution documents
 * (배포용 문서) itself: a 256-byte record at the head of each ViewText section holds, scrambled by
 * an MSVC rand() stream seeded from its first four bytes, the AES-128 key of the rest (ECB).
 *
 * Every record length is checked against its stream, every decompressed byte is taken from the
 * message budget as it comes out, and a password-protected file is refused from its header
 * before any section is touched.
 */
import { Buffer } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import { createInflateRaw } from 'node:zlib';
import CFB from 'cfb';
import type { CFB$Container } from 'cfb';
import { EncryptedFile, LimitExceeded } from './types.js';
import type { Budget } from './types.js';

const SIGNATURE = 'HWP Document File';

export interface HwpHeader {
  /** `5.0.3.4` */
  readonly version: string;
  readonly compressed: boolean;
  /** Password-protected: the sections are encrypted with a key we do not have. */
  readonly password: boolean;
  /** 배포용 문서: readable, the sections are in ViewText and scrambled with a key stored inside. */
  readonly distribution: boolean;
  readonly drm: boolean;
  readonly certificateEncryption: boolean;
}

export function parseHwpHeader(fileHeader: Buffer): HwpHeader {
  if (fileHeader.length < 40 || !fileHeader.toString('latin1', 0, SIGNATURE.length).startsWith(SIGNATURE)) {
    throw new Error('HWP FileHeader stream missing or without its signature');
  }
  const v = fileHeader.readUInt32LE(32);
  const flags = fileHeader.readUInt32LE(36);
  return {
    version: `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`,
    compressed: (flags & 0x1) !== 0,
    password: (flags & 0x2) !== 0,
    distribution: (flags & 0x4) !== 0,
    drm: (flags & 0x10) !== 0,
    certificateEncryption: (flags & 0x100) !== 0,
  };
}

/** Throws EncryptedFile when the header says the body cannot be read without a key we lack. */
export function refuseEncrypted(header: HwpHeader): void {
  if (header.password) throw new EncryptedFile('HWP document is password-protected');
  if (header.drm) throw new EncryptedFile('HWP document is DRM-protected');
  if (header.certificateEncryption) throw new EncryptedFile('HWP document is certificate-encrypted');
}

function entryBytes(container: CFB$Container, index: number): Buffer {
  const content = container.FileIndex[index]?.content;
  if (content === undefined) return Buffer.alloc(0);
  return Buffer.isBuffer(content) ? content : Buffer.from(content);
}

export interface HwpStreams {
  readonly header: HwpHeader;
  /** Section streams in document order, as stored (compressed, and scrambled if distribution). */
  readonly sections: readonly Buffer[];
  /** Embedded files (pictures, OLE objects) by name, as stored (usually compressed). */
  readonly binData: readonly { name: string; bytes: Buffer }[];
}

export function readHwpContainer(bytes: Buffer): HwpStreams {
  let container: CFB$Container;
  try {
    container = CFB.read(bytes, { type: 'buffer' });
  } catch (error) {
    throw new Error(`not a readable OLE compound file: ${error instanceof Error ? error.message.slice(0, 80) : 'parse error'}`);
  }
  const headerIndex = container.FullPaths.findIndex((p) => /\/FileHeader$/.test(p));
  if (headerIndex < 0) throw new Error('HWP FileHeader stream missing');
  const header = parseHwpHeader(entryBytes(container, headerIndex));
  const storage = header.distribution ? 'ViewText' : 'BodyText';
  const pattern = new RegExp(`/${storage}/Section(\\d+)$`);
  const found: { n: number; bytes: Buffer }[] = [];
  container.FullPaths.forEach((fullPath, index) => {
    const match = pattern.exec(fullPath);
    if (match) found.push({ n: Number(match[1]), bytes: entryBytes(container, index) });
  });
  found.sort((a, b) => a.n - b.n);
  const binData: { name: string; bytes: Buffer }[] = [];
  container.FullPaths.forEach((fullPath, index) => {
    const match = /\/BinData\/([^/]+)$/.exec(fullPath);
    if (match?.[1] && container.FileIndex[index]?.type === 2) binData.push({ name: match[1], bytes: entryBytes(container, index) });
  });
  return { header, sections: found.map((s) => s.bytes), binData };
}

/**
 * Raw-deflate `data`, taking every output chunk from the budget as it arrives, so a section that
 * inflates without end stops at the message's limit, not at its end.
 */
export function inflateBounded(data: Buffer, budget: Budget): Promise<Buffer> {
  const ratioFloor = 1024 * 1024;
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    const chunks: Buffer[] = [];
    let total = 0;
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      inflater.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    inflater.on('data', (chunk: Buffer) => {
      try {
        total += chunk.length;
        budget.takeDecompressed(chunk.length);
        if (total > ratioFloor && total > data.length * budget.limits.maxCompressionRatio) {
          throw new LimitExceeded('ratio', `HWP section inflates more than ${budget.limits.maxCompressionRatio} times`);
        }
        chunks.push(chunk);
      } catch (error) {
        fail(error);
      }
    });
    inflater.on('error', (error) => fail(new Error(`HWP section does not inflate: ${error.message}`)));
    inflater.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, total));
    });
    inflater.end(data);
  });
}

/** MSVC's srand()/rand(), which scrambles the distribution key record. */
function msvcRand(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 214013) + 2531011) >>> 0;
    return (state >>> 16) & 0x7fff;
  };
}

const DISTRIBUTE_DOC_DATA = 28;
const RECORD_HEADER = 4;

/** The AES-128 key hidden in a distribution section's first record (its 256-byte payload). */
export function distributionKey(payload: Buffer): Buffer {
  if (payload.length !== 256) throw new Error('HWP distribution record is not 256 bytes');
  const data = Buffer.from(payload);
  const rand = msvcRand(data.readUInt32LE(0));
  let key = 0;
  let run = 0;
  for (let i = 0; i < 256; i++) {
    if (run === 0) {
      key = rand() & 0xff;
      run = (rand() & 0xf) + 1;
    }
    // The seed itself (first four bytes) is stored in clear.
    if (i >= 4) data[i] = (data[i] ?? 0) ^ key;
    run -= 1;
  }
  const offset = 4 + ((data[0] ?? 0) & 0xf);
  return data.subarray(offset, offset + 16);
}

/** A ViewText section: the key record, then the section data under AES-128-ECB. */
export function decryptDistributionSection(stream: Buffer): Buffer {
  if (stream.length < RECORD_HEADER + 256) throw new Error('HWP distribution section too short');
  const head = stream.readUInt32LE(0);
  const size = head >>> 20;
  if ((head & 0x3ff) !== DISTRIBUTE_DOC_DATA || size !== 256) {
    throw new Error('HWP distribution section does not start with its key record');
  }
  const key = distributionKey(stream.subarray(RECORD_HEADER, RECORD_HEADER + 256));
  const body = stream.subarray(RECORD_HEADER + 256);
  const whole = body.subarray(0, body.length - (body.length % 16));
  const decipher = createDecipheriv('aes-128-ecb', key, null);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(whole), decipher.final()]);
}

/** Where text sits, named after the control (CTRL_HEADER id) that holds it. */
const PLACES: Record<string, string> = {
  head: 'header',
  foot: 'footer',
  'gso ': 'textbox',
  tcmt: 'comment',
  'fn  ': 'footnote',
  'en  ': 'endnote',
};

const PARA_TEXT = 67;
const CTRL_HEADER = 71;

/** UTF-16 code units of a control inside PARA_TEXT: char controls take 1, the others 8. */
function controlWidth(code: number): number {
  return code === 0 || code === 10 || code === 13 || code >= 24 ? 1 : 8;
}

/** Paragraph text with controls dropped, tabs and line breaks kept. */
export function paragraphText(payload: Buffer): string {
  const units = Math.floor(payload.length / 2);
  let text = '';
  let i = 0;
  while (i < units) {
    const code = payload.readUInt16LE(i * 2);
    if (code >= 32) {
      let end = i + 1;
      while (end < units && payload.readUInt16LE(end * 2) >= 32) end += 1;
      text += payload.toString('utf16le', i * 2, end * 2);
      i = end;
      continue;
    }
    if (code === 9) text += '\t';
    else if (code === 10) text += '\n';
    else if (code === 24) text += '-';
    else if (code === 30 || code === 31) text += ' ';
    i += controlWidth(code);
  }
  return text.replace(/\s+$/, '');
}

export interface HwpParagraph {
  /** `header`, `footer`, `textbox`, `comment`, `footnote`, `endnote`, or '' for the body and tables. */
  readonly where: string;
  readonly text: string;
}

export interface HwpSection {
  readonly paragraphs: HwpParagraph[];
  /** Byte offset of a record that runs past the end of the section (a cut stream), else null. */
  readonly cutAt: number | null;
}

/**
 * Walks the records of one decoded section. Nesting comes from record levels: a control's
 * paragraphs sit deeper than its CTRL_HEADER, so a record at or above that level closes it.
 * A record running past the end of the stream ends the walk, and `cutAt` says where, so the
 * caller reports the rest of the section as unread rather than passing it as read.
 */
export function sectionParagraphs(section: Buffer): HwpSection {
  const paragraphs: HwpParagraph[] = [];
  const open: { level: number; where: string }[] = [];
  let at = 0;
  while (at + RECORD_HEADER <= section.length) {
    const start = at;
    const head = section.readUInt32LE(at);
    const tag = head & 0x3ff;
    const level = (head >>> 10) & 0x3ff;
    let size = head >>> 20;
    at += RECORD_HEADER;
    if (size === 0xfff) {
      if (at + 4 > section.length) return { paragraphs, cutAt: start };
      size = section.readUInt32LE(at);
      at += 4;
    }
    if (at + size > section.length) return { paragraphs, cutAt: start };
    while (open.length > 0 && open[open.length - 1]!.level >= level) open.pop();
    if (tag === CTRL_HEADER && size >= 4) {
      const id = section.readUInt32LE(at);
      const name = String.fromCharCode(id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff);
      open.push({ level, where: PLACES[name] ?? open[open.length - 1]?.where ?? '' });
    } else if (tag === PARA_TEXT) {
      const text = paragraphText(section.subarray(at, at + size));
      if (text.trim() !== '') paragraphs.push({ where: open[open.length - 1]?.where ?? '', text });
    }
    at += size;
  }
  return { paragraphs, cutAt: null };
}

/** Decodes one stored section stream to its records (decrypt, then inflate, as the header says). */
export async function decodeSection(stored: Buffer, header: HwpHeader, budget: Budget): Promise<Buffer> {
  const plain = header.distribution ? decryptDistributionSection(stored) : stored;
  return header.compressed ? inflateBounded(plain, budget) : plain;
}
