/**
 * Excel date and time formats: serial numbers (days since 1899-12-30, with Lotus 1-2-3's phantom
 * 1900-02-29 kept, or since 1904-01-01 in the 1904 system) shown through the tokens of a format
 * code (y m d h s, AM/PM, the Korean weekday `aaa`). Split from xlsx-format.ts, which parses the
 * code and decides that a section is a date.
 */
import type { Token } from './xlsx-format.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const KOREAN_WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'];

/** Serial 2958465 is 9999-12-31, the last day Excel shows. */
const MAX_SERIAL = 2958466;

interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function serialToParts(serial: number, date1904: boolean): DateParts | null {
  if (serial < 0 || serial >= MAX_SERIAL) return null;
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86400);
  if (seconds >= 86400) {
    days += 1;
    seconds -= 86400;
  }
  const time = {
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
  };
  if (!date1904 && days === 60) {
    // Lotus 1-2-3's phantom 1900-02-29, which Excel keeps for compatibility (a Wednesday).
    return { year: 1900, month: 2, day: 29, weekday: 3, ...time };
  }
  let epoch: number;
  if (date1904) epoch = Date.UTC(1904, 0, 1);
  else epoch = days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + days * 86_400_000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
    ...time,
  };
}

export function formatDate(tokens: readonly Token[], serial: number, date1904: boolean): string | null {
  const parts = serialToParts(serial, date1904);
  if (parts === null) return null;
  const twelveHour = tokens.some((t) => t.kind === 'ampm');
  const dateTokens = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.kind === 'date');
  const isMinute = (index: number): boolean => {
    const at = dateTokens.findIndex(({ i }) => i === index);
    const before = dateTokens[at - 1]?.t;
    const after = dateTokens[at + 1]?.t;
    const afterHours = before?.kind === 'date' && before.code.startsWith('h');
    return afterHours || (after?.kind === 'date' && after.code.startsWith('s'));
  };
  const out: string[] = [];
  tokens.forEach((token, index) => {
    switch (token.kind) {
      case 'date':
        out.push(datePart(token.code, parts, twelveHour, isMinute(index)));
        break;
      case 'ampm':
        out.push(parts.hour < 12 ? (token.short ? 'A' : 'AM') : token.short ? 'P' : 'PM');
        break;
      case 'point':
        out.push('.');
        break;
      case 'digit':
        out.push('0');
        break;
      default:
        out.push(literalText(token));
    }
  });
  return out.join('');
}

function datePart(code: string, p: DateParts, twelveHour: boolean, minute: boolean): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const letter = code[0];
  const n = code.length;
  switch (letter) {
    case 'y':
      return n <= 2 ? two(p.year % 100) : String(p.year);
    case 'm':
      if (minute && n <= 2) return n === 2 ? two(p.minute) : String(p.minute);
      if (n === 1) return String(p.month);
      if (n === 2) return two(p.month);
      if (n === 3) return (MONTHS[p.month - 1] ?? '').slice(0, 3);
      if (n === 4) return MONTHS[p.month - 1] ?? '';
      return (MONTHS[p.month - 1] ?? '').slice(0, 1);
    case 'd':
      if (n === 1) return String(p.day);
      if (n === 2) return two(p.day);
      if (n === 3) return (WEEKDAYS[p.weekday] ?? '').slice(0, 3);
      return WEEKDAYS[p.weekday] ?? '';
    case 'a':
      return n === 3 ? (KOREAN_WEEKDAYS[p.weekday] ?? '') : `${KOREAN_WEEKDAYS[p.weekday] ?? ''}요일`;
    case 'h': {
      const hour = twelveHour ? p.hour % 12 || 12 : p.hour;
      return n >= 2 ? two(hour) : String(hour);
    }
    case 's':
      return n >= 2 ? two(p.second) : String(p.second);
    default:
      return code;
  }
}

/** What a non-date token shows inside a date format: literals as written, nothing else. */
function literalText(token: Token): string {
  if (token.kind === 'literal') return token.text;
  if (token.kind === 'percent') return '%';
  if (token.kind === 'comma') return ',';
  return '';
}
