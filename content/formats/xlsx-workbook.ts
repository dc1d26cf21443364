/**
 * SpreadsheetML parts: the workbook's sheet list (names in tab order), the cell formats of the
 * style sheet, the shared-string table, and each sheet's cells as rows of tab-separated values
 * shown as Excel shows them (xlsx-format.ts), with the value added when its format hides it.
 * Everything streams through saxes, so a sheet of a million cells costs its text, not a tree.
 */
import { attribute } from './xml-walk.js';
import type { TextFlow } from './text-flow.js';
import { builtinFormat, formatGeneral, formatNumber } from './xlsx-format.js';
import type { PackageReading } from './zip-package.js';

export interface SheetRef {
  readonly name: string;
  /** Relationship id in workbook.xml.rels. */
  readonly relId: string;
}

export interface WorkbookInfo {
  readonly sheets: readonly SheetRef[];
  readonly date1904: boolean;
}

export interface CellContext {
  readonly sharedStrings: readonly string[];
  /** Number format code per cell style index (`c/@s`); undefined for General. */
  readonly formats: readonly (string | undefined)[];
  readonly date1904: boolean;
}

/** Columns past XFD do not exist; a reference beyond is corrupt and treated as the next column. */
const MAX_COLUMN = 16384;

export async function readWorkbook(reading: PackageReading, path: string): Promise<WorkbookInfo> {
  const sheets: SheetRef[] = [];
  let date1904 = false;
  await reading.part(
    path,
    '',
    {
      open(local, attributes) {
        if (local === 'sheet') {
          const name = attribute(attributes, 'name') ?? `Sheet${sheets.length + 1}`;
          sheets.push({ name, relId: attribute(attributes, 'id') ?? '' });
        } else if (local === 'workbookPr') {
          const flag = attribute(attributes, 'date1904');
          date1904 = flag === '1' || flag === 'true';
        }
      },
      close() {},
      text() {},
    },
    { required: true },
  );
  return { sheets, date1904 };
}

/** The number format code of each cell style (`cellXfs/xf`), custom `numFmt`s and built-ins. */
export async function readCellFormats(
  reading: PackageReading,
  path: string,
): Promise<(string | undefined)[]> {
  const custom = new Map<number, string>();
  const xfFormatIds: number[] = [];
  let inCellXfs = false;
  await reading.part(path, 'styles', {
    open(local, attributes) {
      if (local === 'numFmt') {
        const id = Number(attribute(attributes, 'numFmtId'));
        const code = attribute(attributes, 'formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (local === 'cellXfs') {
        inCellXfs = true;
      } else if (local === 'xf' && inCellXfs) {
        xfFormatIds.push(Number(attribute(attributes, 'numFmtId') ?? '0'));
      }
    },
    close(local) {
      if (local === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return xfFormatIds.map((id) => custom.get(id) ?? builtinFormat(id));
}

/**
 * The shared-string table. Phonetic guides (`rPh`, furigana) are skipped: they repeat the
 * reading of the text, not the text. Past `maxChars` in total, strings are kept empty and
 * `cut` reports it; the sheets could never show more than the text budget anyway.
 */
export async function readSharedStrings(
  reading: PackageReading,
  path: string,
  maxChars: number,
): Promise<{ strings: string[]; cut: boolean }> {
  const strings: string[] = [];
  let current: string[] = [];
  let inText = 0;
  let total = 0;
  let cut = false;
  await reading.part(path, 'shared strings', {
    open(local) {
      if (local === 'rPh') return false;
      if (local === 'si') current = [];
      else if (local === 't') inText += 1;
    },
    close(local) {
      if (local === 't') inText -= 1;
      else if (local === 'si') {
        const value = current.join('');
        total += value.length;
        if (total > maxChars) cut = true;
        strings.push(cut ? '' : value);
      }
    },
    text(text) {
      if (inText > 0) current.push(text);
    },
  });
  return { strings, cut };
}

interface CellState {
  readonly type: string;
  readonly style: number;
  readonly column: number;
  readonly value: string[];
  readonly inline: string[];
}

/** Streams one worksheet into `flow`: a line per row, cells separated by tabs. */
export async function readSheet(
  reading: PackageReading,
  path: string,
  where: string,
  flow: TextFlow,
  cells: CellContext,
): Promise<boolean> {
  let column = 0;
  let cell: CellState | null = null;
  let inValue = 0;
  let inInline = 0;
  let inInlineText = 0;
  return reading.part(path, where, {
    open(local, attributes) {
      switch (local) {
        case 'sheetData':
          flow.startTable();
          return;
        case 'row':
          flow.startRow();
          column = 0;
          return;
        case 'c': {
          const target = columnOf(attribute(attributes, 'r')) ?? column + 1;
          const at = target > column ? target : column + 1;
          flow.skipColumns(at - column - 1);
          cell = {
            type: attribute(attributes, 't') ?? 'n',
            style: Number(attribute(attributes, 's') ?? '0'),
            column: at,
            value: [],
            inline: [],
          };
          return;
        }
        case 'f':
        case 'rPh':
          return false;
        case 'v':
          inValue += 1;
          return;
        case 'is':
          inInline += 1;
          return;
        case 't':
          if (inInline > 0) inInlineText += 1;
          return;
        default:
          return;
      }
    },
    close(local) {
      switch (local) {
        case 'c':
          if (cell !== null) {
            flow.cell(display(cell, cells));
            column = cell.column;
            cell = null;
          }
          return;
        case 'row':
          flow.endRow();
          return;
        case 'sheetData':
          flow.endTable();
          return;
        case 'v':
          inValue -= 1;
          return;
        case 'is':
          inInline -= 1;
          return;
        case 't':
          if (inInline > 0) inInlineText -= 1;
          return;
        default:
          return;
      }
    },
    text(text) {
      if (cell === null) return;
      if (inValue > 0) cell.value.push(text);
      else if (inInlineText > 0) cell.inline.push(text);
    },
  });
}

/** The text of a cell as Excel shows it. */
function display(cell: CellState, context: CellContext): string {
  const raw = cell.value.join('');
  switch (cell.type) {
    case 's':
      return context.sharedStrings[Number(raw)] ?? '';
    case 'inlineStr':
      return cell.inline.join('') || raw;
    case 'str':
    case 'e':
    case 'd':
      return raw;
    case 'b':
      return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
    default: {
      if (raw.trim() === '') return '';
      const value = Number(raw);
      if (!Number.isFinite(value)) return raw;
      const format = context.formats[cell.style];
      if (format === undefined) return formatGeneral(value);
      return withHiddenValue(formatNumber(value, format, context.date1904), value);
    }
  }
}

/**
 * Whole numbers of this many digits or more may be identifying (a resident number's first half
 * is 6, an account 10-14); a format that does not show them is treated as hiding them.
 */
const MIN_IDENTIFYING_DIGITS = 6;

/**
 * The shown text, followed by a tab and the value itself when the format hides it: `;;;` shows
 * nothing, `"x"` a constant, `0,,,` a thousandth of a millionth, `0.0E+00` two digits. Excel shows
 * the value in the formula bar, so it is in the file as much as the shown text is, and the
 * detectors must see it. A value is hidden when the shown text has no digit at all, or when a
 * long whole part does not appear among the shown digits.
 */
function withHiddenValue(shown: string, value: number): string {
  if (value === 0) return shown;
  const shownDigits = shown.replace(/\D/g, '');
  const whole = Math.abs(Math.trunc(value));
  const wholeDigits = whole < 1e21 ? whole.toFixed(0) : '';
  const longHidden = wholeDigits.length >= MIN_IDENTIFYING_DIGITS && !shownDigits.includes(wholeDigits);
  if (shownDigits !== '' && !longHidden) return shown;
  const raw = formatGeneral(value);
  return shown.trim() === '' ? raw : `${shown}\t${raw}`;
}

/** `BC12` → 55; null when the reference has no column letters. */
function columnOf(ref: string | undefined): number | null {
  if (ref === undefined) return null;
  let column = 0;
  for (let i = 0; i < ref.length; i += 1) {
    const code = ref.charCodeAt(i) & ~0x20; // ASCII upper case; anything else fails the range test
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
    if (column > MAX_COLUMN) return null;
  }
  return column === 0 ? null : column;
}
