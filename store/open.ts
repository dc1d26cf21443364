/**
 * Opening the store: SQLite in the data folder by default, PostgreSQL when a database URL is
 * given. Either way the schema is migrated and the store key loaded before `openStore` resolves,
 * so a bad key or an unreachable database stops the service at start, not at the first held
 * message.
 *
 * SQLite file layout: `<dataDir>/outguard.sqlite` (+ `-wal`, `-shm`), `<dataDir>/store.key`.
 * The folder is created 0700 and the database file 0600: even masked, the records name senders
 * and recipients. Stores opened on the same file within one process share one connection
 * (`sqlite-handles.ts`).
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { nullLogger, type Logger } from '../log/logger.js';
import { keyFingerprint } from './crypto.js';
import { StoreError } from './errors.js';
import {
  findMessage,
  findMessages,
  insertMessage,
  listEvents,
  SYSTEM_ACTOR,
  transitionMessage,
} from './messages.js';
import { migrateToLatest, type StoreDialect } from './migrations.js';
import { fetchRawCopy, putRawCopy, removeRawCopy } from './raw-copy.js';
import type { Database } from './schema.js';
import { acquireSqlite } from './sqlite-handles.js';
import { loadStoreKey, STORE_KEY_ENV } from './store-key.js';
import type { Store, StoreOptions } from './types.js';

export const SQLITE_FILE = 'outguard.sqlite';

/** Connections per process. Writes are short; this covers the milter's concurrent messages. */
const PG_POOL_MAX = 10;

/** Owner only: records name senders and recipients even though values are masked. */
const DATA_DIR_MODE = 0o700;

export async function openStore(options: StoreOptions): Promise<Store> {
  const logger = options.logger ?? nullLogger();
  const dialect: StoreDialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const dataDir = path.resolve(options.dataDir);
  if (dialect === 'sqlite') await ensureDataDir(dataDir, logger);

  const storeKey = await loadStoreKey({
    dataDir,
    ...(options.keyFile !== undefined ? { keyFile: options.keyFile } : {}),
    env: options.env ?? process.env,
    logger,
  });
  const keyId = keyFingerprint(storeKey.key);
  if (dialect === 'postgres' && storeKey.source !== 'env') {
    logger.warn('store key read from a file; hosts sharing the database need the same key', {
      file: storeKey.file,
      keyId,
      hint: `set ${STORE_KEY_ENV} identically on every host`,
    });
  }

  const { db, release } =
    dialect === 'postgres'
      ? openPostgres(options.databaseUrl as string, logger)
      : await acquireSqlite(path.join(dataDir, SQLITE_FILE));
  let migrated: string[];
  try {
    migrated = await migrateToLatest(db, dialect);
  } catch (err) {
    await release();
    throw err;
  }
  const location =
    dialect === 'postgres'
      ? describeUrl(options.databaseUrl as string)
      : path.join(dataDir, SQLITE_FILE);
  logger.info('store opened', {
    dialect,
    location,
    keyId,
    keySource: storeKey.source,
    migrated,
  });
  return createStore(db, release, dialect, storeKey.key);
}

function createStore(
  db: Kysely<Database>,
  release: () => Promise<void>,
  dialect: StoreDialect,
  key: Buffer,
): Store {
  let closed: Promise<void> | null = null;
  // Stores can share a SQLite connection, so a closed one must refuse rather than keep working.
  const live = (): Kysely<Database> => {
    if (closed) throw new StoreError('closed', 'the store is closed');
    return db;
  };
  return {
    dialect,
    recordMessage: async (rec) => insertMessage(live(), rec, new Date()),
    getMessage: async (idOrQueueId) => findMessage(live(), idOrQueueId),
    listMessages: async (filter = {}) => findMessages(live(), filter),
    transition: async (id, from, to, note = { actor: SYSTEM_ACTOR }) =>
      transitionMessage(live(), id, from, to, note, new Date()),
    events: async (id) => listEvents(live(), id),
    saveRawCopy: async (id, raw) => putRawCopy(live(), key, id, raw, new Date()),
    getRawCopy: async (id) => fetchRawCopy(live(), key, id),
    deleteRawCopy: async (id) => removeRawCopy(live(), id),
    close: () => (closed ??= release()),
  };
}

async function ensureDataDir(dir: string, logger: Logger): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DATA_DIR_MODE });
  const { mode } = await stat(dir);
  if ((mode & 0o077) !== 0) {
    logger.warn('data folder is open to other users', { dir, mode: (mode & 0o777).toString(8) });
  }
}

function openPostgres(
  databaseUrl: string,
  logger: Logger,
): { db: Kysely<Database>; release: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: PG_POOL_MAX });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would end
  // the process. The pool drops the client and the next query opens a fresh one.
  pool.on('error', (err) => {
    logger.error('store database connection lost', { err: err.message });
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, release: () => db.destroy() };
}

/** Host, port and database of a URL, without the user or password, for the log. */
function describeUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'local socket'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'postgres';
  }
}
