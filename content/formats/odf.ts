/**
 * OpenDocument text, spreadsheets and presentations (ODT, ODS, ODP; also ODG drawings): the body
 * of content.xml and the page headers and footers of styles.xml. Which of the three a file is
 * comes from the body element (`office:text`, `office:spreadsheet`, …), so one extractor serves
 * the three kinds.
 *
 * Layout: `text:p`/`text:h` on lines, `text:s` as spaces, `text:tab`, `text:line-break`; tables
 * as tab-separated rows, with `table:number-columns-repeated` honoured only up to a small bound
 * (a row ends with "1,000 empty cells" in nearly every ODS); each sheet at `sheet=NAME`, each
 * slide at `slide=N` with its notes at `notes=N`, footnotes at `footnote`, comments at
 * `comment`. ODF cells carry their displayed text, so values come out as shown, followed by the
 * value itself when the shown text hides it (`9.00E+12` for 9001011234568, an empty cell with a
 * value, an `office:string-value` other than the text), as the xlsx extractor does. Text kept in
 * attributes is read too: `text:hidden-text` (shown when its condition holds), form controls'
 * `form:value`/`form:current-value`, and user field declarations' `office:string-value`.
 *
 * Encrypted packages (password-protected in LibreOffice) list `manifest:encryption-data` in
 * META-INF/manifest.xml: EncryptedFile. Pictures (`Pictures/`) are returned for OCR; embedded
 * objects (`Object N/content.xml`, a chart's data, a sheet in a text) are read at `object`, the
 * document properties (meta.xml: title, keywords, author, user-defined fields) at `properties`,
 * and every other entry no part read is returned as an inner file.
 */
import type { Buffer } from 'node:buffer';
import { EncryptedFile, type ExtractContext, type ExtractResult, type Extractor } from './types.js';
import { FlowSet, type TextFlow } from './text-flow.js';
import { attribute, type XmlVisitor } from './xml-walk.js';
import { manifestDeclaresEncryption, PackageReading } from './zip-package.js';
import { propertiesVisitor } from './package-properties.js';

export const odfExtractor: Extractor = {
  kinds: ['odt', 'ods', 'odp'],
  extract: readOdf,
};

/** Header and footer elements of a master page, and the place their text goes. */
const PAGE_DECORATIONS: Readonly<Record<string, string>> = {
  header: 'header',
  'header-left': 'header',
  'header-first': 'header',
  footer: 'footer',
  'footer-left': 'footer',
  'footer-first': 'footer',
};

/** Presentation-wide header/footer text, which ODP writes as bare character data. */
const PRESENTATION_DECLS: Readonly<Record<string, string>> = {
  'header-decl': 'header',
  'footer-decl': 'footer',
};

async function readOdf(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  const reading = await PackageReading.open(bytes, context.budget);
  try {
    if (await manifestDeclaresEncryption(reading)) {
      throw new EncryptedFile('OpenDocument package is encrypted');
    }
    const flows = new FlowSet(context.budget.limits.maxTextBytes);
    await reading.part('content.xml', '', odfVisitor(flows, flows.open('')), { required: true });
    await reading.part('styles.xml', 'header', odfVisitor(flows, null));
    const objects = reading.zip.entries
      .map((e) => e.path)
      .filter((path) => /^Object \d+\/content\.xml$/i.test(path));
    for (const path of objects) {
      if (flows.skipIfFull('object')) break;
      await reading.part(path, 'object', odfVisitor(flows, flows.open('object')));
    }
    if (reading.has('meta.xml') && !flows.skipIfFull('properties')) {
      await reading.part('meta.xml', 'properties', propertiesVisitor(flows.open('properties')));
    }
    const children = [...(await reading.embedded(['Pictures/'])), ...(await reading.leftovers())];
    return { pieces: flows.pieces(), children, problems: [...flows.problems(), ...reading.problems] };
  } finally {
    reading.close();
  }
}

/**
 * Whole numbers of this many digits or more may be identifying (a resident number's first half
 * is 6); a cell whose shown digits do not include them is treated as hiding them.
 */
const MIN_IDENTIFYING_DIGITS = 6;

/** Numeric value types, whose value is in `office:value`. */
const NUMERIC_TYPES = new Set(['float', 'percentage', 'currency']);

/** Attributes holding text outside any paragraph, by element. */
const ATTRIBUTE_TEXT: Readonly<Record<string, readonly string[]>> = {
  'hidden-text': ['string-value'],
  'user-field-decl': ['string-value'],
};

/** The value a cell holds that its shown text may hide: numeric or string, else null. */
function cellValue(attributes: Readonly<Record<string, string>>): string | null {
  const type = attribute(attributes, 'value-type');
  if (type !== undefined && NUMERIC_TYPES.has(type)) return attribute(attributes, 'value') ?? null;
  if (type === 'string') return attribute(attributes, 'string-value') ?? null;
  return null;
}

/** True when `shown` hides `value`: see xlsx-workbook.ts `withHiddenValue` for numbers. */
function hides(shown: string, value: string, numeric: boolean): boolean {
  if (value.trim() === '') return false;
  if (shown.trim() === '') return true;
  if (!numeric) return !shown.replace(/\s+/g, '').includes(value.replace(/\s+/g, ''));
  const number = Number(value);
  if (!Number.isFinite(number) || number === 0) return false;
  const shownDigits = shown.replace(/\D/g, '');
  if (shownDigits === '') return true;
  const whole = Math.abs(Math.trunc(number));
  const wholeDigits = whole < 1e21 ? whole.toFixed(0) : '';
  return wholeDigits.length >= MIN_IDENTIFYING_DIGITS && !shownDigits.includes(wholeDigits);
}

/** A place text is routed to until the element at `depth` closes. */
interface Frame {
  readonly depth: number;
  readonly flow: TextFlow | null;
}

/**
 * One visitor for content.xml and styles.xml. `base` is where body text goes; null for
 * styles.xml, where only header and footer text is wanted.
 */
function odfVisitor(flows: FlowSet, base: TextFlow | null): XmlVisitor {
  const frames: Frame[] = [];
  const shared = new Map<string, TextFlow>();
  const cellRepeats: number[] = [];
  /** Per open cell: its value and whether it is numeric, or null. */
  const cellValues: ({ value: string; numeric: boolean } | null)[] = [];
  /** Writes text held in an attribute: inline inside a paragraph, else on its own line. */
  const attributeText = (flow: TextFlow | null, value: string | undefined): void => {
    if (flow === null || value === undefined || value.trim() === '') return;
    if (inParagraph > 0) {
      flow.text(` ${value} `);
    } else {
      flow.text(value);
      flow.newline();
    }
  };
  let spreadsheet = false;
  let presentation = false;
  let slide = 0;
  let tableDepth = 0;
  let inParagraph = 0;
  let inDecl = 0;
  let annotations = 0;
  let depth = 0;
  const current = (): TextFlow | null => frames[frames.length - 1]?.flow ?? base;
  const sharedFlow = (where: string): TextFlow => {
    let flow = shared.get(where);
    if (flow === undefined) {
      flow = flows.open(where);
      shared.set(where, flow);
    }
    return flow;
  };
  const push = (flow: TextFlow | null): void => {
    frames.push({ depth, flow });
  };
  return {
    open(local, attributes) {
      depth += 1;
      const decoration = PAGE_DECORATIONS[local];
      if (decoration !== undefined) return push(flows.open(decoration));
      const decl = PRESENTATION_DECLS[local];
      if (decl !== undefined) {
        inDecl += 1;
        return push(sharedFlow(decl));
      }
      const flow = current();
      for (const name of ATTRIBUTE_TEXT[local] ?? []) attributeText(flow, attribute(attributes, name));
      if (attributes['form:value'] !== undefined || attributes['form:current-value'] !== undefined) {
        attributeText(flow, attributes['form:value']);
        if (attributes['form:current-value'] !== attributes['form:value']) {
          attributeText(flow, attributes['form:current-value']);
        }
      }
      switch (local) {
        case 'spreadsheet':
          spreadsheet = true;
          return;
        case 'presentation':
        case 'drawing':
          presentation = true;
          return;
        case 'page':
          if (!presentation) return;
          slide += 1;
          return push(flows.open(`slide=${slide}`));
        case 'notes':
          return push(flows.open(`notes=${slide}`));
        case 'annotation':
          annotations += 1;
          return push(sharedFlow('comment'));
        case 'creator':
        case 'date':
          // An annotation's `dc:creator`/`dc:date` are metadata; elsewhere these are fields
          // whose shown text is document text.
          if (annotations === 0) return;
          depth -= 1;
          return false;
        case 'note-citation':
          // A footnote's number would glue its digit onto the text before it ("…1234568" +
          // "1"). Skipped, so no close comes.
          depth -= 1;
          return false;
        case 'note-body':
          return push(sharedFlow('footnote'));
        case 'p':
        case 'h':
          inParagraph += 1;
          return;
        case 's':
          flow?.spaces(Number(attribute(attributes, 'c') ?? '1'));
          return;
        case 'tab':
          flow?.tab();
          return;
        case 'line-break':
          flow?.newline();
          return;
        case 'table':
          tableDepth += 1;
          if (spreadsheet && tableDepth === 1) {
            push(flows.open(`sheet=${attribute(attributes, 'name') ?? ''}`));
          }
          current()?.startTable();
          return;
        case 'table-row':
          flow?.startRow();
          return;
        case 'table-cell':
        case 'covered-table-cell':
          cellRepeats.push(Number(attribute(attributes, 'number-columns-repeated') ?? '1') || 1);
          {
            const value = cellValue(attributes);
            const numeric = NUMERIC_TYPES.has(attribute(attributes, 'value-type') ?? '');
            cellValues.push(value === null ? null : { value, numeric });
          }
          flow?.startCell();
          return;
        default:
          return;
      }
    },
    close(local) {
      const top = frames[frames.length - 1];
      const flow = current();
      switch (local) {
        case 'p':
        case 'h':
          inParagraph -= 1;
          flow?.newline();
          break;
        case 'table-cell':
        case 'covered-table-cell': {
          const held = cellValues.pop();
          if (flow !== null && held != null) {
            const shown = flow.captured();
            if (hides(shown, held.value, held.numeric)) {
              flow.text(shown.trim() === '' ? held.value : ` ${held.value}`);
            }
          }
          flow?.endCell(cellRepeats.pop() ?? 1);
          break;
        }
        case 'table-row':
          flow?.endRow();
          break;
        case 'annotation':
          annotations -= 1;
          break;
        case 'table':
          flow?.endTable();
          tableDepth -= 1;
          break;
        default:
          if (PRESENTATION_DECLS[local] !== undefined) {
            inDecl -= 1;
            flow?.newline();
          }
      }
      if (top !== undefined && top.depth === depth) frames.pop();
      depth -= 1;
    },
    text(text) {
      if (inParagraph > 0 || inDecl > 0) current()?.text(text);
    },
  };
}
