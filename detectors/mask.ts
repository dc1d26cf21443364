/**
 * Masked forms of detected values.
 *
 * A finding carries only its masked form (see detectors/types.ts), so these functions decide what
 * an operator, a log line or the store can ever see of a value. They follow the Korean display
 * conventions (개인정보 표시제한, notes/korean-pii.md §4) so that people recognise them: an RRN
 * keeps its birth date and gender digit, a card at most the first 6 and last 4 digits (the PCI
 * limit), a phone hides its middle group, an e-mail address keeps two letters of its local part.
 *
 * Masks are built from the digits and grouping the scanner read, never from the raw span, so
 * full-width digits, look-alike dashes, invisible characters and character references in the
 * original come out as plain `0-9`, `-` and ` `.
 */
import type { Candidate } from './numbers.js';

export const MASK_CHAR = '*';

const SEPARATOR: Readonly<Record<Candidate['sep'], string>> = {
  none: '',
  dash: '-',
  space: ' ',
  dot: '.',
  paren: '-',
  mixed: '-',
};

/**
 * The candidate's digits in its own grouping, the digits from index `hideFrom` up to (not
 * including) `hideTo` replaced by `*`. Every mask keeps a head and a tail, so a hidden middle is
 * all a mask needs; building it a group at a time keeps a finding to a few string pieces.
 */
export function maskGrouped(
  candidate: Pick<Candidate, 'digits' | 'lengths' | 'sep'>,
  hideFrom: number,
  hideTo: number,
): string {
  const { digits, lengths } = candidate;
  const separator = SEPARATOR[candidate.sep];
  let out = '';
  let at = 0;
  for (let group = 0; group < lengths.length; group += 1) {
    const end = at + lengths[group]!;
    if (group > 0) out += separator;
    const shownHead = Math.min(end, Math.max(at, hideFrom));
    const shownTail = Math.max(shownHead, Math.min(end, hideTo));
    out += digits.slice(at, shownHead) + MASK_CHAR.repeat(shownTail - shownHead) + digits.slice(shownTail, end);
    at = end;
  }
  return out;
}

/** `900101-1******`: birth date and gender digit, separator always `-` (also foreigner and corporate numbers). */
export function maskRrn(digits: string): string {
  return `${digits.slice(0, 6)}-${digits.charAt(6)}${MASK_CHAR.repeat(6)}`;
}

/** `4111-11**-****-1111`: the first 6 and last 4 digits, nothing else. */
export function maskCard(candidate: Pick<Candidate, 'digits' | 'lengths' | 'sep'>): string {
  return maskGrouped(candidate, 6, candidate.digits.length - 4);
}

/**
 * The four digits before the last four hidden (`010-****-5678`, `02-***-4567`, `+82-10-****-5678`),
 * whatever the grouping: a mask keyed to groups would show the subscriber number of `010-12345678`.
 * The first two digits (an area code) always stay.
 */
export function maskPhone(candidate: Pick<Candidate, 'digits' | 'lengths' | 'sep'>): string {
  const total = candidate.digits.length;
  return maskGrouped(candidate, Math.max(2, total - 8), total - 4);
}

/** Keep the first `head` and last `tail` digits. */
export function maskKeeping(candidate: Pick<Candidate, 'digits' | 'lengths' | 'sep'>, head: number, tail = 0): string {
  return maskGrouped(candidate, head, candidate.digits.length - tail);
}

/** `ho***@example.com`: two characters of the local part, then `***`. */
export function maskEmail(address: string): string {
  const at = address.indexOf('@');
  // Two characters of the local part, fewer when it is that short: `ab@…` must not come out whole.
  return `${address.slice(0, Math.min(2, at - 1))}${MASK_CHAR.repeat(3)}${address.slice(at)}`;
}

/** Dictionary and pattern matches: as found, first and last character kept, or all hidden. */
export function maskText(value: string, style: 'none' | 'partial' | 'full'): string {
  if (style === 'none') return value;
  const chars = [...value];
  if (style === 'full' || chars.length <= 2) return MASK_CHAR.repeat(chars.length);
  return chars[0] + MASK_CHAR.repeat(chars.length - 2) + chars[chars.length - 1];
}
