/**
 * Tabular layouts: CSV, tab-separated, pipe and space-aligned text tables, HTML tables.
 *
 * In CSV, tab and pipe tables the header cell of a column is context for every value below it,
 * however far down (issue 3); a keyword-dependent value may appear there only under a header
 * that names its type, and the builder refuses anything else. Space-aligned and HTML tables get
 * no such credit, so they carry only values that stand on their own (or a key/value layout in
 * which the label sits right before the value).
 */
import type { Slot } from './builder.js';
import { join, underHeader } from './builder.js';
import { keywordHits } from './keywords.js';

type Cell = Slot;

export interface Table {
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly Cell[]>;
}

/** Cells under a header that names their type are marked so; others must stand alone. */
function credited(table: Table, headerContext: boolean): Cell[][] {
  return table.rows.map((row) =>
    row.map((cell, col) => {
      if (typeof cell !== 'object' || !('kind' in cell) || cell.kind !== 'value' || !cell.needsKeyword) {
        return cell;
      }
      const header = table.headers[col] ?? '';
      if (!headerContext) {
        throw new Error(`tables: ${cell.type} needs a keyword, and this layout gives headers no credit`);
      }
      if (keywordHits(cell.type, header).length === 0) {
        throw new Error(`tables: header "${header}" does not name ${cell.type}`);
      }
      return underHeader(cell);
    }),
  );
}

function textLength(cell: Cell): number {
  if (typeof cell === 'string' || typeof cell === 'number') return String(cell).length;
  if (Array.isArray(cell)) return (cell as Cell[]).reduce((n: number, c) => n + textLength(c), 0);
  return (cell as { text: string }).text.length;
}

export function csv(table: Table, quoted = false): Slot {
  const q = (cell: Cell): Cell => (quoted ? ['"', cell, '"'] : cell);
  const lines = [join(table.headers.map(q), ','), ...credited(table, true).map((row) => join(row.map(q), ','))];
  return join(lines, '\n');
}

export function tsv(table: Table): Slot {
  return join([join(table.headers, '\t'), ...credited(table, true).map((row) => join(row, '\t'))], '\n');
}

export function pipe(table: Table): Slot {
  const line = (cells: readonly Cell[]): Slot => ['| ', join(cells, ' | '), ' |'];
  const rule = `|${table.headers.map((h) => '-'.repeat(Math.max(3, h.length + 2))).join('|')}|`;
  return join([line(table.headers), rule, ...credited(table, true).map(line)], '\n');
}

/** Columns padded with spaces to a common width (at least two spaces between columns). */
export function aligned(table: Table): Slot {
  const rows = credited(table, false);
  const widths = table.headers.map((h, col) =>
    Math.max(textLength(h), ...rows.map((r) => textLength(r[col] ?? ''))) + 2,
  );
  const line = (cells: readonly Cell[]): Slot =>
    cells.map((cell, col) =>
      col === cells.length - 1 ? cell : [cell, ' '.repeat((widths[col] ?? 0) - textLength(cell))],
    );
  return join([line(table.headers), ...rows.map(line)], '\n');
}

/** A groupware-style table: one `<th>` header row, one `<tr>` per row, a line per row. */
export function htmlTable(table: Table): Slot {
  const rows = credited(table, false);
  const tr = (cells: readonly Cell[], tag: 'th' | 'td'): Slot =>
    ['<tr>', cells.map((cell) => [`<${tag}>`, cell, `</${tag}>`]), '</tr>'];
  return join(
    [
      '<table border="1" cellpadding="4" style="border-collapse:collapse">',
      tr(table.headers, 'th'),
      ...rows.map((r) => tr(r, 'td')),
      '</table>',
    ],
    '\n',
  );
}
