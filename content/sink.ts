/**
 * Where extraction collects its results: text segments under one shared byte budget, the list of
 * attachments, and problems. Keeping the budget here means every producer (body, HTML, text
 * attachments, forwarded messages at any depth) draws from the same total.
 */
import { Buffer } from 'node:buffer';
import type {
  AttachmentInfo,
  Location,
  Problem,
  ProblemCode,
  TextSegment,
} from './types.js';

/**
 * Default cap on extracted text: 16 MiB. Postfix's default message_size_limit is 10 MB, so a
 * message within it never reaches the cap, while a crafted one cannot make us hold more.
 */
export const DEFAULT_MAX_TEXT_BYTES = 16 * 1024 * 1024;

const PLACEHOLDER: AttachmentInfo = {
  filename: null,
  contentType: 'application/octet-stream',
  size: 0,
  inspected: false,
};

/** The longest prefix of `text` whose UTF-8 form fits in `maxBytes` (no character is split). */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  // A character split by the cut decodes to U+FFFD at the end; drop it.
  return cut.endsWith('\uFFFD') && !text.startsWith(cut) ? cut.slice(0, -1) : cut;
}

export class ExtractionSink {
  readonly #segments: TextSegment[] = [];
  readonly #attachments: AttachmentInfo[] = [];
  readonly #problems: Problem[] = [];
  #remaining: number;

  constructor(maxTextBytes: number) {
    this.#remaining = Math.max(0, Math.floor(maxTextBytes));
  }

  /** UTF-8 bytes of text that may still be added. */
  get remaining(): number {
    return this.#remaining;
  }

  problem(code: ProblemCode, location: Location, detail: string): void {
    this.#problems.push({ code, location, detail });
  }

  /** Like `problem`, unless a problem with the same code and detail is already recorded. */
  problemOnce(code: ProblemCode, location: Location, detail: string): void {
    const known = this.#problems.some((p) => p.code === code && p.detail === detail);
    if (!known) this.problem(code, location, detail);
  }

  /**
   * Adds a segment unless `text` is blank. Text beyond the budget is cut off and reported as
   * `truncated` at `location`; so is text the caller already had to cut (`cutBefore`), once.
   */
  addText(location: Location, text: string, cutBefore = false): void {
    if (!cutBefore && text.trim() === '') return;
    let kept = text;
    let cut = cutBefore;
    // UTF-8 needs at most 3 bytes per UTF-16 unit: only measure when the text might not fit.
    if (text.length * 3 > this.#remaining && Buffer.byteLength(text, 'utf8') > this.#remaining) {
      kept = cutToUtf8Bytes(text, this.#remaining);
      cut = true;
    }
    if (cut) this.problem('truncated', location, 'text beyond the extraction budget not inspected');
    if (kept.trim() === '') return;
    this.#remaining -= Buffer.byteLength(kept, 'utf8');
    this.#segments.push({ location, text: kept });
  }

  /** How many problems are recorded so far: a mark for `problemsSince`. */
  get problemCount(): number {
    return this.#problems.length;
  }

  /** The problems recorded after `mark` (a `problemCount` taken earlier). */
  problemsSince(mark: number): readonly Problem[] {
    return this.#problems.slice(mark);
  }

  /** Reserves the next attachment slot, so a forwarded message is listed before its contents. */
  reserveAttachment(): number {
    this.#attachments.push(PLACEHOLDER);
    return this.#attachments.length - 1;
  }

  setAttachment(slot: number, info: AttachmentInfo): void {
    this.#attachments[slot] = info;
  }

  result(): {
    segments: readonly TextSegment[];
    attachments: readonly AttachmentInfo[];
    problems: readonly Problem[];
  } {
    return {
      segments: [...this.#segments],
      attachments: [...this.#attachments],
      problems: [...this.#problems],
    };
  }
}
