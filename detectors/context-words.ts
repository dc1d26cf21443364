/**
 * Context keywords: the words near a number that say what it is (notes/korean-pii.md §1).
 *
 * A keyword never makes a finding by itself; it raises a validated shape's confidence, or is
 * the evidence a shape without a validator needs (a bank account, a passport). Each list is one
 * class; the detectors ask "is the nearest relevant keyword one of mine?" (context.ts).
 *
 * Deliberately absent: bank short names that are everyday words (국민 "citizens", 우리 "we",
 * 하나 "one", 기업 "company"). The account detector accepts those only directly before the number
 * (bank-account.ts). Region names for driver's licences are handled the same way.
 */

export const CONTEXT_CLASSES = [
  'resident',
  'foreigner',
  'license',
  'passport',
  'card',
  'account',
  'phone',
  'business',
  'corporate',
  'health',
] as const;

export type ContextClass = (typeof CONTEXT_CLASSES)[number];

/** Bit for each class, so detectors can name sets of classes as one number. */
export const CLASS_BIT: Readonly<Record<ContextClass, number>> = Object.fromEntries(
  CONTEXT_CLASSES.map((name, index) => [name, 1 << index]),
) as Record<ContextClass, number>;

export const CONTEXT_WORDS: Readonly<Record<ContextClass, readonly string[]>> = {
  resident: [
    '주민등록번호', '주민번호', '주민 번호', '주민등록', '주민등록증',
    'RRN', 'RRN#', 'resident registration', 'resident number', 'resident no', 'resident ID',
    'national ID', "citizen's registration", 'jumin',
  ],
  foreigner: [
    '외국인등록번호', '외국인번호', '외국인 등록', '외국인등록증', '외국인등록', '국내거소신고번호',
    '거소신고번호', 'alien registration', 'foreigner registration', 'foreign registration',
    'FRN', 'ARC', 'residence card',
  ],
  license: [
    '운전면허', '면허번호', '면허증', '면허 번호',
    "driver's license", "driver's licence", 'drivers license', 'drivers licence', 'driver license',
    'driver licence', 'driving licence', 'driving license', 'DL no', 'DL#', 'dlno', 'license no',
    'licence no', 'license number', 'licence number',
  ],
  passport: ['여권', 'passport', 'passport no', 'passport#', 'passport number'],
  card: [
    '신용카드', '체크카드', '법인카드', '결제카드', '카드번호', '카드 번호', '유효기간',
    'card no', 'card number', 'card#', 'credit card', 'debit card', 'CC#', 'CVC', 'CVV',
  ],
  account: [
    '계좌', '계좌번호', '입금', '이체', '송금', '예금주', '통장', '은행', '뱅크',
    '신한', '농협', '우체국', '새마을금고', '신협', '수협', 'SC제일', 'KB', 'IBK', 'NH', 'KDB',
    'account no', 'account number', 'account #', 'bank account', 'A/C', 'acct', 'bank',
  ],
  phone: [
    '연락처', '전화', '휴대폰', '핸드폰', '휴대전화', '팩스',
    'HP', 'H.P', 'Tel', 'Phone', 'Mobile', 'Mob', 'Cell', 'Fax',
  ],
  business: [
    '사업자등록번호', '사업자번호', '사업자 등록', '사업자',
    'business registration', 'business number', 'business no', 'BRN', 'tax registration', 'tax ID',
  ],
  corporate: [
    '법인등록번호', '법인번호', '법인 등록번호', '등기번호',
    'corporate registration', 'corporation registration', 'corporate number', 'CRN',
  ],
  health: [
    '건강보험', '보험증번호', '보험증 번호', '피보험자번호', '증번호',
    'NHI', 'health insurance',
  ],
};
