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

/**
 * Sentences that name one of the company's dictionary words (`{codename}`, bench/dictionary.ts):
 * project updates and the like, the mail a dictionary exists to catch.
 */
export const KOREAN_CODE_NAME_SENTENCES = [
  '{codename} 관련 자료는 외부에 공유하기 전에 보안 검토를 받아 주세요.',
  '이번 주 {codename} 진행 상황을 공유드립니다.',
  '{codename} 시제품 평가 결과는 다음 회의에서 보고하겠습니다.',
  '{company} 측과 진행 중인 {codename} 공동 개발 건은 아직 대외 공개 전입니다.',
  '{codename} 일정이 {date}로 조정되었습니다.',
  '첨부한 {codename} 사양서는 최신 버전이 아니니 참고만 부탁드립니다.',
];

export const ENGLISH_CODE_NAME_SENTENCES = [
  'The {codename} roadmap is attached; please keep it internal.',
  'Status update on {codename}: integration testing is on track.',
  'We would like to discuss the {codename} pilot with your team next week.',
];

/**
 * Everyday mail prose with few or no numbers, for the prose-heavy corpus: replies, requests,
 * meeting follow-ups, the bulk of what people actually type.
 */
export const KOREAN_PROSE = [
  '어제 회의에서 말씀하신 내용 정리해서 보내드립니다.',
  '확인해 보고 다시 연락드리겠습니다.',
  '일정이 괜찮으시면 이번 주 안에 한번 뵙고 자세히 말씀 나누고 싶습니다.',
  '보내주신 자료 잘 받았습니다. 검토 후 의견 드리겠습니다.',
  '담당자가 휴가 중이라 답변이 조금 늦어질 수 있는 점 양해 부탁드립니다.',
  '내부 검토 결과 몇 가지 보완이 필요하다는 의견이 있었습니다.',
  '계약 조건은 지난번에 협의한 내용과 동일하게 진행하면 될 것 같습니다.',
  '추가로 필요한 서류가 있으면 말씀해 주세요.',
  '현장 점검은 협력사 일정에 맞춰 다시 잡도록 하겠습니다.',
  '고객사에서 요청한 변경 사항을 반영한 수정본을 첨부합니다.',
  '이번 건은 팀장님 결재가 끝나는 대로 바로 진행하겠습니다.',
  '지난번 문의하신 부분은 법무팀 확인을 받아 회신드리겠습니다.',
  '번거로우시겠지만 첨부 파일 확인하시고 서명본 회신 부탁드립니다.',
  '오늘 오후에 잠깐 통화 가능하실까요?',
  '말씀하신 방향으로 기획안을 다시 정리해 보았습니다.',
  '교육 자료는 공유 폴더에 올려 두었으니 참고하시기 바랍니다.',
  '혹시 제가 놓친 부분이 있으면 편하게 말씀해 주세요.',
  '이 메일은 업무 목적으로만 사용해 주시기 바랍니다.',
  '신규 협력사 등록 절차는 구매팀에서 안내해 드릴 예정입니다.',
  '좋은 의견 주셔서 감사합니다. 다음 단계도 함께 고민해 보겠습니다.',
  '사내 시스템 점검으로 오늘 저녁에는 메일 수신이 지연될 수 있습니다.',
  '자세한 내용은 첨부한 보고서를 참고해 주십시오.',
];

export const ENGLISH_PROSE = [
  'Thanks for the quick reply, this is very helpful.',
  'Let me check with the team and get back to you.',
  'Could we move our call to later this week?',
  'I have attached the revised draft with your comments addressed.',
  'Please let me know if anything is unclear.',
  'Our legal team is still reviewing the contract terms.',
  'We appreciate your patience while we sort this out.',
  'Looking forward to working together on the next phase.',
  'I am out of the office until Monday with limited access to email.',
  'Happy to set up a short meeting to walk you through the proposal.',
];
