/**
 * Keyword context: does a word of the detector's own class say what a value is?
 *
 * Two places count:
 * 1. Near the value. The nearest keyword of the competing classes within `BEFORE` characters
 *    before it decides; if there is none, the nearest within `AFTER` characters after it. So in
 *    `주민번호 900101-1234568, 연락처 010-1234-5678` the phone number is judged by `연락처`, not by
 *    the `주민번호` before it: keywords raise confidence, they do not move a value to another type.
 * 2. The header cell of the value's column, when the value sits in a table row (CSV, tab- or
 *    pipe-separated): a customer list names the column once, thousands of rows above.
 *
 * Quoted CSV fields holding the delimiter shift the column count; such a row then gets no
 * header context (a known shortcoming, the near-keyword rule still applies).
 */
import type { Scan } from './scan.js';

/** Characters before a value searched for a keyword (a label and a few words, same line in practice). */
export const BEFORE = 60;
/** Characters after it (`110-123-456789 (신한은행)`, `… CVC 123`). */
export const AFTER = 30;
/** Lines searched upward for a table header. */
const HEADER_LOOKBACK_CHARS = 256 * 1024;

/** Comma, tab, bar. */
const DELIMITERS = [44, 9, 124] as const;

/** Index of the first context hit whose start is at or after `offset`. */
function firstAtOrAfter(scan: Scan, offset: number): number {
  const hits = scan.context;
  let low = 0;
  let high = hits.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (hits[mid]!.start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The keywords around one span, gathered once and asked by every judge of that span (a 13-digit
 * candidate is asked about by four judges with four different masks).
 */
interface Profile {
  scan: Scan | null;
  start: number;
  end: number;
  /** Keyword bits before the span, nearest first. */
  before: number[];
  /** Keyword bits after it, nearest first. */
  after: number[];
  /** The span's line when that line is a table row. */
  row: Row | null;
  /** Bits of the keywords in this column's header cell; -1 until needed. */
  header: number;
}

const profile: Profile = { scan: null, start: -1, end: -1, before: [], after: [], row: null, header: -1 };

function profileOf(scan: Scan, start: number, end: number): Profile {
  if (profile.scan === scan && profile.start === start && profile.end === end) return profile;
  const text = scan.text;
  const row = rowAt(scan, lineStart(text, start));
  // In a table row, the header row's keywords are not "near": `연락처` heading the next column
  // says nothing about this one. Only the row itself (a key-value row: `| 카드번호 | 4111… |`) and
  // the header cell of this column count.
  const from = row === null ? 0 : row.start;
  const to = row === null ? text.length : row.end;
  const hits = scan.context;
  profile.before.length = 0;
  profile.after.length = 0;
  for (let k = firstAtOrAfter(scan, start) - 1; k >= 0; k -= 1) {
    const hit = hits[k]!;
    if (hit.end < start - BEFORE || hit.start < from) break;
    if (hit.end <= start) profile.before.push(hit.bit);
  }
  for (let k = firstAtOrAfter(scan, end); k < hits.length; k += 1) {
    const hit = hits[k]!;
    if (hit.start >= end + AFTER || hit.end > to) break;
    profile.after.push(hit.bit);
  }
  profile.scan = scan;
  profile.start = start;
  profile.end = end;
  profile.row = row;
  profile.header = -1;
  return profile;
}

function firstMatching(bits: readonly number[], mask: number): number {
  for (const bit of bits) if ((bit & mask) !== 0) return bit;
  return 0;
}

/**
 * Is the value at [start, end) in `own` context? `rivals` are the classes whose keywords would
 * say it is something else; both are `CLASS_BIT` masks.
 */
export function hasContext(scan: Scan, start: number, end: number, own: number, rivals: number): boolean {
  const p = profileOf(scan, start, end);
  const mask = own | rivals;
  const near = firstMatching(p.before, mask) || firstMatching(p.after, mask);
  if (near !== 0) return (near & own) !== 0;
  if (p.row === null) return false;
  if (p.header < 0) p.header = headerBits(scan, p.row, start);
  return (p.header & own) !== 0;
}

/** A table row: its delimiter, how many it holds, and where the line ends. */
interface Row {
  readonly start: number;
  readonly end: number;
  readonly delimiter: number;
  readonly columns: number;
}

/** Lines longer than this are prose (or a minified blob), never a table row. */
const MAX_ROW_LENGTH = 4096;

function lineStart(text: string, at: number): number {
  // lastIndexOf clamps a negative position to 0 and would find a newline at 0 "before" offset 0.
  return at <= 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline < 0 ? text.length : newline;
}

function count(text: string, from: number, to: number, delimiter: number): number {
  let total = 0;
  for (let p = from; p < to; p += 1) if (text.charCodeAt(p) === delimiter) total += 1;
  return total;
}

/**
 * The line starting at `start` as a table row, or null. A bar or a tab makes a row; commas only
 * from two on (three cells), because prose has commas too.
 */
function readRow(text: string, start: number): Row | null {
  const end = lineEnd(text, start);
  if (end - start > MAX_ROW_LENGTH) return null;
  let commas = 0;
  let tabs = 0;
  let bars = 0;
  for (let p = start; p < end; p += 1) {
    const code = text.charCodeAt(p);
    if (code === 44) commas += 1;
    else if (code === 9) tabs += 1;
    else if (code === 124) bars += 1;
  }
  if (bars > 0) return { start, end, delimiter: DELIMITERS[2], columns: bars };
  if (tabs > 0) return { start, end, delimiter: DELIMITERS[1], columns: tabs };
  if (commas > 1) return { start, end, delimiter: DELIMITERS[0], columns: commas };
  return null;
}

/** Per scan: each line asked about, by line start, as a table row or null. */
const rowCache = new WeakMap<Scan, Map<number, Row | null>>();

function rowAt(scan: Scan, lineStartAt: number): Row | null {
  let cache = rowCache.get(scan);
  if (cache === undefined) {
    cache = new Map();
    rowCache.set(scan, cache);
  }
  let row = cache.get(lineStartAt);
  if (row === undefined) {
    row = readRow(scan.text, lineStartAt);
    cache.set(lineStartAt, row);
  }
  return row;
}

/** Per scan: for each table row's line start, the line start of its table's header row. */
const headerCache = new WeakMap<Scan, Map<number, number>>();

/**
 * The first line of the block of consecutive lines that share the row's delimiter and column
 * count: the header row, if the table has one. Memoised per scan, so a 10,000-row CSV costs one
 * walk up, not one per row.
 */
function headerLineOf(scan: Scan, row: Row): number {
  let cache = headerCache.get(scan);
  if (cache === undefined) {
    cache = new Map();
    headerCache.set(scan, cache);
  }
  const walked: number[] = [];
  let top = row.start;
  let found: number | undefined;
  while (top > 0 && row.start - top < HEADER_LOOKBACK_CHARS) {
    found = cache.get(top);
    if (found !== undefined) break;
    walked.push(top);
    const above = rowAt(scan, lineStart(scan.text, top - 1));
    if (above === null || above.delimiter !== row.delimiter || above.columns !== row.columns) break;
    top = above.start;
  }
  const header = found ?? top;
  for (const line of walked) cache.set(line, header);
  return header;
}

/** Bits of the keywords in the header cell of the column holding `at` (0 when there is no header). */
function headerBits(scan: Scan, row: Row, at: number): number {
  const text = scan.text;
  const header = headerLineOf(scan, row);
  if (header === row.start) return 0;
  const column = count(text, row.start, at, row.delimiter);
  const headerEnd = lineEnd(text, header);
  const hits = scan.context;
  let bits = 0;
  for (let k = firstAtOrAfter(scan, header); k < hits.length; k += 1) {
    const hit = hits[k]!;
    if (hit.start >= headerEnd) break;
    if (count(text, header, hit.start, row.delimiter) === column) bits |= hit.bit;
  }
  return bits;
}
