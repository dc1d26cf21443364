/**
 * Seeded pseudo-random draws for the labelled-set generator.
 *
 * The fixture is committed and compared with a fresh run in the test suite, so every draw must
 * be reproducible on any machine: no Math.random, no clock. Each case family forks its own stream
 * from a label, so adding or reordering a family does not reshuffle the values of the others.
 */

/** 32-bit FNV-1a of a label: turns family names into seeds. */
function hash32(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A stream of its own for the named family. */
  static for(label: string): Rng {
    return new Rng(hash32(`outguard-labelled-set/${label}`));
  }

  /** Uniform in [0, 1): a splitmix-style 32-bit mixer over a Weyl sequence. */
  next(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  }

  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** `n` random decimal digits. */
  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(this.int(0, 9));
    return out;
  }

  /** A new stream derived from this one, so nested families stay independent. */
  fork(label: string): Rng {
    return new Rng(hash32(label) ^ this.int(0, 0xffffffff));
  }
}
