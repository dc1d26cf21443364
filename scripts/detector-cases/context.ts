/**
 * The cast of one case: who writes, about whom, for which company and bank. Drawn fresh per
 * case from the family's stream so templates read naturally and values never repeat.
 */
import type { BankLayout } from './numbers.js';
import { BANKS } from './numbers.js';
import type { Person } from './people.js';
import { COMPANIES, COMPANIES_EN, COUNTRIES, TEAMS, foreignPerson, koreanPerson } from './people.js';
import type { Rng } from './rng.js';

export interface Ctx {
  readonly rng: Rng;
  /** The writer. */
  readonly me: Person;
  /** The Korean person the mail is about. */
  readonly p: Person;
  /** A foreign colleague. */
  readonly f: Person;
  readonly co: string;
  readonly coEn: string;
  readonly team: string;
  readonly bank: BankLayout;
  readonly country: string;
}

export function castFor(rng: Rng): Ctx {
  return {
    rng,
    me: koreanPerson(rng),
    p: koreanPerson(rng),
    f: foreignPerson(rng),
    co: rng.pick(COMPANIES),
    coEn: rng.pick(COMPANIES_EN),
    team: rng.pick(TEAMS),
    bank: rng.pick(BANKS),
    country: rng.pick(COUNTRIES),
  };
}

/** A future date as `YYYY-MM-DD` (passport expiry, contract end): 8 digits, never a finding. */
export function isoDate(rng: Rng, fromYear: number, toYear: number): string {
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${rng.int(fromYear, toYear)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `start ~ end` within one year, in order (rental periods, trips). */
export function dateRange(rng: Rng, year: number): string {
  const a = isoDate(rng, year, year);
  const b = isoDate(rng, year, year);
  return a < b ? `${a} ~ ${b}` : `${b} ~ ${a}`;
}
