/**
 * Encrypted and signed mail content: PGP (ASCII-armoured or binary) and S/MIME (CMS in DER or
 * BER). Encrypted content cannot be inspected, so it must come out as an `encrypted` problem the
 * policy holds on; a detached signature carries no message content at all, so it must come out
 * as nothing, or every signed mail would be held as `unsupported-format`.
 *
 * A file is skipped as a signature only when it parses whole as one (every CMS length, every
 * OpenPGP packet, the whole armour): a skipped file is never read, so a signature head glued to
 * a zip or a list must be read as the zip or list it carries. The other checks read a bounded
 * head of the file, except the armour search, a plain byte search (armour may follow a quoted
 * reply or a note in the same file).
 */
import { Buffer } from 'node:buffer';

/** What a file is to the crypto checks: something to hold, something to skip, or neither. */
export type CryptoVerdict =
  /** `readRest`: the file may hold readable text beside the encrypted block (armour in a note). */
  | { readonly kind: 'encrypted'; readonly detail: string; readonly readRest: boolean }
  | { readonly kind: 'signature' }
  | null;

export const PGP_MESSAGE_ARMOR = '-----BEGIN PGP MESSAGE-----';
const PGP_MESSAGE_BYTES = Buffer.from(PGP_MESSAGE_ARMOR, 'latin1');

/** CMS content types (RFC 5652, RFC 5083): 1.2.840.113549.1.7.{2,3}, 1.2.840.113549.1.9.16.1.23. */
const OID_SIGNED_DATA = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
const OID_ENVELOPED_DATA = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]);
const OID_AUTH_ENVELOPED_DATA = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17]);

const SMIME_TYPES = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);
const SIGNATURE_TYPES = new Set([
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'application/pgp-signature',
]);
/** The control part of PGP/MIME (RFC 3156): its presence means the sibling part is encrypted. */
const PGP_ENCRYPTED_TYPE = 'application/pgp-encrypted';

/** Deepest BER nesting followed when skipping an indefinite-length element. */
const MAX_BER_DEPTH = 32;

/** True when the text holds an ASCII-armoured OpenPGP message. */
export function hasPgpArmor(text: string): boolean {
  return text.includes(PGP_MESSAGE_ARMOR);
}

interface Tlv {
  readonly tag: number;
  /** Offset of the content. */
  readonly start: number;
  /** Offset just past the element (past the end-of-contents octets when indefinite). */
  readonly end: number;
  /** Offset just past the content: `end`, or `end - 2` when the length was indefinite. */
  readonly contentEnd: number;
}

/**
 * The BER element at `pos` (single-byte tags only, which is all CMS uses at these levels), or
 * null when the bytes do not hold a whole one.
 */
function readTlv(bytes: Buffer, pos: number, depth = 0): Tlv | null {
  if (depth > MAX_BER_DEPTH || pos + 2 > bytes.length) return null;
  const tag = bytes[pos] as number;
  if ((tag & 0x1f) === 0x1f) return null;
  const first = bytes[pos + 1] as number;
  let start = pos + 2;
  if (first === 0x80) {
    // Indefinite length: children up to the end-of-contents octets 00 00.
    if ((tag & 0x20) === 0) return null;
    let at = start;
    while (at + 2 <= bytes.length) {
      if (bytes[at] === 0 && bytes[at + 1] === 0) return { tag, start, end: at + 2, contentEnd: at };
      const child = readTlv(bytes, at, depth + 1);
      if (child === null) return null;
      at = child.end;
    }
    return null;
  }
  let length = first;
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4 || start + count > bytes.length) return null;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[start + i] as number);
    start += count;
  }
  const end = start + length;
  return end <= bytes.length ? { tag, start, end, contentEnd: end } : null;
}

/** The ContentInfo content type at the head of the bytes (`30 len 06 len OID`), or null. */
function cmsContentType(bytes: Buffer): Buffer | null {
  if (bytes[0] !== 0x30) return null;
  const lengthByte = bytes[1] ?? 0;
  const lengthBytes = lengthByte === 0x80 ? 0 : lengthByte > 0x80 ? lengthByte & 0x7f : 0;
  if (lengthBytes > 4) return null;
  const oidAt = 2 + lengthBytes;
  if (bytes[oidAt] !== 0x06) return null;
  const oidLength = bytes[oidAt + 1] ?? 0;
  if (oidLength === 0 || oidLength > 16) return null;
  return bytes.subarray(oidAt + 2, oidAt + 2 + oidLength);
}

/**
 * Whether every constructed element from `start` to `end` holds exactly its children, down to
 * the primitive ones: BER lengths consistent to the last byte.
 */
function berConsistent(bytes: Buffer, start: number, end: number, depth: number): boolean {
  if (depth > MAX_BER_DEPTH) return false;
  let at = start;
  while (at < end) {
    const element = readTlv(bytes, at);
    if (element === null || element.end > end) return false;
    if ((element.tag & 0x20) !== 0 && !berConsistent(bytes, element.start, element.contentEnd, depth + 1)) return false;
    at = element.end;
  }
  return at === end;
}

/**
 * A detached CMS signature and nothing else: one ContentInfo spanning exactly the bytes, every
 * length consistent, of type SignedData whose fields are version, digest algorithms,
 * encapContentInfo with no eContent, optional certificates and CRLs, and signer infos.
 */
function isCmsDetachedSignature(bytes: Buffer): boolean {
  const info = readTlv(bytes, 0);
  if (info === null || info.tag !== 0x30 || info.end !== bytes.length) return false;
  if (!berConsistent(bytes, 0, bytes.length, 0)) return false;
  const oid = readTlv(bytes, info.start);
  if (oid === null || oid.tag !== 0x06 || !bytes.subarray(oid.start, oid.end).equals(OID_SIGNED_DATA)) return false;
  const explicit = readTlv(bytes, oid.end);
  if (explicit === null || explicit.tag !== 0xa0 || explicit.end !== info.contentEnd) return false;
  const signedData = readTlv(bytes, explicit.start);
  if (signedData === null || signedData.tag !== 0x30 || signedData.end !== explicit.contentEnd) return false;
  const fields: Tlv[] = [];
  for (let at = signedData.start; at < signedData.contentEnd; ) {
    const field = readTlv(bytes, at);
    if (field === null) return false;
    fields.push(field);
    at = field.end;
  }
  const [version, digests, encap, ...rest] = fields;
  if (version?.tag !== 0x02 || digests?.tag !== 0x31 || encap?.tag !== 0x30) return false;
  const encapType = readTlv(bytes, encap.start);
  if (encapType === null || encapType.tag !== 0x06 || encapType.end !== encap.contentEnd) return false;
  const signerInfos = rest.pop();
  if (signerInfos?.tag !== 0x31) return false;
  // Between encapContentInfo and signerInfos: [0] certificates then [1] CRLs, each at most once.
  const optional = rest.map((field) => field.tag);
  return optional.length <= 2 && optional.every((tag, i) => (tag === 0xa0 || tag === 0xa1) && (i === 0 || tag > (optional[i - 1] as number)));
}

/** The new- or old-format OpenPGP packet tag at the head of the bytes, and its body offset. */
function pgpPacket(bytes: Buffer): { tag: number; body: number } | null {
  const first = bytes[0];
  if (first === undefined || (first & 0x80) === 0) return null;
  if ((first & 0x40) !== 0) {
    const tag = first & 0x3f;
    const length = bytes[1];
    if (length === undefined) return null;
    const size = length < 192 ? 1 : length < 224 ? 2 : length === 255 ? 5 : 1;
    return { tag, body: 1 + size };
  }
  const tag = (first >> 2) & 0x0f;
  const lengthType = first & 0x03;
  const size = lengthType === 0 ? 1 : lengthType === 1 ? 2 : lengthType === 2 ? 4 : 0;
  return { tag, body: 1 + size };
}

/** Binary OpenPGP starting with a session-key packet (tag 1 or 3), as an encrypted file does. */
function isBinaryPgpEncrypted(bytes: Buffer): boolean {
  const packet = pgpPacket(bytes);
  if (packet === null || (packet.tag !== 1 && packet.tag !== 3)) return false;
  const version = bytes[packet.body];
  return version !== undefined && version >= 3 && version <= 6;
}

/** OpenPGP packet tags a detached signature may hold: signature, marker, trust. */
const SIGNATURE_PACKET_TAGS = new Set([2, 10, 12]);

/**
 * Binary OpenPGP that is signature packets and nothing else: every packet (old or new format,
 * definite lengths only) a signature, marker or trust packet, at least one signature, each
 * signature of version 3 to 6, and the last packet ending at the last byte.
 */
function isBinaryPgpSignature(bytes: Buffer): boolean {
  let at = 0;
  let signatures = 0;
  while (at < bytes.length) {
    const first = bytes[at] as number;
    if ((first & 0x80) === 0) return false;
    let tag: number;
    let length: number;
    let body: number;
    if ((first & 0x40) !== 0) {
      tag = first & 0x3f;
      const a = bytes[at + 1];
      if (a === undefined) return false;
      if (a < 192) {
        length = a;
        body = at + 2;
      } else if (a < 224) {
        const b = bytes[at + 2];
        if (b === undefined) return false;
        length = ((a - 192) << 8) + b + 192;
        body = at + 3;
      } else if (a === 255) {
        if (at + 6 > bytes.length) return false;
        length = bytes.readUInt32BE(at + 2);
        body = at + 6;
      } else {
        // Partial body lengths are for data packets only.
        return false;
      }
    } else {
      tag = (first >> 2) & 0x0f;
      const lengthType = first & 0x03;
      // Length type 3 (to the end of the file) is never used for a signature.
      if (lengthType === 3) return false;
      const size = 1 << lengthType;
      if (at + 1 + size > bytes.length) return false;
      length = bytes.readUIntBE(at + 1, size);
      body = at + 1 + size;
    }
    if (!SIGNATURE_PACKET_TAGS.has(tag) || body + length > bytes.length) return false;
    if (tag === 2) {
      const version = bytes[body];
      if (length === 0 || version === undefined || version < 3 || version > 6) return false;
      signatures += 1;
    }
    at = body + length;
  }
  return signatures > 0;
}

const ARMOR_BEGIN = /^-----BEGIN PGP SIGNATURE-----[ \t]*$/;
const ARMOR_END = /^-----END PGP SIGNATURE-----[ \t]*$/;
const ARMOR_HEADER = /^[\x21-\x39\x3b-\x7e]+: ?[^\r\n]*$/;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;
const CHECKSUM_LINE = /^=[A-Za-z0-9+/]{4}$/;
/** Armour larger than this is no detached signature (certificates are not sent armoured). */
const MAX_ARMOR_BYTES = 1 << 20;

/**
 * An ASCII-armoured detached signature and nothing else: one BEGIN/END PGP SIGNATURE block with
 * only white space outside, armour headers, base64 and an optional checksum line inside, the
 * base64 decoding to packets that pass the binary check.
 */
function isArmoredPgpSignature(bytes: Buffer): boolean {
  if (bytes.length > MAX_ARMOR_BYTES) return false;
  const text = bytes.toString('latin1').trim();
  const lines = text.split(/\r?\n/).map((line) => line.replace(/[ \t]+$/, ''));
  if (lines.length < 3 || !ARMOR_BEGIN.test(lines[0] as string) || !ARMOR_END.test(lines[lines.length - 1] as string)) return false;
  let at = 1;
  while (at < lines.length - 1 && lines[at] !== '') {
    if (!ARMOR_HEADER.test(lines[at] as string)) return false;
    at += 1;
  }
  if (lines[at] !== '') return false;
  at += 1;
  const data: string[] = [];
  let checksum = false;
  for (; at < lines.length - 1; at += 1) {
    const line = lines[at] as string;
    if (checksum) return false;
    if (CHECKSUM_LINE.test(line)) checksum = true;
    else if (BASE64_LINE.test(line)) data.push(line);
    else return false;
  }
  const joined = data.join('');
  if (joined.length === 0 || /=[^=]/.test(joined)) return false;
  return isBinaryPgpSignature(Buffer.from(joined, 'base64'));
}

function extensionOf(name: string | null): string {
  const dot = name === null ? -1 : name.lastIndexOf('.');
  return name === null || dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * A detached signature by its label and its content, parsed whole: skipped only when the bytes
 * are one signature and nothing else, since a skipped file is never read. Anything that does not
 * parse is read as whatever it is.
 */
function isDetachedSignature(bytes: Buffer, name: string | null, declaredType: string | null): boolean {
  const declared = declaredType !== null && SIGNATURE_TYPES.has(declaredType);
  const extension = extensionOf(name);
  if (!declared && extension !== 'p7s' && extension !== 'sig') return false;
  return isCmsDetachedSignature(bytes) || isBinaryPgpSignature(bytes) || isArmoredPgpSignature(bytes);
}

/**
 * What a file is to the crypto checks: `encrypted` (with a short English detail) for a PGP
 * message, binary OpenPGP encrypted data, S/MIME enveloped data or the PGP/MIME control part;
 * `signature` for a detached S/MIME or PGP signature; null for anything else.
 *
 * `smimeType` is the smime-type parameter of a MIME part's Content-Type, when there is one.
 * Armour is looked for only when `textual` (the content sniffed as text): inside a zip or a
 * document the same bytes belong to an inner file, which gets its own look.
 */
export function cryptoVerdict(
  bytes: Buffer,
  name: string | null,
  declaredType: string | null,
  smimeType: string | null,
  textual: boolean,
): CryptoVerdict {
  if (bytes.length === 0) return null;
  if (isDetachedSignature(bytes, name, declaredType)) return { kind: 'signature' };
  if (textual && bytes.includes(PGP_MESSAGE_BYTES)) return encrypted('PGP-encrypted message', true);
  if (declaredType === PGP_ENCRYPTED_TYPE) return encrypted('PGP/MIME encrypted message', textual);
  if (isBinaryPgpEncrypted(bytes)) return encrypted('binary OpenPGP encrypted data');
  const cmsType = cmsContentType(bytes);
  if (cmsType !== null && (cmsType.equals(OID_ENVELOPED_DATA) || cmsType.equals(OID_AUTH_ENVELOPED_DATA))) {
    return encrypted('S/MIME enveloped data');
  }
  const smime = (declaredType !== null && SMIME_TYPES.has(declaredType)) || extensionOf(name) === 'p7m';
  if (!smime) return null;
  const type = (smimeType ?? '').toLowerCase();
  if (type === 'enveloped-data' || type === 'authenveloped-data') {
    return encrypted('S/MIME enveloped data');
  }
  // Opaque-signed data holds the message inside; it stays for the pipeline to report unread.
  if (cmsType !== null && cmsType.equals(OID_SIGNED_DATA)) return null;
  if (type === 'signed-data' || type === 'certs-only') return null;
  return encrypted('S/MIME data that is not signed data');
}

function encrypted(detail: string, readRest = false): CryptoVerdict {
  return { kind: 'encrypted', detail, readRest };
}
