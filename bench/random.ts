/**
 * A small seeded pseudo-random generator for the benchmark corpus.
 *
 * The corpus must be the same bytes on every run and every machine, so that figures from two runs
 * (or two commits) describe the same input. `Math.random` cannot be seeded; this is a 32-bit
 * multiply-xorshift generator (the "mulberry32" construction), which is plenty for picking words
 * and digits and has no statistical role beyond that.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `count` random ASCII digits. */
  digits(count: number): string;
}

/** Golden-ratio increment: successive states differ in many bits even for seeds 0, 1, 2… */
const STATE_STEP = 0x6d2b79f5;
const TWO_TO_32 = 4294967296;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + STATE_STEP) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / TWO_TO_32;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
    digits(count) {
      let out = '';
      for (let i = 0; i < count; i += 1) out += String(int(0, 9));
      return out;
    },
  };
}
