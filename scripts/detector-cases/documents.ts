/**
 * Whole documents with several findings each, the way they leave a Korean company: an 인사팀
 * onboarding mail, a vendor's payment request, a travel booking, a dependant registration, a
 * customer refund, English mails from foreign staff, and the customer lists, staff rosters and
 * groupware tables pasted into mail bodies. Many carry a `[대외비]`-style label or an employee or
 * contract number, because real ones do.
 */
import type { CaseDraft, Draft, Slot } from './builder.js';
import { doc, keyword, pattern } from './builder.js';
import type { Ctx } from './context.js';
import { castFor, dateRange, isoDate } from './context.js';
import * as n from './numbers.js';
import { emailOf, foreignPerson, koreanPerson, roleEmail } from './people.js';
import { Rng } from './rng.js';
import type { Table } from './tables.js';
import { aligned, csv, htmlTable, pipe, tsv } from './tables.js';

const empId = (c: Ctx): Slot => pattern('employee-id', `EMP-${c.rng.int(100000, 999999)}`);
const contractNo = (c: Ctx): Slot => {
  const prefix = c.rng.pick(['CT', 'CT', 'CT', 'ct', 'Ct']);
  return pattern('contract-no', `${prefix}${c.rng.int(2023, 2026)}-${c.rng.digits(4)}`);
};

/** A subject-line label about half the time: `[대외비] ` or `[Confidential] ` and friends. */
function label(c: Ctx, english = false): Slot {
  if (c.rng.chance(0.45)) return '';
  const word = english
    ? c.rng.pick(['Confidential', 'CONFIDENTIAL', 'Internal Only', 'INTERNAL ONLY'])
    : c.rng.pick(['대외비', '대외비', '기밀', '社外秘', 'Confidential']);
  return ['[', keyword('confidential', word), '] '];
}

const amount = (c: Ctx): string => `${c.rng.int(1, 48)},${c.rng.int(100, 999)},000`;

type Mail = (c: Ctx) => Draft;

/** An Outlook-style signature: mobile, desk and fax on one line, cells split by ` | `. */
const signature = (c: Ctx): Draft => doc`${c.me.name} 매니저 | ${c.co} ${c.team}
M. ${n.phone(c.rng, 'mobile')} | T. ${desk(c)} | F. ${desk(c)}
E. ${emailOf(c.rng, c.me)}`;
const desk = (c: Ctx): Slot => n.phone(c.rng, c.rng.pick(['seoul', 'area']));

const hrOnboarding: Mail = (c) => doc`제목: ${label(c)}신규 입사자 인적사항 전달 (${c.p.name})

${c.team} 담당자님, 안녕하세요.
경영지원팀 ${c.me.name}입니다. ${isoDate(c.rng, 2026, 2027)} 입사 예정인 ${c.p.name}님 인적사항 전달드립니다.

- 성명: ${c.p.name}
- 주민등록번호: ${n.rrn(c.rng, c.rng.pick(['check', 'check', 'keyed']))}
- 휴대폰: ${n.phone(c.rng, c.rng.pick(['mobile', 'mobile', 'mobile-dot', 'mobile-bare']))}
- 개인 메일: ${emailOf(c.rng, c.p)}
- 급여 계좌: ${c.bank.name} ${n.account(c.rng, c.bank)}
- 사번: ${empId(c)}
${c.rng.chance(0.5) ? doc`- 건강보험증번호: ${n.health(c.rng, 'bare')}\n` : ''}
4대보험 취득 신고 후 본 메일은 삭제 부탁드립니다.
${c.me.name} 드림`;

const paymentRequest: Mail = (c) => {
  const month = c.rng.int(1, 12);
  return doc`${label(c)}${month}월 납품 대금 청구의 건

안녕하세요, ${c.co} ${c.me.name}입니다.
계약번호 ${contractNo(c)} 관련 ${month}월분 대금 청구드립니다.

공급자: ${c.co} / 사업자등록번호 ${n.brn(c.rng, c.rng.pick(['dashed', 'bare']))}
${c.rng.chance(0.5) ? doc`법인등록번호: ${n.corporate(c.rng, 'dashed')}\n` : ''
}입금계좌: ${c.bank.name} ${n.account(c.rng, c.bank)} (예금주 ${c.co})
금액: ${amount(c)}원 (VAT 포함)

세금계산서는 ${roleEmail(c.rng)}로 발행 부탁드립니다.
${c.rng.chance(0.5)
    ? doc`문의: ${c.me.name} ${n.phone(c.rng, c.rng.pick(['area', 'seoul', 'mobile', 'voip']))}`
    : doc`감사합니다.\n\n${signature(c)}`}`;
};

const travelBooking: Mail = (c) => doc`${label(c)}${c.country} 출장 항공권 및 숙소 예약 요청

출장자: ${c.p.name} (${c.p.english})
여권번호: ${n.passport(c.rng, c.rng.chance(0.5) ? 'new' : 'old')} / 만료일 ${isoDate(c.rng, 2028, 2035)}
연락처: ${n.phone(c.rng, c.rng.pick(['mobile', 'intl-mobile', 'mobile-space']))}
결제: 법인카드 ${n.card(c.rng, c.rng.pick(['visa', 'mastercard', 'domestic', 'amex']))}
${c.rng.chance(0.5)
    ? doc`동행: ${c.f.name}, 외국인등록번호 ${n.frn(c.rng, c.rng.pick(['check', 'recent', 'keyed']))}\n`
    : ''}일정: ${dateRange(c.rng, 2027)}

예약 확정되면 ${emailOf(c.rng, c.p)}로 e-티켓 보내주세요.`;

const dependants: Mail = (c) => {
  const spouse = koreanPerson(c.rng);
  const child = koreanPerson(c.rng);
  return doc`피부양자 등록 요청드립니다.

직원: ${c.p.name} (${empId(c)})
건강보험증번호: ${n.health(c.rng, c.rng.pick(['dashed', 'bare']))}
피부양자 1: 배우자 ${spouse.name}, 주민번호 ${n.rrn(c.rng, c.rng.pick(['check', 'keyed']))}
피부양자 2: 자녀 ${child.name}, 주민번호 ${n.rrn(c.rng, 'recent')}
연락처 ${n.phone(c.rng, 'mobile')}`;
};

const refund: Mail = (c) => doc`고객 환불 요청 건 전달드립니다.

고객명: ${c.p.name}
연락처: ${n.phone(c.rng)}
이메일: ${emailOf(c.rng, c.p)}
결제카드: ${n.trap('credit_card', maskedCard(c), 'any')}
환불계좌: ${c.bank.name} ${n.account(c.rng, c.bank)} (예금주 ${c.p.name})

영업일 기준 3일 이내 처리 부탁드립니다.`;

const vehicle: Mail = (c) => doc`${label(c)}법인차량 대여 신청서

신청자: ${c.p.name} (${c.team}, ${empId(c)})
운전면허번호: ${n.licence(c.rng, c.rng.pick(['dashed', 'old', 'bare', 'spaced']))}
연락처: ${n.phone(c.rng, 'mobile')}
결제 카드: ${n.card(c.rng, c.rng.pick(['domestic', 'visa', 'jcb']))}
대여 기간: ${dateRange(c.rng, 2027)}

--
${signature(c)}`;

const foreignOnboardingEn: Mail = (c) => doc`Subject: ${label(c, true)}Onboarding details - ${c.f.english}

Hi ${c.me.english},

Please find my details for the onboarding below.

Name: ${c.f.english}
ARC: ${n.frn(c.rng, c.rng.pick(['check', 'recent', 'keyed']))}
Mobile: ${n.phone(c.rng, c.rng.pick(['mobile', 'intl-mobile']))}
Email: ${emailOf(c.rng, c.f)}
Bank: ${c.bank.english}, account no. ${n.account(c.rng, c.bank)}
Health insurance no. ${n.health(c.rng, 'dashed')}

Best regards,
${c.f.english}`;

const travelEn: Mail = (c) => doc`${label(c, true)}Flight booking for ${c.p.english}

Hi team,
Please book the Seoul - Frankfurt flight for our engineer.

Passport No.: ${n.passport(c.rng, c.rng.chance(0.5) ? 'new' : 'old')}
Phone: ${n.phone(c.rng, 'intl-mobile')}
Card: ${n.card(c.rng, c.rng.pick(['visa', 'mastercard', 'amex', 'discover']))}
Reply to: ${emailOf(c.rng, c.me)}

Thanks,
${c.me.english}`;

const vendorEn: Mail = (c) => doc`Dear ${c.me.english},

Please register us as a vendor with the following details.

Company: ${c.coEn}
Business registration number: ${n.brn(c.rng, c.rng.pick(['dashed', 'bare']))}
Corporate registration number: ${n.corporate(c.rng, c.rng.pick(['dashed', 'bare']))}
Bank account: ${c.bank.english} ${n.account(c.rng, c.bank)}
Contract: ${contractNo(c)}
Contact: ${roleEmail(c.rng)}, ${n.phone(c.rng, c.rng.pick(['intl-seoul', 'seoul', 'area']))}

Kind regards,
${c.p.english}`;

/** A reply on top of a quoted mail: the personal data sits in the `> ` lines. */
const quotedReply: Mail = (c) => doc`네, 확인했습니다. 아래 정보로 발권 진행하겠습니다.

> 보낸 사람: ${c.p.name} <${emailOf(c.rng, c.p)}>
> 안녕하세요, 출장자 정보 회신드립니다.
> 여권번호: ${n.passport(c.rng, c.rng.chance(0.5) ? 'new' : 'old')}
> 연락처: ${n.phone(c.rng, 'mobile')}
> 주민번호: ${n.rrn(c.rng, c.rng.pick(['check', 'keyed']))}`;

/** API payloads pasted into a mail to a vendor's support desk. */
const apiPayload: Mail = (c) => c.rng.pick([
  () => doc`API 응답 로그 공유드립니다.
{"id":${c.rng.int(1000, 9999)},"name":"${c.p.name}","rrn":"${
    n.rrn(c.rng, c.rng.pick(['check', 'recent', 'keyed']), c.rng.pick(['-', '']))
  }","phone":"${n.phone(c.rng, c.rng.pick(['mobile', 'mobile-bare']))}","email":"${emailOf(c.rng, c.p)}"}`,
  () => doc`Request body that failed:
{"customer":{"name":"${c.p.english}","passport":"${n.passport(c.rng, c.rng.chance(0.5) ? 'new' : 'old')}","card":"${
    n.card(c.rng, c.rng.pick(['visa', 'mastercard', 'domestic']), '')
  }"}}`,
  () => doc`정산 API 요청값입니다.
{"employee":"${empId(c)}","account":"${n.account(c.rng, c.bank, c.rng.pick(['-', '']))}","bank":"${
    c.bank.name
  }","contract":"${contractNo(c)}"}`,
])();

function maskedCard(c: Ctx): string {
  const d = n.cardDigits(c.rng, c.rng.pick(['visa', 'mastercard', 'domestic']));
  return c.rng.pick([
    `${d.slice(0, 4)}-${d.slice(4, 6)}**-****-${d.slice(12)}`,
    `${d.slice(0, 4)}-${d.slice(4, 8)}-****-${d.slice(12)}`,
    `${d.slice(0, 4)}-****-****-${d.slice(12)}`,
  ]);
}

const MAILS: ReadonlyArray<readonly [string, string, Mail, number]> = [
  ['hr-onboarding', 'sentence-ko', hrOnboarding, 14],
  ['payment-request', 'sentence-ko', paymentRequest, 14],
  ['travel-booking', 'sentence-ko', travelBooking, 12],
  ['dependants', 'sentence-ko', dependants, 10],
  ['refund', 'sentence-ko', refund, 8],
  ['vehicle', 'sentence-ko', vehicle, 10],
  ['onboarding-en', 'sentence-en', foreignOnboardingEn, 10],
  ['travel-en', 'sentence-en', travelEn, 8],
  ['vendor-en', 'sentence-en', vendorEn, 10],
  ['quoted-reply', 'sentence-ko', quotedReply, 6],
  ['api-payload', 'json', apiPayload, 9],
];

// ---------------------------------------------------------------------------------------------
// Lists and rosters

type TableMaker = (c: Ctx, rows: number) => Table;

const rows = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

const customers: TableMaker = (c, count) => ({
  headers: ['고객번호', '고객명', '연락처', '이메일', '환불계좌', '은행'],
  rows: rows(count, () => {
    const p = koreanPerson(c.rng);
    const bank = c.rng.pick(n.BANKS);
    return [
      `C${c.rng.digits(5)}`, p.name, n.phone(c.rng, 'mobile'), emailOf(c.rng, p),
      n.account(c.rng, bank, '-'), bank.name,
    ];
  }),
});

const staff: TableMaker = (c, count) => ({
  headers: ['사번', '성명', '주민등록번호', '휴대폰', '입사일'],
  rows: rows(count, () => [
    empId(c), koreanPerson(c.rng).name,
    n.rrn(c.rng, c.rng.pick(['check', 'check', 'keyed']), '-'),
    n.phone(c.rng, 'mobile'), isoDate(c.rng, 2015, 2026),
  ]),
});

const travellers: TableMaker = (c, count) => ({
  headers: ['성명', '영문성명', '여권번호', '여권만료일', '연락처'],
  rows: rows(count, () => {
    const p = koreanPerson(c.rng);
    return [
      p.name, p.english, n.passport(c.rng, c.rng.chance(0.5) ? 'new' : 'old'),
      isoDate(c.rng, 2028, 2035), n.phone(c.rng, 'mobile'),
    ];
  }),
});

const drivers: TableMaker = (c, count) => ({
  headers: ['이름', '부서', '운전면허번호', '연락처'],
  rows: rows(count, () => [
    koreanPerson(c.rng).name, c.rng.pick(['영업1팀', '물류팀', '총무팀', '현장관리']),
    n.licence(c.rng, c.rng.pick(['dashed', 'bare', 'old'])), n.phone(c.rng, c.rng.pick(['mobile', 'legacy'])),
  ]),
});

const vendors: TableMaker = (c, count) => ({
  headers: ['거래처명', '사업자등록번호', '법인등록번호', '대표전화', '담당자 이메일'],
  rows: rows(count, () => [
    c.rng.pick(['한빛상사', '누리물류', '다온테크', '새솔식품', '가람전기', '온빛인쇄']),
    n.brn(c.rng, c.rng.pick(['dashed', 'bare'])), n.corporate(c.rng, c.rng.pick(['dashed', 'bare'])),
    c.rng.chance(0.3) ? n.trap('phone', n.representativeNumber(c.rng)) : desk(c),
    roleEmail(c.rng),
  ]),
});

const dependantList: TableMaker = (c, count) => ({
  headers: ['직원명', '건강보험증번호', '피부양자', '관계'],
  rows: rows(count, () => [
    koreanPerson(c.rng).name, n.health(c.rng, c.rng.pick(['dashed', 'bare'])), koreanPerson(c.rng).name,
    c.rng.pick(['배우자', '자녀', '부', '모']),
  ]),
});

const foreignStaff: TableMaker = (c, count) => ({
  headers: ['성명', '국적', '외국인등록번호', '휴대폰', '이메일'],
  rows: rows(count, () => {
    const person = foreignPerson(c.rng);
    return [
      person.name, c.rng.pick(['미국', '베트남', '필리핀', '중국', '파키스탄']),
      n.frn(c.rng, c.rng.pick(['check', 'recent', 'keyed']), '-'), n.phone(c.rng, 'mobile'), emailOf(c.rng, person),
    ];
  }),
});

const cardPayments: TableMaker = (c, count) => ({
  headers: ['승인일', '가맹점', '카드번호', '금액'],
  rows: rows(count, () => [
    isoDate(c.rng, 2026, 2026), c.rng.pick(['대한항공', '롯데호텔', '쿠팡', '교보문고', '스타벅스']),
    c.rng.chance(0.25)
      ? n.trap('credit_card', maskedCard(c), 'any')
      : n.card(c.rng, c.rng.pick(['visa', 'mastercard', 'domestic', 'jcb']), c.rng.pick(['-', ' ', ''])),
    `${c.rng.int(5, 900)}000`,
  ]),
});

/** Rosters whose values stand alone: fit for space-aligned and HTML tables. */
const contactSheet: TableMaker = (c, count) => ({
  headers: ['번호', '성명', '휴대폰', '이메일'],
  rows: rows(count, (i) => {
    const p = koreanPerson(c.rng);
    const phone = n.phone(c.rng, c.rng.pick(['mobile', 'mobile', 'legacy', 'seoul']));
    return [String(i + 1), p.name, phone, emailOf(c.rng, p)];
  }),
});

const validatedIds: TableMaker = (c, count) => ({
  headers: ['No', '성명', '식별번호', '비고'],
  rows: rows(count, (i) => [
    String(i + 1), koreanPerson(c.rng).name,
    c.rng.chance(0.5)
      ? n.rrn(c.rng, c.rng.pick(['check', 'recent']), '-')
      : n.card(c.rng, c.rng.pick(['visa', 'domestic']), '-'),
    c.rng.pick(['확인', '보류', '재요청', '-']),
  ]),
});

const licencesAndBrns: TableMaker = (c, count) => ({
  headers: ['No', '업체', '번호', '담당'],
  rows: rows(count, (i) => [
    String(i + 1), c.rng.pick(['한빛상사', '누리물류', '다온테크', '새솔식품']),
    c.rng.chance(0.5) ? n.licence(c.rng, c.rng.pick(['dashed', 'old'])) : n.brn(c.rng, 'dashed'),
    koreanPerson(c.rng).name,
  ]),
});

const WITH_HEADERS: ReadonlyArray<readonly [string, TableMaker]> = [
  ['customers', customers], ['staff', staff], ['travellers', travellers], ['drivers', drivers],
  ['vendors', vendors], ['dependants', dependantList], ['foreign-staff', foreignStaff],
  ['card-payments', cardPayments],
];

const STANDALONE: ReadonlyArray<readonly [string, TableMaker]> = [
  ['contacts', contactSheet], ['ids', validatedIds], ['licences-brns', licencesAndBrns],
];

const intro = (c: Ctx): string => c.rng.pick([
  '요청하신 명단 아래와 같이 공유드립니다.\n\n',
  '엑셀에서 복사해 붙입니다. 확인 부탁드립니다.\n\n',
  '',
  '첨부 대신 본문에 붙여드립니다.\n',
]);

export function documentCases(): CaseDraft[] {
  const out: CaseDraft[] = [];
  const add = (slug: string, category: string, draft: Draft): void => {
    out.push({ aim: 'mail', slug, category, draft });
  };
  for (const [slug, category, mail, count] of MAILS) {
    const rng = Rng.for(`mail/${slug}`);
    for (let i = 0; i < count; i++) add(slug, category, mail(castFor(rng)));
  }
  for (const [slug, make] of WITH_HEADERS) {
    const rng = Rng.for(`table/${slug}`);
    for (let i = 0; i < 3; i++) {
      const c = castFor(rng);
      add(`${slug}-csv`, 'csv', doc`${intro(c)}${csv(make(c, rng.int(3, 6)), i === 2)}`);
    }
    for (let i = 0; i < 2; i++) {
      const c = castFor(rng);
      add(`${slug}-pipe`, 'table', doc`${intro(c)}${pipe(numbered(make(c, rng.int(2, 5))))}`);
    }
    const c = castFor(rng);
    add(`${slug}-tsv`, 'table', doc`${intro(c)}${tsv(make(c, rng.int(3, 5)))}`);
  }
  for (const [slug, make] of STANDALONE) {
    const rng = Rng.for(`table/${slug}`);
    for (let i = 0; i < 4; i++) {
      const c = castFor(rng);
      add(`${slug}-aligned`, 'table', doc`${intro(c)}${aligned(make(c, rng.int(3, 6)))}`);
    }
    for (let i = 0; i < 4; i++) {
      const c = castFor(rng);
      add(`${slug}-html`, 'html', doc`<p>${intro(c).trim()}</p>\n${htmlTable(make(c, rng.int(2, 5)))}`);
    }
  }
  return out;
}

/** A `No` column of 1-digit row numbers in front (a trap: the digit must not join the value). */
function numbered(table: Table): Table {
  return { headers: ['No', ...table.headers], rows: table.rows.map((r, i) => [String(i + 1), ...r]) };
}

