/**
 * Calling the handler safely: progress packets while it works, and a fixed fail-closed answer
 * when it throws or rejects. The MTA is waiting on a timer (Postfix milter_content_timeout,
 * 300 s by default) that each progress packet restarts; a handler fault must never let mail
 * through, so the fallback the caller passes is always a tempfail.
 */
import type { Logger } from '../log/logger.js';

export interface HandlerCallOptions<T> {
  /** Log field `phase`, e.g. `eom`. */
  readonly phase: string;
  /** The answer when the handler throws or rejects. */
  readonly fallback: T;
  readonly log: Logger;
  /** Called every `progressIntervalMs` while the handler works; null sends nothing. */
  readonly progress: (() => void) | null;
  readonly progressIntervalMs: number;
}

/** Run `call`; resolves with its answer, or with `fallback` (logged as an error) on failure. */
export async function callHandler<T>(
  options: HandlerCallOptions<T>,
  call: () => T | Promise<T>,
): Promise<T> {
  const { progress } = options;
  const timer = progress ? setInterval(progress, options.progressIntervalMs) : null;
  timer?.unref();
  try {
    return await call();
  } catch (err) {
    options.log.error('handler failed, sending tempfail', {
      phase: options.phase,
      ...errorFields(err),
    });
    return options.fallback;
  } finally {
    if (timer) clearInterval(timer);
  }
}

/** An error as log fields: message and stack, never the objects it may reference. */
export function errorFields(err: unknown): Record<string, string | undefined> {
  if (err instanceof Error) return { error: err.message, stack: err.stack };
  return { error: String(err) };
}
