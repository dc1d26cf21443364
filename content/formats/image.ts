/**
 * Images (PNG, JPEG, TIFF, BMP, GIF, WebP) read through OCR with Debian's tesseract and its
 * Korean model, so a photographed ID card or a screenshot of a customer list is not a blind spot.
 *
 * Order matters for safety: the pixel size comes from the header (image-size.ts) and an image
 * over `maxImagePixels` is refused before tesseract ever runs; then one OCR image is taken from
 * the budget per page; then tesseract runs as a child process with the image on stdin, one
 * thread, a timeout bounded by the message's time left and a bounded output.
 *
 * What is not OCR'd, and not counted against `maxOcrImages`: an image too small to hold a
 * legible character (the spacer GIFs and tracking pixels of HTML mail), and an image whose bytes
 * were already read for this message — the same signature logo in every quoted reply would
 * otherwise spend the whole OCR allowance on one picture. Results are kept per Budget, which is
 * per message, so nothing outlives the message.
 *
 * Why `-l kor+eng --psm 6`: on a rendered test image (Korean, a resident number, a passport
 * number, an e-mail address, an English word), `kor` alone read the Hangul and the digits right
 * but turned `M12345678` into `|12345678`, the address and `Confidential` into noise; passports,
 * e-mail addresses and English keywords are things this DLP looks for. `kor+eng` read every line
 * exactly, at about 280 ms instead of 165 ms per image here. The default layout analysis (psm 3)
 * dropped whole lines of short text in the library notes; psm 6 reads the image as one block.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { ExecFileException } from 'node:child_process';
import type { Buffer } from 'node:buffer';
import { imageSize } from './image-size.js';
import type { ImageSize } from './image-size.js';
import { PieceCollector } from './pieces.js';
import { LimitExceeded } from './types.js';
import type { Budget, ExtractContext, ExtractResult, Extractor } from './types.js';

export interface OcrOptions {
  /** The tesseract program; found on PATH by default. */
  readonly tesseractPath?: string;
  /** Tesseract languages, `+`-joined. */
  readonly languages?: string;
  /** Longest one image may take, in ms, whatever time the message has left. */
  readonly perImageTimeoutMs?: number;
}

export interface OcrResult {
  readonly text: string;
  /** Wall-clock time tesseract took, for the benchmarks. */
  readonly elapsedMs: number;
  readonly size: ImageSize;
}

const DEFAULTS = {
  tesseractPath: 'tesseract',
  languages: 'kor+eng',
  // A 40-megapixel page took a few seconds here; 30 s leaves room for a loaded machine.
  perImageTimeoutMs: 30_000,
} as const;

/** OCR output cap: a dense A4 page is a few KB of text; more means something is wrong. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * Below this height or width no text can be read: a Hangul syllable needs about 10 px to be
 * recognised at all, and one letter of any script is about as wide as it is tall.
 */
const MIN_OCR_HEIGHT = 12;
const MIN_OCR_WIDTH = 16;

/** OCR text by image hash (and languages), per message. */
const ocrCache = new WeakMap<Budget, Map<string, Promise<string>>>();

function cacheFor(budget: Budget): Map<string, Promise<string>> {
  let cache = ocrCache.get(budget);
  if (cache === undefined) {
    cache = new Map();
    ocrCache.set(budget, cache);
  }
  return cache;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 120);
}

function runTesseract(bytes: Buffer, timeoutMs: number, options: OcrOptions): Promise<string> {
  const program = options.tesseractPath ?? DEFAULTS.tesseractPath;
  const args = ['-', '-', '-l', options.languages ?? DEFAULTS.languages, '--psm', '6'];
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      {
        encoding: 'utf8',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        // One OCR thread per image: the extraction pool already runs one child per core.
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        windowsHide: true,
      },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        if (error.code === 'ENOENT') {
          reject(new Error(`OCR program "${program}" not found: install tesseract-ocr and tesseract-ocr-kor`));
        } else if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(new Error(`OCR output larger than ${MAX_OUTPUT_BYTES} bytes`));
        } else if (error.killed) {
          reject(new LimitExceeded('time', `OCR of one image stopped after ${timeoutMs} ms`));
        } else {
          const why = firstLine(stderr);
          reject(new Error(`tesseract failed (exit ${String(error.code)})${why ? `: ${why}` : ''}`));
        }
      },
    );
    // tesseract may exit before reading all input (bad image, missing model): not our error.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(bytes);
  });
}

/**
 * OCR of one image (all pages of a TIFF): refuses it over `maxImagePixels`, gives no text for
 * an image too small to hold any, reuses the text of the same bytes read earlier in the message,
 * else takes one OCR image per page from the budget and runs tesseract. For other extractors
 * that render pages (PDF) as well.
 */
export async function ocrImage(bytes: Buffer, budget: Budget, options: OcrOptions = {}): Promise<OcrResult> {
  const size = imageSize(bytes);
  if (size.pixels > budget.limits.maxImagePixels) {
    throw new LimitExceeded(
      'pixels',
      `image of ${size.width}x${size.height}${size.pages > 1 ? ` (${size.pages} pages)` : ''} is over ${budget.limits.maxImagePixels} pixels`,
    );
  }
  if (size.height < MIN_OCR_HEIGHT || size.width < MIN_OCR_WIDTH) return { text: '', elapsedMs: 0, size };
  budget.checkTime();
  const languages = options.languages ?? DEFAULTS.languages;
  const key = `${languages}:${createHash('sha256').update(bytes).digest('hex')}`;
  const cache = cacheFor(budget);
  const started = performance.now();
  const cached = cache.get(key);
  if (cached !== undefined) return { text: await cached, elapsedMs: performance.now() - started, size };
  for (let page = 0; page < size.pages; page++) budget.takeOcrImage();
  const timeoutMs = Math.max(1, Math.min(budget.timeLeft(), options.perImageTimeoutMs ?? DEFAULTS.perImageTimeoutMs));
  const running = runTesseract(bytes, timeoutMs, options);
  cache.set(key, running);
  // A failed read (timeout, broken image) is not kept: the same bytes fail again, or get more time.
  running.catch(() => cache.delete(key));
  return { text: await running, elapsedMs: performance.now() - started, size };
}

export function createImageExtractor(options: OcrOptions = {}): Extractor {
  return {
    kinds: ['png', 'jpeg', 'tiff', 'bmp', 'gif', 'webp'],
    async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
      const result = await ocrImage(bytes, context.budget, options);
      const collector = new PieceCollector(context.budget.limits.maxTextBytes);
      if (result.size.pages > 1) {
        // tesseract ends every page with a form feed.
        result.text.split('\f').forEach((text, i) => collector.add(`page=${i + 1}`, text));
      } else {
        collector.add('', result.text);
      }
      return { pieces: collector.pieces, children: [], problems: collector.problems };
    },
  };
}

export const imageExtractor: Extractor = createImageExtractor();
