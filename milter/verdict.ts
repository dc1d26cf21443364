/**
 * Turns a handler's answer into the reply packets the MTA expects.
 *
 * Owns every rule about what may go on the wire at a decision point: the order of packets at end
 * of message (`q`, header edits, then exactly one `a`), SMTP reply syntax for `y`, the cleaning
 * of a quarantine reason, LF-only folding of header values, and what happens when the MTA did not
 * grant an action (a hold becomes a tempfail; it never becomes an accept). Pure functions: the
 * caller sends the packets and passes a logger for the warnings.
 */
import type { Logger } from '../log/logger.js';
import type { MilterReply } from './codec-replies.js';
import type { EomVerdict, HeaderEdit, SmtpReply, StageVerdict } from './types.js';

/** What the negotiation granted that matters for replies. */
export interface ReplyCapabilities {
  /** SMFIF_QUARANTINE */
  readonly quarantine: boolean;
  /** SMFIF_ADDHDRS: add and insert headers. */
  readonly addHeaders: boolean;
  /** SMFIF_CHGHDRS: change and delete headers. */
  readonly changeHeaders: boolean;
  /** SMFIP_HDR_LEADSPC: the MTA neither strips nor adds the space after the colon. */
  readonly leadingSpace: boolean;
}

/** Postfix keeps at most 100 bytes of a quarantine reason (cleanup HOLD reason). */
export const MAX_QUARANTINE_REASON_BYTES = 100;

/** Used when a reason cleans down to nothing: libmilter refuses an empty reason. */
export const DEFAULT_QUARANTINE_REASON = 'held by Outguard';

/**
 * Text characters per reply line. RFC 5321 4.5.3.1.5 allows 512 octets per reply line including
 * code, enhanced code and CRLF; 400 leaves room for those and for `%` doubling in most texts.
 */
export const MAX_REPLY_LINE_CHARS = 400;

/** Lines per multi-line reply; more is noise to the client, not information. */
export const MAX_REPLY_LINES = 20;

/** RFC 5322 field name: printable ASCII except the colon. */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const ENHANCED_CODE = /^([245])\.\d{1,3}\.\d{1,3}$/;
const MAX_UINT32 = 0xffffffff;

/** Reply for a verdict given before end of message (connect, MAIL). */
export function stageReply(verdict: StageVerdict, stage: string, log: Logger): MilterReply {
  switch (verdict.kind) {
    case 'continue':
      return { type: 'continue' };
    case 'accept':
      return { type: 'accept' };
    case 'reject':
      return refusal(verdict.reply, 5, log);
    case 'tempfail':
      return refusal(verdict.reply, 4, log);
    case 'discard':
      if (stage !== 'connect') return { type: 'discard' };
      // Discard has no meaning for a connection; refuse to guess and fail closed.
      log.error('discard is not allowed at connect, sending tempfail', { phase: stage });
      return { type: 'tempfail' };
    default:
      log.error('handler returned an unknown verdict, sending tempfail', { phase: stage });
      return { type: 'tempfail' };
  }
}

/** Packets for an end-of-message verdict, in sending order; the last one is final. */
export function eomReplies(
  verdict: EomVerdict,
  caps: ReplyCapabilities,
  log: Logger,
): MilterReply[] {
  switch (verdict.kind) {
    case 'accept':
      return [...headerEdits(verdict.headers ?? [], caps, log), { type: 'accept' }];
    case 'quarantine':
      if (!caps.quarantine) {
        log.warn('MTA did not grant quarantine, sending tempfail instead of hold', {
          phase: 'eom',
        });
        return [{ type: 'tempfail' }];
      }
      return [
        { type: 'quarantine', reason: sanitizeQuarantineReason(verdict.reason) },
        ...headerEdits(verdict.headers ?? [], caps, log),
        // Since Postfix 2.6 `q` is not final: without this the MTA waits and times out.
        { type: 'accept' },
      ];
    case 'reject':
      return [refusal(verdict.reply, 5, log)];
    case 'tempfail':
      return [refusal(verdict.reply, 4, log)];
    case 'discard':
      return [{ type: 'discard' }];
    default:
      log.error('handler returned an unknown verdict, sending tempfail', { phase: 'eom' });
      return [{ type: 'tempfail' }];
  }
}

/** `y` with the reply when it is valid for this class, else the plain `r`/`t`. */
function refusal(reply: SmtpReply | undefined, cls: 4 | 5, log: Logger): MilterReply {
  const plain: MilterReply = cls === 5 ? { type: 'reject' } : { type: 'tempfail' };
  if (!reply) return plain;
  const text = smtpReplyText(reply, cls);
  if (text === null) {
    log.error('invalid SMTP reply from handler, sending plain refusal', {
      code: reply.code,
      enhanced: reply.enhanced,
    });
    return plain;
  }
  return { type: 'replyCode', text };
}

/**
 * The SMTP reply as the MTA wants it in `y`: `550 5.7.1 text`, or for several lines
 * `550-5.7.1 a\r\n550 5.7.1 b`. Returns null when the code is not of class `cls` (4xx for a
 * tempfail, 5xx for a reject) or the enhanced code does not match it. Text is cut to printable
 * ASCII (others become `?`) and `%` is doubled because Sendmail reads the text as a format.
 */
export function smtpReplyText(reply: SmtpReply, cls: 4 | 5): string | null {
  const { code, enhanced } = reply;
  const validCode = Number.isInteger(code) && Math.floor(code / 100) === cls;
  const enhancedClass = ENHANCED_CODE.exec(enhanced)?.[1];
  if (!validCode || enhancedClass !== String(cls)) return null;
  const lines = reply.text.split(/\r\n|\r|\n/).slice(0, MAX_REPLY_LINES).map(replyLineText);
  const last = lines.length - 1;
  return lines
    .map((line, i) => `${code}${i === last ? ' ' : '-'}${enhanced}${line ? ` ${line}` : ''}`)
    .join('\r\n');
}

function replyLineText(line: string): string {
  return line
    .slice(0, MAX_REPLY_LINE_CHARS)
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/%/g, '%%')
    .trim();
}

/**
 * A quarantine reason Postfix and libmilter accept: printable ASCII (anything else becomes `?`,
 * CR and LF become spaces), non-empty, at most 100 bytes.
 */
export function sanitizeQuarantineReason(reason: string): string {
  const clean = reason
    .replace(/[\r\n]+/g, ' ')
    .replace(/[^\x20-\x7e]+/g, '?')
    .trim()
    .slice(0, MAX_QUARANTINE_REASON_BYTES)
    .trim();
  return clean === '' ? DEFAULT_QUARANTINE_REASON : clean;
}

function headerEdits(
  edits: readonly HeaderEdit[],
  caps: ReplyCapabilities,
  log: Logger,
): MilterReply[] {
  const out: MilterReply[] = [];
  for (const edit of edits) {
    const reply = headerEditReply(edit, caps, log);
    if (reply) out.push(reply);
  }
  return out;
}

/** One header edit as a packet, or null (logged) when it is invalid or not granted. */
export function headerEditReply(
  edit: HeaderEdit,
  caps: ReplyCapabilities,
  log: Logger,
): MilterReply | null {
  const granted = edit.op === 'change' ? caps.changeHeaders : caps.addHeaders;
  if (!granted) {
    log.warn('MTA did not grant this header edit, dropping it', { phase: 'eom', op: edit.op });
    return null;
  }
  if (!HEADER_NAME.test(edit.name)) {
    log.error('invalid header name in edit, dropping it', { phase: 'eom', op: edit.op });
    return null;
  }
  const value = headerValueForMta(edit.value, caps.leadingSpace);
  if (edit.op === 'add') return { type: 'addHeader', name: edit.name, value };
  if (!isIndex(edit.index)) {
    log.error('invalid header index in edit, dropping it', { phase: 'eom', op: edit.op });
    return null;
  }
  const type = edit.op === 'insert' ? 'insertHeader' : 'changeHeader';
  return { type, index: edit.index, name: edit.name, value };
}

function isIndex(index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index <= MAX_UINT32;
}

/**
 * A header value as the MTA must receive it. Folds use a bare LF followed by whitespace (CRLF
 * would come out as `\r\r\n`); a line break not followed by whitespace gets a tab so it cannot
 * start a new header; NULs are dropped. Values are given without the space after the colon:
 * without HDR_LEADSPC the MTA adds it, with HDR_LEADSPC we must.
 */
export function headerValueForMta(value: string, leadingSpace: boolean): string {
  const folded = value
    .replace(/\0/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .replace(/\n(?![ \t])/g, '\n\t')
    .replace(/^[ \t]+/, '');
  return leadingSpace && folded !== '' ? ` ${folded}` : folded;
}
