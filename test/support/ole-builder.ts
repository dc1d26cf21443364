/**
 * Legacy Office files built from code for the sniffing and OLE extractor tests, in OLE
 * containers written by the `cfb` package (through hwp-builder.ts `writeContainer`):
 *
 * - a minimal Word 97 document: the FibBase, FibRgLw and FibRgFcLcb fields word-extractor reads
 *   (MS-DOC 2.5), the text as one UTF-16 piece of the piece table (CLX in the 1Table stream),
 *   body then footnotes. Word did not write it, but its layout is the one Word writes, and
 *   word-extractor reads it through the same code path as a real file;
 * - an Excel workbook stream that is just BOF [FILEPASS] EOF, and a PowerPoint CurrentUser atom,
 *   enough for the encryption checks (the extractors do not read their content);
 * - an encrypted OOXML container (EncryptionInfo + EncryptedPackage).
 */
import { Buffer } from 'node:buffer';
import { writeContainer } from './hwp-builder.js';

export { writeContainer };

/** Where the text starts in the WordDocument stream (FibBase.fcMin). */
const WORD_TEXT_OFFSET = 0x800;

export interface WordSpec {
  /** Body paragraphs; each ends with Word's paragraph mark `\r`. */
  readonly body: readonly string[];
  readonly footnotes?: readonly string[];
  /** Sets FibBase.fEncrypted, as a password-protected document has. */
  readonly encrypted?: boolean;
}

export function buildWordDocument(spec: WordSpec): Buffer {
  const body = spec.body.map((p) => `${p}\r`).join('');
  const footnotes = (spec.footnotes ?? []).map((p) => `${p}\r`).join('');
  const text = body + footnotes;
  const textBytes = Buffer.from(text, 'utf16le');

  const word = Buffer.alloc(WORD_TEXT_OFFSET + textBytes.length);
  word.writeUInt16LE(0xa5ec, 0x00); // wIdent
  word.writeUInt16LE(0x00c1, 0x02); // nFib: Word 97
  // fWhichTblStm (the table is 1Table), fEncrypted when asked.
  word.writeUInt16LE(0x0200 | (spec.encrypted ? 0x0100 : 0), 0x0a);
  word.writeUInt32LE(WORD_TEXT_OFFSET, 0x18); // fcMin
  word.writeUInt32LE(WORD_TEXT_OFFSET + textBytes.length, 0x1c); // fcMac
  word.writeUInt32LE(body.length, 0x4c); // ccpText
  word.writeUInt32LE(footnotes.length, 0x50); // ccpFtn

  // CLX: one Pcdt (0x02, size, PlcPcd) with two CPs and one PCD pointing at the UTF-16 text.
  const plcPcd = Buffer.alloc(16);
  plcPcd.writeUInt32LE(0, 0);
  plcPcd.writeUInt32LE(text.length, 4);
  plcPcd.writeUInt16LE(0, 8);
  plcPcd.writeUInt32LE(WORD_TEXT_OFFSET, 10); // fc with fCompressed clear: a byte offset, UTF-16
  plcPcd.writeUInt16LE(0, 14);
  const clx = Buffer.concat([Buffer.from([0x02]), u32(plcPcd.length), plcPcd]);
  word.writeUInt32LE(0, 0x1a2); // fcClx
  word.writeUInt32LE(clx.length, 0x1a6); // lcbClx
  textBytes.copy(word, WORD_TEXT_OFFSET);

  return writeContainer(
    new Map([
      ['WordDocument', word],
      ['1Table', clx],
    ]),
  );
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value, 0);
  return b;
}

function biffRecord(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(type, 0);
  header.writeUInt16LE(payload.length, 2);
  return Buffer.concat([header, payload]);
}

/** An .xls whose Workbook stream is BOF, optionally FILEPASS (RC4), then EOF. */
export function buildWorkbook(options: { encrypted?: boolean; streamName?: 'Workbook' | 'Book' } = {}): Buffer {
  const bof = Buffer.alloc(16);
  bof.writeUInt16LE(0x0600, 0); // BIFF8
  bof.writeUInt16LE(0x0005, 2); // workbook globals
  const records = [biffRecord(0x0809, bof)];
  if (options.encrypted) records.push(biffRecord(0x002f, Buffer.from([0x01, 0x00, 0x01, 0x00, ...Buffer.alloc(48)])));
  records.push(biffRecord(0x000a, Buffer.alloc(0)));
  // Padded past the mini-stream cutoff, as real workbooks are, so both stream kinds are read.
  const stream = Buffer.concat([...records, Buffer.alloc(5000)]);
  return writeContainer(new Map([[options.streamName ?? 'Workbook', stream]]));
}

/** A .ppt with a CurrentUser atom whose header token says encrypted or not. */
export function buildPresentation(options: { encrypted?: boolean } = {}): Buffer {
  const atom = Buffer.alloc(32);
  atom.writeUInt16LE(0x0000, 0);
  atom.writeUInt16LE(0x0ff6, 2); // RT_CurrentUserAtom
  atom.writeUInt32LE(24, 4);
  atom.writeUInt32LE(0x14, 8);
  atom.writeUInt32LE(options.encrypted ? 0xf3d1c4df : 0xe391c05f, 12);
  return writeContainer(
    new Map([
      ['PowerPoint Document', Buffer.alloc(600)],
      ['Current User', atom],
    ]),
  );
}

/** An OOXML file under a password, as Office saves it: an OLE file with the encrypted package. */
export function buildEncryptedOoxml(): Buffer {
  return writeContainer(
    new Map([
      ['EncryptionInfo', Buffer.from([0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00, ...Buffer.alloc(64)])],
      ['EncryptedPackage', Buffer.alloc(4096 + 512, 0x5a)],
    ]),
  );
}

/** An Outlook .msg-shaped compound file: property streams at the root, an attachment storage. */
export function buildOutlookMessage(): Buffer {
  return writeContainer(
    new Map([
      ['__properties_version1.0', Buffer.alloc(64)],
      ['__substg1.0_0037001F', Buffer.from('회의 자료', 'utf16le')],
      // An attached Word file one storage down must not make the message a Word file.
      ['__attach_version1.0_#00000000/WordDocument', Buffer.alloc(64)],
    ]),
  );
}

/**
 * A copy of a compound file in which the FAT chain of the root-level stream `name` loops: its
 * last sector points back at its first, as in a corrupt or hostile file. Only big-FAT streams
 * (at or past the 4096-byte mini-stream cutoff) and FATs held in the header's DIFAT are handled.
 */
export function loopStreamChain(file: Buffer, name: string): Buffer {
  const bytes = Buffer.from(file);
  const sectorSize = 1 << bytes.readUInt16LE(0x1e);
  const offset = (sector: number): number => (sector + 1) * sectorSize;
  const perFat = sectorSize / 4;
  const fatAt = (sector: number): number => offset(bytes.readUInt32LE(0x4c + Math.floor(sector / perFat) * 4)) + (sector % perFat) * 4;
  const endOfChain = (sector: number): boolean => sector >= 0xfffffffa;
  for (let dir = bytes.readUInt32LE(0x30); !endOfChain(dir); dir = bytes.readUInt32LE(fatAt(dir))) {
    for (let at = offset(dir); at < offset(dir) + sectorSize; at += 128) {
      const nameBytes = bytes.readUInt16LE(at + 0x40);
      if (bytes.toString('utf16le', at, at + Math.max(0, nameBytes - 2)) !== name) continue;
      if (bytes.readUInt32LE(at + 0x78) < 4096) throw new Error(`${name} lives in the mini stream`);
      const first = bytes.readUInt32LE(at + 0x74);
      let last = first;
      while (!endOfChain(bytes.readUInt32LE(fatAt(last)))) last = bytes.readUInt32LE(fatAt(last));
      bytes.writeUInt32LE(first, fatAt(last));
      return bytes;
    }
  }
  throw new Error(`no stream ${name}`);
}
