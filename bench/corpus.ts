/**
 * Deterministic benchmark text: mixed Korean/English business mail content (prose, pipe tables,
 * CSV exports, signatures) with sparse synthetic personal data, about one value per 10 KB.
 *
 * Same seed and size, same string, on any machine. The generator knows exactly what it planted;
 * filler is checked to carry none of the planted types, so "detector findings = planted values"
 * is a correctness check the benchmark can print beside its speed. Filler is full of near misses
 * (phone numbers, dates, order numbers, accounts, 12-digit tracking numbers, 13-digit barcodes,
 * masked values), because that, not prose, is what keeps a digit-led regex busy.
 */
import { Buffer } from 'node:buffer';
import { detectAll } from '../detectors/index.js';
import * as W from './corpus-words.js';
import { createRandom, type Random } from './random.js';
import {
  formatCard,
  formatRrn,
  syntheticCardDigits,
  syntheticRrnDigits,
  type PlantedType,
} from './synthetic-pii.js';

/** Default seed: any fixed number; changing it changes every figure's input. */
export const DEFAULT_SEED = 20261203;

/** One planted value per this many UTF-8 bytes on average (the brief's "1 per ~10 KB"). */
export const DEFAULT_PII_EVERY_BYTES = 10_000;

/** Share of planted values that are RRNs; the rest are cards. */
const RRN_SHARE = 0.6;

/**
 * A filler block that happens to look like planted data (a barcode that passes the RRN check by
 * chance, about one in ten of the barcodes that start with a real date) is redrawn. More redraws
 * than this in a row means the vocabulary itself matches, which is a bug to fix, not to loop on.
 */
const MAX_REDRAWS = 50;

export interface CorpusOptions {
  /** Target size in UTF-8 bytes; the text ends at the first block boundary at or past it. */
  readonly bytes: number;
  readonly seed?: number;
  /** Average spacing of planted values in UTF-8 bytes; `Infinity` plants none. */
  readonly piiEveryBytes?: number;
}

export interface Corpus {
  readonly text: string;
  /** Size of the text's UTF-8 encoding: the "MB" of every MB/s figure. */
  readonly utf8Bytes: number;
  /** UTF-16 code units (`text.length`), what the JavaScript regexes walk. */
  readonly utf16Units: number;
  readonly planted: Readonly<Record<PlantedType, number>>;
  readonly seed: number;
}

const PLANTED_TYPES: readonly PlantedType[] = ['rrn', 'credit_card'];

export function generateCorpus(options: CorpusOptions): Corpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const every = options.piiEveryBytes ?? DEFAULT_PII_EVERY_BYTES;
  const random = createRandom(seed);
  const parts: string[] = [];
  const planted: Record<PlantedType, number> = { rrn: 0, credit_card: 0 };
  let bytes = 0;
  let nextPlant = Number.isFinite(every) ? jitter(random, every) : Infinity;
  while (bytes < options.bytes) {
    let block: string;
    if (bytes >= nextPlant) {
      const type: PlantedType = random.chance(RRN_SHARE) ? 'rrn' : 'credit_card';
      block = plantedBlock(random, type);
      planted[type] += 1;
      nextPlant += jitter(random, every);
    } else {
      block = quietBlock(random);
    }
    parts.push(block);
    bytes += Buffer.byteLength(block, 'utf8');
  }
  const text = parts.join('');
  return { text, utf8Bytes: bytes, utf16Units: text.length, planted, seed };
}

/** Spacing between planted values: uniform in [0.5, 1.5] × the average. */
function jitter(random: Random, every: number): number {
  return Math.round(every * (0.5 + random.next()));
}

/** Findings of the planted types in `text`. */
function plantedFindings(text: string): number {
  const planted = PLANTED_TYPES as readonly string[];
  return detectAll(text).filter((f) => planted.includes(f.type)).length;
}

function quietBlock(random: Random): string {
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt += 1) {
    const block = fillerBlock(random);
    if (plantedFindings(block) === 0) return block;
  }
  throw new Error(`corpus: ${MAX_REDRAWS} filler blocks in a row look like personal data`);
}

function plantedBlock(random: Random, type: PlantedType): string {
  const templates = type === 'rrn' ? W.RRN_SENTENCES : W.CARD_SENTENCES;
  const value =
    type === 'rrn'
      ? formatRrn(syntheticRrnDigits(random), random)
      : formatCard(syntheticCardDigits(random), random);
  const line = fill(random.pick(templates), random).replace('{pii}', value);
  const block = `${line}\n`;
  // A planted block must be found exactly once, or the found/planted check means nothing.
  if (plantedFindings(block) !== 1) {
    throw new Error(`corpus: a planted ${type} block is not found exactly once`);
  }
  return block;
}

function fillerBlock(random: Random): string {
  const roll = random.next();
  if (roll < 0.45) return koreanParagraph(random);
  if (roll < 0.6) return englishParagraph(random);
  if (roll < 0.75) return pipeTable(random);
  if (roll < 0.9) return csvExport(random);
  return signature(random);
}

function koreanParagraph(random: Random): string {
  const count = random.int(2, 6);
  return `${sentences(random, W.KOREAN_SENTENCES, count).join(' ')}\n\n`;
}

function englishParagraph(random: Random): string {
  const count = random.int(2, 4);
  return `${sentences(random, W.ENGLISH_SENTENCES, count).join(' ')}\n\n`;
}

function sentences(random: Random, templates: readonly string[], count: number): string[] {
  return Array.from({ length: count }, () => fill(random.pick(templates), random));
}

/** An order table as mail clients paste it: pipe-separated, barcode column included. */
function pipeTable(random: Random): string {
  const rows = ['| 주문번호 | 품목 | 수량 | 금액(원) | 바코드 | 상태 |', '|---|---|---:|---:|---|---|'];
  for (let i = random.int(3, 8); i > 0; i -= 1) {
    const cells = [order(random), random.pick(W.PRODUCTS), String(random.int(1, 500)),
      amount(random), barcode(random), random.pick(W.STATUSES)];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return `${rows.join('\n')}\n\n`;
}

/** A CSV export (주문 내역) with dates, names, phones and amounts. */
function csvExport(random: Random): string {
  const rows = ['주문일자,주문번호,고객명,연락처,수량,금액,운송장번호,상태'];
  for (let i = random.int(3, 10); i > 0; i -= 1) {
    const cells = [isoDate(random), order(random), koreanName(random), mobile(random),
      String(random.int(1, 99)), String(random.int(1, 900) * 1000), tracking(random),
      random.pick(W.STATUSES)];
    rows.push(cells.join(','));
  }
  return `${rows.join('\n')}\n\n`;
}

function signature(random: Random): string {
  return [
    '--',
    `${koreanName(random)} 과장 | ${random.pick(W.DEPARTMENTS)} | ${random.pick(W.COMPANIES)}`,
    `T. ${landline(random)}  F. ${landline(random)}  M. ${mobile(random)}`,
    `${random.pick(W.CITIES)} ${random.int(1, 400)}`,
    `E. ${email(random)}`,
    '',
    '',
  ].join('\n');
}

/** Fill every `{placeholder}` except `{pii}`. */
function fill(template: string, random: Random): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const make = PLACEHOLDERS[key];
    return make ? make(random) : whole;
  });
}

const PLACEHOLDERS: Record<string, (random: Random) => string> = {
  name: koreanName,
  name2: koreanName,
  name_en: (r) => r.pick(W.ENGLISH_NAMES),
  company: (r) => r.pick(W.COMPANIES),
  company_en: (r) => r.pick(W.ENGLISH_COMPANIES),
  dept: (r) => r.pick(W.DEPARTMENTS),
  dept_en: (r) => r.pick(W.ENGLISH_DEPARTMENTS),
  product: (r) => r.pick(W.PRODUCTS),
  product_en: (r) => r.pick(W.ENGLISH_PRODUCTS),
  qty: (r) => String(r.int(1, 2000)),
  order,
  invoice: (r) => `INV-${isoDate(r).replace(/-/g, '')}-${r.digits(4)}`,
  tracking,
  date: koreanDate,
  date_en: (r) => isoDate(r),
  hour: (r) => String(r.int(1, 11)),
  amount,
  usd: (r) => `${r.int(1, 99)},${r.digits(3)}.${r.digits(2)}`,
  pct: (r) => `${r.int(0, 99)}.${r.int(0, 9)}`,
  phone: mobile,
  phone_intl: (r) => `+82 10-1${r.digits(3)}-${r.digits(4)}`,
  bank: (r) => r.pick(W.BANKS),
  account: (r) => `${r.digits(6)}-${r.digits(2)}-${r.digits(6)}`,
  bizno: (r) => `${r.digits(3)}-${r.digits(2)}-${r.digits(5)}`,
  city: (r) => r.pick(W.CITIES),
  streetno: (r) => String(r.int(1, 400)),
  email,
  mm: (r) => String(r.int(1, 12)).padStart(2, '0'),
  yy: (r) => String(r.int(26, 31)),
};

function koreanName(random: Random): string {
  return random.pick(W.SURNAMES) + random.pick(W.GIVEN_NAMES);
}

function order(random: Random): string {
  return `PO-${random.int(2023, 2026)}-${random.digits(5)}`;
}

/** 12-digit parcel numbers (CJ, Hanjin): one digit short of anything we detect. */
function tracking(random: Random): string {
  return `6${random.digits(11)}`;
}

/** EAN-13 with the Korean 880 prefix; some parse as a birth date, hence the filler check. */
function barcode(random: Random): string {
  return `880${random.digits(10)}`;
}

function amount(random: Random): string {
  // Thousands separators by hand: toLocaleString depends on the ICU build.
  return String(random.int(1, 50_000) * 1000).replace(/\B(?=(\d{3})+$)/g, ',');
}

function isoDate(random: Random): string {
  const month = String(random.int(1, 12)).padStart(2, '0');
  const day = String(random.int(1, 28)).padStart(2, '0');
  return `${random.int(2023, 2026)}-${month}-${day}`;
}

function koreanDate(random: Random): string {
  return `${random.int(2023, 2026)}년 ${random.int(1, 12)}월 ${random.int(1, 28)}일`;
}

/** 010-1xxx is unassigned, so these can never be someone's number (korean-pii.md §1.7). */
function mobile(random: Random): string {
  return `010-1${random.digits(3)}-${random.digits(4)}`;
}

function landline(random: Random): string {
  return `0${random.pick(['2', '31', '51', '42'])}-1${random.digits(2)}-${random.digits(4)}`;
}

function email(random: Random): string {
  const user = random.pick(['sales', 'order', 'minjun.kim', 'seoyeon.lee', 'support', 'hr']);
  return `${user}@${random.pick(W.COMPANY_DOMAINS)}`;
}
