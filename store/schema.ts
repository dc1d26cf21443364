/**
 * The tables as Kysely sees them. The same layout and the same queries serve SQLite and
 * PostgreSQL; only the binary column type differs (blob / bytea, see `migrations.ts`).
 *
 * Choices that keep the two dialects identical:
 * - Times are ISO-8601 UTC text from `Date.toISOString()` (`2026-05-01T09:30:00.000Z`). The
 *   format has a fixed width, so comparing and sorting the text is comparing the times, and a
 *   row reads the same in `sqlite3` and `psql`. Epoch milliseconds would need a bigint, which
 *   `pg` hands back as a string.
 * - Lists inside a message (recipients, attachment names, problems) are JSON text: they are
 *   shown, never searched. Findings get their own table so they can be counted by type.
 * - No auto-increment column: ids are ULIDs and findings are keyed by (message, position).
 */
/** ISO-8601 UTC text; see the header. */
type IsoTime = string;

export interface MessagesTable {
  id: string;
  queue_id: string | null;
  client_address: string | null;
  client_name: string | null;
  helo: string | null;
  sender: string;
  /** JSON array of strings. */
  recipients: string;
  message_id: string | null;
  /** Masked by the caller before it gets here. */
  subject: string;
  size: number;
  /** JSON array of strings. */
  attachment_names: string;
  action: string;
  rule_id: string | null;
  reason: string;
  state: string;
  /** JSON array of {code, location, detail}. */
  problems: string;
  received_at: IsoTime;
  updated_at: IsoTime;
}

export interface FindingsTable {
  message_id: string;
  /** Position of the finding in the record's list, from 0. */
  seq: number;
  type: string;
  masked: string;
  location: string;
  confidence: string;
  // `start` and `end` are SQL keywords; the span columns avoid quoting trouble in hand queries.
  span_start: number;
  span_end: number;
  /** Dictionary or pattern name of a `keyword` or `pattern` finding; null for other types. */
  label: string | null;
}

export interface MessageEventsTable {
  id: string;
  message_id: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  reason: string | null;
  at: IsoTime;
}

/** Raw bytes of a held message, sealed with AES-256-GCM (see `crypto.ts`). */
export interface RawCopiesTable {
  message_id: string;
  /** Names the sealing scheme, so a later scheme can live beside this one. */
  scheme: string;
  /** Fingerprint of the key that sealed the copy; not the key. */
  key_id: string;
  nonce: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  /** Size of the clear bytes. */
  size: number;
  /** When this copy was written (replacing a copy renews it). */
  created_at: IsoTime;
}

export interface Database {
  messages: MessagesTable;
  findings: FindingsTable;
  message_events: MessageEventsTable;
  raw_copies: RawCopiesTable;
}
