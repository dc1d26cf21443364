/**
 * Large messages on disk while they are inspected. A message held in memory costs the daemon
 * its size for as long as it waits for a scan worker: ten 11 MB mails at once took the daemon
 * from 128 MB to over 400 MB. From `fromBytes` on, the message being received is written to a
 * file in the spool folder instead, as it arrives; the handler gets the file, the scan worker
 * reads it there, and the session removes it once the verdict is sent or the message ends.
 *
 * The folder holds mail in clear, as Postfix's own queue does: it is made 0700 and each file
 * 0600; each daemon writes in a folder of its own inside it, removed when the milter server
 * stops, and the folders of daemons that died (mid-message) go when the next one starts.
 * Writes are synchronous: a 64 KiB body packet goes to the page cache in microseconds, and the
 * session then knows at once when the disk refused one. The cost: a disk throttling write-back
 * stalls the event loop, every connection with it, until the write returns.
 */
import { Buffer } from 'node:buffer';
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
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

/**
 * Makes the spool folder (0700) and, inside it, this process's own folder, which it returns.
 * Each daemon writes only in its own folder, so two daemons given one data folder never remove
 * each other's files; the folders of this host's daemons no longer running (named pid@host) are
 * removed, with the mail a crash left in them.
 */
export function prepareSpool(root: string): string {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700); // a folder made earlier by hand keeps its mode through mkdir
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
  for (const name of readdirSync(root)) {
    const owner = /^(\d+)@(.+)-[0-9a-f]{8}$/.exec(name);
    // Another host's (a container sharing the volume, perhaps also pid 1) is its own to clean.
    if (owner !== null && owner[2] !== host) continue;
    const pid = Number(owner?.[1] ?? Number.NaN);
    if (pid !== process.pid && isRunning(pid)) continue;
    rmSync(path.join(root, name), { force: true, recursive: true });
  }
  const own = path.join(root, `${process.pid}@${host}-${randomBytes(4).toString('hex')}`);
  mkdirSync(own, { mode: 0o700 });
  return own;
}

/** Removes this process's spool folder (at shutdown, once no message is in flight). */
export function removeSpool(own: string): void {
  rmSync(own, { force: true, recursive: true });
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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

  /**
   * Closes the file for reading by others; the message as it now stands. A close that fails
   * (a late write-back error) may mean lost bytes: a SpoolError, so the message is tempfailed.
   */
  finish(): SpooledMessage {
    try {
      this.#close();
    } catch (err) {
      this.discard();
      throw new SpoolError(`cannot close the spool file: ${(err as Error).message}`);
    }
    return { file: this.file, size: this.#size };
  }

  /** Removes the file; never throws, so a message's end always runs to completion. */
  discard(): void {
    try {
      this.#close();
    } catch {
      // the descriptor is released even when close reports an error
    } finally {
      try {
        unlinkSync(this.file);
      } catch {
        // already gone (or never made)
      }
    }
  }

  #close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }
}
