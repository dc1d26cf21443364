/**
 * Vocabulary and sentence templates for the benchmark corpus: the everyday text of a Korean
 * trading company's outbound mail (orders, invoices, shipping, HR notices, meeting notes), in
 * Korean and English.
 *
 * Every word is made up or generic; company names end in `.example`/`.test` domains. Korean text
 * stays inside KS X 1001 (the EUC-KR repertoire), so any slice can be sent as an EUC-KR mail.
 *
 * Placeholders in `{braces}` are filled by corpus.ts; `{pii}` marks where a planted value goes.
 */

export const SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임',
  '한', '오', '서', '신', '권', '황', '안', '송', '류', '홍'];

export const GIVEN_NAMES = [
  '민준', '서준', '도윤', '예준', '시우', '하준', '지호', '주원', '지후', '준우',
  '서연', '서윤', '지우', '서현', '민서', '하은', '하윤', '윤서', '지민', '채원',
  '영수', '영희', '철수', '미경', '정훈', '성민', '현우', '수진', '은지', '동현',
];

export const ENGLISH_NAMES = ['Minjun Kim', 'Seoyeon Lee', 'Jiho Park', 'Hana Choi', 'Daniel Jung',
  'Grace Yoon', 'Kevin Kang', 'Sora Han', 'Brian Oh', 'Julia Song'];

export const COMPANIES = ['한빛상사', '대한물산', '세진테크', '미래로지스', '동양정밀', '새한무역',
  '푸른식품', '나래전자', '우성산업', '태평양화학', '한결소프트', '서울기계'];

export const COMPANY_DOMAINS = ['hanbit.example', 'daehan-trade.example', 'sejin.test',
  'mirae-logis.example', 'nare.test', 'woosung.example'];

export const DEPARTMENTS = ['영업1팀', '영업2팀', '구매팀', '재무팀', '인사팀', '물류팀', '품질관리팀',
  '해외사업부', '경영지원실', '기술연구소', '고객지원팀', '마케팅팀'];

export const PRODUCTS = ['스테인리스 볼트 M8', '산업용 필터 카트리지', '포장용 박스 (대)', '유압 호스 3/8',
  'LED 패널 600x600', '무선 바코드 스캐너', '복합기 토너 (검정)', '사무용 의자', '노트북 거치대',
  '냉동 만두 1kg', '유기농 현미 10kg', '전동 드릴 세트', '안전모 (흰색)', '방진 마스크'];

export const ENGLISH_PRODUCTS = ['hex bolts M8', 'filter cartridges', 'shipping cartons',
  'hydraulic hose', 'LED panels', 'barcode scanners', 'toner cartridges', 'office chairs',
  'safety helmets'];

export const CITIES = ['서울특별시 강남구 테헤란로', '부산광역시 해운대구 센텀중앙로', '경기도 성남시 분당구 판교역로',
  '인천광역시 연수구 송도과학로', '대전광역시 유성구 대학로', '경기도 화성시 동탄대로'];

export const STATUSES = ['배송완료', '출고대기', '입금확인', '주문접수', '반품요청', '교환완료', '취소'];

export const BANKS = ['국민은행', '신한은행', '우리은행', '하나은행', '농협은행', '기업은행'];

/** Korean prose about orders, invoices, shipping and meetings. */
export const KOREAN_SENTENCES = [
  '{name}님, 안녕하세요. {company} {dept} {name2}입니다.',
  '요청하신 {product} {qty}개에 대한 견적서를 첨부하여 드립니다.',
  '주문번호 {order} 건은 {date}에 출고될 예정입니다.',
  '총 결제 금액은 {amount}원(부가세 포함)이며, 세금계산서는 {date}에 발행하겠습니다.',
  '운송장번호는 {tracking}이며 택배사 사정에 따라 하루 정도 지연될 수 있습니다.',
  '다음 주 회의는 {date} 오후 {hour}시에 본사 3층 대회의실에서 진행합니다.',
  '문의 사항은 {dept} {name2} 과장({phone})에게 연락 주시기 바랍니다.',
  '지난달 매출은 전월 대비 {pct}% 증가하였고, 재고 회전율도 개선되었습니다.',
  '입금 계좌는 {bank} {account} (예금주: {company})입니다.',
  '사업자등록번호 {bizno}로 세금계산서를 발행해 주시기 바랍니다.',
  '계약서 초안을 검토하신 후 수정 사항이 있으시면 회신 부탁드립니다.',
  '품질 검사 결과 불량률은 {pct}%로 기준치 이내입니다.',
  '{city} {streetno}, {company} 물류센터로 납품해 주십시오.',
  '견적 유효기간은 발행일로부터 30일입니다.',
  '첨부한 엑셀 파일에서 {qty}번째 행의 단가를 확인해 주세요.',
  '이번 분기 목표 대비 달성률은 {pct}%입니다.',
  '출장비 정산은 {date}까지 경영지원실로 제출해 주시기 바랍니다.',
  '보안 정책에 따라 개인정보는 마스킹 처리 후 공유해 주십시오. 예: 900101-1******',
  '회의록은 사내 게시판에 올려 두었습니다.',
  '감사합니다. 좋은 하루 보내세요.',
];

/** English prose in the same register. */
export const ENGLISH_SENTENCES = [
  'Dear {name_en}, thank you for your order {order}.',
  'Please find attached the quotation for {qty} units of {product_en}.',
  'The shipment is scheduled to leave our Busan warehouse on {date_en}.',
  'The total amount due is USD {usd}, payable within 30 days of the invoice date.',
  'Could you confirm the delivery address and the contact number ({phone_intl})?',
  'Our quality team measured a defect rate of {pct}% in the last lot.',
  'We will hold a call on {date_en} at {hour}:00 KST to review the forecast.',
  'Invoice {invoice} has been issued; the tracking number is {tracking}.',
  'Best regards, {name_en} | {company_en} | {email}',
  'For security reasons, card numbers must be masked, e.g. 4111-11**-****-1111.',
];

/** Sentences that carry one planted value, in Korean and English. */
export const RRN_SENTENCES = [
  '신청인 {name}의 주민등록번호는 {pii}입니다.',
  '{name}님 주민번호 {pii}, 연락처 {phone}로 등록되었습니다.',
  '인사기록카드: 성명 {name}, 주민등록번호 {pii}, 부서 {dept}',
  '연말정산 부양가족 명단 - {name} ({pii})',
  'Applicant {name_en}, RRN {pii}, joined {dept_en} on {date_en}.',
  '보험 가입 대상자 {name} {pii} {phone}',
];

export const CARD_SENTENCES = [
  '법인카드 번호 {pii}, 유효기간 {mm}/{yy}로 결제 부탁드립니다.',
  '결제에 사용한 카드번호는 {pii}입니다.',
  '{name}님 신용카드 {pii} 승인 완료 ({amount}원)',
  'Please charge the credit card {pii} (exp {mm}/{yy}) for invoice {invoice}.',
  'Card number: {pii} / CVC on request / holder {name_en}',
];

export const ENGLISH_DEPARTMENTS = ['Sales', 'Procurement', 'Finance', 'HR', 'Logistics', 'R&D'];

export const ENGLISH_COMPANIES = ['Hanbit Trading Co.', 'Daehan Corp.', 'Sejin Tech Ltd.',
  'Mirae Logistics', 'Nare Electronics'];
