import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDetection } from '../detectors/index.js';
import { FAIL_CLOSED_RULE, findingSummary, inspectMessage, maskSpans } from '../engine/inspect.js';
import { loadPolicyFile, parsePolicy } from '../policies/load.js';
import { attachmentPart, buildMail } from './support/mail-builder.js';

const RRN = '900101-1234568';

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

    it('should not raise a message whose only problem is an unsupported attachment', async () => {
      const raw = buildMail({
        text: 'ok',
        attachments: [attachmentPart('a.pdf', Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' })],
      });
      const inspection = await inspectMessage(raw, { policy: lenient });
      assert.equal(inspection.decision.action, 'accept');
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
