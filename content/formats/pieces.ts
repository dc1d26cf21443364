/**
 * Text collection shared by the document extractors (PDF, HWP, TNEF, OCR): pieces with their
 * place, control characters turned into spaces, and a cap on what one file may hold in memory.
 *
 * The message-wide text budget is enforced later by the sink; the cap here only stops a single
 * file (a PDF of 10,000 pages, an HWP of repeated paragraphs) from building a string far past
 * that budget before the sink ever sees it. Reaching it is reported as `truncated`.
 */
import { Buffer } from 'node:buffer';
import type { FileProblem, TextPiece } from './types.js';

/**
 * C0 controls other than tab and line feed, DEL and C1 controls. Some PDF producers map the space
 * glyph to U+0001 in their ToUnicode tables and OCR or HWP text may carry stray controls; as
 * spaces they keep the words apart without hiding digits from the detectors.
 */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, ' ');
}

export class PieceCollector {
  readonly pieces: TextPiece[] = [];
  readonly problems: FileProblem[] = [];
  #remaining: number;
  #full = false;

  constructor(maxBytes: number) {
    this.#remaining = Math.max(0, Math.floor(maxBytes));
  }

  /** True once the cap was reached: callers stop reading. */
  get full(): boolean {
    return this.#full;
  }

  /** Adds cleaned text at `where`, joined by a line break to the previous piece of that place. */
  add(where: string, raw: string): void {
    if (this.#full) return;
    const text = cleanText(raw).trimEnd();
    if (text.trim() === '') return;
    const last = this.pieces[this.pieces.length - 1];
    const joined = last !== undefined && last.where === where;
    let added = joined ? `\n${text}` : text;
    const size = Buffer.byteLength(added, 'utf8');
    if (size > this.#remaining) {
      added = Buffer.from(added, 'utf8').subarray(0, this.#remaining).toString('utf8').replace(/\uFFFD$/, '');
      this.#full = true;
      this.problems.push({ code: 'truncated', where, detail: 'text beyond the extraction budget was cut' });
    }
    this.#remaining -= Buffer.byteLength(added, 'utf8');
    if (added === '') return;
    if (joined) this.pieces[this.pieces.length - 1] = { where, text: last.text + added };
    else this.pieces.push({ where, text: added });
  }

  problem(problem: FileProblem): void {
    this.problems.push(problem);
  }
}
