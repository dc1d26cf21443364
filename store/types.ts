/**
 * Public types of the store: what is kept about every message Outguard sees, and the calls the
 * engine, the approval service and the admin make on it.
 *
 * Privacy invariant: nothing that reaches the store carries a personal-data value in clear. The
 * caller masks the subject and the findings before recording; the raw copy of a held message is
 * encrypted here before it is written (see `crypto.ts`).
 */
import type { Logger } from '../log/logger.js';

/** Where a message stands. Only `held` is expected to change later (approval, expiry). */
export type MessageState =
  | 'accepted'
  | 'held'
  | 'released'
  | 'discarded'
  | 'rejected'
  | 'monitored'
  | 'tempfailed';

export const MESSAGE_STATES: readonly MessageState[] = [
  'accepted',
  'held',
  'released',
  'discarded',
  'rejected',
  'monitored',
  'tempfailed',
];

/** What the policy decided at end of message. */
export type MessageAction = 'accept' | 'monitor' | 'hold' | 'block' | 'tempfail';

export const MESSAGE_ACTIONS: readonly MessageAction[] = [
  'accept',
  'monitor',
  'hold',
  'block',
  'tempfail',
];

/** One finding as stored: its masked form only, never the clear value. */
export interface StoredFinding {
  type: string;
  /** The value as it may be shown, e.g. `900101-1******`. */
  masked: string;
  /** Where in the message: `subject`, `body`, `attachment:NAME`. */
  location: string;
  confidence: string;
  /** UTF-16 offsets within the scanned segment, `end` exclusive. */
  start: number;
  end: number;
  /** Dictionary or pattern name, for `keyword` and `pattern` findings only; absent otherwise. */
  label?: string;
}

/** A part of the message that was not inspected, and why (see `content/types.ts`). */
export interface StoredProblem {
  code: string;
  location: string;
  detail: string;
}

export interface NewMessageRecord {
  /** Our id: a ULID from `newMessageId()`. */
  id: string;
  /** Postfix queue id (macro `i`); null when the MTA sent none. */
  queueId: string | null;
  clientAddress: string | null;
  clientName: string | null;
  helo: string | null;
  /** Envelope sender; empty string for the null sender. */
  sender: string;
  recipients: string[];
  messageId: string | null;
  /** The subject with every finding masked. The store does not mask it again. */
  subject: string;
  /** Message size in bytes, at most `MAX_STORED_INTEGER` (2 GiB - 1). */
  size: number;
  attachmentNames: string[];
  action: MessageAction;
  ruleId: string | null;
  reason: string;
  state: MessageState;
  findings: StoredFinding[];
  problems: StoredProblem[];
  receivedAt: Date;
}

export interface MessageRecord extends NewMessageRecord {
  /** When the state last changed (the record time until the first transition). */
  updatedAt: Date;
}

/** One row of the audit trail: a state change, who made it and why. */
export interface MessageEvent {
  /** A ULID; orders events recorded in the same millisecond. */
  id: string;
  /** Our message id. */
  messageId: string;
  /** Null for the event written when the message was first recorded. */
  from: MessageState | null;
  to: MessageState;
  actor: string;
  reason: string | null;
  at: Date;
}

export interface ListFilter {
  state?: MessageState;
  /** At most this many records; default `DEFAULT_LIST_LIMIT`, capped at `MAX_LIST_LIMIT`. */
  limit?: number;
  /** Only messages received at or after this time. */
  since?: Date;
}

export interface TransitionNote {
  /** Who decided: an admin's login, `outguard` for automatic decisions, `cli`. */
  actor: string;
  reason?: string;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Writes the message, its findings and its first audit event in one transaction. */
  recordMessage(rec: NewMessageRecord): Promise<void>;
  /** By our id, else by Postfix queue id (the newest message with that id, as ids get reused). */
  getMessage(idOrQueueId: string): Promise<MessageRecord | null>;
  /** Newest first. */
  listMessages(filter?: ListFilter): Promise<MessageRecord[]>;
  /**
   * Moves a message to `to` if its state is one of `from`, as an atomic compare-and-set, and
   * appends an audit event. Resolves false when the message is missing or in another state, so
   * of two concurrent callers exactly one wins.
   */
  transition(
    id: string,
    from: MessageState[],
    to: MessageState,
    note?: TransitionNote,
  ): Promise<boolean>;
  /** The audit trail of one message, oldest first. */
  events(id: string): Promise<MessageEvent[]>;
  /** Stores (or replaces) the encrypted copy of a recorded message's raw bytes. */
  saveRawCopy(id: string, raw: Buffer): Promise<void>;
  /** The decrypted copy, or null when none is kept. Throws a StoreError if it was altered. */
  getRawCopy(id: string): Promise<Buffer | null>;
  deleteRawCopy(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Folder for `outguard.sqlite` and `store.key`; created with mode 0700 when needed. */
  dataDir: string;
  /** `postgres://…`: use PostgreSQL instead of SQLite. Honours `?options=-c search_path=…`. */
  databaseUrl?: string;
  logger?: Logger;
  /** Key file for raw copies; default `<dataDir>/store.key`. Ignored when the env key is set. */
  keyFile?: string;
  /** Where `OUTGUARD_STORE_KEY` is read from; default `process.env` (tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
}
