/**
 * Postfix time values (`5d`, `3h`, `300s`, bare `3`) as main.cf writes them.
 *
 * Postfix accepts a non-negative whole number with at most one unit letter: s, m, h, d or w.
 * A bare number takes the parameter's own default unit, which differs between parameters
 * (`maximal_queue_lifetime = 3` means three days, `milter_content_timeout = 3` three seconds).
 * Anything else (fractions, `1h30m`, trailing text) is a configuration error in Postfix, so it
 * is one here too.
 */

export type TimeUnit = 's' | 'm' | 'h' | 'd' | 'w';

const UNIT_SECONDS: Readonly<Record<TimeUnit, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

/** Postfix stores times in a C int; larger values are rejected by Postfix itself. */
const MAX_TIME_SECONDS = 2_147_483_647;

/** Default units of the time parameters Outguard reads (postconf(5)). */
export const TIME_PARAMETER_UNITS: Readonly<Record<string, TimeUnit>> = {
  maximal_queue_lifetime: 'd',
  bounce_queue_lifetime: 'd',
  milter_connect_timeout: 's',
  milter_command_timeout: 's',
  milter_content_timeout: 's',
  queue_run_delay: 's',
  minimal_backoff_time: 's',
  maximal_backoff_time: 's',
  smtpd_timeout: 's',
};

/**
 * Seconds denoted by a Postfix time value, or null when Postfix would reject it.
 * `defaultUnit` applies to a bare number.
 */
export function parsePostfixTime(value: string, defaultUnit: TimeUnit): number | null {
  const match = /^(\d{1,10})([smhdw])?$/.exec(value.trim());
  if (!match) return null;
  const unit = (match[2] ?? defaultUnit) as TimeUnit;
  const seconds = Number(match[1]) * UNIT_SECONDS[unit];
  return seconds <= MAX_TIME_SECONDS ? seconds : null;
}

/** Seconds for one of the parameters in `TIME_PARAMETER_UNITS`; null when unparseable. */
export function parseTimeParameter(name: string, value: string): number | null {
  const unit = TIME_PARAMETER_UNITS[name];
  if (!unit) throw new Error(`not a known time parameter: ${name}`);
  return parsePostfixTime(value, unit);
}

/** The shortest exact Postfix spelling of a number of seconds (`259200` → `3d`). */
export function formatPostfixTime(seconds: number): string {
  const units: TimeUnit[] = ['w', 'd', 'h', 'm'];
  for (const unit of units) {
    if (seconds > 0 && seconds % UNIT_SECONDS[unit] === 0) {
      return `${seconds / UNIT_SECONDS[unit]}${unit}`;
    }
  }
  return `${seconds}s`;
}
