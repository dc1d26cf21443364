/**
 * Detector specifications for the resident-number and card judges, masks and overlap
 * resolution, table-driven. (The other types, normalisation and the false-positive guards are in
 * detectors-suite.test.ts; the labelled set in detector-accuracy.test.ts.)
 *
 * All personal data here is synthetic: 900101-1234568 passes the legacy RRN check,
 * 4111111111111111 and 5555555555554444 are the networks' Luhn-valid test numbers. Detection runs
 * on a pinned clock (2025-06-01) so "not in the future" does not drift.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  atLeast,
  createDetection,
  defaultDetection,
  detectAll,
  issuerFits,
  luhnValid,
  rrnChecksumValid,
} from '../detectors/index.js';
import type { Confidence, Detection, Finding, PiiType } from '../detectors/index.js';
import { resolveOverlaps } from '../detectors/detection.js';
import { maskCard, maskRrn } from '../detectors/mask.js';

const now = () => new Date('2025-06-01T00:00:00Z');
const only = (...types: PiiType[]): Detection => createDetection({ types, now });
const rrn = only('rrn');
const foreigner = only('foreigner_rrn');
const creditCardDetector = only('credit_card');

interface Hit {
  /** The matched text exactly as it appears in the input (so offsets are checked too). */
  readonly match: string;
  readonly confidence: Confidence;
  readonly masked: string;
}

/** Runs `detection` and describes its findings at medium and above by the text they span. */
function hits(detection: Detection, text: string): Hit[] {
  return reported(detection, text).map((f) => ({
    match: text.slice(f.start, f.end),
    confidence: f.confidence,
    masked: f.masked,
  }));
}

/** Findings at the default confidence (medium) and above. */
function reported(detection: Detection, text: string): Finding[] {
  return atLeast(detection.detect(text), 'medium');
}

describe('rrn detector', () => {
  describe('when the number is well formed', () => {
    // [title, text, masked]: each is reported whole, at high confidence.
    const cases: Array<[string, string, string]> = [
      ['hyphen', '900101-1234568', '900101-1******'],
      ['no separator', '9001011234568', '900101-1******'],
      ['one space', '900101 1234568', '900101-1******'],
      ['spaced hyphen', '900101 - 1234568', '900101-1******'],
      ['en dash (Word auto-correct)', '900101–1234568', '900101-1******'],
      ['em dash', '900101—1234568', '900101-1******'],
      ['minus sign', '900101−1234568', '900101-1******'],
      ['full-width hyphen', '900101－1234568', '900101-1******'],
      ['hyphen then line break', '900101-\r\n1234568', '900101-1******'],
      ['full-width digits', '９００１０１－１２３４５６８', '900101-1******'],
      ['2000-02-29 (leap day)', '000229-3123454', '000229-3******'],
    ];
    for (const [title, text, masked] of cases) {
      it(`should report it with ${title}`, () => {
        const expected: Hit = { match: text, confidence: 'high', masked };
        assert.deepEqual(hits(rrn, `주민번호 ${text} 입니다`), [expected]);
      });
    }
  });

  describe('when the check digit fails', () => {
    it('should report a post-October-2020 number (random tail) at medium confidence', () => {
      assert.equal(rrnChecksumValid('2010153123451'), false);
      assert.deepEqual(hits(rrn, '신생아 201015-3123451'), [
        { match: '201015-3123451', confidence: 'medium', masked: '201015-3******' },
      ]);
    });

    const keywordCases: Array<[string, string]> = [
      ['주민번호', '주민번호: 900101-1234567'],
      ['주민등록번호', '주민등록번호 900101 1234567'],
      ['주민 번호', '주민 번호는 9001011234567'],
      ['RRN', 'RRN 900101-1234567'],
      ['resident registration', 'Resident registration no. 900101-1234567'],
      ['외국인등록번호 (foreigner)', '외국인등록번호 850315-5123458'],
    ];
    for (const [keyword, text] of keywordCases) {
      it(`should report it at medium confidence after the keyword ${keyword}`, () => {
        const found = reported(text.includes('외국인') ? foreigner : rrn, text);
        assert.equal(found.length, 1);
        assert.equal(found[0]?.confidence, 'medium');
      });
    }

    it('should keep it only at low confidence without a keyword when born before October 2020', () => {
      assert.equal(rrnChecksumValid('9001011234567'), false);
      assert.deepEqual(reported(rrn, '고객번호 900101-1234567'), []);
      assert.deepEqual(reported(rrn, '2009303123452'), []);
      assert.deepEqual(rrn.detect('고객번호 900101-1234567').map((f) => f.confidence), ['low']);
    });

    it('should not count a keyword further back than the window', () => {
      const text = `주민번호${' '.repeat(80)}900101-1234567`;
      assert.deepEqual(reported(rrn, text), []);
    });

    it('should not accept the RRN check digit on a foreigner number without a keyword', () => {
      assert.equal(rrnChecksumValid('8503155123458'), false);
      assert.deepEqual(reported(foreigner, '850315-5123458'), []);
    });
  });

  describe('when G says foreigner or the 1800s', () => {
    it('should type G 5-8 as foreigner_rrn, checked with the foreigner check digit', () => {
      assert.deepEqual(hits(foreigner, '외국인등록번호 850315-5123450'), [
        { match: '850315-5123450', confidence: 'high', masked: '850315-5******' },
      ]);
      assert.deepEqual(reported(rrn, '850315-5123450'), []);
    });

    it('should keep G 9/0 (born in the 1800s, the corporate-number shape) at low', () => {
      assert.deepEqual(rrn.detect('991231-9123451').map((f) => f.confidence), ['low']);
    });

    it('should keep a Korean EAN-13 barcode that happens to pass the RRN check at low', () => {
      // 880101-1080454 is a valid date, passes the RRN check and the EAN-13 check.
      const digits = '8801011080454';
      assert.equal(rrnChecksumValid(digits), true);
      assert.deepEqual(rrn.detect(`바코드 ${digits}`).map((f) => f.confidence), ['low']);
      assert.deepEqual(rrn.detect(`주민번호 ${digits}`).map((f) => f.confidence), ['high']);
    });
  });

  describe('when the date is not a real, past date', () => {
    const cases: Array<[string, string]> = [
      ['1900-02-29 (1900 is not a leap year)', '000229-1123459'],
      ['month 13', '901301-1234567'],
      ['month 00', '900001-1234567'],
      ['day 00', '900100-1234567'],
      ['day 32', '900132-1234567'],
      ['April 31', '900431-1234567'],
      ['a future birth date, valid check digit', '301231-3123451'],
      ['later this year, random tail', '251231-3123456'],
    ];
    for (const [title, text] of cases) {
      it(`should reject ${title}`, () => {
        assert.deepEqual(rrn.detect(`주민번호 ${text}`), []);
      });
    }
  });

  describe('when the number does not stand alone', () => {
    const cases: Array<[string, string]> = [
      ['an ASCII letter before it', 'ID900101-1234568'],
      ['an ASCII letter after it', '900101-1234568x'],
      ['a full-width letter after it', '900101-1234568ａ'],
      ['a digit before it (order number 20240315-1234567)', '20240315-1234567'],
      ['a digit before it', '1900101-1234568'],
      ['a digit after it', '900101-12345681'],
      ['a dotted run before it', 'v1.9001011234568'],
      ['a dotted run after it', '9001011234568.1'],
      ['two spaces between the halves', '900101  1234568'],
      ['a table-cell bar between the halves', '900101|1234568'],
      ['a comma between the halves', '900101,1234568'],
      ['a tab between the halves', '900101\t1234568'],
    ];
    for (const [title, text] of cases) {
      it(`should reject it with ${title}`, () => {
        assert.deepEqual(rrn.detect(text), []);
      });
    }

    it('should accept Hangul touching both ends', () => {
      assert.deepEqual(hits(rrn, '주민번호는900101-1234568이고'), [
        { match: '900101-1234568', confidence: 'high', masked: '900101-1******' },
      ]);
    });

    it('should accept punctuation around it', () => {
      assert.equal(reported(rrn, '(900101-1234568).').length, 1);
      assert.equal(reported(rrn, '"900101-1234568",').length, 1);
    });
  });

  describe('when the value is already masked', () => {
    const masked = [
      '900101-1******',
      '900101-*******',
      '900101-1XXXXXX',
      '900101-1xxxxxx',
      '900101-1●●●●●●',
      '9001011******',
      '900101-123****',
    ];
    for (const text of masked) {
      it(`should not report ${text}`, () => {
        assert.deepEqual(rrn.detect(`주민번호 ${text}`), []);
      });
    }
  });

  describe('offsets', () => {
    it('should be UTF-16 offsets into the original text after astral and Hangul characters', () => {
      const text = '😀 고객 900101-1234568 님';
      const [finding] = rrn.detect(text);
      assert.equal(finding?.start, 6); // 😀 is two UTF-16 units
      assert.equal(finding?.end, 20);
      assert.equal(text.slice(finding?.start, finding?.end), '900101-1234568');
    });

    it('should find every number in a longer text', () => {
      // The third starts a numbered line right after the second: the line break must not glue them.
      const text = '1번 900101-1234568, 2번 000229-3123454\n3번 850101-2123450';
      assert.deepEqual(
        hits(rrn, text).map((h) => h.match),
        ['900101-1234568', '000229-3123454', '850101-2123450'],
      );
    });
  });

  it('should use the system clock by default', () => {
    assert.equal(detectAll('900101-1234568').length, 1);
    assert.equal(detectAll('301231-3123451', createDetection({ now: () => new Date('2031-01-01T00:00:00Z') })).length, 1);
    assert.equal(detectAll('301231-3123451', defaultDetection).length, 0);
  });
});

describe('credit card detector', () => {
  describe('when the number is a valid card', () => {
    // [title, text, confidence, masked]: each is reported whole.
    const cases: Array<[string, string, Confidence, string]> = [
      ['Visa, bare', '4111111111111111', 'medium', '411111******1111'],
      ['Visa, hyphens', '4111-1111-1111-1111', 'high', '4111-11**-****-1111'],
      ['Visa, spaces', '4111 1111 1111 1111', 'high', '4111 11** **** 1111'],
      ['Mastercard 55', '5555555555554444', 'medium', '555555******4444'],
      ['Mastercard 2221', '2221-0000-0000-0009', 'high', '2221-00**-****-0009'],
      ['Amex 4-6-5', '3782-822463-10005', 'high', '3782-82****-*0005'],
      ['Amex, bare', '378282246310005', 'medium', '378282*****0005'],
      ['Diners 4-6-4', '3056 930902 5904', 'high', '3056 93**** 5904'],
      ['JCB', '3530111333300000', 'medium', '353011******0000'],
      ['UnionPay', '6200000000000005', 'medium', '620000******0005'],
      ['Discover', '6011111111111117', 'medium', '601111******1117'],
      ['Korean domestic card (9)', '9410-1234-5678-9010', 'high', '9410-12**-****-9010'],
      ['full-width digits', '４１１１１１１１１１１１１１１１', 'medium', '411111******1111'],
    ];
    for (const [title, text, confidence, masked] of cases) {
      it(`should report ${title}`, () => {
        const expected: Hit = { match: text, confidence, masked };
        assert.deepEqual(hits(creditCardDetector, `결제 ${text} 확인`), [expected]);
      });
    }
  });

  it('should keep 13 bare digits (a retired Visa length, now JAN/EAN barcodes) at low unless a card keyword says so', () => {
    assert.deepEqual(creditCardDetector.detect('결제 4222222222222 확인').map((f) => f.confidence), ['low']);
    assert.deepEqual(hits(creditCardDetector, '카드번호 4222222222222'), [
      { match: '4222222222222', confidence: 'high', masked: '422222***2222' },
    ]);
  });

  describe('when a card keyword is near a bare number', () => {
    const cases: Array<[string, string]> = [
      ['카드번호 before', '카드번호: 5555555555554444'],
      ['신용카드 before', '신용카드 5555555555554444 로 결제'],
      ['card number before', 'Card number 5555555555554444'],
      ['유효기간 after', '5555555555554444 유효기간 12/27'],
      ['CVC after', '5555555555554444 CVC 123'],
    ];
    for (const [title, text] of cases) {
      it(`should raise it to high confidence (${title})`, () => {
        assert.equal(reported(creditCardDetector, text)[0]?.confidence, 'high');
      });
    }
  });

  describe('when the number is not a card', () => {
    const cases: Array<[string, string]> = [
      ['Luhn fails', '4111111111111110'],
      ['0-leading, Luhn passes', '0111111111111119'],
      ['1-leading, Luhn passes', '1111111111111117'],
      ['7-leading, Luhn passes', '7111111111111114'],
      ['8-leading, Luhn passes', '8111111111111112'],
      ['separators mixed', '4111-1111 1111-1111'],
      ['inside a 20-digit run', '41111111111111111111'],
      ['a letter before it', 'x4111111111111111'],
      ['a letter after it', '4111111111111111y'],
      ['a dotted version before it', '1.4111111111111111'],
      ['a dotted version after it', '4111111111111111.2'],
      ['masked, PCI style', '4111-11**-****-1111'],
      ['masked, Korean receipt style', '4111-1111-****-1111'],
      ['a fifth 4-digit group (tracking number)', '4111 1111 1111 1111 1111'],
      ['a 4-digit group before it', '1234-4111-1111-1111-1111'],
      ['Amex grouping with a Visa number', '4111-111111-11111'],
      ['4-4-4-4 grouping with an Amex prefix', '3782-8224-6310-0050'],
      ['a pipe between groups', '4111|1111|1111|1111'],
    ];
    for (const [title, text] of cases) {
      it(`should reject it: ${title}`, () => {
        assert.deepEqual(creditCardDetector.detect(text), []);
      });
    }
  });

  it('should keep a number followed by a short group (CVC) or an expiry date', () => {
    assert.equal(reported(creditCardDetector, '4111 1111 1111 1111 123').length, 1);
    assert.equal(reported(creditCardDetector, '4111-1111-1111-1111 12/27').length, 1);
  });

  it('should check Luhn and issuer ranges as specified', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    assert.equal(issuerFits('4111111111111111'), true);
    assert.equal(issuerFits('378282246310005'), true);
    assert.equal(issuerFits('3782822463100050'), false); // Amex is 15 digits
    assert.equal(issuerFits('2720999999999999'), true);
    assert.equal(issuerFits('2721000000000000'), false);
    assert.equal(issuerFits('6449000000000000'), true);
    assert.equal(issuerFits('6430000000000000'), false);
  });
});

describe('masks', () => {
  it('should keep birth date and gender digit of an RRN', () => {
    assert.equal(maskRrn('9001011234568'), '900101-1******');
  });

  it('should keep the first 6 and last 4 digits of a card with its grouping', () => {
    assert.equal(maskCard({ digits: '4111111111111111', lengths: [4, 4, 4, 4], sep: 'dash' }), '4111-11**-****-1111');
    assert.equal(maskCard({ digits: '4111111111111111', lengths: [16], sep: 'none' }), '411111******1111');
    assert.deepEqual(reported(creditCardDetector, '4111－1111－1111－1111').map((f) => f.masked), ['4111-11**-****-1111']);
  });

  it('should never carry the raw value in a finding', () => {
    const text = '주민번호 900101-1234568 카드 4111-1111-1111-1111';
    const serialised = JSON.stringify(detectAll(text));
    assert.ok(!serialised.includes('1234568'));
    assert.ok(!serialised.includes('1111-1111-1111'));
  });
});

describe('detectAll', () => {
  const both = only('rrn', 'credit_card');

  it('should return findings of every type sorted by start', () => {
    const text = '카드 4111-1111-1111-1111 / 주민번호 900101-1234568 / 5555555555554444';
    assert.deepEqual(
      detectAll(text, both).map((f) => [f.type, text.slice(f.start, f.end)]),
      [
        ['credit_card', '4111-1111-1111-1111'],
        ['rrn', '900101-1234568'],
        ['credit_card', '5555555555554444'],
      ],
    );
  });

  it('should return nothing for text without personal data', () => {
    assert.deepEqual(detectAll(''), []);
    assert.deepEqual(detectAll('회의는 2024-03-15 10:00, 주문번호 20240315-1234567'), []);
  });

  describe('when findings of different types overlap', () => {
    // 4501011000059 is both a valid RRN (1945-01-01) and a Luhn-valid 13-digit Visa number.
    it('should keep the type with a validator first when confidence and span tie', () => {
      assert.deepEqual(detectAll('4501011000059', both).map((f) => [f.type, f.confidence]), [['rrn', 'medium']]);
    });

    it('should let a keyword decide: the card keyword raises the card above the RRN', () => {
      assert.deepEqual(detectAll('카드번호 4501011000059', both).map((f) => [f.type, f.confidence]), [['credit_card', 'high']]);
      assert.deepEqual(detectAll('주민번호 4501011000059', both).map((f) => [f.type, f.confidence]), [['rrn', 'high']]);
    });

    type Span = [type: Finding['type'], start: number, end: number, confidence: Confidence];
    const findings = (spans: Span[]): Finding[] =>
      spans.map(([type, start, end, confidence]) => ({ type, start, end, confidence, masked: '*' }));

    it('should keep the longer one when confidence ties', () => {
      const kept = resolveOverlaps(findings([['rrn', 5, 10, 'high'], ['credit_card', 3, 15, 'high']]));
      assert.deepEqual(kept.map((f) => [f.start, f.end]), [[3, 15]]);
    });

    it('should let one stronger finding displace several weaker ones', () => {
      const kept = resolveOverlaps(findings([
        ['rrn', 0, 5, 'medium'], ['rrn', 6, 12, 'medium'], ['rrn', 20, 25, 'medium'], ['credit_card', 3, 8, 'high'],
      ]));
      assert.deepEqual(kept.map((f) => [f.type, f.start]), [['credit_card', 3], ['rrn', 20]]);
    });
  });

  it('should report which types a detection set can find', () => {
    assert.deepEqual(both.types, ['rrn', 'credit_card']);
    assert.equal(defaultDetection.types.length, 11);
  });
});
