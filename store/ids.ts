/**
 * Our identifiers: ULIDs, so ids sort by creation time and need no database sequence (which
 * SQLite and PostgreSQL spell differently).
 *
 * The monotonic factory matters: two ids made in the same millisecond still sort in the order
 * they were made, which keeps "newest first" and the audit trail in order within one process.
 */
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Crockford base 32, 26 characters, first character at most 7 (48-bit time). */
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** A fresh id for a message record. */
export function newMessageId(): string {
  return nextUlid();
}

/** A fresh id for an audit event. */
export function newEventId(): string {
  return nextUlid();
}

/** True when `text` has the shape of one of our ids. */
export function isUlid(text: string): boolean {
  return ULID_PATTERN.test(text);
}
