/**
 * Test harness for the milter: a real server on 127.0.0.1 port 0 (or a unix socket), a handler
 * that records every envelope, captured log lines, and fake-MTA clients that are cleaned up.
 */
import { PassThrough } from 'node:stream';
import type { ListenAddress } from '../../config/listen.js';
import { createLogger } from '../../log/logger.js';
import type { Logger } from '../../log/logger.js';
import { startMilterServer } from '../../milter/server.js';
import type { MilterServer, MilterServerOptions } from '../../milter/server.js';
import type {
  EomVerdict,
  MessageEnvelope,
  MilterHandler,
  SessionInfo,
} from '../../milter/types.js';
import { MilterClient, POSTFIX_OFFER } from './milter-client.js';
import type { MilterOffer } from '../../milter/negotiate.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** A debug-level logger whose JSON lines land in `lines`. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new PassThrough();
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') lines.push(JSON.parse(part) as LogLine);
  });
  return { logger: createLogger({ level: 'debug', stream }), lines };
}

export interface Harness {
  readonly server: MilterServer;
  readonly envelopes: MessageEnvelope[];
  readonly sessions: SessionInfo[];
  readonly logs: LogLine[];
  /** Connect a fake MTA and, unless `offer` is null, negotiate with it (Postfix's offer). */
  client(offer?: MilterOffer | null): Promise<MilterClient>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<MilterServerOptions, 'handler'>> {
  /** End-of-message answer; default accept. Called after the envelope is recorded. */
  readonly verdict?: (envelope: MessageEnvelope) => EomVerdict | Promise<EomVerdict>;
  /** Other handler hooks (onConnect, onMail, onAbort). */
  readonly hooks?: Omit<MilterHandler, 'onEndOfMessage'>;
}

const open = new Set<Harness>();

/** Close every harness still open: an `afterEach` net for tests that failed before closing. */
export async function closeAllHarnesses(): Promise<void> {
  const all = [...open];
  open.clear();
  await Promise.all(all.map((harness) => harness.close()));
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { logger, lines } = captureLogger();
  const envelopes: MessageEnvelope[] = [];
  const sessions: SessionInfo[] = [];
  const verdict = options.verdict ?? (() => ({ kind: 'accept' }) as const);
  const handler: MilterHandler = {
    ...options.hooks,
    async onEndOfMessage(envelope, session) {
      envelopes.push(envelope);
      sessions.push(session);
      return verdict(envelope);
    },
  };
  const listen: ListenAddress = options.listen ?? { kind: 'inet', host: '127.0.0.1', port: 0 };
  // A short grace keeps a failing test (handler never released) from idling 30 s in close().
  const server = await startMilterServer({
    logger,
    closeGraceMs: 2000,
    ...options,
    listen,
    handler,
  });
  const clients: MilterClient[] = [];
  const harness: Harness = {
    server,
    envelopes,
    sessions,
    logs: lines,
    async client(offer: MilterOffer | null = POSTFIX_OFFER) {
      const client = await MilterClient.connect(server.address);
      clients.push(client);
      if (offer) await client.negotiate(offer);
      return client;
    },
    async close() {
      open.delete(harness);
      for (const client of clients) client.destroy();
      await server.close();
    },
  };
  open.add(harness);
  return harness;
}

/** Connect + HELO as Postfix does for an SMTP client, each expecting `continue`. */
export async function greet(client: MilterClient): Promise<void> {
  client.sendMacro('C', { j: 'relay.example.kr', '{daemon_name}': 'relay.example.kr', _: 'x' });
  const connect = await client.connectCmd();
  if (connect.type !== 'continue') throw new Error(`connect: got ${connect.type}`);
  client.sendMacro('H', {});
  const helo = await client.helo('mail.example.kr');
  if (helo.type !== 'continue') throw new Error(`helo: got ${helo.type}`);
}

/**
 * `promise`, or a rejection after `ms`: a safety net so a broken milter fails the test instead
 * of hanging it. Not a timing assertion; keep `ms` far above any expected wait.
 */
export function bounded<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A promise plus its resolver, for handlers that wait on the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
