/**
 * Masked forms of detected values, and the digit helpers the detectors share.
 *
 * A finding carries only its masked form (see detectors/types.ts), so these functions decide what
 * an operator, a log line or the store can ever see of a value. They follow the Korean display
 * conventions (개인정보 표시제한): an RRN keeps its birth date and gender digit, a card keeps at
 * most the first 6 and last 4 digits (the PCI limit), nothing else.
 */

/** Full-width digits ０-９ (U+FF10-U+FF19) sit this far above their ASCII forms. */
const FULL_WIDTH_DIGIT_OFFSET = 0xff10 - 0x30;

const ASCII_DIGITS_ONLY = /^[0-9]*$/;

/** Characters written for a hidden digit. */
export const MASK_CHAR = '*';

/** True for an ASCII or full-width digit. */
export function isDigitChar(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || (ch >= '０' && ch <= '９');
}

/**
 * The ASCII digits of a matched value, in order, with every separator dropped. Full-width digits
 * are folded to ASCII; this runs on a match of at most a few dozen characters, never on a body.
 */
export function asciiDigits(value: string): string {
  if (ASCII_DIGITS_ONLY.test(value)) return value;
  let digits = '';
  for (const ch of value) {
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (ch >= '０' && ch <= '９') {
      digits += String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_DIGIT_OFFSET);
    }
  }
  return digits;
}

/** `900101-1******`: birth date and gender digit, separator always written as `-`. */
export function maskRrn(digits: string): string {
  return `${digits.slice(0, 6)}-${digits.slice(6, 7)}${MASK_CHAR.repeat(6)}`;
}

/**
 * `4111-11**-****-1111`: the first 6 and last 4 digits stay, every other digit becomes `*`. The
 * grouping of the original is kept so the masked form is recognisable; dash-like separators are
 * written as `-`, full-width digits as ASCII.
 */
export function maskCard(value: string): string {
  const total = asciiDigits(value).length;
  const keepHead = 6;
  const keepTail = 4;
  let seen = 0;
  let masked = '';
  for (const ch of value) {
    if (!isDigitChar(ch)) {
      masked += ch === ' ' ? ' ' : '-';
      continue;
    }
    const visible = seen < keepHead || seen >= total - keepTail;
    masked += visible ? asciiDigits(ch) : MASK_CHAR;
    seen += 1;
  }
  return masked;
}
