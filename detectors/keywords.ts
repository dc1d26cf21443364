/**
 * Multi-word matcher for context keywords and company dictionaries.
 *
 * Thousands of dictionary words must cost about the same as ten, so this is one pass over the
 * text with a trie, never a loop of regular expressions. The scanner asks `startsAt` only at
 * characters some word begins with (a 64 Ki table), and for Latin words only at the start of a
 * word; most characters of a mail therefore cost one table lookup.
 *
 * Matching rules, chosen for how Korean mail is written:
 * - Latin letters match case-insensitively (full-width letters too). A word that begins with a
 *   Latin letter must not follow a Latin letter or digit (`RRN` is not in `ERRNO`, `KB` is not in
 *   `100KB`); one that ends with a Latin letter must not be followed by one (`confidential` is not
 *   in `confidentiality`).
 * - Hangul words match anywhere: particles attach to them (`대외비입니다`).
 * - Between two Hangul syllables of a word, and where the word itself has a space, up to two
 *   whitespace characters may stand in the text (`주민 번호`, `대 외 비`, `credit  card`).
 */
import { isHangul, isKeywordGap, isWordCode, upperLetter } from './chars.js';

/** Whitespace characters tolerated inside one keyword occurrence. */
const MAX_GAP = 2;

/**
 * Where `startsAt` leaves the words it found at one position, reused from call to call: the
 * scanner turns them into context or dictionary hits at once, so no object is made per match.
 */
export interface KeywordHits {
  /** Index of each word in the list the matcher was built from. */
  readonly entries: number[];
  /** Offset after each occurrence, ascending (the trie finds shorter words first). */
  readonly ends: number[];
}

/** Empty buffers for `startsAt`. Only the first `count` slots (its return value) are this call's. */
export function keywordHits(): KeywordHits {
  return { entries: [], ends: [] };
}

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  /** Entries that end here. */
  out: number[] | null;
  /** The word has a space after this character. */
  gap: boolean;
}

const PAIR_TABLE_SIZE = 1 << 18;

function pairHash(first: number, second: number): number {
  return (Math.imul(first, 0x9e3779b1) ^ second) & (PAIR_TABLE_SIZE - 1);
}

/** Fold for comparison: Latin letters (ASCII or full-width) to ASCII lower case. */
export function foldKeyChar(code: number): number {
  const upper = upperLetter(code);
  return upper === 0 ? code : upper + 32;
}

/** `foldKeyChar` as a table: it runs at every keyword-start character of every text. */
const FOLD = new Uint16Array(65536);
for (let code = 0; code < 65536; code += 1) FOLD[code] = foldKeyChar(code);

function isLatinLetter(code: number): boolean {
  return upperLetter(code) !== 0;
}

function newNode(): TrieNode {
  return { next: new Map(), out: null, gap: false };
}

export class KeywordMatcher {
  /** 1 where some word starts with this (folded) code unit, for both cases of Latin letters. */
  readonly firstChar = new Uint8Array(65536);
  /**
   * Hashed (first, second) code-unit pairs of the words: a cheap second filter, so the trie is
   * walked at a few positions in a hundred rather than at every common syllable (이, 가, 사…).
   * Collisions only cost a walk. One bit per slot: at 32 KiB the table stays in the CPU's cache,
   * which the byte-per-slot table (256 KiB) did not; it is read at about half of all Hangul.
   */
  private readonly pairs = new Uint32Array(PAIR_TABLE_SIZE >>> 5);
  /** Set where a one-character word starts: no pair to check. */
  private readonly single = new Uint8Array(65536);
  private readonly root = newNode();
  /** The root's children by code unit: the first step of every walk, without a Map lookup. */
  private readonly firstNode: (TrieNode | undefined)[] = new Array<TrieNode | undefined>(65536).fill(undefined);
  /** Per entry: the word must not be followed by a Latin letter. */
  private readonly latinEnd: boolean[] = [];
  /** Per entry: the word must not be preceded by a Latin letter. */
  private readonly latinStart: boolean[] = [];

  constructor(words: readonly string[]) {
    words.forEach((word, entry) => this.add(word, entry));
  }

  private add(word: string, entry: number): void {
    const codes: number[] = [];
    const gaps: boolean[] = [];
    for (const ch of word.trim()) {
      const code = ch.charCodeAt(0);
      if (isKeywordGap(code)) {
        if (codes.length > 0) gaps[codes.length - 1] = true;
        continue;
      }
      // A word is matched code unit by code unit; astral characters take two.
      for (let k = 0; k < ch.length; k += 1) codes.push(foldKeyChar(ch.charCodeAt(k)));
    }
    const first = codes[0];
    const last = codes[codes.length - 1];
    this.latinStart[entry] = first !== undefined && isLatinLetter(first);
    this.latinEnd[entry] = last !== undefined && isLatinLetter(last);
    if (first === undefined) return;
    let node = this.root;
    codes.forEach((code, index) => {
      let child = node.next.get(code);
      if (child === undefined) {
        child = newNode();
        node.next.set(code, child);
      }
      if (gaps[index]) child.gap = true;
      node = child;
    });
    (node.out ??= []).push(entry);
    this.firstNode[first] = this.root.next.get(first);
    this.firstChar[first] = 1;
    const second = codes[1];
    if (second === undefined) this.single[first] = 1;
    else {
      const hash = pairHash(first, second);
      this.pairs[hash >>> 5]! |= 1 << (hash & 31);
    }
    if (first >= 97 && first <= 122) {
      this.firstChar[first - 32] = 1;
      this.firstChar[first - 97 + 0xff21] = 1;
      this.firstChar[first - 97 + 0xff41] = 1;
    }
  }

  /** Does some entry start with a Latin letter? Then the caller checks the word start. */
  needsWordStart(code: number): boolean {
    return isLatinLetter(code);
  }

  /**
   * Can a word start at `at`? The caller has checked `firstChar`; this checks the pair, letting
   * through a Hangul syllable followed by whitespace (`주 민등록번호`).
   */
  mayStartAt(text: string, at: number): boolean {
    const first = FOLD[text.charCodeAt(at)]!;
    if (this.single[first] === 1) return true;
    const next = text.charCodeAt(at + 1);
    if (this.hasPair(first, FOLD[next]!)) return true;
    if (!isHangul(first) || !isKeywordGap(next)) return false;
    // `주 민등록번호`: test the pair across the gap, not the gap itself — Korean puts a space
    // after most particles (이, 가, 는…), and letting every one through would walk the trie there.
    let p = at + 1;
    while (p < text.length && p - at <= MAX_GAP && isKeywordGap(text.charCodeAt(p))) p += 1;
    return p < text.length && this.hasPair(first, FOLD[text.charCodeAt(p)]!);
  }

  private hasPair(first: number, second: number): boolean {
    const hash = pairHash(first, second);
    return (this.pairs[hash >>> 5]! & (1 << (hash & 31))) !== 0;
  }

  /**
   * Every entry whose word occurs starting exactly at `at`, written to the first slots of `hits`;
   * returns how many. The caller has checked `firstChar`.
   */
  startsAt(text: string, at: number, hits: KeywordHits): number {
    let count = 0;
    const length = text.length;
    const before = at > 0 ? text.charCodeAt(at - 1) : 0;
    const afterWord = isWordCode(before);
    let prev = FOLD[text.charCodeAt(at)]!;
    let node = this.firstNode[prev];
    if (node === undefined) return 0;
    const { entries, ends } = hits;
    let p = at + 1;
    for (;;) {
      if (node.out !== null) {
        const next = p < length ? text.charCodeAt(p) : 0;
        for (const entry of node.out) {
          if (this.latinStart[entry] && afterWord) continue;
          if (this.latinEnd[entry] && isLatinLetter(next)) continue;
          entries[count] = entry;
          ends[count] = p;
          count += 1;
        }
      }
      if (p >= length || node.next.size === 0) break;
      let code = FOLD[text.charCodeAt(p)]!;
      let child = node.next.get(code);
      if (child === undefined && isKeywordGap(code)) {
        let q = p;
        while (q < length && q - p < MAX_GAP && isKeywordGap(text.charCodeAt(q))) q += 1;
        if (q < length) {
          const resumed = FOLD[text.charCodeAt(q)]!;
          const candidate = node.next.get(resumed);
          if (candidate !== undefined && (node.gap || (isHangul(prev) && isHangul(resumed)))) {
            child = candidate;
            code = resumed;
            p = q;
          }
        }
      }
      if (child === undefined) break;
      node = child;
      prev = code;
      p += 1;
    }
    return count;
  }
}
