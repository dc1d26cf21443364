/**
 * Deterministic benchmark text: mixed Korean/English business mail content with sparse synthetic
 * personal data (about one value per 10 KB) and mentions of the company's dictionary words.
 *
 * Two styles, because detector speed depends mostly on how many digits a text holds:
 * - `business` (the main figure): digit-dense mail of a trading company: pipe tables of orders
 *   with barcodes, CSV exports with dates, phones and parcel numbers, signatures; about a third of
 *   its characters are digits. Near misses (phones, dates, order numbers, accounts, 12-digit
 *   tracking numbers, 13-digit barcodes, masked values) are what keep a number scanner busy.
 * - `prose`: the mail people type: Korean and English body text, replies and signatures, the odd
 *   table; a few percent of its characters are digits.
 *
 * Same seed, style and size, same string, on any machine. The generator knows exactly what it
 * planted: filler is checked to carry no resident number or card (at any confidence), so
 * "findings of those types = planted values" is a correctness check the benchmark prints beside
 * its speed. Filler does carry other personal-data types on purpose (the phones of a CSV export
 * and a signature are real phone findings); the benchmark reports their counts.
 */
import { Buffer } from 'node:buffer';
import { detectAll, type FindingType } from '../detectors/index.js';
import * as W from './corpus-words.js';
import { companyDictionary } from './dictionary.js';
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

export type CorpusStyle = 'business' | 'prose';
export const CORPUS_STYLES: readonly CorpusStyle[] = ['business', 'prose'];

/** Share of planted values that are RRNs; the rest are cards. */
const RRN_SHARE = 0.6;

/**
 * Chance that a sentence of prose is one naming a dictionary word. About one mention per 3 KB of
 * prose: a project name turns up in outbound mail often, but not in most sentences.
 */
const CODE_NAME_SHARE = 0.03;

/** Prose style: share of sentences drawn from the number-bearing business templates. */
const PROSE_NUMBERED_SHARE = 0.1;

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
  /** Default `business`. */
  readonly style?: CorpusStyle;
  /** Dictionary words the text mentions; default the benchmark dictionary's `inUse`. */
  readonly codeNames?: readonly string[];
  /**
   * Types no filler block may hold at any confidence; default the planted types. The benchmark
   * mails widen it to every type the shipped policy holds on, so a "clean" mail is clean.
   */
  readonly quietTypes?: readonly FindingType[];
}

export interface Corpus {
  readonly text: string;
  readonly style: CorpusStyle;
  /** Size of the text's UTF-8 encoding: the "MB" of every MB/s figure. */
  readonly utf8Bytes: number;
  /** UTF-16 code units (`text.length`), what the JavaScript scanner walks. */
  readonly utf16Units: number;
  /** Share of UTF-16 units that are ASCII or full-width digits. */
  readonly digitShare: number;
  readonly planted: Readonly<Record<PlantedType, number>>;
  /** Dictionary words written into the text (each is one keyword finding). */
  readonly codeNameMentions: number;
  readonly seed: number;
}

const PLANTED_TYPES: readonly FindingType[] = ['rrn', 'credit_card'];

/** Generator state for one corpus. */
interface Writer {
  readonly random: Random;
  readonly style: CorpusStyle;
  readonly codeNames: readonly string[];
  readonly quietTypes: readonly FindingType[];
  mentions: number;
}

/** The benchmark dictionary's words in use, built on first need (about 0.1 s) and kept. */
let defaultCodeNames: readonly string[] | undefined;

export function generateCorpus(options: CorpusOptions): Corpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const every = options.piiEveryBytes ?? DEFAULT_PII_EVERY_BYTES;
  const style = options.style ?? 'business';
  const codeNames = options.codeNames ?? (defaultCodeNames ??= companyDictionary().inUse);
  const quietTypes = options.quietTypes ?? PLANTED_TYPES;
  const w: Writer = { random: createRandom(seed), style, codeNames, quietTypes, mentions: 0 };
  const parts: string[] = [];
  const planted: Record<PlantedType, number> = { rrn: 0, credit_card: 0 };
  let bytes = 0;
  let nextPlant = Number.isFinite(every) ? jitter(w.random, every) : Infinity;
  while (bytes < options.bytes) {
    let block: string;
    if (bytes >= nextPlant) {
      const type: PlantedType = w.random.chance(RRN_SHARE) ? 'rrn' : 'credit_card';
      block = plantedBlock(w, type);
      planted[type] += 1;
      nextPlant += jitter(w.random, every);
    } else {
      block = quietBlock(w);
    }
    parts.push(block);
    bytes += Buffer.byteLength(block, 'utf8');
  }
  const text = parts.join('');
  return {
    text,
    style,
    utf8Bytes: bytes,
    utf16Units: text.length,
    digitShare: digitCount(text) / text.length,
    planted,
    codeNameMentions: w.mentions,
    seed,
  };
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code >= 48 && code <= 57) || (code >= 0xff10 && code <= 0xff19)) n += 1;
  }
  return n;
}

/** Spacing between planted values: uniform in [0.5, 1.5] × the average. */
function jitter(random: Random, every: number): number {
  return Math.round(every * (0.5 + random.next()));
}

/** Findings of `types` in `text`, at any confidence. */
function findingsOf(text: string, types: readonly FindingType[]): number {
  return detectAll(text).filter((f) => types.includes(f.type)).length;
}

function quietBlock(w: Writer): string {
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt += 1) {
    const mentions = w.mentions;
    const block = fillerBlock(w);
    if (findingsOf(block, w.quietTypes) === 0) return block;
    // A redrawn block's mentions never reach the text.
    w.mentions = mentions;
  }
  throw new Error(`corpus: ${MAX_REDRAWS} filler blocks in a row look like personal data`);
}

function plantedBlock(w: Writer, type: PlantedType): string {
  const { random } = w;
  const templates = type === 'rrn' ? W.RRN_SENTENCES : W.CARD_SENTENCES;
  const value =
    type === 'rrn'
      ? formatRrn(syntheticRrnDigits(random), random)
      : formatCard(syntheticCardDigits(random), random);
  const line = fill(w, random.pick(templates)).replace('{pii}', value);
  const block = `${line}\n`;
  // A planted block must be found exactly once, or the found/planted check means nothing.
  if (findingsOf(block, PLANTED_TYPES) !== 1) {
    throw new Error(`corpus: a planted ${type} block is not found exactly once`);
  }
  return block;
}

function fillerBlock(w: Writer): string {
  const roll = w.random.next();
  if (w.style === 'prose') {
    if (roll < 0.66) return koreanParagraph(w);
    if (roll < 0.88) return englishParagraph(w);
    if (roll < 0.92) return signature(w);
    if (roll < 0.988) return replyHeader(w);
    if (roll < 0.997) return pipeTable(w);
    return csvExport(w);
  }
  if (roll < 0.45) return koreanParagraph(w);
  if (roll < 0.6) return englishParagraph(w);
  if (roll < 0.75) return pipeTable(w);
  if (roll < 0.9) return csvExport(w);
  return signature(w);
}

/** One sentence: now and then one naming a dictionary word; in prose mostly number-free. */
function sentence(w: Writer, korean: boolean): string {
  const { random } = w;
  let templates: readonly string[];
  if (w.codeNames.length > 0 && random.chance(CODE_NAME_SHARE)) {
    templates = korean ? W.KOREAN_CODE_NAME_SENTENCES : W.ENGLISH_CODE_NAME_SENTENCES;
  } else if (w.style === 'prose' && !random.chance(PROSE_NUMBERED_SHARE)) {
    templates = korean ? W.KOREAN_PROSE : W.ENGLISH_PROSE;
  } else {
    templates = korean ? W.KOREAN_SENTENCES : W.ENGLISH_SENTENCES;
  }
  return fill(w, random.pick(templates));
}

function paragraph(w: Writer, korean: boolean, count: number): string {
  const sentences = Array.from({ length: count }, () => sentence(w, korean));
  return `${sentences.join(' ')}\n\n`;
}

function koreanParagraph(w: Writer): string {
  return paragraph(w, true, w.random.int(2, 6));
}

function englishParagraph(w: Writer): string {
  return paragraph(w, false, w.random.int(2, 4));
}

/** An order table as mail clients paste it: pipe-separated, barcode column included. */
function pipeTable(w: Writer): string {
  const { random } = w;
  const rows = ['| 주문번호 | 품목 | 수량 | 금액(원) | 바코드 | 상태 |', '|---|---|---:|---:|---|---|'];
  for (let i = random.int(3, 8); i > 0; i -= 1) {
    const cells = [order(random), random.pick(W.PRODUCTS), String(random.int(1, 500)),
      amount(random), barcode(random), random.pick(W.STATUSES)];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return `${rows.join('\n')}\n\n`;
}

/** A CSV export (주문 내역) with dates, names, phones and amounts. */
function csvExport(w: Writer): string {
  const { random } = w;
  const rows = ['주문일자,주문번호,고객명,연락처,수량,금액,운송장번호,상태'];
  for (let i = random.int(3, 10); i > 0; i -= 1) {
    const cells = [isoDate(random), order(random), koreanName(random), mobile(random),
      String(random.int(1, 99)), String(random.int(1, 900) * 1000), tracking(random),
      random.pick(W.STATUSES)];
    rows.push(cells.join(','));
  }
  return `${rows.join('\n')}\n\n`;
}

function signature(w: Writer): string {
  const { random } = w;
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

/** The line a mail client puts above a quoted reply, then a quoted sentence or two. */
function replyHeader(w: Writer): string {
  const { random } = w;
  const when = `${koreanDate(random)} 오후 ${random.int(1, 11)}:${String(random.int(0, 59)).padStart(2, '0')}`;
  const quoted = Array.from({ length: random.int(1, 3) }, () => `> ${sentence(w, true)}`);
  return `${when}, ${koreanName(random)} <${email(random)}> 작성:\n${quoted.join('\n')}\n\n`;
}

/** Fill every `{placeholder}` except `{pii}`. */
function fill(w: Writer, template: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (key === 'codename') {
      w.mentions += 1;
      return w.random.pick(w.codeNames);
    }
    const make = PLACEHOLDERS[key];
    return make ? make(w.random) : whole;
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
