/**
 * Raw copies of held messages: the bytes Postfix holds, kept so the message can be shown and
 * re-injected even if the Postfix host is lost. Sealed before writing and opened after reading
 * (`crypto.ts`); the table never sees clear bytes.
 */
import type { Kysely } from 'kysely';
import { openRawCopy, sealRawCopy } from './crypto.js';
import { isForeignKeyViolation, StoreError } from './errors.js';
import type { Database } from './schema.js';

/**
 * Largest copy kept. PostgreSQL caps one field at 1 GiB, and the whole copy is in memory three
 * times while it is sealed and sent; 512 MiB is eight times the default milter size limit.
 */
export const MAX_RAW_COPY_BYTES = 512 * 1024 * 1024;

/** Throws when a copy of `size` bytes is more than the store keeps (callers check before reading). */
export function checkRawCopySize(id: string, size: number): void {
  if (size > MAX_RAW_COPY_BYTES) {
    throw new StoreError('bad-record', `raw copy of ${id} is over ${MAX_RAW_COPY_BYTES} bytes`);
  }
}

export async function putRawCopy(
  db: Kysely<Database>,
  key: Buffer,
  id: string,
  raw: Buffer,
  now: Date,
): Promise<void> {
  checkRawCopySize(id, raw.length);
  const sealed = sealRawCopy(key, id, raw);
  const row = {
    scheme: sealed.scheme,
    key_id: sealed.keyId,
    nonce: sealed.nonce,
    tag: sealed.tag,
    ciphertext: sealed.ciphertext,
    size: raw.length,
    created_at: now.toISOString(),
  };
  try {
    await db
      .insertInto('raw_copies')
      .values({ message_id: id, ...row })
      .onConflict((oc) => oc.column('message_id').doUpdateSet(row))
      .execute();
  } catch (err) {
    if (isForeignKeyViolation(err)) {
      throw new StoreError('unknown-message', `no message ${id} to keep a raw copy of`, {
        cause: err,
      });
    }
    throw err;
  }
}

export async function fetchRawCopy(
  db: Kysely<Database>,
  key: Buffer,
  id: string,
): Promise<Buffer | null> {
  const row = await db
    .selectFrom('raw_copies')
    .select(['scheme', 'key_id', 'nonce', 'tag', 'ciphertext', 'size'])
    .where('message_id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const clear = openRawCopy(key, id, {
    scheme: row.scheme,
    keyId: row.key_id,
    nonce: row.nonce,
    tag: row.tag,
    ciphertext: row.ciphertext,
  });
  if (clear.length !== row.size) {
    throw new StoreError('raw-copy-corrupt', `raw copy of ${id} has the wrong size`);
  }
  return clear;
}

export async function removeRawCopy(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('raw_copies').where('message_id', '=', id).execute();
}
