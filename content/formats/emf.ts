/**
 * Enhanced Metafiles (EMF): the text they draw. Office stores the picture of every embedded
 * object (an Excel range pasted into a report, a Visio chart) as an EMF beside it, and a
 * metafile can also be attached or dropped into a document on its own; its text is drawn by
 * EMR_EXTTEXTOUTW (UTF-16) and EMR_EXTTEXTOUTA (8-bit, read as CP949, which is ASCII below 0x80)
 * records, which are read here in drawing order: strings drawn on one baseline joined on one line
 * (with a space, unless one of them is a single glyph drawn on its own), a new baseline on a new
 * line.
 *
 * Not read (known gaps): strings drawn as glyph indices (ETO_GLYPH_INDEX), which need the font to
 * map back, reported `unsupported-format`; EMF+ records inside EMR_COMMENT (Office writes the
 * same text as plain EMF records too, in dual mode); bitmaps drawn into the metafile
 * (EMR_STRETCHDIBITS), which are not handed to OCR; EMR_POLYTEXTOUT and EMR_SMALLTEXTOUT.
 */
import type { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';
import { FlowSet } from './text-flow.js';
import type { ExtractContext, ExtractResult, Extractor, FileProblem } from './types.js';

const EMR_HEADER = 1;
const EMR_EOF = 14;
const EMR_EXTTEXTOUTA = 83;
const EMR_EXTTEXTOUTW = 84;
/** ' EMF' as a little-endian 32-bit value at offset 40 of the header record. */
const EMF_SIGNATURE = 0x464d4520;
/** The text of an EXTTEXTOUT record: EmrText starts at 36, its fields are fixed. */
const TEXT_REFERENCE_Y = 40;
const TEXT_CHARS = 44;
const TEXT_OFFSET = 48;
const TEXT_OPTIONS = 52;
const ETO_GLYPH_INDEX = 0x10;
/** Time is checked once per this many records. */
const RECORDS_PER_TIME_CHECK = 4096;

export const emfExtractor: Extractor = {
  kinds: ['emf'],
  extract: readEmf,
};

/** EMF by its header: a first record of type EMR_HEADER carrying the ' EMF' signature. */
export function looksLikeEmf(bytes: Buffer): boolean {
  return (
    bytes.length >= 88 &&
    bytes.readUInt32LE(0) === EMR_HEADER &&
    bytes.readUInt32LE(4) >= 88 &&
    bytes.readUInt32LE(40) === EMF_SIGNATURE
  );
}

async function readEmf(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  if (!looksLikeEmf(bytes)) throw new Error('not an EMF: no EMR_HEADER with the EMF signature');
  const flows = new FlowSet(context.budget.limits.maxTextBytes);
  const flow = flows.open('');
  const problems: FileProblem[] = [];
  let glyphRecords = 0;
  let lastY: number | null = null;
  let lastText = '';
  let offset = 0;
  let records = 0;
  while (offset + 8 <= bytes.length) {
    const type = bytes.readUInt32LE(offset);
    const size = bytes.readUInt32LE(offset + 4);
    if (size < 8 || size % 4 !== 0 || offset + size > bytes.length) {
      problems.push({ code: 'unreadable', where: '', detail: `EMF record at byte ${offset} is malformed` });
      break;
    }
    records += 1;
    if (records % RECORDS_PER_TIME_CHECK === 0) context.budget.checkTime();
    if (type === EMR_EOF) break;
    if ((type === EMR_EXTTEXTOUTW || type === EMR_EXTTEXTOUTA) && size >= TEXT_OPTIONS + 4) {
      const record = bytes.subarray(offset, offset + size);
      const text = recordText(record, type === EMR_EXTTEXTOUTW);
      if (text === null) {
        glyphRecords += 1;
      } else if (text.trim() !== '') {
        const y = record.readInt32LE(TEXT_REFERENCE_Y);
        if (lastY !== null && y !== lastY) flow.newline();
        else if (lastY !== null && lastText.length > 1 && text.length > 1) flow.text(' ');
        flow.text(text);
        lastY = y;
        lastText = text;
      }
    }
    offset += size;
  }
  if (glyphRecords > 0) {
    const detail = `${glyphRecords} EMF text records drawn as glyph indices not read`;
    problems.push({ code: 'unsupported-format', where: '', detail });
  }
  return { pieces: flows.pieces(), children: [], problems: [...flows.problems(), ...problems] };
}

/** The string of an EXTTEXTOUT record; null when it is glyph indices; '' when out of bounds. */
function recordText(record: Buffer, wide: boolean): string | null {
  const chars = record.readUInt32LE(TEXT_CHARS);
  const start = record.readUInt32LE(TEXT_OFFSET);
  const options = record.readUInt32LE(TEXT_OPTIONS);
  if ((options & ETO_GLYPH_INDEX) !== 0) return null;
  const length = wide ? chars * 2 : chars;
  if (chars === 0 || start < TEXT_OPTIONS + 4 || start + length > record.length) return '';
  const raw = record.subarray(start, start + length);
  const text = wide ? raw.toString('utf16le') : iconv.decode(raw, 'cp949');
  // Control characters are drawing artefacts, not text.
  return text.replace(/[\u0000-\u0008\u000b-\u001f]/g, '');
}
