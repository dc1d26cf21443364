/**
 * Large messages on disk while they are inspected. A message held in memory costs the daemon
 * its size for as long as it waits for a scan worker: ten 11 MB mails at once took the daemon
 * from 128 MB to over 400 MB. From `fromBytes` on, the message being received is written to a
 * file in the spool folder instead, as it arrives; the handler gets the file, the scan worker
 * reads it there, and the session removes it once the verdict is sent or the message ends.
 *
 * The folder holds mail in clear, as Postfix's own queue does: it is made 0700 and each file
 * 0600, and the milter server empties it (`prepareSpool`) once it holds its address, removing
 * the files of a daemon that died mid-message.
 * Writes are synchronous: a 64 KiB body packet goes to the page cache in microseconds, and the
 * session then knows at once when the disk refused one.
 */
import { Buffer } from 'node:buffer';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** A whole message (header lines, blank line, body) in a spool file. */
export interface SpooledMessage {
  readonly file: string;
  readonly size: number;
}

/** The message as the MTA holds it: in memory, or spooled when large. */
export type RawMessage = Buffer | SpooledMessage;

export interface SpoolOptions {
  readonly dir: string;
  /** Messages from this many bytes on are spooled. */
  readonly fromBytes: number;
  /** Makes the file for one message; tests pass one that fails on cue (a full disk). */
  readonly openFile?: (dir: string) => SpoolFile;
}

/** Messages from 1 MiB: below that, memory is cheaper than the file system's round trips. */
export const DEFAULT_SPOOL_FROM_BYTES = 1024 * 1024;

export function rawSize(raw: RawMessage): number {
  return Buffer.isBuffer(raw) ? raw.length : raw.size;
}

/** The message bytes, read from its file when spooled (for the few uses that need them whole). */
export async function loadRaw(raw: RawMessage): Promise<Buffer> {
  return Buffer.isBuffer(raw) ? raw : readFile(raw.file);
}

/** Makes the spool folder (0700) and removes what a previous run left in it. */
export function prepareSpool(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // a folder made earlier by hand keeps its mode through mkdir

  for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { force: true, recursive: true });
}

/** The spool folder refused a write: the message cannot be inspected whole. */
export class SpoolError extends Error {
  override readonly name = 'SpoolError';
}

/** One message's spool file, written in order and removed by `discard`. */
export class SpoolFile {
  readonly file: string;
  #fd: number | null;
  #size = 0;

  constructor(dir: string) {
    this.file = path.join(dir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.eml`);
    try {
      this.#fd = openSync(this.file, 'wx', 0o600);
    } catch (err) {
      throw new SpoolError(`cannot create a spool file: ${(err as Error).message}`);
    }
  }

  get size(): number {
    return this.#size;
  }

  write(bytes: Buffer): void {
    if (this.#fd === null) throw new SpoolError('spool file already closed');
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(this.#fd, bytes, at, bytes.length - at);
      this.#size += bytes.length;
    } catch (err) {
      this.discard();
      throw new SpoolError(`cannot write the spool file: ${(err as Error).message}`);
    }
  }

  /** Closes the file for reading by others; the message as it now stands. */
  finish(): SpooledMessage {
    this.#close();
    return { file: this.file, size: this.#size };
  }

  discard(): void {
    this.#close();
    try {
      unlinkSync(this.file);
    } catch {
      // already gone (or never made)
    }
  }

  #close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }
}
