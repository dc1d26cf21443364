/**
 * The PDF, HWP 5, TNEF and image (OCR) extractors on fixtures built here from code — Korean text
 * and the synthetic resident number 900101-1234568 in each — and on the public corpus files
 * (../shared/corpus), skipped visibly when that folder is absent. Unreadable input must end in a
 * clear error or problem: encrypted → EncryptedFile, limits → LimitExceeded, corrupt → Error.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { PDFDocument, createCanvas } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { simpleParser } from 'mailparser';
import { createPdfExtractor, pdfExtractor } from '../content/formats/pdf.js';
import { hwpExtractor } from '../content/formats/hwp.js';
import { paragraphText } from '../content/formats/hwp-records.js';
import { tnefExtractor } from '../content/formats/tnef.js';
import { decompressRtf } from '../content/formats/rtf-compressed.js';
import { createImageExtractor, imageExtractor, ocrImage } from '../content/formats/image.js';
import { imageSize } from '../content/formats/image-size.js';
import { EncryptedFile, LimitExceeded } from '../content/formats/types.js';
import type { Budget, ExtractContext, ExtractLimits, ExtractResult, LimitName } from '../content/formats/types.js';
import { createBudget, resolveLimits } from '../content/limits.js';
import { detectAll } from '../detectors/index.js';
import { buildPdf, koreanLines } from './support/pdf-builder.js';
import { asDistribution, buildHwp, fileHeader, record, sectionRecords, withHeaderFlags, writeContainer } from './support/hwp-builder.js';
import type { HwpSpec } from './support/hwp-builder.js';
import {
  ATTR,
  IID_IMESSAGE,
  LEVEL_ATTACHMENT,
  LEVEL_MESSAGE,
  attribute,
  compressRtf,
  cp949,
  mapiProperties,
  rtfEscapedKorean,
  tnefStream,
} from './support/tnef-builder.js';
import { KOREAN_FONT_FAMILY, pngHeaderOnly, registerKoreanFont, renderLines, toBmp, toTiff } from './support/image-fixtures.js';

const RRN = '900101-1234568';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');

/** The production budget, with what was taken from it counted for the assertions. */
interface CountingBudget extends Budget {
  readonly ocrImagesTaken: number;
  readonly decompressedTaken: number;
}

function testBudget(overrides: Partial<ExtractLimits> = {}): CountingBudget {
  const budget = createBudget(resolveLimits(overrides));
  let ocrImages = 0;
  let decompressed = 0;
  return {
    ...budget,
    get ocrImagesTaken() {
      return ocrImages;
    },
    get decompressedTaken() {
      return decompressed;
    },
    takeOcrImage(): void {
      ocrImages += 1;
      budget.takeOcrImage();
    },
    takeDecompressed(bytes: number): void {
      decompressed += bytes;
      budget.takeDecompressed(bytes);
    },
  };
}

function testContext(name: string | null, overrides: Partial<ExtractLimits> = {}): ExtractContext {
  return { budget: testBudget(overrides), depth: 0, name };
}

function corpusFile(t: TestContext, name: string): Buffer | null {
  const file = path.join(CORPUS, name);
  if (!existsSync(file)) {
    t.skip(`corpus file not present: ${file}`);
    return null;
  }
  return readFileSync(file);
}

function textAt(result: ExtractResult, where: string): string {
  return result.pieces
    .filter((p) => p.where === where)
    .map((p) => p.text)
    .join('\n');
}

function allText(result: ExtractResult): string {
  return result.pieces.map((p) => p.text).join('\n');
}

function hasRrn(text: string): boolean {
  return detectAll(text).some((f) => f.type === 'rrn' && f.masked.startsWith('900101'));
}

async function rejectsWith(promise: Promise<unknown>, check: (error: unknown) => boolean, label: string): Promise<unknown> {
  let caught: unknown = null;
  await promise.then(
    () => assert.fail(`${label}: expected a rejection`),
    (error: unknown) => {
      caught = error;
    },
  );
  assert.ok(check(caught), `${label}: unexpected ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  return caught;
}

const isLimit = (limit: LimitName) => (e: unknown) => e instanceof LimitExceeded && e.limit === limit;
/** A corrupt file: a plain Error, not one of the two outcomes the pipeline reports otherwise. */
const isUnreadable = (e: unknown) => e instanceof Error && !(e instanceof EncryptedFile) && !(e instanceof LimitExceeded);

// ─── PDF ────────────────────────────────────────────────────────────────────────────────────────

/** Taken when this file loads, before any test loads pdfjs (pdf.ts loads it on first use). */
const NATIVES = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };

describe('pdfExtractor', () => {
  it('reads Korean from a CID-keyed font with the predefined UniKS-UCS2-H CMap, page by page', async () => {
    const pdf = buildPdf({
      pages: [
        { content: koreanLines(['고객 개인정보 목록', `홍길동 주민등록번호: ${RRN}`]) },
        { content: koreanLines(['둘째 쪽: 김영희 연락처 확인']) },
      ],
    });
    const result = await pdfExtractor.extract(pdf, testContext('명단.pdf'));
    assert.equal(textAt(result, 'page=1'), `고객 개인정보 목록\n홍길동 주민등록번호: ${RRN}`);
    assert.equal(textAt(result, 'page=2'), '둘째 쪽: 김영희 연락처 확인');
    assert.doesNotMatch(allText(result), /cid:/);
    assert.ok(hasRrn(textAt(result, 'page=1')));
    assert.deepEqual(result.problems, []);
  });

  it('leaves the process its native Array.prototype.push and JSON once pdfjs is loaded', async () => {
    // pdfjs's core-js would otherwise slow every push in the extraction worker several times.
    // core-js also makes its replacements print as [native code]: compared by identity instead.
    await pdfExtractor.extract(buildPdf({ pages: [{ content: koreanLines(['한 줄']) }] }), testContext('a.pdf'));
    assert.ok(Array.prototype.push === NATIVES.push, 'Array.prototype.push');
    assert.ok(JSON.parse === NATIVES.parse, 'JSON.parse');
    assert.ok(JSON.stringify === NATIVES.stringify, 'JSON.stringify');
    assert.equal(typeof (Promise as { withResolvers?: unknown }).withResolvers, 'function', 'what Node 20 lacks stays added');
  });

  it('reads text in an embedded TrueType subset (Identity-H + ToUnicode) and turns stray controls into spaces', async () => {
    registerKoreanFont();
    const document = new PDFDocument({ title: 'test' });
    const context = document.beginPage(595, 842);
    context.font = `14px ${KOREAN_FONT_FAMILY}`;
    context.fillText(`고객 명단: 홍길동 주민등록번호: ${RRN}`, 50, 100);
    document.endPage();
    const result = await pdfExtractor.extract(document.close(), testContext('skia.pdf'));
    // Skia maps the space glyph to U+0001; the extractor must not glue the words together.
    assert.equal(textAt(result, 'page=1'), `고객 명단: 홍길동 주민등록번호: ${RRN}`);
    assert.ok(hasRrn(textAt(result, 'page=1')));
  });

  it('gives form-field values with the page text and embedded files as children', async () => {
    const attached = Buffer.from(`이름,주민등록번호\n홍길동,${RRN}\n`, 'utf8');
    const pdf = buildPdf({
      pages: [{ content: 'BT /F1 12 Tf 72 720 Td (Application form) Tj ET' }],
      formFieldValue: `홍길동 ${RRN}`,
      attachments: [{ name: '고객명단.csv', bytes: attached }],
    });
    const result = await pdfExtractor.extract(pdf, testContext('form.pdf'));
    assert.equal(textAt(result, 'page=1'), `Application form\n홍길동 ${RRN}`);
    assert.deepEqual(
      result.children.map((c) => [c.path, c.bytes.toString('utf8')]),
      [['고객명단.csv', attached.toString('utf8')]],
    );
  });

  it('reads a scanned page (image, no text layer) through OCR, or reports it when OCR is off', async () => {
    const document = new PDFDocument({ title: 'scan' });
    registerKoreanFont();
    const context = document.beginPage(595, 842);
    context.font = `14px ${KOREAN_FONT_FAMILY}`;
    context.fillText('첫 쪽은 글자가 있는 쪽입니다', 50, 100);
    document.endPage();
    const scan = renderLines(['개인정보 제공 동의서', `주민등록번호: ${RRN}`]);
    // At run time a page context is the full Skia context; its declared type lacks drawImage.
    const scanPage = document.beginPage(595, 842) as SKRSContext2D;
    scanPage.drawImage(scan, 30, 60, 540, (540 * scan.height) / scan.width);
    document.endPage();
    const pdf = document.close();

    const budget = testBudget();
    const result = await pdfExtractor.extract(pdf, { budget, depth: 0, name: 'scan.pdf' });
    assert.equal(textAt(result, 'page=1'), '첫 쪽은 글자가 있는 쪽입니다');
    assert.match(textAt(result, 'page=2'), /주민등록번호/);
    assert.ok(hasRrn(textAt(result, 'page=2')), `OCR text: ${textAt(result, 'page=2')}`);
    assert.equal(budget.ocrImagesTaken, 1);

    const noOcr = await createPdfExtractor({ ocr: false }).extract(pdf, testContext('scan.pdf'));
    assert.deepEqual(noOcr.problems, [{ code: 'unsupported-format', where: 'page=2', detail: 'scanned page, no text layer' }]);

    const noImagesLeft = await pdfExtractor.extract(pdf, testContext('scan.pdf', { maxOcrImages: 0 }));
    assert.equal(noImagesLeft.problems[0]?.code, 'limit-exceeded');
    assert.equal(noImagesLeft.problems[0]?.where, 'page=2');
  });

  /** A JPEG scan of a consent form, 1000 × 650 px, drawn on a page as an image. */
  function scannedImage(): { jpeg: Buffer; width: number; height: number } {
    const scan = renderLines(['개인정보 제공 동의서', `주민등록번호: ${RRN}`, ...Array<string>(8).fill('')], 1000);
    return { jpeg: scan.toBuffer('image/jpeg'), width: scan.width, height: scan.height };
  }

  it('reads a scanned page through OCR even when it carries a page number as text', async () => {
    const pdf = buildPdf({ pages: [{ content: 'BT /F1 8 Tf 540 20 Td (- 1 -) Tj ET', image: scannedImage() }] });
    const budget = testBudget();
    const result = await pdfExtractor.extract(pdf, { budget, depth: 0, name: 'scan.pdf' });
    assert.match(textAt(result, 'page=1'), /^- 1 -\n/);
    assert.ok(hasRrn(textAt(result, 'page=1')), `OCR text: ${textAt(result, 'page=1')}`);
    assert.equal(budget.ocrImagesTaken, 1);
    assert.deepEqual(result.problems, []);
  });

  it('reports a scanned page whose image is over maxImagePixels instead of rendering it blank', async () => {
    const image = scannedImage();
    const pdf = buildPdf({ pages: [{ content: '', image }] });
    const budget = testBudget({ maxImagePixels: 500_000 });
    const result = await pdfExtractor.extract(pdf, { budget, depth: 0, name: 'scan.pdf' });
    assert.deepEqual(result.problems, [
      { code: 'limit-exceeded', where: 'page=1', detail: `scanned page not read: image of 1000x650 is over 500000 pixels` },
    ]);
    assert.equal(budget.ocrImagesTaken, 0);
    // Just over the image's size, the page is rendered and read: the limit was the only stop.
    const read = await pdfExtractor.extract(pdf, testContext('scan.pdf', { maxImagePixels: image.width * image.height }));
    assert.ok(hasRrn(textAt(read, 'page=1')), `OCR text: ${textAt(read, 'page=1')}`);
  });

  it('gives a file attached to a page (FileAttachment annotation, the paperclip) as a child', async () => {
    const attached = Buffer.from(`성명,주민등록번호\n홍길동,${RRN}\n`, 'utf8');
    const pdf = buildPdf({
      pages: [{ content: koreanLines(['첨부 파일을 확인하십시오.']) }],
      pageAttachment: { name: '명단.csv', bytes: attached },
    });
    const budget = testBudget();
    const result = await pdfExtractor.extract(pdf, { budget, depth: 0, name: 'doc.pdf' });
    assert.deepEqual(result.children.map((c) => [c.path, c.bytes.toString('utf8')]), [['명단.csv', attached.toString('utf8')]]);
    assert.equal(budget.decompressedTaken, attached.length);
    assert.deepEqual(result.problems, []);
  });

  it('charges embedded files to the decompression budget and refuses one over the ratio at its own path', async () => {
    const small = Buffer.from(`홍길동,${RRN}\n`, 'utf8');
    const bomb = Buffer.alloc(8 * 1024 * 1024, 0x41);
    const pages = [{ content: koreanLines([`본문 주민등록번호: ${RRN}`]) }];
    const pdf = buildPdf({ pages, attachments: [{ name: 'small.csv', bytes: small }, { name: 'big.txt', bytes: bomb, compressed: true }] });
    assert.ok(pdf.length < 64 * 1024, `${pdf.length} bytes`);

    const budget = testBudget();
    const result = await pdfExtractor.extract(pdf, { budget, depth: 0, name: 'doc.pdf' });
    assert.ok(hasRrn(textAt(result, 'page=1')));
    assert.deepEqual(result.children.map((c) => c.path), ['small.csv']);
    assert.equal(budget.decompressedTaken, small.length);
    assert.deepEqual(result.problems.map((p) => [p.code, p.where, p.path]), [['limit-exceeded', '', 'big.txt']]);
    assert.match(result.problems[0]?.detail ?? '', /^embedded file of 8388608 bytes is over 100 times the PDF's size$/);

    // Within the ratio but past the message's decompression budget: reported, not passed on.
    const spent = await pdfExtractor.extract(pdf, testContext('doc.pdf', { maxCompressionRatio: 1e6, maxDecompressedBytes: 1024 * 1024 }));
    assert.deepEqual(spent.children.map((c) => c.path), ['small.csv']);
    assert.deepEqual(spent.problems.map((p) => [p.code, p.where, p.path]), [['limit-exceeded', '', 'big.txt']]);
    assert.ok(hasRrn(textAt(spent, 'page=1')));
  });

  it('refuses a PDF with a user password (standard security handler) as encrypted', async () => {
    const pages = [{ content: koreanLines([`주민등록번호: ${RRN}`]) }];
    const pdf = buildPdf({ pages, userPassword: '1234' });
    await rejectsWith(pdfExtractor.extract(pdf, testContext('secret.pdf')), (e) => e instanceof EncryptedFile, 'RC4 PDF');
    // The same document without the password is read: only the encryption stops the reading.
    assert.ok(hasRrn(allText(await pdfExtractor.extract(buildPdf({ pages }), testContext('open.pdf')))));
  });

  it('refuses the encrypted PDF of the rspamd corpus mail as encrypted', async (t) => {
    const raw = corpusFile(t, 'rspamd__rspamd__test__functional__messages__pdf_encrypted.eml');
    if (raw === null) return;
    const mail = await simpleParser(raw);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(pdf, 'the corpus mail carries a PDF attachment');
    await rejectsWith(pdfExtractor.extract(pdf.content, testContext(pdf.filename ?? null)), (e) => e instanceof EncryptedFile, 'corpus PDF');
  });

  it('reports garbage and a cut-off PDF as unreadable errors, and a spent time budget as a limit', async () => {
    await rejectsWith(pdfExtractor.extract(Buffer.from('%PDF-1.7\n이것은 PDF가 아닙니다'), testContext('bad.pdf')), isUnreadable, 'garbage');
    await rejectsWith(pdfExtractor.extract(Buffer.alloc(0), testContext('empty.pdf')), isUnreadable, 'empty');
    const whole = buildPdf({ pages: [{ content: koreanLines([`주민등록번호: ${RRN}`]) }] });
    const cut = whole.subarray(0, Math.floor(whole.length / 3));
    // pdfjs may rebuild what is left or fail; either way an answer, never a hang or a crash.
    const outcome: ExtractResult | unknown = await pdfExtractor.extract(cut, testContext('cut.pdf')).then(
      (r) => r,
      (e: unknown) => e,
    );
    if (outcome instanceof Error) assert.ok(isUnreadable(outcome), outcome.message);
    else assert.ok(Array.isArray((outcome as ExtractResult).pieces));
    await rejectsWith(pdfExtractor.extract(whole, testContext('late.pdf', { timeBudgetMs: -1 })), isLimit('time'), 'time');
  });

  it('cuts text beyond the budget and says so', async () => {
    const pdf = buildPdf({ pages: [{ content: koreanLines(['가나다라마바사아자차카타파하', `주민등록번호: ${RRN}`]) }] });
    const result = await pdfExtractor.extract(pdf, testContext('long.pdf', { maxTextBytes: 12 }));
    assert.equal(allText(result), '가나다라');
    assert.deepEqual(result.problems.map((p) => p.code), ['truncated']);
  });
});

// ─── HWP 5 ──────────────────────────────────────────────────────────────────────────────────────

const HWP_SPEC: HwpSpec = {
  paragraphs: [
    {
      text: '개인정보 수집·이용 동의서',
      controls: [
        { id: 'head', paragraphs: [{ text: '인사팀 대외비' }] },
        { id: 'foot', paragraphs: [{ text: `담당자 확인용 ${RRN}` }] },
      ],
    },
    {
      text: '아래 표의 내용을 확인하십시오.',
      controls: [{ id: 'tbl ', paragraphs: [{ text: '성명' }, { text: '홍길동' }, { text: '주민등록번호' }, { text: RRN }] }],
    },
    { text: '', controls: [{ id: 'gso ', paragraphs: [{ text: `글상자: 주민등록번호 ${RRN}` }] }] },
    { text: '본문 끝', controls: [{ id: 'tcmt', paragraphs: [{ text: '숨은 설명: 김영희 850505-2345678' }] }] },
    { text: '각주가 붙은 문장', controls: [{ id: 'fn  ', paragraphs: [{ text: '각주 내용입니다' }] }] },
  ],
};

const HWP_EXPECTED = [
  { where: '', text: '개인정보 수집·이용 동의서' },
  { where: 'header', text: '인사팀 대외비' },
  { where: 'footer', text: `담당자 확인용 ${RRN}` },
  { where: '', text: `아래 표의 내용을 확인하십시오.\n성명\n홍길동\n주민등록번호\n${RRN}` },
  { where: 'textbox', text: `글상자: 주민등록번호 ${RRN}` },
  { where: '', text: '본문 끝' },
  { where: 'comment', text: '숨은 설명: 김영희 850505-2345678' },
  { where: '', text: '각주가 붙은 문장' },
  { where: 'footnote', text: '각주 내용입니다' },
];

describe('hwpExtractor', () => {
  for (const compressed of [true, false]) {
    it(`reads body, table cells, header, footer, text box, hidden comment and footnote (${compressed ? 'compressed' : 'stored'})`, async () => {
      const result = await hwpExtractor.extract(buildHwp({ ...HWP_SPEC, compressed }), testContext('동의서.hwp'));
      assert.deepEqual(result.pieces, HWP_EXPECTED);
      assert.deepEqual(result.problems, []);
      for (const where of ['footer', 'textbox']) assert.ok(hasRrn(textAt(result, where)), where);
      assert.ok(hasRrn(textAt(result, '')));
    });
  }

  it('reads a distribution document (배포용 문서): ViewText sections decrypted with their stored key', async () => {
    const result = await hwpExtractor.extract(buildHwp({ ...HWP_SPEC, distribution: true }), testContext('배포용.hwp'));
    assert.deepEqual(result.pieces, HWP_EXPECTED);
    const stored = buildHwp({ ...HWP_SPEC, distribution: true, compressed: false });
    assert.deepEqual((await hwpExtractor.extract(stored, testContext('배포용.hwp'))).pieces, HWP_EXPECTED);
  });

  it('decodes paragraph text controls: tabs and line breaks kept, inline and extended controls skipped', () => {
    const units = [0x0b, 0x6274, 0x6c20, 0, 0, 0, 0, 0x0b, ...'성명'.split('').map((c) => c.charCodeAt(0)), 9, 1, 2, 3, 4, 5, 6, 9];
    units.push(...'홍길동'.split('').map((c) => c.charCodeAt(0)), 10, ...'900101'.split('').map((c) => c.charCodeAt(0)), 24);
    units.push(...'1234568'.split('').map((c) => c.charCodeAt(0)), 13);
    const payload = Buffer.alloc(units.length * 2);
    units.forEach((u, i) => payload.writeUInt16LE(u, i * 2));
    assert.equal(paragraphText(payload), '성명\t홍길동\n900101-1234568');
  });

  it('refuses a password-protected document from its header, before reading any section', async () => {
    // The section is not even deflate data: only the header check can give EncryptedFile here.
    const streams = new Map([
      ['FileHeader', fileHeader(0x1 | 0x2)],
      ['DocInfo', Buffer.from('encrypted')],
      ['BodyText/Section0', Buffer.from('random-looking ciphertext')],
    ]);
    await rejectsWith(hwpExtractor.extract(writeContainer(streams), testContext('암호.hwp')), (e) => e instanceof EncryptedFile, 'password');
    await rejectsWith(hwpExtractor.extract(buildHwp({ ...HWP_SPEC, password: true }), testContext('암호.hwp')), (e) => e instanceof EncryptedFile, 'built');
  });

  it('refuses a corpus document whose header carries the password bit as encrypted', async (t) => {
    const bytes = corpusFile(t, 'hahnlee__hwp.js__packages__parser__src____tests____data__(양식7-대리인)위임장.hwp');
    if (bytes === null) return;
    await rejectsWith(hwpExtractor.extract(withHeaderFlags(bytes, 0x2), testContext('위임장.hwp')), (e) => e instanceof EncryptedFile, 'password bit');
  });

  const CORPUS_HWP: [string, RegExp[]][] = [
    ['hahnlee__hwp.js__packages__parser__src____tests____data__(양식7-대리인)위임장.hwp', [/위 {2}임 {2}장/, /주민등록번호 :/, /한국토지주택공사/]],
    ['mete0r__pyhwp__tests__hwp5_tests__fixtures__sample-5017.hwp', [/한글 2005 예제 파일입니다\./, /본문 내용입니다\./, /B11/]],
    ['neolord0__hwplib__sample_hwp__basic__숨은설명.hwp', [/우리는 우리다\./, /그것은 그것이다\./]],
    ['neolord0__hwplib__sample_hwp__test-[붙임1]정부포상 추천 구비서류 서식.hwp', [/정부포상 추천자 현황/, /감염병관리 유공/]],
  ];
  for (const [name, patterns] of CORPUS_HWP) {
    it(`reads the corpus file ${name}`, async (t) => {
      const bytes = corpusFile(t, name);
      if (bytes === null) return;
      const result = await hwpExtractor.extract(bytes, testContext(name));
      for (const pattern of patterns) assert.match(allText(result), pattern);
      assert.deepEqual(result.problems, []);
    });
  }

  it('reads a corpus document re-saved as a distribution document as the original', async (t) => {
    const bytes = corpusFile(t, 'hahnlee__hwp.js__packages__parser__src____tests____data__(양식7-대리인)위임장.hwp');
    if (bytes === null) return;
    const distribution = asDistribution(bytes);
    const plain = await hwpExtractor.extract(bytes, testContext('위임장.hwp'));
    const decrypted = await hwpExtractor.extract(distribution, testContext('위임장.hwp'));
    assert.ok(plain.pieces.length > 0);
    assert.deepEqual(decrypted.pieces, plain.pieces);
  });

  it('returns embedded pictures (BinData) as children, inflated', async (t) => {
    const png = renderLines([`주민등록번호: ${RRN}`], 700).toBuffer('image/png');
    const result = await hwpExtractor.extract(buildHwp({ ...HWP_SPEC, binData: [{ name: 'BIN0001.png', bytes: png }] }), testContext('a.hwp'));
    assert.deepEqual(result.children.map((c) => c.path), ['BinData/BIN0001.png']);
    assert.ok(result.children[0]?.bytes.equals(png));
    const form = corpusFile(t, 'neolord0__hwplib__sample_hwp__test-[붙임1]정부포상 추천 구비서류 서식.hwp');
    if (form === null) return;
    const children = (await hwpExtractor.extract(form, testContext('서식.hwp'))).children;
    assert.deepEqual(children.map((c) => [c.path, c.bytes.toString('latin1', 0, 2)]), [['BinData/BIN0001.bmp', 'BM']]);
  });

  it('reports garbage, a compound file that is not HWP and corrupt sections as unreadable', async () => {
    await rejectsWith(hwpExtractor.extract(Buffer.from('HWP Document File 가 아님'), testContext('x.hwp')), isUnreadable, 'garbage');
    const noHeader = writeContainer(new Map([['WordDocument', Buffer.alloc(600)]]));
    await rejectsWith(hwpExtractor.extract(noHeader, testContext('x.hwp')), isUnreadable, 'no FileHeader');
    const corrupt = writeContainer(new Map([['FileHeader', fileHeader(0x1)], ['DocInfo', Buffer.alloc(0)], ['BodyText/Section0', Buffer.from([0xff, 0xff, 0xff, 0xff])]]));
    await rejectsWith(hwpExtractor.extract(corrupt, testContext('x.hwp')), isUnreadable, 'corrupt deflate');
    const noSections = writeContainer(new Map([['FileHeader', fileHeader(0x1)], ['DocInfo', Buffer.alloc(0)]]));
    await rejectsWith(hwpExtractor.extract(noSections, testContext('x.hwp')), isUnreadable, 'no sections');
  });

  it('stops a section that inflates without end at the ratio or decompression limit', async () => {
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
    const file = writeContainer(new Map([['FileHeader', fileHeader(0x1)], ['DocInfo', Buffer.alloc(0)], ['BodyText/Section0', bomb]]));
    const started = performance.now();
    await rejectsWith(hwpExtractor.extract(file, testContext('bomb.hwp')), isLimit('ratio'), 'ratio');
    const budget = testBudget({ maxCompressionRatio: 1e9, maxDecompressedBytes: 4 * 1024 * 1024 });
    await rejectsWith(hwpExtractor.extract(file, { budget, depth: 0, name: 'bomb.hwp' }), isLimit('decompressed'), 'decompressed');
    assert.ok(budget.decompressedTaken < 8 * 1024 * 1024, `stopped after ${budget.decompressedTaken} bytes`);
    assert.ok(performance.now() - started < 5000);
  });

  it('reports a section whose last record runs past the end of the stream, keeping the paragraphs before it', async () => {
    const whole = Buffer.concat([
      sectionRecords([{ text: `고객 주민등록번호: ${RRN}` }]),
      record(67, 0, Buffer.from('잘린 문단입니다. 이 뒤는 없습니다.', 'utf16le')),
    ]);
    const cutAt = whole.length - 30;
    const streams = (section: Buffer): Map<string, Buffer> =>
      new Map([['FileHeader', fileHeader(0)], ['DocInfo', Buffer.alloc(0)], ['BodyText/Section0', section]]);

    const complete = await hwpExtractor.extract(writeContainer(streams(whole)), testContext('a.hwp'));
    assert.deepEqual(complete.problems, []);
    const result = await hwpExtractor.extract(writeContainer(streams(whole.subarray(0, cutAt))), testContext('a.hwp'));
    assert.ok(hasRrn(textAt(result, '')), textAt(result, ''));
    assert.doesNotMatch(allText(result), /잘린/);
    assert.deepEqual(result.problems.map((p) => [p.code, p.where]), [['unreadable', 'section=1']]);
  });
});

// ─── TNEF ───────────────────────────────────────────────────────────────────────────────────────

const RTF_BODY = Buffer.from(
  `{\\rtf1\\ansi\\ansicpg949\\deff0{\\fonttbl{\\f0\\fnil\\fcharset129 Gulim;}}\\f0\\fs20 ` +
    `${rtfEscapedKorean('안녕하세요. 고객 명단을 보내드립니다.')}\\par ${rtfEscapedKorean(`주민등록번호: ${RRN}`)}\\par ` +
    `${rtfEscapedKorean('안녕하세요. 고객 명단을 보내드립니다.')}\\par }`,
  'latin1',
);

function innerMessage(): Buffer {
  return tnefStream([
    attribute(LEVEL_MESSAGE, ATTR.oemCodepage, Buffer.from([0xb5, 0x03, 0, 0, 0, 0, 0, 0])),
    attribute(LEVEL_MESSAGE, ATTR.subject, Buffer.concat([cp949('전달: 인사 기록'), Buffer.from([0])])),
    attribute(LEVEL_MESSAGE, ATTR.body, cp949(`전달된 메일 본문 ${RRN}`)),
  ]);
}

function builtTnef(): Buffer {
  const listFile = Buffer.from(`이름,주민등록번호\r\n홍길동,${RRN}\r\n`, 'utf8');
  return tnefStream([
    attribute(LEVEL_MESSAGE, ATTR.tnefVersion, Buffer.from([0, 0, 1, 0])),
    attribute(LEVEL_MESSAGE, ATTR.oemCodepage, Buffer.from([0xb5, 0x03, 0, 0, 0, 0, 0, 0])), // 949
    attribute(LEVEL_MESSAGE, ATTR.messageClass, Buffer.from('IPM.Microsoft Mail.Note\0', 'latin1')),
    attribute(LEVEL_MESSAGE, ATTR.subject, Buffer.concat([cp949('고객 명단 송부'), Buffer.from([0])])),
    attribute(LEVEL_MESSAGE, ATTR.body, cp949(`홍길동 고객 주민등록번호 ${RRN} 입니다.`)),
    attribute(LEVEL_MESSAGE, ATTR.mapiProps, mapiProperties([{ id: 0x1009, value: { type: 'binary', value: compressRtf(RTF_BODY) } }])),
    // 1: a file with a Unicode long name in its MAPI properties and an 8.3 title.
    attribute(LEVEL_ATTACHMENT, ATTR.attachRendData, Buffer.alloc(14)),
    attribute(LEVEL_ATTACHMENT, ATTR.attachTitle, Buffer.from('CUSTOM~1.CSV\0', 'latin1')),
    attribute(LEVEL_ATTACHMENT, ATTR.attachData, listFile),
    attribute(LEVEL_ATTACHMENT, ATTR.attachment, mapiProperties([{ id: 0x3707, value: { type: 'unicode', value: '고객명단_2024.csv' } }])),
    // 2: a file named only by its title, in code page 949.
    attribute(LEVEL_ATTACHMENT, ATTR.attachRendData, Buffer.alloc(14)),
    attribute(LEVEL_ATTACHMENT, ATTR.attachTitle, Buffer.concat([cp949('메모.txt'), Buffer.from([0])])),
    attribute(LEVEL_ATTACHMENT, ATTR.attachData, cp949(`메모: ${RRN}`)),
    // 3: an attached message (PT_OBJECT: IID_IMessage, then a TNEF stream).
    attribute(LEVEL_ATTACHMENT, ATTR.attachRendData, Buffer.alloc(14)),
    attribute(
      LEVEL_ATTACHMENT,
      ATTR.attachment,
      mapiProperties([
        { id: 0x3001, value: { type: 'string8', value: Buffer.concat([cp949('전달된 메일'), Buffer.from([0])]) } },
        { id: 0x3705, value: { type: 'long', value: 5 } },
        { id: 0x3701, value: { type: 'object', iid: IID_IMESSAGE, value: innerMessage() } },
      ]),
    ),
  ]);
}

describe('tnefExtractor', () => {
  it('gives subject and body as text, attachments and the compressed RTF body as children', async () => {
    const result = await tnefExtractor.extract(builtTnef(), testContext('winmail.dat'));
    assert.deepEqual(result.pieces, [
      { where: 'subject', text: '고객 명단 송부' },
      { where: 'body', text: `홍길동 고객 주민등록번호 ${RRN} 입니다.` },
    ]);
    assert.ok(hasRrn(textAt(result, 'body')));
    assert.deepEqual(result.children.map((c) => c.path), ['body.rtf', '고객명단_2024.csv', '메모.txt', '전달된 메일']);
    assert.ok(result.children[0]?.bytes.equals(RTF_BODY), 'RTF decompressed to the original bytes');
    assert.equal(result.children[1]?.bytes.toString('utf8'), `이름,주민등록번호\r\n홍길동,${RRN}\r\n`);
    assert.ok(result.children[2]?.bytes.equals(cp949(`메모: ${RRN}`)));
    assert.deepEqual(result.problems, []);

    // The attached message is a TNEF stream again, read in its turn.
    const inner = result.children[3]?.bytes ?? Buffer.alloc(0);
    assert.ok(inner.equals(innerMessage()));
    const nested = await tnefExtractor.extract(inner, testContext('전달된 메일'));
    assert.deepEqual(nested.pieces, [
      { where: 'subject', text: '전달: 인사 기록' },
      { where: 'body', text: `전달된 메일 본문 ${RRN}` },
    ]);
  });

  it('decompresses LZFu back-references and checks the CRC', () => {
    const compressed = compressRtf(RTF_BODY);
    // The repeated sentence must have become references, not literals.
    assert.ok(compressed.length < RTF_BODY.length * 0.8, `${compressed.length} of ${RTF_BODY.length}`);
    assert.ok(decompressRtf(compressed).equals(RTF_BODY));
    const damaged = Buffer.from(compressed);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] ?? 0) ^ 0xff;
    assert.throws(() => decompressRtf(damaged), /CRC/);
  });

  it('reports a damaged RTF body as a problem and still gives the rest', async () => {
    const rtf = compressRtf(RTF_BODY);
    rtf[20] = (rtf[20] ?? 0) ^ 0x55;
    const stream = tnefStream([
      attribute(LEVEL_MESSAGE, ATTR.body, cp949(`본문 ${RRN}`)),
      attribute(LEVEL_MESSAGE, ATTR.mapiProps, mapiProperties([{ id: 0x1009, value: { type: 'binary', value: rtf } }])),
    ]);
    const result = await tnefExtractor.extract(stream, testContext('winmail.dat'));
    assert.equal(textAt(result, 'body'), `본문 ${RRN}`);
    assert.deepEqual(result.problems.map((p) => [p.code, p.where]), [['unreadable', 'body']]);
    assert.deepEqual(result.children, []);
  });

  it('gives the attachments of the MimeKit corpus winmail.tnef', async (t) => {
    const bytes = corpusFile(t, 'jstedfast__MimeKit__UnitTests__TestData__tnef__winmail.tnef');
    if (bytes === null) return;
    const result = await tnefExtractor.extract(bytes, testContext('winmail.dat'));
    assert.deepEqual(result.children.map((c) => c.path), [
      'body.rtf',
      'Picture (Device Independent Bitmap)',
      'Picture (Device Independent Bitmap) (2)',
    ]);
    assert.match(result.children[0]?.bytes.toString('latin1') ?? '', /^\{\\rtf1[\s\S]*\}\}\0?$/);
    // The pictures are OLE objects: a compound file once the interface id is taken off.
    for (const child of result.children.slice(1)) assert.equal(child.bytes.readUInt32BE(0), 0xd0cf11e0);
    assert.deepEqual(result.problems, []);
  });

  it('reports garbage as unreadable and a truncated stream as a problem with what came before it', async () => {
    await rejectsWith(tnefExtractor.extract(Buffer.from('winmail.dat 아님'), testContext('winmail.dat')), isUnreadable, 'garbage');
    await rejectsWith(tnefExtractor.extract(Buffer.from([0x78, 0x9f, 0x3e]), testContext('winmail.dat')), isUnreadable, 'short');
    const whole = builtTnef();
    const bodyEnd = whole.indexOf(cp949('입니다.')) + cp949('입니다.').length + 2;
    const cut = whole.subarray(0, bodyEnd + 40);
    const result = await tnefExtractor.extract(cut, testContext('winmail.dat'));
    assert.equal(textAt(result, 'body'), `홍길동 고객 주민등록번호 ${RRN} 입니다.`);
    assert.ok(result.problems.some((p) => p.code === 'unreadable' && /truncated|ends inside/.test(p.detail)));
  });

  it('reports a property list it cannot walk without losing the attachment data', async () => {
    const badProperties = Buffer.alloc(12);
    badProperties.writeUInt32LE(1, 0);
    badProperties.writeUInt16LE(0x7777, 4); // no such property type: its size is unknown
    badProperties.writeUInt16LE(0x3707, 6);
    const stream = tnefStream([
      attribute(LEVEL_ATTACHMENT, ATTR.attachRendData, Buffer.alloc(14)),
      attribute(LEVEL_ATTACHMENT, ATTR.attachTitle, Buffer.from('list.txt\0', 'latin1')),
      attribute(LEVEL_ATTACHMENT, ATTR.attachData, Buffer.from(RRN)),
      attribute(LEVEL_ATTACHMENT, ATTR.attachment, badProperties),
    ]);
    const result = await tnefExtractor.extract(stream, testContext('winmail.dat'));
    assert.deepEqual(result.children.map((c) => [c.path, c.bytes.toString()]), [['list.txt', RRN]]);
    assert.deepEqual(result.problems.map((p) => [p.code, p.where]), [['unreadable', 'attachment=1']]);
  });
});

// ─── Images through OCR ─────────────────────────────────────────────────────────────────────────

const OCR_LINES = ['고객 홍길동 님의 개인정보 확인서입니다.', `주민등록번호: ${RRN}`];

describe('imageExtractor', () => {
  it('registers NanumGothic for the fixtures (fails when the font is missing)', () => {
    assert.doesNotThrow(() => registerKoreanFont());
  });

  const canvas = (): ReturnType<typeof renderLines> => renderLines(OCR_LINES);
  const formats: [string, () => Promise<Buffer> | Buffer][] = [
    ['png', () => canvas().toBuffer('image/png')],
    ['jpeg', () => canvas().encode('jpeg', 90)],
    ['gif', () => canvas().encode('gif')],
    ['webp', () => canvas().encode('webp', 90)],
    ['bmp', () => toBmp(canvas())],
    ['tiff', () => toTiff([canvas()])],
  ];
  for (const [format, make] of formats) {
    it(`reads Korean and the resident number from a ${format.toUpperCase()} image`, async (t) => {
      const bytes = await make();
      const size = imageSize(bytes);
      assert.deepEqual([size.format, size.width, size.height, size.pages], [format, 1100, 170, 1]);
      const budget = testBudget();
      const started = performance.now();
      const result = await imageExtractor.extract(bytes, { budget, depth: 0, name: `scan.${format}` });
      t.diagnostic(`${format}: OCR ${(performance.now() - started).toFixed(0)} ms`);
      const text = textAt(result, '');
      assert.match(text, /개인정보/);
      assert.match(text, /주민등록번호/);
      assert.ok(hasRrn(text), `OCR text: ${text}`);
      assert.equal(budget.ocrImagesTaken, 1);
    });
  }

  it('reads every page of a multi-page TIFF, one OCR image per page', async () => {
    const tiff = toTiff([renderLines(['첫째 쪽 고객 목록']), renderLines([`둘째 쪽 주민등록번호: ${RRN}`])]);
    const budget = testBudget();
    const result = await imageExtractor.extract(tiff, { budget, depth: 0, name: 'scan.tiff' });
    assert.match(textAt(result, 'page=1'), /첫째 쪽/);
    assert.ok(hasRrn(textAt(result, 'page=2')), textAt(result, 'page=2'));
    assert.equal(budget.ocrImagesTaken, 2);
  });

  it('reads the same image once per message: a repeat gives the same text and is not counted', async () => {
    const png = renderLines(OCR_LINES).toBuffer('image/png');
    const budget = testBudget({ maxOcrImages: 1 });
    const first = await imageExtractor.extract(png, { budget, depth: 0, name: 'logo.png' });
    const again = await imageExtractor.extract(Buffer.from(png), { budget, depth: 1, name: 'logo-2.png' });
    assert.ok(hasRrn(textAt(first, '')), textAt(first, ''));
    assert.deepEqual(again.pieces, first.pieces);
    assert.equal(budget.ocrImagesTaken, 1);
    // Another image is counted, and here over the limit of one.
    const other = renderLines(['다른 그림']).toBuffer('image/png');
    await rejectsWith(imageExtractor.extract(other, { budget, depth: 0, name: 'b.png' }), isLimit('ocr-images'), 'other image');
    // The cache is per message: a new budget reads the image again.
    const next = testBudget();
    await imageExtractor.extract(png, { budget: next, depth: 0, name: 'logo.png' });
    assert.equal(next.ocrImagesTaken, 1);
  });

  it('does not OCR or count an image too small to hold text (under 12 px tall or 16 px wide)', async () => {
    const missing = createImageExtractor({ tesseractPath: '/nonexistent/tesseract' });
    for (const [width, height] of [[600, 11], [15, 400], [1, 1]] as const) {
      const png = createCanvas(width, height).toBuffer('image/png');
      const budget = testBudget({ maxOcrImages: 0 });
      // Had tesseract been started, or the image counted, this would have thrown.
      const result = await missing.extract(png, { budget, depth: 0, name: 'spacer.png' });
      assert.deepEqual(result, { pieces: [], children: [], problems: [] }, `${width}x${height}`);
      assert.equal(budget.ocrImagesTaken, 0);
    }
    const justLegible = createCanvas(16, 12).toBuffer('image/png');
    await rejectsWith(missing.extract(justLegible, testContext('a.png', { maxOcrImages: 0 })), isLimit('ocr-images'), '16x12');
  });

  it('refuses an image over maxImagePixels from its header, before tesseract runs', async () => {
    const extractor = createImageExtractor({ tesseractPath: '/nonexistent/tesseract' });
    const budget = testBudget();
    // Had tesseract been started, the missing program would have raised a different error.
    await rejectsWith(extractor.extract(pngHeaderOnly(100_000, 100_000), { budget, depth: 0, name: 'huge.png' }), isLimit('pixels'), 'pixels');
    assert.equal(budget.ocrImagesTaken, 0);
    const tiff = toTiff([renderLines(['가']), renderLines(['나'])]);
    await rejectsWith(imageExtractor.extract(tiff, testContext('two.tiff', { maxImagePixels: 1100 * 110 * 2 - 1 })), isLimit('pixels'), 'pages summed');
  });

  it('stops at the OCR image count, the time budget and a per-image timeout', async () => {
    const png = renderLines(OCR_LINES).toBuffer('image/png');
    await rejectsWith(imageExtractor.extract(png, testContext('a.png', { maxOcrImages: 0 })), isLimit('ocr-images'), 'count');
    await rejectsWith(imageExtractor.extract(png, testContext('a.png', { timeBudgetMs: -1 })), isLimit('time'), 'budget');
    await rejectsWith(ocrImage(png, testBudget(), { perImageTimeoutMs: 1 }), isLimit('time'), 'per image');
  });

  it('gives a clear error when tesseract is missing, and for images it cannot decode', async () => {
    const png = renderLines(OCR_LINES).toBuffer('image/png');
    const missing = createImageExtractor({ tesseractPath: '/nonexistent/tesseract' });
    const error = await rejectsWith(missing.extract(png, testContext('a.png')), isUnreadable, 'missing');
    assert.match((error as Error).message, /not found: install tesseract-ocr/);
    const broken = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 0x41)]);
    await rejectsWith(imageExtractor.extract(broken, testContext('broken.png')), isUnreadable, 'broken body');
    await rejectsWith(imageExtractor.extract(Buffer.from('GIF8'), testContext('cut.gif')), isUnreadable, 'cut header');
    await rejectsWith(imageExtractor.extract(Buffer.from('not an image at all'), testContext('x.png')), isUnreadable, 'not an image');
  });
});
