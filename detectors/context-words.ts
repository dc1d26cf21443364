/**
 * Context keywords: the words near a number that say what it is (notes/korean-pii.md §1).
 *
 * A keyword never makes a finding by itself; it raises a validated shape's confidence, or is
 * the evidence a shape without a validator needs (a bank account, a passport). Each list is one
 * class; the detectors ask "is the nearest relevant keyword one of mine?" (context.ts).
 *
 * Deliberately absent: bank short names that are everyday words (국민 "citizens", 우리 "we",
 * 하나 "one", 기업 "company") or units (`512 KB`). The account detector accepts those only
 * directly before the number (bank-account.ts). Region names for driver's licences are handled
 * the same way.
 *
 * `reference` is the other side: words that name a number as an order, shipment, document,
 * build or amount. Business mail is full of such ids, and a shape that would stand on its own
 * (a bare 16-digit Luhn pass, a post-2020 date-led 13-digit id, 12 digits after `입금`) is
 * lowered when one of them is the deciding keyword.
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
  'reference',
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
    '신한', '농협', '우체국', '새마을금고', '신협', '수협', 'SC제일', 'KB국민', 'IBK', 'NH농협', 'KDB',
    '카카오뱅크', '토스뱅크', '케이뱅크',
    'account', 'accounts', 'account no', 'account number', 'account #', 'bank account', 'A/C', 'acct',
    'bank', 'beneficiary', 'wire', 'IBAN',
    'Woori', 'Shinhan', 'Kookmin', 'Hana Bank', 'Nonghyup', 'Kakao Bank', 'KakaoBank', 'Toss Bank',
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
    '건강보험', '보험증번호', '보험증 번호', '피보험자번호', '건강보험증',
    'NHI', 'health insurance',
  ],
  reference: [
    '주문', '주문번호', '발주', '운송장', '송장', '택배', '배송', '참조번호', '문서번호', '공지번호',
    '관리번호', '접수번호', '승인번호', '거래번호', '예약번호', '일련번호', '시리얼', '모델명', '품번',
    '제품번호', '버전', '빌드', '영수증', '영수증번호', '인증번호', '견적', '금액', '입금액', '출금액',
    '잔액', '수량', '단가', '사번', '사원번호', '고객번호', '회원번호', '바코드', '로트',
    'order', 'order no', 'order id', 'PO', 'P.O.', 'invoice', 'tracking', 'ref', 'reference',
    'serial', 'SKU', 'build', 'version', 'amount', 'qty', 'barcode', 'JAN', 'EAN', 'ISBN', 'lot',
    'transaction', 'TRX', 'ticket',
  ],
};
