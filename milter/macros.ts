/**
 * Macros per stage, as the MTA sends them in `D` packets before each command.
 *
 * A macro is valid for the stage it came with. Connection stages (CONNECT, HELO) survive ABORT;
 * the rest belong to one message and are dropped when it ends. Lookups merge the stages in
 * protocol order, later stages winning, which is what the handler sees as "macros in force".
 */
import type { MacroPair } from './codec.js';

/** Macro stages that belong to the connection and survive ABORT. */
const CONNECTION_STAGES: ReadonlySet<string> = new Set(['C', 'H']);

/** Order in which stage macros are merged; later stages win. */
const STAGE_ORDER = ['C', 'H', 'M', 'R', 'T', 'L', 'N', 'B', 'E', 'U'];

/**
 * A queue id we are willing to log and hand on (it ends up in postsuper arguments): Postfix
 * short and long ids and Sendmail ids are all letters and digits.
 */
const QUEUE_ID = /^[A-Za-z0-9]{1,64}$/;

export function isQueueId(value: string): boolean {
  return QUEUE_ID.test(value);
}

export class MacroStore {
  readonly #stages = new Map<string, Readonly<Record<string, string>>>();

  /**
   * Replace the macros of `stage` (a command letter) with `pairs`. Returns false, storing
   * nothing, for a stage letter no MTA uses: each stage may hold a whole packet of macros, so
   * only the known stages may take memory.
   */
  set(stage: string, pairs: readonly MacroPair[]): boolean {
    if (!STAGE_ORDER.includes(stage)) return false;
    // fromEntries defines own properties, so a name like `__proto__` stays a plain key.
    this.#stages.set(stage, Object.fromEntries(pairs));
    return true;
  }

  /** Drop message-level stages, except `keepStage` (macros sent for the command at hand). */
  clearMessage(keepStage?: string): void {
    for (const stage of [...this.#stages.keys()]) {
      if (!CONNECTION_STAGES.has(stage) && stage !== keepStage) this.#stages.delete(stage);
    }
  }

  clear(): void {
    this.#stages.clear();
  }

  /** All stages merged, later stages winning; spread keeps `__proto__` a plain key too. */
  merged(): Record<string, string> {
    let merged: Record<string, string> = {};
    for (const stage of STAGE_ORDER) {
      const values = this.#stages.get(stage);
      if (values) merged = { ...merged, ...values };
    }
    return merged;
  }

  /** The `i` macro in force (latest stage that has one), or '' when none was sent (yet). */
  queueIdMacro(): string {
    for (let i = STAGE_ORDER.length - 1; i >= 0; i--) {
      const values = this.#stages.get(STAGE_ORDER[i] as string);
      if (values && Object.hasOwn(values, 'i')) return values['i'] ?? '';
    }
    return '';
  }
}
