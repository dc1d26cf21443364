/**
 * One SQLite connection per database file per process, shared by every store opened on it.
 *
 * Why: better-sqlite3 is synchronous, and a connection that meets another's write lock waits
 * for it inside that synchronous call (busy_timeout), blocking the event loop. If the lock is
 * held by a second connection in the same process, that connection can only finish its
 * transaction once the event loop runs again, so the wait always ends in SQLITE_BUSY. Sharing
 * one connection makes Kysely's per-connection queue serialise the two stores instead. Other
 * processes (the CLI beside the service) are unaffected: their waits block only themselves.
 */
import { open, realpath } from 'node:fs/promises';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

/**
 * How long a writer waits for another process's write lock before failing with SQLITE_BUSY.
 * Writes here are single short transactions, so the wait is almost always brief.
 * XXX: the wait blocks this whole process (see the header); a foreign process must never hold
 * a write transaction open across user interaction.
 */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Owner only: even masked, the records name senders and recipients. */
const DB_FILE_MODE = 0o600;

interface Shared {
  db: Kysely<Database>;
  users: number;
}

const byFile = new Map<string, Shared>();

export interface SqliteHandle {
  readonly db: Kysely<Database>;
  /** Closes the connection when the last store using it lets go. Call once. */
  release(): Promise<void>;
}

export async function acquireSqlite(file: string): Promise<SqliteHandle> {
  // Create the file ourselves so it starts 0600; SQLite gives -wal and -shm the same mode.
  await (await open(file, 'a', DB_FILE_MODE)).close();
  const key = await realpath(file);
  // No await between the look-up and the insert, so two concurrent opens cannot both create.
  let shared = byFile.get(key);
  if (!shared) {
    shared = { db: connect(key), users: 0 };
    byFile.set(key, shared);
  }
  shared.users += 1;
  const entry = shared;
  return {
    db: entry.db,
    async release() {
      entry.users -= 1;
      if (entry.users > 0) return;
      byFile.delete(key);
      await entry.db.destroy();
    },
  };
}

function connect(file: string): Kysely<Database> {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // SQLite leaves foreign keys off per connection unless asked; the cascades rely on them.
  sqlite.pragma('foreign_keys = ON');
  // In WAL mode NORMAL may lose the last commits on power loss. A held message whose record is
  // lost would sit in Postfix's hold queue unknown to the approval service, so pay the fsync.
  sqlite.pragma('synchronous = FULL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
