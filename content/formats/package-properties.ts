/**
 * Document properties as text: OOXML `docProps/core.xml` (title, subject, keywords, description,
 * author, last editor) and `docProps/custom.xml` (user-defined fields), ODF `meta.xml`, HWPX
 * `Contents/content.hpf`. People put real data there ("고객번호" as a custom field, a customer's
 * name as the title) and the recipient sees it in the file's properties, so it is scanned, at
 * `properties`, one value per line.
 *
 * A value held under a named field (`property name=…`, `meta:user-defined meta:name=…`,
 * `opf:meta name=…`) is written `NAME: VALUE`, so a detector reads the label next to the value.
 * Timestamps, counters and tool names are skipped: they are never personal data and only add
 * noise.
 */
import type { TextFlow } from './text-flow.js';
import { attribute, type XmlVisitor } from './xml-walk.js';

/** Elements whose value is bookkeeping, by local name. */
const SKIPPED = new Set([
  'created',
  'modified',
  'lastPrinted',
  'revision',
  'version',
  'date',
  'creation-date',
  'print-date',
  'editing-cycles',
  'editing-duration',
  'generator',
  'document-statistic',
  'language',
  'template',
  'manifest',
  'spine',
]);

interface Frame {
  readonly skip: boolean;
  /** The field name this element or an ancestor carries. */
  readonly label: string | null;
  readonly text: string[];
}

/** Writes every property value of one properties part to `flow`. */
export function propertiesVisitor(flow: TextFlow): XmlVisitor {
  const frames: Frame[] = [];
  return {
    open(local, attributes) {
      const parent = frames[frames.length - 1];
      const name = attribute(attributes, 'name')?.trim() || null;
      // HWPX keeps its dates as `opf:meta name="CreatedDate"`.
      const skip = (parent?.skip ?? false) || SKIPPED.has(local) || (name !== null && /date/i.test(name));
      frames.push({ skip, label: name ?? parent?.label ?? null, text: [] });
    },
    close() {
      const frame = frames.pop();
      if (frame === undefined || frame.skip) return;
      const value = frame.text.join('').trim();
      if (value === '') return;
      flow.text(frame.label === null ? value : `${frame.label}: ${value}`);
      flow.newline();
    },
    text(text) {
      const frame = frames[frames.length - 1];
      if (frame !== undefined && !frame.skip) frame.text.push(text);
    },
  };
}

/**
 * OOXML extended properties (docProps/app.xml): the company, the manager, the hyperlink base and
 * the titles of the parts (sheet names, slide titles) — shown in the file's properties, so
 * scanned; the counters and the application name beside them are not.
 */
export function extendedPropertiesVisitor(flow: TextFlow): XmlVisitor {
  const FIELDS = new Set(['Company', 'Manager', 'HyperlinkBase']);
  let field = 0;
  let titles = 0;
  let text: string[] = [];
  const emit = (): void => {
    const value = text.join('').trim();
    text = [];
    if (value === '') return;
    flow.text(value);
    flow.newline();
  };
  return {
    open(local) {
      if (local === 'TitlesOfParts') titles += 1;
      else if (FIELDS.has(local) || (titles > 0 && local === 'lpstr')) field += 1;
    },
    close(local) {
      if (local === 'TitlesOfParts') titles -= 1;
      else if (FIELDS.has(local) || (titles > 0 && local === 'lpstr')) {
        field -= 1;
        emit();
      }
    },
    text(chunk) {
      if (field > 0) text.push(chunk);
    },
  };
}

/** An attribute whose value is text a reader can see: of `element` (inside `parent`, if given). */
export interface AttributeText {
  readonly element: string;
  readonly attribute: string;
  readonly parent?: string;
  /** An attribute naming the value, written `NAME: VALUE`. */
  readonly label?: string;
}

/**
 * Text kept in attributes of parts that are otherwise structure: WordprocessingML style names
 * (`w:style/w:name`), list numbering text (`w:lvlText`, the "%1." of a list, but any literal text
 * shows before every item) and document variables (`w:docVar`, shown through DOCVARIABLE fields).
 * One value per line; a value that is only numbering placeholders and punctuation is left out.
 */
export function attributeTextVisitor(flow: TextFlow, picks: readonly AttributeText[]): XmlVisitor {
  const path: string[] = [];
  const seen = new Set<string>();
  return {
    open(local, attributes) {
      const parent = path[path.length - 1];
      path.push(local);
      for (const pick of picks) {
        if (pick.element !== local || (pick.parent !== undefined && pick.parent !== parent)) continue;
        const value = attribute(attributes, pick.attribute)?.trim() ?? '';
        if (value.replace(/%\d|[\p{P}\p{S}\s]/gu, '') === '') continue;
        const label = pick.label === undefined ? undefined : attribute(attributes, pick.label)?.trim();
        const line = label ? `${label}: ${value}` : value;
        if (seen.has(line)) continue;
        seen.add(line);
        flow.text(line);
        flow.newline();
      }
    },
    close() {
      path.pop();
    },
    text() {},
  };
}
