/**
 * The inputs of the detector benchmark (bench/): the generated company dictionary, the two corpus
 * styles, and the ripgrep pattern files that stand for "the same patterns" as the detectors.
 *
 * The benchmark's ratio to ripgrep means something only if ripgrep looks for what the detectors
 * find: every value below is first shown to be a finding of its type, then ripgrep, given the
 * pattern file, must match it. Without ripgrep those checks are skipped, visibly.
 *
 * Personal data is synthetic: check digits are computed here, phones use 010-1xxx.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  businessChecksumValid,
  corporateChecksumValid,
  createDetection,
  luhnValid,
  rrnChecksumValid,
} from '../detectors/index.js';
import type { PiiType } from '../detectors/index.js';
import { contextKeywords, patternFile, shapePatterns, type Dialect } from '../bench/candidate-patterns.js';
import { generateCorpus } from '../bench/corpus.js';
import { companyDictionary, DICTIONARY_SIZE, IN_USE_COUNT } from '../bench/dictionary.js';
import { ANCHOR_RRN, koreanMail } from '../bench/mails.js';
import { inspectMessage } from '../engine/inspect.js';
import { loadPolicyFile } from '../policies/load.js';

const RIPGREP = '/usr/bin/rg';
const rgMissing = spawnSync(RIPGREP, ['--version']).status === 0 ? false : `${RIPGREP} not found`;
const now = () => new Date('2026-12-01T00:00:00Z');
const dictionary = companyDictionary();

/** `prefix` + the one check digit that `valid` accepts. */
function withCheck(prefix: string, valid: (digits: string) => boolean): string {
  for (let d = 0; d <= 9; d += 1) if (valid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error(`no check digit fits ${prefix}`);
}

const rrn = withCheck('900101123456', rrnChecksumValid);
const frn = withCheck('850315512345', rrnChecksumValid);
const corporate = withCheck('110111012345', corporateChecksumValid);
const business = withCheck('123456789', businessChecksumValid);
const unionPay = withCheck('621234567890123456', luhnValid);

/** `YYMMDD-NNNNNNN`. */
function dashed(digits: string): string {
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

/** [type, sentence, the value inside it as written]. */
const SAMPLES: ReadonlyArray<readonly [PiiType, string, string]> = [
  ['rrn', `주민등록번호 ${dashed(rrn)} 입니다`, dashed(rrn)],
  ['rrn', `주민번호 ${rrn}`, rrn],
  ['rrn', `주민번호 ${rrn.slice(0, 6)} ${rrn.slice(6)}`, `${rrn.slice(0, 6)} ${rrn.slice(6)}`],
  ['rrn', '주민번호 ９００１０１－１２３４５６８', '９００１０１－１２３４５６８'],
  ['foreigner_rrn', `외국인등록번호: ${dashed(frn)}`, dashed(frn)],
  ['corporate_reg', `법인등록번호 ${dashed(corporate)}`, dashed(corporate)],
  ['credit_card', '결제 카드 4111-1111-1111-1111 승인', '4111-1111-1111-1111'],
  ['credit_card', 'Amex 3782 822463 10005', '3782 822463 10005'],
  ['credit_card', `UnionPay ${unionPay.replace(/(\d{4})(?=\d)/g, '$1-')}`, unionPay.replace(/(\d{4})(?=\d)/g, '$1-')],
  ['credit_card', 'Diners 3056-930902-5904', '3056-930902-5904'],
  ['credit_card', '카드번호 4111111111111111', '4111111111111111'],
  ['driver_license', '운전면허번호 11-19-123456-61', '11-19-123456-61'],
  ['driver_license', '운전면허 111912345661', '111912345661'],
  ['driver_license', '면허: 서울 19-123456-61', '19-123456-61'],
  ['passport', '여권번호 M12345678', 'M12345678'],
  ['passport', 'passport no. M123A4567', 'M123A4567'],
  ['bank_account', '입금 계좌 123456-12-123456 (국민은행)', '123456-12-123456'],
  ['bank_account', '계좌번호 3333-12-1234567', '3333-12-1234567'],
  ['bank_account', '계좌번호 12345678901234', '12345678901234'],
  ['phone', '연락처 010-1234-5678', '010-1234-5678'],
  ['phone', '휴대폰 010.1234.5678', '010.1234.5678'],
  ['phone', '전화 01012345678', '01012345678'],
  ['phone', '휴대폰 010-12345678', '010-12345678'],
  ['phone', 'Mobile +821012345678', '+821012345678'],
  ['phone', 'Tel +82 010-1234-5678', '+82 010-1234-5678'],
  ['phone', 'T. 02-123-4567', '02-123-4567'],
  ['phone', '대표 (031) 123-4567', '(031) 123-4567'],
  ['phone', 'Mobile +82 10-1234-5678', '+82 10-1234-5678'],
  ['phone', '안심번호 0505-1234-5678', '0505-1234-5678'],
  ['email', '담당자 kim.minjun@hanbit.example 로 회신', 'kim.minjun@hanbit.example'],
  ['business_reg', `사업자등록번호 ${business.slice(0, 3)}-${business.slice(3, 5)}-${business.slice(5)}`,
    `${business.slice(0, 3)}-${business.slice(3, 5)}-${business.slice(5)}`],
  ['business_reg', `사업자번호 ${business}`, business],
  ['health_insurance', '건강보험증 번호 1-2345678901', '1-2345678901'],
  ['health_insurance', '건강보험 증번호 12345678901', '12345678901'],
];

/** ripgrep's `-o` output for `text`, as a list of matched pieces per 1-based line. */
function ripgrepPieces(text: string, patterns: string): Map<number, string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outguard-bench-test-'));
  try {
    writeFileSync(path.join(dir, 'text.txt'), text);
    writeFileSync(path.join(dir, 'patterns.txt'), patterns);
    const result = spawnSync(RIPGREP, ['--no-config', '-o', '-n', '-f', path.join(dir, 'patterns.txt'),
      path.join(dir, 'text.txt')], { encoding: 'utf8' });
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    const pieces = new Map<number, string[]>();
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      const colon = line.indexOf(':');
      const number = Number(line.slice(0, colon));
      pieces.set(number, [...(pieces.get(number) ?? []), line.slice(colon + 1)]);
    }
    return pieces;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bench dictionary', () => {
  it('should hold 5,000 distinct words of 2 to 12 characters, the same on every call', () => {
    assert.equal(dictionary.words.length, DICTIONARY_SIZE);
    assert.equal(new Set(dictionary.words.map((w) => w.toLowerCase())).size, DICTIONARY_SIZE);
    for (const word of dictionary.words) {
      const length = [...word].length;
      assert.ok(length >= 2 && length <= 12, word);
    }
    assert.deepEqual(companyDictionary(), dictionary);
  });

  it('should mix Korean, English and model-code words', () => {
    const korean = dictionary.words.filter((w) => /^[가-힣]+$/.test(w)).length;
    const english = dictionary.words.filter((w) => /^[A-Za-z ]+$/.test(w)).length;
    const codes = dictionary.words.filter((w) => /^[A-Z]{2}-\d{3,4}[A-Z]?$/.test(w)).length;
    assert.ok(korean > 1000 && english > 1000 && codes > 300, `${korean} / ${english} / ${codes}`);
  });

  it('should use a few hundred of its words in the corpus and nothing else from it', () => {
    assert.equal(dictionary.inUse.length, IN_USE_COUNT);
    for (const word of dictionary.inUse) assert.ok(dictionary.words.includes(word), word);
    const detection = createDetection({ dictionaries: [{ name: 'company', words: dictionary.words }], now });
    for (const style of ['business', 'prose'] as const) {
      const corpus = generateCorpus({ bytes: 300_000, style });
      const keywords = detection.detect(corpus.text).filter((f) => f.type === 'keyword').length;
      assert.ok(corpus.codeNameMentions > 30, `${style}: ${corpus.codeNameMentions} mentions`);
      assert.equal(keywords, corpus.codeNameMentions, style);
      const quiet = generateCorpus({ bytes: 300_000, style, codeNames: [] });
      assert.equal(quiet.codeNameMentions, 0);
      assert.deepEqual(detection.detect(quiet.text).filter((f) => f.type === 'keyword'), [], style);
    }
  });
});

describe('bench corpus styles', () => {
  it('should make the business text digit-dense and the prose text 3 to 6 % digits', () => {
    const business = generateCorpus({ bytes: 500_000, style: 'business' });
    const prose = generateCorpus({ bytes: 500_000, style: 'prose' });
    assert.ok(business.digitShare > 0.3, `business ${business.digitShare}`);
    assert.ok(prose.digitShare >= 0.03 && prose.digitShare <= 0.06, `prose ${prose.digitShare}`);
  });

  it('should plant resident numbers and cards that the detectors find exactly', () => {
    const detection = createDetection({ now });
    for (const style of ['business', 'prose'] as const) {
      const corpus = generateCorpus({ bytes: 300_000, style });
      const found = detection.detect(corpus.text);
      assert.equal(found.filter((f) => f.type === 'rrn').length, corpus.planted.rrn, style);
      assert.equal(found.filter((f) => f.type === 'credit_card').length, corpus.planted.credit_card, style);
    }
  });

  it('should give the same text for the same seed and style', () => {
    const a = generateCorpus({ bytes: 50_000, style: 'prose', seed: 7 });
    const b = generateCorpus({ bytes: 50_000, style: 'prose', seed: 7 });
    assert.equal(a.text, b.text);
    assert.notEqual(a.text, generateCorpus({ bytes: 50_000, style: 'business', seed: 7 }).text);
  });
});

describe('bench mails', () => {
  it('should be accepted by the shipped policy without the RRN and held with it', async () => {
    const policy = loadPolicyFile();
    for (const bytes of [5_000, 50_000]) {
      const clean = await inspectMessage(koreanMail({ bytes }), { policy });
      assert.equal(clean.decision.action, 'accept', `${bytes}: ${clean.findings.map((f) => f.type).join(' ')}`);
      const marked = await inspectMessage(koreanMail({ bytes, rrn: ANCHOR_RRN }), { policy });
      assert.equal(marked.decision.action, 'hold');
      assert.equal(marked.findings.filter((f) => f.type === 'rrn').length, 1);
    }
  });
});

describe('bench ripgrep patterns', { skip: rgMissing }, () => {
  const detection = createDetection({ now });

  it('should hold only values the detectors find (the samples are real)', () => {
    for (const [type, sentence, value] of SAMPLES) {
      const start = sentence.indexOf(value);
      const hit = detection.detect(sentence).find((f) => f.type === type);
      assert.ok(hit, `${type}: ${sentence}`);
      assert.ok(hit.start <= start && hit.end >= start + value.length, `${type}: ${sentence}`);
    }
  });

  for (const dialect of ['unicode', 'bytes'] as Dialect[]) {
    it(`should match every detector shape (${dialect})`, () => {
      // The shapes alone, so a context keyword in the sentence cannot stand in for the number.
      const file = patternFile(dialect).text.split('\n');
      const shapesOnly = file.slice(0, shapePatterns(dialect).filter((p) => !p.bounded).length + 1);
      const pieces = ripgrepPieces(SAMPLES.map(([, sentence]) => sentence).join('\n'), `${shapesOnly.join('\n')}\n`);
      SAMPLES.forEach(([type, , value], index) => {
        const matched = pieces.get(index + 1) ?? [];
        assert.ok(matched.some((piece) => piece.includes(value)), `${type} ${value}: ${matched.join(' / ')}`);
      });
    });

    it(`should match every context keyword and dictionary word, Latin in any case (${dialect})`, () => {
      const words = [...contextKeywords(), ...dictionary.words.filter((_, i) => i % 25 === 0)];
      const lines = words.map((w, i) => `참고: ${i % 2 === 0 ? w.toUpperCase() : w} 확인`);
      const pieces = ripgrepPieces(lines.join('\n'), patternFile(dialect, dictionary.words).text);
      words.forEach((word, index) => {
        const matched = (pieces.get(index + 1) ?? []).map((p) => p.toLowerCase());
        assert.ok(matched.some((piece) => piece.includes(word.toLowerCase())), `${word}: ${matched.join(' / ')}`);
      });
    });
  }
});
