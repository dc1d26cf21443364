/**
 * Running the real `outguard` command from tests: a daemon (`outguard start`) in a throwaway
 * data folder, and one-shot commands with captured output.
 *
 * Commands run from the TypeScript sources through tsx, so a test never exercises a stale
 * build; `test/cli.test.ts` checks the compiled binary separately.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(REPO_ROOT, 'cli', 'main.ts');

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `outguard ARGS…` to completion. */
export async function runOutguard(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string | Buffer; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

/** The environment without settings from the developer's shell that would change results. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('OUTGUARD_') || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  return env;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface OutguardDaemon {
  /** Process id of the daemon (its scan workers are its children). */
  readonly pid: number;
  readonly dataDir: string;
  readonly milterPort: number;
  readonly webPort: number;
  /** Settings to pass to one-shot commands so they act on this daemon's store and Postfix. */
  readonly env: Record<string, string>;
  /** JSON log lines written so far. */
  logLines(): Array<Record<string, unknown>>;
  /** Send a signal to the daemon (SIGHUP reloads the policy). */
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** Start `outguard start` and wait until it logs that it listens. */
export async function startOutguard(env: Record<string, string> = {}): Promise<OutguardDaemon> {
  const dataDir = env.OUTGUARD_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'og-data-'));
  const milterPort = await freePort();
  const webPort = await freePort();
  const fullEnv = {
    OUTGUARD_DATA_DIR: dataDir,
    OUTGUARD_MILTER_LISTEN: `inet:127.0.0.1:${milterPort}`,
    OUTGUARD_WEB_LISTEN: `127.0.0.1:${webPort}`,
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    cwd: REPO_ROOT,
    env: { ...cleanEnv(), ...fullEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const logLines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const deadline = Date.now() + 30_000;
  while (!logLines().some((l) => l.message === 'outguard started')) {
    if (child.exitCode !== null) throw new Error(`outguard exited with ${child.exitCode}: ${err}${out}`);
    if (Date.now() > deadline) throw new Error(`outguard did not start in time: ${err}${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid as number,
    dataDir,
    milterPort,
    webPort,
    env: fullEnv,
    logLines,
    signal: (name) => child.kill(name),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}
