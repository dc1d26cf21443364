/**
 * One family per personal-data type: how to draw a value and the sentences people put it in.
 *
 * A template is marked keyed when its wording carries one of the type's keywords close to the
 * value; a family only draws keyword-dependent values (a bare licence number, an RRN whose
 * check digit fails) for keyed templates, and the self-check verifies the keyword really is
 * there. Sentences are the kind found in Korean office mail (인사팀 onboarding, 경리팀 payment
 * requests, travel bookings) and in English mail from foreign staff.
 */
import type { PiiType } from '../../detectors/types.js';
import type { Draft, Value } from './builder.js';
import { doc } from './builder.js';
import type { Ctx } from './context.js';
import { isoDate } from './context.js';
import type { Network, RegistrationKind } from './numbers.js';
import * as n from './numbers.js';
import { emailOf, roleEmail } from './people.js';
import type { Rng } from './rng.js';

export type Render = (v: Value, c: Ctx) => Draft;

export interface Template {
  readonly keyed: boolean;
  readonly render: Render;
}

const K = (render: Render): Template => ({ keyed: true, render });
const N = (render: Render): Template => ({ keyed: false, render });

export interface Family {
  readonly type: PiiType;
  /** A value for a template with (`keyed`) or without its keyword; `plainSep` forces `-` groups. */
  draw(c: Ctx, keyed: boolean, plainSep?: boolean): Value;
  readonly ko: readonly Template[];
  readonly en: readonly Template[];
  /** Words that end right before the value in running text: `주민번호는`, `my RRN is`. */
  phrase(c: Ctx): { readonly ko: string; readonly en: string };
  /** A table or form label for the value's cell: `주민등록번호`. */
  readonly label: string;
  /** Whether the value is digits that can be spaced out, wrapped or broken by U+200B. */
  readonly digitForms: boolean;
}

function registrationKind(rng: Rng, keyed: boolean): RegistrationKind {
  if (!keyed) return rng.chance(0.75) ? 'check' : 'recent';
  return rng.pick(['check', 'check', 'recent', 'keyed', 'keyed']);
}

const rrnFamily: Family = {
  type: 'rrn',
  draw: (c, keyed, plain) => n.rrn(c.rng, registrationKind(c.rng, keyed), plain ? '-' : undefined),
  ko: [
    K((v, c) => doc`안녕하세요, ${c.team} ${c.me.name}입니다.\n신규 입사자 ${c.p.name}님의 주민등록번호는 ${v}입니다. 4대보험 취득 신고에 사용해 주세요.`),
    K((v, c) => doc`연말정산 부양가족 추가 요청드립니다. 자녀 ${c.p.name}, 주민번호 ${v}, 관계: 자녀`),
    N((v, c) => doc`${c.p.name} 과장님, 요청하신 인적사항 보내드립니다: ${v} (본인 확인용)`),
    K((v, c) => doc`[${c.team}] 퇴직자 ${c.p.name} 원천징수영수증 재발급 요청 - 주민 번호: ${v}`),
    N((v, c) => doc`계약서 인적사항 란에 ${c.p.name} / ${v} 로 기재 부탁드립니다.`),
    K((v) => doc`단체보험 가입을 위해 가입자 주민등록번호(${v})를 회신드립니다.`),
    N((v) => doc`생년월일만으로는 조회가 안 된다고 해서 전체 번호 적어드려요. ${v}`),
    K((v, c) => doc`주민등록번호: ${v}\n주소: 서울특별시 마포구 월드컵북로${c.rng.int(2, 9)}길 ${c.rng.int(1, 40)}`),
    K((v) => doc`본인 확인 절차상 주민번호 뒷자리까지 필요합니다. 제 번호는 ${v}이고요, 확인 후 삭제 부탁드립니다.`),
    N((v, c) => doc`가족관계증명서 발급 대상: 배우자 ${c.p.name} ${v}`),
    K((v, c) => doc`RRN: ${v} (${c.p.name})`),
    K((v) => doc`주민번호:${v}이고 나머지 서류는 우편으로 보냅니다.`),
  ],
  en: [
    K((v, c) => doc`Hi, for the payroll registration please use my RRN ${v}. Thanks, ${c.p.english}`),
    K((v) => doc`Resident registration number: ${v}`),
    K((v) => doc`The hotel asked for the guest's jumin number, which is ${v}.`),
    N((v) => doc`Attached is the signed consent form. ID on file: ${v}.`),
    K((v, c) => doc`Could you double-check the RRN (${v}) we filed for ${c.p.english}?`),
    N((v, c) => doc`Please update the insurance record for ${c.p.english} to ${v} before Friday.`),
  ],
  phrase: () => ({ ko: '주민번호는', en: 'my RRN is' }),
  label: '주민등록번호',
  digitForms: true,
};

const frnFamily: Family = {
  type: 'foreigner_rrn',
  draw: (c, keyed, plain) => n.frn(c.rng, registrationKind(c.rng, keyed), plain ? '-' : undefined),
  ko: [
    K((v, c) => doc`외국인 직원 ${c.f.name} 님의 외국인등록번호는 ${v}입니다.`),
    K((v) => doc`외국인등록증 사본과 번호(${v}) 함께 보내드립니다.`),
    K((v) => doc`비자 연장 서류 중 외국인번호 ${v} 확인 부탁드립니다.`),
    N((v, c) => doc`${c.f.name} 님 신분 확인 완료했습니다: ${v}`),
    K((v, c) => doc`외국인 등록번호: ${v} / 국적: ${c.country}`),
    K((v) => doc`급여 신고서 주민번호 란(외국인은 등록번호)에 ${v} 기재했습니다.`),
    N((v, c) => doc`${c.f.name} 씨 체류 서류 확인했습니다. 번호는 ${v} 입니다.`),
    K((v) => doc`외국인등록번호는${v}입니다.`),
  ],
  en: [
    K((v) => doc`My ARC number is ${v}, valid until next March.`),
    K((v) => doc`Alien registration no.: ${v}`),
    K((v) => doc`Foreigner registration number ${v} (issued at the Seoul immigration office)`),
    N((v) => doc`Please update my record to ${v}, the new card arrived yesterday.`),
    K((v, c) => doc`FRN: ${v} / ${c.f.english}`),
  ],
  phrase: () => ({ ko: '외국인등록번호는', en: 'my ARC number is' }),
  label: '외국인등록번호',
  digitForms: true,
};

const licenceFamily: Family = {
  type: 'driver_license',
  draw: (c, keyed, plain) => {
    if (plain) return n.licence(c.rng, c.rng.pick(['dashed', 'old']), '-');
    const forms: n.LicenceForm[] = ['dashed', 'dashed', 'spaced', 'old'];
    // A bare 12-digit licence number is reported only next to its keyword.
    return n.licence(c.rng, c.rng.pick(keyed ? [...forms, 'bare', 'bare'] : forms));
  },
  ko: [
    K((v) => doc`렌터카 예약 시 운전면허번호 ${v} 로 등록해 주세요.`),
    N((v, c) => doc`차량 배차 신청: 운전자 ${c.p.name}, ${v}, 1종 보통`),
    K((v) => doc`운전면허증 사본 대신 번호만 보내드립니다: ${v}`),
    K((v) => doc`면허번호 ${v}, 적성검사는 내년까지입니다.`),
    N((v, c) => doc`법인차량 운행일지 운전자 정보 - ${c.p.name} (${v})`),
    K((v) => doc`운전면허 번호가 ${v} 맞는지 확인 부탁드려요.`),
    K((v) => doc`면허번호:${v}(1종 보통)`),
    K((v) => doc`운전면허번호는 작년에 갱신하면서 그대로 유지됐어요. 번호는 ${v}입니다.`),
  ],
  en: [
    K((v) => doc`Driver's license: ${v}`),
    K((v) => doc`My driving licence number is ${v}.`),
    N((v, c) => doc`Driver on duty: ${c.p.english}, ${v} (class 2)`),
    K((v) => doc`DL no ${v}, issued in Korea`),
  ],
  phrase: () => ({ ko: '운전면허번호는', en: "my driver's license is" }),
  label: '운전면허번호',
  digitForms: true,
};

const passportFamily: Family = {
  type: 'passport',
  draw: (c) => n.passport(c.rng, c.rng.chance(0.45) ? 'new' : 'old'),
  ko: [
    K((v, c) => doc`출장자 ${c.p.name} 여권번호 ${v}, 만료일 ${isoDate(c.rng, 2028, 2035)}입니다.`),
    K((v, c) => doc`항공권 발권용 여권 정보 보내드립니다: ${v} / 영문명 ${c.p.english}`),
    K((v) => doc`비자 신청서에 여권번호(${v}) 기재했습니다.`),
    K((v) => doc`여권 번호는 ${v}이고 사본은 첨부했습니다.`),
    K((v) => doc`호텔 체크인 때 여권 ${v} 제시하시면 됩니다.`),
    K((v, c) => doc`${c.p.name} 님 여권 재발급으로 여권번호가 바뀌었습니다. 새 번호 ${v}`),
    K((v) => doc`여권번호:${v}이며 만료일은 확인 중입니다.`),
    K((v) => doc`여권번호는 지난주 재발급 받아서 바뀌었습니다. 새로 받은 번호는 ${v}이고요.`),
    K((v, c) => doc`${v} (${c.p.name} 여권번호, 만료 전)`),
  ],
  en: [
    K((v, c) => doc`Passport No. ${v}, expiry ${isoDate(c.rng, 2028, 2035)}.`),
    K((v) => doc`Please book the flight under passport ${v}.`),
    K((v) => doc`Passport number: ${v} (Republic of Korea)`),
    K((v, c) => doc`${c.p.english} travels on passport ${v}; the visa letter needs it.`),
  ],
  phrase: () => ({ ko: '여권번호는', en: 'my passport no. is' }),
  label: '여권번호',
  digitForms: false,
};

const CARD_MIX: readonly Network[] = [
  'visa', 'visa', 'mastercard', 'mastercard2', 'amex', 'diners', 'diners300', 'jcb', 'unionpay',
  'discover', 'domestic', 'domestic', 'domestic', 'visa13', 'visa19', 'unionpay19',
];

const cardFamily: Family = {
  type: 'credit_card',
  draw: (c, _keyed, plain) => {
    if (plain) return n.card(c.rng, c.rng.pick(['visa', 'mastercard', 'domestic', 'jcb', 'amex']), '-');
    return n.card(c.rng, c.rng.pick(CARD_MIX));
  },
  ko: [
    K((v) => doc`법인카드 번호 ${v} 로 결제 부탁드립니다.`),
    N((v, c) => doc`결제 정보: ${v} (유효기간 ${String(c.rng.int(1, 12)).padStart(2, '0')}/${c.rng.int(27, 31)})`),
    K((v) => doc`카드번호: ${v}\n할부: 일시불`),
    N((v) => doc`호텔 보증용으로 ${v} 남겨드립니다.`),
    K((v) => doc`신용카드 ${v} 로 정기결제 등록했습니다.`),
    K((v) => doc`체크카드 번호 ${v}, CVC는 전화로 알려드릴게요.`),
    N((v) => doc`지난번 결제는${v}으로 했습니다.`),
  ],
  en: [
    K((v) => doc`Card number: ${v}`),
    N((v) => doc`Please charge the deposit to ${v}.`),
    K((v, c) => doc`Corporate card ${v} expires ${String(c.rng.int(1, 12)).padStart(2, '0')}/${c.rng.int(27, 31)}.`),
    N((v) => doc`Use ${v} for the conference fee, please.`),
  ],
  phrase: () => ({ ko: '카드번호는', en: 'the card number is' }),
  label: '카드번호',
  digitForms: true,
};

const bankFamily: Family = {
  type: 'bank_account',
  draw: (c, _keyed, plain) => n.account(c.rng, c.bank, plain ? '-' : undefined),
  ko: [
    K((v, c) => doc`${c.bank.name} ${v} (예금주 ${c.p.name})로 입금 부탁드립니다.`),
    K((v, c) => doc`환불계좌: ${c.bank.name} ${v}`),
    K((v, c) => doc`급여 이체 계좌를 ${c.bank.name} ${v}로 변경 요청드립니다.`),
    K((v, c) => doc`거래 대금은 아래 계좌로 송금해 주세요.\n${c.bank.name} ${v} / 예금주 ${c.co}`),
    K((v, c) => doc`가상계좌 ${v} (${c.bank.name}) 로 이번 달 말일까지 입금 바랍니다.`),
    K((v) => doc`통장 사본 대신 계좌번호 적어드립니다: ${v}`),
    K((v, c) => doc`입금계좌 ${c.bank.name} ${v}`),
    K((v, c) => doc`${c.bank.name}${v}으로 보내주세요.`),
    K((v) => doc`급여 이체 계좌 변경 건입니다. 기존 것은 해지했고, 새로 만든 건 ${v} 입니다.`),
  ],
  en: [
    K((v, c) => doc`Bank account: ${c.bank.english} ${v}`),
    K((v, c) => doc`Please wire the refund to account no. ${v} at ${c.bank.english}.`),
    K((v, c) => doc`A/C ${v} (${c.bank.english}), holder ${c.p.english}`),
    K((v) => doc`My bank account for the salary is ${v}.`),
  ],
  phrase: (c) => ({ ko: `입금 계좌는 ${c.bank.name}`, en: `the bank account is ${c.bank.english}` }),
  label: '계좌번호',
  digitForms: true,
};

const phoneFamily: Family = {
  type: 'phone',
  draw: (c, _keyed, plain) => n.phone(c.rng, plain ? c.rng.pick(['mobile', 'seoul', 'area', 'voip']) : undefined),
  ko: [
    N((v) => doc`급한 건은 ${v} 로 연락 주세요.`),
    K((v) => doc`연락처: ${v}`),
    K((v, c) => doc`휴대폰 ${v} / 사무실 ${n.phone(c.rng, c.rng.pick(['seoul', 'area', 'voip']))}`),
    N((v, c) => doc`${c.p.name} 대리(${v})에게 전달 부탁드립니다.`),
    K((v) => doc`팩스 ${v} 로 서류 보내드렸습니다.`),
    N((v, c) => doc`문의: ${c.team} ${v} (평일 09:00~18:00)`),
    N((v, c) => doc`${c.p.name}님 번호는${v}입니다.`),
  ],
  en: [
    N((v) => doc`You can reach me at ${v} anytime.`),
    K((v) => doc`Mobile: ${v}`),
    K((v, c) => doc`Tel ${v}, ext. ${c.rng.int(100, 499)}`),
    N((v, c) => doc`Call ${c.p.english} on ${v} if the courier is late.`),
  ],
  phrase: () => ({ ko: '연락처는', en: 'my mobile number is' }),
  label: '연락처',
  digitForms: true,
};

const emailFamily: Family = {
  type: 'email',
  draw: (c) => (c.rng.chance(0.75) ? emailOf(c.rng, c.p) : roleEmail(c.rng)),
  ko: [
    N((v) => doc`회신은 ${v}로 부탁드립니다.`),
    N((v) => doc`담당자 이메일: ${v}`),
    N((v, c) => doc`${c.p.name} 님(${v})께서 참조로 들어가 있습니다.`),
    N((v) => doc`견적서는 ${v} 으로 보내주세요.`),
    N((v, c) => doc`보낸 사람: ${c.p.name} <${v}>`),
    N((v) => doc`${v}에게 전달했습니다.`),
    N((v) => doc`메일은${v}으로 주세요.`),
    N((v, c) => doc`받는 사람: ${v}; ${roleEmail(c.rng)}`),
  ],
  en: [
    N((v) => doc`Please reply to ${v}.`),
    N((v, c) => doc`Contact: ${c.p.english} <${v}>`),
    N((v) => doc`I've cc'd ${v} on this thread.`),
    N((v) => doc`From: ${v}\nSent: Monday`),
  ],
  phrase: () => ({ ko: '메일 주소는', en: 'my address is' }),
  label: '이메일',
  digitForms: false,
};

const brnFamily: Family = {
  type: 'business_reg',
  draw: (c, keyed, plain) => {
    if (plain) return n.brn(c.rng, 'dashed', '-');
    return n.brn(c.rng, keyed && c.rng.chance(0.35) ? 'bare' : 'dashed');
  },
  ko: [
    N((v, c) => doc`세금계산서 발행 정보: ${c.co}, ${v}, 대표 ${c.p.name}`),
    K((v) => doc`사업자등록번호 ${v} 로 거래처 등록 요청드립니다.`),
    K((v) => doc`사업자번호: ${v}`),
    N((v, c) => doc`공급받는자 ${c.co} (${v})`),
    K((v) => doc`사업자 등록번호는 ${v}입니다.`),
    K((v, c) => doc`사업자번호:${v}/대표자 ${c.p.name}`),
    K((v) => doc`${v} (사업자등록번호)`),
  ],
  en: [
    K((v) => doc`Business registration number: ${v}`),
    K((v) => doc`Our BRN is ${v}.`),
    N((v, c) => doc`Invoice to ${c.coEn}, ${v}`),
  ],
  phrase: () => ({ ko: '사업자등록번호는', en: 'our business registration number is' }),
  label: '사업자등록번호',
  digitForms: true,
};

const corporateFamily: Family = {
  type: 'corporate_reg',
  draw: (c, _keyed, plain) => n.corporate(c.rng, !plain && c.rng.chance(0.3) ? 'bare' : 'dashed'),
  ko: [
    K((v) => doc`법인등록번호 ${v} / 사업자등록번호는 따로 보내드리겠습니다.`),
    K((v) => doc`등기부등본상 등기번호: ${v}`),
    K((v, c) => doc`법인번호 ${v}, 설립일 ${isoDate(c.rng, 1995, 2020)}`),
    K((v) => doc`계약 당사자 법인등록번호(${v}) 확인 부탁드립니다.`),
    K((v) => doc`법인등록번호:${v}입니다.`),
    K((v) => doc`${v}(법인등록번호)로 등기부 조회 가능합니다.`),
  ],
  en: [
    K((v) => doc`Corporate registration number: ${v}`),
    K((v) => doc`Please fill in the corporate registration number (${v}) on page 2.`),
  ],
  phrase: () => ({ ko: '법인등록번호는', en: 'the corporate registration number is' }),
  label: '법인등록번호',
  digitForms: true,
};

const healthFamily: Family = {
  type: 'health_insurance',
  draw: (c, _keyed, plain) => n.health(c.rng, plain || c.rng.chance(0.5) ? 'dashed' : 'bare'),
  ko: [
    K((v) => doc`건강보험증번호 ${v} 로 피부양자 등록 부탁드립니다.`),
    K((v) => doc`피보험자번호: ${v}`),
    K((v) => doc`보험증번호 ${v} (직장가입자)`),
    K((v) => doc`건강보험 번호는 ${v}입니다.`),
    K((v) => doc`건강보험증번호:${v}입니다.`),
    K((v) => doc`건강보험증번호 문의 주셔서 회신드려요. 회사 서류에 적힌 번호는 ${v}입니다.`),
  ],
  en: [
    K((v) => doc`Health insurance no. ${v}`),
    K((v) => doc`My health insurance no. is ${v}; the dependant form is attached.`),
  ],
  phrase: () => ({ ko: '건강보험증번호는', en: 'my health insurance no. is' }),
  label: '건강보험증번호',
  digitForms: true,
};

export const FAMILIES: readonly Family[] = [
  rrnFamily, frnFamily, licenceFamily, passportFamily, cardFamily, bankFamily, phoneFamily,
  emailFamily, brnFamily, corporateFamily, healthFamily,
];

