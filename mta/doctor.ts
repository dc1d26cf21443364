/**
 * `outguard doctor` for Postfix: reads the live configuration with postconf and reports every
 * setting Outguard depends on, each with the exact `postconf -e` line that fixes it.
 *
 * Owns: the list of checks and their verdicts. Does not own: printing the report (cli/) or
 * changing anything; the doctor never writes to the Postfix configuration.
 *
 * A missing or unreadable Postfix yields one `fail` check, never an exception.
 */
import {
  DEFAULT_COMMAND_DIR,
  PostfixToolError,
  postconf,
  postconfService,
  type PostfixToolOptions,
} from './postfix-tools.js';
import {
  formatMilterList,
  milterAddressMatches,
  parseMilterList,
  postfixMilterAddress,
  type MilterListEntry,
} from './milter-list.js';
import { parseTimeParameter } from './postfix-time.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  /** Stable id: the Postfix parameter or service the check is about. */
  readonly id: string;
  readonly status: CheckStatus;
  readonly message: string;
  /** A command to run as root that fixes the problem; absent when status is ok. */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly checks: readonly DoctorCheck[];
}

export interface PostfixDoctorInput {
  readonly configDir?: string | undefined;
  readonly commandDir?: string | undefined;
  /** Outguard's `milter.listen`, e.g. `inet:127.0.0.1:10030`. */
  readonly milterListen: string;
  /** Outguard's `approval.expiryHours`: the longest a message stays held. */
  readonly approvalExpiryHours: number;
}

/**
 * Released mail keeps its original create time. After release it needs time for retries before
 * maximal_queue_lifetime runs out, so the held period should use at most half the lifetime.
 */
const EXPIRY_SHARE_OF_LIFETIME = 0.5;

/**
 * Content timeouts below 30 s (Postfix's own command timeout) leave no slack on a busy relay;
 * above 600 s the SMTP client has already given up on the end-of-data reply (RFC 5321
 * 4.5.3.2.6 recommends a 10-minute client timeout), so a longer wait helps nobody.
 */
const MIN_CONTENT_TIMEOUT_S = 30;
const MAX_CONTENT_TIMEOUT_S = 600;

/** Macros Outguard wants at end of message; it also requests them itself via setsymlist. */
const EOD_MACROS = ['i', '{auth_authen}', '{client_addr}', '{client_name}', '{daemon_name}'];

const FLUSH_SERVICE = 'flush/unix = flush unix n - n 1000? 0 flush';

const PARAMETERS = [
  'mail_version',
  'queue_directory',
  'enable_long_queue_ids',
  'smtpd_milters',
  'non_smtpd_milters',
  'milter_default_action',
  'milter_protocol',
  'milter_end_of_data_macros',
  'milter_mail_macros',
  'maximal_queue_lifetime',
  'bounce_queue_lifetime',
  'milter_content_timeout',
] as const;

type Params = Record<(typeof PARAMETERS)[number], string>;

/** Context shared by the individual checks. */
interface CheckContext {
  readonly params: Params;
  readonly input: PostfixDoctorInput;
  /** `postconf` or `postconf -c DIR`, the start of every fix line. */
  readonly postconfCommand: string;
}

/**
 * Run every Postfix check. A Postfix problem (not installed, unreadable configuration) becomes a
 * `fail` check; the function throws only for an invalid `milterListen`, which config validation
 * already rules out.
 */
export async function checkPostfix(input: PostfixDoctorInput): Promise<DoctorReport> {
  const options: PostfixToolOptions = { configDir: input.configDir, commandDir: input.commandDir };
  let params: Params;
  let flush: string | null;
  try {
    const values = await postconf(PARAMETERS, options);
    // An older Postfix leaves out parameters it does not know; treat them as empty.
    params = Object.fromEntries(PARAMETERS.map((n) => [n, values[n] ?? ''])) as Params;
    flush = await postconfService('flush/unix', options);
  } catch (err) {
    return { checks: [postfixUnavailable(err, input)] };
  }
  const ctx: CheckContext = { params, input, postconfCommand: postconfCommand(input) };
  const ourMilter = postfixMilterAddress(input.milterListen);
  return {
    checks: [
      { id: 'postfix', status: 'ok', message: `Postfix ${params.mail_version} found` },
      checkLongQueueIds(ctx),
      checkMilterList(ctx, 'smtpd_milters', ourMilter),
      checkMilterList(ctx, 'non_smtpd_milters', ourMilter),
      checkDefaultAction(ctx),
      checkProtocol(ctx),
      checkMacros(ctx, 'milter_end_of_data_macros', EOD_MACROS),
      checkMacros(ctx, 'milter_mail_macros', ['i']),
      checkLifetime(ctx, 'maximal_queue_lifetime'),
      checkLifetime(ctx, 'bounce_queue_lifetime'),
      checkFlush(ctx, flush),
      checkContentTimeout(ctx),
    ],
  };
}

/** The worst status in a report: `fail` beats `warn` beats `ok`. */
export function worstStatus(report: DoctorReport): CheckStatus {
  const statuses = report.checks.map((c) => c.status);
  if (statuses.includes('fail')) return 'fail';
  return statuses.includes('warn') ? 'warn' : 'ok';
}

function postfixUnavailable(err: unknown, input: PostfixDoctorInput): DoctorCheck {
  const notInstalled = err instanceof PostfixToolError && err.code === 'not-installed';
  const dir = input.commandDir ?? DEFAULT_COMMAND_DIR;
  const message = notInstalled
    ? `Postfix is not installed (no postconf in ${dir})`
    : `cannot read the Postfix configuration: ${(err as Error).message}`;
  const fix = notInstalled
    ? 'DEBIAN_FRONTEND=noninteractive apt-get install -y postfix'
    : undefined;
  const check: DoctorCheck = { id: 'postfix', status: 'fail', message };
  return fix ? { ...check, fix } : check;
}

/** Quote for a POSIX shell: the fix lines are meant to be pasted. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function postconfCommand(input: PostfixDoctorInput): string {
  const dir = input.commandDir && input.commandDir !== DEFAULT_COMMAND_DIR ? input.commandDir : '';
  const binary = dir ? `${dir.replace(/\/$/, '')}/postconf` : 'postconf';
  return input.configDir ? `${binary} -c ${shellQuote(input.configDir)}` : binary;
}

/** `postconf -e 'name = value'`. */
function setFix(ctx: CheckContext, name: string, value: string): string {
  return `${ctx.postconfCommand} -e ${shellQuote(`${name} = ${value}`)}`;
}

function checkLongQueueIds(ctx: CheckContext): DoctorCheck {
  const id = 'enable_long_queue_ids';
  if (ctx.params.enable_long_queue_ids === 'yes') {
    return { id, status: 'ok', message: 'long queue ids are on' };
  }
  return {
    id,
    status: 'warn',
    message:
      'short queue ids get reused, so an approval could act on a different message than the ' +
      'one held (Outguard re-checks sender, recipients and Message-ID, and then refuses)',
    fix: setFix(ctx, id, 'yes'),
  };
}

function ourEntry(ctx: CheckContext, list: string): MilterListEntry | undefined {
  return parseMilterList(list).find((e) =>
    milterAddressMatches(e.address, ctx.input.milterListen, ctx.params.queue_directory),
  );
}

function checkMilterList(
  ctx: CheckContext,
  id: 'smtpd_milters' | 'non_smtpd_milters',
  ourMilter: string,
): DoctorCheck {
  const list = ctx.params[id];
  if (ourEntry(ctx, list)) return { id, status: 'ok', message: `${id} includes Outguard` };
  const what =
    id === 'smtpd_milters' ? 'mail received over SMTP' : 'mail submitted with sendmail(1)';
  const entries = [...parseMilterList(list), { address: ourMilter, settings: {} }];
  return {
    id,
    status: 'fail',
    message: `${id} does not include ${ourMilter}: ${what} leaves without a DLP scan`,
    fix: setFix(ctx, id, formatMilterList(entries)),
  };
}

/**
 * Effective default action for our milter: a per-milter `default_action` in a `{ … }` group
 * overrides milter_default_action. Both lists are checked; the worst one is reported.
 */
function checkDefaultAction(ctx: CheckContext): DoctorCheck {
  const id = 'milter_default_action';
  const global = ctx.params.milter_default_action;
  const effective = (['smtpd_milters', 'non_smtpd_milters'] as const).map((list) => {
    const override = ourEntry(ctx, ctx.params[list])?.settings.default_action;
    return { list, action: override ?? global, overridden: override !== undefined };
  });
  const fixFor = (e: (typeof effective)[number]): string =>
    e.overridden ? setFix(ctx, e.list, withQuarantine(ctx, e.list)) : setFix(ctx, id, 'quarantine');
  const where = (e: (typeof effective)[number]): string =>
    e.overridden ? `${e.list} sets default_action=${e.action} for Outguard` : `${id} = ${e.action}`;

  const failOpen = effective.find((e) => e.action === 'accept');
  if (failOpen) {
    return {
      id,
      status: 'fail',
      message: `${where(failOpen)}: fail-open, mail leaves unscanned while Outguard is unavailable`,
      fix: fixFor(failOpen),
    };
  }
  const other = effective.find((e) => e.action !== 'quarantine');
  if (!other) {
    return { id, status: 'ok', message: 'quarantine: mail is held while Outguard is unavailable' };
  }
  const closedButNoisy = other.action === 'tempfail' || other.action === 'shutdown';
  return {
    id,
    status: 'warn',
    message: closedButNoisy
      ? `${where(other)}: fails closed, but senders' clients retry and see delays while ` +
        'Outguard is down; quarantine holds the mail for review instead'
      : `${where(other)}: quarantine is the recommended fail-closed action`,
    fix: fixFor(other),
  };
}

/** The list with our group's default_action set to quarantine. */
function withQuarantine(ctx: CheckContext, list: 'smtpd_milters' | 'non_smtpd_milters'): string {
  const entries = parseMilterList(ctx.params[list]).map((e) =>
    milterAddressMatches(e.address, ctx.input.milterListen, ctx.params.queue_directory)
      ? { address: e.address, settings: { ...e.settings, default_action: 'quarantine' } }
      : e,
  );
  return formatMilterList(entries);
}

function checkProtocol(ctx: CheckContext): DoctorCheck {
  const id = 'milter_protocol';
  const version = Number(ctx.params.milter_protocol);
  if (Number.isInteger(version) && version >= 6) {
    return { id, status: 'ok', message: `milter protocol ${version}` };
  }
  return {
    id,
    status: 'warn',
    message:
      `milter protocol ${ctx.params.milter_protocol}: Outguard needs version 6 to request ` +
      'its macros (setsymlist); older versions send only the configured macro lists',
    fix: setFix(ctx, id, '6'),
  };
}

function macroTokens(value: string): string[] {
  return value.split(/[\s,]+/).filter((t) => t !== '');
}

function checkMacros(
  ctx: CheckContext,
  id: 'milter_end_of_data_macros' | 'milter_mail_macros',
  wanted: readonly string[],
): DoctorCheck {
  const have = macroTokens(ctx.params[id]);
  if (have.includes('i')) {
    return {
      id,
      status: 'ok',
      message:
        'includes the queue id macro i; Outguard requests its other macros itself (setsymlist)',
    };
  }
  const merged = [...have, ...wanted.filter((m) => !have.includes(m))];
  return {
    id,
    status: 'warn',
    message:
      'does not include i (the queue id). Outguard asks for it with setsymlist, which needs ' +
      'milter_protocol 6; without it decisions cannot be matched to queued mail',
    fix: setFix(ctx, id, merged.join(' ')),
  };
}

function checkLifetime(
  ctx: CheckContext,
  id: 'maximal_queue_lifetime' | 'bounce_queue_lifetime',
): DoctorCheck {
  const seconds = parseTimeParameter(id, ctx.params[id]);
  const expiry = ctx.input.approvalExpiryHours * 3600;
  const neededDays = Math.ceil(expiry / EXPIRY_SHARE_OF_LIFETIME / 86_400);
  const fix = setFix(ctx, id, `${neededDays}d`);
  if (seconds === null) {
    return { id, status: 'fail', message: `${ctx.params[id]} is not a valid time value`, fix };
  }
  if (expiry <= seconds * EXPIRY_SHARE_OF_LIFETIME) {
    return {
      id,
      status: 'ok',
      message:
        `${ctx.params[id]} leaves room for the ` +
        `${ctx.input.approvalExpiryHours} h approval expiry`,
    };
  }
  const who = id === 'bounce_queue_lifetime' ? 'held mail with the null sender' : 'held mail';
  return {
    id,
    status: 'warn',
    message:
      `${ctx.params[id]} is less than twice the ${ctx.input.approvalExpiryHours} h approval ` +
      `expiry: ${who} released late keeps its original age and bounces on the first ` +
      'temporary delivery failure',
    fix,
  };
}

function checkFlush(ctx: CheckContext, flush: string | null): DoctorCheck {
  const id = 'flush';
  if (flush) return { id, status: 'ok', message: 'flush service present in master.cf' };
  return {
    id,
    status: 'warn',
    message:
      'no flush service in master.cf: postqueue -i cannot deliver a released message at once, ' +
      'so it waits for the next deferred-queue run (queue_run_delay)',
    fix: `${ctx.postconfCommand} -M -e ${shellQuote(FLUSH_SERVICE)}`,
  };
}

function checkContentTimeout(ctx: CheckContext): DoctorCheck {
  const id = 'milter_content_timeout';
  const value = ctx.params.milter_content_timeout;
  const seconds = parseTimeParameter(id, value);
  const fix = setFix(ctx, id, '300s');
  if (seconds === null) {
    return { id, status: 'fail', message: `${value} is not a valid time value`, fix };
  }
  if (seconds < MIN_CONTENT_TIMEOUT_S) {
    return {
      id,
      status: 'warn',
      message:
        `${value} is too short: a scan of a large attachment can exceed it ` +
        'and the message is then handled by milter_default_action',
      fix,
    };
  }
  if (seconds > MAX_CONTENT_TIMEOUT_S) {
    return {
      id,
      status: 'warn',
      message: `${value} is longer than SMTP clients wait for the end-of-data reply (10 minutes)`,
      fix,
    };
  }
  return { id, status: 'ok', message: `${value} leaves time for long scans` };
}
