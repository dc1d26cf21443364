/**
 * HWPX, the zip-and-XML form of Hangul (OWPML, KS X 6101): the sections `Contents/sectionN.xml`
 * in order, their `hp:t` text with tables (`hp:tbl`, tab-separated cells), text boxes
 * (`hp:drawText` at `textbox`), headers and footers, footnotes and endnotes, hidden comments
 * (숨은 설명, at `comment`) and master pages (바탕쪽, at `masterpage`); of an `hp:switch`, the
 * `hp:case` and also the `hp:default` (what a reader not knowing the case's namespace shows),
 * unless its text is the case's again (Alternatives, text-flow.ts); the document's
 * metadata (Contents/content.hpf: title, author, keywords) at `properties`. Pictures in
 * `BinData/` are returned for OCR, and every other entry no part read as an inner file.
 *
 * A password-protected HWPX keeps its zip structure but encrypts the parts and lists them with
 * `encryption-data` in META-INF/manifest.xml (`odf:` prefix here): EncryptedFile. A package
 * with no manifest at all is legal enough (the hwpxlib "no_manifest" sample) and read as is.
 * When no section can be parsed, the preview text Hangul stores (`Preview/PrvText.txt`, the
 * first page or so) is still given, at `preview`, with the sections reported unreadable.
 */
import type { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { EncryptedFile, type ExtractContext, type ExtractResult, type Extractor } from './types.js';
import { Alternatives, FlowSet, type TextFlow } from './text-flow.js';
import type { XmlVisitor } from './xml-walk.js';
import { manifestDeclaresEncryption, PackageReading } from './zip-package.js';
import { propertiesVisitor } from './package-properties.js';

export const hwpxExtractor: Extractor = {
  kinds: ['hwpx'],
  extract: readHwpx,
};

/** Sub-documents that get their own place. */
const ROUTED: Readonly<Record<string, string>> = {
  header: 'header',
  footer: 'footer',
  footNote: 'footnote',
  endNote: 'endnote',
  drawText: 'textbox',
  hiddenComment: 'comment',
};

const PREVIEW_TEXT = 'Preview/PrvText.txt';

/** The package description (OPF): title, author, keywords, and the list of parts. */
const METADATA = 'Contents/content.hpf';

/** The preview is small (about 1 KB); anything beyond this is not a preview. */
const MAX_PREVIEW_BYTES = 64 * 1024;

async function readHwpx(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  const reading = await PackageReading.open(bytes, context.budget);
  try {
    if (await manifestDeclaresEncryption(reading)) throw new EncryptedFile('HWPX document is encrypted');
    const flows = new FlowSet(context.budget.limits.maxTextBytes);
    const sections = numbered(reading, /^Contents\/section(\d+)\.xml$/i);
    let read = 0;
    for (const path of sections) {
      if (flows.skipIfFull('')) break;
      if (await reading.part(path, '', hwpxVisitor(flows, flows.open('')))) read += 1;
    }
    for (const path of numbered(reading, /^Contents\/masterpage(\d+)\.xml$/i)) {
      if (flows.skipIfFull('masterpage')) break;
      await reading.part(path, 'masterpage', hwpxVisitor(flows, flows.open('masterpage')));
    }
    // The preview is Hangul's copy of the first page: read only when the sections could not be.
    if (read === 0 && !reading.stopped) await readPreview(reading, flows, sections.length);
    else reading.consume(PREVIEW_TEXT);
    if (reading.has(METADATA) && !flows.skipIfFull('properties')) {
      await reading.part(METADATA, 'properties', propertiesVisitor(flows.open('properties')));
    }
    const children = [...(await reading.embedded(['BinData/'])), ...(await reading.leftovers())];
    return { pieces: flows.pieces(), children, problems: [...flows.problems(), ...reading.problems] };
  } finally {
    reading.close();
  }
}

/** Paths matching `pattern` (one numeric group), in numeric order. */
function numbered(reading: PackageReading, pattern: RegExp): string[] {
  return reading.zip.entries
    .map((e) => ({ path: e.path, match: pattern.exec(e.path) }))
    .filter((x) => x.match !== null)
    .sort((a, b) => Number(a.match?.[1]) - Number(b.match?.[1]))
    .map((x) => x.path);
}

async function readPreview(reading: PackageReading, flows: FlowSet, sectionCount: number): Promise<void> {
  const entry = reading.zip.find(PREVIEW_TEXT);
  reading.consume(PREVIEW_TEXT);
  if (entry === undefined || entry.encrypted) {
    if (sectionCount === 0) throw new Error('HWPX package has no sections');
    return;
  }
  if (sectionCount === 0) {
    const detail = 'HWPX package has no sections; preview text only';
    reading.problems.push({ code: 'unreadable', where: '', detail });
  }
  try {
    const raw = await reading.zip.read(entry, { maxBytes: MAX_PREVIEW_BYTES });
    const utf16 = raw.length >= 2 && raw[0] === 0xff && raw[1] === 0xfe;
    flows.open('preview').text(new TextDecoder(utf16 ? 'utf-16le' : 'utf-8').decode(raw));
  } catch (err) {
    reading.failure(err, 'preview');
  }
}

interface Frame {
  readonly depth: number;
  readonly flow: TextFlow;
}

function hwpxVisitor(flows: FlowSet, base: TextFlow): XmlVisitor {
  const frames: Frame[] = [];
  const alternatives = new Alternatives();
  /** Depths of the open `hp:default` elements, whose close ends a fallback. */
  const defaults: number[] = [];
  let depth = 0;
  let inText = 0;
  const current = (): TextFlow => frames[frames.length - 1]?.flow ?? base;
  return {
    open(local) {
      depth += 1;
      const routed = ROUTED[local];
      if (routed !== undefined) {
        // Inside a fallback everything stays in its aside, to be compared with the case.
        frames.push({ depth, flow: alternatives.side ?? flows.open(routed) });
        return;
      }
      const flow = current();
      switch (local) {
        case 'switch':
          alternatives.openGroup();
          return;
        case 'case':
          alternatives.openChoice();
          return;
        case 'default':
          frames.push({ depth, flow: alternatives.openFallback(flow) });
          defaults.push(depth);
          return;
        case 't':
          inText += 1;
          return;
        case 'tab':
          if (inText > 0) flow.tab();
          return;
        case 'lineBreak':
          if (inText > 0) flow.newline();
          return;
        case 'nbSpace':
        case 'fwSpace':
          if (inText > 0) flow.text(' ');
          return;
        case 'hyphen':
          if (inText > 0) flow.text('-');
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
          return;
      }
    },
    close(local) {
      const flow = current();
      switch (local) {
        case 'case':
          alternatives.closeChoice();
          break;
        case 't':
          inText -= 1;
          break;
        case 'p':
          flow.newline();
          break;
        case 'tc':
          flow.endCell();
          break;
        case 'tr':
          flow.endRow();
          break;
        case 'tbl':
          flow.endTable();
          break;
        default:
          break;
      }
      const top = frames[frames.length - 1];
      if (top !== undefined && top.depth === depth) {
        top.flow.newline();
        frames.pop();
      }
      if (defaults[defaults.length - 1] === depth) {
        defaults.pop();
        alternatives.closeFallback();
      }
      depth -= 1;
    },
    text(text) {
      if (inText === 0) return;
      alternatives.text(text);
      current().text(text);
    },
  };
}
