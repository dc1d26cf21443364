/**
 * A fake MTA: speaks the MTA side of the milter protocol over a real socket.
 *
 * Used by the milter tests, end-to-end tests and benchmarks to drive a running milter the way
 * Postfix does (Postfix's offer by default, bodies cut into 65,535-byte BODY packets, no reply
 * awaited where the negotiated NR_* flags say none comes). Each command method resolves with the
 * milter's reply; `eom` resolves with every packet up to the final verdict. `writeRaw` sends
 * arbitrary bytes for malformed-input tests. Not production code: no retries, one reader.
 */
import net from 'node:net';
import type { ListenAddress } from '../../config/listen.js';
import { decodeReply, encodeCommand, PacketReader } from '../../milter/codec.js';
import type { MilterCommand, MilterReply } from '../../milter/codec.js';
import { MTA_BODY_CHUNK_BYTES, PROTO } from '../../milter/constants.js';
import type { MilterOffer } from '../../milter/negotiate.js';

/** What Postfix 3.7 offers (observed): version 6, every action, every protocol bit. */
export const POSTFIX_OFFER: MilterOffer = { version: 6, actions: 0x1ff, protocol: 0x1fffff };

/** Replies at end of message that are not the verdict (progress, hold reason, edits). */
const NON_FINAL: ReadonlySet<MilterReply['type']> = new Set([
  'progress', 'quarantine', 'addHeader', 'insertHeader', 'changeHeader', 'replaceBody',
  'addRcpt', 'addRcptPar', 'delRcpt', 'chgFrom',
]);

/** Longest a test waits for one reply before failing instead of hanging. */
const DEFAULT_REPLY_TIMEOUT_MS = 10_000;

export type OptnegReply = Extract<MilterReply, { type: 'optneg' }>;

interface Waiter {
  resolve(reply: MilterReply): void;
  reject(err: Error): void;
}

export class MilterClient {
  readonly #socket: net.Socket;
  readonly #reader = new PacketReader({ maxPacketBytes: 16 * 1024 * 1024 });
  readonly #replies: MilterReply[] = [];
  readonly #waiters: Waiter[] = [];
  #error: Error | null = null;
  /** What the milter agreed to, after `negotiate`. */
  negotiated: OptnegReply | null = null;
  /** Resolves when the milter (or we) closed the connection. */
  readonly closed: Promise<void>;
  replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    // Like Postfix: small request packets go out at once (no Nagle delay per round trip).
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#failAll(err));
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.#failAll(new Error('connection closed'));
        resolve();
      });
    });
  }

  static connect(address: ListenAddress): Promise<MilterClient> {
    return new Promise((resolve, reject) => {
      const options = address.kind === 'unix'
        ? { path: address.path }
        : { host: address.host, port: address.port };
      const socket = net.connect(options, () => {
        socket.off('error', reject);
        resolve(new MilterClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Replies received and not yet read: non-zero after a command means an unasked reply. */
  get bufferedReplies(): number {
    return this.#replies.length;
  }

  async negotiate(offer: MilterOffer = POSTFIX_OFFER): Promise<OptnegReply> {
    const reply = await this.#command({ type: 'optneg', ...offer });
    if (reply.type !== 'optneg') throw new Error(`expected optneg reply, got ${reply.type}`);
    this.negotiated = reply;
    return reply;
  }

  /** `stage` is the command letter the macros belong to: C H M R T L N B E U. No reply. */
  sendMacro(stage: string, pairs: Readonly<Record<string, string>>): void {
    this.send({ type: 'macro', stage, macros: Object.entries(pairs) });
  }

  connectCmd(
    hostname = 'mail.example.kr',
    address: string | null = '192.0.2.10',
    port: number | null = 40000,
    family: 'inet' | 'inet6' | 'unix' | 'unknown' = 'inet',
  ): Promise<MilterReply> {
    return this.#command({ type: 'connect', hostname, family, port, address });
  }

  helo(name: string): Promise<MilterReply> {
    return this.#command({ type: 'helo', helo: name });
  }

  mail(sender: string, args: readonly string[] = []): Promise<MilterReply> {
    return this.#command({ type: 'mail', sender, args });
  }

  rcpt(recipient: string, args: readonly string[] = []): Promise<MilterReply> {
    return this.#command({ type: 'rcpt', recipient, args });
  }

  data(): Promise<MilterReply> {
    return this.#command({ type: 'data' });
  }

  unknown(line: string): Promise<MilterReply> {
    return this.#command({ type: 'unknown', line });
  }

  /** Resolves with the reply, or null when NR_HDR was negotiated. */
  header(name: string, value: string | Buffer): Promise<MilterReply | null> {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return this.#maybeReply({ type: 'header', name, value: bytes }, PROTO.NR_HDR);
  }

  eoh(): Promise<MilterReply | null> {
    return this.#maybeReply({ type: 'eoh' }, PROTO.NR_EOH);
  }

  /**
   * Send body bytes as Postfix does, at most 65,535 per BODY packet (or `chunkBytes`). Resolves
   * with one reply per packet, or none under NR_BODY.
   */
  async body(content: string | Buffer, chunkBytes = MTA_BODY_CHUNK_BYTES): Promise<MilterReply[]> {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const replies: MilterReply[] = [];
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      const chunk = bytes.subarray(offset, offset + chunkBytes);
      const reply = await this.#maybeReply({ type: 'body', chunk }, PROTO.NR_BODY);
      if (reply) replies.push(reply);
    }
    return replies;
  }

  /** End of message: every packet up to and including the final verdict, in order. */
  async eom(): Promise<MilterReply[]> {
    this.send({ type: 'eob', chunk: Buffer.alloc(0) });
    const replies: MilterReply[] = [];
    for (;;) {
      const reply = await this.nextReply();
      replies.push(reply);
      if (!NON_FINAL.has(reply.type)) return replies;
    }
  }

  abort(): void {
    this.send({ type: 'abort' });
  }

  quit(): void {
    this.send({ type: 'quit' });
  }

  quitNc(): void {
    this.send({ type: 'quitNc' });
  }

  /** Send a command without waiting for anything. */
  send(command: MilterCommand): void {
    this.#socket.write(encodeCommand(command));
  }

  /** Send bytes as they are (malformed-input tests). */
  writeRaw(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** The next reply packet; rejects when the connection closes or nothing comes in time. */
  nextReply(): Promise<MilterReply> {
    const ready = this.#replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new Error('no reply from milter in time'));
      }, this.replyTimeoutMs);
      const waiter: Waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  close(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #command(command: MilterCommand): Promise<MilterReply> {
    this.send(command);
    return this.nextReply();
  }

  #maybeReply(command: MilterCommand, noReplyBit: number): Promise<MilterReply | null> {
    this.send(command);
    const noReply = ((this.negotiated?.protocol ?? 0) & noReplyBit) !== 0;
    return noReply ? Promise.resolve(null) : this.nextReply();
  }

  #onData(chunk: Buffer): void {
    try {
      this.#reader.push(chunk, (packet) => this.#deliver(decodeReply(packet)));
    } catch (err) {
      this.#failAll(err as Error);
      this.#socket.destroy();
    }
  }

  #deliver(reply: MilterReply): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(reply);
    else this.#replies.push(reply);
  }

  #failAll(err: Error): void {
    this.#error ??= err;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(err);
  }
}

/** One whole message, the way Postfix sends it after negotiation, CONNECT and HELO. */
export interface TestMessage {
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly headers: readonly (readonly [name: string, value: string | Buffer])[];
  readonly body: string | Buffer;
  /** Macros to send before the commands of these stages, e.g. `{ E: { i: '4Xyz' } }`. */
  readonly macros?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Run MAIL … end of message and resolve with the end-of-message packets. Throws when a step
 * before end of message gets anything but `continue`.
 */
export async function sendMessage(
  client: MilterClient,
  message: TestMessage,
): Promise<MilterReply[]> {
  await sendMessageContent(client, message);
  const eomMacros = message.macros?.['E'];
  if (eomMacros) client.sendMacro('E', eomMacros);
  return client.eom();
}

/** MAIL, RCPT, DATA, headers, EOH and body, each expecting `continue`; no end of message. */
export async function sendMessageContent(
  client: MilterClient,
  message: TestMessage,
): Promise<void> {
  const macros = message.macros ?? {};
  const withMacros = (stage: string) => {
    const pairs = macros[stage];
    if (pairs) client.sendMacro(stage, pairs);
  };
  withMacros('M');
  expectContinue(await client.mail(message.sender), 'mail');
  for (const recipient of message.recipients) {
    withMacros('R');
    expectContinue(await client.rcpt(recipient), 'rcpt');
  }
  withMacros('T');
  expectContinue(await client.data(), 'data');
  for (const [name, value] of message.headers) {
    withMacros('L');
    expectContinue(await client.header(name, value), 'header');
  }
  withMacros('N');
  expectContinue(await client.eoh(), 'eoh');
  withMacros('B');
  for (const reply of await client.body(message.body)) expectContinue(reply, 'body');
}

function expectContinue(reply: MilterReply | null, step: string): void {
  if (reply && reply.type !== 'continue') {
    throw new Error(`${step}: expected continue, got ${reply.type}`);
  }
}
