/**
 * The attachment pipeline (content/attachments.ts): typing by content, locations with `#page` /
 * `#sheet` and inner paths, depth and the other limits of the one per-message budget, and what
 * becomes of every way an extractor can fail.
 *
 * The pipeline's own rules are checked with small test extractors passed through
 * `extractMessage`'s `extractors` option (test/support/zip-builder.ts builds the archives), so
 * they hold whichever real extractors exist. The last group runs the production registry on
 * real formats built from code, and skips, saying so, a format whose extractor is not there.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { createBudget, DEFAULT_LIMITS, extractMessage, type ExtractedMessage } from '../content/index.js';
import { errorDetail } from '../content/attachments.js';
import { extractorFor } from '../content/formats/index.js';
import {
  EncryptedFile,
  LimitExceeded,
  type ExtractLimits,
  type Extractor,
  type FileKind,
} from '../content/formats/types.js';
import { detectAll } from '../detectors/index.js';
import { inspectMessage } from '../engine/inspect.js';
import { scanMessage, type Scanner } from '../engine/scanner.js';
import { loadPolicyFile } from '../policies/load.js';
import { attachmentPart, buildMail, textPart } from './support/mail-builder.js';
import { buildHwp } from './support/hwp-builder.js';
import { buildPdf, koreanLines } from './support/pdf-builder.js';
import { buildZip } from './support/zip-builder.js';
import { loadRaw } from '../milter/spool.js';

const RRN = '900101-1234568';
const RRN_TEXT = `주민등록번호: ${RRN}`;
const CORPUS = path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus');

// --- Test archives and extractors: each reads only what these tests write. -------------------

interface Entry {
  readonly path: string;
  readonly data: Buffer | string;
}

/** A zip of stored (uncompressed) entries, which `storedEntries` can read back. */
function storedZip(entries: readonly Entry[]): Buffer {
  return buildZip(entries.map((e) => ({ name: e.path, data: e.data, method: 0 })));
}

/** A zip nested `levels` deep: `z1.zip` holds `z2.zip` … whose last holds `innermost`. */
function nestedZip(levels: number, innermost: Entry): Buffer {
  let bytes = storedZip([innermost]);
  for (let level = levels; level > 1; level -= 1) bytes = storedZip([{ path: `z${level}.zip`, data: bytes }]);
  return bytes;
}

/** The entries of a zip `storedZip` wrote, walked by their local headers (APPNOTE 4.3.7). */
function storedEntries(bytes: Buffer): Array<{ path: string; bytes: Buffer }> {
  const out: Array<{ path: string; bytes: Buffer }> = [];
  let at = 0;
  while (at + 30 <= bytes.length && bytes.readUInt32LE(at) === 0x04034b50) {
    if (bytes.readUInt16LE(at + 8) !== 0) throw new Error('not a stored entry');
    const size = bytes.readUInt32LE(at + 18);
    const nameEnd = at + 30 + bytes.readUInt16LE(at + 26);
    const dataStart = nameEnd + bytes.readUInt16LE(at + 28);
    if (dataStart + size > bytes.length) throw new Error('entry runs past the end of the archive');
    out.push({ path: bytes.subarray(at + 30, nameEnd).toString('utf8'), bytes: bytes.subarray(dataStart, dataStart + size) });
    at = dataStart + size;
  }
  return out;
}

/** Entries of a stored zip as inner files, counted against the budget as a real one does. */
const testZip: Extractor = {
  kinds: ['zip'],
  async extract(bytes, context) {
    const entries = storedEntries(bytes);
    for (const _ of entries) context.budget.takeEntry();
    return { pieces: [], children: entries, problems: [] };
  },
};

/** The same, forgetting to count entries: the pipeline's own bound must still stop the listing. */
const uncountedZip: Extractor = {
  kinds: ['zip'],
  async extract(bytes) {
    return { pieces: [], children: storedEntries(bytes), problems: [] };
  },
};

/** UTF-8 text as one piece. */
const testText: Extractor = {
  kinds: ['text'],
  async extract(bytes) {
    return { pieces: [{ where: '', text: bytes.toString('utf8') }], children: [], problems: [] };
  },
};

/**
 * "PDF": the header line, then pages split by form feeds. A page reading ENCRYPTED, BOMB or
 * BROKEN makes it fail that way; UNREADABLE-PAGE is skipped with a problem at that page.
 */
const testPdf: Extractor = {
  kinds: ['pdf'],
  async extract(bytes) {
    const pages = bytes.toString('utf8').split('\n').slice(1).join('\n').split('\f');
    if (pages.includes('ENCRYPTED')) throw new EncryptedFile('PDF is password-protected');
    if (pages.includes('BOMB')) throw new LimitExceeded('decompressed', 'more than 1000 bytes decompressed');
    if (pages.includes('BROKEN')) throw new Error(`bad xref entry near "${RRN}"\nstack line`);
    const pieces = [];
    const problems = [];
    for (const [index, text] of pages.entries()) {
      const where = `page=${index + 1}`;
      if (text === 'UNREADABLE-PAGE') problems.push({ code: 'unreadable' as const, where, detail: 'page not read' });
      else pieces.push({ where, text });
    }
    return { pieces, children: [], problems };
  },
};

function lookup(...extractors: Extractor[]): (kind: FileKind) => Extractor | null {
  const map = new Map<FileKind, Extractor>();
  for (const extractor of extractors) for (const kind of extractor.kinds) map.set(kind, extractor);
  return (kind) => map.get(kind) ?? null;
}

const ALL_TEST = lookup(testZip, testText, testPdf);

function fakePdf(...pages: string[]): Buffer {
  return Buffer.from(`%PDF-1.4\n${pages.join('\f')}`, 'utf8');
}

function extractWith(
  raw: Buffer,
  extractors: (kind: FileKind) => Extractor | null,
  limits: Partial<ExtractLimits> = {},
): Promise<ExtractedMessage> {
  return extractMessage(raw, { extractors, limits });
}

function rrnLocations(message: ExtractedMessage): string[] {
  return message.segments
    .filter((s) => detectAll(s.text).some((f) => f.type === 'rrn' && f.masked === '900101-1******'))
    .map((s) => s.location);
}

function problems(message: ExtractedMessage): Array<[string, string]> {
  return message.problems.map((p) => [p.code, p.location]);
}

function mail(...attachments: Array<[string, Buffer, string]>): Buffer {
  return buildMail({
    subject: '자료 송부',
    text: '첨부 확인 부탁드립니다.',
    attachments: attachments.map(([name, bytes, type]) => attachmentPart(name, bytes, { contentType: type })),
  });
}

/** A scanner running the in-process pipeline with test extractors: the policy path, unchanged. */
function scannerWith(extractors: (kind: FileKind) => Extractor | null): Scanner {
  return { scan: async (request) => scanMessage(await loadRaw(request.raw), request.limits, request.detection, extractors) };
}

describe('the attachment pipeline', () => {
  describe('when it places text', () => {
    it('should locate pages after # and inner files by their path, and list inner files', async () => {
      const zip = storedZip([
        { path: '2024/명단.txt', data: `고객 ${RRN_TEXT}` },
        { path: '2024/요약.pdf', data: fakePdf('요약', RRN_TEXT) },
      ]);
      const raw = mail(['보고서.pdf', fakePdf('1쪽', RRN_TEXT), 'application/pdf'], ['자료.zip', zip, 'application/zip']);
      const message = await extractWith(raw, ALL_TEST);
      assert.deepEqual(rrnLocations(message), [
        'attachment:보고서.pdf#page=2',
        'attachment:자료.zip/2024/명단.txt',
        'attachment:자료.zip/2024/요약.pdf#page=2',
      ]);
      assert.deepEqual(
        message.attachments.map((a) => [a.filename, a.kind, a.contentType, a.inspected]),
        [
          ['보고서.pdf', 'pdf', 'application/pdf', true],
          ['자료.zip', 'zip', 'application/zip', true],
          ['자료.zip/2024/명단.txt', 'text', 'text/plain', true],
          ['자료.zip/2024/요약.pdf', 'pdf', 'application/pdf', true],
        ],
      );
      assert.deepEqual(message.problems, []);
    });

    it('should follow a mail inside a zip, its parts under its path', async () => {
      const inner = buildMail({ subject: '원본', text: `고객 ${RRN_TEXT}` });
      const raw = mail(['전달.zip', storedZip([{ path: '전달/원본.eml', data: inner }]), 'application/zip']);
      const message = await extractWith(raw, ALL_TEST);
      assert.deepEqual(rrnLocations(message), ['attachment:전달.zip/전달/원본.eml/body']);
      assert.deepEqual(message.attachments.map((a) => [a.filename, a.kind]), [
        ['전달.zip', 'zip'],
        ['전달.zip/전달/원본.eml', 'eml'],
      ]);
    });

    it('should read by content and report a name and type that disagree with it', async () => {
      const raw = mail(['계약서.txt', fakePdf(RRN_TEXT), 'text/plain']);
      const message = await extractWith(raw, ALL_TEST);
      assert.deepEqual(problems(message), [['type-mismatch', 'attachment:계약서.txt']]);
      assert.match(message.problems[0]!.detail, /pdf/);
      assert.deepEqual(rrnLocations(message), ['attachment:계약서.txt#page=1']);
      assert.deepEqual(message.attachments.map((a) => [a.kind, a.inspected]), [['pdf', true]]);
    });
  });

  describe('when a zip is nested 20 deep', () => {
    const raw = mail(['z1.zip', nestedZip(20, { path: '명단.txt', data: RRN_TEXT }), 'application/zip']);
    const tenth = `attachment:${Array.from({ length: 10 }, (_, i) => `z${i + 1}.zip`).join('/')}`;

    it('should stop at the depth limit with limit-exceeded, and read nothing past it', async () => {
      const message = await extractWith(raw, ALL_TEST);
      assert.deepEqual(problems(message), [['limit-exceeded', tenth]]);
      assert.equal(message.problems[0]!.detail, `nested deeper than ${DEFAULT_LIMITS.maxDepth} levels`);
      assert.deepEqual(rrnLocations(message), []);
      assert.equal(message.attachments.length, 10);
      assert.ok(message.attachments.every((a) => !a.inspected), 'no level was read whole');
      assert.equal(message.attachments[9]!.filename, tenth.slice('attachment:'.length));
    });

    it('should read to the bottom when the limit allows it, so the limit is what stopped it', async () => {
      const message = await extractWith(raw, ALL_TEST, { maxDepth: 20 });
      assert.deepEqual(problems(message), []);
      assert.equal(rrnLocations(message).length, 1);
      assert.match(rrnLocations(message)[0]!, /z20\.zip\/명단\.txt$/);
    });

    it('should be held by the default policy', async () => {
      const inspection = await inspectMessage(raw, { policy: loadPolicyFile(), scanner: scannerWith(ALL_TEST) });
      assert.equal(inspection.decision.action, 'hold');
      assert.equal(inspection.decision.ruleId, 'uninspectable-hold');
    });

    it('should stop at the depth limit with the production zip extractor too', async (t) => {
      if (extractorFor('zip') === null) return t.skip('zip extractor not registered yet');
      const message = await extractMessage(raw);
      assert.deepEqual(problems(message), [['limit-exceeded', tenth]]);
      assert.deepEqual(rrnLocations(message), []);
    });
  });

  describe('when an extractor fails', () => {
    const raw = mail(
      ['잠김.pdf', fakePdf('ENCRYPTED'), 'application/pdf'],
      ['폭탄.pdf', fakePdf('BOMB'), 'application/pdf'],
      ['깨짐.pdf', fakePdf('BROKEN'), 'application/pdf'],
      ['일부.pdf', fakePdf(RRN_TEXT, 'UNREADABLE-PAGE'), 'application/pdf'],
      ['정상.pdf', fakePdf('회의록'), 'application/pdf'],
    );

    it('should report each outcome at its file, and list only the clean file as inspected', async () => {
      const message = await extractWith(raw, ALL_TEST);
      assert.deepEqual(problems(message), [
        ['encrypted', 'attachment:잠김.pdf'],
        ['limit-exceeded', 'attachment:폭탄.pdf'],
        ['unreadable', 'attachment:깨짐.pdf'],
        ['unreadable', 'attachment:일부.pdf#page=2'],
      ]);
      assert.deepEqual(rrnLocations(message), ['attachment:일부.pdf#page=1']);
      assert.deepEqual(message.attachments.map((a) => a.inspected), [false, false, false, false, true]);
    });

    it('should keep no clear number from an error message, and only its first line', async () => {
      const message = await extractWith(raw, ALL_TEST);
      const detail = message.problems[2]!.detail;
      assert.equal(detail, 'bad xref entry near "#"');
      assert.ok(!JSON.stringify(message.problems).includes('1234568'));
      assert.equal(errorDetail(new Error('x'.repeat(500))).length, 120);
      assert.equal(errorDetail(new Error('card 4111 1111 1111 1111 at 12')), 'card # at 12');
    });

    it('should place a problem about an inner entry at its path, its detail sanitised like an error', async () => {
      // Reports an encrypted entry without opening it, naming it in the detail as zip tools do.
      const lockedZip: Extractor = {
        kinds: ['zip'],
        async extract(bytes) {
          const problems = storedEntries(bytes).map((e) => ({
            code: 'encrypted' as const,
            where: '',
            path: e.path,
            detail: `entry ${e.path} is encrypted\nsecond line`,
          }));
          return { pieces: [], children: [], problems };
        },
      };
      const zip = storedZip([{ path: `급여/${RRN}.txt`, data: RRN_TEXT }]);
      const message = await extractWith(mail(['급여.zip', zip, 'application/zip']), lookup(lockedZip));
      assert.deepEqual(problems(message), [['encrypted', `attachment:급여.zip/급여/${RRN}.txt`]]);
      assert.equal(message.problems[0]!.detail, 'entry 급여/#.txt is encrypted');
    });

    it('should report a cut once per place when the file and the message budget both cut it', async () => {
      // Cuts its own text at the message budget it was given, and says so, as the collectors do.
      const cuttingPdf: Extractor = {
        kinds: ['pdf'],
        async extract() {
          const problems = [{ code: 'truncated' as const, where: 'page=1', detail: 'text beyond the extraction budget was cut' }];
          return { pieces: [{ where: 'page=1', text: `${RRN_TEXT} `.repeat(40) }], children: [], problems };
        },
      };
      const raw = mail(['긴문서.pdf', fakePdf('x'), 'application/pdf']);
      const message = await extractWith(raw, lookup(cuttingPdf), { maxTextBytes: 600 });
      assert.deepEqual(problems(message), [['truncated', 'attachment:긴문서.pdf#page=1']]);
    });

    it('should report a kind no extractor reads as unsupported-format', async () => {
      const message = await extractWith(mail(['보고서.pdf', fakePdf('x'), 'application/pdf']), lookup(testZip));
      assert.deepEqual(problems(message), [['unsupported-format', 'attachment:보고서.pdf']]);
      assert.match(message.problems[0]!.detail, /no extractor for pdf/);
    });

    it('should hold under the default policy when an attachment is encrypted', async () => {
      const encrypted = mail(['급여.pdf', fakePdf('ENCRYPTED'), 'application/pdf']);
      const inspection = await inspectMessage(encrypted, { policy: loadPolicyFile(), scanner: scannerWith(ALL_TEST) });
      assert.deepEqual(inspection.problems.map((p) => p.code), ['encrypted']);
      assert.equal(inspection.decision.action, 'hold');
      assert.equal(inspection.decision.ruleId, 'uninspectable-hold');
    });
  });

  describe('when the message-wide budget runs out', () => {
    it('should share the entry count across levels, attached mails included', async () => {
      const zip = (prefix: string) =>
        storedZip([1, 2, 3].map((n) => ({ path: `${prefix}${n}.txt`, data: `문서 ${n}` })));
      const forwarded = buildMail({ text: '전달', attachments: [attachmentPart('b.zip', zip('b'), { contentType: 'application/zip' })] });
      const raw = buildMail({
        text: '두 묶음',
        attachments: [
          attachmentPart('a.zip', zip('a'), { contentType: 'application/zip' }),
          attachmentPart('fwd.eml', forwarded, { contentType: 'message/rfc822' }),
        ],
      });
      const message = await extractWith(raw, ALL_TEST, { maxEntries: 4 });
      assert.deepEqual(problems(message), [['limit-exceeded', 'attachment:fwd.eml/attachment:b.zip']]);
      assert.match(message.problems[0]!.detail, /more than 4 archive entries/);
      const withRoom = await extractWith(raw, ALL_TEST, { maxEntries: 6 });
      assert.deepEqual(problems(withRoom), []);
    });

    it('should bound the listing of inner files even when an extractor does not count them', async () => {
      const zip = storedZip([1, 2, 3, 4, 5].map((n) => ({ path: `${n}.txt`, data: `문서 ${n}` })));
      const raw = mail(['많음.zip', zip, 'application/zip']);
      const message = await extractWith(raw, lookup(uncountedZip, testText), { maxEntries: 3 });
      assert.deepEqual(problems(message), [['limit-exceeded', 'attachment:많음.zip']]);
      assert.equal(message.problems[0]!.detail, 'more than 3 inner files in one message');
      assert.deepEqual(message.attachments.map((a) => a.filename), ['많음.zip', '많음.zip/1.txt', '많음.zip/2.txt', '많음.zip/3.txt']);
    });

    it('should stop at the time budget and report the files it did not read', async () => {
      const slowPdf: Extractor = {
        kinds: ['pdf'],
        async extract(bytes, context) {
          await sleep(60);
          return testPdf.extract(bytes, context);
        },
      };
      const raw = mail(['1.pdf', fakePdf('첫째'), 'application/pdf'], ['2.pdf', fakePdf(RRN_TEXT), 'application/pdf']);
      const message = await extractWith(raw, lookup(slowPdf), { timeBudgetMs: 30 });
      assert.deepEqual(problems(message), [['limit-exceeded', 'attachment:2.pdf']]);
      assert.match(message.problems[0]!.detail, /longer than 30 ms/);
    });

    it('should not read a file once the text budget is spent, and say so', async () => {
      const raw = buildMail({
        // ASCII, so the cut leaves not one byte of the budget over (a 3-byte 가 could).
        text: 'Minutes of the weekly meeting. '.repeat(40),
        attachments: [attachmentPart('뒤.pdf', fakePdf(RRN_TEXT), { contentType: 'application/pdf' })],
      });
      const message = await extractWith(raw, ALL_TEST, { maxTextBytes: 600 });
      assert.deepEqual(problems(message), [
        ['truncated', 'body'],
        ['truncated', 'attachment:뒤.pdf'],
      ]);
      assert.match(message.problems[1]!.detail, /text budget of the message is spent/);
    });
  });

  describe('when data hides past the end of a format', () => {
    const LIST = `이름,주민등록번호\n홍길동,${RRN}\n`;
    /** Images read as nothing, so only what the pipeline finds past their end can hold text. */
    const blankImages: Extractor = {
      kinds: ['jpeg', 'png', 'gif'],
      async extract() {
        return { pieces: [], children: [], problems: [] };
      },
    };
    /** "PDF" text up to its `%%EOF`, where a real reader stops too. */
    const pdfToEnd: Extractor = {
      kinds: ['pdf'],
      async extract(bytes) {
        const text = bytes.toString('latin1');
        return { pieces: [{ where: '', text: text.slice(0, text.indexOf('%%EOF')) }], children: [], problems: [] };
      },
    };
    const withRealZip = (...extractors: Extractor[]) =>
      lookup(extractorFor('zip') ?? testZip, testText, pdfToEnd, ...extractors);
    /** The classic 1×1 GIF89a: header, screen, palette, graphic control, one image, trailer. */
    const gif = Buffer.concat([
      Buffer.from('GIF89a', 'latin1'),
      Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0]),
      Buffer.from([0x21, 0xf9, 4, 1, 0, 0, 0, 0]),
      Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0]),
      Buffer.from([0x3b]),
    ]);
    const pdfWithEnd = Buffer.concat([fakePdf('분기 보고서'), Buffer.from('\n%%EOF\n')]);

    it('should read a zip appended to a PDF, a JPEG, a PNG or a GIF as an inner file `appended`', async () => {
      const { renderLines } = await import('./support/image-fixtures.js');
      const canvas = renderLines(['여름 휴가 사진']);
      const zip = buildZip([{ name: '명단.csv', data: LIST }]);
      const cases: Array<[string, Buffer, string]> = [
        ['보고서.pdf', pdfWithEnd, 'application/pdf'],
        ['사진.jpg', canvas.toBuffer('image/jpeg'), 'image/jpeg'],
        ['사진.png', canvas.toBuffer('image/png'), 'image/png'],
        ['점.gif', gif, 'image/gif'],
      ];
      for (const [name, cover, type] of cases) {
        const message = await extractWith(mail([name, Buffer.concat([cover, zip]), type]), withRealZip(blankImages));
        assert.deepEqual(rrnLocations(message), [`attachment:${name}/appended/명단.csv`], name);
        assert.deepEqual(problems(message), [], name);
      }
    });

    it('should read an appended zip whose offsets count from the start of the whole file (zip -A)', async (t) => {
      if (!existsSync('/usr/bin/zip')) return t.skip('Debian zip not installed');
      const dir = mkdtempSync(path.join(tmpdir(), 'og-polyglot-'));
      writeFileSync(path.join(dir, 'poly.pdf'), Buffer.concat([pdfWithEnd, buildZip([{ name: '명단.csv', data: LIST }])]));
      execFileSync('zip', ['-q', '-A', 'poly.pdf'], { cwd: dir });
      const poly = readFileSync(path.join(dir, 'poly.pdf'));
      const message = await extractWith(mail(['보고서.pdf', poly, 'application/pdf']), withRealZip());
      assert.deepEqual(rrnLocations(message), ['attachment:보고서.pdf/appended/명단.csv']);
      assert.deepEqual(problems(message), []);
    });

    it('should record, not hold, vendor data of no known kind after a photo (Samsung SEF, motion-photo video)', async () => {
      const { renderLines } = await import('./support/image-fixtures.js');
      const jpeg = renderLines(['회의 사진']).toBuffer('image/jpeg');
      // Galaxy cameras end the file with an SEF block ("…SEFH…SEFT"); motion photos with an MP4.
      const sef = Buffer.concat([Buffer.from('Image_UTC_Data1701234567890'), Buffer.alloc(80, 0x11), Buffer.from('SEFH'), Buffer.alloc(20, 0x22), Buffer.from('SEFT')]);
      const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4), Buffer.from('mp42isom'), Buffer.alloc(200, 7)]);
      for (const [name, tail] of [['20241203_101010.jpg', sef], ['PXL_20241203.MP.jpg', mp4]] as const) {
        const message = await extractWith(mail([name, Buffer.concat([jpeg, tail]), 'image/jpeg']), withRealZip(blankImages));
        assert.deepEqual(problems(message), [['type-mismatch', `attachment:${name}/appended`]], name);
      }
    });

    it('should not make a file of trivial padding after the end', async () => {
      const padded = Buffer.concat([pdfWithEnd, Buffer.alloc(300), Buffer.from('\r\n  \n')]);
      const message = await extractWith(mail(['보고서.pdf', padded, 'application/pdf']), ALL_TEST);
      assert.deepEqual(message.attachments.map((a) => a.filename), ['보고서.pdf']);
      assert.deepEqual(problems(message), []);
    });
  });

  describe('when a text file is a mail store or a saved mail', () => {
    const listMail = () => buildMail({
      subject: '명단',
      text: '첨부',
      attachments: [attachmentPart('list.csv', `이름,주민등록번호\n홍길동,${RRN}\n`, { contentType: 'text/csv' })],
    });

    it('should split an mbox into its messages, each read as a mail', async () => {
      // 8bit, as mbox writers quote `From ` only in lines they can see.
      const first = buildMail({ subject: '회의', body: textPart('회의 안내입니다.\n>From the desk of 총무팀', { transferEncoding: '8bit' }) });
      const mbox = Buffer.concat([
        Buffer.from('From sender@corp.example Mon Dec  2 10:00:00 2024\n'), first,
        Buffer.from('\n\nFrom sender@corp.example Mon Dec  2 11:00:00 2024\n'), listMail(), Buffer.from('\n'),
      ]);
      const message = await extractMessage(mail(['Inbox.mbox', mbox, 'application/mbox']));
      assert.deepEqual(rrnLocations(message), ['attachment:Inbox.mbox/message-2.eml/attachment:list.csv']);
      assert.equal(message.attachments[0]?.kind, 'mbox');
      const body = message.segments.find((s) => s.location === 'attachment:Inbox.mbox/message-1.eml/body');
      assert.match(body?.text ?? '', /^From the desk/m);
    });

    it('should read the mail of an Apple Mail .emlx', async () => {
      const inner = listMail();
      const plist = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n';
      const emlx = Buffer.concat([Buffer.from(`${inner.length}\n`), inner, Buffer.from(plist)]);
      const message = await extractMessage(mail(['12345.emlx', emlx, 'application/octet-stream']));
      assert.deepEqual(rrnLocations(message), ['attachment:12345.emlx/message.eml/attachment:list.csv']);
    });

    it('should read a saved .eml after a UTF-8 byte-order mark or blank lines as a mail', async () => {
      const leads: Array<[string, Buffer]> = [
        ['BOM', Buffer.from([0xef, 0xbb, 0xbf])],
        ['blank lines', Buffer.from('\r\n \r\n\t\n')],
      ];
      for (const [what, lead] of leads) {
        const message = await extractMessage(mail(['fwd.eml', Buffer.concat([lead, listMail()]), 'application/octet-stream']));
        assert.equal(message.attachments[0]?.kind, 'eml', what);
        assert.deepEqual(rrnLocations(message), ['attachment:fwd.eml/attachment:list.csv'], what);
      }
    });
  });

  describe('the budget', () => {
    it('should stop decompression at the limit as bytes come out, not after', () => {
      const budget = createBudget({ ...DEFAULT_LIMITS, maxDecompressedBytes: 1000 });
      budget.takeDecompressed(600);
      budget.takeDecompressed(400);
      assert.throws(() => budget.takeDecompressed(1), (err: unknown) => err instanceof LimitExceeded && err.limit === 'decompressed');
    });

    it('should count entries and OCR images and keep its deadline by the clock it is given', () => {
      let now = 1_000;
      const budget = createBudget({ ...DEFAULT_LIMITS, maxEntries: 1, maxOcrImages: 0, timeBudgetMs: 500 }, now, () => now);
      budget.takeEntry();
      assert.throws(() => budget.takeEntry(), /more than 1 archive entries/);
      assert.throws(() => budget.takeOcrImage(), /more than 0 images/);
      assert.equal(budget.deadline, 1_500);
      budget.checkTime();
      now = 1_400;
      assert.equal(budget.timeLeft(), 100);
      now = 1_501;
      assert.equal(budget.timeLeft(), 0);
      assert.throws(() => budget.checkTime(), (err: unknown) => err instanceof LimitExceeded && err.limit === 'time');
    });
  });

  describe('with the production extractors on real formats', () => {
    const policy = loadPolicyFile();

    it('should place PDF text by page', async (t) => {
      if (extractorFor('pdf') === null) return t.skip('pdf extractor not registered yet');
      const pdf = buildPdf({ pages: [{ content: koreanLines(['1쪽 표지']) }, { content: koreanLines([RRN_TEXT]) }] });
      const message = await extractMessage(mail(['계약서.pdf', pdf, 'application/pdf']));
      assert.deepEqual(rrnLocations(message), ['attachment:계약서.pdf#page=2']);
    });

    it('should place spreadsheet text by sheet', async (t) => {
      if (extractorFor('xlsx') === null) return t.skip('xlsx extractor not registered yet');
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('표지').addRow(['고객 명단']);
      const sheet = workbook.addWorksheet('고객목록');
      sheet.addRow(['이름', '주민등록번호']);
      sheet.addRow(['홍길동', RRN]);
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
      const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const message = await extractMessage(mail(['명단.xlsx', xlsx, type]));
      assert.deepEqual(rrnLocations(message), ['attachment:명단.xlsx#sheet=고객목록']);
    });

    const encryptedCases: Array<[string, FileKind, () => Buffer, string]> = [
      ['a password PDF', 'pdf', () => buildPdf({ pages: [{ content: koreanLines([RRN_TEXT]) }], userPassword: '1234' }), 'application/pdf'],
      ['a password HWP', 'hwp', () => buildHwp({ paragraphs: [{ text: RRN_TEXT }], password: true }), 'application/x-hwp'],
    ];
    for (const [what, kind, build, type] of encryptedCases) {
      it(`should report ${what} encrypted and hold it`, async (t) => {
        if (extractorFor(kind) === null) return t.skip(`${kind} extractor not registered yet`);
        const raw = mail([`급여.${kind}`, build(), type]);
        const inspection = await inspectMessage(raw, { policy });
        assert.deepEqual(inspection.problems.map((p) => [p.code, p.location]), [['encrypted', `attachment:급여.${kind}`]]);
        assert.equal(inspection.decision.action, 'hold');
        assert.equal(inspection.decision.ruleId, 'uninspectable-hold');
      });
    }

    it('should report a ZipCrypto entry (zip -P) encrypted and hold the message', async (t) => {
      if (extractorFor('zip') === null) return t.skip('zip extractor not registered yet');
      const dir = mkdtempSync(path.join(tmpdir(), 'og-pipeline-'));
      writeFileSync(path.join(dir, '명세서.txt'), `급여 명세서\n${RRN_TEXT}\n`);
      execFileSync('zip', ['-q', '-P', 'secret', 'locked.zip', '명세서.txt'], { cwd: dir });
      const raw = mail(['급여.zip', readFileSync(path.join(dir, 'locked.zip')), 'application/zip']);
      const inspection = await inspectMessage(raw, { policy });
      const codes = inspection.problems.map((p) => p.code);
      assert.ok(codes.includes('encrypted'), `problems: ${codes.join(', ')}`);
      assert.ok(inspection.problems.every((p) => p.location.startsWith('attachment:급여.zip')));
      assert.deepEqual(inspection.findings.filter((f) => f.type === 'rrn').map((f) => f.location), []);
      assert.equal(inspection.decision.action, 'hold');
    });

    it('should report a password-protected Office file (corpus) encrypted and hold it', async (t) => {
      const file = path.join(CORPUS, 'nolze__msoffcrypto-tool__tests__inputs__example_password.xlsx');
      if (!existsSync(file)) return t.skip('corpus file not present');
      const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const inspection = await inspectMessage(mail(['실적.xlsx', readFileSync(file), type]), { policy });
      assert.deepEqual(inspection.problems.map((p) => [p.code, p.location]), [['encrypted', 'attachment:실적.xlsx']]);
      assert.equal(inspection.attachments[0]?.kind, 'office-encrypted');
      assert.equal(inspection.decision.action, 'hold');
    });
  });
});
