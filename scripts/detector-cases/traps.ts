/**
 * Traps: text that a naive regex detector reports and a correct one does not (issue 3, "traps").
 *
 * Each trap is aimed at one type: dates, order and tax-invoice numbers, barcodes, epoch
 * milliseconds and commit ids against the RRN; parcel numbers against the licence and the
 * account; part numbers against the passport; Luhn failures and masked receipts against the
 * card; representative numbers and version strings against the phone; asset names and package
 * specs against the e-mail; and so on. The trap value is registered as a decoy, so the
 * self-check proves no keyword nearby could promote it. A few "context" traps expect a finding
 * of the right type next to another type's keyword (a phone after 주민번호).
 */
import type { PiiType } from '../../detectors/types.js';
import type { CaseDraft, Draft, Slot } from './builder.js';
import { doc } from './builder.js';
import { birthDateOf, isCardNumber, standaloneTypeOf } from './checks.js';
import { castFor, isoDate } from './context.js';
import * as n from './numbers.js';
import { Rng } from './rng.js';

type Aim = PiiType | 'keyword' | 'pattern';

class TrapSet {
  readonly out: CaseDraft[] = [];
  constructor(readonly aim: Aim, readonly rng: Rng) {}

  add(slug: string, draft: Draft, category = `trap-${slug}`): void {
    this.out.push({ aim: this.aim, slug, category, draft });
  }

  /** A decoy aimed at this set's type (keyword and pattern decoys aim at nothing). */
  d(text: string, allow: 'any' | readonly PiiType[] = []): Slot {
    const aim = this.aim === 'keyword' || this.aim === 'pattern' ? 'none' : this.aim;
    return n.trap(aim, text, allow);
  }
}

const pad2 = (x: number): string => String(x).padStart(2, '0');

/** RRN and FRN keywords share words (주민번호 is context for both). */
const REGISTRATION: readonly PiiType[] = ['rrn', 'foreigner_rrn'];
const yyyymmdd = (rng: Rng, from = 2023, to = 2026): string => isoDate(rng, from, to).replace(/-/g, '');

function ean13(rng: Rng): string {
  for (;;) {
    const body = '880' + rng.digits(9);
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
    const code = body + String((10 - (sum % 10)) % 10);
    if (standaloneTypeOf(code) === null) return code;
  }
}

function epochMillis(rng: Rng): string {
  for (;;) {
    const ms = String(1_704_067_200_000 + rng.int(0, 94_694_400) * 1000 + rng.int(0, 999));
    if (standaloneTypeOf(ms) === null && birthDateOf(ms) === null) return ms;
  }
}

const HEX = '0123456789abcdef';
function hexWithRun(rng: Rng, run: string): string {
  const hex = (k: number): string => Array.from({ length: k }, () => rng.pick([...HEX])).join('');
  const letter = (): string => rng.pick([...'abcdef']);
  const head = hex(rng.int(4, 12)) + letter();
  return (head + run + letter() + hex(40)).slice(0, 40);
}

function digitsOnly(v: { text: string }): string {
  return v.text.replace(/[^0-9]/g, '');
}

/** `head + run + tail` with fresh tails until the whole run is no card number either. */
function longRun(rng: Rng, head: string, run: string, tailLength: number): string {
  for (;;) {
    const whole = head + run + rng.digits(tailLength);
    if (!isCardNumber(whole) && standaloneTypeOf(whole) === null) return whole;
  }
}

function rrnTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('rrn', rng);
  const validRrn = (): string => digitsOnly(n.rrn(rng, 'check', ''));
  const ymd6 = (): string => yyyymmdd(rng, 2021, 2025).slice(2);
  const [from, to] = [isoDate(rng, 2026, 2027), isoDate(rng, 2026, 2027)];
  t.add('date', doc`회의 일정이 ${t.d(from)} 오후 2시 30분에서 ${t.d(to)} 10:00로 변경되었습니다.`);
  t.add('date', doc`연간 유지보수 계약 기간: ${t.d(`${ymd6()}-${ymd6()}`)} (자동 연장)`);
  t.add('date', doc`납기일 ${t.d(yyyymmdd(rng))}, 검수 완료일 ${t.d(yyyymmdd(rng))} 기준으로 정산합니다.`);
  t.add('date', doc`Invoice period ${t.d(`${ymd6()}-${ymd6()}`)}, due ${t.d(isoDate(rng, 2026, 2027))}.`);
  for (let i = 0; i < 3; i++) {
    const day = yyyymmdd(rng, 2021, 2025);
    const tail = rng.pick(['3', '4']) + rng.digits(6);
    t.add('order', doc`주문번호 ${t.d(`${day}-${tail}`)} 건 배송 조회 부탁드립니다.`);
  }
  for (let i = 0; i < 2; i++) {
    const approval = `${yyyymmdd(rng)}-${rng.pick(['41', '42', '43'])}${rng.digits(6)}-${rng.digits(8)}`;
    t.add('order', doc`전자세금계산서 승인번호: ${t.d(approval)}`);
  }
  for (let i = 0; i < 3; i++) {
    t.add('barcode', doc`상품 바코드 ${t.d(ean13(rng))} 재고 ${rng.int(2, 40)}개 확인 부탁드립니다.`);
  }
  t.add('long-id', doc`결제 고유번호 ${t.d(longRun(rng, rng.pick(['7', '8']), validRrn(), 0))} 로 조회됩니다.`);
  t.add('long-id', doc`Transaction ref ${t.d(longRun(rng, '', validRrn(), 3))} was settled.`);
  t.add('long-id', doc`접수번호 ${t.d(`${rng.int(2023, 2026)}-${n.rrn(rng, 'check', '-').text}`)} 처리 완료`);
  const oneTooMany = validRrn().replace(/^(\d{6})/, '$1-') + rng.digits(1);
  t.add('long-id', doc`주민번호 ${t.d(oneTooMany, REGISTRATION)} 로 적혀 있는데 한 자리가 더 많습니다.`);
  t.add('long-id', doc`주민등록번호: ${t.d(rng.digits(1) + validRrn(), REGISTRATION)} (14자리, 오기재)`);
  t.add('touching', doc`시스템 사용자 ID KR${t.d(validRrn())} 로 로그인했습니다.`, 'trap-long-id');
  t.add('touching', doc`Voucher ${t.d(validRrn() + rng.pick(['A', 'B', 'K']))} is valid until June.`, 'trap-long-id');
  t.add('hex', doc`배포 커밋 ${t.d(hexWithRun(rng, validRrn()))} 기준으로 롤백했습니다.`);
  t.add('hex', doc`Fixed in commit ${t.d(hexWithRun(rng, validRrn()))}.`);
  t.add('epoch', doc`로그 확인 결과 timestamp=${t.d(epochMillis(rng))} 에서 오류가 났습니다.`);
  t.add('epoch', doc`{"event":"login","ts":${t.d(epochMillis(rng))},"ok":true}`);
  t.add('url', doc`인사 시스템 링크: ${t.d(`https://erp.example.com/hr/employees/${validRrn()}/profile`, 'any')}`);
  t.add('url', doc`조회 화면 ${t.d(`https://portal.example.co.kr/view?id=${validRrn()}&tab=2`, 'any')} 에서 확인하세요.`);
  t.add('url', doc`See ${t.d(`https://hr.example.com/api/v1/people/${validRrn()}`, 'any')} for the record.`);
  for (let i = 0; i < 3; i++) {
    const name = castFor(rng).p.name;
    t.add('checksum', doc`${name} 님 서류에 적힌 번호 ${t.d(n.badRegistration(rng, 'check-fails', false))} 확인 바랍니다.`);
  }
  t.add('century', doc`족보 자료 정리 중: ${t.d(n.badRegistration(rng, 'century-1800s', false))} (고조부)`);
  t.add('century', doc`스캔된 옛 문서의 번호 ${t.d(n.badRegistration(rng, 'century-1800s', false))} 판독 부탁드립니다.`);
  t.add('invalid-date', doc`양식 예시 번호 ${t.d(n.badRegistration(rng, 'bad-date', false))} 는 실제 번호가 아닙니다.`);
  const badDate = n.badRegistration(rng, 'bad-date', false);
  t.add('invalid-date', doc`주민번호 ${t.d(badDate, REGISTRATION)} 로 적으셨는데 날짜가 맞지 않습니다.`);
  t.add('invalid-date', doc`테스트 데이터: ${t.d(n.badRegistration(rng, 'bad-date', false))}`);
  t.add('future', doc`시스템 검증용 더미 ${t.d(n.badRegistration(rng, 'future', false))} 입니다.`);
  const future = n.badRegistration(rng, 'future', false);
  t.add('future', doc`주민등록번호 입력 칸에 ${t.d(future, REGISTRATION)} 가 들어가 있어 반려했습니다.`);
  const split = (): [string, string] => {
    const d = validRrn();
    return [d.slice(0, 6), d.slice(6)];
  };
  {
    const [a, b] = split();
    t.add('cell', doc`| 생년월일 | 사원코드 |\n|---|---|\n| ${t.d(`${a} | ${b}`)} |`);
  }
  {
    const [a, b] = split();
    t.add('cell', doc`생년월일,사원코드\n${t.d(`${a},${b}`)}`);
  }
  {
    const [a, b] = split();
    t.add('cell', doc`생년월일\t사원코드\n${t.d(`${a}\t${b}`)}`);
  }
  {
    const [a, b] = split();
    t.add('cell', doc`생일/코드: ${t.d(`${a}/${b}`)}`);
  }
  const masks = (d: string): string[] => [
    `${d.slice(0, 6)}-${d[6]}******`, `${d.slice(0, 6)}-*******`, `${d.slice(0, 6)}-${d[6]}XXXXXX`,
    `${d.slice(0, 6)}-${d[6]}\u25cf\u25cf\u25cf\u25cf\u25cf\u25cf`,
  ];
  const leads = ['주민등록번호: ', '주민번호 ', 'RRN ', '본인 확인 완료 ('];
  masks(validRrn()).forEach((m, i) => {
    t.add('masked', doc`${leads[i] ?? ''}${t.d(m, 'any')}${i === 3 ? ')' : ''}`, 'masked');
  });
  return t.out;
}

function frnTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('foreigner_rrn', rng);
  for (let i = 0; i < 6; i++) {
    const f = castFor(rng).f;
    t.add('checksum', doc`${f.name} 님 서류의 번호 ${t.d(n.badRegistration(rng, 'check-fails', true))} 재확인 요청드립니다.`);
  }
  t.add('invalid-date', doc`샘플 번호 ${t.d(n.badRegistration(rng, 'bad-date', true))} 는 형식 설명용입니다.`);
  const badDate = n.badRegistration(rng, 'bad-date', true);
  t.add('invalid-date', doc`외국인등록번호 ${t.d(badDate, ['foreigner_rrn'])} 날짜가 잘못 기재되었습니다.`);
  t.add('future', doc`테스트 계정 번호 ${t.d(n.badRegistration(rng, 'future', true))}`);
  t.add('future', doc`Dummy value ${t.d(n.badRegistration(rng, 'future', true))} used in staging.`);
  const d = digitsOnly(n.frn(rng, 'check', ''));
  t.add('masked', doc`외국인등록번호: ${t.d(`${d.slice(0, 6)}-${d[6]}******`, 'any')}`, 'masked');
  t.add('masked', doc`ARC ${t.d(`${d.slice(0, 6)}-*******`, 'any')}`, 'masked');
  t.add('masked', doc`외국인번호 ${t.d(`${d.slice(0, 6)}-${d[6]}xxxxxx`, 'any')} 로 등록되어 있습니다.`, 'masked');
  const visaUrl = `https://docs.example.com/visa/${digitsOnly(n.frn(rng, 'check', ''))}.pdf`;
  t.add('url', doc`비자 서류 링크 ${t.d(visaUrl, 'any')}`);
  const c = digitsOnly(n.frn(rng, 'check', ''));
  t.add('cell', doc`생년월일,관리코드\n${t.d(`${c.slice(0, 6)},${c.slice(6)}`)}`);
  t.add('long-id', doc`결제 고유번호 ${t.d(longRun(rng, '8', digitsOnly(n.frn(rng, 'check', '')), 2))} 확인`);
  return t.out;
}

function licenceTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('driver_license', rng);
  for (let i = 0; i < 5; i++) {
    t.add('region', doc`택배 접수 확인 코드 ${t.d(n.badRegionLicence(rng))} 입니다.`);
  }
  for (let i = 0; i < 3; i++) {
    t.add('region', doc`운전면허번호 ${t.d(n.badRegionLicence(rng), ['driver_license'])}로 적으셨는데 지역 코드가 없는 번호입니다.`);
  }
  const carriers = ['CJ대한통운 운송장번호', '한진택배 송장', '롯데택배 운송장', '로젠택배 송장번호', '우편 등기번호'];
  carriers.forEach((carrier, i) => {
    const first = i < 3 ? String(rng.int(11, 26)) : String(rng.int(30, 69));
    t.add('tracking', doc`${carrier} ${t.d(first + rng.digits(10))} 로 발송했습니다.`);
  });
  const d = `${rng.int(11, 26)}${pad2(rng.int(0, 25))}${rng.digits(6)}${rng.digits(2)}`;
  t.add('masked', doc`운전면허번호 ${t.d(`${d.slice(0, 2)}-${d.slice(2, 4)}-******-**`, 'any')}`, 'masked');
  t.add('masked', doc`면허번호: ${t.d(`서울 ${d.slice(2, 4)}-******-${d.slice(10)}`, 'any')}`, 'masked');
  t.add('masked', doc`Driver's license ${t.d(`${d.slice(0, 2)}-**-${d.slice(4, 10)}-**`, 'any')}`, 'masked');
  return t.out;
}

function passportTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('passport', rng);
  const code = (form: 'old' | 'new'): string => n.passportText(rng, form);
  t.add('model', doc`부품번호 ${t.d('M350A1200')} 재고 ${rng.int(2, 9)}개 남았습니다.`);
  t.add('model', doc`SKU ${t.d(code('old'))} 단종 예정입니다.`);
  t.add('model', doc`모델명 ${t.d(code('new'))} 견적 요청드립니다.`);
  t.add('model', doc`품번 ${t.d(code('old'))} 발주 부탁드립니다.`);
  t.add('model', doc`Part no. ${t.d(code('new'))} is back-ordered until next month.`);
  t.add('model', doc`Order line: SKU ${t.d(code('old'))}, qty ${rng.int(2, 9)}`);
  t.add('model', doc`시리얼 ${t.d(code('new'))} 장비 A/S 접수`);
  ['여권번호 ', '여권 번호: ', 'Passport No. ', '여권번호(', 'passport ', '여권: '].forEach((lead, i) => {
    t.add('shape', doc`${lead}${t.d(n.badPassport(rng), ['passport'])}${i === 3 ? ')' : ''} 형식이 맞지 않아 확인 요청드립니다.`);
  });
  t.add('masked', doc`여권번호: ${t.d(`M${rng.digits(3)}*****`, 'any')}`, 'masked');
  t.add('masked', doc`Passport No. ${t.d(`M${rng.digits(2)}******`, 'any')}`, 'masked');
  t.add('masked', doc`여권 ${t.d(`S${rng.digits(3)}A****`, 'any')} 사본 확인`, 'masked');
  return t.out;
}

function cardTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('credit_card', rng);
  for (const lead of ['카드번호 ', '결제 카드: ', 'Card number ', '법인카드 ', '신용카드 번호: ']) {
    t.add('checksum', doc`${lead}${t.d(n.notACard(rng, 'luhn', rng.pick(['-', ' ', ''])), 'any')} 로 결제가 거절되었습니다.`);
  }
  for (let i = 0; i < 4; i++) {
    const label = rng.pick(['멤버십 번호', '포인트 카드', '회원번호', '상품권 번호']);
    t.add('prefix', doc`${label} ${t.d(n.notACard(rng, 'prefix', rng.pick(['-', ' '])))} 조회 부탁드립니다.`);
  }
  for (let i = 0; i < 2; i++) {
    const d = n.cardDigits(rng, rng.pick(['visa', 'mastercard', 'domestic'])) + rng.digits(4);
    const sep = i === 0 ? ' ' : '-';
    t.add('long-id', doc`시리얼 ${t.d([0, 4, 8, 12, 16].map((k) => d.slice(k, k + 4)).join(sep))} 라이선스 등록`);
  }
  for (let i = 0; i < 2; i++) {
    const d = rng.pick(['8', '7']) + n.cardDigits(rng, 'visa') + rng.digits(1);
    if (isCardNumber(d)) throw new Error('traps: long id is a card');
    t.add('long-id', doc`거래 일련번호 ${t.d(d)} 확인`);
  }
  const receipts: ReadonlyArray<readonly [string, (d: string) => string]> = [
    ['승인 카드 ', (d) => `${d.slice(0, 4)}-${d.slice(4, 6)}**-****-${d.slice(12)}`],
    ['카드번호: ', (d) => `${d.slice(0, 4)}-${d.slice(4, 8)}-****-${d.slice(12)}`],
    ['Card ', (d) => `${d.slice(0, 4)} **** **** ${d.slice(12)}`],
    ['결제수단: 신용카드 ', (d) => `${d.slice(0, 6)}******${d.slice(12)}`],
  ];
  for (const [lead, mask] of receipts) {
    const d = n.cardDigits(rng, rng.pick(['visa', 'mastercard', 'domestic', 'jcb']));
    t.add('masked', doc`${lead}${t.d(mask(d), 'any')} 일시불 승인`, 'masked');
  }
  t.add('tracking', doc`해외 배송 추적번호 ${t.d(n.notACard(rng, 'luhn', ''))} 조회 바랍니다.`);
  t.add('tracking', doc`Tracking ${t.d(n.notACard(rng, 'prefix', ' '))} shows the parcel in customs.`);
  const receipt = `https://pay.example.com/receipt?card=${n.cardDigits(rng, 'visa')}&amt=12000`;
  t.add('url', doc`영수증: ${t.d(receipt, 'any')}`);
  return t.out;
}

function bankTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('bank_account', rng);
  const labels = ['접수번호', '관리번호', '예약번호', '회원번호', '증권번호', '문서번호', '고객번호', '티켓 번호', '사건번호', '견적번호'];
  labels.forEach((label, i) => {
    const layout = n.BANKS[i % n.BANKS.length] as n.BankLayout;
    t.add('no-context', doc`${label} ${t.d(n.accountShape(rng, layout, i % 3 === 2 ? '' : '-'))} 건 처리 부탁드립니다.`);
  });
  t.add('masked', doc`환불계좌: 신한은행 ${t.d(`110-***-${rng.digits(6)}`, 'any')}`, 'masked');
  t.add('masked', doc`입금계좌 ${t.d(`1002-***-${rng.digits(3)}***`, 'any')} (우리은행)`, 'masked');
  t.add('masked', doc`계좌번호 ${t.d(`3333-**-${rng.digits(3)}****`, 'any')}`, 'masked');
  t.add('masked', doc`예금주 확인 계좌: ${t.d(`352-****-${rng.digits(4)}-**`, 'any')}`, 'masked');
  t.add('tracking', doc`송장번호 ${t.d(`${rng.int(5000, 6999)}-${rng.digits(4)}-${rng.digits(4)}`)} 배송 완료`);
  t.add('tracking', doc`Parcel ${t.d(`${rng.int(3000, 4999)} ${rng.digits(4)} ${rng.digits(4)}`)} was delivered.`);
  return t.out;
}

function phoneTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('phone', rng);
  const leads = ['고객센터 ', '대표번호 ', '상담 문의 ', 'Hotline ', '콜센터: ', 'ARS '];
  for (const lead of leads) t.add('representative', doc`${lead}${t.d(n.representativeNumber(rng))} (평일 9시~18시)`);
  t.add('version', doc`OS 빌드 ${t.d(`10.0.${rng.int(19041, 22631)}.${rng.int(1000, 4999)}`)} 에서 재현됩니다.`);
  t.add('version', doc`펌웨어 버전 ${t.d(`10.0.${rng.int(1000, 1999)}.${rng.digits(4)}`)} 배포 완료`);
  t.add('version', doc`서버 ${t.d(`10.${rng.int(10, 99)}.${rng.int(100, 199)}.${rng.int(10, 99)}`)} 접속 불가`);
  const mobile = (): string => `010${rng.int(1000, 1999)}${rng.digits(4)}`;
  t.add('url', doc`콜백 URL ${t.d(`https://example.com/callback?tel=${mobile()}`, 'any')} 확인`);
  t.add('url', doc`${t.d(`https://sms.example.co.kr/send/${mobile()}/status`, 'any')} 응답 오류`);
  t.add('long-id', doc`연락처 ${t.d(`010-${rng.int(1000, 1999)}-${rng.digits(5)}`, 'any')} 로 적혀 있어 연결이 안 됩니다.`);
  const tooLong = `02-${rng.int(100, 199)}-${rng.digits(4)}-${rng.digits(2)}`;
  t.add('long-id', doc`Tel. ${t.d(tooLong, 'any')} is not a valid number.`);
  t.add('touching', doc`모델 SM${t.d(`010${rng.int(1000, 1999)}${rng.digits(4)}`)} 재고 문의`, 'trap-long-id');
  const m = rng.int(1000, 1999);
  const l = rng.digits(4);
  t.add('masked', doc`연락처: ${t.d(`010-****-${l}`, 'any')}`, 'masked');
  t.add('masked', doc`휴대폰 ${t.d(`010-${m}-****`, 'any')}`, 'masked');
  t.add('masked', doc`Mobile ${t.d(`010-XXXX-${l}`, 'any')}`, 'masked');
  t.add('masked', doc`사무실 ${t.d(`02-***-${l}`, 'any')}`, 'masked');
  return t.out;
}

function emailTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('email', rng);
  t.add('email', doc`배너 이미지는 ${t.d('logo@2x.png')} 로 교체해 주세요.`);
  t.add('email', doc`Use ${t.d('icon@3x.png')} for the retina build.`);
  t.add('email', doc`패키지 버전을 ${t.d('lodash@4.17.21')} 로 올렸습니다.`);
  t.add('email', doc`Pinned ${t.d('react@18.2.0')} in package.json.`);
  t.add('email', doc`${t.d('@홍길동')} 님 확인 부탁드려요.`);
  t.add('email', doc`${t.d('@김민준')} 이 건 오늘 중으로 봐주세요.`);
  t.add('email', doc`Thanks ${t.d('@Sophie')} for the quick fix.`);
  t.add('email', doc`<img src="cid:${t.d(`image00${rng.int(1, 9)}.png@01DA${rng.int(1000, 9999)}C2E.5F1B3A40`)}">`);
  t.add('email', doc`테스트 서버 계정 ${t.d('admin@localhost')} 로 로그인하세요.`);
  t.add('email', doc`${t.d('npm install @types/node')} 후 다시 빌드하세요.`);
  t.add('email', doc`회의실 예약 ${t.d('@3층')} 대회의실`);
  t.add('masked', doc`회신 주소: ${t.d(`${rng.pick(['ho', 'ki', 'pa'])}***@example.com`, 'any')}`, 'masked');
  t.add('masked', doc`Email: ${t.d('***@example.co.kr', 'any')}`, 'masked');
  t.add('masked', doc`이메일 ${t.d('s****n@example.org', 'any')} 으로 발송됨`, 'masked');
  t.add('email', doc`가격은 ${t.d('3개@1,500원')} 입니다.`);
  return t.out;
}

function brnTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('business_reg', rng);
  for (let i = 0; i < 4; i++) t.add('checksum', doc`거래처 코드 ${t.d(n.badBrn(rng))} 로 등록되어 있습니다.`);
  t.add('checksum', doc`사업자등록번호 ${t.d(n.badBrn(rng), ['business_reg'])}가 국세청 조회에서 확인되지 않습니다.`);
  t.add('checksum', doc`사업자번호: ${t.d(n.badBrn(rng), ['business_reg'])} (오기재, 재확인 필요)`);
  t.add('ssn', doc`US payroll: SSN ${t.d(n.ssn(rng))} for the New York hire.`);
  t.add('ssn', doc`Social Security Number: ${t.d(n.ssn(rng))}`);
  t.add('ssn', doc`미국 법인 직원 SSN ${t.d(n.ssn(rng))} 은 미국 인사팀에서 관리합니다.`);
  t.add('ssn', doc`W-2 form lists ${t.d(n.ssn(rng))} as the employee number.`);
  for (const label of ['주문번호', '영수증 번호', '예약 코드', 'Ticket']) {
    t.add('no-context', doc`${label} ${t.d(n.brnDigits(rng))} 확인 부탁드립니다.`);
  }
  const d = n.brnDigits(rng);
  t.add('masked', doc`사업자등록번호 ${t.d(`${d.slice(0, 3)}-${d.slice(3, 5)}-*****`, 'any')}`, 'masked');
  t.add('masked', doc`사업자번호: ${t.d(`${d.slice(0, 3)}-**-${d.slice(5)}`, 'any')}`, 'masked');
  return t.out;
}

function corporateTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('corporate_reg', rng);
  const labels = ['인증서 일련번호', '관리번호', '등록 코드', '문서 ID', '청구 번호', 'Ref', '접수 코드', '원장 번호', 'Ledger', '보관 번호', '참조번호'];
  labels.forEach((label, i) => {
    const d = n.corpDigits(rng);
    t.add('no-context', doc`${label} ${t.d(i % 3 === 0 ? d : `${d.slice(0, 6)}-${d.slice(6)}`)} 확인 바랍니다.`);
  });
  for (let i = 0; i < 3; i++) {
    const d = n.corpDigits(rng, true);
    t.add('checksum', doc`법인등록번호 ${t.d(`${d.slice(0, 6)}-${d.slice(6)}`, ['corporate_reg'])} 는 등기부와 다릅니다.`);
  }
  const d = n.corpDigits(rng);
  t.add('masked', doc`법인등록번호 ${t.d(`${d.slice(0, 6)}-*******`, 'any')}`, 'masked');
  t.add('masked', doc`법인번호: ${t.d(`${d.slice(0, 6)}-${d[6]}******`, 'any')}`, 'masked');
  return t.out;
}

function healthTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('health_insurance', rng);
  const labels = [
    '주문번호', '회원 ID', '송장번호', '예약번호', '접수번호', '상품코드', 'Order', '티켓', '쿠폰 번호',
    '관리 코드', '문의 번호', 'Ref no.', '바우처',
  ];
  labels.forEach((label, i) => {
    const d = n.healthDigits(rng);
    t.add('no-context', doc`${label} ${t.d(i % 2 === 0 ? d : `${d[0]}-${d.slice(1)}`)} 처리 완료`);
  });
  const d = n.healthDigits(rng);
  t.add('masked', doc`건강보험증번호 ${t.d(`${d[0]}-${d.slice(1, 6)}*****`, 'any')}`, 'masked');
  t.add('masked', doc`보험증번호: ${t.d(`${d.slice(0, 4)}*******`, 'any')}`, 'masked');
  t.add('masked', doc`피보험자번호 ${t.d(`*-${d.slice(1, 7)}****`, 'any')}`, 'masked');
  return t.out;
}

/** Findings of the right type next to another type's keyword. */
function contextTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('phone', rng);
  for (let i = 0; i < 3; i++) {
    t.add('context', doc`주민번호 ${n.rrn(rng, 'check')}, 연락처 ${n.phone(rng, 'mobile')}`);
  }
  t.add('context', doc`계좌 확인되면 ${n.phone(rng, 'mobile')}로 문자 주세요.`);
  t.add('context', doc`입금 후 ${n.phone(rng, 'seoul')} 로 예금주 성함 알려주세요.`);
  t.add('context', doc`여권 사진 관련해서는 ${n.phone(rng, 'mobile')}로 연락 바랍니다.`);
  t.add('context', doc`Passport questions: call ${n.phone(rng, 'intl-mobile')}.`);
  t.add('context', doc`운전면허 갱신 문의 ${n.phone(rng, 'area')}`);
  return t.out;
}

function keywordTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('keyword', rng);
  const texts = [
    ['We signed a ', 'confidentiality', ' agreement with the vendor.'],
    ['', 'Confidentially', ', the launch slipped a week.'],
    ['A ', 'nonconfidential', ' summary is attached.'],
    ['For ', 'internal use only', '.'],
    ['The ', 'Nimbus', ' cluster is down again.'],
    ['The ', 'Project Nimbusware', ' licence renews in May.'],
    ['', 'Internally, only', ' finance sees this sheet.'],
    ['', 'Confidentialité', ' : voir la note.'],
  ] as const;
  for (const [before, word, after] of texts) t.add('keyword', doc`${before}${t.d(word, 'any')}${after}`);
  return t.out;
}

function patternTraps(rng: Rng): CaseDraft[] {
  const t = new TrapSet('pattern', rng);
  const six = (): string => String(rng.int(100000, 999999));
  const texts = [
    `EMP-${rng.int(10000, 99999)}`, `emp-${six()}`, `EMP ${six()}`, `EMP_${six()}`,
    `CT-${rng.int(2023, 2026)}-${rng.digits(4)}`, `CT${rng.int(202, 209)}-${rng.digits(5)}`,
    `CT${rng.int(2023, 2026)}/${rng.digits(4)}`, `C.T${rng.int(2023, 2026)}-${rng.digits(4)}`,
  ];
  texts.forEach((text, i) => {
    const lead = i < 4 ? '사번 표기 ' : '계약 코드 ';
    t.add('pattern', doc`${lead}${t.d(text, 'any')} 는 규칙에 맞지 않습니다.`);
  });
  return t.out;
}

export function trapCases(): CaseDraft[] {
  const sets: Array<[string, (rng: Rng) => CaseDraft[]]> = [
    ['rrn', rrnTraps], ['frn', frnTraps], ['licence', licenceTraps], ['passport', passportTraps],
    ['card', cardTraps], ['bank', bankTraps], ['phone', phoneTraps], ['email', emailTraps],
    ['brn', brnTraps], ['corporate', corporateTraps], ['health', healthTraps],
    ['context', contextTraps], ['keyword', keywordTraps], ['pattern', patternTraps],
  ];
  return sets.flatMap(([label, make]) => make(Rng.for(`trap/${label}`)));
}

