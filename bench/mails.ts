/**
 * Benchmark mails: Korean business mail the way Korean clients send it (EUC-KR body in base64,
 * EUC-KR RFC 2047 subject), of a chosen total size, optionally carrying one synthetic RRN.
 *
 * The body text comes from the benchmark corpus (business style) with no planted values, so the
 * only resident number in a mail is the one the caller asks for, and nothing else in it makes the
 * shipped policy hold the mail; the text's phone numbers and e-mail addresses are found as what
 * they are. The same mails feed the pipeline benchmark and
 * the Postfix runs (written to a file for smtp-source -F).
 */
import { buildMail, encodeWords, textPart } from '../test/support/mail-builder.js';
import type { FindingType } from '../detectors/index.js';
import { generateCorpus } from './corpus.js';

/** The fake resident number perf-anchors.md used for its marked mails (legacy check valid). */
export const ANCHOR_RRN = '900101-1234568';

/**
 * What policies/default.yaml holds mail for. The body text carries none of these, so a mail
 * without the caller's RRN is one the shipped policy accepts.
 */
const HELD_TYPES: readonly FindingType[] = ['rrn', 'foreigner_rrn', 'driver_license', 'passport',
  'credit_card', 'bank_account', 'health_insurance'];

/** Size fitting stops once within this share of the target (or after FIT_ATTEMPTS). */
const FIT_TOLERANCE = 0.02;
const FIT_ATTEMPTS = 6;

export interface KoreanMailOptions {
  /** Total size of the raw message in bytes, headers included (±2 %). */
  readonly bytes: number;
  /** Put one RRN sentence in the middle of the body. */
  readonly rrn?: string;
  readonly seed?: number;
}

export function koreanMail(options: KoreanMailOptions): Buffer {
  // base64 of EUC-KR is about 0.9 × the UTF-8 size of this text; start there and rescale.
  let textBytes = Math.round(options.bytes * 0.85);
  let mail = build(textBytes, options);
  for (let i = 0; i < FIT_ATTEMPTS; i += 1) {
    if (Math.abs(mail.length - options.bytes) <= options.bytes * FIT_TOLERANCE) break;
    textBytes = Math.max(200, Math.round((textBytes * options.bytes) / mail.length));
    mail = build(textBytes, options);
  }
  return mail;
}

function build(textBytes: number, options: KoreanMailOptions): Buffer {
  const corpus = generateCorpus({
    bytes: textBytes,
    seed: options.seed,
    piiEveryBytes: Infinity,
    quietTypes: HELD_TYPES,
  });
  // The corpus ends at a block boundary past the target; cut it back to the target.
  let text = cutAtWord(corpus.text, textBytes);
  if (options.rrn !== undefined) {
    const middle = text.indexOf('\n', text.length >> 1) + 1;
    text = `${text.slice(0, middle)}신청인 홍길동의 주민등록번호는 ${options.rrn}입니다.\n${text.slice(middle)}`;
  }
  return buildMail({
    from: `${encodeWords('한빛상사 영업1팀', 'euc-kr')} <sales@hanbit.example>`,
    to: 'buyer@partner.test',
    subject: options.rrn === undefined ? '11월 주문 및 출고 일정 안내' : '입사 서류 제출 건',
    subjectCharset: 'euc-kr',
    body: textPart(text, { charset: 'euc-kr', transferEncoding: 'base64' }),
  });
}

/** `text` cut at the last space or line break that keeps its UTF-8 size at or below `bytes`. */
function cutAtWord(text: string, bytes: number): string {
  // At most 3 UTF-8 bytes per UTF-16 unit (the corpus has no astral characters), so start at
  // bytes / 3 units and walk forward a word at a time while the prefix still fits.
  let end = Math.min(text.length, Math.floor(bytes / 3));
  for (;;) {
    const next = text.slice(end + 1).search(/[ \n]/);
    if (next < 0) break;
    const candidate = end + 1 + next;
    if (Buffer.byteLength(text.slice(0, candidate), 'utf8') > bytes) break;
    end = candidate;
  }
  return `${text.slice(0, end)}\n`;
}
