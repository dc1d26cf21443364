/**
 * One message as it arrives over the milter connection: envelope, headers and body bytes.
 *
 * Owns the byte budget (`maxBytes` over the rebuilt message: header lines plus body; beyond it
 * bytes are counted but not kept, and `truncated` is set) and the rebuilding of the raw message
 * the way the MTA holds it. Header values are kept as bytes so 8-bit headers (raw EUC-KR) come
 * back exactly. Knows nothing of the protocol state machine.
 *
 * With a spool (milter/spool.ts), a message that reaches `fromBytes` moves to a file: the header
 * block and the body so far are written out, memory is let go, and later body packets go
 * straight to the file. If the file cannot be made or filled with what came so far, the message
 * stays in memory (nothing is lost; it only costs memory); if a later write fails, the body
 * before it is on disk only, what is left cannot be trusted, and `content()` throws so the
 * session tempfails the message.
 */
import { decodeText } from './framing.js';
import { SpoolError, SpoolFile, type RawMessage, type SpoolOptions } from './spool.js';
import type { MilterHeader } from './types.js';

interface StoredHeader {
  readonly name: string;
  /** Value bytes with the leading space present (restored when the MTA stripped it). */
  readonly value: Buffer;
}

const CRLF = Buffer.from('\r\n', 'latin1');
const SPACE = Buffer.from(' ', 'latin1');
const LF = 0x0a;
const CR = 0x0d;

export class MessageState {
  sender: string | null = null;
  senderArgs: readonly string[] = [];
  readonly recipients: string[] = [];
  readonly #headers: StoredHeader[] = [];
  #body: Buffer[] = [];
  #storedBytes = 0;
  #bodyBytesSeen = 0;
  #truncated = false;
  #spool: SpoolFile | null = null;
  #spoolError: SpoolError | null = null;
  /** Why the message stayed in memory although it was large enough to spool. */
  #spoolSkipped: string | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly spoolOptions: SpoolOptions | null = null,
  ) {}

  /** Set when a spool file could not be made and the message was kept in memory instead. */
  get spoolSkipped(): string | null {
    return this.#spoolSkipped;
  }

  /** True once anything was dropped for the byte budget. */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Buffers the kept body is held in: one once `raw()` has been built, none once spooled. */
  get bodyChunkCount(): number {
    return this.#body.length;
  }

  /** Body bytes received, kept or not. */
  get bodyBytesSeen(): number {
    return this.#bodyBytesSeen;
  }

  /**
   * Keep one header. Without SMFIP_HDR_LEADSPC the MTA strips one space after the colon, so we
   * put one back. XXX: the MTA strips nothing when there was no space, so `Name:value` comes
   * back as `Name: value`, and an empty value gets no space either way; the packet cannot tell
   * these apart. Postfix offers HDR_LEADSPC, which avoids the guess.
   */
  addHeader(name: string, value: Buffer, leadingSpaceKept: boolean): void {
    const restored =
      leadingSpaceKept || value.length === 0 ? Buffer.from(value) : Buffer.concat([SPACE, value]);
    const lineBytes = Buffer.byteLength(name) + 1 + restored.length + CRLF.length;
    if (!this.#reserve(lineBytes)) return;
    if (this.#spool !== null) {
      // Only a peer breaking the protocol sends a header after the body; the header block is
      // already on disk, so the message cannot be rebuilt as the MTA holds it.
      this.#failSpool(new SpoolError('header received after the body was spooled'));
      return;
    }
    this.#headers.push({ name, value: restored });
  }

  /** Keep a body chunk, or the part of it that fits the budget. */
  addBody(chunk: Buffer): void {
    this.#bodyBytesSeen += chunk.length;
    const room = this.#truncated ? 0 : Math.max(0, this.maxBytes - this.#storedBytes);
    if (chunk.length > room) this.#truncated = true;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length === 0) return;
    this.#storedBytes += kept.length;
    if (this.#spool !== null) {
      this.#spoolWrite(kept);
      return;
    }
    if (this.#spoolError !== null) return; // the message is lost already; keep nothing more
    // Copy: the chunk may be a view into a larger socket buffer we should not pin.
    this.#body.push(Buffer.from(kept));
    const spool = this.spoolOptions;
    if (spool !== null && this.#spoolSkipped === null && this.#storedBytes >= spool.fromBytes) this.#startSpool(spool);
  }

  /** Moves the message to a spool file; if that fails, it stays in memory and says why. */
  #startSpool(options: SpoolOptions): void {
    let file: SpoolFile | null = null;
    try {
      file = options.openFile ? options.openFile(options.dir) : new SpoolFile(options.dir);
      file.write(this.#headerBlock());
      for (const chunk of this.#body) file.write(chunk);
    } catch (err) {
      file?.discard();
      this.#spoolSkipped = (err as Error).message;
      return;
    }
    this.#spool = file;
    this.#body = [];
  }

  #spoolWrite(bytes: Buffer): void {
    if (this.#spool === null) return;
    try {
      this.#spool.write(bytes);
    } catch (err) {
      this.#failSpool(err as SpoolError); // SpoolFile.write throws nothing else
    }
  }

  #failSpool(err: SpoolError): void {
    this.#spoolError ??= err;
    this.#spool?.discard();
    this.#spool = null;
    this.#body = [];
  }

  /** Count `bytes` against the budget; once something was cut, nothing later is kept. */
  #reserve(bytes: number): boolean {
    if (this.#truncated || this.#storedBytes + bytes > this.maxBytes) {
      this.#truncated = true;
      return false;
    }
    this.#storedBytes += bytes;
    return true;
  }

  /** Headers for the envelope: text values, leading space present, folds as bare LF. */
  headers(): MilterHeader[] {
    return this.#headers.map((h) => ({ name: h.name, value: decodeText(h.value) }));
  }

  /**
   * The message: `Name:value` lines with CRLF (folds too), a blank line, then the body bytes as
   * received; in memory, or its spool file once large. Throws a SpoolError when part of it was
   * lost on the way to disk.
   */
  content(): RawMessage {
    if (this.#spoolError !== null) throw this.#spoolError;
    if (this.#spool !== null) return this.#spool.finish();
    return this.raw();
  }

  /** Removes the spool file, if any: the message is done with. */
  discard(): void {
    this.#spool?.discard();
    this.#spool = null;
  }

  #headerBlock(): Buffer {
    const parts: Buffer[] = [];
    for (const header of this.#headers) {
      parts.push(Buffer.from(`${header.name}:`, 'utf8'), lfToCrlf(header.value), CRLF);
    }
    parts.push(CRLF);
    return Buffer.concat(parts);
  }

  /** The message in memory (see `content`); never used once it was spooled. */
  raw(): Buffer {
    if (this.#spool !== null || this.#spoolError !== null) throw new SpoolError('the message was spooled');
    const head = this.#headerBlock();
    const bodyAt = head.length;
    const raw = Buffer.concat([head, ...this.#body]);
    // The chunks now live on in `raw`: keep its body as the one chunk, so a message being
    // scanned is held once, not twice (ten 11 MB mails waiting for the pool were 220 MB).
    if (this.#body.length > 1) this.#body = [raw.subarray(bodyAt)];
    return raw;
  }
}

/** `<a@b>` → `a@b`, `<>` → `` (null sender); anything else unchanged. */
export function stripBrackets(address: string): string {
  return address.startsWith('<') && address.endsWith('>') ? address.slice(1, -1) : address;
}

/** Replace each bare LF with CRLF; an existing CRLF is left alone. */
export function lfToCrlf(bytes: Buffer): Buffer {
  let bare = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i - 1] !== CR) bare += 1;
  }
  if (bare === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + bare);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === LF && bytes[i - 1] !== CR) out[o++] = CR;
    out[o++] = byte;
  }
  return out;
}
