/**
 * A company dictionary for the benchmark: 5,000 words of the kind a Korean company lists as
 * sensitive (project code names, unreleased product and model names, English code names, a few
 * confidentiality markers), generated from a fixed seed.
 *
 * Contract of `companyDictionary`:
 * - the same seed gives the same words in the same order on every machine;
 * - every word is unique (case-insensitively, as the detectors compare Latin letters), 2 to 12
 *   characters long, and occurs nowhere in the corpus vocabulary (corpus-words.ts), so a hit in
 *   the benchmark text is a word the corpus generator put there on purpose;
 * - `inUse` is a fixed subset of a few hundred words that the corpus mentions at a steady rate
 *   (corpus.ts, `{codename}`), so matching does real work: most of a dictionary is never seen in
 *   any one mail, but some of it is, every day.
 *
 * Words are assembled from small pools of made-up parts (native Korean words used as project
 * names, colour + animal code names, letter-dash-number model codes); none is a real product.
 */
import * as W from './corpus-words.js';
import { createRandom, type Random } from './random.js';

/** Issue 3's dictionary size. */
export const DICTIONARY_SIZE = 5000;
/** Words of the dictionary the corpus mentions. */
export const IN_USE_COUNT = 300;
export const DICTIONARY_SEED = 20261204;

const MIN_LENGTH = 2;
const MAX_LENGTH = 12;

export interface CompanyDictionary {
  readonly words: readonly string[];
  readonly inUse: readonly string[];
}

/** Native Korean words that companies pick for project names. */
const KOREAN_ROOTS = [
  '가온', '다온', '라온', '마루', '미리내', '보람', '솔빛', '아라', '온새미', '윤슬', '은하수', '이룸',
  '하람', '해솔', '한울', '별하', '초롱', '가람', '온누리', '도담', '두리', '라움', '모아', '바름',
  '벼리', '빛찬', '새솔', '세움', '슬기', '아름솔', '여울', '예솜', '우듬지', '자람', '지음', '차오름',
  '참빛', '초아', '태솔', '파랑새', '하늬', '해오름', '물결', '바다빛', '별무리', '꽃샘', '단비', '들꽃',
  '맑음', '미르', '비나리', '산들', '시나브로', '아토', '잎새', '큰별', '나린', '그루', '꼬미', '늘품',
];

const KOREAN_SUFFIXES = [
  '', '엔진', '허브', '링크', '플랫폼', '2호', '3호', '플러스', '랩', '웨이', '넷', '박스', '톡', '페이',
  '케어', '로드', '포털', '스퀘어', '팩토리', '마켓', '노트', '보드', '스테이션', '클라우드', '봇',
  '체인', '맵', '레이더', '브릿지', ' 프로젝트', ' 2단계', ' 고도화', ' 차세대',
];

const PRODUCT_NOUNS = [
  '공기청정기', '정수기', '스피커', '태블릿', '워치', '카메라', '모니터', '충전기', '이어폰', '드론',
  '청소기', '안마의자', '제습기', '가습기', '전기레인지', '식기세척기',
];

const ADJECTIVES = [
  'Blue', 'Red', 'Silver', 'Golden', 'Iron', 'Swift', 'Silent', 'Bright', 'Dark', 'Polar', 'Solar',
  'Lunar', 'Crimson', 'Amber', 'Jade', 'Cobalt', 'Scarlet', 'Stellar', 'Rapid', 'Quiet', 'Hidden',
  'Frozen', 'Wild', 'Royal', 'Prime', 'Nova', 'Astro', 'Hyper', 'Ultra', 'Echo',
];

const NOUNS = [
  'Falcon', 'Harbor', 'Orca', 'Phoenix', 'Comet', 'Summit', 'Lantern', 'Tiger', 'Raven', 'Maple',
  'River', 'Atlas', 'Beacon', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Glacier', 'Horizon', 'Juniper',
  'Kestrel', 'Lotus', 'Meteor', 'Nebula', 'Onyx', 'Pioneer', 'Quasar', 'Ridge', 'Sparrow', 'Tundra',
  'Vertex', 'Willow', 'Zephyr', 'Canyon', 'Aurora', 'Pulse', 'Forge', 'Spark', 'Wave', 'Mantis',
];

const EDITIONS = ['Pro', 'Max', 'Lite', 'Mini', 'Air', 'One', 'Edge', 'Neo', 'X'];

const LATIN_TAILS = ['AI', 'ONE', 'X', 'Pay', 'Go', 'Hub', 'Lab', 'Link', 'ERP', 'CRM', 'Pro'];

/** Confidentiality markers; most dictionaries start with these. */
const MARKERS = [
  '대외비', '사내한정', '극비', '기밀문서', '내부자료', '영업비밀', '유출금지', '배포금지', '비공개',
  'Confidential', 'TOP SECRET', 'Restricted', 'NDA',
];

/** Shares of the words that are not markers, by kind. */
const KIND_SHARES = [
  ['korean-code-name', 0.36],
  ['english-code-name', 0.22],
  ['korean-product', 0.14],
  ['english-product', 0.1],
  ['model-code', 0.12],
  ['mixed', 0.06],
] as const;

type Kind = (typeof KIND_SHARES)[number][0];

function koreanCodeNames(): string[] {
  return KOREAN_ROOTS.flatMap((root) => KOREAN_SUFFIXES.map((suffix) => root + suffix));
}

function englishCodeNames(): string[] {
  return ADJECTIVES.flatMap((adjective) => NOUNS.map((noun) => adjective + noun));
}

function koreanProducts(): string[] {
  return KOREAN_ROOTS.flatMap((root) =>
    PRODUCT_NOUNS.flatMap((noun) => [`${root} ${noun}`, `${root}${noun}`]));
}

function englishProducts(): string[] {
  return NOUNS.flatMap((noun) => EDITIONS.map((edition) => `${noun} ${edition}`));
}

function mixedNames(): string[] {
  return KOREAN_ROOTS.flatMap((root) => LATIN_TAILS.map((tail) => root + tail));
}

/** `HX-3040`, `QV-221A`: two letters, a dash, 3-4 digits, sometimes a revision letter. */
function modelCodes(random: Random, count: number): string[] {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const out = new Set<string>();
  while (out.size < count) {
    const head = random.pick([...letters]) + random.pick([...letters]);
    const number = random.digits(random.int(3, 4)).replace(/^0/, String(random.int(1, 9)));
    const revision = random.chance(0.3) ? random.pick([...letters]) : '';
    out.add(`${head}-${number}${revision}`);
  }
  return [...out];
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Everything the corpus writes besides code names, lower-cased, for the collision check. */
function corpusVocabulary(): string {
  const lists: readonly (readonly string[])[] = Object.values(W);
  return lists.flat().join('\n').toLowerCase();
}

function lengthFits(word: string): boolean {
  const length = [...word].length;
  return length >= MIN_LENGTH && length <= MAX_LENGTH;
}

export function companyDictionary(seed: number = DICTIONARY_SEED): CompanyDictionary {
  const random = createRandom(seed);
  const vocabulary = corpusVocabulary();
  const seen = new Set<string>();
  const words: string[] = [];
  const accept = (word: string): boolean => {
    const key = word.toLowerCase();
    if (!lengthFits(word) || seen.has(key) || vocabulary.includes(key)) return false;
    seen.add(key);
    words.push(word);
    return true;
  };
  for (const marker of MARKERS) accept(marker);
  const rest = DICTIONARY_SIZE - words.length;
  const pools: Record<Kind, string[]> = {
    'korean-code-name': shuffled(random, koreanCodeNames()),
    'english-code-name': shuffled(random, englishCodeNames()),
    'korean-product': shuffled(random, koreanProducts()),
    'english-product': shuffled(random, englishProducts()),
    'model-code': modelCodes(random, rest),
    mixed: shuffled(random, mixedNames()),
  };
  for (const [kind, share] of KIND_SHARES) {
    const quota = words.length + Math.round(rest * share);
    for (const word of pools[kind]) {
      if (words.length >= quota) break;
      accept(word);
    }
  }
  // Pools that ran short (length or collision rejects) are made up with more model codes.
  while (words.length < DICTIONARY_SIZE) accept(modelCodes(random, 1)[0] as string);
  const inUse = shuffled(random, words).slice(0, IN_USE_COUNT);
  return { words: shuffled(random, words), inUse };
}
