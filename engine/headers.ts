/**
 * The headers Outguard adds to every message it decides on. `X-Outguard-Id` also identifies a
 * held queue file when it is released: queue ids get reused, our id does not.
 */
import type { HeaderEdit } from '../milter/types.js';

export const ID_HEADER = 'X-Outguard-Id';
export const VERDICT_HEADER = 'X-Outguard-Verdict';

export function outguardHeaders(id: string, verdict: string, ruleId: string | null): HeaderEdit[] {
  return [
    { op: 'add', name: ID_HEADER, value: id },
    { op: 'add', name: VERDICT_HEADER, value: `${verdict}; rule=${ruleId ?? 'default'}` },
  ];
}
