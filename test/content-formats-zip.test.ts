/**
 * The ZIP family: the shared zip reader (names, encryption, bombs), the OOXML / ODF / HWPX
 * document extractors, and the archive extractors (zip, tar, gzip, 7z, RAR). Fixtures are built
 * in code (test/support/zip-builder.ts, office-fixtures.ts) or with Debian's zip and 7z; the
 * public hard cases are read from the shared corpus beside the checkout when it is there.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import tar from 'tar-stream';
import { createBudget, resolveLimits } from '../content/limits.js';
import { extractMessage } from '../content/extract.js';
import { detectAll } from '../detectors/index.js';
import {
  EncryptedFile,
  LimitExceeded,
  type ExtractContext,
  type ExtractLimits,
  type ExtractResult,
  type Extractor,
  type FileKind,
} from '../content/formats/types.js';
import { ZipReader } from '../content/formats/zip-reader.js';
import { decodeZipName } from '../content/formats/zip-names.js';
import { docxExtractor, pptxExtractor, xlsxExtractor } from '../content/formats/ooxml.js';
import { odfExtractor } from '../content/formats/odf.js';
import { hwpxExtractor } from '../content/formats/hwpx.js';
import { emfExtractor, looksLikeEmf } from '../content/formats/emf.js';
import {
  gzipExtractor,
  sevenZipExtractor,
  tarExtractor,
  zipArchiveExtractor,
} from '../content/formats/archive.js';
import { formatNumber } from '../content/formats/xlsx-format.js';
import { buildZip, unicodePathExtra, zerosDeflate } from './support/zip-builder.js';
import { attachmentPart, buildMail, multipart, textPart } from './support/mail-builder.js';
import {
  RRN,
  docxFixture,
  emfFixture,
  encryptedHwpxFixture,
  encryptedOdtFixture,
  hwpxFixture,
  odpFixture,
  odsFixture,
  odtFixture,
  pptxFixture,
  tinyPng,
  xlsxFixture,
} from './support/office-fixtures.js';

/** The shared corpus beside the checkout (absent on machines without it: those tests skip). */
const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const LIBARCHIVE = 'libarchive__libarchive__libarchive__test__';

function context(overrides: Partial<ExtractLimits> = {}, name: string | null = null): ExtractContext {
  return { budget: createBudget(resolveLimits(overrides)), depth: 0, name };
}

function piece(result: ExtractResult, where: string): string {
  const found = result.pieces.filter((p) => p.where === where);
  assert.ok(found.length > 0, `no piece at "${where}" in [${result.pieces.map((p) => p.where).join(', ')}]`);
  return found.map((p) => p.text).join('\n');
}

function corpusFile(t: { skip(message: string): void }, name: string): Buffer | null {
  const path = join(CORPUS, name);
  if (!existsSync(path)) {
    t.skip(`corpus file not present: ${path}`);
    return null;
  }
  return readFileSync(path);
}

/** uudecode (the libarchive test files are stored uuencoded). */
function uudecode(text: string): Buffer {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('begin') || line.trim() === 'end' || line.length === 0) continue;
    const length = (line.charCodeAt(0) - 32) & 0x3f;
    if (length === 0) continue;
    const bytes: number[] = [];
    for (let i = 1; i + 3 < line.length + 1; i += 4) {
      const c = [0, 1, 2, 3].map((k) => ((line.charCodeAt(i + k) || 32) - 32) & 0x3f);
      const [a, b, d, e] = c as [number, number, number, number];
      bytes.push(((a << 2) | (b >> 4)) & 0xff, ((b << 4) | (d >> 2)) & 0xff, ((d << 6) | e) & 0xff);
    }
    out.push(...bytes.slice(0, length));
  }
  return Buffer.from(out);
}

function tool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'outguard-zip-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    return { value: await Promise.race([promise, timeout]) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('did not settle')) throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

describe('zip entry names', () => {
  it('decodes CP949 names when the UTF-8 flag is clear', () => {
    const raw = iconv.encode('급여명세서_홍길동.txt', 'cp949');
    assert.deepEqual(decodeZipName(raw, 0, []), { name: '급여명세서_홍길동.txt', encoding: 'cp949' });
  });

  it('prefers the UTF-8 flag, then a Unicode Path field whose CRC matches', () => {
    assert.equal(decodeZipName(Buffer.from('고객/명단.xlsx'), 0x800, []).name, '고객/명단.xlsx');
    const raw = Buffer.from('?.txt');
    const extra = unicodePathExtra(raw, '주민번호.txt');
    const fields = [{ id: 0x7075, data: extra.subarray(4) }];
    assert.deepEqual(decodeZipName(raw, 0, fields), { name: '주민번호.txt', encoding: 'unicode-path' });
    const stale = [{ id: 0x7075, data: unicodePathExtra(Buffer.from('other'), '주민번호.txt').subarray(4) }];
    assert.equal(decodeZipName(raw, 0, stale).name, '?.txt');
  });

  it('reads unflagged UTF-8 (macOS) and normalises decomposed Hangul', () => {
    const nfd = Buffer.from('한글.txt'.normalize('NFD'), 'utf8');
    assert.deepEqual(decodeZipName(nfd, 0, []), { name: '한글.txt', encoding: 'utf8' });
  });

  it('lists a hand-built zip with CP949 names, backslashes turned into slashes', async () => {
    const zip = buildZip([
      { name: iconv.encode('똠방각하\\메모.txt', 'cp949'), data: `주민등록번호: ${RRN}` },
      { name: iconv.encode('급여명세서_홍길동.txt', 'cp949'), data: '급여' },
    ]);
    const result = await zipArchiveExtractor.extract(zip, context());
    assert.deepEqual(
      result.children.map((c) => c.path),
      ['똠방각하/메모.txt', '급여명세서_홍길동.txt'],
    );
    assert.equal(result.children[0]?.bytes.toString('utf8'), `주민등록번호: ${RRN}`);
  });
});

describe('zip archive extractor', () => {
  it('returns every file as an inner file, skips directories, keeps nested zips closed', async () => {
    const inner = buildZip([{ name: '안쪽.txt', data: RRN }]);
    const zip = buildZip(
      [
        { name: '보고서/', data: '' },
        { name: '보고서/고객.csv', data: `성명,주민등록번호\n홍길동,${RRN}\n` },
        { name: '보고서/안쪽.zip', data: inner, method: 0 },
      ],
      '압축 설명: 주민번호 포함',
    );
    const result = await zipArchiveExtractor.extract(zip, context());
    assert.deepEqual(result.children.map((c) => c.path), ['보고서/고객.csv', '보고서/안쪽.zip']);
    assert.ok(result.children[1]?.bytes.equals(inner), 'the inner zip comes back as bytes, unopened');
    assert.deepEqual(result.problems, []);
    assert.equal(piece(result, 'comment'), '압축 설명: 주민번호 포함');
  });

  it('gives one level per call for a zip nested 20 deep, so the pipeline can stop at its depth', async () => {
    let bytes = buildZip([{ name: 'bottom.txt', data: RRN }]);
    for (let level = 19; level >= 1; level -= 1) {
      bytes = buildZip([{ name: `level${level}.zip`, data: bytes }]);
    }
    const maxDepth = resolveLimits().maxDepth;
    let depth = 0;
    let current = bytes;
    // The pipeline's loop: one extractor call per level, stopping past maxDepth.
    while (depth <= maxDepth) {
      const result = await zipArchiveExtractor.extract(current, { ...context(), depth });
      assert.equal(result.children.length, 1);
      assert.match(result.children[0]!.path, /^level\d+\.zip$/);
      current = result.children[0]!.bytes;
      depth += 1;
    }
    assert.equal(depth, maxDepth + 1);
  });

  it('reports ZipCrypto entries as encrypted and still reads the plain ones (zip -P)', (t) => {
    if (!tool('zip')) return t.skip('Debian zip not installed');
    const bytes = withTempDir((dir) => {
      writeFileSync(join(dir, 'secret.txt'), `주민등록번호: ${RRN}`);
      writeFileSync(join(dir, 'plain.txt'), '공개 문서');
      execFileSync('zip', ['-q', '-P', 'secret', 'out.zip', 'secret.txt'], { cwd: dir });
      execFileSync('zip', ['-q', 'out.zip', 'plain.txt'], { cwd: dir });
      return readFileSync(join(dir, 'out.zip'));
    });
    return zipArchiveExtractor.extract(bytes, context()).then((result) => {
      const detail = 'zip entry is encrypted (ZipCrypto)';
      assert.deepEqual(result.problems, [{ code: 'encrypted', where: '', path: 'secret.txt', detail }]);
      assert.deepEqual(result.children.map((c) => c.path), ['plain.txt']);
    });
  });

  it('reports AES entries as encrypted (7z -mem=AES256)', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const bytes = withTempDir((dir) => {
      writeFileSync(join(dir, '명단.txt'), `주민등록번호: ${RRN}`);
      const args = ['a', '-tzip', '-psecret', '-mem=AES256', 'out.zip', '명단.txt'];
      execFileSync('7z', args, { cwd: dir, stdio: 'ignore' });
      return readFileSync(join(dir, 'out.zip'));
    });
    const result = await zipArchiveExtractor.extract(bytes, context());
    const detail = 'zip entry is encrypted (AES)';
    assert.deepEqual(result.problems, [{ code: 'encrypted', where: '', path: '명단.txt', detail }]);
    assert.deepEqual(result.children, []);
  });

  it('reports an entry in a method yauzl cannot inflate as unsupported, reading the rest', async () => {
    const zip = buildZip([
      { name: 'bz.txt', data: 'x', method: 0, methodField: 12 },
      { name: 'ok.txt', data: RRN },
    ]);
    const result = await zipArchiveExtractor.extract(zip, context());
    assert.deepEqual(result.problems.map((p) => [p.code, p.path]), [['unsupported-format', 'bz.txt']]);
    assert.match(result.problems[0]!.detail, /bzip2/);
    assert.deepEqual(result.children.map((c) => c.path), ['ok.txt']);
  });

  it('returns what lies before the first entry (a zip joined in front with zip -A) as `leading`', async (t) => {
    if (!tool('zip')) return t.skip('Debian zip not installed');
    const hidden = buildZip([{ name: '명단.csv', data: `이름,주민등록번호\n홍길동,${RRN}\n` }]);
    const cover = buildZip([{ name: '안내.txt', data: '분기 보고서 안내문입니다.' }]);
    const joined = withTempDir((dir) => {
      writeFileSync(join(dir, 'cat.zip'), Buffer.concat([hidden, cover]));
      // -A shifts the second zip's offsets to count from the start of the whole file.
      execFileSync('zip', ['-q', '-A', 'cat.zip'], { cwd: dir });
      return readFileSync(join(dir, 'cat.zip'));
    });
    const reader = await ZipReader.open(joined, createBudget(resolveLimits()));
    try {
      assert.equal(reader.firstLocalHeader, hidden.length);
    } finally {
      reader.close();
    }
    const result = await zipArchiveExtractor.extract(joined, context());
    assert.deepEqual(result.children.map((c) => c.path), ['leading', '안내.txt']);
    assert.ok(result.children[0]!.bytes.equals(hidden));
    const message = await extractMessage(buildMail({
      text: '첨부 확인 바랍니다.',
      attachments: [attachmentPart('자료.zip', joined, { contentType: 'application/zip' })],
    }));
    const rrnAt = message.segments.filter((s) => detectAll(s.text).some((f) => f.type === 'rrn')).map((s) => s.location);
    assert.deepEqual(rrnAt, ['attachment:자료.zip/leading/명단.csv']);
  });

  it('adds no `leading` file for a plain zip', async () => {
    const zip = buildZip([{ name: 'a.txt', data: '안녕하세요' }]);
    const reader = await ZipReader.open(zip, createBudget(resolveLimits()));
    assert.equal(reader.firstLocalHeader, 0);
    reader.close();
    assert.deepEqual((await zipArchiveExtractor.extract(zip, context())).children.map((c) => c.path), ['a.txt']);
  });

  it('stops listing and reading at the entry limit', async () => {
    const zip = buildZip(Array.from({ length: 30 }, (_, i) => ({ name: `파일${i}.txt`, data: String(i) })));
    const result = await zipArchiveExtractor.extract(zip, context({ maxEntries: 10 }));
    assert.equal(result.children.length, 10);
    assert.ok(result.problems.some((p) => p.code === 'limit-exceeded' && /30 entries/.test(p.detail)));
  });
});

describe('zip bombs', () => {
  const bomb = zerosDeflate(1024);

  it('refuses a 1 GiB-of-zeros entry by its declared ratio before inflating', async () => {
    const zip = buildZip([{ name: 'zeros.bin', raw: bomb }, { name: '정상.txt', data: RRN }]);
    assert.ok(zip.length < 1.2 * 1024 * 1024, `bomb is ${zip.length} bytes`);
    const started = performance.now();
    const result = await zipArchiveExtractor.extract(zip, context());
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.code, 'limit-exceeded');
    assert.equal(result.problems[0]?.path, 'zeros.bin');
    assert.match(result.problems[0]!.detail, /compression ratio \d+:1 over the 100:1 limit/);
    assert.deepEqual(result.children.map((c) => c.path), ['정상.txt'], 'the other entry is still read');
  });

  it('stops a bomb whose header lies about its size at the declared size', async () => {
    const zip = buildZip([{ name: 'zeros.bin', raw: bomb, declaredSize: 1000 }]);
    const started = performance.now();
    const result = await zipArchiveExtractor.extract(zip, context());
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assert.deepEqual(result.problems.map((p) => [p.code, p.path]), [['limit-exceeded', 'zeros.bin']]);
    assert.match(result.problems[0]!.detail, /past its declared size of 1000 bytes/);
    assert.deepEqual(result.children, []);
  });

  it('reports a deflated entry that inflates to less than its declared size', async () => {
    const text = `고객 명단 ${RRN}\n`.repeat(50);
    const zip = buildZip([
      { name: 'short.txt', data: text, declaredSize: Buffer.byteLength(text) + 10 },
      { name: '정상.txt', data: text },
    ]);
    const result = await zipArchiveExtractor.extract(zip, context());
    assert.deepEqual(result.problems.map((p) => [p.code, p.path]), [['unreadable', 'short.txt']]);
    assert.match(result.problems[0]!.detail, /shorter than its declared size/);
    assert.deepEqual(result.children.map((c) => c.path), ['정상.txt'], 'a short entry is not read as if whole');
  });

  it('stops at the message decompressed budget when the ratio limit is lifted', async () => {
    const zip = buildZip([{ name: 'zeros.bin', raw: bomb }]);
    const budgetLimits = { maxCompressionRatio: 1_000_000, maxDecompressedBytes: 32 * 1024 * 1024 };
    const started = performance.now();
    const result = await zipArchiveExtractor.extract(zip, context(budgetLimits));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assert.deepEqual(result.problems.map((p) => p.code), ['limit-exceeded']);
    assert.match(result.problems[0]!.detail, /bytes decompressed/);
  });

  it('never lets a document part inflate past its declared size either', async () => {
    const zip = buildZip([
      { name: '_rels/.rels', data: '<Relationships/>' },
      { name: 'word/document.xml', raw: bomb, declaredSize: 5000 },
    ]);
    await assert.rejects(docxExtractor.extract(zip, context()), (err: unknown) => {
      assert.ok(err instanceof LimitExceeded);
      assert.match(err.message, /declared size of 5000/);
      return true;
    });
  });
});

describe('corpus archives', () => {
  it('decodes the CP949 names of a zip made on Korean Windows', async (t) => {
    const bytes = corpusFile(t, 'sanori__node-unzip-mbcs__test__NewFolder.zip');
    if (bytes === null) return;
    const zip = await ZipReader.open(bytes, createBudget(resolveLimits()));
    const names = zip.entries.map((e) => e.path).join(', ');
    assert.ok(zip.entries.some((e) => e.path === '새 폴더/한글문서.txt' && e.nameEncoding === 'cp949'), names);
    const result = await zipArchiveExtractor.extract(bytes, context());
    assert.ok(result.children.some((c) => c.path === '새 폴더/한글문서.txt'));
  });

  it('reports the WinRAR AES-256 zip as encrypted', async (t) => {
    const bytes = corpusFile(t, `clach04__puren_tonbo__puren_tonbo__tests__data__aesop_win_winrar.aes256.zip`);
    if (bytes === null) return;
    const result = await zipArchiveExtractor.extract(bytes, context());
    assert.ok(result.problems.length > 0);
    assert.ok(result.problems.every((p) => p.code === 'encrypted' && /AES/.test(p.detail)));
    assert.deepEqual(result.children, []);
  });

  it('reports a zip with an encrypted central directory as an encrypted file', async (t) => {
    const text = corpusFile(t, `${LIBARCHIVE}test_read_format_zip_encryption_header.zip.uu`);
    if (text === null) return;
    const bytes = uudecode(text.toString('latin1'));
    await assert.rejects(zipArchiveExtractor.extract(bytes, context()), EncryptedFile);
  });

  it('reads a CP932-named zip without crashing (names come out as mojibake)', async (t) => {
    const text = corpusFile(t, `${LIBARCHIVE}test_read_format_zip_filename_cp932.zip.uu`);
    if (text === null) return;
    const result = await zipArchiveExtractor.extract(uudecode(text.toString('latin1')), context());
    assert.equal(result.children.length, 2);
    assert.ok(result.children.every((c) => c.path.endsWith('.txt') && c.path.includes('/')));
  });

  it('reads the HWPX that has no manifest', async (t) => {
    const bytes = corpusFile(t, 'neolord0__hwpxlib__testFile__error__20240626__no_manifest.hwpx');
    if (bytes === null) return;
    const result = await hwpxExtractor.extract(bytes, context());
    const body = piece(result, '');
    assert.ok(/[가-힣]{2,}/.test(body), 'Korean text came out');
    assert.ok(body.length > 500, `body is ${body.length} characters`);
  });
});

describe('docx', () => {
  it('reads body, tables, tabs, hyphens, text boxes once, headers, notes, comments', async () => {
    const result = await docxExtractor.extract(docxFixture(), context());
    const body = piece(result, '');
    assert.ok(body.startsWith('고객 명단\n'), body);
    assert.ok(body.includes(`주민등록번호: ${RRN}\n`), 'w:noBreakHyphen is a hyphen');
    assert.ok(body.includes(`성명\t주민등록번호\n홍길동\t${RRN}\n`), 'cells by tabs, rows by lines');
    assert.ok(body.includes('이름\t김영희'), 'w:tab in a run is a tab');
    assert.ok(body.includes('예전 번호 800101-2345678'), 'deleted text is still scanned');
    assert.ok(!body.includes('MERGEFIELD'), 'field codes are not text');
    assert.ok(!body.includes('상자 안'), 'text box text goes to its own piece');
    assert.equal(piece(result, 'textbox'), '상자 안 계좌 110-123-456789', 'mc:Fallback copy skipped');
    assert.equal(piece(result, 'header'), '대외비 문서');
    assert.equal(piece(result, 'footer'), '담당자 연락처 010-1234-5678');
    assert.equal(piece(result, 'footnote'), '각주: 여권번호 M12345678');
    assert.equal(piece(result, 'comment'), '검토 의견: 주민번호 삭제');
    assert.deepEqual(result.children.map((c) => c.path), ['word/media/image1.png'], 'the EMF is not returned');
    assert.ok(result.children[0]?.bytes.equals(tinyPng()));
    const detail = 'vector drawing (EMF/WMF) not read';
    const emf = { code: 'unsupported-format', where: '', path: 'word/media/image2.emf', detail };
    assert.deepEqual(result.problems, [emf], 'but reported, not dropped silently');
  });

  it('throws when the main document part is missing or broken', async () => {
    const missing = buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }]);
    const expected = /package part missing: word\/document.xml/;
    await assert.rejects(docxExtractor.extract(missing, context()), expected);
    const broken = buildZip([{ name: 'word/document.xml', data: '<w:document><w:body><w:p>' }]);
    await assert.rejects(docxExtractor.extract(broken, context()), /malformed XML/);
  });

  it('reads text around control characters XML forbids, and undeclared entities still fail', async () => {
    // A control code pasted into a document: Word refuses the part, a DLP must still read it.
    const pasted = buildZip([
      {
        name: 'word/document.xml',
        data: `<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>주민번호\u0001 ${RRN}\u001F 끝</w:t></w:r></w:p></w:body></w:document>`,
      },
    ]);
    const result = await docxExtractor.extract(pasted, context());
    assert.equal(piece(result, ''), `주민번호  ${RRN}  끝`);
    assert.deepEqual(result.problems, []);
    const entity = buildZip([
      {
        name: 'word/document.xml',
        data: '<!DOCTYPE w:document [<!ENTITY x "boom">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>',
      },
    ]);
    await assert.rejects(docxExtractor.extract(entity, context()), /malformed XML: undefined entity/);
  });

  it('reports a broken secondary part and keeps the body', async () => {
    const bytes = buildZip([
      {
        name: 'word/document.xml',
        data: '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>본문 내용</w:t></w:r></w:p></w:body></w:document>',
      },
      { name: 'word/header1.xml', data: '<w:hdr><w:p><w:t>깨진' },
    ]);
    const result = await docxExtractor.extract(bytes, context());
    assert.equal(piece(result, ''), '본문 내용');
    assert.deepEqual(result.problems.map((p) => [p.code, p.where]), [['unreadable', 'header']]);
  });

  it('cuts text at the text budget and says so', async () => {
    const paragraphs = Array.from({ length: 200 }, (_, i) => `<w:p><w:r><w:t>문단 ${i} 내용입니다</w:t></w:r></w:p>`);
    const document = `<w:document xmlns:w="x"><w:body>${paragraphs.join('')}</w:body></w:document>`;
    const bytes = buildZip([{ name: 'word/document.xml', data: document }]);
    const result = await docxExtractor.extract(bytes, context({ maxTextBytes: 500 }));
    assert.ok(piece(result, '').length <= 500);
    assert.deepEqual(result.problems.map((p) => p.code), ['truncated']);
  });
});

describe('xlsx', () => {
  it('reads every sheet by its tab name, in tab order, cells as shown', async () => {
    const result = await xlsxExtractor.extract(xlsxFixture(), context());
    assert.deepEqual(result.pieces.map((p) => p.where), ['sheet=고객목록', 'comment', 'sheet=계산']);
    assert.equal(
      piece(result, 'sheet=고객목록'),
      [
        '성명\t주민등록번호\t전화번호\t가입일\t금액',
        `홍길동\t${RRN}\t010-1234-5678\t2024-03-01\t3,500,000`,
        '\t\t\t비고 인라인',
        '서울시 강남구',
      ].join('\n'),
    );
    assert.equal(piece(result, 'sheet=계산'), '계산된 값\tTRUE\t0.3');
    assert.equal(piece(result, 'comment'), '확인 필요: 실명 자료\n번호 변경됨', 'cell comments, no author');
    assert.deepEqual(result.problems, []);
  });

  it('uses the 1904 date system when the workbook says so', async () => {
    const result = await xlsxExtractor.extract(xlsxFixture({ date1904: true }), context());
    assert.match(piece(result, 'sheet=고객목록'), /\t2028-03-02\t/);
  });
});

describe('number formats (cell values as shown)', () => {
  const cases: readonly (readonly [value: number, format: string, shown: string])[] = [
    [9001011234568, '000000-0000000', RRN],
    [9001011234568, '000000\\-0000000', RRN],
    [101013234567, '000000-0000000', '010101-3234567'],
    [1012345678, '000-0000-0000', '010-1234-5678'],
    [1234567, '#,##0', '1,234,567'],
    [-1234.5, '#,##0.00', '-1,234.50'],
    [-1234, '#,##0;(#,##0)', '(1,234)'],
    [0, '#,##0;-#,##0;"-"', '-'],
    [42, '0', '42'],
    [0.256, '0.0%', '25.6%'],
    [1234.5, '0.00', '1234.50'],
    [1.5, '#.##', '1.5'],
    [12345, '0.00E+00', '1.23E+04'],
    [1234567, '#,##0,"천"', '1,235천'],
    [3500000, '[$₩-412]#,##0', '₩3,500,000'],
    [45352, 'yyyy-mm-dd', '2024-03-01'],
    [45352, 'yyyy"년" m"월" d"일" aaa', '2024년 3월 1일 금'],
    [45352.75, 'yyyy-mm-dd hh:mm:ss', '2024-03-01 18:00:00'],
    [45352.75, 'h:mm AM/PM', '6:00 PM'],
    [9001011234568, '@', '9001011234568'],
    [9001011234568, 'General', '9001011234568'],
    [1234567, '[<=9999999]###-####;(###) ###-####', '123-4567'],
    [0.75, '# ?/?', '0.75'],
    [1.5, '[h]:mm', '1.5'],
    [123, '[DBNum1]General', '123'],
  ];
  for (const [value, format, shown] of cases) {
    it(`${value} with ${format} reads ${shown}`, () => {
      assert.equal(formatNumber(value, format), shown);
    });
  }
});

describe('pptx', () => {
  it('reads slides in presentation order, tables, and the speaker notes', async () => {
    const result = await pptxExtractor.extract(pptxFixture(), context());
    assert.deepEqual(result.pieces.map((p) => p.where), ['slide=1', 'notes=1', 'slide=2']);
    assert.equal(piece(result, 'slide=1'), `첫 슬라이드: 고객 정보\n주민등록번호 ${RRN}\n성명\t연락처\n홍길동\t010-2222-3333`);
    assert.equal(piece(result, 'notes=1'), '발표자 메모: 고객 계좌 110-987-654321');
    assert.equal(piece(result, 'slide=2'), '두 번째 슬라이드: 요약');
    assert.deepEqual(result.children.map((c) => c.path), ['ppt/media/image1.png']);
  });
});

describe('OpenDocument', () => {
  it('reads an ODT: spaces, tabs, line breaks, tables, footnotes, comments, header and footer', async () => {
    const result = await odfExtractor.extract(odtFixture(), context());
    const body = piece(result, '');
    assert.ok(body.startsWith(`개인정보 현황\n주민등록번호: ${RRN}\n`), body);
    assert.ok(body.includes('이름\t홍길동\n둘째 줄   끝'), body);
    assert.ok(body.includes(`성명\t번호\n김영희\t${RRN}`), body);
    assert.ok(body.includes('본문 끝'));
    assert.ok(body.includes('작성일 2024-05-01'), 'a date field is text');
    assert.equal(piece(result, 'footnote'), '각주 내용 여권 M12345678');
    assert.equal(piece(result, 'comment'), '메모: 삭제 필요', 'no author or date');
    assert.equal(piece(result, 'header'), '머리글 대외비');
    assert.equal(piece(result, 'footer'), '바닥글 문의 02-123-4567');
    assert.deepEqual(result.children.map((c) => c.path), ['Pictures/photo.png']);
  });

  it('reads an ODS by sheet name with repeated cells bounded, quickly', async () => {
    const started = performance.now();
    const result = await odfExtractor.extract(odsFixture(), context());
    assert.ok(performance.now() - started < 2000);
    assert.equal(piece(result, 'sheet=직원명부'), `성명\t주민등록번호\n홍길동\t${RRN}\n\t\t반복\t반복\t반복`);
    assert.equal(piece(result, 'sheet=요약'), '합계\t3');
  });

  it('reads an ODP slide by slide with notes', async () => {
    const result = await odfExtractor.extract(odpFixture(), context());
    assert.equal(piece(result, 'slide=1'), `첫 장 제목\n주민등록번호 ${RRN}`);
    assert.equal(piece(result, 'notes=1'), '메모: 고객 전화 010-5555-6666');
    assert.equal(piece(result, 'slide=2'), '둘째 장');
  });

  it('throws EncryptedFile for a password-protected ODF package', async () => {
    await assert.rejects(odfExtractor.extract(encryptedOdtFixture(), context()), EncryptedFile);
  });
});

describe('hwpx', () => {
  it('reads sections in numeric order with tables, header, text box and tabs', async () => {
    const result = await hwpxExtractor.extract(hwpxFixture(), context());
    const body = piece(result, '');
    assert.ok(body.startsWith(`개인정보 처리 현황\n주민등록번호: ${RRN}\n성명\t주민등록번호\n홍길동\t${RRN}\n`), body);
    assert.ok(body.includes('이름\t김영희'));
    assert.ok(body.indexOf('둘째 구역') < body.indexOf('열째 구역'), 'section2 before section10');
    assert.equal(piece(result, 'header'), '머리말 대외비');
    assert.equal(piece(result, 'textbox'), '글상자 안 전화 010-1111-2222');
    assert.ok(!result.pieces.some((p) => p.where === 'preview'), 'preview only when sections fail');
    assert.deepEqual(result.children.map((c) => c.path), ['BinData/image1.png']);
  });

  it('throws EncryptedFile when the manifest lists encryption data', async () => {
    await assert.rejects(hwpxExtractor.extract(encryptedHwpxFixture(), context()), EncryptedFile);
  });

  it('falls back to the preview text when no section parses', async () => {
    const bytes = buildZip([
      { name: 'mimetype', data: 'application/hwp+zip', method: 0 },
      { name: 'Contents/section0.xml', data: '<hs:sec><hp:p><hp:t>깨진' },
      { name: 'Preview/PrvText.txt', data: `미리보기 주민등록번호 ${RRN}` },
    ]);
    const result = await hwpxExtractor.extract(bytes, context());
    assert.equal(piece(result, 'preview'), `미리보기 주민등록번호 ${RRN}`);
    assert.deepEqual(result.problems.map((p) => p.code), ['unreadable']);
  });
});

/** A ustar header whose name field holds `nameBytes`, for legacy-encoded tar names. */
function rawNamedTar(nameBytes: Buffer, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  nameBytes.copy(header, 0);
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

async function packTar(files: readonly (readonly [name: string, data: string])[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, data] of files) pack.entry({ name }, data);
  pack.entry({ name: '폴더', type: 'directory' });
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('tar and gzip', () => {
  it('reads a tar built with tar-stream, Korean (pax) names included', async () => {
    const bytes = await packTar([['명단/고객.txt', `주민등록번호: ${RRN}`], ['readme.txt', 'hello']]);
    const result = await tarExtractor.extract(bytes, context());
    assert.deepEqual(result.children.map((c) => [c.path, c.bytes.toString('utf8')]), [
      ['명단/고객.txt', `주민등록번호: ${RRN}`],
      ['readme.txt', 'hello'],
    ]);
  });

  it('decodes a CP949 name in a plain ustar header', async () => {
    const bytes = rawNamedTar(iconv.encode('급여명세서.txt', 'cp949'), Buffer.from(RRN));
    const result = await tarExtractor.extract(bytes, context());
    assert.deepEqual(result.children.map((c) => c.path), ['급여명세서.txt']);
  });

  it('reads a tgz as a gzip whose child is the tar', async () => {
    const tarBytes = await packTar([['고객.csv', `홍길동,${RRN}`]]);
    const gz = await gzipExtractor.extract(gzipSync(tarBytes), context({}, '백업.tgz'));
    assert.deepEqual(gz.children.map((c) => c.path), ['백업.tar']);
    assert.ok(gz.children[0]?.bytes.equals(tarBytes));
    const inner = await tarExtractor.extract(gz.children[0]!.bytes, { ...context(), depth: 1 });
    assert.deepEqual(inner.children.map((c) => c.path), ['고객.csv']);
  });

  it('names the gzip child from the name stored in the header, else data', async () => {
    const gz = gzipSync(Buffer.from(RRN));
    // FLG.FNAME set, the zero-terminated name right after the 10-byte header.
    const named = Buffer.concat([
      gz.subarray(0, 3),
      Buffer.from([0x08]),
      gz.subarray(4, 10),
      Buffer.from('명단.txt\0'),
      gz.subarray(10),
    ]);
    assert.deepEqual((await gzipExtractor.extract(named, context())).children.map((c) => c.path), ['명단.txt']);
    assert.deepEqual((await gzipExtractor.extract(gz, context())).children.map((c) => c.path), ['data']);
  });

  it('stops a gzip bomb at the ratio limit, fast', async () => {
    const { compressed, crc, size } = zerosDeflate(1024);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(size % 2 ** 32, 4);
    const bytes = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), compressed, trailer]);
    const started = performance.now();
    const isRatio = (err: unknown): boolean => err instanceof LimitExceeded && err.limit === 'ratio';
    await assert.rejects(gzipExtractor.extract(bytes, context()), isRatio);
    assert.ok(performance.now() - started < 1000);
  });

  it('keeps what came before the cut of a truncated gzip and reports it', async () => {
    const text = `주민등록번호: ${RRN}\n`.repeat(2000);
    const gz = gzipSync(Buffer.from(text));
    const result = await gzipExtractor.extract(gz.subarray(0, Math.floor(gz.length / 2)), context());
    assert.deepEqual(result.problems.map((p) => p.code), ['unreadable']);
    assert.ok(result.children[0]!.bytes.toString('utf8').startsWith(`주민등록번호: ${RRN}`));
  });
});

describe('7z and RAR', () => {
  const sevenZip = (build: (dir: string) => void, name: string): Buffer =>
    withTempDir((dir) => {
      build(dir);
      return readFileSync(join(dir, name));
    });

  it('extracts a 7z archive with Korean names', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const bytes = sevenZip((dir) => {
      mkdirSync(join(dir, '자료'));
      writeFileSync(join(dir, '자료', '명단.txt'), `주민등록번호: ${RRN}`);
      writeFileSync(join(dir, '자료', 'b.txt'), 'second');
      execFileSync('7z', ['a', 'out.7z', '자료'], { cwd: dir, stdio: 'ignore' });
    }, 'out.7z');
    const result = await sevenZipExtractor.extract(bytes, context());
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.children.map((c) => [c.path, c.bytes.toString('utf8')]).sort(),
      [['자료/b.txt', 'second'], ['자료/명단.txt', `주민등록번호: ${RRN}`]],
    );
  });

  it('reports encrypted 7z entries, and a 7z with encrypted names as an encrypted file', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const make = (flags: string[]): Buffer =>
      sevenZip((dir) => {
        writeFileSync(join(dir, '명단.txt'), `주민등록번호: ${RRN}`);
        execFileSync('7z', ['a', '-psecret', ...flags, 'out.7z', '명단.txt'], { cwd: dir, stdio: 'ignore' });
      }, 'out.7z');
    const entries = await sevenZipExtractor.extract(make([]), context());
    const detail = 'archive entry is encrypted';
    assert.deepEqual(entries.problems, [{ code: 'encrypted', where: '', path: '명단.txt', detail }]);
    assert.deepEqual(entries.children, []);
    const started = performance.now();
    await assert.rejects(sevenZipExtractor.extract(make(['-mhe=on']), context()), EncryptedFile);
    assert.ok(performance.now() - started < 5000, 'no password prompt');
  });

  it('refuses a 7z bomb from its listing, before writing anything', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const bytes = sevenZip((dir) => {
      writeFileSync(join(dir, 'zeros.bin'), Buffer.alloc(8 * 1024 * 1024));
      execFileSync('7z', ['a', 'out.7z', 'zeros.bin'], { cwd: dir, stdio: 'ignore' });
    }, 'out.7z');
    const result = await sevenZipExtractor.extract(bytes, context());
    assert.deepEqual(result.problems.map((p) => [p.code, p.path]), [['limit-exceeded', 'zeros.bin']]);
    assert.deepEqual(result.children, []);
  });

  /** RAR 4 with one entry (method 0x30 stored, 0x33 normal); block CRCs are CRC-32's low half. */
  function rar(name: string, data: Buffer, method: number): Buffer {
    const block = (type: number, flags: number, body: Buffer): Buffer => {
      const head = Buffer.alloc(7 + body.length);
      head.writeUInt8(type, 2);
      head.writeUInt16LE(flags, 3);
      head.writeUInt16LE(head.length, 5);
      body.copy(head, 7);
      head.writeUInt16LE(crc32(head.subarray(2)) & 0xffff, 0);
      return head;
    };
    const nameBytes = Buffer.from(name);
    const file = Buffer.alloc(25 + nameBytes.length);
    file.writeUInt32LE(data.length, 0);
    file.writeUInt32LE(data.length, 4);
    file.writeUInt8(3, 8);
    file.writeUInt32LE(crc32(data) >>> 0, 9);
    file.writeUInt32LE(0x5a210000, 13);
    file.writeUInt8(29, 17);
    file.writeUInt8(method, 18);
    file.writeUInt16LE(nameBytes.length, 19);
    file.writeUInt32LE(0x20, 21);
    nameBytes.copy(file, 25);
    return Buffer.concat([
      Buffer.from('Rar!\x1a\x07\x00', 'latin1'),
      block(0x73, 0, Buffer.alloc(6)),
      block(0x74, 0x8000, file),
      data,
      block(0x7b, 0x4000, Buffer.alloc(0)),
    ]);
  }

  it('reads a stored RAR entry and reports a compressed one as unsupported (no RAR codec)', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const data = Buffer.from(`주민등록번호: ${RRN}`);
    const stored = await sevenZipExtractor.extract(rar('memo.txt', data, 0x30), context());
    assert.deepEqual(stored.problems, []);
    const read = stored.children.map((c) => [c.path, c.bytes.toString('utf8')]);
    assert.deepEqual(read, [['memo.txt', data.toString('utf8')]]);
    const packed = await sevenZipExtractor.extract(rar('memo.txt', data, 0x33), context());
    assert.deepEqual(packed.problems.map((p) => [p.code, p.path]), [['unsupported-format', 'memo.txt']]);
    assert.deepEqual(packed.children, []);
  });

  it('does not start 7z when the time budget is spent', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const spent = { budget: createBudget(resolveLimits(), Date.now() - 120_000), depth: 0, name: null };
    await assert.rejects(
      sevenZipExtractor.extract(rar('a.txt', Buffer.from('x'), 0x30), spent),
      (err: unknown) => err instanceof LimitExceeded && err.limit === 'time',
    );
    // A clock that always leaves 1 ms: 7z is started, then killed by the timeout.
    const limits = resolveLimits();
    const start = Date.now();
    const almost = createBudget(limits, start, () => start + limits.timeBudgetMs - 1);
    await assert.rejects(
      sevenZipExtractor.extract(rar('a.txt', Buffer.from('x'), 0x30), { budget: almost, depth: 0, name: null }),
      (err: unknown) => err instanceof LimitExceeded && /while 7z was working/.test(err.message),
    );
  });

  it('leaves no temporary folder behind', async (t) => {
    if (!tool('7z')) return t.skip('7z not installed');
    const ours = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('outguard-7z-'));
    const before = new Set(ours());
    await sevenZipExtractor.extract(rar('a.txt', Buffer.from('x'), 0x30), context()).catch(() => undefined);
    const garbage = Buffer.from('7z\xbc\xaf\x27\x1cgarbage', 'latin1');
    await sevenZipExtractor.extract(garbage, context()).catch(() => undefined);
    assert.deepEqual(ours().filter((n) => !before.has(n)), []);
  });
});

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const PKG_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

function relsXml(list: readonly (readonly [id: string, type: string, target: string])[]): string {
  const items = list.map(
    ([id, type, target]) => `<Relationship Id="${id}" Type="${REL_NS}/${type}" Target="${target}"/>`,
  );
  return `${XML}<Relationships xmlns="${PKG_NS}">${items.join('')}</Relationships>`;
}

function wordXml(root: 'document' | 'hdr', text: string): string {
  const paragraph = `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;
  const content = root === 'document' ? `<w:body>${paragraph}</w:body>` : paragraph;
  return `${XML}<w:${root} xmlns:w="${W_NS}">${content}</w:${root}>`;
}

const DOCX_TYPES =
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Override PartName="/word/document.xml" ' +
  'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

/** A DOCX of a body and one header, plus `extra` entries. */
function smallDocx(
  body: string,
  header: string,
  extra: readonly { name: string; data: string | Buffer }[] = [],
): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: DOCX_TYPES },
    { name: '_rels/.rels', data: relsXml([['rId1', 'officeDocument', 'word/document.xml']]) },
    { name: 'word/document.xml', data: wordXml('document', body) },
    { name: 'word/_rels/document.xml.rels', data: relsXml([['rId1', 'header', 'header1.xml']]) },
    ...extra,
    { name: 'word/header1.xml', data: wordXml('hdr', header) },
  ]);
}

/** The entries of `zip` with `added` put in (replacing entries of the same name). */
async function withEntries(
  zip: Buffer,
  added: readonly { name: string; data: string | Buffer }[],
): Promise<Buffer> {
  const reading = await ZipReader.open(zip, createBudget(resolveLimits()));
  try {
    const kept = reading.entries.filter((e) => !e.directory && !added.some((a) => a.name === e.path));
    const entries = await Promise.all(kept.map(async (e) => ({ name: e.path, data: await reading.read(e) })));
    return buildZip([...entries, ...added]);
  } finally {
    reading.close();
  }
}

describe('package entries no part reads, and document properties', () => {
  const csv = `성명,주민등록번호\n홍길동,${RRN}\n`;
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>계좌 110-123-456789</text></svg>';
  const coreXml =
    `${XML}<cp:coreProperties ` +
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">' +
    `<dc:title>홍길동 인사기록</dc:title><cp:keywords>주민등록번호 ${RRN}</cp:keywords>` +
    '<dc:creator>김담당</dc:creator><dcterms:created>2024-03-01T09:00:00Z</dcterms:created></cp:coreProperties>';
  const customXml =
    `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ` +
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="고객번호">' +
    '<vt:lpwstr>110-123-456789</vt:lpwstr></property>' +
    '</Properties>';

  it('returns a CSV next to word/document.xml, an SVG, a thumbnail that is no picture', async () => {
    const bytes = smallDocx('본문', '머리말', [
      { name: '고객명단.csv', data: csv },
      { name: 'word/media/image1.svg', data: svg },
      { name: 'docProps/thumbnail.jpeg', data: csv },
      { name: 'docProps/app.xml', data: '<Properties/>' },
      { name: 'word/styles.xml', data: '<w:styles/>' },
      { name: 'word/theme/theme1.xml', data: '<a:theme/>' },
      { name: 'word/settings.xml', data: '<w:settings/>' },
      { name: 'word/fontTable.xml', data: '<w:fonts/>' },
      { name: 'word/webSettings.xml', data: '<w:webSettings/>' },
      { name: 'word/numbering.xml', data: '<w:numbering/>' },
    ]);
    const result = await docxExtractor.extract(bytes, context());
    assert.deepEqual(result.children.map((c) => c.path).sort(), [
      'docProps/thumbnail.jpeg',
      'word/media/image1.svg',
      '고객명단.csv',
    ]);
    assert.equal(result.children.find((c) => c.path === '고객명단.csv')?.bytes.toString('utf8'), csv);
    assert.deepEqual(result.problems, []);
  });

  it('leaves out a thumbnail that is a picture', async () => {
    const bytes = smallDocx('본문', '머리말', [{ name: 'docProps/thumbnail.png', data: tinyPng() }]);
    assert.deepEqual((await docxExtractor.extract(bytes, context())).children, []);
  });

  it('reads core and custom properties of OOXML at properties, without timestamps', async () => {
    const bytes = smallDocx('본문', '머리말', [
      { name: 'docProps/core.xml', data: coreXml },
      { name: 'docProps/custom.xml', data: customXml },
    ]);
    const result = await docxExtractor.extract(bytes, context());
    assert.equal(piece(result, 'properties'), `홍길동 인사기록\n주민등록번호 ${RRN}\n김담당\n고객번호: 110-123-456789`);
    assert.deepEqual(result.children, [], 'the property parts are read, not returned');
  });

  it('reads ODF meta.xml at properties and returns entries no part reads', async () => {
    const meta =
      `${XML}<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ' +
      'xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      '<office:meta><dc:title>직원 명부</dc:title><meta:creation-date>2024-03-01T09:00:00</meta:creation-date>' +
      `<meta:user-defined meta:name="사번">${RRN}</meta:user-defined></office:meta></office:document-meta>`;
    const bytes = await withEntries(odtFixture(), [
      { name: 'meta.xml', data: meta },
      { name: 'Thumbnails/thumbnail.png', data: tinyPng() },
      { name: 'settings.xml', data: '<office:document-settings/>' },
      { name: '숨긴자료/명단.csv', data: csv },
    ]);
    const result = await odfExtractor.extract(bytes, context());
    assert.equal(piece(result, 'properties'), `직원 명부\n사번: ${RRN}`);
    assert.deepEqual(result.children.map((c) => c.path), ['Pictures/photo.png', '숨긴자료/명단.csv']);
  });

  it('reads HWPX content.hpf at properties and returns entries no part reads, not the preview', async () => {
    const hpf =
      `${XML}<opf:package xmlns:opf="http://www.idpf.org/2007/opf/">` +
      '<opf:metadata><opf:title>급여 대장</opf:title>' +
      '<opf:meta name="creator" content="text">홍길동</opf:meta>' +
      '<opf:meta name="CreatedDate" content="text">2024-03-01T09:00:00Z</opf:meta></opf:metadata>' +
      '<opf:manifest><opf:item id="section0" href="Contents/section0.xml"/></opf:manifest></opf:package>';
    const bytes = await withEntries(hwpxFixture(), [
      { name: 'Contents/content.hpf', data: hpf },
      { name: 'Preview/PrvText.txt', data: '개인정보 처리 현황' },
      { name: 'Preview/PrvImage.png', data: tinyPng() },
      { name: 'Scripts/명단.txt', data: csv },
    ]);
    const result = await hwpxExtractor.extract(bytes, context());
    assert.equal(piece(result, 'properties'), '급여 대장\ncreator: 홍길동');
    assert.deepEqual(result.children.map((c) => c.path), ['BinData/image1.png', 'Scripts/명단.txt']);
  });

  it('reads PPTX slide layouts at master rather than returning them', async () => {
    const layout =
      '<p:sldLayout xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ' +
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>' +
      '<a:p><a:r><a:t>대외비 담당 010-9876-5432</a:t></a:r></a:p>' +
      '</p:txBody></p:sp></p:spTree></p:cSld></p:sldLayout>';
    const name = 'ppt/slideLayouts/slideLayout1.xml';
    const bytes = await withEntries(pptxFixture(), [{ name, data: layout }]);
    const result = await pptxExtractor.extract(bytes, context());
    assert.equal(piece(result, 'master'), '대외비 담당 010-9876-5432');
    assert.deepEqual(result.children.map((c) => c.path), ['ppt/media/image1.png']);
  });

  it('caps the inner files per document and reports the first one left, by path', async () => {
    const name = (i: number): string => `data/파일${String(i).padStart(2, '0')}.txt`;
    const extra = Array.from({ length: 70 }, (_, i) => ({ name: name(i), data: `${i}` }));
    const result = await docxExtractor.extract(smallDocx('본문', '머리말', extra), context());
    assert.equal(result.children.length, 64);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.where, p.path]),
      [['limit-exceeded', '', 'data/파일64.txt']],
    );
    assert.match(result.problems[0]!.detail, /6 were not read/);
  });

  it('stops returning inner files at the message entry limit, and says so', async () => {
    const extra = Array.from({ length: 8 }, (_, i) => ({ name: `data/${i}.txt`, data: `${i}` }));
    const budget = createBudget(resolveLimits({ maxEntries: 20 }));
    // Earlier files of the message spent 12 entries; the 13 listed here still fit the listing.
    for (let i = 0; i < 12; i += 1) budget.takeEntry();
    // Parts read: _rels/.rels, document, its rels, header; [Content_Types].xml checked to be XML;
    // then 3 of the 8 files.
    const docx = smallDocx('본문', '머리말', extra);
    const result = await docxExtractor.extract(docx, { budget, depth: 0, name: null });
    assert.equal(result.children.length, 3);
    assert.deepEqual(result.problems.map((p) => [p.code, p.path]), [['limit-exceeded', 'data/3.txt']]);
  });

  it('reports a package whose listing was cut at the entry limit, for the file itself', async () => {
    const pad = Array.from({ length: 20 }, (_, i) => ({ name: `customXml/pad${i}.xml`, data: '<a/>' }));
    const docx = smallDocx('본문', `주민등록번호 ${RRN}`, pad);
    const result = await docxExtractor.extract(docx, context({ maxEntries: 10 }));
    const cut = result.problems.find((p) => p.code === 'limit-exceeded' && p.path === undefined);
    assert.equal(cut?.where, '');
    assert.match(cut!.detail, /lists 25 entries; only the first 10/);
  });
});

describe('a text cap met exactly', () => {
  it('reports the header skipped after a body that fills the cap to the character', async () => {
    // 1023 characters and the paragraph's line break: exactly the 1024 allowed.
    const bytes = smallDocx('a'.repeat(1023), `주민등록번호 ${RRN}`);
    const result = await docxExtractor.extract(bytes, context({ maxTextBytes: 1024 }));
    assert.equal(piece(result, '').length, 1023);
    assert.deepEqual(result.problems.map((p) => [p.code, p.where]), [['truncated', 'header']]);
  });

  it('reports text of a table cell dropped once the cell holds what is left', async () => {
    const cell = `<w:tc><w:p><w:r><w:t>0123456789</w:t></w:r><w:r><w:t>${RRN}</w:t></w:r></w:p></w:tc>`;
    const table = `<w:tbl><w:tr>${cell}</w:tr></w:tbl>`;
    const document = `${XML}<w:document xmlns:w="${W_NS}"><w:body>${table}</w:body></w:document>`;
    const docx = buildZip([{ name: 'word/document.xml', data: document }]);
    const result = await docxExtractor.extract(docx, context({ maxTextBytes: 10 }));
    assert.equal(piece(result, ''), '0123456789');
    assert.deepEqual(result.problems.map((p) => p.code), ['truncated']);
  });

  it('does not call a file cut when only the last line break did not fit', async () => {
    const bytes = buildZip([{ name: 'word/document.xml', data: wordXml('document', 'a'.repeat(10)) }]);
    const result = await docxExtractor.extract(bytes, context({ maxTextBytes: 10 }));
    assert.deepEqual(result.problems, []);
  });
});

describe('xlsx values a number format hides', () => {
  /** One sheet, one row: each value in column order with the custom format at the same index. */
  function hiddenXlsx(cells: readonly (readonly [value: string, format: string])[]): Buffer {
    const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const numFmts = cells.map(
      ([, f], i) => `<numFmt numFmtId="${164 + i}" formatCode="${f.replace(/"/g, '&quot;')}"/>`,
    );
    const xfs = cells.map((_, i) => `<xf numFmtId="${164 + i}"/>`);
    const row = cells.map(([v], i) => `<c r="${String.fromCharCode(65 + i)}1" s="${i + 1}"><v>${v}</v></c>`);
    return buildZip([
      {
        name: 'xl/workbook.xml',
        data: `${XML}<workbook xmlns="${S}"><sheets><sheet name="숨김" sheetId="1"/></sheets></workbook>`,
      },
      {
        name: 'xl/styles.xml',
        data:
          `${XML}<styleSheet xmlns="${S}"><numFmts>${numFmts.join('')}</numFmts>` +
          `<cellXfs><xf numFmtId="0"/>${xfs.join('')}</cellXfs></styleSheet>`,
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: `${XML}<worksheet xmlns="${S}"><sheetData><row>${row.join('')}</row></sheetData></worksheet>`,
      },
    ]);
  }

  it('adds the value after the shown text when ;;;, a constant, scaling or exponents hide it', async () => {
    const bytes = hiddenXlsx([
      ['9001011234568', ';;;'],
      ['9001011234568', '"x"'],
      ['9001011234568', '0,,,'],
      ['9001011234568', '0.0E+00'],
    ]);
    const sheet = piece(await xlsxExtractor.extract(bytes, context()), 'sheet=숨김');
    assert.equal(sheet, '9001011234568\tx\t9001011234568\t9001\t9001011234568\t9.0E+12\t9001011234568');
  });

  it('adds nothing when the format shows the value, a date, a percentage, a rounded amount', async () => {
    const bytes = hiddenXlsx([
      ['9001011234568', '000000-0000000'],
      ['45352', 'yyyy-mm-dd'],
      ['0.1234', '0.00%'],
      ['1234.5', '#,##0'],
    ]);
    const sheet = piece(await xlsxExtractor.extract(bytes, context()), 'sheet=숨김');
    assert.equal(sheet, `${RRN}\t2024-03-01\t12.34%\t1,235`);
  });
});

describe('bad input never hangs or crashes', () => {
  const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));
  const inputs: readonly (readonly [label: string, bytes: Buffer])[] = [
    ['empty', Buffer.alloc(0)],
    ['random bytes', random],
    ['zip magic then garbage', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), random])],
    ['truncated docx', docxFixture().subarray(0, 700)],
    ['docx without its central directory end', docxFixture().subarray(0, docxFixture().length - 30)],
    ['truncated xlsx', xlsxFixture().subarray(0, 1500)],
    ['truncated hwpx', hwpxFixture().subarray(0, 900)],
    ['7z magic then garbage', Buffer.concat([Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1'), random])],
    ['gzip magic then garbage', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), random])],
  ];
  const extractors: readonly (readonly [string, Extractor])[] = [
    ['zip', zipArchiveExtractor],
    ['docx', docxExtractor],
    ['xlsx', xlsxExtractor],
    ['pptx', pptxExtractor],
    ['odf', odfExtractor],
    ['hwpx', hwpxExtractor],
    ['tar', tarExtractor],
    ['gzip', gzipExtractor],
    ['7z', sevenZipExtractor],
  ];
  for (const [name, extractor] of extractors) {
    it(`${name}: every bad input gives an Error or a problem`, async () => {
      for (const [label, bytes] of inputs) {
        const outcome = await settlesWithin(extractor.extract(bytes, context()), 10_000);
        if ('error' in outcome && outcome.error !== undefined) {
          assert.ok(outcome.error instanceof Error, `${label}: rejects with an Error`);
          assert.ok(outcome.error.message.length < 200, `${label}: short message`);
          assert.ok(!outcome.error.message.includes(RRN), `${label}: no content in the message`);
        } else {
          const result = outcome.value!;
          const read = result.pieces.length + result.children.length;
          assert.ok(read > 0 || result.problems.length > 0 || bytes.length === 0, `${label}: says something`);
        }
      }
    });
  }
});

describe('through the message pipeline', () => {
  const mine: readonly Extractor[] = [
    docxExtractor,
    xlsxExtractor,
    pptxExtractor,
    odfExtractor,
    hwpxExtractor,
    zipArchiveExtractor,
    tarExtractor,
    gzipExtractor,
    sevenZipExtractor,
  ];
  // Until content/formats/index.ts lists these extractors, the lookup is handed in.
  const lookup = (kind: FileKind): Extractor | null => mine.find((e) => e.kinds.includes(kind)) ?? null;

  it('finds the resident number in documents and archives, stops at depth 8 and at bombs', async () => {
    let deep = buildZip([{ name: 'bottom.txt', data: `주민등록번호 ${RRN}` }]);
    for (let level = 19; level >= 1; level -= 1) deep = buildZip([{ name: `level${level}.zip`, data: deep }]);
    const mail = buildMail({
      subject: '자료 송부',
      body: multipart('mixed', [
        textPart('첨부합니다.'),
        attachmentPart('고객.xlsx', xlsxFixture()),
        attachmentPart('묶음.zip', buildZip([{ name: '문서.hwpx', data: hwpxFixture() }])),
        attachmentPart('deep.zip', deep),
        attachmentPart('bomb.zip', buildZip([{ name: 'zeros.bin', raw: zerosDeflate(1024) }])),
      ]),
    });
    const started = performance.now();
    const message = await extractMessage(mail, { extractors: lookup });
    assert.ok(performance.now() - started < 5000);
    const withRrn = message.segments
      .filter((s) => detectAll(s.text).some((f) => f.type === 'rrn'))
      .map((s) => s.location);
    assert.deepEqual(withRrn, ['attachment:고객.xlsx#sheet=고객목록', 'attachment:묶음.zip/문서.hwpx']);
    const depth = message.problems.find((p) => p.location.startsWith('attachment:deep.zip/'));
    assert.equal(depth?.code, 'limit-exceeded');
    assert.equal(depth?.location.split('/').length, 10, 'stops below level 8');
    assert.ok(
      message.problems.some(
        (p) => p.location === 'attachment:bomb.zip/zeros.bin' && p.code === 'limit-exceeded',
      ),
    );
  });

  it('finds the resident number in a CSV put into a DOCX, at the CSV inside the document', async () => {
    const docx = smallDocx('분기 보고서', '머리말', [{ name: '고객명단.csv', data: `성명,주민등록번호\n홍길동,${RRN}\n` }]);
    const body = multipart('mixed', [textPart('첨부'), attachmentPart('보고서.docx', docx)]);
    const message = await extractMessage(buildMail({ subject: '보고서', body }));
    const withRrn = message.segments
      .filter((s) => detectAll(s.text).some((f) => f.type === 'rrn'))
      .map((s) => s.location);
    assert.deepEqual(withRrn, ['attachment:보고서.docx/고객명단.csv']);
  });
});

describe('markup-compatibility fallbacks', () => {
  const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
  const docxOf = (body: string): Buffer =>
    buildZip([
      { name: '[Content_Types].xml', data: DOCX_TYPES },
      { name: '_rels/.rels', data: relsXml([['rId1', 'officeDocument', 'word/document.xml']]) },
      {
        name: 'word/document.xml',
        data: `${XML}<w:document xmlns:w="${W_NS}" xmlns:mc="${MC}" xmlns:x1="urn:example:unknown"><w:body>${body}</w:body></w:document>`,
      },
    ]);
  const para = (text: string): string => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

  it('reads a DOCX mc:Fallback that differs from its Choice', async () => {
    const alt = `<mc:AlternateContent><mc:Choice Requires="x1">${para('검토 완료')}</mc:Choice><mc:Fallback>${para(`주민등록번호: ${RRN}`)}</mc:Fallback></mc:AlternateContent>`;
    const body = piece(await docxExtractor.extract(docxOf(para('머리') + alt + para('끝')), context()), '');
    assert.ok(body.includes('검토 완료'), body);
    assert.ok(body.includes(`주민등록번호: ${RRN}`), body);
  });

  it('drops a DOCX mc:Fallback whose text is the Choice again', async () => {
    const box = (text: string): string => `<w:r><w:txbxContent>${para(text)}</w:txbxContent></w:r>`;
    const alt = `<w:p><mc:AlternateContent><mc:Choice Requires="wps">${box('상자 안 글')}</mc:Choice><mc:Fallback>${box('상자  안 글')}</mc:Fallback></mc:AlternateContent></w:p>`;
    const result = await docxExtractor.extract(docxOf(para('본문') + alt), context());
    assert.equal(piece(result, 'textbox'), '상자 안 글');
    assert.equal(piece(result, ''), '본문');
  });

  it('reads a PPTX slide mc:Fallback', async () => {
    const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
    const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
    const sp = (t: string): string => `<p:sp><p:txBody><a:bodyPr/><a:p><a:r><a:t>${t}</a:t></a:r></a:p></p:txBody></p:sp>`;
    const slide = `${XML}<p:sld xmlns:p="${P}" xmlns:a="${A}" xmlns:mc="${MC}" xmlns:x1="urn:example:unknown"><p:cSld><p:spTree><mc:AlternateContent><mc:Choice Requires="x1">${sp('보고')}</mc:Choice><mc:Fallback>${sp(`주민등록번호 ${RRN}`)}</mc:Fallback></mc:AlternateContent></p:spTree></p:cSld></p:sld>`;
    const pptx = buildZip([
      { name: '[Content_Types].xml', data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
      { name: '_rels/.rels', data: relsXml([['rId1', 'officeDocument', 'ppt/presentation.xml']]) },
      { name: 'ppt/presentation.xml', data: `${XML}<p:presentation xmlns:p="${P}" xmlns:r="${REL_NS}"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>` },
      { name: 'ppt/_rels/presentation.xml.rels', data: relsXml([['rId1', 'slide', 'slides/slide1.xml']]) },
      { name: 'ppt/slides/slide1.xml', data: slide },
    ]);
    const text = piece(await pptxExtractor.extract(pptx, context()), 'slide=1');
    assert.equal(text, `보고\n주민등록번호 ${RRN}`);
  });

  it('reads an HWPX hp:default beside its hp:case, once when they match', async () => {
    const NS = 'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"';
    const sw = (one: string, two: string): string =>
      `<hp:p><hp:run><hp:switch><hp:case hp:required-namespace="urn:example:unknown"><hp:t>${one}</hp:t></hp:case><hp:default><hp:t>${two}</hp:t></hp:default></hp:switch></hp:run></hp:p>`;
    const hwpx = buildZip([
      { name: 'mimetype', data: 'application/hwp+zip', method: 0 },
      { name: 'Contents/section0.xml', data: `${XML}<hs:sec ${NS}>${sw('보고서', `주민등록번호 ${RRN}`)}${sw('같은 글', '같은 글')}</hs:sec>` },
    ]);
    assert.equal(piece(await hwpxExtractor.extract(hwpx, context()), ''), `보고서\n주민등록번호 ${RRN}\n같은 글`);
  });
});

describe('OpenDocument values the shown text hides', () => {
  const NS =
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0"';
  const odf = (mimetype: string, body: string): Buffer =>
    buildZip([
      { name: 'mimetype', data: mimetype, method: 0 },
      { name: 'content.xml', data: `${XML}<office:document-content ${NS}><office:body>${body}</office:body></office:document-content>` },
    ]);
  const ods = (cells: string): Buffer =>
    odf(
      'application/vnd.oasis.opendocument.spreadsheet',
      `<office:spreadsheet><table:table table:name="명단"><table:table-row><table:table-cell office:value-type="string"><text:p>주민등록번호</text:p></table:table-cell>${cells}</table:table-row></table:table></office:spreadsheet>`,
    );

  it('adds an ODS float shown as 9.00E+12, or not shown at all, and keeps values shown in full', async () => {
    const cells =
      '<table:table-cell office:value-type="float" office:value="9001011234568"><text:p>9.00E+12</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="currency" office:value="1101234567890"/>' +
      '<table:table-cell office:value-type="float" office:value="1234567"><text:p>1,234,567</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>';
    const text = piece(await odfExtractor.extract(ods(cells), context()), 'sheet=명단');
    assert.equal(text, '주민등록번호\t9.00E+12 9001011234568\t1101234567890\t1,234,567\t50%');
  });

  it('adds an ODS office:string-value other than the shown text', async () => {
    const cells =
      `<table:table-cell office:value-type="string" office:string-value="${RRN}"><text:p>***</text:p></table:table-cell>` +
      '<table:table-cell office:value-type="string" office:string-value="홍길동"><text:p>홍길동</text:p></table:table-cell>';
    const text = piece(await odfExtractor.extract(ods(cells), context()), 'sheet=명단');
    assert.equal(text, `주민등록번호\t*** ${RRN}\t홍길동`);
  });

  it('reads ODT hidden-text, form values and user field declarations', async () => {
    const body =
      '<office:text><office:forms><form:form><form:text form:name="r" form:current-value="110-123-456789" form:value="기본값"/></form:form></office:forms>' +
      `<text:user-field-decls><text:user-field-decl text:name="rrn" office:value-type="string" office:string-value="주민등록번호 ${RRN}"/></text:user-field-decls>` +
      '<text:p>보고 <text:hidden-text text:condition="ooow:1==2" text:string-value="여권 M12345678"/>끝</text:p></office:text>';
    const text = piece(await odfExtractor.extract(odf('application/vnd.oasis.opendocument.text', body), context()), '');
    assert.equal(text, `기본값\n110-123-456789\n주민등록번호 ${RRN}\n보고  여권 M12345678 끝`);
  });
});

describe('structural parts: exempt only while they are XML, and their visible text', () => {
  const csv = `이름,주민등록번호\n홍길동,${RRN}\n`;

  it('returns structural parts that are no XML, but not fonts or printer settings', async () => {
    const bytes = smallDocx('보고서', '머리말', [
      { name: 'word/theme/theme2.xml', data: csv },
      { name: 'word/_rels/secret.xml.rels', data: csv },
      { name: 'word/settings.xml', data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]) },
      { name: 'word/webSettings.xml', data: `\uFEFF  ${XML}<w:webSettings xmlns:w="${W_NS}"/>` },
      { name: 'word/fontTable.xml', data: Buffer.from(`\uFEFF<w:fonts xmlns:w="${W_NS}"/>`, 'utf16le') },
      { name: 'word/fonts/font1.odttf', data: csv },
      { name: 'word/printerSettings/printerSettings1.bin', data: csv },
    ]);
    const result = await docxExtractor.extract(bytes, context());
    assert.deepEqual(result.children.map((c) => c.path).sort(), [
      'word/_rels/secret.xml.rels',
      'word/settings.xml',
      'word/theme/theme2.xml',
    ]);
    assert.deepEqual(result.problems, [], 'a settings part that is no XML is not reported unreadable');
  });

  it('reads company, manager and part titles of docProps/app.xml at properties', async () => {
    const app =
      `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
      'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
      '<Application>Microsoft Office Word</Application><Pages>3</Pages>' +
      `<Company>주민등록번호 ${RRN}</Company><Manager>김부장</Manager>` +
      '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>고객 110-123-456789</vt:lpstr></vt:vector></TitlesOfParts></Properties>';
    const result = await docxExtractor.extract(smallDocx('본문', '머리말', [{ name: 'docProps/app.xml', data: app }]), context());
    assert.equal(piece(result, 'properties'), `주민등록번호 ${RRN}\n김부장\n고객 110-123-456789`);
    assert.deepEqual(result.children, []);
  });

  it('reads DOCX style names, numbering text and document variables at properties', async () => {
    const w = (root: string, inner: string): string => `${XML}<w:${root} xmlns:w="${W_NS}">${inner}</w:${root}>`;
    const result = await docxExtractor.extract(
      smallDocx('본문', '머리말', [
        { name: 'word/styles.xml', data: w('styles', `<w:style w:type="paragraph" w:styleId="a"><w:name w:val="주민 ${RRN}"/></w:style><w:latentStyles><w:lsdException w:name="Normal"/></w:latentStyles>`) },
        { name: 'word/numbering.xml', data: w('numbering', '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:lvlText w:val="110-123-456789 %1."/></w:lvl><w:lvl w:ilvl="1"><w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum>') },
        { name: 'word/settings.xml', data: w('settings', '<w:docVars><w:docVar w:name="담당" w:val="여권 M12345678"/></w:docVars>') },
      ]),
      context(),
    );
    assert.equal(piece(result, 'properties'), `주민 ${RRN}\n110-123-456789 %1.\n담당: 여권 M12345678`);
  });
});

describe('EMF pictures: the text they draw', () => {
  it('reads EMR_EXTTEXTOUTW and EMR_EXTTEXTOUTA strings, by baseline', async () => {
    const wide = emfFixture([['주민등록번호', 50], [RRN, 50], ['홍', 90], ['길동', 90], ['끝', 130]]);
    assert.ok(looksLikeEmf(wide));
    const result = await emfExtractor.extract(wide, context());
    assert.equal(piece(result, ''), `주민등록번호 ${RRN}\n홍길동\n끝`);
    assert.deepEqual(result.problems, []);
    const ansi = await emfExtractor.extract(emfFixture([[`계좌 110-123-456789`, 10]], true), context());
    assert.equal(piece(ansi, ''), '계좌 110-123-456789');
  });

  it('reports glyph-index strings and malformed records, and refuses a file with no EMF header', async () => {
    const glyph = emfFixture([['보이는 글', 10], ['글리프', 20]]);
    const second = 108 + glyph.readUInt32LE(108 + 4);
    glyph.writeUInt32LE(0x10, second + 52);
    const result = await emfExtractor.extract(glyph, context());
    assert.equal(piece(result, ''), '보이는 글');
    assert.deepEqual(result.problems.map((p) => p.code), ['unsupported-format']);
    const broken = emfFixture([['앞', 10]]);
    broken.writeUInt32LE(7, 108 + 4);
    const cut = await emfExtractor.extract(broken, context());
    assert.deepEqual(cut.problems.map((p) => p.code), ['unreadable']);
    await assert.rejects(emfExtractor.extract(Buffer.from('not an emf at all, just text'), context()));
  });

  it('returns an EMF in word/media as an inner file, read through the pipeline', async () => {
    const emf = emfFixture([['주민등록번호', 50], [RRN, 50]]);
    const docx = smallDocx('보고서', '머리말', [{ name: 'word/media/image1.emf', data: emf }]);
    const result = await docxExtractor.extract(docx, context());
    assert.deepEqual(result.children.map((c) => c.path), ['word/media/image1.emf']);
    assert.deepEqual(result.problems, []);
    const message = await extractMessage(buildMail({ subject: '보고서', body: multipart('mixed', [textPart('첨부'), attachmentPart('보고서.docx', docx)]) }));
    const withRrn = message.segments.filter((s) => detectAll(s.text).some((f) => f.type === 'rrn')).map((s) => s.location);
    assert.deepEqual(withRrn, ['attachment:보고서.docx/word/media/image1.emf']);
  });
});
