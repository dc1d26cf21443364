/**
 * The generator's proof that each label it writes follows issue 3's ground truth.
 *
 * For every case: each expected span lies in the text and still holds the generated value
 * (digits compared after decoding, so a wrap or an entity cannot lose one); no value touches a
 * letter or digit; a value that needs a keyword has one close by on its line (or in its column
 * header), and no keyword of a competing keyword-only type sits next to it; no decoy has a
 * keyword nearby that could make it reportable; and no number, passport-like code, address,
 * dictionary word or pattern match appears in the text without being either expected or a
 * registered decoy. Any breach throws, naming the case: a wrong label is a generator bug.
 */
import type { PiiType } from '../../detectors/types.js';
import type { Draft, Placed, Value } from './builder.js';
import { canonical } from './builder.js';
import { LABELLED_SET_DICTIONARIES, LABELLED_SET_PATTERNS, keywordHits } from './keywords.js';

/** Keyword windows of the spec, in UTF-16 units. */
const BEFORE = 60;
const AFTER = 30;
/** Decoys are kept clear of promoting keywords over a wider stretch, in case a detector looks further. */
const DECOY_BEFORE = 150;
const DECOY_AFTER = 80;

const ALNUM = /[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/;

class CaseError extends Error {
  constructor(id: string, message: string) {
    super(`labelled set, case ${id}: ${message}`);
  }
}

function lineBounds(text: string, at: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  return { start, end: nl === -1 ? text.length : nl };
}

/** A keyword of `type` within the spec's window on the value's line. */
function keywordNear(type: PiiType, text: string, start: number, end: number): boolean {
  const line = lineBounds(text, start);
  const lineEnd = lineBounds(text, Math.max(start, end - 1)).end;
  return keywordHits(type, text).some(
    (k) =>
      (k.end <= start && k.start >= Math.max(line.start, start - BEFORE)) ||
      (k.start >= end && k.end <= Math.min(lineEnd, end + AFTER)),
  );
}

/** Keyword-only types whose shape a run of `n` digits could also have. */
function keywordOnlyRivals(n: number): PiiType[] {
  const rivals: PiiType[] = [];
  if (n >= 10 && n <= 14) rivals.push('bank_account');
  if (n === 10) rivals.push('business_reg');
  if (n === 11) rivals.push('health_insurance');
  if (n === 12) rivals.push('driver_license');
  if (n === 13) rivals.push('corporate_reg', 'rrn', 'foreigner_rrn');
  return rivals;
}

function checkValue(id: string, text: string, p: Placed, v: Value): void {
  const span = text.slice(p.start, p.end);
  if (canonical(v.type, span) !== v.core) {
    throw new CaseError(id, `${v.type} span ${p.start}-${p.end} does not hold the generated value`);
  }
  const before = text.charAt(p.start - 1);
  const after = text.charAt(p.end);
  if (v.type === 'email') {
    const runsOn = /^\.[A-Za-z]/.test(text.slice(p.end, p.end + 2));
    if (/[A-Za-z0-9._%+-]/.test(before) || /[A-Za-z0-9_-]/.test(after) || runsOn) {
      throw new CaseError(id, `e-mail at ${p.start} runs into its neighbours`);
    }
  } else if (ALNUM.test(before) || ALNUM.test(after)) {
    throw new CaseError(id, `${v.type} at ${p.start} touches a letter or digit`);
  }
  if (v.needsKeyword && v.context === 'inline' && !keywordNear(v.type, text, p.start, p.end)) {
    throw new CaseError(id, `${v.type} at ${p.start} needs a keyword within ${BEFORE}/${AFTER} on its line`);
  }
  if (v.type === 'phone' || v.type === 'email') return;
  const digits = canonical(v.type, span).replace(/[^0-9]/g, '').length;
  for (const rival of keywordOnlyRivals(digits)) {
    const related = rival === v.type ||
      (v.type === 'rrn' && rival === 'foreigner_rrn') || (v.type === 'foreigner_rrn' && rival === 'rrn');
    if (!related && keywordNear(rival, text, p.start, p.end)) {
      throw new CaseError(id, `${v.type} at ${p.start} has a ${rival} keyword next to it: ambiguous label`);
    }
  }
}

function checkDecoy(id: string, text: string, p: Placed): void {
  if (p.piece.kind !== 'decoy' || p.piece.allow === 'any') return;
  const allow = p.piece.allow;
  const digits = canonical('rrn', p.piece.text).length;
  const threats = new Set<PiiType>(keywordOnlyRivals(digits));
  if (p.piece.aim !== 'none') threats.add(p.piece.aim);
  if (/^[A-Z][0-9]{3}[A-Z0-9][0-9]{4}$/.test(canonical('passport', p.piece.text))) threats.add('passport');
  for (const type of threats) {
    if (allow.includes(type)) continue;
    const near = keywordHits(type, text).some(
      (k) => k.end > p.start - DECOY_BEFORE && k.start < p.end + DECOY_AFTER,
    );
    if (near) throw new CaseError(id, `decoy "${p.piece.text}" has a ${type} keyword nearby`);
  }
}

function checkRule(id: string, p: Placed): void {
  const rule = p.piece;
  if (rule.kind !== 'rule') return;
  if (rule.type === 'keyword') {
    const dict = LABELLED_SET_DICTIONARIES.find((d) => d.name === rule.label);
    const squash = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
    if (!dict?.words.some((w) => squash(w) === squash(rule.text))) {
      throw new CaseError(id, `"${rule.text}" is not a word of dictionary ${rule.label}`);
    }
  } else {
    const spec = LABELLED_SET_PATTERNS.find((s) => s.name === rule.label);
    if (!spec || !new RegExp(`^(?:${spec.regex})$`, spec.ignoreCase ? 'i' : '').test(rule.text)) {
      throw new CaseError(id, `"${rule.text}" is not a whole match of pattern ${rule.label}`);
    }
  }
}

/** Look-alikes that must each be covered by an expected value or a decoy. */
const LOOKALIKES: ReadonlyArray<readonly [string, RegExp, (m: string) => boolean]> = [
  [
    'long number',
    /[0-9\uff10-\uff19](?:[0-9\uff10-\uff19]|[-\u2013\u2014\u2212\uff0d. \u200b](?=[0-9\uff10-\uff19]))*/g,
    (m) => m.replace(/[^0-9\uff10-\uff19]/g, '').length >= 9,
  ],
  ['passport-like code', /(?<![A-Za-z0-9])[A-Z][0-9]{3}[A-Z0-9][0-9]{4}(?![A-Za-z0-9])/g, () => true],
  ['address', /[A-Za-z0-9._%+-]*@[A-Za-z0-9\uac00-\ud7a3._-]+/g, () => true],
];

function dictionaryRegExps(): RegExp[] {
  const out: RegExp[] = [];
  for (const dict of LABELLED_SET_DICTIONARIES) {
    for (const word of dict.words) {
      // Hangul words also match with a space between syllables (`대 외 비`).
      const joiner = /^[\uac00-\ud7a3]+$/.test(word) ? ' ?' : '';
      const body = [...word].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(joiner);
      const latin = /[A-Za-z]/.test(word);
      out.push(new RegExp(latin ? `(?<![A-Za-z])${body}(?![A-Za-z])` : body, 'gi'));
    }
  }
  for (const spec of LABELLED_SET_PATTERNS) out.push(new RegExp(spec.regex, spec.ignoreCase ? 'gi' : 'g'));
  return out;
}

function checkNothingUnlabelled(id: string, draft: Draft): void {
  const covered = (start: number, end: number): boolean =>
    draft.placed.some((p) => p.start < end && start < p.end);
  for (const [what, re, counts] of LOOKALIKES) {
    for (const m of draft.text.matchAll(re)) {
      if (counts(m[0]) && !covered(m.index, m.index + m[0].length)) {
        throw new CaseError(id, `${what} "${m[0]}" is neither expected nor a registered decoy`);
      }
    }
  }
  for (const re of dictionaryRegExps()) {
    for (const m of draft.text.matchAll(re)) {
      if (!covered(m.index, m.index + m[0].length)) {
        throw new CaseError(id, `company rule match "${m[0]}" is neither expected nor a decoy`);
      }
    }
  }
}

export function selfCheck(id: string, draft: Draft): void {
  const { text } = draft;
  let lastEnd = 0;
  const expected = draft.placed.filter((p) => p.piece.kind !== 'decoy');
  for (const p of [...expected].sort((a, b) => a.start - b.start)) {
    if (p.start < lastEnd) throw new CaseError(id, `expected spans overlap at ${p.start}`);
    lastEnd = p.end;
  }
  for (const p of draft.placed) {
    if (p.start < 0 || p.end > text.length || p.start >= p.end || text.slice(p.start, p.end) !== p.piece.text) {
      throw new CaseError(id, `piece "${p.piece.text}" is not where it was placed`);
    }
    if (p.piece.kind === 'value') checkValue(id, text, p, p.piece);
    checkRule(id, p);
    checkDecoy(id, text, p);
  }
  checkNothingUnlabelled(id, draft);
}
