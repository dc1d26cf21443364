/**
 * Per-message extraction limits and the budget that enforces them.
 *
 * One budget is created per message (content/extract.ts `extractMessage`) and shared by every
 * extractor at every depth, attached mails included, so a message cannot multiply its allowance
 * by nesting. The text budget is not here: ExtractionSink (content/sink.ts) keeps it, because
 * it is the sink that cuts text.
 *
 * A limit that is hit throws LimitExceeded; the pipeline (content/attachments.ts) reports it as
 * a `limit-exceeded` problem at the file being read, and the engine holds such a message
 * whatever the policy says (engine/inspect.ts UNINSPECTED_PROBLEMS).
 */
import { DEFAULT_MAX_TEXT_BYTES } from './sink.js';
import { LimitExceeded, type Budget, type ExtractLimits } from './formats/types.js';

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ExtractLimits = {
  /**
   * 16 MiB of UTF-8 text. Postfix's default message_size_limit is 10 MB, and text is rarely
   * larger than the file it came from, so an ordinary mail never reaches it; it bounds what a
   * crafted one (a tiny compressed sheet of millions of cells) makes us hold and scan.
   */
  maxTextBytes: DEFAULT_MAX_TEXT_BYTES,
  /**
   * 256 MiB inflated from all archives and compressed streams together. Office files deflate at
   * 3-10 : 1, so a full 10 MB mail of them inflates to about 100 MB; 256 MiB leaves room for
   * that while a zip bomb (1 GiB of zeros in 1 MB) stops at a quarter of its size. Extractors
   * charge bytes as they come out, so the stop happens then, not after.
   */
  maxDecompressedBytes: 256 * MiB,
  /**
   * 10,000 archive entries opened per message. A real project folder zipped rarely holds more
   * than a few thousand files; every entry costs a sniff and an extractor call, so this keeps a
   * "million empty files" zip from spending the time budget on bookkeeping.
   */
  maxEntries: 10_000,
  /**
   * 8 levels of containers. Mail clients and people nest 2-3 deep (a zip of forwarded mails
   * with attachments); 8 passes every honest case while a 20-deep recursive zip stops early.
   */
  maxDepth: 8,
  /**
   * 100 : 1 per archive entry. Text and XML deflate at up to about 20 : 1 and sparse sheets a
   * little more; a bomb runs at 1000 : 1 and beyond (zeros deflate at ~1030 : 1).
   */
  maxCompressionRatio: 100,
  /**
   * 60 s of extraction per message. The 5 MB PDF + 2 MB XLSX + 1 MB HWP mail of the issue is
   * read in about 1.6 s, and the same with 5 MB of nothing but PDF text pages in about 9 s
   * (BENCHMARKS.md), so 60 s is far beyond honest work; it stays inside the milter's
   * scan timeout (milter.scanTimeoutMs, 120 s) so a slow file is reported as over a limit rather
   * than failing the whole message, and under Postfix's 300 s milter_content_timeout, which our
   * progress packets restart anyway.
   */
  timeBudgetMs: 60_000,
  /**
   * 40 megapixels per image given to OCR: a full-page A4 scan at 600 dpi is 35 MP. Tesseract
   * takes about a second per few MP here, and a decoded 40 MP RGBA image is 160 MB.
   */
  maxImagePixels: 40_000_000,
  /**
   * 20 images OCR'd per message: a scanned document of a few pages, or the screenshots of a
   * report. At 0.2-2 s each this keeps OCR inside the time budget on 2 cores.
   */
  maxOcrImages: 20,
};

/** The defaults with `overrides` applied; an undefined override keeps the default. */
export function resolveLimits(overrides: Partial<ExtractLimits> = {}): ExtractLimits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides)) {
    if (typeof value === 'number' && key in DEFAULT_LIMITS) out[key] = value;
  }
  return out as unknown as ExtractLimits;
}

/**
 * A fresh budget for one message. `now` is the start (epoch ms); `clock` reads the time for the
 * deadline checks, replaceable so tests need not sleep.
 */
export function createBudget(
  limits: ExtractLimits,
  now: number = Date.now(),
  clock: () => number = Date.now,
): Budget {
  const deadline = now + limits.timeBudgetMs;
  let decompressed = 0;
  let entries = 0;
  let ocrImages = 0;
  return {
    limits,
    deadline,
    takeDecompressed(bytes: number): void {
      decompressed += Math.max(0, bytes);
      if (decompressed > limits.maxDecompressedBytes) {
        throw new LimitExceeded(
          'decompressed',
          `more than ${limits.maxDecompressedBytes} bytes decompressed in one message`,
        );
      }
    },
    takeEntry(): void {
      entries += 1;
      if (entries > limits.maxEntries) {
        throw new LimitExceeded('entries', `more than ${limits.maxEntries} archive entries in one message`);
      }
    },
    takeOcrImage(): void {
      ocrImages += 1;
      if (ocrImages > limits.maxOcrImages) {
        throw new LimitExceeded('ocr-images', `more than ${limits.maxOcrImages} images to OCR in one message`);
      }
    },
    checkTime(): void {
      if (clock() > deadline) {
        throw new LimitExceeded('time', `extraction took longer than ${limits.timeBudgetMs} ms`);
      }
    },
    timeLeft(): number {
      return Math.max(0, deadline - clock());
    },
  };
}
