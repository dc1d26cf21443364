/**
 * The text, HTML, RTF and legacy-Office extractors (content/formats/text.ts, html.ts, rtf.ts,
 * ole.ts) and the HTML reading they share with mail bodies (content/html.ts). Every fixture is
 * built here from code, holds Korean text and the synthetic resident number, and must give it
 * back to the detectors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import CFB from 'cfb';
import iconv from 'iconv-lite';
import { htmlToText } from '../content/html.js';
import { sniff } from '../content/sniff.js';
import { htmlExtractor } from '../content/formats/html.js';
import { oleExtractor } from '../content/formats/ole.js';
import { rtfExtractor } from '../content/formats/rtf.js';
import { textExtractor } from '../content/formats/text.js';
import { EncryptedFile, LimitExceeded } from '../content/formats/types.js';
import type { Budget, ExtractContext, ExtractLimits, ExtractResult } from '../content/formats/types.js';
import { detectAll } from '../detectors/index.js';
import { createBudget, resolveLimits } from '../content/limits.js';
import { encodeIso2022Kr } from './support/mail-builder.js';
import {
  buildEncryptedOoxml,
  buildOutlookMessage,
  buildPresentation,
  buildWordDocument,
  buildWorkbook,
  loopStreamChain,
} from './support/ole-builder.js';
import { CfbFormatError } from '../content/cfb-directory.js';

const RRN = '900101-1234568';
/** With 똠, a syllable CP949 has and EUC-KR lacks. */
const KOREAN = `고객 명단\n주민등록번호: ${RRN}\n주소: 서울특별시 중구 세종대로 110 똠방각하\n`;
const KOREAN_EUC = KOREAN.replace(' 똠방각하', '');
const CORPUS = new URL('../../shared/corpus/', import.meta.url);

function hasRrn(text: string): boolean {
  return detectAll(text).some((f) => f.type === 'rrn' && f.masked === '900101-1******');
}

/** Equal text but for trailing white space, which extractors may trim. */
function sameText(actual: string, expected: string): void {
  assert.equal(actual.trimEnd(), expected.trimEnd());
}

function textAt(result: ExtractResult, where: string): string {
  return result.pieces.filter((p) => p.where === where).map((p) => p.text).join('\n');
}


/** A fresh message budget (content/limits.ts) for one file named `name`. */
function testContext(name: string | null, overrides: Partial<ExtractLimits> = {}): ExtractContext {
  return { budget: createBudget(resolveLimits(overrides)), depth: 0, name };
}

describe('textExtractor', () => {
  const ENCODINGS: ReadonlyArray<[string, () => Buffer, string]> = [
    ['UTF-8', () => Buffer.from(KOREAN, 'utf8'), KOREAN],
    ['UTF-8 with a BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(KOREAN)]), KOREAN],
    ['UTF-16LE with a BOM', () => iconv.encode(KOREAN, 'utf-16le', { addBOM: true }), KOREAN],
    ['UTF-16BE with a BOM', () => iconv.encode(KOREAN, 'utf-16be', { addBOM: true }), KOREAN],
    ['UTF-16LE without a BOM', () => iconv.encode(KOREAN, 'utf-16le'), KOREAN],
    ['UTF-16BE without a BOM', () => iconv.encode(KOREAN, 'utf-16be'), KOREAN],
    ['EUC-KR', () => iconv.encode(KOREAN_EUC, 'euc-kr'), KOREAN_EUC],
    ['CP949', () => iconv.encode(KOREAN, 'cp949'), KOREAN],
    ['ISO-2022-KR', () => encodeIso2022Kr(KOREAN_EUC), KOREAN_EUC],
  ];

  for (const [name, bytes, expected] of ENCODINGS) {
    it(`should read ${name} exactly`, async () => {
      const input = bytes();
      assert.equal((await sniff(input)).kind, 'text');
      const result = await textExtractor.extract(input, testContext('명단.txt'));
      sameText(textAt(result, ''), expected);
      assert.deepEqual(result.problems, []);
      assert.ok(hasRrn(textAt(result, '')));
    });
  }

  it('should keep CSV rows and headers as they are', async () => {
    const csv = `이름,주민등록번호,연락처\r\n홍길동,${RRN},010-1234-5678\r\n`;
    const result = await textExtractor.extract(iconv.encode(csv, 'cp949'), testContext('명단.csv'));
    sameText(textAt(result, ''), csv.replace(/\r\n/g, '\n'));
  });

  it('should report a guess that failed, and still give the digits', async () => {
    // Latin-1 bytes: neither UTF-8 nor CP949 reads "é " correctly.
    const latin1 = Buffer.from(`Café crème, numéro ${RRN}\n`, 'latin1');
    const result = await textExtractor.extract(latin1, testContext('note.txt'));
    assert.deepEqual(result.problems.map((p) => p.code), ['charset-unknown']);
    assert.doesNotMatch(result.problems[0]?.detail ?? '', /\d{6}/);
    assert.ok(hasRrn(textAt(result, '')));
  });

  it('should not call a replacement character in valid UTF-8 a failed guess', async () => {
    const result = await textExtractor.extract(Buffer.from(`깨진 글자 \uFFFD ${RRN}`), testContext(null));
    assert.deepEqual(result.problems, []);
  });

  it('should cut text past the budget and say so', async () => {
    const long = Buffer.from(`${KOREAN}`.repeat(1000));
    const result = await textExtractor.extract(long, testContext(null, { maxTextBytes: 1000 }));
    assert.ok(Buffer.byteLength(textAt(result, '')) <= 1000);
    assert.deepEqual(result.problems.map((p) => p.code), ['truncated']);
  });
});

describe('htmlToText and hidden text', () => {
  const HIDDEN: ReadonlyArray<[string, string]> = [
    ['display:none', `<p>안내문</p><div style="display:none">주민등록번호: ${RRN}</div>`],
    ['visibility:hidden', `<p style="visibility: hidden">주민등록번호: ${RRN}</p>`],
    ['a zero font size', `<span style="font-size:0px">주민등록번호: ${RRN}</span>`],
    ['white on white', `<body bgcolor="#ffffff"><font color="#ffffff">주민등록번호: ${RRN}</font></body>`],
    ['the hidden attribute', `<p hidden>주민등록번호: ${RRN}</p>`],
    ['digits split by spans', `<p>주민등록번호: 900101-<span>123</span>4568</p>`],
    ['every digit in its own tag', `<p>주민등록번호: ${[...RRN].map((c) => `<b>${c}</b>`).join('')}</p>`],
    ['zero-width characters', `<p>주민등록번호: 9\u200b00101-12\u200c34\u200d568\u2060</p>`],
    ['entities', `<p>주민등록번호: &#57;00101&#8211;1234568</p>`],
    ['an HTML comment', `<p>첨부 참고</p><!-- 주민등록번호: ${RRN} -->`],
    ['an Outlook conditional comment', `<p>본문</p><!--[if mso]><p>주민등록번호: ${RRN}</p><![endif]-->`],
    ['a title attribute', `<p title="주민등록번호: ${RRN}">마우스를 올리세요</p>`],
    ['the alt of an area', `<map><area alt="주민등록번호: ${RRN}" href="#"></map>`],
    ['a hidden decoy character inside the number', `<p>주민등록번호: 900101-<span style="display:none">7</span>1234568</p>`],
    ['a zero-size decoy character', `<p>주민등록번호: 900101<span style="font-size: 0">3</span>-1234568</p>`],
    ['a white decoy character', `<p>주민등록번호: 9001<font color="white">9</font>01-1234568</p>`],
  ];

  for (const [name, html] of HIDDEN) {
    it(`should give the detectors text hidden by ${name}`, () => {
      const text = htmlToText(html);
      assert.ok(hasRrn(text), JSON.stringify(text));
    });
  }

  it('should not hide text for a white background or a small font size', () => {
    const text = htmlToText(`<div style="background-color:#fff"><p style="font-size:0.9em">주민등록번호: ${RRN}</p></div>`);
    assert.equal(text, `주민등록번호: ${RRN}`);
  });

  it('should not give an image alt twice', () => {
    const text = htmlToText(`<p><img src="a.png" alt="주민등록번호 ${RRN}"></p>`);
    assert.equal(text.split(RRN).length - 1, 1);
  });

  it('should not turn Outlook list markers into text', () => {
    assert.equal(htmlToText('<p><!--[if !supportLists]--><span>1.</span><!--[endif]-->첫 항목</p>'), '1.첫 항목');
  });

  it('should skip style sheets and scripts, comments inside them included', () => {
    const html = `<style><!-- p { font-family: "맑은 고딕"; panose-1: 2 11 5 3 2 0 0 0 0 0 } --></style><script>var a = "<!-- x -->";</script><p>본문</p>`;
    assert.equal(htmlToText(html), '본문');
  });

  it('should stay linear on unclosed comments, tags and scripts', () => {
    for (const hostile of ['<!--'.repeat(200_000), '<script>'.repeat(200_000), '<a title="'.repeat(200_000), '<'.repeat(400_000)]) {
      const started = performance.now();
      htmlToText(hostile);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 5000, `${hostile.slice(0, 10)}… took ${elapsed.toFixed(0)} ms`);
    }
  });
});

describe('htmlExtractor', () => {
  const page = (head: string): string =>
    `<html><head>${head}<title>고객 명단</title></head><body><table><tr><th>이름</th><th>주민등록번호</th></tr>` +
    `<tr><td>홍길동</td><td>${RRN}</td></tr></table><p>똠방각하</p></body></html>`;

  const CHARSETS: ReadonlyArray<[string, () => Buffer]> = [
    ['UTF-8 with no declaration', () => Buffer.from(page(''))],
    ['<meta charset="euc-kr"> (with CP949 syllables)', () => iconv.encode(page('<meta charset="euc-kr">'), 'cp949')],
    ['http-equiv ks_c_5601-1987', () => iconv.encode(page('<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">'), 'cp949')],
    ['no declaration, CP949 bytes', () => iconv.encode(page(''), 'cp949')],
    ['a UTF-8 declaration on CP949 bytes', () => iconv.encode(page('<meta charset="utf-8">'), 'cp949')],
    ['UTF-16LE with a BOM', () => iconv.encode(page(''), 'utf-16le', { addBOM: true })],
    ['UTF-16BE without a BOM', () => iconv.encode(page(''), 'utf-16be')],
    ['a UTF-16 declaration on UTF-8 bytes', () => Buffer.from(page('<meta charset="utf-16">'))],
  ];

  for (const [name, bytes] of CHARSETS) {
    it(`should decode ${name}`, async () => {
      const input = bytes();
      assert.equal((await sniff(input)).kind, 'html');
      const result = await htmlExtractor.extract(input, testContext('명단.html'));
      const text = textAt(result, '');
      assert.match(text, /홍길동\t900101-1234568\t/);
      assert.match(text, /똠방각하/);
      assert.ok(hasRrn(text));
      assert.deepEqual(result.problems, []);
    });
  }

  it('should report an undeclared charset it could not read', async () => {
    const html = Buffer.concat([Buffer.from(`<html><body><p>Caf`), Buffer.from([0xe9, 0x20]), Buffer.from(`${RRN}</p></body></html>`)]);
    const result = await htmlExtractor.extract(html, testContext(null));
    assert.deepEqual(result.problems.map((p) => p.code), ['charset-unknown']);
    assert.ok(hasRrn(textAt(result, '')));
  });
});

describe('rtfExtractor', () => {
  const rtf = (body: string, header = String.raw`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset129 \'b1\'bc\'b8\'b2;}{\f1\fswiss\fcharset0 Arial;}}`): Buffer =>
    Buffer.from(`${header}${body}}`, 'latin1');

  /** `\'hh` pairs of `text` in CP949, as Word and WordPad write Korean. */
  const hex = (text: string): string => [...iconv.encode(text, 'cp949')].map((b) => `\\'${b.toString(16)}`).join('');

  async function read(bytes: Buffer): Promise<ExtractResult> {
    assert.equal((await sniff(bytes)).kind, 'rtf');
    return rtfExtractor.extract(bytes, testContext('문서.rtf'));
  }

  it('should decode CP949 byte pairs in a fcharset129 font', async () => {
    const result = await read(rtf(String.raw`\f0 ${hex('주민등록번호')}: ${RRN} ${hex('똠방각하')}\par`));
    sameText(textAt(result, ''), `주민등록번호: ${RRN} 똠방각하\n`);
    assert.ok(hasRrn(textAt(result, '')));
  });

  it('should decode byte pairs by \\ansicpg949 when no font says', async () => {
    const header = String.raw`{\rtf1\ansi\ansicpg949\deff0{\fonttbl{\f0\fnil Gulim;}}`;
    const result = await read(rtf(String.raw`${hex('홍길동')} ${RRN}\par`, header));
    sameText(textAt(result, ''), `홍길동 ${RRN}\n`);
  });

  it('should read \\u characters and skip their fallbacks', async () => {
    const u = (text: string): string => [...text].map((c) => {
      const code = c.charCodeAt(0);
      return `\\u${code > 0x7fff ? code - 0x10000 : code}`;
    }).join('');
    // \uc1 with "?" fallbacks, then \uc2 with CP949 byte-pair fallbacks, as Word writes them.
    const oneByte = [...'주민등록번호'].map((c) => `${u(c)}?`).join('');
    const twoBytes = [...'홍길동'].map((c) => `${u(c)}${hex(c)}`).join('');
    const result = await read(rtf(String.raw`\f1\uc1 ${oneByte}: ${RRN}\par{\uc2 ${twoBytes}}\par`));
    sameText(textAt(result, ''), `주민등록번호: ${RRN}\n홍길동\n`);
  });

  it('should lay out tables with tabs and line breaks', async () => {
    const row = (a: string, b: string): string => String.raw`\intbl ${hex(a)}\cell ${b}\cell\row `;
    const result = await read(rtf(String.raw`\f0\trowd ${row('이름', 'RRN')}${row('홍길동', RRN)}`));
    assert.match(textAt(result, ''), /^이름\tRRN\t\n홍길동\t900101-1234568\t?$/);
  });

  it('should put headers, footers, footnotes and comments at their places', async () => {
    const result = await read(rtf(String.raw`\f0{\header ${hex('머리말')} ${RRN}\par}{\footer ${hex('꼬리말')}\par}` +
      String.raw`${hex('본문')}{\super\chftn{\footnote ${hex('각주')}\par}}{\*\atnid A}{\*\annotation ${hex('메모')} ${RRN}}\par`));
    sameText(textAt(result, ''), '본문\n');
    sameText(textAt(result, 'header'), `머리말 ${RRN}\n`);
    sameText(textAt(result, 'footer'), '꼬리말\n');
    sameText(textAt(result, 'footnote'), '각주\n');
    sameText(textAt(result, 'comment'), `메모 ${RRN}`);
  });

  it('should not give the font, colour, style or info tables, nor unknown starred groups', async () => {
    const result = await read(rtf(String.raw`{\colortbl;\red255\green0\blue0;}{\stylesheet{\s0 Normal;}}` +
      String.raw`{\info{\author ${hex('김작성')}}{\title 800101}}{\*\generator Riched20 10.0.19041}{\*\unknown ${RRN}}` +
      String.raw`\f0 ${hex('본문')}\par`));
    sameText(textAt(result, ''), '본문\n');
  });

  it('should skip \\bin data, braces inside it included', async () => {
    const result = await read(rtf(String.raw`\f0 {\*\blob\bin6 {}}\{}}${hex('본문')} ${RRN}\par`));
    sameText(textAt(result, ''), `본문 ${RRN}\n`);
  });

  it('should give embedded PNG pictures as inner files', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000', 'hex');
    const result = await read(rtf(String.raw`\f0 ${hex('사진')}{\*\shppict{\pict{\*\picprop}\pngblip\picw1\pich1 ` +
      png.toString('hex').replace(/(.{16})/g, '$1\n') + String.raw`}}{\nonshppict{\pict\wmetafile8 0102}}\par`));
    assert.equal(result.children.length, 1);
    // The WMF in \nonshppict is the same picture again for old readers: not a picture lost.
    assert.deepEqual(result.problems, []);
    assert.equal(result.children[0]?.path, 'picture-1.png');
    assert.deepEqual(result.children[0]?.bytes, png);
    sameText(textAt(result, ''), '사진\n');
  });

  it('should say once that pictures not in PNG or JPEG, or past the cap, were not read', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000', 'hex');
    const doc = rtf(String.raw`\f0 ${hex('서명')} ${RRN}{\pict\emfblip 01020304}{\pict\wmetafile8 0506}` +
      String.raw`{\*\shppict{\pict\pngblip ${png.toString('hex')}}}{\nonshppict{\pict\wmetafile8 0708}}\par`);
    const result = await read(doc);
    assert.equal(result.children.length, 1);
    const detail = (n: number): string => `${n} pictures not read (not PNG or JPEG, or past the size cap)`;
    assert.deepEqual(result.problems, [{ code: 'unsupported-format', where: 'picture', detail: detail(2) }]);
    const capped = await rtfExtractor.extract(doc, { budget: createBudget(resolveLimits({ maxDecompressedBytes: 8 })), depth: 0, name: '문서.rtf' });
    assert.equal(capped.children.length, 0);
    assert.deepEqual(capped.problems, [{ code: 'unsupported-format', where: 'picture', detail: detail(3) }]);
    sameText(textAt(capped, ''), `서명 ${RRN}\n`);
  });

  it('should say that an embedded OLE object was not read', async () => {
    const result = await read(rtf(String.raw`\f0{\object\objemb{\*\objclass Excel.Sheet.8}{\*\objdata 01050000}{\result ${hex('표')}}}\par`));
    sameText(textAt(result, ''), '표\n');
    assert.deepEqual(result.problems, [{ code: 'unsupported-format', where: 'object', detail: '1 embedded OLE object not read' }]);
  });

  it('should survive hostile nesting, lengths and truncation', async () => {
    const deep = rtf(`${'{'.repeat(200_000)}\\f0 ${hex('깊은')} ${RRN}${'}'.repeat(200_000)}`);
    const started = performance.now();
    const result = await read(deep);
    assert.ok(performance.now() - started < 5000);
    assert.match(textAt(result, ''), /깊은 900101-1234568/);

    const lying = await read(rtf(String.raw`\f0 ${hex('본문')} ${RRN}\bin999999999 {}`));
    assert.match(textAt(lying, ''), /본문 900101-1234568/);

    const whole = rtf(String.raw`\f0 ${hex('주민등록번호')} ${RRN}\u-10916?\par}}}}`);
    for (let cut = 6; cut < whole.length; cut += 7) {
      await rtfExtractor.extract(whole.subarray(0, cut), testContext(null));
    }
  });

  it('should stop when the time budget runs out in the middle of a long document', async () => {
    const big = rtf(`\\f0 ${`${hex('본문')} ${RRN}\\par `.repeat(50_000)}`);
    assert.ok(big.length > 1024 * 1024);
    // A budget whose deadline passes after the first check: only the reader's own checks see it.
    let checks = 0;
    const base = createBudget(resolveLimits());
    const budget: Budget = {
      limits: base.limits,
      deadline: base.deadline,
      takeDecompressed: (bytes) => base.takeDecompressed(bytes),
      takeEntry: () => base.takeEntry(),
      takeOcrImage: () => base.takeOcrImage(),
      timeLeft: () => base.timeLeft(),
      checkTime(): void {
        checks += 1;
        if (checks > 1) throw new LimitExceeded('time', 'time budget spent');
      },
    };
    await assert.rejects(rtfExtractor.extract(big, { budget, depth: 0, name: null }), LimitExceeded);
    assert.equal(checks, 2);
  });
});

describe('oleExtractor', () => {
  it('should read a Word 97 document: body and footnotes', async () => {
    const doc = buildWordDocument({ body: ['고객 명단', `주민등록번호: ${RRN}`], footnotes: ['출처: 인사팀 똠방각하'] });
    assert.equal((await sniff(doc)).kind, 'doc');
    const result = await oleExtractor.extract(doc, testContext('명단.doc'));
    sameText(textAt(result, ''), `고객 명단\n주민등록번호: ${RRN}\n`);
    sameText(textAt(result, 'footnote'), '출처: 인사팀 똠방각하');
    assert.ok(hasRrn(textAt(result, '')));
    assert.deepEqual(result.problems, []);
  });

  /** A Word document with an ObjectPool storage holding `objects` (storage names), maybe none. */
  function wordWithObjectPool(objects: readonly string[]): Buffer {
    const container = CFB.read(buildWordDocument({ body: [`주민등록번호: ${RRN}`] }), { type: 'buffer' });
    for (const name of objects) CFB.utils.cfb_add(container, `ObjectPool/${name}/\u0001Ole10Native`, Buffer.from('data'));
    if (objects.length === 0) {
      // cfb makes storages only on the way to a stream: an empty one is a stream's path left over.
      CFB.utils.cfb_add(container, 'ObjectPool/placeholder', Buffer.alloc(1));
      CFB.utils.cfb_del(container, 'Root Entry/ObjectPool/placeholder');
      CFB.utils.cfb_gc(container);
    }
    return Buffer.from(CFB.write(container, { type: 'buffer' }) as Uint8Array);
  }

  it('should say that objects embedded in a Word document were not read', async () => {
    const result = await oleExtractor.extract(wordWithObjectPool(['_1234', '_5678']), testContext('첨부.doc'));
    assert.ok(hasRrn(textAt(result, '')));
    assert.deepEqual(result.problems, [
      { code: 'unsupported-format', where: '', path: 'ObjectPool', detail: '2 embedded objects in .doc not read' },
    ]);
    const empty = await oleExtractor.extract(wordWithObjectPool([]), testContext('빈.doc'));
    assert.ok(hasRrn(textAt(empty, '')));
    assert.deepEqual(empty.problems, []);
  });

  it('should call a password-protected Word document encrypted', async () => {
    const doc = buildWordDocument({ body: [`주민등록번호: ${RRN}`], encrypted: true });
    await assert.rejects(oleExtractor.extract(doc, testContext('암호.doc')), EncryptedFile);
  });

  it('should report legacy Excel as not read, and an encrypted one as encrypted', async () => {
    for (const streamName of ['Workbook', 'Book'] as const) {
      const result = await oleExtractor.extract(buildWorkbook({ streamName }), testContext('명단.xls'));
      assert.deepEqual(result.problems, [{ code: 'unsupported-format', where: '', detail: 'legacy Excel binary (.xls) is not read' }]);
    }
    await assert.rejects(oleExtractor.extract(buildWorkbook({ encrypted: true }), testContext('암호.xls')), EncryptedFile);
  });

  it('should report legacy PowerPoint as not read, and an encrypted one as encrypted', async () => {
    const result = await oleExtractor.extract(buildPresentation(), testContext('발표.ppt'));
    assert.deepEqual(result.problems.map((p) => p.code), ['unsupported-format']);
    assert.match(result.problems[0]?.detail ?? '', /PowerPoint/);
    await assert.rejects(oleExtractor.extract(buildPresentation({ encrypted: true }), testContext('암호.ppt')), EncryptedFile);
  });

  it('should call a password-protected OOXML file encrypted', async () => {
    await assert.rejects(oleExtractor.extract(buildEncryptedOoxml(), testContext('급여.xlsx')), EncryptedFile);
  });

  it('should call the corpus password-protected xlsx encrypted', async (t) => {
    const file = new URL('nolze__msoffcrypto-tool__tests__inputs__example_password.xlsx', CORPUS);
    if (!existsSync(file)) {
      t.skip(`corpus folder absent: ${fileURLToPath(CORPUS)}`);
      return;
    }
    const bytes = readFileSync(file);
    assert.equal((await sniff(bytes)).kind, 'office-encrypted');
    await assert.rejects(oleExtractor.extract(bytes, testContext('example_password.xlsx')), EncryptedFile);
  });

  it('should report an Outlook .msg as not read', async () => {
    const result = await oleExtractor.extract(buildOutlookMessage(), testContext('회의.msg'));
    assert.deepEqual(result.problems, [{ code: 'unsupported-format', where: '', detail: 'Outlook message (.msg) is not read' }]);
  });

  it('should reject a corrupt compound file as unreadable, not encrypted', async () => {
    const doc = buildWordDocument({ body: [RRN] });
    const corrupt = Buffer.concat([doc.subarray(0, 512), Buffer.alloc(64, 0xff)]);
    await assert.rejects(oleExtractor.extract(corrupt, testContext('깨진.doc')), (err: Error) => {
      assert.ok(!(err instanceof EncryptedFile) && !(err instanceof LimitExceeded));
      return true;
    });
  });
});

describe('oleExtractor on looping chains', () => {
  // word-extractor follows a looping FAT chain until V8 runs out of memory; the bounded reader
  // must turn such a file down first.
  {
    it('should call a .doc whose WordDocument chain loops unreadable without reading it', async () => {
      const doc = buildWordDocument({ body: [`주민등록번호: ${RRN}`, '가'.repeat(3000)] });
      const looped = loopStreamChain(doc, 'WordDocument');
      assert.notDeepEqual(looped, doc);
      await assert.rejects(oleExtractor.extract(looped, testContext('순환.doc')), (err: Error) => {
        assert.ok(err instanceof CfbFormatError, String(err));
        assert.match(err.message, /loops/);
        return true;
      });
    });
  }

  it('should still read the same document when its chains end', async () => {
    const doc = buildWordDocument({ body: [`주민등록번호: ${RRN}`, '가'.repeat(3000)] });
    const result = await oleExtractor.extract(doc, testContext('정상.doc'));
    assert.ok(result.pieces.some((p) => p.text.includes(RRN)));
  });
});
