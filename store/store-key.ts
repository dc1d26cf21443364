/**
 * The store key: the 256-bit AES key that seals raw copies of held messages.
 *
 * Where it comes from, first match wins:
 * 1. `OUTGUARD_STORE_KEY`: 64 hex characters.
 * 2. The key file, `<dataDir>/store.key` unless `keyFile` says otherwise: 32 raw bytes, or the
 *    same 64 hex characters (with an optional newline) so one value can serve both ways.
 * 3. Neither: a key file is created with 32 random bytes, mode 0600.
 *
 * Several hosts sharing one PostgreSQL database must share the key too: set
 * `OUTGUARD_STORE_KEY` to the same value on every host (or copy one key file to all). A host
 * with another key can still record and list messages, but opening a raw copy sealed elsewhere
 * fails with `store-key-mismatch`. Losing the key loses every raw copy; back it up with the
 * database, and keep it off the database host's backups if those are less protected.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log/logger.js';
import { STORE_KEY_BYTES } from './crypto.js';
import { StoreError } from './errors.js';

export const STORE_KEY_ENV = 'OUTGUARD_STORE_KEY';
export const STORE_KEY_FILE = 'store.key';

/** Owner read/write only: the key is as sensitive as the mail it protects. */
const KEY_FILE_MODE = 0o600;
/** Owner only, for folders this module creates. */
const KEY_DIR_MODE = 0o700;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

export interface StoreKey {
  key: Buffer;
  /** Where the key came from, for the open log line; never the key itself. */
  source: 'env' | 'file' | 'created';
  /** The key file, when the key came from one. */
  file: string | null;
}

export interface LoadKeyOptions {
  dataDir: string;
  keyFile?: string;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}

export async function loadStoreKey(options: LoadKeyOptions): Promise<StoreKey> {
  const fromEnv = options.env[STORE_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!HEX_KEY.test(fromEnv.trim())) {
      throw new StoreError('bad-store-key', `${STORE_KEY_ENV} must be 64 hex characters`);
    }
    return { key: Buffer.from(fromEnv.trim(), 'hex'), source: 'env', file: null };
  }
  const file = path.resolve(options.keyFile ?? path.join(options.dataDir, STORE_KEY_FILE));
  const existing = await readKeyFile(file, options.logger);
  if (existing) return { key: existing, source: 'file', file };
  const written = await createKeyFile(file);
  // Another process may have created the file first; its key is the one in force.
  const key = await mustReadKeyFile(file);
  return { key, source: key.equals(written) ? 'created' : 'file', file };
}

/** The key in `file`, or null when there is no such file. */
async function readKeyFile(file: string, logger: Logger): Promise<Buffer | null> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    logger.warn('store key file is readable by other users', {
      file,
      mode: (mode & 0o777).toString(8),
    });
  }
  return parseKeyFile(file, content);
}

async function mustReadKeyFile(file: string): Promise<Buffer> {
  return parseKeyFile(file, await readFile(file));
}

function parseKeyFile(file: string, content: Buffer): Buffer {
  if (content.length === STORE_KEY_BYTES) return content;
  const text = content.toString('latin1').trim();
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  throw new StoreError(
    'bad-store-key',
    `store key file ${file} must hold ${STORE_KEY_BYTES} bytes or 64 hex characters`,
  );
}

/**
 * Writes a new random key to `file`. The key goes to a private temporary file first and is then
 * hard-linked into place: the link either creates the name with complete content or fails with
 * EEXIST, so two processes starting together never see a half-written key, and the loser adopts
 * the winner's key. Returns the key this process wrote (the caller re-reads to see who won).
 */
async function createKeyFile(file: string): Promise<Buffer> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: KEY_DIR_MODE });
  const key = randomBytes(STORE_KEY_BYTES);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL;
  const handle = await open(temp, flags, KEY_FILE_MODE);
  try {
    await handle.writeFile(key);
    await handle.chmod(KEY_FILE_MODE); // the umask cannot widen it, but make the intent explicit
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp);
  }
  await syncDir(dir);
  return key;
}

/** Makes the new directory entry durable, so a crash cannot leave data sealed by a lost key. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
