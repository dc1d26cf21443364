/**
 * The milter listener: accepts MTA connections on TCP or a unix socket, one `MilterSession` each.
 *
 * Owns the sockets: idle timeouts, socket errors, the unix socket file (stale-file removal,
 * permissions, removal on close) and an orderly shutdown that lets verdicts in flight reach the
 * MTA. Invariant: nothing a peer sends can take the process down; a broken or hostile peer costs
 * exactly its own connection.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../config/listen.js';
import { formatListen } from '../config/listen.js';
import { nullLogger } from '../log/logger.js';
import type { Logger } from '../log/logger.js';
import { MilterSession } from './session.js';
import { prepareSpool, removeSpool, type SpoolOptions } from './spool.js';
import type { MilterHandler } from './types.js';

export interface MilterServerOptions {
  /** `{ kind: 'inet', host, port }` (port 0 picks a free port) or `{ kind: 'unix', path }`. */
  readonly listen: ListenAddress;
  readonly handler: MilterHandler;
  /** Parent logger; sessions add `conn` and `qid`. Default: drop everything. */
  readonly logger?: Logger;
  /** Largest packet accepted. Default 1 MiB (config `milter.maxPacketBytes`). */
  readonly maxPacketBytes?: number;
  /** Bytes of one message kept for the handler. Default 64 MiB (`milter.maxMessageBytes`). */
  readonly maxMessageBytes?: number;
  /** How often `p` is sent while the handler works. Default 5 s (`milter.progressIntervalMs`). */
  readonly progressIntervalMs?: number;
  /**
   * A connection with no traffic for this long is closed. Postfix keeps the milter connection
   * for a whole SMTP session and is silent while its client is (smtpd_timeout, 300 s by
   * default), so the default of 10 minutes is twice that. Not applied while a handler works.
   */
  readonly idleTimeoutMs?: number;
  /** How long `close()` waits for verdicts in flight before cutting connections. Default 30 s. */
  readonly closeGraceMs?: number;
  /** Permissions of a unix socket. Default 0o660: the MTA's group may connect, others not. */
  readonly socketMode?: number;
  /** Where large messages are kept while inspected (milter/spool.ts); none: all in memory. */
  readonly spool?: SpoolOptions | null;
}

export interface MilterServer {
  /** Where we listen; for `inet` with port 0, the port actually bound. */
  readonly address: ListenAddress;
  /** Open MTA connections. */
  readonly connectionCount: number;
  /** Stop accepting, let pending verdicts go out (up to the grace period), then disconnect. */
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_CLOSE_GRACE_MS = 30 * 1000;
export const DEFAULT_SOCKET_MODE = 0o660;

/** After our FIN, how long a peer gets to close its end before the socket is destroyed. */
const END_WAIT_MS = 1000;

/** Listen and serve. Rejects when the address cannot be bound (in use, bad path, permissions). */
export async function startMilterServer(options: MilterServerOptions): Promise<MilterServer> {
  const server = new Listener(options);
  await server.listen();
  return server;
}

class Listener implements MilterServer {
  readonly #options: MilterServerOptions;
  readonly #log: Logger;
  readonly #server: net.Server;
  readonly #sessions = new Map<net.Socket, MilterSession>();
  #address: ListenAddress;
  #socketInode: number | null = null;
  #nextId = 0;
  #closing: Promise<void> | null = null;
  /** The spool with this process's own folder, once bound (milter/spool.ts). */
  #spool: SpoolOptions | null = null;

  constructor(options: MilterServerOptions) {
    this.#options = options;
    this.#log = options.logger ?? nullLogger();
    this.#address = options.listen;
    this.#server = net.createServer((socket) => this.#accept(socket));
    this.#server.on('error', (err) => {
      this.#log.error('milter listener error', { error: err.message });
    });
  }

  get address(): ListenAddress {
    return this.#address;
  }

  get connectionCount(): number {
    return this.#sessions.size;
  }

  async listen(): Promise<void> {
    const listen = this.#options.listen;
    if (listen.kind === 'unix') await removeStaleSocket(listen.path);
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      const target =
        listen.kind === 'unix' ? { path: listen.path } : { host: listen.host, port: listen.port };
      this.#server.listen(target, () => {
        this.#server.off('error', reject);
        // Prepared once this daemon holds its address (a daemon that cannot bind touches
        // nothing), before any connection is served.
        const spool = this.#options.spool;
        try {
          if (spool) this.#spool = { ...spool, dir: prepareSpool(spool.dir) };
        } catch (err) {
          this.#server.close();
          reject(new Error(`cannot prepare the spool folder ${spool?.dir}: ${(err as Error).message}`));
          return;
        }
        resolve();
      });
    });
    if (listen.kind === 'unix') {
      await fs.chmod(listen.path, this.#options.socketMode ?? DEFAULT_SOCKET_MODE);
      this.#socketInode = (await fs.lstat(listen.path)).ino;
    } else {
      const bound = this.#server.address() as AddressInfo;
      this.#address = { kind: 'inet', host: listen.host, port: bound.port };
    }
    this.#log.info('milter listening', { listen: formatListen(this.#address) });
  }

  #accept(socket: net.Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    const session = this.#createSession(socket);
    this.#sessions.set(socket, session);
    if (this.#options.listen.kind === 'inet') socket.setNoDelay(true);
    socket.setTimeout(this.#options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('timeout', () => {
      if (!session.busy) session.terminate('idle timeout');
    });
    socket.on('error', (err) => {
      lastError = err;
    });
    socket.on('close', () => {
      session.transportClosed(lastError);
      this.#sessions.delete(socket);
    });
  }

  #createSession(socket: net.Socket): MilterSession {
    this.#nextId += 1;
    return new MilterSession({
      connectionId: this.#nextId,
      handler: this.#options.handler,
      logger: this.#log,
      maxPacketBytes: this.#options.maxPacketBytes,
      maxMessageBytes: this.#options.maxMessageBytes,
      progressIntervalMs: this.#options.progressIntervalMs,
      spool: this.#spool,
      io: {
        write: (data) => {
          if (!socket.destroyed) socket.write(data);
        },
        close: (graceful) => {
          if (socket.destroyed) return;
          if (graceful) socket.end();
          else socket.destroy();
        },
      },
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const grace = this.#options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    const sockets = [...this.#sessions.keys()];
    const ended = new Set<net.Socket>();
    // Each session ends as soon as its pending verdict (if any) has been written.
    const drained = [...this.#sessions].map(([socket, session]) =>
      session.settled().then(() => {
        session.shutdown();
        ended.add(socket);
      }),
    );
    await withDeadline(Promise.all(drained), grace);
    // Ended sockets get a moment to flush and close; handlers past the grace period are cut.
    for (const socket of sockets) if (!ended.has(socket)) socket.destroy();
    await withDeadline(Promise.all([...ended].map((s) => this.#whenClosed(s))), END_WAIT_MS);
    for (const socket of sockets) socket.destroy();
    await Promise.all(sockets.map((s) => this.#whenClosed(s)));
    await stopped;
    await this.#removeSocketFile();
    if (this.#spool) removeSpool(this.#spool.dir);
    this.#log.info('milter stopped', { listen: formatListen(this.#address) });
  }

  /** Resolves once the socket's 'close' handler has run (and the session is forgotten). */
  #whenClosed(socket: net.Socket): Promise<void> {
    if (!this.#sessions.has(socket)) return Promise.resolve();
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Remove our unix socket file, unless someone else has since bound the same path. */
  async #removeSocketFile(): Promise<void> {
    const listen = this.#options.listen;
    if (listen.kind !== 'unix' || this.#socketInode === null) return;
    try {
      const stat = await fs.lstat(listen.path);
      if (stat.isSocket() && stat.ino === this.#socketInode) await fs.unlink(listen.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/**
 * Make way for a unix socket: a leftover file from a crashed run is removed, but only when it is
 * a socket and nothing answers on it. A live listener or a regular file is an error.
 */
async function removeStaleSocket(path: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket`);
  if (await answers(path)) throw new Error(`${path} is in use by a running listener`);
  await fs.unlink(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(false);
      else reject(err);
    });
  });
}

/** Wait for `work`, but no longer than `ms`. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
