/**
 * Counts final outcomes in a Postfix maillog as it grows: delivered to the relay (`status=sent`),
 * held by a milter (`milter-hold:`), refused at SMTP time (`reject:`, `milter-reject:`).
 *
 * Every mail of a run ends in exactly one of those three, so the run is over when they add up to
 * the number sent; that moment, not smtp-source's exit, is when the throughput clock stops.
 * `status=deferred` is counted apart: a deferred mail is retried and later shows up as sent.
 *
 * The log is read from where the last read stopped, never re-read: polled every few tens of
 * milliseconds while the machine is saturated, re-reading megabytes would itself be load.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface Tally {
  sent: number;
  held: number;
  refused: number;
  deferred: number;
  bounced: number;
}

/** Read at most this much per poll; the rest waits for the next poll. */
const READ_CHUNK_BYTES = 1024 * 1024;

const OUTCOMES: ReadonlyArray<readonly [keyof Tally, RegExp]> = [
  ['sent', / status=sent /],
  ['held', / milter-hold: /],
  // Matches `reject:` (smtpd restrictions) and `milter-reject:` (a milter's 4xx/5xx) alike.
  ['refused', /\breject: /],
  ['deferred', / status=deferred /],
  ['bounced', / status=bounced /],
];

export class MaillogTally {
  readonly #path: string;
  #handle: FileHandle | null = null;
  #offset = 0;
  #partial = '';
  /** Allocated once: a fresh megabyte per poll would be measurable load of its own. */
  readonly #buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  readonly counts: Tally = { sent: 0, held: 0, refused: 0, deferred: 0, bounced: 0 };

  constructor(path: string) {
    this.#path = path;
  }

  /** Mails with a final outcome so far. */
  get decided(): number {
    return this.counts.sent + this.counts.held + this.counts.refused + this.counts.bounced;
  }

  /** Read whatever was appended since the last call and count it. */
  async poll(): Promise<Tally> {
    if (this.#handle === null) {
      // Postfix creates the maillog at its first line; until then there is nothing to count.
      this.#handle = await open(this.#path, 'r').catch(() => null);
      if (this.#handle === null) return this.counts;
    }
    const buffer = this.#buffer;
    const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, this.#offset);
    if (bytesRead === 0) return this.counts;
    this.#offset += bytesRead;
    const lines = (this.#partial + buffer.toString('latin1', 0, bytesRead)).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#count(line);
    return this.counts;
  }

  #count(line: string): void {
    for (const [outcome, pattern] of OUTCOMES) {
      if (pattern.test(line)) {
        this.counts[outcome] += 1;
        return;
      }
    }
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }
}
