/**
 * Public types of the milter protocol layer.
 *
 * This layer turns bytes from the MTA into typed events and a handler's answers back into reply
 * packets. It knows nothing of policies, detectors or the store: `engine/` plugs a handler in.
 */
import type { RawMessage } from './spool.js';

export interface MilterHeader {
  readonly name: string;
  /**
   * Value as the MTA sent it. We negotiate SMFIP_HDR_LEADSPC when offered, so the leading space
   * after the colon is kept; folded values carry a bare LF between lines (Postfix behaviour).
   * When the MTA did not grant HDR_LEADSPC the session puts the stripped space back, so values
   * look the same either way. Bytes that are not valid UTF-8 (raw EUC-KR) are kept one byte per
   * character: `Buffer.from(value, 'latin1')` returns them.
   */
  readonly value: string;
}

export type ConnectFamily = 'inet' | 'inet6' | 'unix' | 'unknown';

export interface ConnectInfo {
  /** Verified client host name, or `[address]` when Postfix could not verify one. */
  readonly hostname: string;
  readonly family: ConnectFamily;
  readonly port: number | null;
  readonly address: string | null;
}

/** Everything the MTA told us about one message, handed to the end-of-message handler. */
export interface MessageEnvelope {
  readonly connect: ConnectInfo | null;
  readonly helo: string | null;
  /** Envelope sender without angle brackets; empty string for the null sender. */
  readonly sender: string | null;
  readonly senderArgs: readonly string[];
  /** Envelope recipients without angle brackets, in the order the MTA sent them. */
  readonly recipients: readonly string[];
  readonly headers: readonly MilterHeader[];
  /**
   * Macros in force at end of message: connection-level ones merged with this message's, later
   * stages winning. Names as sent, e.g. `i`, `{auth_authen}`, `{daemon_name}`.
   */
  readonly macros: Readonly<Record<string, string>>;
  /** Postfix queue id (macro `i`), or null when the MTA did not send it. */
  readonly queueId: string | null;
  /**
   * The message as the MTA holds it: header lines rebuilt with CRLF, blank line, raw body. In
   * memory, or, when large and the server has a spool folder, a file that exists until the
   * handler's promise settles (milter/spool.ts).
   */
  readonly raw: RawMessage;
  /** True when the body exceeded the session's byte limit and `raw` was cut there. */
  readonly truncated: boolean;
}

/**
 * A header edit sent before the final verdict. `value` is given without the space after the
 * colon (the session adds it as the negotiated mode requires); line breaks become LF folds.
 */
export type HeaderEdit =
  | { readonly op: 'add'; readonly name: string; readonly value: string }
  /** `index` is 0-based over all headers as delivered (Postfix counts its hidden Received). */
  | { readonly op: 'insert'; readonly index: number; readonly name: string; readonly value: string }
  /** `index` is 1-based among headers of that name; an empty value deletes the header. */
  | { readonly op: 'change'; readonly index: number; readonly name: string; readonly value: string };

/**
 * The final answer at end of message. `quarantine` is a hold: the MTA keeps the message in its
 * hold queue and the reason (ASCII, at most 100 bytes) goes to its log.
 */
export type EomVerdict =
  | { readonly kind: 'accept'; readonly headers?: readonly HeaderEdit[] }
  | { readonly kind: 'quarantine'; readonly reason: string; readonly headers?: readonly HeaderEdit[] }
  | { readonly kind: 'reject'; readonly reply?: SmtpReply }
  | { readonly kind: 'tempfail'; readonly reply?: SmtpReply }
  | { readonly kind: 'discard' };

/** A full SMTP reply: `550`, `5.7.1`, text. The text may hold several lines (joined by CRLF). */
export interface SmtpReply {
  readonly code: number;
  readonly enhanced: string;
  readonly text: string;
}

/**
 * Answers allowed before end of message. `accept` at connect or HELO accepts the whole
 * connection; at MAIL, RCPT, DATA, headers or body it accepts this message without further
 * inspection.
 */
export type StageVerdict =
  | { readonly kind: 'continue' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly reply?: SmtpReply }
  | { readonly kind: 'tempfail'; readonly reply?: SmtpReply }
  | { readonly kind: 'discard' };

/** Per-message context handed to the handler, for logging. */
export interface SessionInfo {
  /** Connection serial number within this server process. */
  readonly connectionId: number;
  /** Message serial number within this connection, from 1. */
  readonly messageNumber: number;
}

/**
 * What the milter server calls. Only `onEndOfMessage` is required; the others default to
 * `continue`. Exceptions and rejected promises become a tempfail for the message, never a crash.
 */
export interface MilterHandler {
  onConnect?(info: ConnectInfo, session: SessionInfo): StageVerdict | Promise<StageVerdict>;
  onMail?(
    sender: string,
    args: readonly string[],
    macros: Readonly<Record<string, string>>,
    session: SessionInfo,
  ): StageVerdict | Promise<StageVerdict>;
  onEndOfMessage(envelope: MessageEnvelope, session: SessionInfo): Promise<EomVerdict>;
  /** Called when the MTA aborts a message, or the connection drops before EOM. */
  onAbort?(session: SessionInfo): void;
}
