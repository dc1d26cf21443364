/**
 * A minimal SMTP client and SMTP sink for tests and benchmarks against a real Postfix.
 *
 * Why not smtp-sink and nodemailer: smtp-sink adds its own headers to the files it writes, and a
 * released message must be compared byte for byte with what was sent. Our own client also
 * exposes every reply code and text per message (250 with the queue id, 451 from a milter
 * tempfail, 550 from a reject) and sends several messages on one connection, which is what
 * exercises a milter's per-connection state.
 *
 * Byte rules, so tests can predict exact bytes:
 * - the client converts bare LF to CRLF, adds a final CRLF if missing, and dot-stuffs
 *   (`toWireMessage` is the message as the server sees it after unstuffing);
 * - the sink unstuffs and stores the message exactly as received, without the final `.` line.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/** SMTP replies longer than this are a broken peer; real ones are a few hundred bytes. */
const MAX_REPLY_BYTES = 64 * 1024;

/** Per-reply wait; Postfix answers end-of-data after the milter's scan, which can take seconds. */
const DEFAULT_REPLY_TIMEOUT_MS = 60_000;

export interface OutgoingMessage {
  readonly raw: Buffer | string;
  readonly from: string;
  readonly to: readonly string[];
}

export interface SmtpReplyLine {
  readonly code: number;
  /** Reply text with the code stripped; multi-line replies joined with `\n`. */
  readonly text: string;
}

export type SmtpStage = 'connect' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'message';

/** What happened to one message. */
export interface SmtpResult {
  /** True when the server accepted the message after the final `.`. */
  readonly ok: boolean;
  /** The reply that decided the outcome: 250 queued, 451 tempfail, 550 reject, … */
  readonly code: number;
  readonly text: string;
  /** The step that produced `code`; `message` is the reply to the final `.`. */
  readonly stage: SmtpStage;
  /** Postfix queue id parsed from "250 2.0.0 Ok: queued as ID"; null otherwise. */
  readonly queueId: string | null;
  readonly rejectedRecipients: ReadonlyArray<{ address: string; code: number; text: string }>;
}

/** The message bytes as the server stores them: CRLF line ends, final CRLF, no dot-stuffing. */
export function toWireMessage(raw: Buffer | string): Buffer {
  // latin1 maps bytes 1:1 to code units, so 8-bit content (EUC-KR, UTF-8) passes untouched.
  let text = (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).toString('latin1');
  text = text.replace(/\r?\n/g, '\r\n');
  if (text !== '' && !text.endsWith('\r\n')) text += '\r\n';
  return Buffer.from(text, 'latin1');
}

/** The body of a message: bytes after the first empty line. */
export function messageBody(raw: Buffer): Buffer {
  const at = raw.indexOf('\r\n\r\n');
  return at < 0 ? Buffer.alloc(0) : raw.subarray(at + 4);
}

function dotStuff(wire: Buffer): Buffer {
  const text = wire.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(text, 'latin1');
}

/** Reads complete SMTP replies from a socket, one at a time. */
class ReplyReader {
  #buffer = '';
  #lines: string[] = [];
  #waiter: (() => void) | null = null;
  #closed = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      if (this.#buffer.length > MAX_REPLY_BYTES) socket.destroy(new Error('SMTP reply too long'));
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  /** The next complete reply; code 0 when the connection closed or timed out first. */
  async next(timeoutMs: number): Promise<SmtpReplyLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.#take();
      if (reply) return reply;
      if (this.#closed) return { code: 0, text: 'connection closed' };
      const left = deadline - Date.now();
      if (left <= 0) return { code: 0, text: 'timed out waiting for a reply' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  #take(): SmtpReplyLine | null {
    for (;;) {
      const eol = this.#buffer.indexOf('\r\n');
      if (eol < 0) return null;
      const line = this.#buffer.slice(0, eol);
      this.#buffer = this.#buffer.slice(eol + 2);
      this.#lines.push(line);
      const match = /^(\d{3})([ -])?(.*)$/.exec(line);
      if (match && match[2] !== '-') {
        const text = this.#lines.map((l) => l.slice(4)).join('\n');
        this.#lines = [];
        return { code: Number(match[1]), text };
      }
    }
  }
}

export interface SmtpSendOptions {
  readonly host?: string;
  readonly helo?: string;
  readonly replyTimeoutMs?: number;
}

/**
 * Send `messages` in order over ONE SMTP connection and report each message's outcome. A
 * connection that fails or closes early yields a `connect`-stage result (code 0 or the server's
 * 4xx/5xx) for every message not yet sent.
 */
export async function smtpSend(
  port: number,
  messages: readonly OutgoingMessage[],
  options: SmtpSendOptions = {},
): Promise<SmtpResult[]> {
  const host = options.host ?? '127.0.0.1';
  const timeout = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  const socket = net.connect({ host, port });
  const reader = new ReplyReader(socket);
  const results: SmtpResult[] = [];
  const failRest = (stage: SmtpStage, reply: SmtpReplyLine): SmtpResult[] => {
    while (results.length < messages.length) results.push(failure(stage, reply));
    return results;
  };
  try {
    const greeting = await reader.next(timeout);
    if (greeting.code !== 220) return failRest('connect', greeting);
    socket.write(`EHLO ${options.helo ?? 'client.test.invalid'}\r\n`);
    const ehlo = await reader.next(timeout);
    if (ehlo.code !== 250) return failRest('ehlo', ehlo);
    const eightBit = /^8BITMIME$/im.test(ehlo.text);
    for (const message of messages) {
      const result = await sendOne(socket, reader, message, eightBit, timeout);
      results.push(result);
      if (result.code === 0 || result.code === 421) return failRest('connect', result);
    }
    socket.write('QUIT\r\n');
    await reader.next(Math.min(timeout, 5000));
    return results;
  } finally {
    socket.destroy();
  }
}

async function sendOne(
  socket: net.Socket,
  reader: ReplyReader,
  message: OutgoingMessage,
  eightBitOffered: boolean,
  timeout: number,
): Promise<SmtpResult> {
  const wire = toWireMessage(message.raw);
  const eightBit = eightBitOffered && wire.some((b) => b >= 0x80) ? ' BODY=8BITMIME' : '';
  socket.write(`MAIL FROM:<${message.from}>${eightBit}\r\n`);
  const mail = await reader.next(timeout);
  if (mail.code !== 250) return reset(socket, reader, failure('mail', mail), timeout);
  const rejected: Array<{ address: string; code: number; text: string }> = [];
  for (const address of message.to) {
    socket.write(`RCPT TO:<${address}>\r\n`);
    const rcpt = await reader.next(timeout);
    if (rcpt.code === 0) return failure('rcpt', rcpt);
    if (rcpt.code >= 300) rejected.push({ address, code: rcpt.code, text: rcpt.text });
    if (rejected.length === message.to.length) {
      const result = { ...failure('rcpt', rcpt), rejectedRecipients: rejected };
      return reset(socket, reader, result, timeout);
    }
  }
  socket.write('DATA\r\n');
  const data = await reader.next(timeout);
  if (data.code !== 354) return reset(socket, reader, failure('data', data), timeout);
  socket.write(Buffer.concat([dotStuff(wire), Buffer.from('.\r\n')]));
  const end = await reader.next(timeout);
  const queued = /queued as ([0-9A-Za-z]+)/.exec(end.text);
  return {
    ok: end.code >= 200 && end.code < 300,
    code: end.code,
    text: end.text,
    stage: 'message',
    queueId: queued ? (queued[1] as string) : null,
    rejectedRecipients: rejected,
  };
}

function failure(stage: SmtpStage, reply: SmtpReplyLine): SmtpResult {
  const { code, text } = reply;
  return { ok: false, code, text, stage, queueId: null, rejectedRecipients: [] };
}

/** After a refused step, RSET so the next message on this connection starts clean. */
async function reset(
  socket: net.Socket,
  reader: ReplyReader,
  result: SmtpResult,
  timeout: number,
): Promise<SmtpResult> {
  if (result.code === 0 || result.code === 421) return result;
  socket.write('RSET\r\n');
  await reader.next(timeout);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Sink

/** A message the sink received. */
export interface DeliveredMessage {
  readonly from: string;
  readonly to: readonly string[];
  /** Exactly the bytes received between DATA and the final `.`, dot-unstuffing undone. */
  readonly raw: Buffer;
  /** Path of the `.eml` file holding `raw`. */
  readonly file: string;
  /** Order of arrival, from 1. */
  readonly sequence: number;
}

export interface SmtpSink {
  readonly port: number;
  readonly dir: string;
  close(): Promise<void>;
}

/** A message is at most Postfix's message_size_limit (10 MB) plus headers; cap at 64 MiB. */
const MAX_SINK_MESSAGE_BYTES = 64 * 1024 * 1024;
const CRLF = Buffer.from('\r\n');
const END_OF_DATA = Buffer.from('\r\n.\r\n');

/**
 * Start an SMTP sink on 127.0.0.1 (port 0 picks a free one). Every accepted message becomes
 * `dir/NNNNNN.eml` (raw bytes) and `dir/NNNNNN.json` (envelope); the JSON is written last, so
 * its presence means the message is complete.
 */
export async function startSmtpSink(dir: string, port = 0): Promise<SmtpSink> {
  await mkdir(dir, { recursive: true });
  let sequence = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serveSink(socket, async (from, to, raw) => {
      sequence += 1;
      const name = String(sequence).padStart(6, '0');
      const file = path.join(dir, `${name}.eml`);
      await writeFile(file, raw);
      await writeFile(path.join(dir, `${name}.json`), JSON.stringify({ from, to, sequence }));
      return `SINK${name}`;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type Store = (from: string, to: string[], raw: Buffer) => Promise<string>;

/** One sink connection: enough SMTP for Postfix's smtp client (no PIPELINING offered). */
function serveSink(socket: net.Socket, store: Store): void {
  let lineBuffer: Buffer = Buffer.alloc(0);
  let inData = false;
  let from: string | null = null;
  let to: string[] = [];
  // DATA state: chunks so far, their length, and the last bytes seen (the terminator can
  // straddle chunks). The carry starts as a virtual CRLF so an empty message matches too.
  let parts: Buffer[] = [];
  let dataLength = 0;
  let carry = CRLF;
  const reply = (line: string): void => {
    if (!socket.destroyed) socket.write(`${line}\r\n`);
  };

  const command = (line: string): void => {
    const verb = line.slice(0, 4).toUpperCase();
    const arg = /<([^>]*)>/.exec(line)?.[1] ?? '';
    if (verb === 'EHLO') reply('250-sink.test.invalid\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE');
    else if (verb === 'HELO') reply('250 sink.test.invalid');
    else if (verb === 'MAIL') [from, to] = [arg, []];
    else if (verb === 'RCPT') to.push(arg);
    else if (verb === 'RSET') [from, to] = [null, []];
    else if (verb === 'NOOP') reply('250 2.0.0 Ok');
    else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
    else if (verb === 'DATA' && from !== null && to.length > 0) {
      [inData, parts, dataLength, carry] = [true, [], 0, CRLF];
      reply('354 End data with <CR><LF>.<CR><LF>');
    } else reply(verb === 'DATA' ? '503 5.5.1 Error: need RCPT command' : '502 5.5.2 Error');
    if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET') reply('250 2.0.0 Ok');
  };

  /** Handle complete command lines; returns bytes left over once DATA starts, else null. */
  const feedCommands = (input: Buffer): Buffer | null => {
    lineBuffer = lineBuffer.length === 0 ? input : Buffer.concat([lineBuffer, input]);
    for (;;) {
      const eol = lineBuffer.indexOf(CRLF);
      if (eol < 0) return null;
      const line = lineBuffer.subarray(0, eol).toString('latin1');
      lineBuffer = lineBuffer.subarray(eol + 2);
      command(line);
      if (inData) {
        const rest = lineBuffer;
        lineBuffer = Buffer.alloc(0);
        return rest;
      }
    }
  };

  /** Collect message bytes; at the final dot store the message and return what follows. */
  const feedData = async (input: Buffer): Promise<Buffer | null> => {
    const window = Buffer.concat([carry, input]);
    const at = window.indexOf(END_OF_DATA);
    if (at < 0) {
      parts.push(input);
      dataLength += input.length;
      carry = window.subarray(Math.max(0, window.length - END_OF_DATA.length));
      if (dataLength > MAX_SINK_MESSAGE_BYTES) socket.destroy();
      return null;
    }
    // The CRLF before the dot ends the last line of the message and belongs to it.
    const contentEnd = dataLength + (at - carry.length) + 2;
    const all = Buffer.concat([...parts, input]);
    const content = all.subarray(0, contentEnd);
    const raw = Buffer.from(content.toString('latin1').replace(/(^|\r\n)\./g, '$1'), 'latin1');
    const [f, t] = [from ?? '', to];
    [inData, from, to, parts] = [false, null, [], []];
    reply(`250 2.0.0 Ok: queued as ${await store(f, t, raw)}`);
    return all.subarray(contentEnd + 3);
  };

  const feed = async (chunk: Buffer): Promise<void> => {
    let input: Buffer | null = chunk;
    while (input && input.length > 0) {
      input = inData ? await feedData(input) : feedCommands(input);
    }
  };

  let chain = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    chain = chain.then(() => feed(chunk)).catch(() => void socket.destroy());
  });
  reply('220 sink.test.invalid ESMTP');
}

/** Every complete message in a sink directory, in order of arrival. */
export async function readSinkDir(dir: string): Promise<DeliveredMessage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const envelopes = names.filter((n) => n.endsWith('.json')).sort();
  return Promise.all(
    envelopes.map(async (name) => {
      const meta = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
        from: string;
        to: string[];
        sequence: number;
      };
      const file = path.join(dir, name.replace(/\.json$/, '.eml'));
      const raw = await readFile(file);
      return { from: meta.from, to: meta.to, raw, file, sequence: meta.sequence };
    }),
  );
}
