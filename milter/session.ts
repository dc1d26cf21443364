/**
 * One milter connection: the protocol state machine between the MTA and a `MilterHandler`.
 *
 * Owns: negotiation, per-stage macros, connection state (CONNECT, HELO) that lives until QUIT or
 * QUIT_NC, message state that ABORT and end of message reset, the strict one-reply-per-command
 * rhythm (none for D/A/Q/K and for events flagged NR_*), progress packets while the handler
 * works, and mapping verdicts to packets (via `verdict.ts`). Does not own the socket: bytes come
 * in through `receive` and go out through `SessionIo`, so the server decides about timeouts and
 * shutdown.
 *
 * Invariants: packets are handled strictly in order, one at a time, even while a handler's
 * promise is pending; a protocol error closes this connection and nothing else; a handler that
 * throws produces a tempfail, never an accept; the session keeps serving after a verdict.
 */
import { NOQUEUE, nullLogger } from '../log/logger.js';
import type { Logger } from '../log/logger.js';
import { decodeCommand, encodeReply, MilterProtocolError, PacketReader } from './codec.js';
import type { MacroPair, MilterCommand, MilterReply, RawPacket } from './codec.js';
import { ACTION, DEFAULT_MAX_PACKET_BYTES, PROTO } from './constants.js';
import { isQueueId, MacroStore } from './macros.js';
import { callHandler, errorFields } from './handler-call.js';
import { MessageState, stripBrackets } from './message.js';
import { SpoolError, type SpoolOptions } from './spool.js';
import { negotiate } from './negotiate.js';
import type { Negotiated } from './negotiate.js';
import type {
  ConnectInfo,
  EomVerdict,
  MessageEnvelope,
  MilterHandler,
  SessionInfo,
  StageVerdict,
} from './types.js';
import { eomReplies, stageReply } from './verdict.js';
import type { ReplyCapabilities } from './verdict.js';

/** Where the session's replies go; the server binds this to the socket. */
export interface SessionIo {
  write(data: Buffer): void;
  /** Close the connection; `graceful` lets queued replies reach the peer first. */
  close(graceful: boolean): void;
}

export interface SessionOptions {
  /** Connection serial number, used in logs and handed to the handler. */
  readonly connectionId: number;
  readonly handler: MilterHandler;
  readonly io: SessionIo;
  /** Parent logger; the session logs through a child with `conn` and `qid`. */
  readonly logger?: Logger;
  /** Largest packet accepted. Default 1 MiB (config `milter.maxPacketBytes`). */
  readonly maxPacketBytes?: number;
  /** Bytes of one message kept for the handler. Default 64 MiB (`milter.maxMessageBytes`). */
  readonly maxMessageBytes?: number;
  /** How often `p` is sent while a handler works. Default 5 s (`milter.progressIntervalMs`). */
  readonly progressIntervalMs?: number;
  /** Where large messages are kept while inspected; without it every message stays in memory. */
  readonly spool?: SpoolOptions | null;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_PROGRESS_INTERVAL_MS = 5000;

/**
 * Packets we hold while a handler's promise is pending. An MTA waits for our reply before its
 * next command, so a legitimate peer has at most a macro packet or two queued; hundreds mean it
 * is not speaking the protocol, and we stop buffering for it.
 */
export const MAX_QUEUED_PACKETS = 256;

const CONTINUE: MilterReply = { type: 'continue' };
const PROGRESS = encodeReply({ type: 'progress' });
const TEMPFAIL_STAGE: StageVerdict = { kind: 'tempfail' };
const TEMPFAIL_EOM: EomVerdict = { kind: 'tempfail' };

export class MilterSession {
  readonly connectionId: number;
  readonly #handler: MilterHandler;
  readonly #io: SessionIo;
  readonly #reader: PacketReader;
  readonly #maxMessageBytes: number;
  readonly #spool: SpoolOptions | null;
  readonly #progressIntervalMs: number;
  readonly #connLog: Logger;
  #log: Logger;
  #qid = NOQUEUE;
  /** Last malformed `i` value warned about, so one bad id is one warning, not one per packet. */
  #badQueueId = '';

  readonly #queue: RawPacket[] = [];
  #pumping = false;
  #closed = false;
  #handlerPending = false;
  #eomPending = false;
  #idleWaiters: (() => void)[] = [];

  #negotiated: Negotiated | null = null;
  #connect: ConnectInfo | null = null;
  #helo: string | null = null;
  readonly #macros = new MacroStore();
  #message: MessageState | null = null;
  #messageCount = 0;

  constructor(options: SessionOptions) {
    this.connectionId = options.connectionId;
    this.#handler = options.handler;
    this.#io = options.io;
    this.#reader = new PacketReader({
      maxPacketBytes: options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES,
    });
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#spool = options.spool ?? null;
    this.#progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.#connLog = (options.logger ?? nullLogger()).child({ conn: options.connectionId });
    this.#log = this.#connLog.child({ qid: NOQUEUE });
  }

  /** True while a handler call is pending (the MTA is waiting for us, the peer is not idle). */
  get busy(): boolean {
    return this.#handlerPending;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Feed bytes from the MTA, cut anywhere. */
  receive(chunk: Buffer): void {
    if (this.#closed) return;
    try {
      this.#reader.push(chunk, (packet) => this.#queue.push(packet));
      if (this.#queue.length > MAX_QUEUED_PACKETS) {
        throw new MilterProtocolError('frame', 'peer does not wait for replies');
      }
    } catch (err) {
      this.#fail(err);
      return;
    }
    void this.#pump();
  }

  /** The transport went away (peer closed, socket error): drop the message in progress. */
  transportClosed(error?: Error): void {
    if (this.#closed) return;
    if (error) this.#log.warn('connection lost', { phase: 'close', error: error.message });
    else this.#log.debug('connection closed by peer', { phase: 'close' });
    this.#shut(null);
  }

  /** Close from our side, letting replies already queued reach the MTA (server shutdown). */
  shutdown(): void {
    if (this.#closed) return;
    this.#log.debug('closing connection', { phase: 'close' });
    this.#shut(true);
  }

  /** Close without grace because the server gave up on the peer (idle, socket error). */
  terminate(reason: string): void {
    if (this.#closed) return;
    this.#log.warn('closing connection', { phase: 'close', reason });
    this.#shut(false);
  }

  /** Resolves once no packet is being handled (a pending verdict has been sent or dropped). */
  settled(): Promise<void> {
    if (!this.#pumping) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let packet = this.#queue.shift(); packet; packet = this.#queue.shift()) {
        if (this.#closed) break;
        const pending = this.#dispatch(decodeCommand(packet));
        if (pending) await pending;
      }
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#pumping = false;
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #dispatch(command: MilterCommand): Promise<void> | void {
    const mayStart = command.type === 'optneg' || command.type === 'quit';
    if (!this.#negotiated && !mayStart) {
      throw new MilterProtocolError(command.type, 'command before negotiation');
    }
    switch (command.type) {
      case 'optneg':
        return this.#onOptneg(command);
      case 'macro':
        return this.#onMacro(command.stage, command.macros);
      case 'connect':
        return this.#onConnect(command);
      case 'helo':
        return this.#onHelo(command.helo);
      case 'mail':
        return this.#onMail(command.sender, command.args);
      case 'rcpt':
        return this.#onRcpt(command.recipient);
      case 'data':
        return this.#continueUnless(PROTO.NR_DATA);
      case 'header':
        return this.#onHeader(command.name, command.value);
      case 'eoh':
        return this.#continueUnless(PROTO.NR_EOH);
      case 'body':
        return this.#onBody(command.chunk);
      case 'eob':
        return this.#onEndOfMessage(command.chunk);
      case 'abort':
        return this.#onAbort();
      case 'quit':
        return this.#onQuit();
      case 'quitNc':
        return this.#onQuitNc();
      case 'unknown':
        return this.#continueUnless(PROTO.NR_UNKN);
    }
  }

  #onOptneg(offer: Extract<MilterCommand, { type: 'optneg' }>): void {
    if (this.#negotiated) {
      this.#log.warn('repeated negotiation, resetting connection state', { phase: 'negotiate' });
      this.#resetConnection();
    }
    const result = negotiate(offer);
    if (!result) {
      this.#log.warn('MTA protocol version too old, closing', {
        phase: 'negotiate',
        version: offer.version,
      });
      this.#shut(false);
      return;
    }
    this.#negotiated = result.granted;
    for (const { feature, effect } of result.degraded) {
      this.#log.warn('MTA did not offer a wanted feature', { phase: 'negotiate', feature, effect });
    }
    this.#log.debug('negotiated', { phase: 'negotiate', ...hexFields(result.granted) });
    this.#send(result.reply);
  }

  #onMacro(stage: string, pairs: readonly MacroPair[]): void {
    if (this.#macros.set(stage, pairs)) this.#refreshQueueId();
    else this.#log.warn('ignoring macros for an unknown stage', { phase: 'macro' });
  }

  #onConnect(command: Extract<MilterCommand, { type: 'connect' }>): Promise<void> | void {
    const { hostname, family, port, address } = command;
    const info: ConnectInfo = { hostname, family, port, address };
    this.#connect = info;
    const hook = this.#handler.onConnect?.bind(this.#handler);
    if (!hook) return this.#send(CONTINUE);
    return this.#stageVerdict('connect', () => hook(info, this.#sessionInfo()));
  }

  #onHelo(helo: string): void {
    this.#helo = helo;
    this.#continueUnless(PROTO.NR_HELO);
  }

  #onMail(sender: string, args: readonly string[]): Promise<void> | void {
    // A new MAIL without ABORT: the old message is over. Keep the MAIL macros just received.
    if (this.#message) this.#endMessage('abort', 'M');
    const message = this.#beginMessage();
    message.sender = stripBrackets(sender);
    message.senderArgs = args;
    const hook = this.#handler.onMail?.bind(this.#handler);
    if (!hook) return this.#continueUnless(PROTO.NR_MAIL);
    const macros = this.#macros.merged();
    const from = message.sender;
    return this.#stageVerdict('mail', () => hook(from, args, macros, this.#sessionInfo()));
  }

  #onRcpt(recipient: string): void {
    this.#currentMessage().recipients.push(stripBrackets(recipient));
    this.#continueUnless(PROTO.NR_RCPT);
  }

  #onHeader(name: string, value: Buffer): void {
    const leadingSpaceKept = this.#granted(PROTO.HDR_LEADSPC);
    this.#currentMessage().addHeader(name, value, leadingSpaceKept);
    this.#continueUnless(PROTO.NR_HDR);
  }

  #onBody(chunk: Buffer): void {
    this.#currentMessage().addBody(chunk);
    this.#continueUnless(PROTO.NR_BODY);
  }

  async #onEndOfMessage(lastChunk: Buffer): Promise<void> {
    const message = this.#currentMessage();
    if (lastChunk.length > 0) message.addBody(lastChunk);
    if (message.spoolSkipped !== null) {
      this.#log.warn('large message kept in memory: no spool file', { phase: 'eom', err: message.spoolSkipped });
    }
    let envelope: MessageEnvelope;
    try {
      envelope = this.#envelope(message);
    } catch (err) {
      if (!(err instanceof SpoolError)) throw err;
      // Part of the message never reached the disk: it cannot be inspected whole, and the MTA
      // still has it, so it is asked to try again later.
      this.#log.error('message lost on its way to the spool, tempfail', { phase: 'eom', err: err.message });
      this.#sendAll(eomReplies(TEMPFAIL_EOM, this.#capabilities(), this.#log));
      this.#endMessage('eom');
      return;
    }
    if (envelope.truncated) {
      this.#log.warn('message over size limit, handler sees it cut', {
        phase: 'eom',
        bodyBytes: message.bodyBytesSeen,
        limit: this.#maxMessageBytes,
      });
    }
    this.#eomPending = true;
    const info = this.#sessionInfo();
    const verdict = await this.#callHandler('eom', TEMPFAIL_EOM, () =>
      this.#handler.onEndOfMessage(envelope, info),
    );
    this.#eomPending = false;
    if (this.#closed) return this.#verdictLost();
    this.#sendAll(eomReplies(verdict, this.#capabilities(), this.#log));
    this.#log.debug('verdict sent', { phase: 'eom', verdict: verdict.kind });
    this.#endMessage('eom');
  }

  /** The connection dropped while the handler worked: the MTA never got our verdict. */
  #verdictLost(): void {
    this.#log.warn('connection closed before the verdict was sent', { phase: 'eom' });
    this.#endMessage('abort');
  }

  #onAbort(): void {
    // Postfix sends ABORT after every message, sometimes twice: resetting must be idempotent.
    this.#endMessage('abort');
  }

  #onQuit(): void {
    this.#log.debug('MTA quit', { phase: 'close' });
    this.#shut(true);
  }

  #onQuitNc(): void {
    this.#log.debug('MTA quit, new negotiation follows', { phase: 'close' });
    this.#resetConnection();
  }

  /** Run a pre-EOM hook and send its one reply. */
  async #stageVerdict(
    phase: 'connect' | 'mail',
    call: () => StageVerdict | Promise<StageVerdict>,
  ): Promise<void> {
    const verdict = await this.#callHandler(phase, TEMPFAIL_STAGE, call);
    if (this.#closed) return;
    this.#send(stageReply(verdict, phase, this.#log));
  }

  /** Call the handler, marking the session busy; failures become `fallback` (a tempfail). */
  async #callHandler<T>(phase: string, fallback: T, call: () => T | Promise<T>): Promise<T> {
    // `p` restarts the MTA's reply timeout; it exists from protocol version 6 on.
    const canProgress = (this.#negotiated?.version ?? 0) >= 6;
    const progress = () => {
      if (!this.#closed) this.#io.write(PROGRESS);
    };
    this.#handlerPending = true;
    try {
      const options = {
        phase,
        fallback,
        log: this.#log,
        progress: canProgress ? progress : null,
        progressIntervalMs: this.#progressIntervalMs,
      };
      return await callHandler(options, call);
    } finally {
      this.#handlerPending = false;
    }
  }

  #beginMessage(): MessageState {
    this.#messageCount += 1;
    this.#message = new MessageState(this.#maxMessageBytes, this.#spool);
    return this.#message;
  }

  /** The message in progress; events without a MAIL first (never from Postfix) start one. */
  #currentMessage(): MessageState {
    return this.#message ?? this.#beginMessage();
  }

  /**
   * End the message: tell the handler when it ended without a verdict, drop message state and
   * message-level macros (except `keepStage`, macros that arrived for the next command).
   */
  #endMessage(reason: 'abort' | 'eom', keepStage?: string): void {
    if (this.#message && reason === 'abort') this.#notifyAbort();
    this.#message?.discard();
    this.#message = null;
    this.#macros.clearMessage(keepStage);
    this.#refreshQueueId();
  }

  #notifyAbort(): void {
    try {
      this.#handler.onAbort?.(this.#sessionInfo());
    } catch (err) {
      this.#log.error('abort hook failed', { phase: 'abort', ...errorFields(err) });
    }
  }

  /** Forget everything but the socket: QUIT_NC, or a second OPTNEG. */
  #resetConnection(): void {
    this.#endMessage('abort');
    this.#negotiated = null;
    this.#connect = null;
    this.#helo = null;
    this.#macros.clear();
    this.#refreshQueueId();
  }

  /** Close: `graceful` null means the transport is already gone. */
  #shut(graceful: boolean | null): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    // With an EOM in flight, `#onEndOfMessage` reports the lost verdict when the handler settles.
    if (!this.#eomPending) this.#endMessage('abort');
    if (graceful !== null) this.#io.close(graceful);
  }

  #fail(err: unknown): void {
    if (err instanceof MilterProtocolError) {
      this.#log.warn('protocol error, closing connection', {
        phase: err.stage,
        reason: err.reason,
      });
    } else {
      this.#log.error('internal error, closing connection', errorFields(err));
    }
    this.#shut(false);
  }

  #envelope(message: MessageState): MessageEnvelope {
    const macros = this.#macros.merged();
    return {
      connect: this.#connect,
      helo: this.#helo,
      sender: message.sender,
      senderArgs: message.senderArgs,
      recipients: [...message.recipients],
      headers: message.headers(),
      macros,
      queueId: this.#qid === NOQUEUE ? null : this.#qid,
      raw: message.content(),
      truncated: message.truncated,
    };
  }

  /** Re-bind the logger's `qid` to the latest valid `i` macro, or NOQUEUE. */
  #refreshQueueId(): void {
    const value = this.#macros.queueIdMacro();
    let qid = NOQUEUE;
    if (isQueueId(value)) qid = value;
    else if (value !== '' && value !== this.#badQueueId) {
      this.#badQueueId = value;
      this.#log.warn('ignoring malformed queue id macro', { phase: 'macro' });
    }
    if (qid === this.#qid) return;
    this.#qid = qid;
    this.#log = this.#connLog.child({ qid });
  }

  #sessionInfo(): SessionInfo {
    const messageNumber = this.#message ? this.#messageCount : this.#messageCount + 1;
    return { connectionId: this.connectionId, messageNumber };
  }

  #capabilities(): ReplyCapabilities {
    return {
      quarantine: this.#grantedAction(ACTION.QUARANTINE),
      addHeaders: this.#grantedAction(ACTION.ADDHDRS),
      changeHeaders: this.#grantedAction(ACTION.CHGHDRS),
      leadingSpace: this.#granted(PROTO.HDR_LEADSPC),
    };
  }

  #granted(protocolBit: number): boolean {
    return ((this.#negotiated?.protocol ?? 0) & protocolBit) !== 0;
  }

  #grantedAction(actionBit: number): boolean {
    return ((this.#negotiated?.actions ?? 0) & actionBit) !== 0;
  }

  /** Reply `c` unless we promised (NR_*) not to answer this event. */
  #continueUnless(noReplyBit: number): void {
    if (!this.#granted(noReplyBit)) this.#send(CONTINUE);
  }

  #send(reply: MilterReply): void {
    if (!this.#closed) this.#io.write(encodeReply(reply));
  }

  #sendAll(replies: readonly MilterReply[]): void {
    if (!this.#closed) this.#io.write(Buffer.concat(replies.map((reply) => encodeReply(reply))));
  }
}

function hexFields(granted: Negotiated): Record<string, string | number> {
  return {
    version: granted.version,
    actions: `0x${granted.actions.toString(16)}`,
    protocol: `0x${granted.protocol.toString(16)}`,
  };
}

