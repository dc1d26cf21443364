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
  const starts = scan.context.starts;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! < offset) low = mid + 1;
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
  /** Keyword bits before the span, nearest first; the first `beforeCount` slots are this span's. */
  before: number[];
  beforeCount: number;
  /** Keyword bits after it, nearest first; the first `afterCount` slots are this span's. */
  after: number[];
  afterCount: number;
  /** The span's line when that line is a table row. */
  row: Row | null;
  /** Bits of the keywords in this column's header cell; -1 until needed. */
  header: number;
}

const profile: Profile = { scan: null, start: -1, end: -1, before: [], beforeCount: 0, after: [], afterCount: 0, row: null, header: -1 };

function profileOf(scan: Scan, start: number, end: number): Profile {
  if (profile.scan === scan && profile.start === start && profile.end === end) return profile;
  const text = scan.text;
  const row = rowAt(scan, lineStart(scan, start));
  // In a table row, the header row's keywords are not "near": `연락처` heading the next column
  // says nothing about this one. Only the row itself (a key-value row: `| 카드번호 | 4111… |`) and
  // the header cell of this column count.
  const from = row === null ? 0 : row.start;
  const to = row === null ? text.length : row.end;
  const { starts, ends, bits } = scan.context;
  let before = 0;
  for (let k = firstAtOrAfter(scan, start) - 1; k >= 0; k -= 1) {
    if (ends[k]! < start - BEFORE || starts[k]! < from) break;
    if (ends[k]! <= start) profile.before[before++] = bits[k]!;
  }
  let after = 0;
  for (let k = firstAtOrAfter(scan, end); k < starts.length; k += 1) {
    if (starts[k]! >= end + AFTER || ends[k]! > to) break;
    profile.after[after++] = bits[k]!;
  }
  profile.beforeCount = before;
  profile.afterCount = after;
  profile.scan = scan;
  profile.start = start;
  profile.end = end;
  profile.row = row;
  profile.header = -1;
  return profile;
}

function firstMatching(bits: readonly number[], count: number, mask: number): number {
  for (let k = 0; k < count; k += 1) if ((bits[k]! & mask) !== 0) return bits[k]!;
  return 0;
}

/**
 * The keyword evidence for the value at [start, end), among the classes in `mask` (`CLASS_BIT`
 * bits): the bit of the nearest such keyword, else the bits of the column's header cell, else 0.
 */
export function contextBits(scan: Scan, start: number, end: number, mask: number): number {
  const p = profileOf(scan, start, end);
  const near = firstMatching(p.before, p.beforeCount, mask) || firstMatching(p.after, p.afterCount, mask);
  if (near !== 0 || p.row === null) return near;
  if (p.header < 0) p.header = headerBits(scan, p.row, start);
  return p.header & mask;
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

/** Index of the first newline at or after `offset` in the scan's newline list. */
function newlineAtOrAfter(scan: Scan, offset: number): number {
  const lines = scan.newlines;
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lines[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Start of the line holding `at` (the scanner recorded every newline, so this is a lookup). */
function lineStart(scan: Scan, at: number): number {
  const k = newlineAtOrAfter(scan, at) - 1;
  return k < 0 ? 0 : scan.newlines[k]! + 1;
}

/** End of the line holding `at`: the offset of its newline, or the text's length. */
function lineEnd(scan: Scan, at: number): number {
  const k = newlineAtOrAfter(scan, at);
  return k < scan.newlines.length ? scan.newlines[k]! : scan.text.length;
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
function readRow(scan: Scan, start: number): Row | null {
  const text = scan.text;
  const end = lineEnd(scan, start);
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

/**
 * Line facts memoised for the scan being judged. One scan at a time: `detect` judges its scan
 * to the end before it returns, so a single slot does, and it saves a WeakMap lookup on every
 * question about a line.
 */
const memo = {
  scan: null as Scan | null,
  /** Each line asked about, by line start, as a table row or null. */
  rows: new Map<number, Row | null>(),
  /** For each table row's line start, the line start of its table's header row. */
  headers: new Map<number, number>(),
  /** For each header line, the keyword bits of each of its columns. */
  headerColumns: new Map<number, number[]>(),
};

function memoFor(scan: Scan): typeof memo {
  if (memo.scan !== scan) {
    memo.scan = scan;
    memo.rows = new Map();
    memo.headers = new Map();
    memo.headerColumns = new Map();
  }
  return memo;
}

/** Drops what is memoised about `scan`, so a judged text is not kept alive until the next one. */
export function forgetScan(scan: Scan): void {
  if (memo.scan === scan) {
    memo.scan = null;
    memo.rows = new Map();
    memo.headers = new Map();
    memo.headerColumns = new Map();
  }
  if (profile.scan === scan) {
    profile.scan = null;
    profile.row = null;
  }
}

function rowAt(scan: Scan, lineStartAt: number): Row | null {
  const cache = memoFor(scan).rows;
  let row = cache.get(lineStartAt);
  if (row === undefined) {
    row = readRow(scan, lineStartAt);
    cache.set(lineStartAt, row);
  }
  return row;
}

/**
 * The first line of the block of consecutive lines that share the row's delimiter and column
 * count: the header row, if the table has one. Memoised per scan, so a 10,000-row CSV costs one
 * walk up, not one per row.
 */
function headerLineOf(scan: Scan, row: Row): number {
  const cache = memoFor(scan).headers;
  const walked: number[] = [];
  let top = row.start;
  let found: number | undefined;
  while (top > 0 && row.start - top < HEADER_LOOKBACK_CHARS) {
    found = cache.get(top);
    if (found !== undefined) break;
    walked.push(top);
    const above = rowAt(scan, lineStart(scan, top - 1));
    if (above === null || above.delimiter !== row.delimiter || above.columns !== row.columns) break;
    top = above.start;
  }
  const header = found ?? top;
  for (const line of walked) cache.set(line, header);
  return header;
}

/** Keyword bits per column of the header line at `header`, computed once per line. */
function headerColumns(scan: Scan, header: number, delimiter: number): number[] {
  const cache = memoFor(scan).headerColumns;
  let columns = cache.get(header);
  if (columns !== undefined) return columns;
  columns = [];
  const text = scan.text;
  const end = lineEnd(scan, header);
  const { starts, bits } = scan.context;
  let column = 0;
  let at = header;
  for (let k = firstAtOrAfter(scan, header); k < starts.length; k += 1) {
    if (starts[k]! >= end) break;
    column += count(text, at, starts[k]!, delimiter);
    at = starts[k]!;
    columns[column] = (columns[column] ?? 0) | bits[k]!;
  }
  cache.set(header, columns);
  return columns;
}

/** Bits of the keywords in the header cell of the column holding `at` (0 when there is no header). */
function headerBits(scan: Scan, row: Row, at: number): number {
  const header = headerLineOf(scan, row);
  if (header === row.start) return 0;
  const column = count(scan.text, row.start, at, row.delimiter);
  return headerColumns(scan, header, row.delimiter)[column] ?? 0;
}
