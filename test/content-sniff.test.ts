/**
 * Typing by content (content/sniff.ts): every kind from bytes built here, the second look inside
 * OLE and zip containers, text in every charset Korean mail uses, broken and random input, the
 * public corpus, and the name / declared-type mismatch table.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { crc32, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { sniff, typeMismatch } from '../content/sniff.js';
import type { FileKind, Sniffed } from '../content/formats/types.js';
import { buildHwp } from './support/hwp-builder.js';
import { buildMail, encodeIso2022Kr } from './support/mail-builder.js';
import {
  buildEncryptedOoxml,
  buildOutlookMessage,
  buildPresentation,
  buildWordDocument,
  buildWorkbook,
  writeContainer,
} from './support/ole-builder.js';
import { buildZip } from './support/zip-builder.js';

const RRN = '900101-1234568';
const KOREAN = `고객 명단\n주민등록번호: ${RRN}\n주소: 서울특별시 중구 세종대로 110 똠방각하\n`;
const CORPUS = new URL('../../shared/corpus/', import.meta.url);

// ---- fixtures: signatures of the binary formats, each with enough structure for file-type

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function bmp(): Buffer {
  const b = Buffer.alloc(58);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(58, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(1, 18);
  b.writeInt32LE(1, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  return b;
}

function tiff(): Buffer {
  const b = Buffer.alloc(64);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(0, 8);
  return b;
}

function webp(): Buffer {
  const b = Buffer.alloc(40);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(32, 4);
  b.write('WEBPVP8 ', 8, 'latin1');
  return b;
}

function tar(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const body = Buffer.alloc(512);
  body.write(content, 0, 'utf8');
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

function ooxml(main: string): Buffer {
  return storedEntries([
    { path: '[Content_Types].xml', data: CONTENT_TYPES },
    { path: '_rels/.rels', data: '<Relationships/>' },
    { path: main, data: `<x><t>${RRN}</t></x>` },
  ]);
}

function packageWithMimetype(mimetype: string, more: string): Buffer {
  return storedEntries([
    { path: 'mimetype', data: mimetype },
    { path: more, data: `<x>${RRN}</x>` },
  ]);
}

function rtf(): Buffer {
  return Buffer.from(String.raw`{\rtf1\ansi\ansicpg949{\fonttbl{\f0\fcharset129 Gulim;}}\f0 \'c1\'d6\'b9\'ce 900101-1234568\par}`, 'latin1');
}

interface KindCase {
  readonly name: string;
  readonly bytes: () => Buffer;
  readonly kind: FileKind;
}

const CASES: readonly KindCase[] = [
  { name: 'zero bytes', bytes: () => Buffer.alloc(0), kind: 'empty' },
  { name: 'UTF-8 Korean text', bytes: () => Buffer.from(KOREAN, 'utf8'), kind: 'text' },
  { name: 'UTF-8 text with a BOM', bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(KOREAN)]), kind: 'text' },
  { name: 'EUC-KR text', bytes: () => iconv.encode(KOREAN.replace('똠방각하', ''), 'euc-kr'), kind: 'text' },
  { name: 'CP949 text', bytes: () => iconv.encode(KOREAN, 'cp949'), kind: 'text' },
  { name: 'ISO-2022-KR text', bytes: () => encodeIso2022Kr(KOREAN.replace('똠방각하', '')), kind: 'text' },
  { name: 'UTF-16LE with BOM', bytes: () => iconv.encode(KOREAN, 'utf-16le', { addBOM: true }), kind: 'text' },
  { name: 'UTF-16BE with BOM', bytes: () => iconv.encode(KOREAN, 'utf-16be', { addBOM: true }), kind: 'text' },
  { name: 'UTF-16LE without BOM', bytes: () => iconv.encode(KOREAN, 'utf-16le'), kind: 'text' },
  { name: 'UTF-16BE without BOM', bytes: () => iconv.encode(KOREAN, 'utf-16be'), kind: 'text' },
  { name: 'CSV in CP949', bytes: () => iconv.encode(`이름,주민등록번호\n홍길동,${RRN}\n`, 'cp949'), kind: 'text' },
  { name: 'text starting "BM" (a bitmap by two bytes)', bytes: () => Buffer.from(`BMW 차량 목록\n담당자 주민등록번호: ${RRN}\n`), kind: 'text' },
  { name: 'text starting "MZ" (a program by two bytes)', bytes: () => Buffer.from(`MZ 세대 설문\n주민등록번호: ${RRN}\n`), kind: 'text' },
  { name: 'text with two header-like lines but no header block', bytes: () => Buffer.from(`Subject: 회의록\nDate: 내일\n회의 내용 ${RRN}\n`), kind: 'text' },
  { name: 'XML that is not HTML', bytes: () => Buffer.from(`<?xml version="1.0"?><고객><번호>${RRN}</번호></고객>`), kind: 'text' },
  { name: 'HTML with a doctype', bytes: () => Buffer.from(`<!DOCTYPE html><html><body><p>주민등록번호: ${RRN}</p></body></html>`), kind: 'html' },
  { name: 'HTML fragment after a BOM and white space', bytes: () => Buffer.from(`\ufeff\n  <table><tr><td>${RRN}</td></tr></table>`), kind: 'html' },
  { name: 'XHTML after an XML declaration', bytes: () => Buffer.from(`<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>${RRN}</body></html>`), kind: 'html' },
  { name: 'HTML in UTF-16LE', bytes: () => iconv.encode(`<html><body>주민등록번호: ${RRN}</body></html>`, 'utf-16le', { addBOM: true }), kind: 'html' },
  { name: 'a mail', bytes: () => buildMail({ subject: '명단', text: `주민등록번호: ${RRN}` }), kind: 'eml' },
  { name: 'a mail after an mbox From line', bytes: () => Buffer.concat([Buffer.from('From sender@outguard.test Tue Dec  3 10:00:00 2024\n'), buildMail({ text: RRN })]), kind: 'eml' },
  { name: 'a MIME entity with one header field', bytes: () => Buffer.from(`Content-Type: text/plain; charset=utf-8\r\n\r\n주민등록번호: ${RRN}\r\n`), kind: 'eml' },
  { name: 'RTF', bytes: rtf, kind: 'rtf' },
  { name: 'TNEF', bytes: () => Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00, 0x01, 0x06, 0x90, 0x08, 0x00]), kind: 'tnef' },
  { name: 'PDF', bytes: () => Buffer.from(`%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`), kind: 'pdf' },
  { name: 'PNG', bytes: png, kind: 'png' },
  { name: 'JPEG', bytes: () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, ...Buffer.alloc(32)]), kind: 'jpeg' },
  { name: 'GIF', bytes: () => Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(32)]), kind: 'gif' },
  { name: 'BMP', bytes: bmp, kind: 'bmp' },
  { name: 'TIFF', bytes: tiff, kind: 'tiff' },
  { name: 'WebP', bytes: webp, kind: 'webp' },
  { name: '7z', bytes: () => Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), Buffer.alloc(32)]), kind: '7z' },
  { name: 'RAR', bytes: () => Buffer.concat([Buffer.from('Rar!\x1a\x07\x00', 'latin1'), Buffer.alloc(32)]), kind: 'rar' },
  { name: 'gzip', bytes: () => gzipSync(Buffer.from(KOREAN)), kind: 'gzip' },
  { name: 'tar', bytes: () => tar('명단.txt', KOREAN), kind: 'tar' },
  { name: 'docx', bytes: () => ooxml('word/document.xml'), kind: 'docx' },
  { name: 'xlsx', bytes: () => ooxml('xl/workbook.xml'), kind: 'xlsx' },
  { name: 'pptx', bytes: () => ooxml('ppt/presentation.xml'), kind: 'pptx' },
  { name: 'docx whose main part has another name', bytes: () => ooxml('word/document2.xml'), kind: 'docx' },
  { name: 'odt', bytes: () => packageWithMimetype('application/vnd.oasis.opendocument.text', 'content.xml'), kind: 'odt' },
  { name: 'ods', bytes: () => packageWithMimetype('application/vnd.oasis.opendocument.spreadsheet', 'content.xml'), kind: 'ods' },
  { name: 'odp', bytes: () => packageWithMimetype('application/vnd.oasis.opendocument.presentation', 'content.xml'), kind: 'odp' },
  { name: 'hwpx', bytes: () => packageWithMimetype('application/hwp+zip', 'Contents/section0.xml'), kind: 'hwpx' },
  { name: 'hwpx without its mimetype entry', bytes: () => storedEntries([{ path: 'Contents/section0.xml', data: RRN }]), kind: 'hwpx' },
  { name: 'EPUB (a zip of no kind of ours)', bytes: () => packageWithMimetype('application/epub+zip', 'OEBPS/a.xhtml'), kind: 'zip' },
  { name: 'plain zip', bytes: () => storedEntries([{ path: '명단.txt', data: KOREAN }]), kind: 'zip' },
  { name: 'empty zip', bytes: () => storedEntries([]), kind: 'zip' },
  { name: 'Word 97 document', bytes: () => buildWordDocument({ body: [KOREAN] }), kind: 'doc' },
  { name: 'Excel 97 workbook', bytes: () => buildWorkbook(), kind: 'xls' },
  { name: 'Excel 5 workbook (Book stream)', bytes: () => buildWorkbook({ streamName: 'Book' }), kind: 'xls' },
  { name: 'PowerPoint 97 presentation', bytes: () => buildPresentation(), kind: 'ppt' },
  { name: 'HWP 5 document', bytes: () => buildHwp({ paragraphs: [{ text: KOREAN }] }), kind: 'hwp' },
  { name: 'password-protected OOXML', bytes: buildEncryptedOoxml, kind: 'office-encrypted' },
  { name: 'Outlook message with a Word attachment inside', bytes: buildOutlookMessage, kind: 'cfb' },
  {
    name: 'OLE file whose FileHeader is not HWP',
    bytes: () => writeContainer(new Map([['FileHeader', Buffer.from('Not a Hangul file at all')]])),
    kind: 'cfb',
  },
  { name: 'a Windows program', bytes: () => Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('PE\0\0', 'latin1'), Buffer.alloc(64)]), kind: 'binary' },
  { name: 'random bytes', bytes: () => randomBytes(4096), kind: 'binary' },
];


/** A zip of stored (uncompressed) entries, as the sniffing cases were written. */
function storedEntries(entries: ReadonlyArray<{ path: string; data: Buffer | string }>): Buffer {
  return buildZip(entries.map((entry) => ({ name: entry.path, data: entry.data, method: 0 as const })));
}

describe('sniff', () => {
  for (const c of CASES) {
    it(`should type ${c.name} as ${c.kind}`, async () => {
      const sniffed = await sniff(c.bytes());
      assert.equal(sniffed.kind, c.kind, `evidence: ${sniffed.evidence}`);
      assert.ok(sniffed.mediaType.includes('/'));
      assert.ok(sniffed.evidence.length > 0);
    });
  }

  it('should say what decided, in words a problem detail can carry', async () => {
    assert.equal((await sniff(buildHwp({ paragraphs: [{ text: RRN }] }))).evidence, 'OLE stream FileHeader "HWP Document File"');
    assert.equal((await sniff(packageWithMimetype('application/hwp+zip', 'Contents/section0.xml'))).evidence, 'zip entry mimetype application/hwp+zip');
    assert.equal((await sniff(ooxml('xl/workbook.xml'))).mediaType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal((await sniff(iconv.encode(KOREAN, 'utf-16le'))).evidence, 'text, utf-16le without byte-order mark');
  });

  it('should not quote an unknown zip mimetype, which the sender wrote', async () => {
    const sniffed = await sniff(packageWithMimetype(`application/x-${RRN}`, 'a.xml'));
    assert.equal(sniffed.kind, 'zip');
    assert.doesNotMatch(sniffed.evidence, /\d{6}/);
  });

  describe('when a container is broken', () => {
    it('should call a truncated docx a zip', async () => {
      const docx = ooxml('word/document.xml');
      const sniffed = await sniff(docx.subarray(0, Math.floor(docx.length / 2)));
      assert.equal(sniffed.kind, 'zip');
      assert.match(sniffed.evidence, /unreadable/);
    });

    it('should call a zip signature followed by garbage a zip', async () => {
      const bytes = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(2048)]);
      assert.equal((await sniff(bytes)).kind, 'zip');
    });

    it('should call an OLE signature followed by garbage cfb', async () => {
      const bytes = Buffer.concat([buildWorkbook().subarray(0, 8), randomBytes(4096)]);
      const sniffed = await sniff(bytes);
      assert.equal(sniffed.kind, 'cfb');
    });

    it('should survive OLE files cut or damaged anywhere', async () => {
      const doc = buildWordDocument({ body: [KOREAN] });
      for (let cut = 8; cut < doc.length; cut += 97) {
        const sniffed = await sniff(doc.subarray(0, cut));
        assert.ok(sniffed.kind === 'cfb' || sniffed.kind === 'doc', `cut at ${cut}: ${sniffed.kind}`);
      }
      for (let i = 0; i < 50; i += 1) {
        const damaged = Buffer.from(doc);
        for (let j = 0; j < 16; j += 1) damaged[512 + ((i * 7919 + j * 104729) % (damaged.length - 512))] = (i * 31 + j) & 0xff;
        const sniffed = await sniff(damaged);
        assert.ok(['doc', 'cfb'].includes(sniffed.kind), sniffed.kind);
      }
    });

    it('should not follow a FAT chain that loops', async () => {
      const doc = Buffer.from(buildWorkbook());
      // Point the directory's own FAT entry back at itself: a chain that never ends.
      const firstDirectorySector = doc.readUInt32LE(0x30);
      const fatSector = doc.readUInt32LE(0x4c);
      doc.writeUInt32LE(firstDirectorySector, (fatSector + 1) * 512 + firstDirectorySector * 4);
      const sniffed = await sniff(doc);
      assert.equal(sniffed.kind, 'cfb');
      assert.match(sniffed.evidence, /unreadable directory/);
    });
  });

  it('should read a package written by the zip tool', async (t) => {
    if (!existsSync('/usr/bin/zip')) {
      t.skip('zip (Debian package) not present');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'outguard-sniff-'));
    try {
      // Trailing line breaks make the mimetype entry worth deflating, so the inflate path runs.
      writeFileSync(join(dir, 'mimetype'), `application/vnd.oasis.opendocument.spreadsheet${'\n'.repeat(300)}`);
      writeFileSync(join(dir, 'content.xml'), `<office:document-content>${'고객 '.repeat(500)}${RRN}</office:document-content>`);
      mkdirSync(join(dir, 'META-INF'));
      writeFileSync(join(dir, 'META-INF', 'manifest.xml'), '<manifest:manifest/>');
      execFileSync('zip', ['-q', '-X', '-9', '-r', 'out.ods', 'mimetype', 'content.xml', 'META-INF'], { cwd: dir });
      const bytes = readFileSync(join(dir, 'out.ods'));
      assert.equal(bytes.readUInt16LE(8), 8, 'mimetype entry is deflated');
      const sniffed = await sniff(bytes);
      assert.equal(sniffed.kind, 'ods');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should look inside a large OLE file without reading its streams', async () => {
    const large = writeContainer(new Map([['WordDocument', Buffer.alloc(24 * 1024 * 1024, 0x41)]]));
    const started = performance.now();
    const sniffed = await sniff(large);
    const elapsed = performance.now() - started;
    assert.equal(sniffed.kind, 'doc');
    // Reading every stream (as cfb's read does) costs tens of ms for this file; the directory
    // walk costs well under one. The bound is loose so a busy machine does not fail it.
    assert.ok(elapsed < 25, `took ${elapsed.toFixed(1)} ms`);
  });
});

describe('sniff over the public corpus', () => {
  /** Expected kind per corpus file, by its name. */
  const EXPECTED: ReadonlyArray<[RegExp, FileKind]> = [
    [/\.hwp$/, 'hwp'],
    [/\.hwpx$/, 'hwpx'],
    [/example_password\.xlsx$/, 'office-encrypted'],
    [/\.tnef$/, 'tnef'],
    [/\.zip\.uu$/, 'text'],
    [/\.zip$/, 'zip'],
    [/\.(eml|msg)$/, 'eml'],
    [/TestData__messages__.*\.txt$/, 'eml'],
    [/\.(tsv|md)$/, 'text'],
  ];

  it('should type every corpus file as expected, and find no mismatch with its own name', async (t) => {
    if (!existsSync(CORPUS)) {
      t.skip(`corpus folder absent: ${fileURLToPath(CORPUS)}`);
      return;
    }
    const files = readdirSync(CORPUS).sort();
    let checked = 0;
    for (const file of files) {
      const sniffed: Sniffed = await sniff(readFileSync(new URL(encodeURIComponent(file), CORPUS)));
      const expected = EXPECTED.find(([pattern]) => pattern.test(file))?.[1];
      if (expected === undefined) continue;
      assert.equal(sniffed.kind, expected, `${file}: ${sniffed.evidence}`);
      assert.equal(typeMismatch(sniffed, file, 'application/octet-stream'), null, file);
      checked += 1;
    }
    assert.ok(checked >= 25, `only ${checked} corpus files checked`);
  });
});

describe('typeMismatch', () => {
  const kinds = {
    zip: { kind: 'zip', mediaType: 'application/zip', evidence: 'zip central directory' },
    xlsx: { kind: 'xlsx', mediaType: 'x', evidence: 'zip entries [Content_Types].xml and xl/workbook.xml' },
    docx: { kind: 'docx', mediaType: 'x', evidence: 'e' },
    binary: { kind: 'binary', mediaType: 'application/x-msdownload', evidence: 'exe signature' },
    text: { kind: 'text', mediaType: 'text/plain', evidence: 'text' },
    html: { kind: 'html', mediaType: 'text/html', evidence: 'HTML markup at the start' },
    eml: { kind: 'eml', mediaType: 'message/rfc822', evidence: 'e' },
    jpeg: { kind: 'jpeg', mediaType: 'image/jpeg', evidence: 'e' },
    png: { kind: 'png', mediaType: 'image/png', evidence: 'e' },
    hwp: { kind: 'hwp', mediaType: 'application/x-hwp', evidence: 'e' },
    tnef: { kind: 'tnef', mediaType: 'application/vnd.ms-tnef', evidence: 'e' },
    pdf: { kind: 'pdf', mediaType: 'application/pdf', evidence: 'e' },
    encrypted: { kind: 'office-encrypted', mediaType: 'application/x-cfb', evidence: 'e' },
    empty: { kind: 'empty', mediaType: 'application/x-empty', evidence: 'no bytes' },
  } satisfies Record<string, Sniffed>;

  const CONTRADICTIONS: ReadonlyArray<[string, Sniffed, string | null, string, RegExp]> = [
    ['a .pdf that is a zip', kinds.zip, 'report.pdf', 'application/pdf', /name ends \.pdf and declared application\/pdf but content is zip/],
    ['image/jpeg that is an xlsx', kinds.xlsx, '사진.jpg', 'image/jpeg', /declared image\/jpeg but content is xlsx/],
    ['a .txt that is a program', kinds.binary, '메모.txt', 'text/plain', /name ends \.txt and declared text\/plain but content is binary/],
    ['a .hwp that is a zip', kinds.zip, '계약서.hwp', 'application/octet-stream', /^name ends \.hwp but content is zip/],
    ['a .doc that is really a docx', kinds.docx, '보고서.doc', 'application/msword', /^name ends \.doc but/],
    ['text/csv on a spreadsheet', kinds.xlsx, null, 'text/csv', /^declared text\/csv but content is xlsx/],
    ['an unlisted text type on a zip', kinds.zip, null, 'text/x-outguard', /^declared text\/\* type but/],
    ['an unlisted image type on a PDF', kinds.pdf, null, 'image/heic', /declared image\/\* type but/],
  ];

  for (const [name, sniffed, filename, declared, expected] of CONTRADICTIONS) {
    it(`should report ${name}`, () => {
      const detail = typeMismatch(sniffed, filename, declared);
      assert.ok(detail !== null);
      assert.match(detail, expected);
    });
  }

  const HARMLESS: ReadonlyArray<[string, Sniffed, string | null, string | null]> = [
    ['application/octet-stream without an extension', kinds.docx, 'README', 'application/octet-stream'],
    ['no name, no type', kinds.binary, null, null],
    ['.csv declared text/plain', kinds.text, '명단.csv', 'text/plain; charset=euc-kr'],
    ['.csv declared application/vnd.ms-excel', kinds.text, '명단.csv', 'application/vnd.ms-excel'],
    ['.eml declared message/rfc822', kinds.eml, '전달.eml', 'message/rfc822'],
    ['a mail saved as .txt', kinds.eml, 'mail.txt', 'text/plain'],
    ['.jpg declared image/pjpeg', kinds.jpeg, '사진.jpg', 'image/pjpeg'],
    ['.jpeg declared image/jpeg', kinds.jpeg, '사진.jpeg', 'image/jpeg'],
    ['a PNG saved as .jpg', kinds.png, '스캔.jpg', 'image/jpeg'],
    ['docx declared application/zip', kinds.docx, '보고서.docx', 'application/zip'],
    ['xlsx declared application/x-zip-compressed', kinds.xlsx, '명단.xlsx', 'application/x-zip-compressed'],
    ['docx declared application/msword', kinds.docx, '보고서.docx', 'application/msword'],
    ['hwp declared application/x-hwp', kinds.hwp, '계약서.hwp', 'application/x-hwp'],
    ['hwp declared application/haansofthwp', kinds.hwp, '계약서.hwp', 'application/haansofthwp'],
    ['hwp declared application/octet-stream', kinds.hwp, '계약서.HWP', 'application/octet-stream'],
    ['text declared text/html', kinds.text, 'a.txt', 'text/html'],
    ['an "Excel" export that is HTML', kinds.html, '거래내역.xls', 'application/vnd.ms-excel'],
    ['an encrypted xlsx', kinds.encrypted, '급여.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['winmail.dat', kinds.tnef, 'winmail.dat', 'application/ms-tnef'],
    ['an unknown extension and type', kinds.zip, 'backup.bak', 'application/x-outguard-test'],
    ['empty content under any name', kinds.empty, 'report.pdf', 'application/pdf'],
  ];

  for (const [name, sniffed, filename, declared] of HARMLESS) {
    it(`should accept ${name}`, () => {
      assert.equal(typeMismatch(sniffed, filename, declared), null);
    });
  }

  it('should never quote a declared type it does not know', () => {
    const detail = typeMismatch(kinds.pdf, null, `image/x-${RRN}`);
    assert.ok(detail !== null);
    assert.doesNotMatch(detail, /\d{6}/);
  });
});
