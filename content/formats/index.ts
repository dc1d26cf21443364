/**
 * The one registry of file extractors: which extractor reads which kind of file. The attachment
 * pipeline (content/attachments.ts) asks it by the kind sniff.ts found in the content; a kind no
 * extractor lists is reported `unsupported-format` there, never skipped in silence.
 *
 * Each extractor declares its kinds (`Extractor.kinds`); the registry is built from those
 * declarations, so adding a format is adding it to EXTRACTORS. Two extractors claiming one kind
 * is a programming error, caught when this module loads.
 */
import type { Extractor, FileKind } from './types.js';
import { gzipExtractor, tarExtractor, zipArchiveExtractor } from './archive.js';
import { emfExtractor } from './emf.js';
import { htmlExtractor } from './html.js';
import { hwpExtractor } from './hwp.js';
import { hwpxExtractor } from './hwpx.js';
import { imageExtractor } from './image.js';
import { mboxExtractor } from './mbox.js';
import { odfExtractor } from './odf.js';
import { oleExtractor } from './ole.js';
import { docxExtractor, pptxExtractor, xlsxExtractor } from './ooxml.js';
import { pdfExtractor } from './pdf.js';
import { rtfExtractor } from './rtf.js';
import { sevenZipExtractor } from './seven-zip.js';
import { textExtractor } from './text.js';
import { tnefExtractor } from './tnef.js';

/**
 * Kinds no extractor reads, reported `unsupported-format`: `binary` (nothing recognised it)
 * and `eml`, which the pipeline hands back to the message reader instead.
 */
const EXTRACTORS: readonly Extractor[] = [
  textExtractor,
  htmlExtractor,
  rtfExtractor,
  pdfExtractor,
  docxExtractor,
  xlsxExtractor,
  pptxExtractor,
  odfExtractor,
  hwpxExtractor,
  hwpExtractor,
  oleExtractor,
  tnefExtractor,
  mboxExtractor,
  zipArchiveExtractor,
  tarExtractor,
  gzipExtractor,
  sevenZipExtractor,
  imageExtractor,
  emfExtractor,
];

function buildRegistry(extractors: readonly Extractor[]): ReadonlyMap<FileKind, Extractor> {
  const registry = new Map<FileKind, Extractor>();
  for (const extractor of extractors) {
    for (const kind of extractor.kinds) {
      if (registry.has(kind)) throw new Error(`two extractors claim the kind ${kind}`);
      registry.set(kind, extractor);
    }
  }
  return registry;
}

const REGISTRY = buildRegistry(EXTRACTORS);

/** The extractor for files of `kind`, or null when no extractor reads it. */
export function extractorFor(kind: FileKind): Extractor | null {
  return REGISTRY.get(kind) ?? null;
}
