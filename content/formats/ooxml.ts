/**
 * Office Open XML documents, read as what they are, zips of XML parts:
 *   - DOCX: the body, headers, footers, footnotes, endnotes, comments and text boxes;
 *   - XLSX: every sheet by its tab name (`sheet=NAME`), cells as shown, plus cell comments and
 *     text boxes drawn on sheets;
 *   - PPTX: every slide in presentation order (`slide=N`) and its speaker notes (`notes=N`).
 * Parts are found through their relationships (opc.ts), read through the shared zip guards
 * (zip-reader.ts) and streamed through saxes. The document properties (core and custom) are read
 * at `properties`, PPTX slide masters and layouts at `master`. Pictures inside (`word/media`,
 * `xl/media`, `ppt/media`) are returned as inner files for OCR, embedded documents
 * (`…/embeddings`, an Excel sheet pasted into a report) and every other entry no part read (a
 * chart's data, custom XML, a CSV dropped into the zip) as inner files to be read in their turn.
 *
 * A password-protected OOXML file is not a zip at all (an OLE file with EncryptedPackage) and
 * never reaches here; sniff.ts types it `office-encrypted`.
 */
import type { Buffer } from 'node:buffer';
import { posix } from 'node:path';
import type { ExtractContext, ExtractResult, Extractor, InnerFile } from './types.js';
import { FlowSet } from './text-flow.js';
import { drawingVisitor, wordVisitor } from './ooxml-text.js';
import { relationships, targetsOf, type Relationship } from './opc.js';
import {
  attributeTextVisitor,
  extendedPropertiesVisitor,
  propertiesVisitor,
  type AttributeText,
} from './package-properties.js';
import { PackageReading } from './zip-package.js';
import { readCellFormats, readSharedStrings, readSheet, readWorkbook } from './xlsx-workbook.js';

/** A WordprocessingML part besides the body, and the place its text is reported at. */
const WORD_PARTS: readonly (readonly [relType: string, where: string])[] = [
  ['header', 'header'],
  ['footer', 'footer'],
  ['footnotes', 'footnote'],
  ['endnotes', 'endnote'],
  ['comments', 'comment'],
];

/**
 * WordprocessingML parts of structure that still hold text a reader sees (style names, list
 * numbering text, document variables), by relationship type, with the attributes holding it.
 */
const WORD_STRUCTURE_TEXT: readonly (readonly [relType: string, picks: readonly AttributeText[]])[] = [
  ['styles', [{ element: 'name', attribute: 'val', parent: 'style' }]],
  ['numbering', [{ element: 'lvlText', attribute: 'val' }]],
  ['settings', [{ element: 'docVar', attribute: 'val', label: 'name' }]],
];

/** Slide masters, slide layouts, notes and handout masters of a PPTX. */
const MASTER_PART = /^ppt\/(slideMasters|slideLayouts|notesMasters|handoutMasters)\/[^/]+\.xml$/i;

export const docxExtractor: Extractor = {
  kinds: ['docx'],
  extract: (bytes, context) => withPackage(bytes, context, readDocx),
};

export const xlsxExtractor: Extractor = {
  kinds: ['xlsx'],
  extract: (bytes, context) => withPackage(bytes, context, readXlsx),
};

export const pptxExtractor: Extractor = {
  kinds: ['pptx'],
  extract: (bytes, context) => withPackage(bytes, context, readPptx),
};

/** Reads the document's own parts; `packageRels` are the package's relationships. */
type Reader = (
  reading: PackageReading,
  flows: FlowSet,
  packageRels: readonly Relationship[],
) => Promise<InnerFile[]>;

async function withPackage(bytes: Buffer, context: ExtractContext, read: Reader): Promise<ExtractResult> {
  const reading = await PackageReading.open(bytes, context.budget);
  try {
    const flows = new FlowSet(context.budget.limits.maxTextBytes);
    const packageRels = await relationships(reading, '');
    const children = await read(reading, flows, packageRels);
    for (const path of propertyParts(packageRels).filter((part) => reading.has(part))) {
      if (flows.skipIfFull('properties')) break;
      await reading.part(path, 'properties', propertiesVisitor(flows.open('properties')));
    }
    // Extended properties: company, manager, titles of parts.
    const app = targetsOf(packageRels, 'extended-properties')[0] ?? 'docProps/app.xml';
    if (reading.has(app) && !flows.skipIfFull('properties')) {
      await reading.part(app, 'properties', extendedPropertiesVisitor(flows.open('properties')));
    }
    children.push(...(await reading.leftovers()));
    return { pieces: flows.pieces(), children, problems: [...flows.problems(), ...reading.problems] };
  } finally {
    reading.close();
  }
}

/** The main part the package relationships name, or the conventional path when they do not. */
function mainPart(packageRels: readonly Relationship[], fallback: string): string {
  return targetsOf(packageRels, 'officeDocument')[0] ?? fallback;
}

/** The core and custom properties parts, where the relationships put them or else by convention. */
function propertyParts(packageRels: readonly Relationship[]): string[] {
  const core = targetsOf(packageRels, 'core-properties');
  const named = [...core, ...targetsOf(packageRels, 'custom-properties')];
  return named.length > 0 ? named : ['docProps/core.xml', 'docProps/custom.xml'];
}

async function readDocx(
  reading: PackageReading,
  flows: FlowSet,
  packageRels: readonly Relationship[],
): Promise<InnerFile[]> {
  const document = mainPart(packageRels, 'word/document.xml');
  const body = flows.open('');
  await reading.part(document, '', wordVisitor(flows, body), { required: true });
  const rels = await relationships(reading, document);
  for (const [relType, where] of WORD_PARTS) {
    let targets = targetsOf(rels, relType);
    // Without relationships, the parts are where Word always puts them.
    if (rels.length === 0) targets = conventionalParts(reading, `word/${relType}`);
    for (const target of targets) {
      if (flows.skipIfFull(where)) break;
      const flow = flows.open(where);
      await reading.part(target, where, wordVisitor(flows, flow));
    }
  }
  const dir = posix.dirname(document);
  for (const [relType, picks] of WORD_STRUCTURE_TEXT) {
    const target = targetsOf(rels, relType)[0] ?? `${dir}/${relType}.xml`;
    if (!reading.has(target) || flows.skipIfFull('properties')) continue;
    await reading.part(target, 'properties', attributeTextVisitor(flows.open('properties'), picks));
  }
  return embeddedOf(reading, 'word');
}

async function readXlsx(
  reading: PackageReading,
  flows: FlowSet,
  packageRels: readonly Relationship[],
): Promise<InnerFile[]> {
  const workbookPath = mainPart(packageRels, 'xl/workbook.xml');
  const workbook = await readWorkbook(reading, workbookPath);
  const rels = await relationships(reading, workbookPath);
  const dir = posix.dirname(workbookPath);
  const stylesPath = targetsOf(rels, 'styles')[0] ?? `${dir}/styles.xml`;
  const sharedPath = targetsOf(rels, 'sharedStrings')[0] ?? `${dir}/sharedStrings.xml`;
  const formats = await readCellFormats(reading, stylesPath);
  const shared = await readSharedStrings(reading, sharedPath, reading.budget.limits.maxTextBytes);
  if (shared.cut) {
    const detail = 'shared strings beyond the text budget were not read';
    reading.problems.push({ code: 'truncated', where: '', detail });
  }
  const cells = { sharedStrings: shared.strings, formats, date1904: workbook.date1904 };
  const byId = new Map(rels.map((r) => [r.id, r]));
  for (const [index, sheet] of workbook.sheets.entries()) {
    const rel = byId.get(sheet.relId);
    const path = rel?.target || (rels.length === 0 ? `${dir}/worksheets/sheet${index + 1}.xml` : '');
    if (path === '' || rel?.type === 'chartsheet') continue;
    const where = `sheet=${sheet.name}`;
    if (reading.stopped || flows.skipIfFull(where)) break;
    await readSheet(reading, path, where, flows.open(where), cells);
    await readSheetExtras(reading, path, flows);
  }
  return embeddedOf(reading, 'xl');
}

/** Cell comments and text boxes on a sheet: reached through the sheet's own relationships. */
async function readSheetExtras(reading: PackageReading, sheetPath: string, flows: FlowSet): Promise<void> {
  const rels = await relationships(reading, sheetPath);
  for (const target of targetsOf(rels, 'comments')) {
    // Each comment's `text` on its own line; the runs inside it hold `t`.
    await reading.part(target, 'comment', drawingVisitor(flows.open('comment'), new Set(['t', 'text'])));
  }
  for (const target of targetsOf(rels, 'drawing')) {
    await reading.part(target, 'textbox', drawingVisitor(flows.open('textbox')));
  }
}

async function readPptx(
  reading: PackageReading,
  flows: FlowSet,
  packageRels: readonly Relationship[],
): Promise<InnerFile[]> {
  const presentation = mainPart(packageRels, 'ppt/presentation.xml');
  const slideIds: string[] = [];
  await reading.part(
    presentation,
    '',
    {
      open(local, attributes) {
        if (local !== 'sldId') return;
        for (const [name, value] of Object.entries(attributes)) {
          // `r:id`, not the numeric `id` the element also carries.
          if (name.includes(':') && name.endsWith(':id')) slideIds.push(value);
        }
      },
      close() {},
      text() {},
    },
    { required: true },
  );
  const rels = await relationships(reading, presentation);
  const byId = new Map(rels.map((r) => [r.id, r.target]));
  let slides = slideIds.map((id) => byId.get(id) ?? '').filter((path) => path !== '');
  if (slides.length === 0) slides = conventionalParts(reading, 'ppt/slides/slide');
  for (const [index, slide] of slides.entries()) {
    const number = index + 1;
    if (reading.stopped || flows.skipIfFull(`slide=${number}`)) break;
    await reading.part(slide, `slide=${number}`, drawingVisitor(flows.open(`slide=${number}`)));
    const slideRels = await relationships(reading, slide);
    for (const notes of targetsOf(slideRels, 'notesSlide')) {
      await reading.part(notes, `notes=${number}`, drawingVisitor(flows.open(`notes=${number}`)));
    }
    for (const comments of targetsOf(slideRels, 'comments')) {
      await reading.part(comments, 'comment', drawingVisitor(flows.open('comment'), new Set(['text'])));
    }
  }
  // Masters and layouts: text placed on them shows on every slide that uses them.
  const masters = reading.zip.entries.filter((e) => MASTER_PART.test(e.path)).map((e) => e.path);
  for (const path of masters) {
    if (reading.stopped || flows.skipIfFull('master')) break;
    await reading.part(path, 'master', drawingVisitor(flows.open('master')));
  }
  return embeddedOf(reading, 'ppt');
}

/** Pictures (for OCR) and embedded documents under `root/`. */
async function embeddedOf(reading: PackageReading, root: string): Promise<InnerFile[]> {
  const images = await reading.embedded([`${root}/media/`]);
  const documents = await reading.embedded([`${root}/embeddings/`]);
  return [...images, ...documents];
}

/** `prefixN.xml` parts in numeric order (`slide2` before `slide10`). */
function conventionalParts(reading: PackageReading, prefix: string): string[] {
  const numberOf = (path: string): number | null => {
    if (!path.toLowerCase().startsWith(prefix.toLowerCase())) return null;
    const match = /^(\d*)\.xml$/i.exec(path.slice(prefix.length));
    return match ? Number(match[1] || 0) : null;
  };
  return reading.zip.entries
    .map((e) => ({ path: e.path, n: numberOf(e.path) }))
    .filter((p): p is { path: string; n: number } => p.n !== null)
    .sort((a, b) => a.n - b.n)
    .map((p) => p.path);
}
