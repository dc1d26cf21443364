/**
 * Content extraction specifications: realistic Korean mails built byte by byte
 * (test/support/mail-builder.ts) go through `extractMessage`; the decoded text must be exact and
 * `detectAll` must find the synthetic RRN (900101-1234568) at the right location.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { extractMessage } from '../content/index.js';
import type { ExtractedMessage, ProblemCode } from '../content/index.js';
import { decodeIso2022Kr, decodeText, resolveCharset, sniffCharset } from '../content/index.js';
import { htmlToText } from '../content/index.js';
import { detectAll } from '../detectors/index.js';
import {
  attachmentPart,
  buildMail,
  encodeIso2022Kr,
  encodeText,
  encodeWords,
  htmlPart,
  messagePart,
  multipart,
  textPart,
} from './support/mail-builder.js';
import type { TransferEncoding } from './support/mail-builder.js';
import { buildZip } from './support/zip-builder.js';

const RRN = '900101-1234568';
/** Korean text with a CP949-only syllable (똠), which plain EUC-KR cannot encode. */
const KOREAN = `안녕하세요, 홍길동 님.\n주민번호 ${RRN} 확인 부탁드립니다. 똠방각하`;

function segment(message: ExtractedMessage, location: string): string {
  const found = message.segments.find((s) => s.location === location);
  assert.ok(found, `no segment "${location}" in ${message.segments.map((s) => s.location)}`);
  return found.text;
}

/** Locations in which detectAll finds the synthetic RRN. */
function rrnLocations(message: ExtractedMessage): string[] {
  return message.segments
    .filter((s) => detectAll(s.text).some((f) => f.type === 'rrn' && f.masked === '900101-1******'))
    .map((s) => s.location);
}

function problemCodes(message: ExtractedMessage): Array<[ProblemCode, string]> {
  return message.problems.map((p) => [p.code, p.location]);
}


/** `length` bytes that look random and are the same on every run (SHA-256 in counter mode). */
function seededBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let n = 0; blocks.length * 32 < length; n += 1) blocks.push(createHash('sha256').update(`${seed}:${n}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

describe('extractMessage', () => {
  describe('when the subject is an RFC 2047 encoded word', () => {
    const charsets = ['utf-8', 'euc-kr', 'ks_c_5601-1987', 'cp949'];
    for (const charset of charsets) {
      for (const mode of ['B', 'Q'] as const) {
        it(`should decode ${charset} ${mode} exactly`, async () => {
          const subject = `급여 명세서 똠 (${RRN})`;
          const raw = buildMail({
            subject,
            subjectCharset: charset,
            subjectEncoding: mode,
            text: 'body',
          });
          const message = await extractMessage(raw);
          assert.equal(message.subject, subject);
          assert.equal(segment(message, 'subject'), subject);
          assert.deepEqual(rrnLocations(message), ['subject']);
        });
      }
    }

    it('should repair an ISO-2022-KR encoded word', async () => {
      const word = `=?ISO-2022-KR?B?${encodeIso2022Kr('주민번호 ' + RRN).toString('base64')}?=`;
      const message = await extractMessage(buildMail({ rawSubject: word, text: 'body' }));
      assert.equal(message.subject, `주민번호 ${RRN}`);
    });
  });

  describe('when the body is text/plain', () => {
    const charsets = ['utf-8', 'euc-kr', 'cp949', 'ks_c_5601-1987'];
    const encodings: TransferEncoding[] = ['base64', 'quoted-printable', '8bit'];
    for (const charset of charsets) {
      for (const transferEncoding of encodings) {
        it(`should decode ${charset} in ${transferEncoding} exactly`, async () => {
          const raw = buildMail({ body: textPart(KOREAN, { charset, transferEncoding }) });
          const message = await extractMessage(raw);
          assert.equal(segment(message, 'body'), KOREAN);
          assert.deepEqual(rrnLocations(message), ['body']);
          assert.deepEqual(message.problems, []);
        });
      }
    }

    it('should decode ISO-2022-KR (7bit, SO/SI shifts) exactly', async () => {
      const text = `첫 줄 한글\n둘째 줄 주민등록번호 ${RRN}\nEnglish line`;
      const raw = buildMail({ body: textPart(text, { charset: 'iso-2022-kr' }) });
      const message = await extractMessage(raw);
      assert.equal(segment(message, 'body'), text);
      assert.deepEqual(rrnLocations(message), ['body']);
    });

    it('should recognise ISO-2022-KR labelled as us-ascii by its designator', async () => {
      const text = `주민번호 ${RRN} 입니다`;
      const part = textPart(text, { charset: 'iso-2022-kr', declaredCharset: 'us-ascii' });
      const message = await extractMessage(buildMail({ body: part }));
      assert.equal(segment(message, 'body'), text);
    });

    it('should read text labelled UTF-8 that is really CP949 as CP949', async () => {
      const part = textPart(KOREAN, { charset: 'cp949', declaredCharset: 'utf-8' });
      const message = await extractMessage(buildMail({ body: part }));
      assert.equal(segment(message, 'body'), KOREAN);
    });

    it('should decode UTF-7, which mailparser refuses', async () => {
      const part = textPart(`고객 ${RRN}`, { charset: 'utf-7', transferEncoding: '7bit' });
      const message = await extractMessage(buildMail({ body: part }));
      assert.equal(segment(message, 'body'), `고객 ${RRN}`);
      assert.deepEqual(message.problems, []);
    });

    it('should report an unknown charset and read the bytes best effort', async () => {
      const part = textPart(KOREAN, { charset: 'cp949', declaredCharset: 'x-mystery-kr' });
      const message = await extractMessage(buildMail({ body: part }));
      assert.equal(segment(message, 'body'), KOREAN);
      assert.deepEqual(problemCodes(message), [['charset-unknown', 'body']]);
      assert.match(message.problems[0]?.detail ?? '', /x-mystery-kr/);
    });

    it('should report a transfer encoding mailparser cannot undo', async () => {
      const raw = Buffer.from(
        'Subject: x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-gzip64\r\n\r\n' +
          'H4sIAJ+A5jIAA0VPTWvDMAy9\r\n',
      );
      const message = await extractMessage(raw);
      assert.deepEqual(problemCodes(message), [['unreadable', 'message']]);
    });
  });

  describe('when the body is HTML', () => {
    it('should convert it to text with table cells apart and entities decoded', async () => {
      const html =
        '<html><head><style>td{color:red}</style></head><body><h1>고객 명단</h1>' +
        '<table><tr><th>번호</th><th>주민번호</th></tr>' +
        `<tr><td>1</td><td>${RRN}</td></tr>` +
        '<tr><td>2</td><td>&#57;00101&#8211;1234568</td></tr></table></body></html>';
      const part = htmlPart(html, { charset: 'euc-kr', transferEncoding: 'quoted-printable' });
      const message = await extractMessage(buildMail({ body: part }));
      const text = segment(message, 'body:html');
      assert.match(text, /고객 명단/);
      assert.match(text, /1\t900101-1234568\t/);
      assert.match(text, /2\t900101–1234568\t/);
      assert.equal(detectAll(text).length, 2);
      assert.ok(!text.includes('color:red'));
    });

    it('should keep link targets and alt text but not image sources', async () => {
      const html =
        `<p><a href="https://forms.example/?rrn=${RRN}">신청서</a>` +
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="주민등록증 사본"></p>';
      const message = await extractMessage(buildMail({ html }));
      const text = segment(message, 'body:html');
      assert.match(text, /신청서 \[https:\/\/forms\.example\/\?rrn=900101-1234568\]/);
      assert.match(text, /주민등록증 사본/);
      assert.ok(!text.includes('base64'));
    });

    it('should give text/plain and text/html alternatives their own segments', async () => {
      const raw = buildMail({ text: `본문 ${RRN}`, html: `<p>본문 ${RRN}</p>`, charset: 'euc-kr' });
      const message = await extractMessage(raw);
      assert.deepEqual(rrnLocations(message), ['body', 'body:html']);
    });

    it('should still find the text in HTML nested too deep for html-to-text', async () => {
      const depth = 5000;
      const html = `${'<div>'.repeat(depth)}주민번호 ${RRN}${'</div>'.repeat(depth)}`;
      assert.match(htmlToText(html), /주민번호 900101-1234568/);
      const message = await extractMessage(buildMail({ html }));
      assert.deepEqual(rrnLocations(message), ['body:html']);
    });
  });

  describe('when the message has text attachments', () => {
    it('should decode a CSV without a declared charset (CP949 bytes)', async () => {
      const csv = `이름,주민번호,비고\r\n홍길동,${RRN},똠\r\n`;
      const bytes = encodeText(csv, 'cp949');
      const raw = buildMail({
        text: '명단 첨부합니다.',
        attachments: [attachmentPart('고객명단.csv', bytes, { contentType: 'text/csv' })],
      });
      const message = await extractMessage(raw);
      assert.equal(segment(message, 'attachment:고객명단.csv'), csv);
      assert.deepEqual(rrnLocations(message), ['attachment:고객명단.csv']);
      assert.deepEqual(message.attachments, [
        { filename: '고객명단.csv', contentType: 'text/csv', size: bytes.length, inspected: true, kind: 'text' },
      ]);
    });

    const boms: Array<[string, string]> = [
      ['utf-16le', 'UTF-16LE'],
      ['utf-16be', 'UTF-16BE'],
      ['utf-8', 'UTF-8'],
    ];
    for (const [charset, title] of boms) {
      it(`should decode a ${title} text file with a BOM`, async () => {
        const content = encodeText(`고객 주민번호 ${RRN}`, charset, { bom: true });
        const part = attachmentPart('list.txt', content, { contentType: 'text/plain' });
        const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
        assert.equal(segment(message, 'attachment:list.txt'), `고객 주민번호 ${RRN}`);
      });
    }

    // Excel's "Unicode text" and many exports: UTF-16 without a byte-order mark, sent with
    // whatever type and charset the mail client guesses.
    const utf16Parts: Array<[string, string, string | undefined, string | undefined]> = [
      ['utf-16le', 'text/csv', undefined, 'UTF-16LE as text/csv'],
      ['utf-16le', 'application/octet-stream', undefined, 'UTF-16LE as application/octet-stream'],
      ['utf-16be', 'text/plain', undefined, 'UTF-16BE as text/plain'],
      ['utf-16le', 'text/csv', 'utf-8', 'UTF-16LE declared as UTF-8'],
      ['utf-16le', 'text/plain', 'euc-kr', 'UTF-16LE declared as EUC-KR'],
    ];
    for (const [charset, contentType, declared, title] of utf16Parts) {
      it(`should read ${title} without a BOM as UTF-16`, async () => {
        const csv = `성명,주민등록번호\r\n홍길동,${RRN}\r\n`;
        const part = attachmentPart('명단.csv', encodeText(csv, charset), {
          contentType,
          ...(declared === undefined ? {} : { charset: declared }),
        });
        const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
        assert.equal(segment(message, 'attachment:명단.csv'), csv);
        assert.deepEqual(rrnLocations(message), ['attachment:명단.csv']);
        assert.deepEqual(message.problems, []);
      });
    }

    it('should honour a declared charset', async () => {
      const part = attachmentPart('memo.txt', encodeText(KOREAN, 'euc-kr'), {
        contentType: 'text/plain',
        charset: 'ks_c_5601-1987',
      });
      const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
      assert.equal(segment(message, 'attachment:memo.txt'), KOREAN);
    });

    it('should read a .txt file sent as application/octet-stream', async () => {
      const part = attachmentPart('메모.txt', encodeText(KOREAN, 'cp949'));
      const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
      assert.equal(segment(message, 'attachment:메모.txt'), KOREAN);
      assert.equal(message.attachments[0]?.contentType, 'application/octet-stream');
      assert.equal(message.attachments[0]?.inspected, true);
    });

    const nameStyles: Array<['rfc2231' | 'rfc2047', string]> = [
      ['rfc2231', 'utf-8'],
      ['rfc2231', 'euc-kr'],
      ['rfc2047', 'utf-8'],
      ['rfc2047', 'euc-kr'],
    ];
    for (const [filenameEncoding, filenameCharset] of nameStyles) {
      it(`should decode a ${filenameEncoding} ${filenameCharset} file name`, async () => {
        const part = attachmentPart('급여명세서_홍길동.txt', `주민번호 ${RRN}`, {
          contentType: 'text/plain',
          filenameEncoding,
          filenameCharset,
        });
        const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
        assert.deepEqual(rrnLocations(message), ['attachment:급여명세서_홍길동.txt']);
      });
    }

    it('should convert an HTML attachment to text', async () => {
      const html = `<table><tr><td>7</td><td>${RRN}</td></tr></table>`;
      const options = { contentType: 'text/html', charset: 'utf-8' };
      const part = attachmentPart('report.html', html, options);
      const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
      assert.match(segment(message, 'attachment:report.html'), /^7\t900101-1234568\t/);
    });

    it('should name a part without a file name by its part number', async () => {
      const part = attachmentPart(null, `주민번호 ${RRN}`, { contentType: 'text/csv' });
      const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
      assert.deepEqual(rrnLocations(message), ['attachment:part-2']);
      assert.equal(message.attachments[0]?.filename, null);
    });
  });

  describe('when an attachment is of a format no extractor reads', () => {
    it('should list it as not inspected with an unsupported-format problem', async () => {
      // Bytes no format rule recognises, the same every run.
      const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff));
      const part = attachmentPart('계약서.bin', bytes, { contentType: 'application/octet-stream' });
      const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
      assert.deepEqual(message.attachments, [
        { filename: '계약서.bin', contentType: 'application/octet-stream', size: 64, inspected: false, kind: 'binary' },
      ]);
      assert.deepEqual(problemCodes(message), [['unsupported-format', 'attachment:계약서.bin']]);
    });
  });

  describe('when a message is forwarded as message/rfc822', () => {
    const inner = buildMail({
      subject: `전달: 주민번호 ${RRN}`,
      subjectCharset: 'ks_c_5601-1987',
      body: multipart('mixed', [
        textPart(KOREAN, { charset: 'euc-kr' }),
        attachmentPart('명단.csv', encodeText(`홍길동,${RRN}\n`, 'cp949'), { contentType: 'text/csv' }),
      ]),
    });

    for (const transferEncoding of ['8bit', 'base64'] as const) {
      it(`should extract it recursively (${transferEncoding})`, async () => {
        const raw = buildMail({
          text: '아래 메일 전달합니다.',
          attachments: [messagePart(inner, { filename: 'fwd.eml', transferEncoding })],
        });
        const message = await extractMessage(raw);
        assert.deepEqual(rrnLocations(message), [
          'attachment:fwd.eml/subject',
          'attachment:fwd.eml/body',
          'attachment:fwd.eml/attachment:명단.csv',
        ]);
        assert.equal(segment(message, 'attachment:fwd.eml/body'), KOREAN);
        assert.deepEqual(
          message.attachments.map((a) => [a.filename, a.inspected]),
          [['fwd.eml', true], ['명단.csv', true]],
        );
      });
    }

    it('should stop at maxDepth with a limit-exceeded problem', async () => {
      let raw = inner;
      for (let level = 1; level <= 3; level += 1) {
        const forwarded = messagePart(raw, { filename: `l${level}.eml` });
        raw = buildMail({ text: `level ${level}`, attachments: [forwarded] });
      }
      const message = await extractMessage(raw, { maxDepth: 2 });
      const third = 'attachment:l3.eml/attachment:l2.eml/attachment:l1.eml';
      assert.deepEqual(problemCodes(message), [['limit-exceeded', third]]);
      assert.deepEqual(rrnLocations(message), []);
      const deep = await extractMessage(raw, { maxDepth: 3 });
      assert.equal(rrnLocations(deep).length, 3);
    });
  });

  describe('when the text exceeds maxTextBytes', () => {
    it('should cut it on a character boundary and report truncated', async () => {
      const raw = buildMail({
        subject: '제목',
        text: '가'.repeat(1000),
        attachments: [attachmentPart('more.txt', '나'.repeat(100), { contentType: 'text/plain' })],
      });
      const message = await extractMessage(raw, { maxTextBytes: 1000 });
      const total = message.segments.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
      assert.ok(total <= 1000, `${total} bytes extracted`);
      // 6 bytes went to the subject, the rest of the header fields came next.
      const headers = Buffer.byteLength(segment(message, 'headers'));
      assert.equal(segment(message, 'body'), '가'.repeat(Math.floor((1000 - 6 - headers) / 3)));
      assert.deepEqual(problemCodes(message), [
        ['truncated', 'body'],
        ['truncated', 'attachment:more.txt'],
      ]);
    });
  });

  describe('when header fields other than the Subject carry text', () => {
    it('should scan every field but routing ones, decoded, as the headers segment', async () => {
      const raw = buildMail({
        from: `${encodeWords('인사팀 홍길동', 'euc-kr')} <hr@outguard.test>`,
        to: `${encodeWords('김영희')} <younghee@example.org>, park@example.org`,
        subject: '회의',
        text: '본문',
        headers: [
          ['X-Note', encodeWords(`주민등록번호 ${RRN}`, 'ks_c_5601-1987')],
          ['X-Raw-Note', encodeText(`비고 ${RRN} 똠`, 'cp949').toString('latin1')],
          ['Received', 'from mail.outguard.test (10.0.0.1) by mx 9001011234568'],
          ['DKIM-Signature', 'v=1; a=rsa-sha256; b=9001011234568'],
          ['ARC-Seal', 'i=1; b=9001011234568'],
          ['X-Outguard-Verdict', 'hold 9001011234568'],
        ],
      });
      const message = await extractMessage(raw);
      assert.equal(
        segment(message, 'headers'),
        `From: 인사팀 홍길동\nTo: 김영희 ,\nX-Note: 주민등록번호 ${RRN}\nX-Raw-Note: 비고 ${RRN} 똠\nContent-Type: text/plain; charset="utf-8"`,
      );
      assert.deepEqual(rrnLocations(message), ['headers']);
      // The mail's own addresses are routing, not content: no e-mail finding in every message.
      const found = detectAll(segment(message, 'headers')).map((f) => f.type);
      assert.deepEqual(found.filter((t) => t === 'email'), []);
      assert.equal(found.filter((t) => t === 'rrn').length, 2);
    });

    it('should scan the "header" of a text file that looks like a mail', async () => {
      const text = `From: HR team\r\nTo: payroll\r\nHong-Gildong: ${RRN}\r\n`;
      const part = attachmentPart('salary.txt', text, { contentType: 'text/plain' });
      const message = await extractMessage(buildMail({ text: 'x', attachments: [part] }));
      assert.equal(message.attachments[0]?.kind, 'eml');
      assert.equal(segment(message, 'attachment:salary.txt/headers'), `From: HR team\nTo: payroll\nHong-Gildong: ${RRN}`);
      assert.deepEqual(rrnLocations(message), ['attachment:salary.txt/headers']);
    });
  });

  describe('when the input is not a well-formed mail', () => {
    const inputs: Array<[string, Buffer]> = [
      ['empty input', Buffer.alloc(0)],
      ['random bytes', randomBytes(4096)],
      ['NUL bytes', Buffer.alloc(2048)],
      ['headers only', Buffer.from('Subject: only headers\r\n')],
      ['a multipart without its closing boundary', Buffer.from(
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' +
          `--b\r\nContent-Type: text/plain\r\n\r\n주민번호 ${RRN}\r\n` +
          '--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBE',
      )],
      ['broken base64', Buffer.from(
        'Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!***%%%\r\n',
      )],
      ['a boundary parameter that is empty', Buffer.from(
        'Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\nx\r\n',
      )],
    ];
    for (const [title, raw] of inputs) {
      it(`should resolve, not throw, for ${title}`, async () => {
        const message = await extractMessage(raw);
        assert.ok(Array.isArray(message.segments));
        assert.ok(Array.isArray(message.problems));
      });
    }

    it('should report random bytes as unparseable', async () => {
      // Fixed bytes: about one random input in thirty starts with a line that is a valid header
      // field (`_:…`), which is a mail as far as anyone can tell.
      const message = await extractMessage(seededBytes('outguard', 4096));
      assert.deepEqual(problemCodes(message), [['unparseable', 'message']]);
    });

    it('should still read what it can of a truncated multipart', async () => {
      const raw = inputs[4]?.[1] ?? Buffer.alloc(0);
      const message = await extractMessage(raw);
      assert.deepEqual(rrnLocations(message), ['body']);
    });
  });

  it('should report message id, sender and subject', async () => {
    const raw = buildMail({
      subject: '안내',
      messageId: '<abc@outguard.test>',
      from: '홍길동 <hong@outguard.test>',
      text: 'x',
    });
    const message = await extractMessage(raw);
    assert.equal(message.messageId, '<abc@outguard.test>');
    assert.equal(message.subject, '안내');
    assert.match(message.from ?? '', /hong@outguard\.test/);
  });
});

describe('charset helpers', () => {
  it('should read every Korean label as CP949', () => {
    const labels = ['EUC-KR', 'euc_kr', 'ks_c_5601-1987', 'KS_C_5601-1989', 'korean', 'CP949'];
    for (const label of labels) {
      assert.equal(resolveCharset(label), 'cp949', label);
    }
  });

  it('should know ISO-2022-KR, UTF-7 and the libmime charsets, and refuse non-charsets', () => {
    assert.equal(resolveCharset('ISO-2022-KR'), 'iso-2022-kr');
    assert.equal(resolveCharset('UTF-7'), 'utf-7');
    assert.equal(resolveCharset('ISO-2022-JP'), 'ISO-2022-JP');
    assert.equal(resolveCharset('x-unknown'), null);
    assert.equal(resolveCharset('base64'), null);
  });

  it('should sniff a BOM, then UTF-8, else CP949', () => {
    assert.equal(sniffCharset(Buffer.from([0xff, 0xfe, 0x41, 0x00])), 'utf-16le');
    assert.equal(sniffCharset(Buffer.from([0xfe, 0xff, 0x00, 0x41])), 'utf-16be');
    assert.equal(sniffCharset(Buffer.from('한글', 'utf8')), 'utf-8');
    assert.equal(sniffCharset(encodeText('한글', 'cp949')), 'cp949');
  });

  it('should reset the ISO-2022-KR shift at a line end', () => {
    // SO, 한 (0x47 0x51), line feed without SI, then "AB" which must stay ASCII.
    const bytes = Buffer.from([0x1b, 0x24, 0x29, 0x43, 0x0e, 0x47, 0x51, 0x0a, 0x41, 0x42]);
    assert.equal(decodeIso2022Kr(bytes), '한\nAB');
  });

  it('should report an unknown label with the sniffed charset', () => {
    const decoded = decodeText(encodeText('한글', 'cp949'), 'x-unknown');
    assert.deepEqual(decoded, { text: '한글', charset: 'cp949', unknownLabel: 'x-unknown' });
  });

  it('should fold long subjects into several encoded words', () => {
    const words = encodeWords('가'.repeat(30), 'euc-kr');
    assert.equal(words.split('\r\n ').length, 3);
  });
});

/** A DER element: tag, definite length, content. */
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

/** A BER element with indefinite length. */
function berIndefinite(tag: number, ...content: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([tag, 0x80]), ...content, Buffer.from([0, 0])]);
}

const OID = (hex: string): Buffer => der(0x06, Buffer.from(hex, 'hex'));
const OID_DATA = OID('2a864886f70d010701');
const OID_SIGNED = OID('2a864886f70d010702');
const OID_ENVELOPED = OID('2a864886f70d010703');

/** A CMS SignedData ContentInfo: detached unless `content` is given (then opaque-signed). */
function cmsSigned(content?: Buffer): Buffer {
  const encap = content === undefined ? der(0x30, OID_DATA) : der(0x30, OID_DATA, der(0xa0, der(0x04, content)));
  const signedData = der(0x30, der(0x02, Buffer.from([1])), der(0x31), encap, der(0x31, cmsSignerInfo()));
  return der(0x30, OID_SIGNED, der(0xa0, signedData));
}

/** A SignerInfo shaped like a real one: version, then the signature value as an octet string. */
function cmsSignerInfo(): Buffer {
  return der(0x30, der(0x02, Buffer.from([1])), der(0x04, seededBytes('signer', 40)));
}

/** A detached CMS signature in BER, every length indefinite, as some S/MIME clients send it. */
function cmsSignedBer(): Buffer {
  const signedData = berIndefinite(0x30, der(0x02, Buffer.from([1])), der(0x31), der(0x30, OID_DATA), der(0x31, cmsSignerInfo()));
  return berIndefinite(0x30, OID_SIGNED, berIndefinite(0xa0, signedData));
}

/**
 * A binary OpenPGP v4 signature packet (old format, two-byte length): RSA, SHA-256, a creation
 * time subpacket, an issuer subpacket and a 2048-bit MPI.
 */
function pgpSignaturePacket(): Buffer {
  const hashed = Buffer.from([5, 2, 0x67, 0x4e, 0x3c, 0x00]);
  const unhashed = Buffer.concat([Buffer.from([9, 16]), seededBytes('issuer', 8)]);
  const body = Buffer.concat([
    Buffer.from([4, 0x00, 1, 8, 0, hashed.length]), hashed,
    Buffer.from([0, unhashed.length]), unhashed,
    Buffer.from([0xab, 0xcd, 0x08, 0x00]), seededBytes('mpi', 256),
  ]);
  return Buffer.concat([Buffer.from([0x89, body.length >> 8, body.length & 0xff]), body]);
}

/** The same signature ASCII-armoured, with an armour header and a checksum line. */
function pgpSignatureArmor(): string {
  const lines = pgpSignaturePacket().toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PGP SIGNATURE-----\nComment: signed\n\n${lines.join('\n')}\n=Ab3d\n-----END PGP SIGNATURE-----\n`;
}

/** An ASCII-armoured OpenPGP message with a body that is the same on every run. */
function pgpArmor(label = 'MESSAGE'): string {
  const lines = seededBytes(`pgp-${label}`, 240).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PGP ${label}-----\n\n${lines.join('\n')}\n=Ab3d\n-----END PGP ${label}-----\n`;
}

describe('encrypted and signed mail content', () => {
  it('should report an ASCII-armoured PGP message in the body as encrypted', async () => {
    const message = await extractMessage(buildMail({ subject: '자료', text: `안녕하세요.\n\n${pgpArmor()}` }));
    assert.deepEqual(problemCodes(message), [['encrypted', 'body']]);
  });

  it('should report an armoured PGP attachment of any name and type as encrypted', async () => {
    const part = attachmentPart('명단.csv.asc', pgpArmor(), { contentType: 'text/plain' });
    const message = await extractMessage(buildMail({ text: '첨부 확인 바랍니다.', attachments: [part] }));
    assert.deepEqual(problemCodes(message), [['encrypted', 'attachment:명단.csv.asc']]);
    assert.equal(message.attachments[0]?.inspected, false);
  });

  it('should report a PGP/MIME multipart/encrypted message as encrypted', async () => {
    const body = multipart('encrypted', [
      attachmentPart(null, 'Version: 1\r\n', { contentType: 'application/pgp-encrypted', disposition: 'inline' }),
      attachmentPart('encrypted.asc', pgpArmor(), { contentType: 'application/octet-stream', disposition: 'inline' }),
    ]);
    const message = await extractMessage(buildMail({ subject: '자료', body }));
    const codes = problemCodes(message);
    assert.ok(codes.some(([code, at]) => code === 'encrypted' && at === 'message'), JSON.stringify(codes));
    assert.ok(codes.some(([code, at]) => code === 'encrypted' && at === 'attachment:encrypted.asc'), JSON.stringify(codes));
    assert.ok(codes.every(([code]) => code === 'encrypted'), JSON.stringify(codes));
  });

  it('should report binary OpenPGP encrypted data (.gpg) as encrypted', async () => {
    const gpg = Buffer.concat([Buffer.from([0x85, 0x01, 0x0c, 0x03]), seededBytes('gpg', 268)]);
    const part = attachmentPart('명단.csv.gpg', gpg);
    const message = await extractMessage(buildMail({ text: '첨부 확인 바랍니다.', attachments: [part] }));
    assert.deepEqual(problemCodes(message), [['encrypted', 'attachment:명단.csv.gpg']]);
  });

  it('should report S/MIME enveloped data as encrypted, by its content or its smime-type', async () => {
    const enveloped = der(0x30, OID_ENVELOPED, der(0xa0, seededBytes('enveloped', 200)));
    const byContent = attachmentPart('smime.p7m', enveloped, { contentType: 'application/pkcs7-mime' });
    const byLabel = attachmentPart('smime2.p7m', seededBytes('opaque', 120), {
      contentType: 'application/x-pkcs7-mime; smime-type=enveloped-data',
    });
    const message = await extractMessage(buildMail({ text: '암호화 메일', attachments: [byContent, byLabel] }));
    assert.deepEqual(problemCodes(message), [
      ['encrypted', 'attachment:smime.p7m'],
      ['encrypted', 'attachment:smime2.p7m'],
    ]);
  });

  it('should not call opaque-signed S/MIME data encrypted, and still hold it unread', async () => {
    const opaque = cmsSigned(Buffer.from(`주민등록번호: ${RRN}`));
    const part = attachmentPart('smime.p7m', opaque, { contentType: 'application/pkcs7-mime; smime-type=signed-data' });
    const message = await extractMessage(buildMail({ text: '서명 메일', attachments: [part] }));
    assert.deepEqual(problemCodes(message), [['unsupported-format', 'attachment:smime.p7m']]);
  });

  it('should read a detached S/MIME signature as nothing: no problem, the signed text still scanned', async () => {
    for (const signature of [cmsSigned(), cmsSignedBer()]) {
      const body = multipart('signed', [
        textPart(`주민등록번호: ${RRN}`),
        attachmentPart('smime.p7s', signature, { contentType: 'application/pkcs7-signature' }),
      ]);
      const message = await extractMessage(buildMail({ subject: '서명', body }));
      assert.deepEqual(problemCodes(message), []);
      assert.deepEqual(rrnLocations(message), ['body']);
    }
  });

  it('should read a detached PGP signature as nothing', async () => {
    const parts = [
      attachmentPart('signature.asc', pgpSignatureArmor(), { contentType: 'application/pgp-signature' }),
      attachmentPart('signature.sig', pgpSignaturePacket(), { contentType: 'application/pgp-signature' }),
      attachmentPart('x.sig', Buffer.concat([Buffer.from([0xca, 3]), Buffer.from('PGP'), pgpSignaturePacket()])),
    ];
    const message = await extractMessage(buildMail({ text: '서명 메일', attachments: parts }));
    assert.deepEqual(problemCodes(message), []);
  });

  it('should not skip a "signature" whose content is no signature, nor one that carries content', async () => {
    const parts = [
      attachmentPart('smime.p7s', seededBytes('fake', 64), { contentType: 'application/pkcs7-signature' }),
      attachmentPart('x.p7s', cmsSigned(Buffer.from('hidden')), { contentType: 'application/pkcs7-signature' }),
      attachmentPart('a.p7s', `주민등록번호: ${RRN}\n`, { contentType: 'application/pkcs7-signature' }),
    ];
    const message = await extractMessage(buildMail({ text: '서명 메일', attachments: parts }));
    assert.deepEqual(problemCodes(message), [
      ['unsupported-format', 'attachment:smime.p7s'],
      ['unsupported-format', 'attachment:x.p7s'],
    ]);
    assert.deepEqual(rrnLocations(message), ['attachment:a.p7s']);
  });

  it('should read a signature head glued to other content as that content, never skip it', async () => {
    const csv = `이름,주민등록번호\n홍길동,${RRN}\n`;
    const zip = buildZip([{ name: 'list.csv', data: csv }]);
    const encryptedZip = buildZip([{ name: 'list.csv', data: csv, flags: 1 }]);
    const cmsHead = Buffer.from('3080' + '06092a864886f70d010702', 'hex');
    const parts = [
      attachmentPart('data.sig', Buffer.concat([Buffer.from([0xc2, 0x10, 0x04]), Buffer.alloc(16, 1), zip])),
      attachmentPart('signature.asc.sig', `-----BEGIN PGP SIGNATURE-----\n\n${csv}`),
      attachmentPart('명단.xlsx', Buffer.concat([Buffer.from([0x88, 0x10, 0x04]), Buffer.from(csv)]), { contentType: 'application/pgp-signature' }),
      attachmentPart('smime.p7s', Buffer.concat([cmsHead, Buffer.from(csv)])),
      attachmentPart('x.sig', Buffer.concat([Buffer.from([0xc2, 0x01, 0x04]), encryptedZip])),
      attachmentPart('y.sig', Buffer.concat([pgpSignaturePacket(), zip])),
      attachmentPart('z.p7s', Buffer.concat([cmsSigned(), Buffer.from(csv)])),
      attachmentPart('w.sig', `${pgpSignatureArmor()}${csv}`),
    ];
    const message = await extractMessage(buildMail({ text: '서명된 메일입니다', attachments: parts }));
    const unread = problemCodes(message).filter(([code]) => code === 'unsupported-format').map(([, at]) => at);
    assert.deepEqual(unread, ['attachment:data.sig', 'attachment:명단.xlsx', 'attachment:smime.p7s', 'attachment:x.sig', 'attachment:y.sig', 'attachment:z.p7s']);
    assert.deepEqual(rrnLocations(message), ['attachment:signature.asc.sig', 'attachment:w.sig']);
  });
});

describe('control characters in declared text', () => {
  const nulSeparated = Buffer.from(`주민등록번호: ${[...RRN].join('\0')}\n`);

  it('should read NUL-separated digits in a text/plain attachment as a number', async () => {
    for (const charset of ['utf-8', undefined]) {
      const part = attachmentPart('a.txt', nulSeparated, { contentType: 'text/plain', ...(charset ? { charset } : {}) });
      const message = await extractMessage(buildMail({ text: '첨부 확인 바랍니다.', attachments: [part] }));
      assert.deepEqual(rrnLocations(message), ['attachment:a.txt']);
      assert.ok(!segment(message, 'attachment:a.txt').includes('\0'));
    }
  });

  it('should read U+0001-separated digits in a text attachment as a number', async () => {
    const bytes = Buffer.from(`주민등록번호: ${[...RRN].join('\x01')}\n`);
    const part = attachmentPart('a.csv', bytes, { contentType: 'text/csv', charset: 'utf-8' });
    const message = await extractMessage(buildMail({ text: '첨부', attachments: [part] }));
    assert.deepEqual(rrnLocations(message), ['attachment:a.csv']);
  });

  it('should read NUL-separated digits in the body as a number', async () => {
    const body = { headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', 'base64']] as const,
      body: Buffer.from(nulSeparated.toString('base64')) };
    const message = await extractMessage(buildMail({ subject: '자료', body }));
    assert.deepEqual(rrnLocations(message), ['body']);
  });
});

describe('inline text parts whose bytes are not text', () => {
  it('should read a nameless inline text/plain part that is a zip as a zip', async () => {
    const zip = buildZip([{ name: 'a.txt', data: `주민등록번호 ${RRN}` }]);
    const part = attachmentPart(null, zip, { contentType: 'text/plain', disposition: 'inline' });
    const message = await extractMessage(buildMail({ subject: '자료', text: '본문입니다.', attachments: [part] }));
    assert.deepEqual(rrnLocations(message), ['attachment:inline-part-1/a.txt']);
    assert.deepEqual(problemCodes(message), [['type-mismatch', 'attachment:inline-part-1']]);
    assert.ok(!segment(message, 'body').includes('PK'));
    assert.equal(message.attachments.find((a) => a.kind === 'zip')?.inspected, true);
  });

  it('should read a zip in any inline text part as a zip, whatever its Content-Type says or lacks', async () => {
    const zip = buildZip([{ name: 'list.csv', data: `이름,주민등록번호\n홍길동,${RRN}\n` }]);
    const b64 = `${zip.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
    const head = 'From: a@b.test\r\nTo: c@d.test\r\nSubject: 자료\r\nMIME-Version: 1.0\r\n';
    const mixed = (partHeaders: string): Buffer => Buffer.from(`${head}Content-Type: multipart/mixed; boundary="BB"\r\n\r\n`
      + `--BB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n본문입니다.\r\n`
      + `--BB\r\n${partHeaders}Content-Transfer-Encoding: base64\r\n\r\n${b64}--BB--\r\n`, 'utf8');
    const cases: Array<[string, Buffer]> = [
      ['no Content-Type', mixed('')],
      ['charset=""', mixed('Content-Type: text/plain; charset=""\r\n')],
      ['charset=base64', mixed('Content-Type: text/plain; charset=base64\r\n')],
      ['x-charset only', mixed('Content-Type: text/plain; x-charset=1\r\n')],
      ['folded Content-Type', mixed('Content-Type:\r\n text/plain\r\n')],
      ['single part, no Content-Type', Buffer.from(`${head}Content-Transfer-Encoding: base64\r\n\r\n${b64}`, 'utf8')],
    ];
    for (const [name, raw] of cases) {
      const message = await extractMessage(raw);
      assert.deepEqual(rrnLocations(message), ['attachment:inline-part-1/list.csv'], name);
      const body = message.segments.find((s) => s.location === 'body')?.text ?? '';
      assert.ok(!body.includes('PK'), name);
      const headers = message.segments.find((s) => s.location === 'headers')?.text ?? '';
      assert.ok(!headers.includes('x-outguard'), name);
    }
  });

  it('should keep a body with no Content-Type as body text, its headers as the sender wrote them', async () => {
    const raw = Buffer.from(`From: a@b.test\r\nSubject: 안내\r\n\r\n${KOREAN}\r\n`, 'utf8');
    const message = await extractMessage(raw);
    assert.equal(segment(message, 'body').trim(), KOREAN);
    assert.ok(!message.segments.some((s) => s.location === 'headers' && s.text.includes('Content-Type')));
    assert.deepEqual(problemCodes(message), []);
  });

  it('should keep a text body with no charset as body text, CP949 bytes read as CP949', async () => {
    const message = await extractMessage(buildMail({ body: textPart(KOREAN, { charset: 'cp949', declaredCharset: null }) }));
    assert.equal(segment(message, 'body'), KOREAN);
    assert.deepEqual(problemCodes(message), []);
  });
});
