/**
 * Sealing raw copies of held messages: AES-256-GCM from node:crypto.
 *
 * A held message is exactly the mail that carries personal data, so its bytes never reach the
 * database in clear. Each copy gets a fresh random 96-bit nonce; the message id is bound in as
 * associated data, so a sealed copy moved onto another message's row fails to open instead of
 * showing the wrong mail. A key fingerprint stored beside the copy tells "wrong key" (hosts
 * configured with different keys) apart from "altered bytes".
 *
 * XXX: random 96-bit nonces are safe for about 2^32 seals under one key (NIST SP 800-38D): at
 * ten thousand held messages a day, over a thousand years. Replacing a copy seals it again, so
 * the count is of saves, not messages; key rotation is not implemented yet.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { StoreError } from './errors.js';

/** Names this sealing format in the `scheme` column. */
export const RAW_COPY_SCHEME = 'aes-256-gcm/v1';

export const STORE_KEY_BYTES = 32;
/** GCM's native nonce size; other sizes are hashed into one and gain nothing. */
const NONCE_BYTES = 12;
/** Full-length tag: shorter tags weaken forgery resistance for no real saving. */
const TAG_BYTES = 16;

export interface SealedCopy {
  scheme: string;
  keyId: string;
  nonce: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * A short public name for a key: the first 64 bits of an HMAC under it. It identifies the key
 * in rows and error messages without revealing anything usable about it.
 */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('outguard store key id').digest('hex').slice(0, 16);
}

function associatedData(messageId: string): Buffer {
  return Buffer.from(`outguard raw copy\0${messageId}`, 'utf8');
}

export function sealRawCopy(key: Buffer, messageId: string, clear: Buffer): SealedCopy {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(messageId));
  const body = cipher.update(clear);
  const tail = cipher.final();
  // GCM is a stream mode: final() gives nothing more, and a concat would copy a held mail whole.
  const ciphertext = tail.length === 0 ? body : Buffer.concat([body, tail]);
  return {
    scheme: RAW_COPY_SCHEME,
    keyId: keyFingerprint(key),
    nonce,
    tag: cipher.getAuthTag(),
    ciphertext,
  };
}

/** Decrypts and authenticates a sealed copy; throws a StoreError on any mismatch. */
export function openRawCopy(key: Buffer, messageId: string, sealed: SealedCopy): Buffer {
  if (sealed.scheme !== RAW_COPY_SCHEME) {
    throw new StoreError('raw-copy-corrupt', `raw copy of ${messageId}: unknown scheme`);
  }
  const keyId = keyFingerprint(key);
  if (sealed.keyId !== keyId) {
    throw new StoreError(
      'store-key-mismatch',
      `raw copy of ${messageId} was sealed with key ${sealed.keyId}, this host has ${keyId}; ` +
        'set the same OUTGUARD_STORE_KEY on every host sharing the database',
    );
  }
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new StoreError('raw-copy-corrupt', `raw copy of ${messageId}: bad nonce or tag length`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(messageId));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (err) {
    throw new StoreError('raw-copy-corrupt', `raw copy of ${messageId} failed authentication`, {
      cause: err,
    });
  }
}
