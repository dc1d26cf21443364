import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { DEFAULT_LIMITS } from '../content/index.js';
import { extractorFor } from '../content/formats/index.js';
import { createDetection } from '../detectors/index.js';
import { FAIL_CLOSED_RULE, findingSummary, inspectMessage, maskSpans } from '../engine/inspect.js';
import { buildRecord } from '../engine/message-record.js';
import type { MessageEnvelope } from '../milter/types.js';
import { loadPolicyFile, parsePolicy } from '../policies/load.js';
import { attachmentPart, buildMail, messagePart } from './support/mail-builder.js';
import { buildZip } from './support/zip-builder.js';

const RRN = '900101-1234568';

/** Bytes no format rule recognises, the same every run (random ones could hit a 2-byte magic). */
function opaqueBytes(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 151 + 7) & 0xff));
}

describe('the inspection pipeline', () => {
  const policy = loadPolicyFile();

  it('should find personal data in an attachment file name and mask the name everywhere', async () => {
    const raw = buildMail({
      subject: '자료',
      text: '첨부 확인 바랍니다.',
      attachments: [attachmentPart(`${RRN}_홍길동.pdf`, Buffer.from('%PDF-1.4 binary'), { contentType: 'application/pdf' })],
    });
    const inspection = await inspectMessage(raw, { policy });
    assert.equal(inspection.decision.action, 'hold');
    assert.deepEqual(
      inspection.findings.map((f) => [f.type, f.masked, f.location]),
      [['rrn', '900101-1******', 'attachment-name:900101-1******_홍길동.pdf']],
    );
    assert.deepEqual(inspection.attachments.map((a) => a.filename), ['900101-1******_홍길동.pdf']);
    const safe = JSON.stringify([inspection.findings, inspection.problems, inspection.attachments]);
    assert.ok(!safe.includes('1234568'), safe);
  });

  it('should scan with the configured detection, file names included, and keep the labels', async () => {
    const detection = createDetection({
      types: ['rrn'],
      dictionaries: [{ name: 'confidential', words: ['대외비'] }],
      patterns: [{ name: 'employee-id', regex: 'EMP-[0-9]{6}' }],
    });
    const raw = buildMail({
      subject: '[대외비] 인사 발령',
      text: `발령 대상 EMP-204518, 연락처 010-1234-5678, 주민번호 ${RRN}`,
      attachments: [attachmentPart('EMP-204518_평가.pdf', Buffer.from('%PDF-1.4 binary'), { contentType: 'application/pdf' })],
    });
    const inspection = await inspectMessage(raw, { policy, detection });
    assert.deepEqual(
      inspection.findings.map((f) => [f.type, f.label, f.masked, f.location]),
      [
        ['keyword', 'confidential', '대외비', 'subject'],
        ['pattern', 'employee-id', 'E********8', 'body'],
        ['rrn', undefined, '900101-1******', 'body'],
        ['pattern', 'employee-id', 'E********8', 'attachment-name:E********8_평가.pdf'],
      ],
      'phone is not among the configured types',
    );
    assert.deepEqual(inspection.decision.countsByType, { 'keyword:confidential': 1, 'pattern:employee-id': 2, rrn: 1 });
    assert.equal(findingSummary(inspection.findings[0]!).label, 'confidential');
    assert.equal('label' in findingSummary(inspection.findings[2]!), false);
    assert.deepEqual(inspection.attachments.map((a) => a.filename), ['E********8_평가.pdf']);
  });

  describe('when a sheet or an archive entry is named with personal data', () => {
    const findingsOnly = parsePolicy(`
version: 1
default_action: accept
rules:
  - id: any-finding
    when: { findings: { min: 1 } }
    action: hold
`);
    const sheetNamed = async (name: string, cell: string): Promise<Buffer> => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet(name).addRow([cell]);
      return Buffer.from(await workbook.xlsx.writeBuffer());
    };
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

    it('should count a value found only in a sheet name, at the masked name', async (t) => {
      if (extractorFor('xlsx') === null) return t.skip('xlsx extractor not registered yet');
      const xlsx = await sheetNamed(`주민 ${RRN}`, '안녕하세요');
      const raw = buildMail({ text: '첨부', attachments: [attachmentPart('명단.xlsx', xlsx, { contentType: XLSX })] });
      const inspection = await inspectMessage(raw, { policy: findingsOnly });
      assert.equal(inspection.decision.action, 'hold');
      // The workbook's own properties (docProps/app.xml TitlesOfParts) list the sheet name too;
      // the cells hold nothing.
      assert.deepEqual(
        inspection.findings.map((f) => [f.type, f.location]).sort(),
        [['rrn', 'attachment-name:명단.xlsx#sheet=주민 900101-1******'], ['rrn', 'attachment:명단.xlsx#properties']],
      );
    });

    it('should record only masked sheet names and entry paths, and hold the message', async (t) => {
      if (extractorFor('xlsx') === null || extractorFor('zip') === null) return t.skip('xlsx or zip extractor not registered yet');
      const xlsx = await sheetNamed(`주민 ${RRN}`, `주민등록번호: ${RRN}`);
      const zip = buildZip([{ name: `${RRN}.txt`, data: '급여 명세', flags: 1 }]);
      const raw = buildMail({
        subject: '자료',
        text: '첨부 확인 바랍니다.',
        attachments: [
          attachmentPart('명단.xlsx', xlsx, { contentType: XLSX }),
          attachmentPart('급여.zip', zip, { contentType: 'application/zip' }),
        ],
      });
      const inspection = await inspectMessage(raw, { policy });
      assert.equal(inspection.decision.action, 'hold');
      assert.ok(inspection.findings.some((f) => f.location === 'attachment:명단.xlsx#sheet=주민 900101-1******'));
      const encrypted = inspection.problems.find((p) => p.code === 'encrypted');
      assert.match(encrypted?.location ?? '', /^attachment:급여\.zip[/#]900101-1\*{6}\.txt$/);
      const envelope = { queueId: 'Q1', connect: null, macros: {}, helo: null, sender: 'a@corp.example', recipients: ['b@out.example'], headers: [], raw, truncated: false };
      const record = buildRecord('m1', envelope as unknown as MessageEnvelope, inspection, 'held');
      const stored = JSON.stringify(record);
      assert.ok(!stored.includes('1234568'), stored);
      const returned = JSON.stringify([inspection.findings, inspection.problems, inspection.attachments]);
      assert.ok(!returned.includes('1234568'), returned);
    });
  });

  describe('when part of the message could not be read', () => {
    const lenient = parsePolicy(`
version: 1
default_action: accept
rules:
  - id: only-findings
    when: { findings: { min: 1 } }
    action: hold
`);
    it('should hold an unparseable message even when the policy would accept it', async () => {
      const inspection = await inspectMessage(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x01]), { policy: lenient });
      assert.equal(inspection.decision.action, 'hold');
      assert.equal(inspection.decision.ruleId, FAIL_CLOSED_RULE);
      assert.equal(inspection.decision.reason, 'unparseable');
    });

    it('should hold a message the MTA cut at the size limit', async () => {
      const inspection = await inspectMessage(buildMail({ text: 'ok' }), { policy: lenient, truncated: true });
      assert.equal(inspection.decision.action, 'hold');
      assert.equal(inspection.decision.ruleId, FAIL_CLOSED_RULE);
    });

    it('should leave a block decided by the policy as it is', async () => {
      const blocking = parsePolicy('version: 1\ndefault_action: block\n');
      const inspection = await inspectMessage(buildMail({ text: 'ok' }), { policy: blocking, truncated: true });
      assert.equal(inspection.decision.action, 'block');
    });

    it('should leave an unsupported attachment to the policy', async () => {
      const raw = buildMail({
        text: 'ok',
        attachments: [attachmentPart('a.bin', opaqueBytes(256), { contentType: 'application/octet-stream' })],
      });
      const inspection = await inspectMessage(raw, { policy: lenient });
      assert.deepEqual(inspection.problems.map((p) => p.code), ['unsupported-format']);
      assert.equal(inspection.decision.action, 'accept');
      const shipped = await inspectMessage(raw, { policy });
      assert.equal(shipped.decision.action, 'hold');
      assert.equal(shipped.decision.ruleId, 'uninspectable-hold');
    });

    it('should hold a message with a part stopped by a limit even when the policy would accept it', async () => {
      let raw = buildMail({ text: '안쪽 메일' });
      for (let level = 1; level <= 3; level += 1) {
        raw = buildMail({ text: `level ${level}`, attachments: [messagePart(raw, { filename: `l${level}.eml` })] });
      }
      const inspection = await inspectMessage(raw, { policy: lenient, limits: { ...DEFAULT_LIMITS, maxDepth: 2 } });
      assert.deepEqual(inspection.problems.map((p) => p.code), ['limit-exceeded']);
      assert.equal(inspection.decision.action, 'hold');
      assert.equal(inspection.decision.ruleId, FAIL_CLOSED_RULE);
    });
  });
});

describe('masking spans', () => {
  it('should replace each finding with its masked form and keep the rest', () => {
    const text = `a ${RRN} b`;
    const masked = maskSpans(text, [{ type: 'rrn', start: 2, end: 16, confidence: 'high', masked: '900101-1******' }]);
    assert.equal(masked, 'a 900101-1****** b');
  });
});

describe('maskSpans with overlapping findings', () => {
  it('should leave no character of any finding in clear when a company match overlaps a personal one', () => {
    // A pattern `ID:\s*\d+` cut the RRN in two: its tail must still come out masked.
    const text = 'ID: 900101-1234568 건';
    const masked = maskSpans(text, [
      { type: 'pattern', start: 0, end: 10, confidence: 'medium', masked: 'I*********', label: 'id' },
      { type: 'rrn', start: 4, end: 18, confidence: 'medium', masked: '900101-1******' },
    ]);
    assert.equal(masked, `I*********${'*'.repeat(8)} 건`);
  });
});

describe('findings per message', () => {
  const policy = loadPolicyFile();
  // Distinct valid resident numbers (birth dates 1990-01-01 on), one per line, with their keyword.
  const rrnLines = (count: number) => {
    const lines: string[] = [];
    for (let day = 0; lines.length < count; day += 1) {
      const date = new Date(Date.UTC(1990, 0, 1 + day));
      const head = `${String(date.getUTCFullYear()).slice(2)}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}1`;
      const body = `${head}23456`;
      const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
      const sum = [...body].reduce((n, d, i) => n + Number(d) * weights[i]!, 0);
      lines.push(`주민등록번호: ${body.slice(0, 6)}-${body.slice(6)}${(11 - (sum % 11)) % 10}`);
    }
    return lines.join('\n');
  };

  it('should keep at most a thousand findings of one kind, and still hold', async () => {
    const inspection = await inspectMessage(buildMail({ subject: '명단', text: rrnLines(1500) }), { policy });
    const rrn = inspection.findings.filter((f) => f.type === 'rrn' && f.confidence === 'high');
    assert.equal(rrn.length, 1000);
    assert.equal(inspection.decision.action, 'hold');
  });

  it('should record at most a thousand findings, the most confident first, and say how many were left out', async () => {
    const text = `${rrnLines(1000)}\n${Array.from({ length: 300 }, (_, i) => `연락처 010-${String(2000 + i)}-5678`).join('\n')}`;
    const inspection = await inspectMessage(buildMail({ subject: '명단', text }), { policy });
    assert.ok(inspection.findings.length >= 1300);
    const envelope = { raw: Buffer.alloc(0), recipients: ['a@example.org'], sender: 's@example.org', macros: {}, headers: [], helo: null, queueId: 'Q1', connect: null };
    const record = buildRecord('m1', envelope as unknown as MessageEnvelope, inspection, 'held');
    assert.equal(record.findings.length, 1000);
    assert.ok(record.findings.every((f) => f.type === 'rrn'), 'the high-confidence resident numbers come first');
    assert.match(record.reason, new RegExp(`\\(${inspection.findings.length - 1000} more findings not recorded\\)$`));
  });
});
