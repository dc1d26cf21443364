/**
 * The XML visitors that turn WordprocessingML and DrawingML parts into text flows: paragraphs on
 * lines, tabs as tabs, table cells tab-separated and rows on lines. Shared by the DOCX part
 * (body, headers, footers, notes, comments) and the PPTX part (slides, notes) of ooxml.ts, and
 * by the XLSX extractor for text boxes drawn on sheets.
 *
 * Both read `mc:Fallback` as well as `mc:Choice`: a reader that does not know the Choice's
 * namespace shows the Fallback, so text can hide there. Word writes every text box twice (as
 * DrawingML in the Choice, as VML in the Fallback); a Fallback whose text is the Choice's again
 * is dropped (Alternatives, text-flow.ts).
 */
import { Alternatives, type FlowSet, type TextFlow } from './text-flow.js';
import type { XmlVisitor } from './xml-walk.js';

/** Elements whose character data is document text, in WordprocessingML (and math, `m:t`). */
const WORD_TEXT = new Set(['t', 'delText']);

/**
 * WordprocessingML: `w:p` paragraphs, `w:t`/`w:delText` runs (deleted text is still in the file,
 * so it is still scanned), `w:tab`/`w:ptab` inside runs (a `w:tab` outside a run is a tab-stop
 * definition), `w:br`/`w:cr`, `w:noBreakHyphen` (Word's way of writing the hyphen of
 * "900101‑1234568" so it does not wrap), tables, and `w:txbxContent` text boxes, which go to a
 * flow at `textbox`. Field instructions (`w:instrText`) are codes, not text.
 */
export function wordVisitor(flows: FlowSet, main: TextFlow): XmlVisitor {
  const stack: TextFlow[] = [main];
  const alternatives = new Alternatives();
  let textbox: TextFlow | null = null;
  let inText = 0;
  let inRun = 0;
  const current = (): TextFlow => stack[stack.length - 1] ?? main;
  return {
    open(local) {
      const flow = current();
      switch (local) {
        case 'instrText':
          return false;
        case 'AlternateContent':
          alternatives.openGroup();
          return;
        case 'Choice':
          alternatives.openChoice();
          return;
        case 'Fallback':
          stack.push(alternatives.openFallback(flow));
          return;
        case 'txbxContent':
          // Inside a Fallback the text box stays in the aside, to be compared with the Choice.
          if (alternatives.side !== null) {
            stack.push(alternatives.side);
            return;
          }
          textbox ??= flows.open('textbox');
          stack.push(textbox);
          return;
        case 'r':
          inRun += 1;
          return;
        case 'tab':
        case 'ptab':
          if (inRun > 0) flow.tab();
          return;
        case 'br':
        case 'cr':
          flow.newline();
          return;
        case 'noBreakHyphen':
          flow.text('-');
          return;
        case 'tbl':
          flow.startTable();
          return;
        case 'tr':
          flow.startRow();
          return;
        case 'tc':
          flow.startCell();
          return;
        default:
          if (WORD_TEXT.has(local)) inText += 1;
      }
    },
    close(local) {
      const flow = current();
      switch (local) {
        case 'Choice':
          alternatives.closeChoice();
          return;
        case 'Fallback':
          stack.pop();
          alternatives.closeFallback();
          return;
        case 'txbxContent':
          flow.newline();
          stack.pop();
          return;
        case 'r':
          inRun -= 1;
          return;
        case 'p':
          flow.newline();
          return;
        case 'tc':
          flow.endCell();
          return;
        case 'tr':
          flow.endRow();
          return;
        case 'tbl':
          flow.endTable();
          return;
        default:
          if (WORD_TEXT.has(local)) inText -= 1;
      }
    },
    text(text) {
      if (inText === 0) return;
      alternatives.text(text);
      current().text(text);
    },
  };
}

/**
 * DrawingML text (PPTX slides and notes, shapes on XLSX sheets): `a:p` paragraphs of `a:t`
 * runs, `a:br`, `a:tbl` tables. `textElements` names the elements holding text (`t`, and
 * `text` for PPTX comments).
 */
export function drawingVisitor(
  base: TextFlow,
  textElements: ReadonlySet<string> = new Set(['t']),
): XmlVisitor {
  const alternatives = new Alternatives();
  let flow = base;
  let inText = 0;
  return {
    open(local) {
      switch (local) {
        case 'AlternateContent':
          alternatives.openGroup();
          return;
        case 'Choice':
          alternatives.openChoice();
          return;
        case 'Fallback':
          flow = alternatives.openFallback(flow);
          return;
        case 'br':
          flow.newline();
          return;
        case 'tbl':
          flow.startTable();
          return;
        case 'tr':
          flow.startRow();
          return;
        case 'tc':
          flow.startCell();
          return;
        default:
          if (textElements.has(local)) inText += 1;
      }
    },
    close(local) {
      switch (local) {
        case 'Choice':
          alternatives.closeChoice();
          return;
        case 'Fallback':
          alternatives.closeFallback();
          flow = alternatives.side ?? base;
          return;
        case 'p':
          flow.newline();
          return;
        case 'tc':
          flow.endCell();
          return;
        case 'tr':
          flow.endRow();
          return;
        case 'tbl':
          flow.endTable();
          return;
        default:
          if (textElements.has(local)) {
            inText -= 1;
            // A comment's `p:text` is a whole comment: one per line.
            if (local !== 't') flow.newline();
          }
      }
    },
    text(text) {
      if (inText === 0) return;
      alternatives.text(text);
      flow.text(text);
    },
  };
}
