/**
 * Invented people, companies and addresses for the case texts. Names are common syllables put
 * together at random; e-mail domains are the reserved example.* names, so no address here can
 * reach a real mailbox. Company names avoid words a detector treats as bank context (우리, 하나,
 * 국민, 기업 …) so that a company name never decides a label by accident.
 */
import type { Value } from './builder.js';
import { value } from './builder.js';
import type { Rng } from './rng.js';

const SURNAMES: ReadonlyArray<readonly [string, string]> = [
  ['김', 'kim'], ['이', 'lee'], ['박', 'park'], ['최', 'choi'], ['정', 'jung'], ['강', 'kang'],
  ['조', 'cho'], ['윤', 'yoon'], ['장', 'jang'], ['임', 'lim'], ['한', 'han'], ['오', 'oh'],
  ['서', 'seo'], ['권', 'kwon'], ['황', 'hwang'], ['안', 'ahn'], ['송', 'song'], ['류', 'ryu'],
  ['홍', 'hong'], ['문', 'moon'],
];

const GIVEN: ReadonlyArray<readonly [string, string]> = [
  ['민준', 'minjun'], ['서연', 'seoyeon'], ['지호', 'jiho'], ['하은', 'haeun'], ['도윤', 'doyun'],
  ['수빈', 'subin'], ['예준', 'yejun'], ['지민', 'jimin'], ['현우', 'hyunwoo'], ['유진', 'yujin'],
  ['성민', 'sungmin'], ['은지', 'eunji'], ['태현', 'taehyun'], ['소연', 'soyeon'], ['동현', 'donghyun'],
  ['혜진', 'hyejin'], ['준서', 'junseo'], ['다은', 'daeun'], ['상훈', 'sanghoon'], ['미경', 'mikyung'],
];

const FOREIGNERS: ReadonlyArray<readonly [string, string, string]> = [
  ['존 밀러', 'John Miller', 'john.miller'], ['안나 슈미트', 'Anna Schmidt', 'anna.schmidt'],
  ['응우옌 반 안', 'Nguyen Van An', 'an.nguyen'], ['마리아 산토스', 'Maria Santos', 'maria.santos'],
  ['리웨이', 'Li Wei', 'wei.li'], ['다나카 유키', 'Tanaka Yuki', 'yuki.tanaka'],
  ['아메드 칸', 'Ahmed Khan', 'ahmed.khan'], ['올가 페트로바', 'Olga Petrova', 'olga.petrova'],
  ['데이비드 브라운', 'David Brown', 'david.brown'], ['소피 마르탱', 'Sophie Martin', 'sophie.martin'],
];

const DOMAINS = [
  'example.com', 'example.org', 'example.net', 'example.co.kr', 'mail.example.co.kr', 'example.kr',
  'corp.example.com',
];

export interface Person {
  /** As a Korean colleague writes it: 홍길동, or a transliterated foreign name. */
  readonly name: string;
  /** As in a passport or an English signature: HONG GILDONG / John Miller. */
  readonly english: string;
  /** Local part of the person's mail address. */
  readonly local: string;
}

export function koreanPerson(rng: Rng): Person {
  const [family, familyRoman] = rng.pick(SURNAMES);
  const [given, givenRoman] = rng.pick(GIVEN);
  const local = rng.pick([
    `${givenRoman}.${familyRoman}`,
    `${familyRoman}.${givenRoman}`,
    `${familyRoman}${givenRoman}`,
    `${givenRoman[0]}${familyRoman}${rng.int(1, 99)}`,
    `${familyRoman}_${givenRoman}`,
  ]);
  const english = `${familyRoman.toUpperCase()} ${givenRoman.toUpperCase()}`;
  return { name: family + given, english, local };
}

export function foreignPerson(rng: Rng): Person {
  const [name, english, local] = rng.pick(FOREIGNERS);
  return { name, english, local };
}

export function emailOf(rng: Rng, person: Person): Value {
  const local = rng.chance(0.15) ? `${person.local}+hr` : person.local;
  return value('email', `${local}@${rng.pick(DOMAINS)}`, false);
}

/** A role mailbox: 인사팀, 경리팀 and the like. */
export function roleEmail(rng: Rng): Value {
  const local = rng.pick(['hr', 'payroll', 'finance', 'travel', 'support', 'accounting', 'admin', 'sales.kr']);
  return value('email', `${local}@${rng.pick(DOMAINS)}`, false);
}

export const COMPANIES = [
  '(주)한빛솔루션', '누리테크 주식회사', '다온물산', '새벽로지스', '청솔식품(주)', '한결디자인',
  '미래에듀', '온담바이오', '가람건설(주)', '솔빛에너지',
];

export const COMPANIES_EN = [
  'Hanbit Solutions Co., Ltd.', 'Nuri Tech Inc.', 'Daon Trading', 'Saebyeok Logistics',
  'Cheongsol Foods', 'Garam Construction',
];

export const TEAMS = ['인사팀', '총무팀', '경영지원팀', '재무팀', '영업2팀', '개발본부', '구매팀'];

export const COUNTRIES = ['베트남', '미국', '독일', '필리핀', '중국', '일본', '파키스탄', '러시아', '프랑스'];
