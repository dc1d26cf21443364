/**
 * Text as the zip-based document extractors lay it out for the detectors: one flow per place in
 * the file (body, a sheet, a slide, the headers), paragraphs on their own lines, table cells
 * separated by tabs and rows by line breaks, so a detector reading "주민등록번호<TAB>900101-…" sees
 * the header next to the value.
 *
 * All flows of one file share a character cap (the message's text budget): past it, text is
 * dropped and the file reports `truncated`, as it does when a part is skipped because the cap
 * is spent (`skipIfFull`), even if the cap was met exactly. The sink cuts the message's text
 * exactly later; the cap only keeps one crafted file (millions of tiny cells) from building a
 * string far past what could ever be scanned. Characters are counted, not UTF-8 bytes: each character is at
 * least one byte, so the cap is never looser than the budget it stands for.
 */
import type { FileProblem, TextPiece } from './types.js';

/** Empty cells remembered as tabs before the next filled one; beyond this, columns merge. */
const MAX_EMPTY_CELLS = 64;

class CharCap {
  remaining: number;
  truncatedAt: string | null = null;

  constructor(max: number) {
    this.remaining = Math.max(0, Math.floor(max));
  }

  /** The part of `text` that still fits, counting it as spent. */
  take(text: string, where: string): string {
    if (text.length <= this.remaining) {
      this.remaining -= text.length;
      return text;
    }
    const kept = text.slice(0, this.remaining);
    this.remaining = 0;
    this.dropped(text.slice(kept.length), where);
    return kept;
  }

  /** Records a cut, unless all that was lost is layout (the line break after the last line). */
  dropped(text: string, where: string): void {
    if (text.trim() !== '') this.truncatedAt ??= where;
  }
}

interface RowState {
  /** Tabs to write before the next filled cell of the row. */
  tabsOwed: number;
  filled: boolean;
}

/** The text of one place in a file. */
export class TextFlow {
  readonly where: string;
  readonly #cap: CharCap;
  readonly #parts: string[] = [];
  /** Open captures (table cells), innermost last; text goes to the innermost one. */
  readonly #captures: { parts: string[]; length: number }[] = [];
  readonly #rows: RowState[] = [];
  #lastChar = '';

  constructor(where: string, cap: CharCap) {
    this.where = where;
    this.#cap = cap;
  }

  text(text: string): void {
    if (text === '') return;
    const capture = this.#captures[this.#captures.length - 1];
    if (capture !== undefined) {
      // A capture is written to the flow later and charged then; bound it by what is left.
      if (capture.length < this.#cap.remaining) {
        capture.parts.push(text);
        capture.length += text.length;
      } else {
        this.#cap.dropped(text, this.where);
      }
      return;
    }
    const kept = this.#cap.take(text, this.where);
    if (kept === '') return;
    this.#parts.push(kept);
    this.#lastChar = kept[kept.length - 1] ?? this.#lastChar;
  }

  /** Ends a line; an empty line is not repeated. */
  newline(): void {
    if (this.#captures.length > 0) {
      this.text('\n');
      return;
    }
    if (this.#lastChar === '' || this.#lastChar === '\n') return;
    this.text('\n');
  }

  tab(): void {
    this.text('\t');
  }

  /** Writes `count` spaces (ODF `text:s`), bounded. */
  spaces(count: number): void {
    this.text(' '.repeat(Math.min(Math.max(1, count), 64)));
  }

  startTable(): void {
    this.newline();
    this.#rows.push({ tabsOwed: 0, filled: false });
  }

  startRow(): void {
    const row = this.#rows[this.#rows.length - 1];
    if (row !== undefined) {
      row.tabsOwed = 0;
      row.filled = false;
    }
  }

  /** Starts a cell whose content arrives through `text`; close it with `endCell`. */
  startCell(): void {
    this.#captures.push({ parts: [], length: 0 });
  }

  /** The text of the innermost open cell so far ('' outside a cell). */
  captured(): string {
    return this.#captures[this.#captures.length - 1]?.parts.join('') ?? '';
  }

  /** Ends a cell; `repeat` writes the same cell several times (ODF repeated columns, bounded). */
  endCell(repeat = 1): void {
    const captured = this.#captures.pop();
    if (captured === undefined) return;
    this.cell(captured.parts.join(''), repeat);
  }

  /** A whole cell at once (spreadsheet values). */
  cell(value: string, repeat = 1): void {
    // Most cells hold no line break; the regular expression is skipped for them (hot in big sheets).
    const text = (value.includes('\n') ? value.replace(/\s*\n\s*/g, ' ') : value).trim();
    const row = this.#rows[this.#rows.length - 1];
    const times = Math.min(Math.max(1, repeat), MAX_EMPTY_CELLS);
    if (row === undefined) {
      this.text(text);
      if (text !== '') this.text(' ');
      return;
    }
    if (text === '') {
      row.tabsOwed = Math.min(row.tabsOwed + times, MAX_EMPTY_CELLS);
      return;
    }
    for (let i = 0; i < times; i += 1) {
      if (row.tabsOwed > 0) this.text(row.tabsOwed === 1 ? '\t' : '\t'.repeat(row.tabsOwed));
      this.text(text);
      row.tabsOwed = 1;
    }
    row.filled = true;
  }

  /** Columns with no cell at all (a spreadsheet row jumping from A to D). */
  skipColumns(count: number): void {
    const row = this.#rows[this.#rows.length - 1];
    if (row !== undefined && count > 0) row.tabsOwed = Math.min(row.tabsOwed + count, MAX_EMPTY_CELLS);
  }

  endRow(): void {
    const row = this.#rows[this.#rows.length - 1];
    if (row?.filled) this.newline();
    if (row !== undefined) {
      row.tabsOwed = 0;
      row.filled = false;
    }
  }

  endTable(): void {
    this.#rows.pop();
    this.newline();
  }

  get value(): string {
    return this.#parts.join('');
  }

  /**
   * A detached flow at the same place, bounded by what is left of the cap but charging nothing:
   * text held aside until it is known whether to keep it (`absorb`).
   */
  aside(): TextFlow {
    return new TextFlow(this.where, new CharCap(this.#cap.remaining));
  }

  /** Writes an aside's text here, on its own line, charged now; a cut in the aside stays a cut. */
  absorb(side: TextFlow): void {
    if (side.#cap.truncatedAt !== null) this.#cap.truncatedAt ??= this.where;
    const text = side.value;
    if (text.trim() === '') return;
    this.newline();
    this.text(text);
    this.newline();
  }
}

/** Choice text remembered for comparing with the fallback; a longer Choice is never matched. */
const MAX_CHOICE_CHARS = 64 * 1024;

/**
 * Markup-compatibility alternatives: OOXML `mc:AlternateContent` (`mc:Choice` then
 * `mc:Fallback`) and HWPX `hp:switch` (`hp:case` then `hp:default`). A consumer that does not
 * know a Choice's namespace renders the Fallback, so both are read: the Choice as usual, the
 * Fallback into an aside that is kept unless its text (blanks ignored) is the Choice's again —
 * Word writes every text box twice, as DrawingML and as VML, and that copy is dropped.
 */
export class Alternatives {
  #choiceDepth = 0;
  #choice: string[] = [];
  #choiceLength = 0;
  #fallback: { target: TextFlow; side: TextFlow; depth: number } | null = null;

  /** The flow fallback text goes to while inside one, else null. */
  get side(): TextFlow | null {
    return this.#fallback?.side ?? null;
  }

  /** An `AlternateContent`/`switch` opens: a new Choice to remember (unless nested in one). */
  openGroup(): void {
    if (this.#choiceDepth > 0 || this.#fallback !== null) return;
    this.#choice = [];
    this.#choiceLength = 0;
  }

  openChoice(): void {
    this.#choiceDepth += 1;
  }

  closeChoice(): void {
    this.#choiceDepth = Math.max(0, this.#choiceDepth - 1);
  }

  /** A Fallback opens where `target` is the current flow; returns the flow to write it to. */
  openFallback(target: TextFlow): TextFlow {
    if (this.#fallback !== null) {
      this.#fallback.depth += 1;
      return this.#fallback.side;
    }
    this.#fallback = { target, side: target.aside(), depth: 1 };
    return this.#fallback.side;
  }

  closeFallback(): void {
    const open = this.#fallback;
    if (open === null) return;
    open.depth -= 1;
    if (open.depth > 0) return;
    this.#fallback = null;
    const blankless = (text: string): string => text.replace(/\s+/g, '');
    const choice = this.#choiceLength <= MAX_CHOICE_CHARS ? blankless(this.#choice.join('')) : null;
    if (choice === null || blankless(open.side.value) !== choice) open.target.absorb(open.side);
  }

  /** Text read anywhere; what is read inside a Choice is remembered. */
  text(text: string): void {
    if (this.#choiceDepth === 0 || this.#fallback !== null) return;
    this.#choiceLength += text.length;
    if (this.#choiceLength <= MAX_CHOICE_CHARS) this.#choice.push(text);
  }
}

/** The flows of one file and their shared cap. */
export class FlowSet {
  readonly #cap: CharCap;
  readonly #flows: TextFlow[] = [];

  constructor(maxChars: number) {
    this.#cap = new CharCap(maxChars);
  }

  /** A new flow at `where`; several flows may share a place (two headers). */
  open(where: string): TextFlow {
    const flow = new TextFlow(where, this.#cap);
    this.#flows.push(flow);
    return flow;
  }

  /**
   * True once the cap is spent, so the extractor skips the part it was about to read (at
   * `where`); that part is then reported cut, as whatever text it held was never seen.
   */
  skipIfFull(where: string): boolean {
    if (this.#cap.remaining > 0) return false;
    this.#cap.truncatedAt ??= where;
    return true;
  }

  /** Non-empty flows as pieces, in the order they were opened; flows of one place are merged. */
  pieces(): TextPiece[] {
    const merged = new Map<string, string[]>();
    for (const flow of this.#flows) {
      // Trailing blanks go; leading tabs stay, they place the first row's cells in their columns.
      const text = flow.value.replace(/[ \t]+\n/g, '\n').replace(/^\n+/, '').replace(/\s+$/, '');
      if (text === '') continue;
      const list = merged.get(flow.where);
      if (list === undefined) merged.set(flow.where, [text]);
      else list.push(text);
    }
    return [...merged].map(([where, texts]) => ({ where, text: texts.join('\n') }));
  }

  problems(): FileProblem[] {
    const where = this.#cap.truncatedAt;
    if (where === null) return [];
    return [{ code: 'truncated', where, detail: 'text beyond the extraction budget was cut' }];
  }
}
