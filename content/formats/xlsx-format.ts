/**
 * Spreadsheet number formats, applied so a cell reads as Excel shows it: a resident number kept
 * as the number 9001011234568 with the format `000000-0000000` must reach the detectors as
 * "900101-1234568", a phone number 1012345678 with `000-0000-0000` as "010-1234-5678", a date
 * serial as 2024-03-01.
 *
 * Covered: sections (positive;negative;zero;text) with simple conditions, quoted and escaped
 * literals, `_x` spacing, `*x` fill (dropped), colours and locale tags (ignored), `[$₩-412]`
 * currency text, digit placeholders `0 # ?` with literals between them, grouping and scaling
 * commas, `%`, scientific `E+`, `@`, `General`, and dates/times (y m d h s, AM/PM, Korean
 * weekday `aaa`; shown by xlsx-dates.ts). Not covered, so the raw value is shown instead:
 * fractions (`# ?/?`), elapsed time (`[h]:mm`), Korean numeral forms (`[DBNum1]`…). Showing
 * the raw value is the safe side for a DLP: the digits are all there.
 */
import { formatDate } from './xlsx-dates.js';

export type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'digit'; readonly char: '0' | '#' | '?' }
  | { readonly kind: 'point' }
  | { readonly kind: 'comma' }
  | { readonly kind: 'percent' }
  | { readonly kind: 'exponent'; readonly plus: boolean }
  | { readonly kind: 'date'; readonly code: string }
  | { readonly kind: 'ampm'; readonly short: boolean }
  | { readonly kind: 'text' }
  | { readonly kind: 'general' };

interface Condition {
  readonly op: '<' | '<=' | '>' | '>=' | '=' | '<>';
  readonly value: number;
}

interface Section {
  readonly tokens: Token[];
  readonly condition: Condition | null;
  readonly unsupported: boolean;
}

/**
 * Excel's built-in formats by id, as a Korean-locale Excel shows them (id 14 is yyyy-mm-dd
 * there, not the US m/d/yy). Locale-dependent ids not listed fall back to the raw value.
 */
const BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  5: '#,##0;-#,##0',
  6: '#,##0;-#,##0',
  7: '#,##0.00;-#,##0.00',
  8: '#,##0.00;-#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'yyyy-mm-dd',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'yyyy-mm-dd h:mm',
  27: 'yyyy"년" mm"월" dd"일"',
  28: 'mm-dd',
  29: 'mm-dd',
  30: 'mm-dd-yy',
  31: 'yyyy"년" mm"월" dd"일"',
  32: 'h"시" mm"분"',
  33: 'h"시" mm"분" ss"초"',
  34: 'yyyy-mm-dd',
  35: 'yyyy-mm-dd',
  36: 'yyyy"년" mm"월" dd"일"',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;(#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;(#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
  48: '##0.0E+0',
  49: '@',
  50: 'yyyy-mm-dd',
  51: 'yyyy"년" mm"월" dd"일"',
  52: 'yyyy-mm',
  53: 'mm-dd',
  54: 'yyyy"년" mm"월" dd"일"',
  55: 'yyyy-mm',
  56: 'mm-dd',
  57: 'yyyy-mm-dd',
  58: 'yyyy"년" mm"월" dd"일"',
};

export function builtinFormat(id: number): string | undefined {
  return BUILTIN_FORMATS[id];
}

/** A number as Excel's General format would show it, without switching to exponents early. */
export function formatGeneral(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  // Excel keeps 15 significant digits; binary noise past them (0.30000000000000004) goes.
  return String(Number(value.toPrecision(15)));
}

/** `value` formatted with the number format `code`; the raw value when the format is not covered. */
export function formatNumber(value: number, code: string, date1904 = false): string {
  if (!Number.isFinite(value)) return String(value);
  const sections = parsedFormat(code);
  const chosen = chooseSection(sections, value);
  if (chosen === null || chosen.section.unsupported) return formatGeneral(value);
  const { section, magnitude, sign } = chosen;
  const tokens = section.tokens;
  let body: string | null;
  if (tokens.some((t) => t.kind === 'general')) body = renderGeneral(tokens, magnitude);
  else if (tokens.some(isDateToken)) body = formatDate(tokens, magnitude, date1904);
  else if (tokens.some((t) => t.kind === 'digit')) body = formatDigits(tokens, magnitude);
  else if (tokens.some((t) => t.kind === 'text')) body = formatGeneral(value);
  else body = literalsOnly(tokens);
  if (body === null) return formatGeneral(value);
  return sign && /[1-9]/.test(body) ? `-${body}` : body;
}

function isDateToken(token: Token): boolean {
  return token.kind === 'date' || token.kind === 'ampm';
}

function chooseSection(
  sections: readonly Section[],
  value: number,
): { section: Section; magnitude: number; sign: boolean } | null {
  // A text-only section (with @) never formats a number.
  const numeric = sections.filter((s, i) => i < 3 && !s.tokens.some((t) => t.kind === 'text'));
  if (numeric.length === 0) return null;
  if (numeric.some((s) => s.condition !== null)) {
    const matched = numeric.find((s) => s.condition !== null && holds(s.condition, value));
    const section = matched ?? numeric.find((s) => s.condition === null);
    if (section === undefined) return null;
    return { section, magnitude: Math.abs(value), sign: value < 0 && section === numeric[0] };
  }
  const [first, second, third] = numeric;
  if (first === undefined) return null;
  if (value < 0 && second !== undefined) return { section: second, magnitude: -value, sign: false };
  if (value === 0 && third !== undefined) return { section: third, magnitude: 0, sign: false };
  return { section: first, magnitude: Math.abs(value), sign: value < 0 };
}

function holds(condition: Condition, value: number): boolean {
  switch (condition.op) {
    case '<':
      return value < condition.value;
    case '<=':
      return value <= condition.value;
    case '>':
      return value > condition.value;
    case '>=':
      return value >= condition.value;
    case '=':
      return value === condition.value;
    case '<>':
      return value !== condition.value;
  }
}

// ---- parsing -------------------------------------------------------------------------------

/** Parsed formats by code: a sheet uses a handful of formats for thousands of cells. */
const PARSED = new Map<string, Section[]>();
const MAX_PARSED = 512;

function parsedFormat(code: string): Section[] {
  let sections = PARSED.get(code);
  if (sections === undefined) {
    if (PARSED.size >= MAX_PARSED) PARSED.clear();
    sections = parseFormat(code);
    PARSED.set(code, sections);
  }
  return sections;
}

function parseFormat(code: string): Section[] {
  const sections: Section[] = [];
  let tokens: Token[] = [];
  let condition: Condition | null = null;
  let unsupported = false;
  let i = 0;
  const literal = (text: string): void => {
    tokens.push({ kind: 'literal', text });
  };
  while (i < code.length) {
    const ch = code[i] ?? '';
    const rest = code.slice(i);
    if (ch === ';') {
      sections.push({ tokens, condition, unsupported });
      tokens = [];
      condition = null;
      unsupported = false;
      i += 1;
    } else if (ch === '"') {
      const end = code.indexOf('"', i + 1);
      literal(code.slice(i + 1, end < 0 ? code.length : end));
      i = end < 0 ? code.length : end + 1;
    } else if (ch === '\\') {
      literal(code[i + 1] ?? '');
      i += 2;
    } else if (ch === '_') {
      literal(' ');
      i += 2;
    } else if (ch === '*') {
      i += 2;
    } else if (ch === '[') {
      const end = code.indexOf(']', i + 1);
      const inside = code.slice(i + 1, end < 0 ? code.length : end);
      i = end < 0 ? code.length : end + 1;
      const bracket = parseBracket(inside);
      if (bracket.condition) condition = bracket.condition;
      if (bracket.literal) literal(bracket.literal);
      if (bracket.unsupported) unsupported = true;
    } else if (/^general/i.test(rest)) {
      tokens.push({ kind: 'general' });
      i += 7;
    } else if (ch === '0' || ch === '#' || ch === '?') {
      tokens.push({ kind: 'digit', char: ch });
      i += 1;
    } else if (ch === '.') {
      tokens.push({ kind: 'point' });
      i += 1;
    } else if (ch === ',') {
      tokens.push({ kind: 'comma' });
      i += 1;
    } else if (ch === '%') {
      tokens.push({ kind: 'percent' });
      i += 1;
    } else if ((ch === 'E' || ch === 'e') && (code[i + 1] === '+' || code[i + 1] === '-')) {
      tokens.push({ kind: 'exponent', plus: code[i + 1] === '+' });
      i += 2;
    } else if (ch === '@') {
      tokens.push({ kind: 'text' });
      i += 1;
    } else if (/^am\/pm/i.test(rest)) {
      tokens.push({ kind: 'ampm', short: false });
      i += 5;
    } else if (/^a\/p/i.test(rest)) {
      tokens.push({ kind: 'ampm', short: true });
      i += 3;
    } else if (/[ymdhsa]/i.test(ch)) {
      let run = 1;
      while (code[i + run]?.toLowerCase() === ch.toLowerCase()) run += 1;
      const letter = ch.toLowerCase();
      if (letter === 'a' && run < 3) literal(code.slice(i, i + run));
      else tokens.push({ kind: 'date', code: letter.repeat(run) });
      i += run;
    } else {
      literal(ch);
      i += 1;
    }
  }
  sections.push({ tokens, condition, unsupported });
  return sections.map(markFractions);
}

function parseBracket(inside: string): { condition?: Condition; literal?: string; unsupported?: boolean } {
  const condition = /^(<=|>=|<>|<|>|=)\s*(-?[\d.]+)$/.exec(inside);
  if (condition) return { condition: { op: condition[1] as Condition['op'], value: Number(condition[2]) } };
  if (/^(h+|m+|s+)$/i.test(inside)) return { unsupported: true };
  if (/^dbnum/i.test(inside)) return { unsupported: true };
  if (inside.startsWith('$')) {
    const dash = inside.indexOf('-');
    return { literal: inside.slice(1, dash < 0 ? inside.length : dash) };
  }
  return {};
}

/** `# ?/?` and friends: a slash between digit placeholders is a fraction, not covered. */
function markFractions(section: Section): Section {
  const { tokens } = section;
  const slash = tokens.findIndex((t) => t.kind === 'literal' && t.text === '/');
  const isDate = tokens.some((t) => t.kind === 'date');
  if (slash < 0 || isDate) return section;
  const digitBefore = tokens.slice(0, slash).some((t) => t.kind === 'digit');
  const digitAfter = tokens.slice(slash + 1).some((t) => t.kind === 'digit');
  return digitBefore && digitAfter ? { ...section, unsupported: true } : section;
}

// ---- numbers -------------------------------------------------------------------------------

function formatDigits(tokens: readonly Token[], magnitude: number): string | null {
  if (tokens.some((t) => t.kind === 'date' || t.kind === 'ampm')) return null;
  let value = magnitude * 100 ** tokens.filter((t) => t.kind === 'percent').length;
  const exponentAt = tokens.findIndex((t) => t.kind === 'exponent');
  const numberEnd = exponentAt < 0 ? tokens.length : exponentAt;
  const lastDigit = lastIndexWhere(tokens.slice(0, numberEnd), (t) => t.kind === 'digit');
  const pointAt = tokens.findIndex((t, i) => t.kind === 'point' && i < numberEnd);
  const intEnd = pointAt < 0 ? numberEnd : pointAt;
  const firstDigit = tokens.findIndex((t) => t.kind === 'digit');
  // Commas right after the last placeholder scale by 1000 each; commas between integer
  // placeholders group thousands; any other comma is shown as written.
  const roles = tokens.map((t, i): 'scale' | 'group' | 'literal' | null => {
    if (t.kind !== 'comma') return null;
    const onlyCommasBefore = !tokens.slice(lastDigit + 1, i).some((u) => u.kind !== 'comma');
    if (i > lastDigit && i < numberEnd && onlyCommasBefore) return 'scale';
    const digitAfter = tokens.slice(i + 1, intEnd).some((u) => u.kind === 'digit');
    if (i > firstDigit && i < intEnd && digitAfter) return 'group';
    return 'literal';
  });
  value /= 1000 ** roles.filter((r) => r === 'scale').length;
  const grouping = roles.includes('group');
  const intTokens = tokens.slice(0, intEnd);
  const fracTokens = pointAt < 0 ? [] : tokens.slice(pointAt + 1, numberEnd);
  const fracCount = fracTokens.filter((t) => t.kind === 'digit').length;

  let exponentText = '';
  if (exponentAt >= 0) {
    const scientific = splitScientific(value, intTokens, fracCount, tokens.slice(exponentAt));
    if (scientific === null) return null;
    value = scientific.mantissa;
    exponentText = scientific.text;
  }
  if (value >= 1e21) return null;
  const [intRaw = '0', fracRaw = ''] = value.toFixed(fracCount).split('.');
  const intDigits = intRaw === '0' ? '' : intRaw;

  const out: string[] = [];
  out.push(renderInteger(intTokens, roles.slice(0, intEnd), intDigits, grouping));
  if (pointAt >= 0) out.push('.', renderFraction(fracTokens, fracRaw, roles.slice(pointAt + 1, numberEnd)));
  out.push(exponentText);
  return out.join('');
}

function renderInteger(
  tokens: readonly Token[],
  roles: readonly ('scale' | 'group' | 'literal' | null)[],
  digits: string,
  grouping: boolean,
): string {
  const slots = tokens.map((t, i) => (t.kind === 'digit' ? i : -1)).filter((i) => i >= 0);
  const out = tokens.map((t, i) => plainText(t, roles[i] ?? null));
  const first = slots[0];
  if (first === undefined) return digits + out.join('');
  if (grouping) {
    const minDigits = slots.filter((i) => (tokens[i] as { char: string }).char === '0').length;
    const padded = digits.padStart(minDigits, '0');
    for (const slot of slots) out[slot] = '';
    out[first] = padded.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return out.join('');
  }
  let next = digits.length - 1;
  for (let k = slots.length - 1; k >= 0; k -= 1) {
    const slot = slots[k] as number;
    const char = (tokens[slot] as { char: string }).char;
    if (next >= 0) out[slot] = digits[next--] ?? '';
    else out[slot] = char === '0' ? '0' : char === '?' ? ' ' : '';
  }
  // Digits beyond the placeholders all go where the first one is, as Excel does.
  if (next >= 0) out[first] = digits.slice(0, next + 1) + out[first];
  return out.join('');
}

function renderFraction(
  tokens: readonly Token[],
  digits: string,
  roles: readonly ('scale' | 'group' | 'literal' | null)[],
): string {
  const slots = tokens.map((t, i) => (t.kind === 'digit' ? i : -1)).filter((i) => i >= 0);
  const out = tokens.map((t, i) => plainText(t, roles[i] ?? null));
  // Trailing zeros under `#` vanish and under `?` become spaces; `0` always shows its digit.
  let keep = slots.length;
  while (keep > 0) {
    const slot = slots[keep - 1] as number;
    const char = (tokens[slot] as { char: string }).char;
    if (char === '0' || digits[keep - 1] !== '0') break;
    keep -= 1;
  }
  slots.forEach((slot, k) => {
    const char = (tokens[slot] as { char: string }).char;
    out[slot] = k < keep ? (digits[k] ?? '0') : char === '?' ? ' ' : '';
  });
  return out.join('');
}

function splitScientific(
  value: number,
  intTokens: readonly Token[],
  fracCount: number,
  exponentTokens: readonly Token[],
): { mantissa: number; text: string } | null {
  const intSlots = intTokens.filter((t) => t.kind === 'digit') as { char: string }[];
  const step = Math.max(1, intSlots.length);
  let exponent = value === 0 ? 0 : Math.floor(Math.log10(value));
  // `##0.0E+0` is engineering notation (exponent a multiple of 3); `0.00E+00` is one digit.
  if (step > 1 && intSlots.some((s) => s.char === '#')) exponent = Math.floor(exponent / step) * step;
  else if (step > 1) exponent -= step - 1;
  let mantissa = value === 0 ? 0 : value / 10 ** exponent;
  if (Number(mantissa.toFixed(fracCount)) >= 10 ** step) {
    exponent += step;
    mantissa /= 10 ** step;
  }
  const head = exponentTokens[0];
  if (head?.kind !== 'exponent') return null;
  const width = exponentTokens.filter((t) => t.kind === 'digit' && t.char === '0').length;
  const sign = exponent < 0 ? '-' : head.plus ? '+' : '';
  const tail = exponentTokens
    .slice(1)
    .filter((t) => t.kind === 'literal')
    .map((t) => (t as { text: string }).text)
    .join('');
  return { mantissa, text: `E${sign}${String(Math.abs(exponent)).padStart(width, '0')}${tail}` };
}

function plainText(token: Token, role: 'scale' | 'group' | 'literal' | null): string {
  switch (token.kind) {
    case 'literal':
      return token.text;
    case 'percent':
      return '%';
    case 'comma':
      return role === 'literal' ? ',' : '';
    default:
      return '';
  }
}

function renderGeneral(tokens: readonly Token[], magnitude: number): string {
  return tokens
    .map((t) => (t.kind === 'general' ? formatGeneral(magnitude) : plainText(t, 'literal')))
    .join('');
}

function literalsOnly(tokens: readonly Token[]): string {
  return tokens.map((t) => plainText(t, 'literal')).join('');
}

function lastIndexWhere<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i] as T)) return i;
  return -1;
}
