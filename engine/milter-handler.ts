/**
 * The milter's end-of-message decision: inspect, record, answer Postfix.
 *
 * Fail closed. The only way a message leaves with an accept is a completed inspection whose
 * decision is accept or monitor and whose record was written. Anything else that goes wrong
 * (an exception, a scan past its time budget, a scan worker that died, a full scan queue, a
 * store that cannot write) answers `milter.onError`: tempfail (the client retries) or
 * quarantine (Postfix holds the mail).
 */
import { Buffer } from 'node:buffer';
import type { Config } from '../config/schema.js';
import type { ExtractLimits } from '../content/index.js';
import type { Detection } from '../detectors/types.js';
import { NOQUEUE, type Logger } from '../log/logger.js';
import { loadRaw, rawSize, type RawMessage } from '../milter/spool.js';
import type { EomVerdict, MessageEnvelope, MilterHandler } from '../milter/types.js';
import { outguardHeaders } from './headers.js';
import type { Action, Policy } from '../policies/types.js';
import { checkRawCopySize, newMessageId, type MessageState, type Store } from '../store/index.js';
import { inspectMessage, type Inspection } from './inspect.js';
import { buildRecord } from './message-record.js';
import type { Scanner } from './scanner.js';

export interface MilterHandlerDeps {
  readonly store: Store;
  /** Read at each message, so a reloaded policy applies to the next mail. */
  readonly policy: () => Policy;
  /**
   * The detector set from the settings; read at each message, like the policy. Used by the
   * in-process scanner only: a pool's children hold their own (ScanPool.setDetection).
   */
  readonly detection?: () => Detection;
  /** Where extraction and detection run: the daemon's worker pool; default in this process. */
  readonly scanner?: Scanner;
  /** Per-message extraction limits (settings `extraction`); default DEFAULT_LIMITS. */
  readonly limits?: ExtractLimits;
  readonly logger: Logger;
  readonly settings: Pick<Config['milter'], 'scanTimeoutMs' | 'onError'>;
  /** The inspection pipeline; replaced only by tests that need it to fail or stall. */
  readonly inspect?: typeof inspectMessage;
}

export const STATE_FOR_ACTION: Record<Action, MessageState> = {
  accept: 'accepted',
  monitor: 'monitored',
  hold: 'held',
  block: 'rejected',
};

export function createMilterHandler(deps: MilterHandlerDeps): MilterHandler {
  return {
    async onEndOfMessage(envelope) {
      const id = newMessageId();
      const log = deps.logger.child({ qid: envelope.queueId ?? NOQUEUE, mid: id, phase: 'eom' });
      const started = Date.now();
      // Set once the record is written, so a later failure corrects it instead of adding a twin.
      let recorded: MessageState | null = null;
      try {
        const inspect = deps.inspect ?? inspectMessage;
        const inspection = await withTimeout(
          inspect(envelope.raw, {
            policy: deps.policy(),
            truncated: envelope.truncated,
            label: envelope.queueId ?? NOQUEUE,
            ...(deps.detection ? { detection: deps.detection() } : {}),
            ...(deps.scanner ? { scanner: deps.scanner } : {}),
            ...(deps.limits ? { limits: deps.limits } : {}),
          }),
          deps.settings.scanTimeoutMs,
        );
        const action = inspection.decision.action;
        await deps.store.recordMessage(buildRecord(id, envelope, inspection, STATE_FOR_ACTION[action]));
        recorded = STATE_FOR_ACTION[action];
        if (action === 'hold') await saveCopy(deps.store, id, envelope.raw);
        logVerdict(log, inspection, envelope, Date.now() - started);
        return verdictFor(id, inspection);
      } catch (err) {
        return failClosed(deps, log, { id, envelope, err, recorded });
      }
    },
  };
}

function verdictFor(id: string, inspection: Inspection): EomVerdict {
  const { decision } = inspection;
  const headers = outguardHeaders(id, decision.action, decision.ruleId);
  switch (decision.action) {
    case 'accept':
    case 'monitor':
      return { kind: 'accept', headers };
    case 'hold':
      return { kind: 'quarantine', reason: `outguard hold rule=${decision.ruleId ?? 'default'} id=${id}`, headers };
    case 'block':
      return {
        kind: 'reject',
        reply: {
          code: 550,
          enhanced: '5.7.1',
          text: `${decision.reply?.en ?? 'Message blocked by the outbound data-loss policy'} (rule ${decision.ruleId ?? 'default'}, ref ${id})`,
        },
      };
  }
}

interface Failure {
  readonly id: string;
  readonly envelope: MessageEnvelope;
  readonly err: unknown;
  /** The state already recorded for this message, or null when nothing was written. */
  readonly recorded: MessageState | null;
}

async function failClosed(deps: MilterHandlerDeps, log: Logger, failure: Failure): Promise<EomVerdict> {
  const { id, envelope, err } = failure;
  const onError = deps.settings.onError;
  log.error('inspection failed', { err: errorText(err), outcome: onError });
  log.info('verdict', { action: onError, rule: 'could-not-inspect', size: rawSize(envelope.raw), rcpts: envelope.recipients.length });
  if (onError === 'quarantine') {
    // The hold is only safe to rely on if someone can find the message later: keep its raw copy.
    await recordFailure(deps, log, failure, 'held', () => saveCopy(deps.store, id, envelope.raw));
    return {
      kind: 'quarantine',
      reason: `outguard hold: could not inspect id=${id}`,
      headers: outguardHeaders(id, 'hold', 'could-not-inspect'),
    };
  }
  await recordFailure(deps, log, failure, 'tempfailed');
  return {
    kind: 'tempfail',
    reply: { code: 451, enhanced: '4.7.1', text: `Outbound inspection unavailable, try again later (ref ${id})` },
  };
}

/** Best effort: the verdict to Postfix stands whether or not the store can take the record. */
async function recordFailure(
  deps: MilterHandlerDeps,
  log: Logger,
  failure: Failure,
  state: MessageState,
  then?: () => Promise<void>,
): Promise<void> {
  const { id, envelope, err, recorded } = failure;
  try {
    if (recorded === null) {
      await deps.store.recordMessage(buildFailureRecord(id, envelope, err, state));
    } else if (recorded !== state) {
      await deps.store.transition(id, [recorded], state, { actor: 'outguard', reason: errorText(err) });
    }
    await then?.();
  } catch (storeErr) {
    log.error(`cannot record ${state} message`, { err: errorText(storeErr) });
  }
}

function buildFailureRecord(id: string, envelope: MessageEnvelope, err: unknown, state: MessageState) {
  return buildRecord(id, envelope, null, state, errorText(err));
}

/** The held message's copy; its size is checked before a spooled one is read into memory. */
async function saveCopy(store: Store, id: string, raw: RawMessage): Promise<void> {
  checkRawCopySize(id, rawSize(raw));
  await store.saveRawCopy(id, await loadRaw(raw));
}

function logVerdict(log: Logger, inspection: Inspection, envelope: MessageEnvelope, ms: number): void {
  const { decision } = inspection;
  log.info('verdict', {
    action: decision.action,
    rule: decision.ruleId ?? 'default',
    reason: decision.reason,
    counts: decision.countsByType,
    problems: inspection.problems.map((p) => p.code),
    size: rawSize(envelope.raw),
    spooled: !Buffer.isBuffer(envelope.raw),
    rcpts: envelope.recipients.length,
    ms,
  });
}

class ScanTimeoutError extends Error {
  override readonly name = 'ScanTimeoutError';
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScanTimeoutError(`scan exceeded ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
