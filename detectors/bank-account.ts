/**
 * Korean bank account numbers (계좌번호), notes/korean-pii.md §1.6.
 *
 * Accounts are 10-14 digits with no public check digit, and banks hyphenate them each their own
 * way (KB 6-2-6, 신한 3-3-6, 우리 4-3-6, 하나 3-6-5, 농협 3-4-4-2, 카카오뱅크 4-2-7, 토스뱅크 4-4-4, …),
 * so the shape proves nothing: only context does. An account is reported (high) when an account
 * word or a bank name is the nearest relevant keyword, or heads the value's table column, or a
 * bank's short name stands right before the number (`국민 123456-12-123456`); the short names
 * that are also everyday words (국민, 우리, 하나, 기업) count only there. Without context nothing
 * is reported.
 *
 * Kept off other types' values: phone shapes (a phone is a phone even after `입금 문의`), the
 * RRN's 6-7 grouping, and bare 13 digits that pass the RRN check with a real birth date.
 */
import { BIT, inContext, type Judge } from './judge.js';
import { maskKeeping } from './mask.js';
import type { Candidate } from './numbers.js';
import { isPhoneShape } from './phone.js';
import { birthDate, rrnChecksumValid } from './rrn.js';

const OWN = BIT.account;
const RIVALS = BIT.card | BIT.phone | BIT.business | BIT.resident | BIT.foreigner | BIT.corporate | BIT.license | BIT.health | BIT.passport | BIT.reference;

/** Korean account numbers are 10-14 digits. */
const ACCOUNT_MIN_DIGITS = 10;
const ACCOUNT_MAX_DIGITS = 14;

/** Bank names that are also common words, accepted only right before the number. */
const SHORT_BANK_NAMES = [
  '국민', '우리', '하나', '기업', '농협', '신한', '씨티', '산업', '부산', '대구', '경남', '광주', '전북', '제주',
  '카카오', '카뱅', '토스', '케뱅', 'KB', 'NH', 'SC',
];

function shortBankNameBefore(text: string, at: number): boolean {
  let end = at;
  while (end > 0 && at - end < 2 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 58)) end -= 1;
  return SHORT_BANK_NAMES.some((name) => end >= name.length && text.startsWith(name, end - name.length));
}

function accountShaped(candidate: Candidate): boolean {
  const { digits, lengths, sep } = candidate;
  if (digits.length < ACCOUNT_MIN_DIGITS || digits.length > ACCOUNT_MAX_DIGITS) return false;
  if (sep === 'none') return true;
  if (sep !== 'dash' && sep !== 'space') return false;
  if (lengths.length > 4 || lengths.some((n) => n < 2)) return false;
  return !(lengths.length === 2 && lengths[0] === 6 && lengths[1] === 7);
}

function looksLikeRegistration(candidate: Candidate): boolean {
  const { digits } = candidate;
  return candidate.sep === 'none' && digits.length === 13 && birthDate(digits) !== null && rrnChecksumValid(digits);
}

export const judgeAccount: Judge = (candidate, ctx) => {
  if (!accountShaped(candidate) || isPhoneShape(candidate) || looksLikeRegistration(candidate)) return null;
  const context =
    shortBankNameBefore(ctx.scan.text, candidate.start) ||
    inContext(ctx, candidate.start, candidate.end, OWN, RIVALS);
  if (!context) return null;
  return { type: 'bank_account', confidence: 'high', masked: maskKeeping(candidate, 3, 2) };
};
