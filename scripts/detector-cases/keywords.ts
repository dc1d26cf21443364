/**
 * Context words and company rules of the labelled set.
 *
 * `CONTEXT_KEYWORDS` restates, per type, the keywords issue 3 names as "keyword context". The
 * generator's self-check uses them in both directions: a value that is reported only near a
 * keyword must have one close by, and a decoy must have none of the keywords that could promote
 * it. The company dictionaries and patterns are what the accuracy test hands to `createDetection`.
 */
import type { DictionarySpec, PatternSpec, PiiType } from '../../detectors/types.js';

const RRN_WORDS = [
  '주민등록번호', '주민번호', '주민 번호', 'RRN', 'resident registration number', 'jumin',
];

export const CONTEXT_KEYWORDS: Readonly<Record<PiiType, readonly string[]>> = {
  rrn: RRN_WORDS,
  foreigner_rrn: [
    '외국인등록번호', '외국인번호', '외국인 등록번호', '외국인등록증', 'alien registration',
    'foreigner registration number', 'FRN', 'ARC', ...RRN_WORDS,
  ],
  driver_license: [
    '운전면허', '운전면허번호', '면허번호', '운전면허증', "driver's license", "driver's licence",
    'driving licence', 'DL no',
  ],
  passport: ['여권', '여권번호', 'passport', 'passport no.'],
  credit_card: [],
  bank_account: [
    '계좌', '계좌번호', '입금계좌', '환불계좌', '이체', '송금', '예금주', '통장', '가상계좌',
    '국민', 'KB국민', '신한', '우리', '하나', '농협', 'NH', '기업', 'IBK', '카카오뱅크', '토스뱅크',
    '케이뱅크', '우체국', 'SC제일', '새마을금고', '신협', '수협', 'account no.', 'bank account', 'A/C',
  ],
  phone: [],
  email: [],
  business_reg: [
    '사업자등록번호', '사업자번호', '사업자 등록번호', 'business registration number', 'BRN',
  ],
  corporate_reg: ['법인등록번호', '법인번호', '등기번호', 'corporate registration number'],
  health_insurance: [
    '건강보험증번호', '건강보험 번호', '보험증번호', '피보험자번호', 'health insurance no.',
  ],
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Latin keywords need whole words (`NH` is not in `NHI`); Hangul ones match anywhere. */
function keywordRegExp(word: string): RegExp {
  const body = escapeRegExp(word);
  const latinStart = /^[A-Za-z]/.test(word) ? '(?<![A-Za-z])' : '';
  const latinEnd = /[A-Za-z]$/.test(word) ? '(?![A-Za-z])' : '';
  return new RegExp(latinStart + body + latinEnd, 'giu');
}

const COMPILED = new Map<PiiType, RegExp[]>();

/** Start offsets of every context keyword of `type` in `text`. */
export function keywordHits(type: PiiType, text: string): Array<{ start: number; end: number }> {
  let regexps = COMPILED.get(type);
  if (!regexps) {
    regexps = CONTEXT_KEYWORDS[type].map(keywordRegExp);
    COMPILED.set(type, regexps);
  }
  const hits: Array<{ start: number; end: number }> = [];
  for (const re of regexps) {
    for (const m of text.matchAll(re)) hits.push({ start: m.index, end: m.index + m[0].length });
  }
  return hits;
}

export const LABELLED_SET_DICTIONARIES: DictionarySpec[] = [
  { name: 'confidential', words: ['대외비', '기밀', '社外秘', 'Confidential', 'Internal Only'] },
  { name: 'projects', words: ['오로라', 'Project Nimbus', '블루웨일'] },
];

export const LABELLED_SET_PATTERNS: PatternSpec[] = [
  { name: 'employee-id', regex: 'EMP-[0-9]{6}' },
  { name: 'contract-no', regex: 'CT[0-9]{4}-[0-9]{4}', ignoreCase: true },
];
