/**
 * Attachment extraction (issue 4): the time to extract and scan one 10 MB mail carrying a 5 MB
 * PDF, a 2 MB XLSX and a 1 MB HWP, in this process and through the daemon's worker pool; the
 * daemon's resident memory while ten such mails are scanned at once (the real daemon, fed over
 * the milter protocol); OCR time per image page.
 *
 * The attachments are text-heavy on purpose: every byte of them is text the extractors must
 * read and the detectors scan (the PDF is pages of Korean text in a CID font, the workbook a
 * customer list, the HWP paragraphs of business prose), which is the expensive case; a 5 MB
 * PDF that is mostly pictures costs far less. Text comes from the benchmark corpus (business
 * style), so it has the phones, dates and amounts of real business mail.
 *
 * The pool runs the compiled worker (dist/) when the build is current, as the daemon does.
 */
import { Buffer } from 'node:buffer';
import { cpus } from 'node:os';
import { createCanvas } from '@napi-rs/canvas';
import ExcelJS from 'exceljs';
import { buildHwp } from '../test/support/hwp-builder.js';
import { renderLines } from '../test/support/image-fixtures.js';
import { attachmentPart, buildMail } from '../test/support/mail-builder.js';
import { buildPdf, koreanLines, type PdfPageSpec } from '../test/support/pdf-builder.js';
import { loadBuilt } from './built.js';
import { runDaemonMemory, type DaemonMemoryResult } from './daemon-memory.js';
import { generateCorpus } from './corpus.js';
import { createRandom } from './random.js';
import { summarize, type Summary } from './stats.js';

type ScannerModule = typeof import('../engine/scanner.js');
type PoolModule = typeof import('../engine/scan-pool.js');
type LimitsModule = typeof import('../content/limits.js');
type ImageModule = typeof import('../content/formats/image.js');
type DetectorsModule = typeof import('../detectors/index.js');

export interface ExtractionBenchOptions {
  readonly iterations: number;
  /** Mails scanned at once for the memory figure. */
  readonly concurrent: number;
  readonly ocrPages: number;
  readonly onProgress?: (message: string) => void;
}

export interface MailFigures {
  readonly bytes: number;
  readonly pdf: number;
  readonly xlsx: number;
  readonly hwp: number;
  readonly findings: number;
  readonly problems: readonly string[];
  /** One mail, extraction + detection in this process, ms. */
  readonly inProcess: Summary;
  /** Each attachment alone in a mail of its own, in this process, ms (median). */
  readonly perAttachment: Readonly<Record<string, number>>;
}

export interface ExtractionBenchResult {
  readonly from: string;
  /** The PDF is 60 pages of text and a photograph. */
  readonly typical: MailFigures;
  /** The PDF is 5 MB of nothing but text pages. */
  readonly allText: MailFigures;
  /** The typical mail through a warm pool (IPC both ways included), ms. */
  readonly pooled: Summary;
  readonly poolSize: number;
  /** The typical mail, several at once, through `outguard start` (bench/daemon-memory.ts). */
  readonly concurrent: DaemonMemoryResult;
  readonly ocr: { readonly pixels: string; readonly perPageMs: Summary };
}

/** Korean business text of about `bytes` UTF-8 bytes, one seed per use. */
function text(bytes: number, seed: number): string {
  return generateCorpus({ bytes, seed, piiEveryBytes: 50_000 }).text;
}

/** PDF pages of 40 lines each in the Korean CID font, from about `textBytes` of text. */
function textPages(textBytes: number, seed: number): PdfPageSpec[] {
  const lines = text(textBytes, seed).split('\n').filter((l) => l.trim() !== '');
  const pages: PdfPageSpec[] = [];
  for (let i = 0; i < lines.length; i += 40) {
    pages.push({ content: koreanLines(lines.slice(i, i + 40).map((l) => l.slice(0, 60)), 10) });
  }
  return pages;
}

/** A photograph-like JPEG (noise compresses as badly as a photo) of about `bytes`. */
async function photo(bytes: number): Promise<{ jpeg: Buffer; width: number; height: number }> {
  // Noise at quality 90 takes about 0.83 bytes per pixel (measured).
  const width = Math.round(Math.sqrt((bytes / 0.83) * (4 / 3)));
  const height = Math.round((width * 3) / 4);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  const random = createRandom(17);
  for (let i = 0; i < image.data.length; i += 4) {
    image.data[i] = random.int(0, 255);
    image.data[i + 1] = random.int(0, 255);
    image.data[i + 2] = random.int(0, 255);
    image.data[i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return { jpeg: await canvas.encode('jpeg', 90), width, height };
}

/**
 * A report PDF of about `bytes`: 60 pages of text and, on the first, a photograph making up the
 * rest (what most 5 MB PDFs are); or, `allText`, nothing but pages of text (about 2,400 pages:
 * the worst case for extraction).
 */
async function pdfOf(bytes: number, allText: boolean): Promise<Buffer> {
  if (allText) return buildPdf({ pages: textPages(bytes * 2.3, 11) });
  const pages = textPages(300_000, 11).slice(0, 60);
  const picture = await photo(bytes - 130_000);
  pages[0] = { ...pages[0]!, image: picture };
  return buildPdf({ pages });
}

/** A customer list workbook of about `bytes`. */
async function xlsxOf(bytes: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('고객목록');
  sheet.addRow(['번호', '이름', '연락처', '주소', '메모']);
  const lines = text(bytes * 2.1, 12).split('\n').filter((l) => l.trim() !== '');
  lines.forEach((line, i) => {
    sheet.addRow([i + 1, `고객${i}`, `010-${String(1000 + (i % 9000))}-${String(1000 + ((i * 7) % 9000))}`, line.slice(0, 30), line.slice(30, 90)]);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An HWP 5 document of about `bytes` (compressed body). */
function hwpOf(bytes: number): Buffer {
  const paragraphs = text(bytes * 3.3, 13).split('\n').filter((l) => l.trim() !== '').map((line) => ({ text: line }));
  return buildHwp({ paragraphs });
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

type Attached = Array<[name: string, bytes: Buffer, type: string]>;

function mailOf(attached: Attached): Buffer {
  return buildMail({
    subject: '분기 자료 송부',
    text: text(20_000, 14),
    attachments: attached.map(([name, bytes, type]) => attachmentPart(name, bytes, { contentType: type })),
  });
}

export async function runExtractionBench(options: ExtractionBenchOptions): Promise<ExtractionBenchResult> {
  const progress = options.onProgress ?? (() => {});
  const scannerModule = await loadBuilt<ScannerModule>('engine/scanner');
  const { ScanPool } = (await loadBuilt<PoolModule>('engine/scan-pool')).module;
  const { DEFAULT_LIMITS, createBudget } = (await loadBuilt<LimitsModule>('content/limits')).module;
  const { ocrImage } = (await loadBuilt<ImageModule>('content/formats/image')).module;
  const { defaultDetection } = (await loadBuilt<DetectorsModule>('detectors/index')).module;
  const { scanMessage } = scannerModule.module;
  const limits = DEFAULT_LIMITS;
  const scan = (raw: Buffer) => scanMessage(raw, limits, defaultDetection);

  progress('extraction: building the mails');
  const xlsx = await xlsxOf(2_000_000);
  const hwp = hwpOf(1_000_000);
  const others: Attached = [
    ['고객목록.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['업무보고.hwp', hwp, 'application/x-hwp'],
  ];

  const measure = async (pdf: Buffer, what: string): Promise<[MailFigures, Buffer]> => {
    const files: Attached = [['사업보고서.pdf', pdf, 'application/pdf'], ...others];
    const raw = mailOf(files);
    const first = await scan(raw);
    progress(`extraction: ${what}, ${options.iterations} in-process runs`);
    const runs: number[] = [];
    for (let i = 0; i < options.iterations; i += 1) runs.push((await timed(() => scan(raw)))[0]);
    const perAttachment: Record<string, number> = {};
    for (const file of files) {
      const single = mailOf([file]);
      const alone: number[] = [];
      for (let i = 0; i < Math.max(3, Math.ceil(options.iterations / 2)); i += 1) alone.push((await timed(() => scan(single)))[0]);
      perAttachment[file[0]] = summarize(alone).median;
    }
    const figures: MailFigures = {
      bytes: raw.length,
      pdf: pdf.length,
      xlsx: xlsx.length,
      hwp: hwp.length,
      findings: first.segmentFindings.reduce((n, f) => n + f.length, 0),
      problems: first.extracted.problems.map((p) => `${p.code} at ${p.location}`),
      inProcess: summarize(runs),
      perAttachment,
    };
    return [figures, raw];
  };
  const [typical, raw] = await measure(await pdfOf(5_000_000, false), 'typical mail');
  const [allText] = await measure(await pdfOf(5_000_000, true), 'all-text mail');

  const poolSize = Math.max(1, cpus().length);
  const pool = new ScanPool({ timeoutMs: 300_000, size: poolSize, maxQueue: options.concurrent + 10 });
  try {
    await pool.scan({ raw, limits, detection: defaultDetection });
    progress(`extraction: ${options.iterations} pooled runs`);
    const pooled: number[] = [];
    for (let i = 0; i < options.iterations; i += 1) {
      pooled.push((await timed(() => pool.scan({ raw, limits, detection: defaultDetection })))[0]);
    }

    // The pool above is closed first, so the daemon's children have the machine to themselves.
    await pool.close();
    progress(`extraction: ${options.concurrent} mails at once through a running daemon`);
    const concurrent = await runDaemonMemory(raw, options.concurrent);

    progress(`extraction: OCR of ${options.ocrPages} page images`);
    const pageLines = text(3_000, 15).split('\n').filter((l) => l.trim() !== '').slice(0, 30).map((l) => l.slice(0, 40));
    const png = await renderLines(pageLines, 1654).encode('png');
    const ocr: number[] = [];
    for (let i = 0; i < options.ocrPages; i += 1) ocr.push((await ocrImage(png, createBudget(limits))).elapsedMs);

    return {
      from: scannerModule.from,
      typical,
      allText,
      pooled: summarize(pooled),
      poolSize,
      concurrent,
      ocr: { pixels: `1654×${60 * pageLines.length + 50}`, perPageMs: summarize(ocr) },
    };
  } finally {
    await pool.close();
  }
}
