/**
 * Milter packet framing: `uint32 length (big-endian) | 1 code byte | length-1 data bytes`.
 *
 * Owns the byte level only: splitting a TCP stream into whole packets (`PacketReader`), building
 * one packet (`encodePacket`) and reading fields inside one packet (`FieldReader`). What the
 * fields mean is `codec.ts`'s business. Invariant: a reader that has failed stays failed, since
 * after a bad length field nothing later in the stream can be trusted.
 */
import { isUtf8 } from 'node:buffer';
import { DEFAULT_MAX_PACKET_BYTES, PACKET_HEADER_BYTES } from './constants.js';
import { MilterProtocolError } from './errors.js';

/** One whole packet. `code` is the code byte as a one-character string (`'O'`, `'c'` …). */
export interface RawPacket {
  readonly code: string;
  readonly data: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** Build one packet: length prefix, code byte, data. */
export function encodePacket(code: string, data: Buffer = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(PACKET_HEADER_BYTES + 1 + data.length);
  out.writeUInt32BE(data.length + 1, 0);
  out[PACKET_HEADER_BYTES] = code.charCodeAt(0) & 0xff;
  data.copy(out, PACKET_HEADER_BYTES + 1);
  return out;
}

/**
 * Text of a NUL-terminated field: UTF-8 when the bytes are valid UTF-8, otherwise one character
 * per byte (latin1), so 8-bit EUC-KR never turns into U+FFFD and `Buffer.from(s, 'latin1')`
 * gives the bytes back.
 */
export function decodeText(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** A NUL-terminated field. Strings are encoded as UTF-8; NUL inside is the caller's bug. */
export function cstring(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const out = Buffer.allocUnsafe(bytes.length + 1);
  bytes.copy(out, 0);
  out[bytes.length] = 0;
  return out;
}

export function uint32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

export function uint16(value: number): Buffer {
  const out = Buffer.allocUnsafe(2);
  out.writeUInt16BE(value & 0xffff, 0);
  return out;
}

/** Sequential reader over one packet's data; every shortfall is a `MilterProtocolError`. */
export class FieldReader {
  #offset = 0;

  constructor(
    private readonly data: Buffer,
    private readonly stage: string,
  ) {}

  get remaining(): number {
    return this.data.length - this.#offset;
  }

  uint32(): number {
    if (this.remaining < 4) throw this.fail('truncated uint32');
    const value = this.data.readUInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  uint16(): number {
    if (this.remaining < 2) throw this.fail('truncated uint16');
    const value = this.data.readUInt16BE(this.#offset);
    this.#offset += 2;
    return value;
  }

  byte(): number {
    const value = this.data[this.#offset];
    if (value === undefined) throw this.fail('truncated byte');
    this.#offset += 1;
    return value;
  }

  /** Bytes up to the next NUL, which is consumed. */
  cstringBytes(): Buffer {
    const end = this.data.indexOf(0, this.#offset);
    if (end < 0) throw this.fail('missing NUL terminator');
    const bytes = this.data.subarray(this.#offset, end);
    this.#offset = end + 1;
    return bytes;
  }

  cstring(): string {
    return decodeText(this.cstringBytes());
  }

  /** NUL-terminated strings back to back until the packet ends (an "argv" field). */
  cstrings(): string[] {
    const out: string[] = [];
    while (this.remaining > 0) out.push(this.cstring());
    return out;
  }

  rest(): Buffer {
    const bytes = this.data.subarray(this.#offset);
    this.#offset = this.data.length;
    return bytes;
  }

  /** Assert that every byte was used: leftovers mean the two ends disagree on the layout. */
  end(): void {
    if (this.remaining > 0) throw this.fail('trailing bytes');
  }

  fail(reason: string): MilterProtocolError {
    return new MilterProtocolError(this.stage, reason);
  }
}

/** Chunks are dropped from the front lazily; compact the array once this many are spent. */
const COMPACT_AFTER_CHUNKS = 1024;

/**
 * Turns a byte stream, cut anywhere, into whole packets. A TCP read may hold half a packet or
 * several; `push` keeps the remainder for the next call. A zero length (no code byte) or a
 * length above `maxPacketBytes` is a protocol error: the length field is corrupt and the stream
 * cannot be resynchronised.
 */
export class PacketReader {
  readonly maxPacketBytes: number;
  #chunks: Buffer[] = [];
  #head = 0;
  #buffered = 0;
  #failed: MilterProtocolError | null = null;

  constructor(options: { maxPacketBytes?: number } = {}) {
    this.maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  }

  /** Bytes received but not yet part of a whole packet. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /**
   * Add `chunk` and call `onPacket` for each packet it completes, in order. Throws
   * `MilterProtocolError` at the first bad length; packets before it have been delivered.
   */
  push(chunk: Buffer, onPacket: (packet: RawPacket) => void): void {
    if (this.#failed) throw this.#failed;
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    for (;;) {
      const packet = this.#next();
      if (!packet) return;
      onPacket(packet);
    }
  }

  #next(): RawPacket | null {
    if (this.#buffered < PACKET_HEADER_BYTES) return null;
    const length = this.#peekLength();
    if (length === 0) throw this.#fail('zero packet length');
    if (length > this.maxPacketBytes) throw this.#fail('packet length over limit');
    if (this.#buffered < PACKET_HEADER_BYTES + length) return null;
    const bytes = this.#take(PACKET_HEADER_BYTES + length);
    const code = String.fromCharCode(bytes[PACKET_HEADER_BYTES] ?? 0);
    return { code, data: bytes.subarray(PACKET_HEADER_BYTES + 1) };
  }

  #fail(reason: string): MilterProtocolError {
    this.#failed = new MilterProtocolError('frame', reason);
    this.#chunks = [];
    this.#head = 0;
    this.#buffered = 0;
    return this.#failed;
  }

  /** The first four buffered bytes as a big-endian length, which may span chunks. */
  #peekLength(): number {
    let value = 0;
    let needed = PACKET_HEADER_BYTES;
    for (let i = this.#head; needed > 0; i++) {
      const chunk = this.#chunks[i] as Buffer;
      for (let j = 0; j < chunk.length && needed > 0; j++, needed--) {
        value = value * 256 + (chunk[j] as number);
      }
    }
    return value;
  }

  /** Remove and return the first `n` buffered bytes; no copy when one chunk holds them. */
  #take(n: number): Buffer {
    const first = this.#chunks[this.#head] as Buffer;
    this.#buffered -= n;
    if (first.length >= n) {
      this.#advance(first, n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[this.#head] as Buffer;
      const count = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, count);
      filled += count;
      this.#advance(chunk, count);
    }
    return out;
  }

  #advance(chunk: Buffer, used: number): void {
    if (used < chunk.length) {
      this.#chunks[this.#head] = chunk.subarray(used);
      return;
    }
    this.#head += 1;
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER_CHUNKS) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
