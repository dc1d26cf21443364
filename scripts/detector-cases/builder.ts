/**
 * Case text assembled from pieces that know what they are.
 *
 * Templates are tagged literals: doc`주민번호 ${value}입니다` places literal text and pieces side by
 * side and records where each piece landed, so expected spans are computed, never typed by hand.
 * A piece is a value that must be reported (`Value`), a company keyword or pattern hit, or a
 * decoy: a number that looks like personal data but must not be reported. Decoys never reach
 * the fixture; the self-check uses them to prove no keyword nearby would make them reportable.
 */
import type { FindingType, PiiType } from '../../detectors/types.js';
import { digitsOf } from './checks.js';

/** A personal-data value the detector must report. */
export interface Value {
  readonly kind: 'value';
  readonly type: PiiType;
  /** As written in the case text, after any rendering transform. */
  readonly text: string;
  /** `canonical(type, text)` of the value as first generated: what the span must still contain. */
  readonly core: string;
  /** Reported only with one of its type's keywords nearby (or in its column header). */
  readonly needsKeyword: boolean;
  /** Where that keyword is: on the same line, or in the header cell of the value's column. */
  readonly context: 'inline' | 'header';
}

/** A dictionary word or pattern match the detector must report. */
export interface Rule {
  readonly kind: 'rule';
  readonly type: 'keyword' | 'pattern';
  readonly label: string;
  readonly text: string;
}

/** Looks like personal data of type `aim` but is not reportable. */
export interface Decoy {
  readonly kind: 'decoy';
  readonly aim: PiiType | 'none';
  readonly text: string;
  /**
   * Keywords the self-check tolerates near it: 'any' for masked values (never findings) and
   * values that fail a check no keyword can fix, else the types whose keywords may be nearby.
   */
  readonly allow: 'any' | readonly PiiType[];
}

export type Piece = Value | Rule | Decoy;

export interface Placed {
  readonly piece: Piece;
  readonly start: number;
  readonly end: number;
}

export interface Draft {
  readonly text: string;
  readonly placed: readonly Placed[];
}

export type Slot = string | number | Piece | Draft | readonly Slot[];

function isDraft(slot: Slot): slot is Draft {
  return typeof slot === 'object' && 'placed' in slot;
}

function isPiece(slot: Slot): slot is Piece {
  return typeof slot === 'object' && 'kind' in slot;
}

class Assembler {
  text = '';
  placed: Placed[] = [];

  add(slot: Slot): void {
    if (typeof slot === 'string' || typeof slot === 'number') {
      this.text += String(slot);
    } else if (Array.isArray(slot)) {
      for (const s of slot as readonly Slot[]) this.add(s);
    } else if (isDraft(slot as Slot)) {
      const draft = slot as Draft;
      const base = this.text.length;
      this.text += draft.text;
      for (const p of draft.placed) {
        this.placed.push({ piece: p.piece, start: p.start + base, end: p.end + base });
      }
    } else if (isPiece(slot as Slot)) {
      const piece = slot as Piece;
      const start = this.text.length;
      this.text += piece.text;
      this.placed.push({ piece, start, end: this.text.length });
    }
  }

  done(): Draft {
    return { text: this.text, placed: this.placed };
  }
}

/** Tagged template: literal text and slots, in order. */
export function doc(strings: TemplateStringsArray, ...slots: Slot[]): Draft {
  const a = new Assembler();
  strings.forEach((literal, i) => {
    a.add(literal);
    if (i < slots.length) a.add(slots[i] as Slot);
  });
  return a.done();
}

/** Slots joined by `separator` (a line break for mail bodies, `,` for CSV rows). */
export function join(slots: readonly Slot[], separator: string): Draft {
  const a = new Assembler();
  slots.forEach((slot, i) => {
    if (i > 0) a.add(separator);
    a.add(slot);
  });
  return a.done();
}

const ENTITIES: Record<string, string> = {
  '&#45;': '-', '&#x2d;': '-', '&#x2D;': '-', '&nbsp;': ' ', '&ndash;': '\u2013', '&#8211;': '\u2013',
};

/**
 * What the self-check compares: HTML entities decoded, NFKC (full-width to ASCII), zero-width
 * characters dropped; then the digits, plus the passport letters or the licence region name.
 * E-mail addresses and keywords compare as written.
 */
export function canonical(type: FindingType, text: string): string {
  let t = text;
  for (const [entity, char] of Object.entries(ENTITIES)) t = t.split(entity).join(char);
  t = t.normalize('NFKC').replace(/[\u200b\u200c\u200d\u2060\ufeff]/g, '');
  if (type === 'passport') return t.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (type === 'driver_license') return t.replace(/[^0-9\uac00-\ud7a3]/g, '');
  if (type === 'email' || type === 'keyword' || type === 'pattern') return t;
  return digitsOf(t);
}

export function value(type: PiiType, text: string, needsKeyword: boolean): Value {
  return { kind: 'value', type, text, core: canonical(type, text), needsKeyword, context: 'inline' };
}

/** The same value written differently (full-width, wrapped …): its core does not change. */
export function rewritten(v: Value, text: string): Value {
  return { ...v, text };
}

/** The value sits in a table column whose header cell names its type. */
export function underHeader(v: Value): Value {
  return { ...v, context: 'header' };
}

export function keyword(label: string, text: string): Rule {
  return { kind: 'rule', type: 'keyword', label, text };
}

export function pattern(label: string, text: string): Rule {
  return { kind: 'rule', type: 'pattern', label, text };
}

export function decoy(aim: PiiType | 'none', text: string, allow: Decoy['allow'] = []): Decoy {
  return { kind: 'decoy', aim, text, allow };
}

/**
 * A case before numbering. `aim` is the type the case is about (or `mail` for a document with
 * several): the case id starts with it, which is how the size rules count cases per type.
 */
export interface CaseDraft {
  readonly aim: string;
  readonly slug: string;
  readonly category: string;
  readonly draft: Draft;
}
