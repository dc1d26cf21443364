/**
 * Running Postfix's command-line tools (postconf, postqueue, postsuper, postcat).
 *
 * Owns: how a tool is located and invoked, queue-id validation, and reading `postconf` output.
 * Does not own: what the output means for the queue (`mta/queue.ts`) or for the configuration
 * (`mta/doctor.ts`).
 *
 * Invariants:
 * - tools run through execFile with an argument vector, never through a shell;
 * - every queue id is checked against `isValidQueueId` before it reaches an argument list;
 * - `-c configDir` goes to every tool when a config dir is configured;
 * - a non-zero exit is data, not an exception: Postfix tools exit 0 when nothing matched and
 *   callers judge the outcome from the output and the queue. Only "could not run at all"
 *   (missing binary, timeout) throws `PostfixToolError`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

/** Where the tools live and which Postfix instance they act on. */
export interface PostfixToolOptions {
  /** Postfix configuration directory, passed as `-c`. Unset means the tools' built-in default. */
  readonly configDir?: string | undefined;
  /** Folder holding postconf, postqueue, postsuper and postcat. Default `/usr/sbin`. */
  readonly commandDir?: string | undefined;
  /** Longest one tool run may take. Default `TOOL_TIMEOUT_MS`. */
  readonly timeoutMs?: number | undefined;
}

export type PostfixTool = 'postconf' | 'postqueue' | 'postsuper' | 'postcat' | 'postfix';

export interface ToolResult {
  /** Exit status; null when the process was killed by a signal. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const DEFAULT_COMMAND_DIR = '/usr/sbin';

/**
 * postqueue -j on a queue of ~10,000 messages finishes in about a second; 30 s leaves room for a
 * loaded machine without letting a hung tool stall the approval service forever.
 */
export const TOOL_TIMEOUT_MS = 30_000;

/**
 * postqueue -j prints ~250 bytes per message; 64 MiB covers a queue of a quarter million
 * messages, far beyond anything a relay should hold.
 */
const MAX_TOOL_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Postfix long queue ids (enable_long_queue_ids = yes): a base-52 timestamp, a base-51 inode
 * number and a `z` separator, drawn from digits and consonants only. Short ids are upper-case
 * hex. A long id is about 15 characters; 32 bounds both with room to spare.
 */
const LONG_QUEUE_ID = /^[0-9BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz]{10,32}$/;
const SHORT_QUEUE_ID = /^[0-9A-F]{6,32}$/;

/** Raised when a tool could not be run at all, or a caller passed an unusable queue id. */
export class PostfixToolError extends Error {
  constructor(
    message: string,
    readonly code: 'not-installed' | 'timeout' | 'spawn-failed' | 'bad-queue-id',
  ) {
    super(message);
    this.name = 'PostfixToolError';
  }
}

/** True for a string that can only be a Postfix queue id (long or short form). */
export function isValidQueueId(queueId: string): boolean {
  return LONG_QUEUE_ID.test(queueId) || SHORT_QUEUE_ID.test(queueId);
}

/** Throw `PostfixToolError('bad-queue-id')` unless `queueId` is a valid queue id. */
export function assertQueueId(queueId: string): void {
  if (typeof queueId !== 'string' || !isValidQueueId(queueId)) {
    // JSON.stringify keeps control characters in the message harmless.
    const shown = JSON.stringify(queueId);
    throw new PostfixToolError(`not a Postfix queue id: ${shown}`, 'bad-queue-id');
  }
}

/** The argument prefix every tool gets: `-c DIR` when a config dir is set. */
function configArgs(options: PostfixToolOptions): string[] {
  return options.configDir ? ['-c', options.configDir] : [];
}

/**
 * Run one Postfix tool with `-c DIR` prepended to `args`. Resolves with the exit code and both
 * outputs whatever the exit status; rejects only when the tool could not be run.
 */
export function runTool(
  tool: PostfixTool,
  args: readonly string[],
  options: PostfixToolOptions = {},
  input?: string,
): Promise<ToolResult> {
  const file = path.join(options.commandDir ?? DEFAULT_COMMAND_DIR, tool);
  const argv = [...configArgs(options), ...args];
  const timeout = options.timeoutMs ?? TOOL_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      argv,
      { timeout, maxBuffer: MAX_TOOL_OUTPUT_BYTES, encoding: 'utf8', env: toolEnv() },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (err.code === 'ENOENT' || err.code === 'EACCES') {
          const why = `${file} not found or not executable`;
          return reject(new PostfixToolError(why, 'not-installed'));
        }
        if (err.killed) {
          return reject(new PostfixToolError(`${tool} timed out after ${timeout} ms`, 'timeout'));
        }
        if (typeof err.code === 'number') return resolve({ exitCode: err.code, stdout, stderr });
        if (child.signalCode) return resolve({ exitCode: null, stdout, stderr });
        reject(new PostfixToolError(`${tool} failed to run: ${err.message}`, 'spawn-failed'));
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * A fixed, minimal environment: the tools read MAIL_CONFIG and friends from it, and an
 * inherited value must not silently point them at another Postfix instance.
 */
function toolEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
}

/** The first `postconf: fatal: …` or warning line, for error details. */
export function firstDiagnostic(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '');
  return line?.trim() ?? '';
}

/** The tool's first diagnostic line, or its exit status when it printed none. */
export function describeFailure(result: ToolResult): string {
  return firstDiagnostic(result.stderr) || `exit ${String(result.exitCode)}`;
}

export interface PostconfOptions extends PostfixToolOptions {
  /** Report built-in defaults (`postconf -d`) instead of the instance's settings. */
  readonly defaults?: boolean;
  /** Expand `$name` references (`postconf -x`). Default true; ignored with `defaults`. */
  readonly expand?: boolean;
}

/**
 * Read main.cf parameters. Returns name → value for every name Postfix knows; unknown names are
 * left out (postconf only warns about them). Throws `PostfixToolError` when postconf cannot run
 * and a plain Error when it exits non-zero (for example, no main.cf in the config dir).
 */
export async function postconf(
  names: readonly string[],
  options: PostconfOptions = {},
): Promise<Record<string, string>> {
  const flags = options.defaults ? ['-d'] : options.expand === false ? [] : ['-x'];
  const result = await runTool('postconf', [...flags, ...names], options);
  if (result.exitCode !== 0) {
    throw new Error(`postconf failed: ${describeFailure(result)}`);
  }
  return parsePostconfOutput(result.stdout);
}

/** Parse `name = value` lines; a value may be empty. */
export function parsePostconfOutput(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_]+) =(?: (.*))?$/.exec(line);
    if (match) values[match[1] as string] = match[2] ?? '';
  }
  return values;
}

/**
 * The master.cf entry for `service/type` (e.g. `flush/unix`) as one line, or null when the
 * service is not defined.
 */
export async function postconfService(
  service: string,
  options: PostfixToolOptions = {},
): Promise<string | null> {
  if (!/^[A-Za-z0-9_.:[\]-]+\/[a-z-]+$/.test(service)) {
    throw new Error(`not a master.cf service/type: ${JSON.stringify(service)}`);
  }
  const result = await runTool('postconf', ['-M', service], options);
  if (result.exitCode !== 0) {
    throw new Error(`postconf -M failed: ${describeFailure(result)}`);
  }
  const line = result.stdout.split('\n').find((l) => l.trim() !== '');
  return line?.trim() ?? null;
}
