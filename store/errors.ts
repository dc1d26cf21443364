/**
 * The store's one error type. Callers branch on `code`, never on the message text.
 *
 * Database driver errors that are not one of these (connection lost, disk full) pass through
 * unchanged: they are faults of the environment, and the caller's failure policy applies.
 */

export type StoreErrorCode =
  /** OUTGUARD_STORE_KEY or the key file is not a 256-bit key. */
  | 'bad-store-key'
  /** A raw copy was sealed with another key: hosts sharing a database disagree on the key. */
  | 'store-key-mismatch'
  /** A raw copy failed authentication: its bytes were altered or truncated. */
  | 'raw-copy-corrupt'
  /** The call names a message the store does not hold. */
  | 'unknown-message'
  /** A record with this id already exists. */
  | 'duplicate-message'
  /** The record handed in breaks the store's contract (bad state, size, date, id). */
  | 'bad-record'
  /** A row read back does not parse: the database was edited by hand or is damaged. */
  | 'corrupt-row'
  /** The state kept changing under a transition; see `MAX_TRANSITION_ATTEMPTS`. */
  | 'transition-contended'
  /** The store was closed. */
  | 'closed';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a primary-key or unique violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // better-sqlite3 reports SQLite's extended result code; pg reports the SQLSTATE.
  return (
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === '23505'
  );
}

/** True for a foreign-key violation on either dialect. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
