/**
 * The detector suite beyond RRN and cards: one block per type, normalisation (with offsets back
 * into the original text), every false-positive guard, keyword matching and context.
 *
 * Personal data is synthetic: numbers are generated to pass (or deliberately fail) their check
 * digits; phones use the unassigned 010-1xxx range. Clock pinned to 2026-12-01.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  atLeast,
  businessChecksumValid,
  corporateChecksumValid,
  createDetection,
  DetectionConfigError,
} from '../detectors/index.js';
import type { Detection, Finding, FindingType, PiiType } from '../detectors/index.js';
import { KeywordMatcher, keywordHits } from '../detectors/keywords.js';

const now = () => new Date('2026-12-01T00:00:00Z');
const all = createDetection({ now });
const only = (...types: PiiType[]): Detection => createDetection({ types, now });

/** [type, matched text, confidence] of the findings at medium and above. */
function seen(text: string, detection: Detection = all): Array<[FindingType, string, string]> {
  return atLeast(detection.detect(text), 'medium').map((f: Finding) => [f.type, text.slice(f.start, f.end), f.confidence]);
}

function types(text: string, detection: Detection = all): FindingType[] {
  return seen(text, detection).map(([type]) => type);
}

describe('foreigner registration number', () => {
  it('should report a valid foreigner check digit without a keyword (medium) and with one (high)', () => {
    assert.deepEqual(seen('850315-5123450'), [['foreigner_rrn', '850315-5123450', 'medium']]);
    assert.deepEqual(seen('외국인등록번호: 850315-5123450'), [['foreigner_rrn', '850315-5123450', 'high']]);
  });

  it('should report a 2000s-born foreigner (G=7) issued after October 2020 with a random tail', () => {
    assert.deepEqual(types('신규 등록 210304-7654321'), ['foreigner_rrn']);
  });
});

describe('driver licence', () => {
  it('should report the 2-2-6-2 form with a valid region, with or without a keyword', () => {
    assert.deepEqual(seen('11-19-123456-61'), [['driver_license', '11-19-123456-61', 'medium']]);
    assert.deepEqual(seen('운전면허번호 11-19-123456-61'), [['driver_license', '11-19-123456-61', 'high']]);
    assert.deepEqual(seen('면허 28 05 654321 10'), [['driver_license', '28 05 654321 10', 'medium']]);
  });

  it('should include the region name of the old form in the span', () => {
    assert.deepEqual(seen('면허: 서울 19-123456-61'), [['driver_license', '서울 19-123456-61', 'high']]);
    assert.equal(all.detect('경기북부 03-123456-78')[0]?.masked, '경기북부 03-******-**');
  });

  it('should reject region codes 27, 99 and 00-10', () => {
    for (const region of ['27', '99', '00', '10']) assert.deepEqual(types(`운전면허 ${region}-19-123456-61`), []);
  });

  it('should need a licence keyword for 12 bare digits (a parcel tracking number otherwise)', () => {
    assert.deepEqual(types('운송장번호 111912345661'), []);
    assert.deepEqual(seen('운전면허번호 111912345661'), [['driver_license', '111912345661', 'high']]);
  });
});

describe('passport', () => {
  it('should report both forms after a passport keyword', () => {
    assert.deepEqual(seen('여권번호 M12345678'), [['passport', 'M12345678', 'high']]);
    assert.deepEqual(seen('Passport No. M123A4567'), [['passport', 'M123A4567', 'high']]);
    assert.deepEqual(seen('여권: ｍ12345678 / Ｍ12345678'), [['passport', 'Ｍ12345678', 'high']]);
  });

  it('should keep a model or part code of the same shape at low (no keyword)', () => {
    assert.deepEqual(types('부품 M350A1200 재고 확인'), []);
    assert.equal(all.detect('부품 M350A1200')[0]?.confidence, 'low');
  });

  it('should reject other letters, wrong lengths and split forms', () => {
    for (const text of ['A12345678', 'M1234567', 'M123456789', 'M123-A4567', 'XM12345678']) {
      assert.deepEqual(types(`여권번호 ${text}`), [], text);
    }
  });

  it('should mask the serial', () => {
    assert.equal(all.detect('여권 M123A4567')[0]?.masked, 'M123*****');
  });
});

describe('bank account', () => {
  const accounts: Array<[string, string]> = [
    ['KB 6-2-6 with 국민 right before', '국민 123456-12-123456'],
    ['신한 3-3-6 after 계좌번호', '계좌번호: 110-123-456789'],
    ['우리 4-3-6 after 우리은행', '우리은행 1002-123-456789로 보내주세요'],
    ['카카오뱅크 4-2-7', '카카오뱅크 3333-12-1234567'],
    ['bare after 입금', '입금 부탁드립니다 12345678901234'],
    ['English', 'Bank account: 110-123-456789'],
    ['bank name after the number', '110-123-456789 (신한은행)'],
  ];
  for (const [title, text] of accounts) {
    it(`should report it: ${title}`, () => {
      assert.deepEqual(types(text), ['bank_account']);
      assert.equal(all.detect(text)[0]?.confidence, 'high');
    });
  }

  it('should report nothing without context, and not read 우리/하나 as banks inside sentences', () => {
    assert.deepEqual(types('주문 1002-123-456789 처리 완료'), []);
    assert.deepEqual(types('우리 1002-123-456789 로 보내 주세요'), ['bank_account']);
    assert.deepEqual(types('우리 팀이 처리한 1002-123-456789 건'), []);
  });

  it('should leave a phone number a phone number after an account word', () => {
    assert.deepEqual(types('입금 확인 후 010-1234-5678 로 연락 주세요'), ['phone']);
  });

  it('should mask the middle', () => {
    assert.equal(all.detect('계좌 110-123-456789')[0]?.masked, '110-***-****89');
  });
});

describe('phone', () => {
  const phones: Array<[string, string]> = [
    ['mobile', '010-1234-5678'],
    ['mobile with dots', '010.1234.5678'],
    ['mobile with spaces', '010 1234 5678'],
    ['bare mobile', '01012345678'],
    ['legacy mobile 3-digit middle', '011-123-4567'],
    ['Seoul', '02-123-4567'],
    ['Seoul, 4-digit exchange', '02-1234-5678'],
    ['area code', '031-123-4567'],
    ['parenthesised area code', '(02) 123-4567'],
    ['VoIP', '070-1234-5678'],
    ['international mobile', '+82 10-1234-5678'],
    ['international Seoul', '+82-2-123-4567'],
  ];
  for (const [title, value] of phones) {
    it(`should report ${title}`, () => {
      assert.deepEqual(seen(`연락처: ${value} 입니다`), [['phone', value, 'high']]);
      assert.deepEqual(seen(`${value}`).map(([type]) => type), ['phone']);
    });
  }

  it('should not report representative numbers, wrong prefixes or a 3-digit middle on 010', () => {
    for (const text of ['1588-1234', '1644-1234', '010-123-4567', '099-123-4567', '02-12-3456']) {
      assert.deepEqual(types(text), [], text);
    }
  });

  it('should mask the middle group', () => {
    assert.equal(all.detect('010-1234-5678')[0]?.masked, '010-****-5678');
    assert.equal(all.detect('+82 10-1234-5678')[0]?.masked, '+82-10-****-5678');
  });
});

describe('email', () => {
  it('should stop the domain before a Korean particle', () => {
    assert.deepEqual(seen('kim.minsu@example.co.kr로 보내주세요'), [['email', 'kim.minsu@example.co.kr', 'high']]);
  });

  it('should not report asset names, package specs, mentions or masked addresses', () => {
    for (const text of ['logo@2x.png', 'lodash@4.17.21', '@홍길동 님 확인 부탁', 's****n@example.org', 'user@localhost']) {
      assert.deepEqual(types(text), [], text);
    }
  });

  it('should mask all but two characters of the local part', () => {
    assert.equal(all.detect('hong@example.com')[0]?.masked, 'ho***@example.com');
  });
});

describe('business registration number', () => {
  it('should check the digit as specified', () => {
    assert.equal(businessChecksumValid('1234567891'), true);
    assert.equal(businessChecksumValid('1234567890'), false);
  });

  it('should report the dashed form (medium, high with keyword) and bare only with a keyword', () => {
    assert.deepEqual(seen('123-45-67891'), [['business_reg', '123-45-67891', 'medium']]);
    assert.deepEqual(seen('사업자등록번호 123-45-67891'), [['business_reg', '123-45-67891', 'high']]);
    assert.deepEqual(types('1234567891'), []);
    assert.deepEqual(seen('사업자번호 1234567891'), [['business_reg', '1234567891', 'high']]);
  });

  it('should reject a failed check digit and a US SSN shape', () => {
    assert.deepEqual(types('사업자등록번호 123-45-67890'), []);
    assert.deepEqual(types('SSN 123-45-6789'), []);
  });
});

describe('corporate registration number', () => {
  it('should check the digit as specified (plain products, no folding)', () => {
    assert.equal(corporateChecksumValid('1101110123458'), true);
    assert.equal(corporateChecksumValid('1101110123459'), false);
  });

  it('should report it only with its keyword', () => {
    assert.deepEqual(seen('법인등록번호 110111-0123458'), [['corporate_reg', '110111-0123458', 'high']]);
    assert.deepEqual(types('110111-0123458'), []);
  });
});

describe('health insurance number', () => {
  it('should report it only with its keyword', () => {
    assert.deepEqual(seen('건강보험증번호 1-2345678901'), [['health_insurance', '1-2345678901', 'high']]);
    assert.deepEqual(seen('피보험자번호: 12345678901'), [['health_insurance', '12345678901', 'high']]);
    assert.deepEqual(types('1-2345678901'), []);
  });
});

describe('normalisation before matching', () => {
  // [title, text, expected matched text]: each is one RRN after the keyword, offsets into the original.
  const forms: Array<[string, string]> = [
    ['full-width digits and hyphen', '９００１０１－１２３４５６８'],
    ['en dash', '900101–1234568'],
    ['no-break space', '900101\u00a01234568'],
    ['ideographic space', '900101\u30001234568'],
    ['zero-width space inside a group', '9001\u200b01-1234568'],
    ['zero-width joiner beside the hyphen', '900101\u200d-1234568'],
    ['soft hyphen', '900101-123\u00ad4568'],
    ['HTML numeric entity for the hyphen', '900101&#45;1234568'],
    ['HTML hex entity for a digit', '90010&#x31;-1234568'],
    ['HTML named entity', '900101&ndash;1234568'],
    ['&nbsp; between the halves', '900101&nbsp;1234568'],
    ['digits written one by one', '9 0 0 1 0 1 - 1 2 3 4 5 6 8'],
    ['a line break after the hyphen', '900101-\n1234568'],
    ['a line break inside the back half (wrapped sentence)', '900101-12\n34568'],
    ['a CRLF inside the front half', '9001\r\n01-1234568'],
  ];
  for (const [title, value] of forms) {
    it(`should find the number written with ${title}, spanning exactly the original`, () => {
      const text = `주민번호는 ${value} 입니다`;
      const found = seen(text);
      assert.deepEqual(found, [['rrn', value, 'high']]);
      assert.equal(all.detect(text)[0]?.masked, '900101-1******');
    });
  }

  it('should not glue a column of numbers that start their lines', () => {
    assert.deepEqual(types('900101\n1234568'), []);
  });

  it('should not glue a line break when the number starts its line', () => {
    assert.deepEqual(types('명단\n900101-12\n34568'), []);
  });
});

describe('false-positive guards', () => {
  const guards: Array<[string, string]> = [
    ['dates and times', '2024-03-15 10:30, 20240315, 2024.03.15, 230101-231231, 15:30:00'],
    ['order numbers (8-7)', '주문번호 20240315-1234567'],
    ['e-tax invoice approval numbers', '승인번호 20240315-41000123-12345678'],
    ['parcel tracking, 12 digits and 4-4-4', '운송장 611234567890, 6112-3456-7890'],
    ['tracking runs of 4-digit groups', '1234 5678 9012 3456 7890'],
    ['16-digit ids that fail Luhn', '주문 ID 4111111111111112'],
    ['version strings', 'Windows 10.0.19045.3693, build 9001011234568.1'],
    ['numbers inside URLs', 'https://shop.example.com/orders/9001011234568?card=4111111111111111 www.example.com/p/01012345678'],
    ['hex strings and commit ids', 'commit 3fa9001011234568c9e, token a4111111111111111f'],
    ['long digit runs holding a valid-looking window', '주민 99001011234568, 카드 41111111111111111111'],
    ['epoch milliseconds', 'ts=1718000000000 1700000000000'],
    ['masked values', '900101-1******, 4111-11**-****-1111, 010-****-5678, 110-***-456789, 900101-1XXXXXX'],
    ['a dash attached to letters before', 'ID-900101-1234568'],
    ['table cells joined by bar, comma or tab', '900101|1234568 900101,1234568 900101\t1234568'],
    ['EAN-13 barcodes', '바코드 8801011080454'],
    ['US social security numbers', 'SSN 123-45-6789'],
  ];
  for (const [title, text] of guards) {
    it(`should report nothing in ${title}`, () => {
      assert.deepEqual(seen(text), []);
    });
  }

  it('should type a phone next to an RRN keyword as a phone (type by shape, keywords only raise)', () => {
    assert.deepEqual(seen('주민번호 900101-1234568, 연락처 010-1234-5678'), [
      ['rrn', '900101-1234568', 'high'],
      ['phone', '010-1234-5678', 'high'],
    ]);
    assert.deepEqual(types('주민번호: 010-1234-5678'), ['phone']);
  });

  it('should keep a row number and the value beside it apart', () => {
    assert.deepEqual(seen('1 900101-1234568'), [['rrn', '900101-1234568', 'medium']]);
  });
});

describe('keyword context', () => {
  it('should take a column header of a CSV, tab or pipe table as context', () => {
    const csv = '이름,은행,계좌번호\n홍길동,신한,110-123-456789\n' + '김철수,국민,123456-12-123456\n'.repeat(50);
    assert.equal(types(csv).filter((t) => t === 'bank_account').length, 51);
    const tsv = '이름\t운전면허번호\t연락처\n홍길동\t111912345661\t010-1234-5678';
    assert.deepEqual(types(tsv), ['driver_license', 'phone']);
    const pipe = '| 이름 | 여권번호 |\n|---|---|\n| 홍길동 | M12345678 |';
    assert.deepEqual(types(pipe), ['passport']);
  });

  it('should not let a header keyword of another column lend context', () => {
    assert.deepEqual(types('이름,운송장번호,계좌번호\n홍길동,611234567890,없음'), []);
  });

  it('should let the nearest competing keyword decide', () => {
    assert.deepEqual(types('사업자등록번호 및 계좌번호: 1234567891'), ['bank_account']);
    assert.deepEqual(types('계좌번호 및 사업자등록번호: 1234567891'), ['business_reg']);
  });
});

describe('keyword matcher', () => {
  const match = (words: string[], text: string) => {
    const matcher = new KeywordMatcher(words);
    const hits: Array<[string, number]> = [];
    for (let i = 0; i < text.length; i += 1) {
      if (matcher.firstChar[text.charCodeAt(i)] !== 1 || !matcher.mayStartAt(text, i)) continue;
      const found = keywordHits();
      const count = matcher.startsAt(text, i, found);
      for (let k = 0; k < count; k += 1) hits.push([text.slice(i, found.ends[k]), found.entries[k]!]);
    }
    return hits;
  };

  it('should match Latin words case-insensitively on word boundaries only', () => {
    assert.deepEqual(match(['RRN', 'confidential'], 'rrn ERRNO CONFIDENTIAL confidentiality'), [['rrn', 0], ['CONFIDENTIAL', 1]]);
    assert.deepEqual(match(['KB'], '100KB 파일, KB국민'), [['KB', 0]]);
  });

  it('should match Hangul words with particles attached and spaces between syllables', () => {
    assert.deepEqual(match(['대외비'], '대외비입니다 / 대 외 비 / 대외\n비'), [['대외비', 0], ['대 외 비', 0], ['대외\n비', 0]]);
  });

  it('should let a space in a word stand for optional whitespace', () => {
    assert.deepEqual(match(['credit card'], 'creditcard, credit  card'), [['creditcard', 0], ['credit  card', 0]]);
  });

  it('should find every word of a 5,000-word dictionary where it occurs', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `프로젝트${i}호`);
    const text = words.filter((_, i) => i % 500 === 7).join(' 그리고 ');
    const dictionary = createDetection({ types: [], dictionaries: [{ name: 'projects', words }], now });
    const found = dictionary.detect(text).map((f) => text.slice(f.start, f.end));
    assert.deepEqual(found, words.filter((_, i) => i % 500 === 7));
  });
});

describe('a detection set with some types turned off', () => {
  it('should not let a type that is off displace one that is on', () => {
    // 4501011000059 is a valid RRN and a Luhn-valid Visa; the card keyword would retype it.
    const rrnOnly = only('rrn');
    assert.deepEqual(seen('카드번호 4501011000059', rrnOnly).map(([type]) => type), ['rrn']);
  });

  it('should still mask a value of a type that is off inside a company pattern', () => {
    const detection = createDetection({ now, types: ['rrn'], patterns: [{ name: 'order', regex: '주문내역[^\\n]*', mask: 'none' }] });
    const found = detection.detect('주문내역 카드 4111-1111-1111-1111 결제');
    assert.deepEqual(found.map((f) => [f.type, f.masked]), [['pattern', '주문내역 카드 4111-11**-****-1111 결제']]);
  });
});

describe('dictionaries and patterns in a detection set', () => {
  const detection = createDetection({
    now,
    dictionaries: [{ name: 'confidential', words: ['대외비', '기밀'] }, { name: 'names', words: ['홍길동'], mask: 'partial' }],
    patterns: [{ name: 'employee-id', regex: 'EMP-[0-9]{6}' }],
  });

  it('should report words and matches labelled with their dictionary or pattern', () => {
    const text = '[대외비] 홍길동 사원 EMP-123456 자료, 기밀 유지';
    assert.deepEqual(
      detection.detect(text).map((f) => [f.type, f.label, f.masked]),
      [
        ['keyword', 'confidential', '대외비'],
        ['keyword', 'names', '홍*동'],
        ['pattern', 'employee-id', 'E********6'],
        ['keyword', 'confidential', '기밀'],
      ],
    );
  });

  it('should refuse a duplicate dictionary name and an empty dictionary', () => {
    assert.throws(() => createDetection({ dictionaries: [{ name: 'a', words: ['x'] }, { name: 'a', words: ['y'] }] }), DetectionConfigError);
    assert.throws(() => createDetection({ dictionaries: [{ name: 'a', words: [' '] }] }), DetectionConfigError);
  });
});

describe('cases an adversarial review found', () => {
  const cases: Array<[string, string, Array<[FindingType, string]>]> = [
    ['a (1) list marker before each value', '목록\n(1) 900101-1234568\n(2) 010-1234-5678\n(3) 4111-1111-1111-1111',
      [['rrn', '900101-1234568'], ['phone', '010-1234-5678'], ['credit_card', '4111-1111-1111-1111']]],
    ['a quoted reply re-wrapping a number', '> 주민등록번호는 900101-\n> 1234568 입니다.', [['rrn', '900101-\n> 1234568']]],
    ['an indented continuation line', '주민등록번호는 900101-\n 1234568 입니다.', [['rrn', '900101-\n 1234568']]],
    ['a line break between space-separated card groups', '법인카드 번호는 4111 1111 1111\n1111 입니다', [['credit_card', '4111 1111 1111\n1111']]],
    ['a line break between phone groups', '연락처는 010 1234\n5678 입니다', [['phone', '010 1234\n5678']]],
    ['a URL whose parameter names the value', '본인확인 [https://hr.example.co.kr/verify?rrn=9001011234568]', [['rrn', '9001011234568']]],
    ['a CSV row that starts with a URL', 'profile,name,rrn,phone\nhttps://crm.example.com/c/1001,홍길동,9001011234568,010-1234-5678',
      [['rrn', '9001011234568'], ['phone', '010-1234-5678']]],
    ['a passport after an ID-type list naming a licence', '신분증(여권/운전면허증) 번호: M12345678', [['passport', 'M12345678']]],
    ['an English bank name and "account"', 'Please wire the refund to my Woori account 1002-123-456789.', [['bank_account', '1002-123-456789']]],
    ['a short bank name right before', '토스 1000-1234-5678 으로 보내주세요', [['bank_account', '1000-1234-5678']]],
    ['a 19-digit UnionPay card in groups', 'UnionPay 6212 3456 7890 1234 569', [['credit_card', '6212 3456 7890 1234 569']]],
    ['a direction mark inside a number', '주민번호 900101\u200e-1234568', [['rrn', '900101\u200e-1234568']]],
    ['the jamo ㅡ typed as a dash', '010ㅡ1234ㅡ5678', [['phone', '010ㅡ1234ㅡ5678']]],
    ['full-width parentheses and plus', '（02）123-4567, ＋82 10-1234-5678', [['phone', '（02）123-4567'], ['phone', '＋82 10-1234-5678']]],
    ['E.164 without spaces', '고객 휴대폰: +821012345678', [['phone', '+821012345678']]],
    ['a mobile with its last groups run together', '연락처 010-12345678', [['phone', '010-12345678']]],
    ['+82 with the leading 0 kept', '+82 010-1234-5678', [['phone', '+82 010-1234-5678']]],
    ['a value after 32 other numbers on a line', `측정값 ${Array.from({ length: 40 }, (_, i) => 10 + i).join(' ')} 900101-1234568`, [['rrn', '900101-1234568']]],
  ];
  for (const [title, text, expected] of cases) {
    it(`should find ${title}`, () => {
      assert.deepEqual(seen(text).map(([type, match]) => [type, match]), expected);
    });
  }

  const nothing: Array<[string, string]> = [
    ['ERP ids after 이체', 'SAP PO 4500012345 / GR 5000123456 / 이체 예정'],
    ['a file size then a document number', '첨부: 견적서.pdf (512 KB) 문서번호 2024000123'],
    ['amount columns under 입금액', '거래일자,적요,입금액,출금액,잔액\n2024-11-25,대금,1500000000,0,2300000000'],
    ['a tracking number after 입금', '입금 확인 후 발송했습니다. CJ대한통운 운송장번호 6789-1234-5678'],
    ['a build number after a bank name', '신한 SOL 앱 버전 5.12.3 (빌드 2411251234)'],
    ['a receipt number (영수증번호 is not 증번호)', '영수증번호: 20241125001 (카드 승인 완료)'],
    ['a guarantee number', '이행보증번호 12345678901'],
    ['a JAN barcode starting with 4', 'Please confirm the JAN code 4901234000094 for the new SKU.'],
    ['a date-led order number in the Mastercard range', '주문번호: 2411251234567806 배송 준비중입니다.'],
    // Nine in ten such ids fail the RRN check; one that passes it is reported (a dashed number
    // that passes the check stays a resident number whatever word is near).
    ['a date-led lot number', 'Lot No. 241125-3123457 출하'],
    ['a date-led order id', 'Order ID 2411253000123 shipped'],
  ];
  for (const [title, text] of nothing) {
    it(`should report nothing for ${title}`, () => {
      assert.deepEqual(seen(text), []);
    });
  }

  it('should keep a valid dashed RRN reported next to an amount, order or employee-number word', () => {
    for (const text of ['홍길동 900101-1234568 금액 3,000,000원', '사번 12345 홍길동 900101-1234568', 'PO 900101-1234568']) {
      assert.deepEqual(types(text), ['rrn'], text);
    }
    assert.deepEqual(types('https://hr.example.com/emp/900101-1234568'), ['rrn']);
  });

  it('should not retype a valid RRN as a corporate number after the corporate keyword', () => {
    // 900101-1000006 passes both the resident and the corporate check.
    assert.deepEqual(types('법인등록번호 900101-1000006'), ['rrn']);
  });

  it('should not let an e-mail address swallow the number written as its local part', () => {
    assert.deepEqual(types('홍길동 900101-1234568@x.co'), ['rrn']);
  });

  it('should see through invisible characters after a separator, but not through padding', () => {
    assert.deepEqual(types('주민번호 900101-\u200b1234568'), ['rrn']);
    assert.deepEqual(types('카드번호 4111-\u200b1111-\u200b1111-\u200b1111'), ['credit_card']);
    assert.deepEqual(types('주민번호 900101-&#8203;1234568'), ['rrn']);
    assert.deepEqual(types(`주민번호 900101-${'\u200b'.repeat(50)}1234568`), []);
  });

  it('should glue at most one line break into a number (a column of 4-digit numbers is no card)', () => {
    assert.deepEqual(types('재고 수량 4111\n1111\n1111\n1111'), []);
  });

  it('should mask every phone form to its last four digits and area code', () => {
    const masks = (text: string) => all.detect(text).map((f) => f.masked);
    assert.deepEqual(masks('010-12345678'), ['010-****5678']);
    assert.deepEqual(masks('+821012345678'), ['+8210****5678']);
    assert.deepEqual(masks('02-123-4567'), ['02-***-4567']);
    assert.deepEqual(masks('+82 10 1234 5678'), ['+82 10 **** 5678']);
  });

  it('should type the target of an auth code as a phone, not a health-insurance number', () => {
    assert.deepEqual(types('인증번호를 01012345678로 발송했습니다'), ['phone']);
  });

  it('should not let a company pattern or dictionary word hide or reveal personal data', () => {
    const detection = createDetection({
      now,
      patterns: [{ name: 'hr-record', regex: '인사기록[^\\n]*', confidence: 'high', mask: 'none' }],
      dictionaries: [{ name: 'names', words: ['홍길동 900101'] }],
    });
    const text = '인사기록 홍길동 주민번호 900101-1234568 연락처 010-1234-5678';
    const found = detection.detect(text);
    assert.deepEqual(found.filter((f) => f.type === 'rrn' || f.type === 'phone').map((f) => f.type), ['rrn', 'phone']);
    const pattern = found.find((f) => f.type === 'pattern');
    assert.equal(pattern?.masked, '인사기록 홍길동 주민번호 900101-1****** 연락처 010-****-5678');
    const word = detection.detect('고객 홍길동 900101-1234568').find((f) => f.type === 'keyword');
    assert.equal(word?.masked, '홍길동 ******');
  });

  it('should refuse a dictionary word longer than 100 characters (it would slow every scan)', () => {
    assert.throws(() => createDetection({ dictionaries: [{ name: 'long', words: ['가'.repeat(101)] }] }), /at most 100/);
  });

  // These once took seconds to minutes (work per candidate grew with the line or the text).
  // A generous timeout turns a return of that into a failure rather than a hung suite.
  const heavy: Array<[string, string]> = [
    ['a megabyte of space-separated decimals', Array.from({ length: 200000 }, (_, i) => (20 + (i % 50) / 10).toFixed(1)).join(' ')],
    ['one-line JSON with thousands of records', JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ rrn: '900101-1234568', phone: '010-1234-5678', email: `u${i}@example.com` })))],
    ['query strings full of & without ;', 'a=1&b=2&'.repeat(100000)],
    ['a 300-column CSV with a keyword in every header cell', ['계좌번호,'.repeat(300), ...Array.from({ length: 40 }, () => '1234567890,'.repeat(300))].join('\n')],
  ];
  for (const [title, text] of heavy) {
    it(`should finish ${title} in linear time`, { timeout: 30_000 }, () => {
      all.detect(text);
    });
  }
});
