/**
 * PDF text, page by page (`page=N`), on pdfjs-dist's legacy build (the only build that runs on
 * Node 20), plus what a DLP must not miss around the text layer: form-field values and comments
 * (annotations), files embedded in the PDF or attached to a page (paperclip annotations), returned
 * as children, and scanned pages, which are rendered and read by OCR.
 *
 * Korean PDFs often use CID-keyed fonts with a predefined CMap (UniKS-UCS2-H, KSCms-UHC-H) and no
 * ToUnicode table; text comes out as Korean only when pdfjs can load its bundled CMaps, so
 * `cMapUrl` points at node_modules/pdfjs-dist/cmaps/. Without it the same PDF gives nothing.
 *
 * pdfjs runs its "worker" in this thread in Node (pdf.worker.mjs, loaded beside it): no worker
 * thread is started, and the extraction pool's child process is the isolation boundary. Fonts are
 * never installed (`disableFontFace`) and eval is off.
 *
 * pdfjs's own `maxImageSize` is not used: it drops a larger image without a word, so a scan
 * just over the limit rendered as a blank page and was passed as read. The page render given to
 * OCR is scaled down to `maxImagePixels` anyway; an image op larger than that on a page to be
 * OCR'd is reported `limit-exceeded` instead (pdfjs has decoded it in the background by then:
 * the memory it takes is bounded by the extraction pool's process, not here).
 *
 * Decompression: pdfjs inflates embedded files whole inside `getAttachments()` and
 * `getAnnotations()`, and its public API shows neither a stream's raw length nor its declared
 * /Params /Size first, so a bomb cannot be stopped before it inflates. What can be done is done
 * after: each file is charged to the decompression budget, and one larger than
 * `maxCompressionRatio` times the whole PDF (its stream can be no longer than the PDF) is refused
 * before it is copied or passed on.
 *
 * A password → EncryptedFile; a file pdfjs cannot parse → Error (unreadable).
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ocrImage } from './image.js';
import type { OcrOptions } from './image.js';
import { PieceCollector } from './pieces.js';
import { EncryptedFile, LimitExceeded } from './types.js';
import type { Budget, ExtractContext, ExtractResult, Extractor, InnerFile } from './types.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** pdfjs's own canvas factory (backed by the @napi-rs/canvas it depends on), as used here. */
interface CanvasAndContext {
  canvas: { toBuffer(mime: 'image/png'): Buffer } | null;
  context: unknown;
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(canvasAndContext: CanvasAndContext): void;
}

export interface PdfOptions {
  /** OCR scanned pages (pages with images and little or no text). On by default. */
  readonly ocr?: boolean;
  readonly ocrOptions?: OcrOptions;
}

/**
 * Scanned pages are rendered at 200 dpi, and at most this many pixels (bigger pages are scaled
 * down to fit). 200 dpi gives 11-point Hangul about 30 px, which tesseract read without a miss on
 * a full A4 test page; 300 dpi more than doubles the pixels and the OCR time for no gain there.
 */
const RENDER_DPI = 200;
const MAX_RENDER_PIXELS = 9_000_000;
/** Embedded and page-attached files taken out of one PDF. */
const MAX_EMBEDDED_FILES = 1000;
/**
 * A page with images and fewer non-space characters than this is OCR'd: a scanner or a
 * "print to PDF" of a scan often adds a page number, a date or a file name as real text, and
 * that must not hide the scanned content. A sentence of real text is more than this.
 */
const SCANNED_PAGE_MAX_CHARS = 20;

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
let pdfjsModule: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  // Loaded on first use: the module is large and most mails carry no PDF.
  pdfjsModule ??= importPdfJs();
  return pdfjsModule;
}

/**
 * The legacy build bundles core-js, which on Node 20 replaces `Array.prototype.push` (to throw
 * on arrays with a read-only length, a V8 bug nothing here meets) and `JSON.parse`/`stringify`
 * (for proposals nothing here uses) with script versions, for the whole process. Every push the
 * detectors, the XML readers and pdfjs itself make then ran several times slower: a sixth of a
 * typical mail's scan time. The natives are put back once both halves of pdfjs are loaded; the
 * polyfills that only add what Node 20 lacks (`Promise.withResolvers` and the like) stay. The
 * worker half is loaded here and handed over as `globalThis.pdfjsWorker`, so pdfjs never imports
 * it later, after the natives were restored.
 */
async function importPdfJs(): Promise<PdfJs> {
  const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  Object.defineProperty(Array.prototype, 'push', { value: natives.push, writable: true, configurable: true, enumerable: false });
  JSON.parse = natives.parse;
  JSON.stringify = natives.stringify;
  return pdfjs;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function shortMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 120);
}

async function pageText(page: PdfPage): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue; // marked-content boundaries carry no text
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text;
}

/** A file as pdfjs gives it, from the EmbeddedFiles tree or a FileAttachment annotation. */
interface PdfFile {
  readonly name: string;
  readonly content: Uint8Array;
}

interface PageAnnotations {
  /** Form-field values and comment text, which live in annotations, not in the page content. */
  readonly text: string;
  /** Files attached to the page (the paperclip icon), which the EmbeddedFiles tree does not list. */
  readonly files: PdfFile[];
}

/** pdfjs's AnnotationType.FILEATTACHMENT. */
const ANNOTATION_FILE_ATTACHMENT = 17;

async function pageAnnotations(page: PdfPage): Promise<PageAnnotations> {
  const lines: string[] = [];
  const files: PdfFile[] = [];
  for (const annotation of await page.getAnnotations()) {
    const record = annotation as Record<string, unknown>;
    const value = record['fieldValue'];
    if (typeof value === 'string') lines.push(value);
    else if (Array.isArray(value)) lines.push(...value.filter((v): v is string => typeof v === 'string'));
    const contents = record['contentsObj'] as { str?: unknown } | undefined;
    if (typeof contents?.str === 'string') lines.push(contents.str);
    const file = record['file'] as { filename?: unknown; content?: unknown } | undefined;
    if (record['annotationType'] === ANNOTATION_FILE_ATTACHMENT && file?.content instanceof Uint8Array) {
      files.push({ name: typeof file.filename === 'string' ? file.filename : '', content: file.content });
    }
  }
  return { text: lines.filter((line) => line.trim() !== '').join('\n'), files };
}

interface PageImages {
  readonly count: number;
  /** The image op with the most pixels, where the op carries its size (not the repeat ops). */
  readonly largest: { readonly width: number; readonly height: number } | null;
}

async function pageImages(pdfjs: PdfJs, page: PdfPage): Promise<PageImages> {
  const { OPS } = pdfjs;
  const imageOps = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObject,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintImageMaskXObjectGroup,
  ]);
  const list = await page.getOperatorList();
  let count = 0;
  let largest: PageImages['largest'] = null;
  list.fnArray.forEach((op, i) => {
    if (!imageOps.has(op)) return;
    count += 1;
    const args = list.argsArray[i] as unknown[] | undefined;
    // paintImageXObject: [objId, width, height]; masks and inline images: [{ width, height, … }].
    const size = op === OPS.paintImageXObject ? { width: args?.[1], height: args?.[2] } : (args?.[0] as Record<string, unknown> | undefined);
    const width = size?.['width'];
    const height = size?.['height'];
    if (typeof width !== 'number' || typeof height !== 'number') return;
    if (largest === null || width * height > largest.width * largest.height) largest = { width, height };
  });
  return { count, largest };
}

function nonSpaceChars(text: string): number {
  return text.replace(/\s+/g, '').length;
}

async function renderPage(document: PdfDocument, page: PdfPage, maxPixels: number): Promise<Buffer> {
  const base = page.getViewport({ scale: 1 });
  const fit = Math.sqrt(Math.min(maxPixels, MAX_RENDER_PIXELS) / Math.max(1, base.width * base.height));
  const viewport = page.getViewport({ scale: Math.min(RENDER_DPI / 72, fit) });
  const factory = document.canvasFactory as CanvasFactory;
  const target = factory.create(Math.floor(viewport.width), Math.floor(viewport.height));
  try {
    const params = { canvas: target.canvas, canvasContext: target.context, viewport };
    await page.render(params as unknown as Parameters<PdfPage['render']>[0]).promise;
    if (target.canvas === null) throw new Error('no canvas');
    return target.canvas.toBuffer('image/png');
  } finally {
    factory.destroy(target);
  }
}

async function ocrScannedPage(
  document: PdfDocument,
  page: PdfPage,
  where: string,
  budget: Budget,
  collector: PieceCollector,
  options: OcrOptions,
): Promise<void> {
  let png: Buffer;
  try {
    png = await renderPage(document, page, budget.limits.maxImagePixels);
  } catch (error) {
    collector.problem({ code: 'unreadable', where, detail: `scanned page could not be rendered: ${shortMessage(error)}` });
    return;
  }
  try {
    collector.add(where, (await ocrImage(png, budget, options)).text);
  } catch (error) {
    if (error instanceof LimitExceeded && error.limit === 'time') throw error;
    const code = error instanceof LimitExceeded ? 'limit-exceeded' : 'unreadable';
    collector.problem({ code, where, detail: `scanned page not read: ${shortMessage(error)}` });
  }
}

async function embeddedFiles(document: PdfDocument, collector: PieceCollector): Promise<PdfFile[]> {
  let attachments: unknown;
  try {
    attachments = await document.getAttachments();
  } catch (error) {
    collector.problem({ code: 'unreadable', where: 'attachments', detail: `embedded files not read: ${shortMessage(error)}` });
    return [];
  }
  if (attachments === null || typeof attachments !== 'object') return [];
  const files: PdfFile[] = [];
  for (const [key, value] of Object.entries(attachments as Record<string, unknown>)) {
    const file = value as { filename?: unknown; content?: unknown };
    if (!(file.content instanceof Uint8Array)) continue;
    files.push({ name: typeof file.filename === 'string' && file.filename !== '' ? file.filename : key, content: file.content });
  }
  return files;
}

/**
 * The files as children, each charged to the budget: one entry and its inflated size. A file
 * over the ratio, or past the message's decompression or entry budget, is reported at its own
 * path and not passed on; the pages' text stays.
 */
function takeChildren(files: readonly PdfFile[], pdfBytes: number, budget: Budget, collector: PieceCollector): InnerFile[] {
  const children: InnerFile[] = [];
  for (const file of files) {
    if (children.length >= MAX_EMBEDDED_FILES) {
      collector.problem({ code: 'limit-exceeded', where: 'attachments', detail: `more than ${MAX_EMBEDDED_FILES} embedded files` });
      break;
    }
    const path = (file.name === '' ? 'unnamed' : file.name).replace(/[\\/]/g, '_');
    const { content } = file;
    const ratio = content.length / Math.max(1, pdfBytes);
    if (ratio > budget.limits.maxCompressionRatio) {
      const detail = `embedded file of ${content.length} bytes is over ${budget.limits.maxCompressionRatio} times the PDF's size`;
      collector.problem({ code: 'limit-exceeded', where: '', path, detail });
      continue;
    }
    try {
      budget.takeEntry();
      budget.takeDecompressed(content.length);
    } catch (error) {
      if (!(error instanceof LimitExceeded)) throw error;
      collector.problem({ code: 'limit-exceeded', where: '', path, detail: error.message });
      break;
    }
    // A view, not a copy: pdfjs gave us this array and keeps no use for it.
    children.push({ path, bytes: Buffer.from(content.buffer, content.byteOffset, content.length) });
  }
  return children;
}

async function openDocument(pdfjs: PdfJs, bytes: Buffer): Promise<PdfDocument> {
  const task = pdfjs.getDocument({
    // pdfjs may transfer or detach the array it gets: give it a copy, never the caller's buffer.
    data: new Uint8Array(bytes),
    cMapUrl: `${pdfjsRoot}/cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
    wasmUrl: `${pdfjsRoot}/wasm/`,
    iccUrl: `${pdfjsRoot}/iccs/`,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    enableXfa: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    if (errorName(error) === 'PasswordException') throw new EncryptedFile('PDF is password-protected');
    throw new Error(`PDF could not be parsed: ${shortMessage(error)}`);
  }
}

export function createPdfExtractor(options: PdfOptions = {}): Extractor {
  const ocr = options.ocr ?? true;
  const ocrOptions = options.ocrOptions ?? {};
  return {
    kinds: ['pdf'],
    async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
      const { budget } = context;
      budget.checkTime();
      const pdfjs = await loadPdfJs();
      const document = await openDocument(pdfjs, bytes);
      const collector = new PieceCollector(budget.limits.maxTextBytes);
      const pageFiles: PdfFile[] = [];
      try {
        const pages = document.numPages;
        for (let number = 1; number <= pages && !collector.full; number++) {
          const where = `page=${number}`;
          try {
            budget.checkTime();
            const page = await document.getPage(number);
            const text = await pageText(page);
            const annotations = await pageAnnotations(page);
            collector.add(where, text);
            collector.add(where, annotations.text);
            pageFiles.push(...annotations.files);
            if (nonSpaceChars(text) < SCANNED_PAGE_MAX_CHARS) {
              const images = await pageImages(pdfjs, page);
              const { largest } = images;
              const limit = budget.limits.maxImagePixels;
              if (images.count === 0) {
                // A page of little text and no image: nothing more to read on it.
              } else if (!ocr) {
                collector.problem({ code: 'unsupported-format', where, detail: 'scanned page, no text layer' });
              } else if (largest !== null && largest.width * largest.height > limit) {
                const detail = `scanned page not read: image of ${largest.width}x${largest.height} is over ${limit} pixels`;
                collector.problem({ code: 'limit-exceeded', where, detail });
              } else {
                await ocrScannedPage(document, page, where, budget, collector, ocrOptions);
              }
            }
            page.cleanup();
          } catch (error) {
            if (error instanceof LimitExceeded && error.limit === 'time') {
              // Pages read so far still go to the detectors; the rest is reported, not dropped.
              collector.problem({ code: 'limit-exceeded', where, detail: `time budget spent; pages ${number}-${pages} not read` });
              break;
            }
            if (error instanceof LimitExceeded) throw error;
            collector.problem({ code: 'unreadable', where, detail: `page not read: ${shortMessage(error)}` });
          }
        }
        const files = collector.full ? [] : [...(await embeddedFiles(document, collector)), ...pageFiles];
        const children = takeChildren(files, bytes.length, budget, collector);
        return { pieces: collector.pieces, children, problems: collector.problems };
      } finally {
        await document.destroy().catch(() => undefined);
      }
    },
  };
}

export const pdfExtractor: Extractor = createPdfExtractor();
