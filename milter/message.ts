/**
 * One message as it arrives over the milter connection: envelope, headers and body bytes.
 *
 * Owns the byte budget (`maxBytes` over the rebuilt message: header lines plus body; beyond it
 * bytes are counted but not kept, and `truncated` is set) and the rebuilding of the raw message
 * the way the MTA holds it. Header values are kept as bytes so 8-bit headers (raw EUC-KR) come
 * back exactly. Knows nothing of the protocol state machine.
 */
import { decodeText } from './framing.js';
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

  constructor(private readonly maxBytes: number) {}

  /** True once anything was dropped for the byte budget. */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Buffers the kept body is held in: one once `raw()` has been built. */
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
    this.#headers.push({ name, value: restored });
  }

  /** Keep a body chunk, or the part of it that fits the budget. */
  addBody(chunk: Buffer): void {
    this.#bodyBytesSeen += chunk.length;
    const room = this.#truncated ? 0 : Math.max(0, this.maxBytes - this.#storedBytes);
    if (chunk.length > room) this.#truncated = true;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length === 0) return;
    // Copy: the chunk may be a view into a larger socket buffer we should not pin.
    this.#body.push(Buffer.from(kept));
    this.#storedBytes += kept.length;
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

  /** `Name:value` lines with CRLF (folds too), a blank line, then the body bytes as received. */
  raw(): Buffer {
    const parts: Buffer[] = [];
    for (const header of this.#headers) {
      parts.push(Buffer.from(`${header.name}:`, 'utf8'), lfToCrlf(header.value), CRLF);
    }
    parts.push(CRLF);
    const bodyAt = parts.reduce((sum, part) => sum + part.length, 0);
    parts.push(...this.#body);
    const raw = Buffer.concat(parts);
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
