/**
 * Releasing and discarding held messages: the one path by which a held mail leaves the hold
 * queue, whoever asks (the CLI now, approvers and the admin console later).
 *
 * Order of steps, and why:
 * 1. the record must exist and be `held`;
 * 2. the queue file must still be the message we held (`verifyHeldMessage`: queue ids are
 *    reused, and an admin may have acted by hand);
 * 3. the state changes first, as a compare-and-set, so two deciders racing produce one action;
 * 4. Postfix acts; the outcome is judged from the queue. If it did not act, the state is put
 *    back with a note, so the record never claims a release that did not happen.
 */
import { NOQUEUE, type Logger } from '../log/logger.js';
import {
  deleteMessage,
  releaseFromHold,
  verifyHeldMessage,
  type PostfixToolOptions,
  type QueueActionResult,
} from '../mta/index.js';
import type { MessageRecord, MessageState, Store } from '../store/index.js';
import { ID_HEADER } from '../engine/headers.js';

export interface HeldActionDeps {
  readonly store: Store;
  readonly postfix: PostfixToolOptions;
  readonly logger: Logger;
}

export type HeldActionFailure =
  | 'unknown-message'
  | 'not-held'
  | 'no-queue-id'
  | 'queue-gone'
  | 'queue-mismatch'
  | 'lost-race'
  | 'postfix-failed';

export type HeldActionResult =
  | { readonly ok: true; readonly record: MessageRecord; readonly detail: string }
  | { readonly ok: false; readonly failure: HeldActionFailure; readonly detail: string };

export interface Decider {
  /** Who acts: an admin login, an approver's address, `cli:<user>`. */
  readonly actor: string;
  readonly reason?: string;
}

export function releaseHeld(deps: HeldActionDeps, id: string, by: Decider): Promise<HeldActionResult> {
  return act(deps, id, by, { to: 'released', verb: 'release', run: releaseFromHold, success: 'released', closesWhenGone: false });
}

export function discardHeld(deps: HeldActionDeps, id: string, by: Decider): Promise<HeldActionResult> {
  return act(deps, id, by, { to: 'discarded', verb: 'discard', run: deleteMessage, success: 'deleted', closesWhenGone: true });
}

interface Step {
  readonly to: MessageState;
  readonly verb: string;
  readonly run: (queueId: string, options: PostfixToolOptions) => Promise<QueueActionResult>;
  readonly success: QueueActionResult['outcome'];
  /**
   * When the queue file is already gone, discarding still has a meaning (Outguard will never
   * deliver it) so the record is closed, with the fact written in the audit trail; releasing
   * does not (the mail would have to be re-injected from the stored copy: issue 6).
   */
  readonly closesWhenGone: boolean;
}

async function act(deps: HeldActionDeps, id: string, by: Decider, step: Step): Promise<HeldActionResult> {
  const record = await deps.store.getMessage(id);
  if (!record) return fail('unknown-message', `no message with id or queue id ${id}`);
  const log = deps.logger.child({ qid: record.queueId ?? NOQUEUE, mid: record.id, phase: step.verb });
  if (record.state !== 'held') return fail('not-held', `message ${record.id} is ${record.state}, not held`);
  if (!record.queueId) return fail('no-queue-id', `message ${record.id} has no Postfix queue id on record`);

  // Our id header, added at hold time, names the queue file exactly; recipients are not
  // compared because Postfix may rewrite or deduplicate them after the milter saw them.
  let check: Awaited<ReturnType<typeof verifyHeldMessage>>;
  try {
    check = await verifyHeldMessage(
      record.queueId,
      { sender: record.sender, messageId: null, marker: { name: ID_HEADER, value: record.id } },
      deps.postfix,
    );
  } catch (err) {
    return fail('postfix-failed', `cannot read the Postfix queue: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!check.ok && check.reason === 'not-found' && step.closesWhenGone) {
    return closeGone(deps, record, by, step, log);
  }
  if (!check.ok) {
    log.warn('held message does not match the queue', { reason: check.reason, detail: check.detail });
    const failure = check.reason === 'mismatch' ? 'queue-mismatch' : 'queue-gone';
    return fail(failure, `${check.detail}; nothing was changed`);
  }

  const note = { actor: by.actor, ...(by.reason ? { reason: by.reason } : {}) };
  if (!(await deps.store.transition(record.id, ['held'], step.to, note))) {
    return fail('lost-race', `message ${record.id} was decided by someone else meanwhile`);
  }
  let outcome: QueueActionResult;
  try {
    outcome = await step.run(record.queueId, deps.postfix);
  } catch (err) {
    // A tool that timed out or is missing: we cannot tell what Postfix did, so the queue decides
    // on the next attempt; the record goes back to held rather than claim an outcome.
    outcome = { outcome: 'failed', detail: `postfix tools failed: ${(err as Error).message}` };
  }
  if (outcome.outcome !== step.success) {
    await deps.store.transition(record.id, [step.to], 'held', {
      actor: 'outguard',
      reason: `${step.verb} failed: ${outcome.detail}`,
    });
    log.error(`${step.verb} failed`, { actor: by.actor, outcome: outcome.outcome, detail: outcome.detail });
    return fail('postfix-failed', outcome.detail);
  }
  // The copy only existed so the mail could be shown or re-injected while undecided.
  await deps.store.deleteRawCopy(record.id);
  log.info(`${step.verb}d`, { actor: by.actor, detail: outcome.detail });
  const updated = (await deps.store.getMessage(record.id)) ?? record;
  return { ok: true, record: updated, detail: outcome.detail };
}

async function closeGone(
  deps: HeldActionDeps,
  record: MessageRecord,
  by: Decider,
  step: Step,
  log: Logger,
): Promise<HeldActionResult> {
  const detail = `${record.queueId} was already gone from the Postfix queue (released or deleted outside Outguard)`;
  const reason = by.reason ? `${by.reason}; ${detail}` : detail;
  if (!(await deps.store.transition(record.id, ['held'], step.to, { actor: by.actor, reason }))) {
    return fail('lost-race', `message ${record.id} was decided by someone else meanwhile`);
  }
  await deps.store.deleteRawCopy(record.id);
  log.warn(`${step.verb}: queue file already gone, record closed`, { actor: by.actor });
  return { ok: true, record: (await deps.store.getMessage(record.id)) ?? record, detail };
}

function fail(failure: HeldActionFailure, detail: string): HeldActionResult {
  return { ok: false, failure, detail };
}
