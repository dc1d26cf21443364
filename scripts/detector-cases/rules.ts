/**
 * Company dictionary words and company patterns in mail text: subject labels (`[대외비]`),
 * words with particles (`기밀입니다`) or spaced syllables (`대 외 비`), project code names, and
 * employee and contract numbers in either letter case where the pattern allows it.
 */
import type { CaseDraft, Draft } from './builder.js';
import { doc, keyword, pattern } from './builder.js';
import { castFor } from './context.js';
import { Rng } from './rng.js';

const conf = (word: string) => keyword('confidential', word);
const proj = (word: string) => keyword('projects', word);

const KEYWORD_TEXTS: ReadonlyArray<readonly [string, (rng: Rng) => Draft]> = [
  ['sentence-ko', () => doc`[${conf('대외비')}] 2027년 조직 개편안 초안 공유드립니다.`],
  ['sentence-ko', () => doc`본 문서는 ${conf('대외비')}입니다. 외부 공유를 금합니다.`],
  ['sentence-ko', () => doc`이 자료는 ${conf('기밀')}로 분류되어 있으니 출력하지 마세요.`],
  ['sentence-ko', () => doc`${conf('대 외 비')} - 외부 유출 금지`],
  ['sentence-ko', () => doc`일본 법인 자료라 표지에 ${conf('社外秘')} 표기가 있습니다.`],
  ['sentence-ko', () => doc`${conf('기밀')}이니 취급에 주의해 주세요.`],
  ['sentence-ko', () => doc`${proj('오로라')} 프로젝트 킥오프 일정 공유드립니다.`],
  ['sentence-ko', () => doc`${proj('블루웨일')} 2차 견적 검토 부탁드립니다.`],
  ['sentence-ko', () => doc`${proj('블루 웨일')} 건은 다음 주에 다시 논의하시죠.`],
  ['sentence-ko', () => doc`${proj('오로라')}는 ${conf('대외비')} 과제라 참석자만 공유합니다.`],
  ['sentence-ko', () => doc`[${conf('Confidential')}] ${proj('블루웨일')} 인수 검토 자료`],
  ['sentence-ko', () => doc`다음 주 ${proj('오로라')} 데모는 ${conf('대외비')}로 진행됩니다.`],
  ['sentence-ko', () => doc`(${conf('기 밀')}) 인사평가 결과 요약`],
  ['sentence-en', () => doc`${conf('CONFIDENTIAL')} - do not forward`],
  ['sentence-en', () => doc`This deck is ${conf('Internal Only')}; please do not share it with the vendor.`],
  ['sentence-en', () => doc`Marked ${conf('internal only')} by legal.`],
  ['sentence-en', () => doc`Update on ${proj('Project Nimbus')}: the pilot starts in March.`],
  ['sentence-en', () => doc`${proj('project nimbus')} budget sheet attached.`],
  ['sentence-en', () => doc`${conf('Confidential')}: salary bands for 2027`],
  ['sentence-en', () => doc`Subject: [${conf('INTERNAL ONLY')}] ${proj('PROJECT NIMBUS')} roadmap`],
  ['table', () => doc`| 과제명 | 등급 |\n|---|---|\n| ${proj('오로라')} | ${conf('대외비')} |
| ${proj('Project Nimbus')} | ${conf('Internal Only')} |`],
  ['html', () => doc`<p><b>[${conf('대외비')}]</b>&nbsp;${proj('블루웨일')} 주간 보고</p>`],
  ['csv', () => doc`과제,보안등급\n${proj('오로라')},${conf('기밀')}\n일반 운영,공개`],
  ['fullwidth', () => doc`［${conf('대외비')}］ 전사 공지 초안`],
  ['fullwidth', () => doc`【${conf('대외비')}】 2027 예산안 검토 요청`],
  ['sentence-ko', () => doc`「${conf('기밀')}」 표시 문서는 반출할 수 없습니다.`],
  ['sentence-ko', () => doc`> [${conf('대외비')}] 원문 메일은 전달하지 말아 주세요.`],
];

function patternTexts(rng: Rng): Array<[string, Draft]> {
  const emp = () => pattern('employee-id', `EMP-${rng.int(100000, 999999)}`);
  const ct = (prefix = 'CT') => pattern('contract-no', `${prefix}${rng.int(2023, 2026)}-${rng.digits(4)}`);
  const c = castFor(rng);
  return [
    ['sentence-ko', doc`사번 ${emp()} ${c.p.name} 님 퇴사 처리 요청드립니다.`],
    ['sentence-ko', doc`계약번호 ${ct()} 갱신 검토 부탁드립니다.`],
    ['sentence-ko', doc`${ct('ct')} 건은 법무팀 검토가 끝났습니다.`],
    ['sentence-ko', doc`신규 입사자 사번은 ${emp()}, ${emp()} 입니다.`],
    ['sentence-ko', doc`계약서(${ct()}) 날인본 회신 바랍니다.`],
    ['sentence-en', doc`Employee ID: ${emp()}`],
    ['sentence-en', doc`Contract ${ct('Ct')} renewal is due next month.`],
    ['sentence-en', doc`Please reference ${ct()} and ${emp()} on the invoice.`],
    ['table', doc`| 사번 | 성명 |\n|---|---|\n| ${emp()} | ${c.p.name} |\n| ${emp()} | ${c.me.name} |`],
    ['csv', doc`계약번호,거래처,만료일\n${ct()},${c.co},2027-06-30\n${ct('ct')},${c.co},2027-12-31`],
    ['html', doc`<td>${ct()}</td><td>${c.co}</td>`],
  ];
}

export function ruleCases(): CaseDraft[] {
  const out: CaseDraft[] = [];
  const rng = Rng.for('rules/keywords');
  for (const [category, make] of KEYWORD_TEXTS) {
    out.push({ aim: 'keyword', slug: 'keyword', category, draft: make(rng) });
  }
  const prng = Rng.for('rules/patterns');
  for (let round = 0; round < 3; round++) {
    for (const [category, draft] of patternTexts(prng)) {
      out.push({ aim: 'pattern', slug: 'pattern', category, draft });
    }
  }
  return out;
}
