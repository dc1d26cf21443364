/**
 * A throwaway real Postfix on loopback, for tests and benchmarks.
 *
 * Everything lives in a fresh temporary directory: `conf/` (main.cf, master.cf), `queue/`
 * (root-owned), `data/` (owned by postfix), `maillog`, and `sink/` where our SMTP sink
 * (`test/support/smtp.ts`) stores every delivered message byte for byte. Postfix relays all
 * mail to that sink; nothing leaves the machine.
 *
 * Requirements: Postfix installed and the tests running as root (Postfix's master, postsuper and
 * postcat need it). Only a missing Postfix is a skip (`SkipError`); anything else is an error,
 * because a silently skipped integration test hides a broken harness.
 *
 * Every started instance is also stopped on process exit or SIGINT/SIGTERM/SIGHUP, so a crashed
 * or interrupted test run does not leave a Postfix master running. Set OUTGUARD_KEEP_POSTFIX=1 to
 * keep the directory (config, maillog, sink files) after stop for inspection.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { listQueue, type QueueEntry } from '../../mta/queue.js';
import type { PostfixToolOptions } from '../../mta/postfix-tools.js';
import {
  readSinkDir,
  smtpSend,
  startSmtpSink,
  type DeliveredMessage,
  type OutgoingMessage,
  type SmtpResult,
  type SmtpSink,
} from './smtp.js';

export type { DeliveredMessage, SmtpResult } from './smtp.js';

const COMMAND_DIR = '/usr/sbin';
const MASTER_CF_DIST = '/usr/share/postfix/master.cf.dist';

/** `postfix start` takes about 2 s here; 30 s covers a loaded CI machine. */
const START_TIMEOUT_MS = 30_000;
/** Poll interval for queue and sink waits: fast enough for tests, cheap for postqueue. */
const POLL_INTERVAL_MS = 100;

/** Thrown when Postfix is not installed; tests turn it into `t.skip()`. */
export class SkipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkipError';
  }
}

/** Why Postfix-backed tests cannot run here, or null when they can. For `describe({ skip })`. */
export function postfixSkipReason(): string | null {
  return existsSync(path.join(COMMAND_DIR, 'postfix')) && existsSync(MASTER_CF_DIST)
    ? null
    : `Postfix is not installed (run scripts/install-system-deps.sh --test)`;
}

export interface TestPostfixOptions {
  /** Milter address, e.g. `inet:127.0.0.1:PORT`; goes in smtpd_milters and non_smtpd_milters. */
  milter?: string;
  /** milter_default_action; default tempfail (Postfix 3.7's own default). */
  defaultAction?: 'tempfail' | 'quarantine' | 'accept';
  /** Extra or overriding main.cf parameters. */
  extraMainCf?: Record<string, string>;
}

export interface TestPostfix {
  /** The temporary directory holding everything below. */
  readonly dir: string;
  readonly configDir: string;
  /** SMTP listener with milters (127.0.0.1). */
  readonly smtpPort: number;
  /** Milter-free listener for Outguard's own notices (127.0.0.1). */
  readonly notifyPort: number;
  /** Where relayed mail goes: our SMTP sink. */
  readonly sinkPort: number;
  /** One `.eml` + `.json` per delivered message. */
  readonly sinkDir: string;
  /** Options for the mta/ functions: `{ configDir }`. */
  readonly tools: PostfixToolOptions;
  /** Send one message in its own SMTP session on `smtpPort`. */
  sendMail(raw: Buffer | string, envelope: { from: string; to: string[] }): Promise<SmtpResult>;
  /** Send several messages on ONE SMTP connection, in order (default port `smtpPort`). */
  sendMany(messages: OutgoingMessage[], port?: number): Promise<SmtpResult[]>;
  /**
   * Submit locally with sendmail(1), as scripts and cron do; this path goes through
   * non_smtpd_milters. Resolves once sendmail has handed the message to Postfix (no queue id).
   */
  submitLocal(raw: Buffer | string, envelope: { from: string; to: string[] }): Promise<void>;
  queue(): Promise<QueueEntry[]>;
  /** Poll the queue until `pred` holds; throws with the last listing on timeout. */
  waitForQueue(pred: (entries: QueueEntry[]) => boolean, timeoutMs: number): Promise<QueueEntry[]>;
  delivered(): Promise<DeliveredMessage[]>;
  /** Wait until the sink holds at least `count` messages. */
  waitForDelivered(count: number, timeoutMs: number): Promise<DeliveredMessage[]>;
  maillog(): Promise<string>;
  /** Change main.cf parameters and reload Postfix. */
  reconfigure(params: Record<string, string>): Promise<void>;
  /** Stop Postfix and the sink and remove the directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Start a fresh Postfix, or mark the test skipped when Postfix is not installed (and return
 * null). For tests that start their own instance: `const pf = await startOrSkip(t); if (!pf)
 * return;`.
 */
export async function startOrSkip(
  t: { skip(message?: string): void },
  options: TestPostfixOptions = {},
): Promise<TestPostfix | null> {
  try {
    return await startTestPostfix(options);
  } catch (err) {
    if (!(err instanceof SkipError)) throw err;
    t.skip(err.message);
    return null;
  }
}

/**
 * Instances still running. If the process exits or is interrupted (Ctrl-C, a runner's SIGTERM)
 * first, they are aborted synchronously so no Postfix master outlives the test run.
 */
const running = new Set<string>();
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function stopAllSync(): void {
  for (const configDir of running) stopSync(configDir);
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  stopAllSync();
  for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  // With no listener left, the default action (terminate) applies; if someone else listens,
  // the signal is theirs to act on.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

process.once('exit', stopAllSync);
for (const signal of STOP_SIGNALS) process.once(signal, onSignal);

/** Start a fresh Postfix. Throws `SkipError` when Postfix is not installed. */
export async function startTestPostfix(options: TestPostfixOptions = {}): Promise<TestPostfix> {
  const skip = postfixSkipReason();
  if (skip) throw new SkipError(skip);
  if (process.getuid?.() !== 0) throw new Error('a test Postfix needs root (master, postsuper)');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'outguard-postfix-'));
  const layout = { configDir: path.join(dir, 'conf'), sinkDir: path.join(dir, 'sink') };
  let sink: SmtpSink | null = null;
  try {
    sink = await startSmtpSink(layout.sinkDir);
    const [smtpPort = 0, notifyPort = 0] = await freePorts(2);
    await prepareDirectories(dir);
    const ports = { smtpPort, notifyPort, sinkPort: sink.port };
    await writeFile(path.join(layout.configDir, 'main.cf'), mainCf(dir, ports.sinkPort, options));
    await writeFile(path.join(layout.configDir, 'master.cf'), await masterCf(smtpPort, notifyPort));
    await settle(layout.configDir);
    running.add(layout.configDir);
    await startPostfix(dir, layout.configDir);
    await waitForBanner(smtpPort);
    await failOnFatalLog(dir);
    return makeHandle(dir, layout.configDir, layout.sinkDir, ports, sink);
  } catch (err) {
    const log = await readFile(path.join(dir, 'maillog'), 'utf8').catch(() => '');
    await cleanup(dir, path.join(dir, 'conf'), sink);
    const detail = log ? `\nmaillog:\n${log.trim().split('\n').slice(-20).join('\n')}` : '';
    throw new Error(`test Postfix failed to start: ${(err as Error).message}${detail}`);
  }
}

/**
 * Postfix re-reads a config file changed within the last second or two until it is stable,
 * pausing 300 ms each time; every Postfix command then takes ~2 s. Dating the files back a
 * minute skips that wait for files we just wrote.
 */
async function settle(configDir: string): Promise<void> {
  const minuteAgo = new Date(Date.now() - 60_000);
  for (const file of ['main.cf', 'master.cf']) {
    await utimes(path.join(configDir, file), minuteAgo, minuteAgo);
  }
}

/** Free loopback TCP ports, found by binding port 0 (all held open together, so distinct). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      return new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function prepareDirectories(dir: string): Promise<void> {
  // Postfix daemons run as the postfix user and must traverse the temp dir (mkdtemp makes 0700).
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'conf'));
  await mkdir(path.join(dir, 'queue'), { mode: 0o755 });
  await mkdir(path.join(dir, 'data'), { mode: 0o700 });
  const { uid, gid } = postfixUser();
  // master.lock lives in data_directory; the postfix user must own it.
  await chown(path.join(dir, 'data'), uid, gid);
}

function postfixUser(): { uid: number; gid: number } {
  const out = execFileSync('/usr/bin/id', ['postfix'], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(out)?.[1];
  const gid = /gid=(\d+)/.exec(out)?.[1];
  if (!uid || !gid) throw new Error(`cannot find the postfix user: ${out}`);
  return { uid: Number(uid), gid: Number(gid) };
}

/** main.cf: loopback only, relay everything to the sink, fast retries. */
function mainCf(dir: string, sinkPort: number, options: TestPostfixOptions): string {
  const milter = options.milter ?? '';
  const params: Record<string, string> = {
    compatibility_level: '3.6',
    myhostname: 'relay.test.invalid',
    inet_interfaces: '127.0.0.1',
    inet_protocols: 'ipv4',
    mynetworks: '127.0.0.0/8',
    mydestination: '',
    local_recipient_maps: '',
    alias_maps: '',
    alias_database: '',
    relayhost: `[127.0.0.1]:${sinkPort}`,
    smtp_dns_support_level: 'disabled',
    smtpd_relay_restrictions: 'permit_mynetworks, reject',
    queue_directory: path.join(dir, 'queue'),
    data_directory: path.join(dir, 'data'),
    maillog_file: path.join(dir, 'maillog'),
    maillog_file_prefixes: dir,
    enable_long_queue_ids: 'yes',
    smtpd_milters: milter,
    non_smtpd_milters: milter,
    milter_default_action: options.defaultAction ?? 'tempfail',
    // Released and deferred mail is retried within seconds, not the default 5 minutes.
    queue_run_delay: '1s',
    minimal_backoff_time: '1s',
    maximal_backoff_time: '2s',
    biff: 'no',
    ...options.extraMainCf,
  };
  return Object.entries(params).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n';
}

/**
 * Debian's default master.cf with chroot off everywhere (a chroot would need /etc files copied
 * into the queue dir), the smtp listener moved to 127.0.0.1:smtpPort, plus a milter-free notify
 * listener as Outguard's own notices use in production.
 */
export async function masterCf(smtpPort: number, notifyPort: number): Promise<string> {
  const dist = await readFile(MASTER_CF_DIST, 'utf8');
  const lines = dist.split('\n').map((line) => {
    if (!/^[A-Za-z0-9]/.test(line)) return line;
    const fields = line.split(/\s+/);
    if (fields.length < 8) return line;
    if (fields[0] === 'smtp' && fields[1] === 'inet') fields[0] = `127.0.0.1:${smtpPort}`;
    fields[4] = 'n';
    return fields.join(' ');
  });
  const notify = [
    `127.0.0.1:${notifyPort} inet n - n - - smtpd`,
    '  -o syslog_name=postfix/notify',
    '  -o smtpd_milters=',
    '  -o non_smtpd_milters=',
    '  -o receive_override_options=no_milters',
    '  -o mynetworks=127.0.0.0/8',
    '  -o smtpd_relay_restrictions=permit_mynetworks,reject',
  ];
  return [...lines, ...notify, ''].join('\n');
}

function run(
  file: string,
  args: string[],
  timeoutMs = START_TIMEOUT_MS,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/**
 * `postfix start` prints its errors only to a terminal (or the maillog), so run it under
 * script(1), which gives it a pty, and put whatever it printed into the thrown error.
 */
async function startPostfix(dir: string, configDir: string): Promise<void> {
  // mkdtemp names are [A-Za-z0-9-]; the quotes guard a TMPDIR with spaces.
  const command = `${COMMAND_DIR}/postfix -c '${configDir.replace(/'/g, `'\\''`)}' start`;
  const haveScript = existsSync('/usr/bin/script');
  const result = haveScript
    ? await run('/usr/bin/script', ['-qec', command, path.join(dir, 'postfix-start.out')])
    : await run(`${COMMAND_DIR}/postfix`, ['-c', configDir, 'start']);
  if (result.code !== 0) {
    throw new Error(`postfix start exited ${result.code}: ${result.output || '(no output)'}`);
  }
}

/**
 * A bad main.cf value can still let master and smtpd start while another daemon (qmgr, say)
 * dies at once; its fatal line in the maillog is the only sign.
 */
async function failOnFatalLog(dir: string): Promise<void> {
  const log = await readFile(path.join(dir, 'maillog'), 'utf8').catch(() => '');
  const fatal = log.split('\n').filter((line) => /\bfatal:/.test(line));
  if (fatal.length > 0) throw new Error(`a Postfix daemon failed: ${fatal.join('; ')}`);
}

/** Wait until the smtpd listener answers with a 220 banner. */
async function waitForBanner(port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const banner = await readBanner(port).catch((err: Error) => `error: ${err.message}`);
    if (banner.startsWith('220')) return;
    lastError = banner;
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`smtpd on port ${port} did not answer: ${lastError}`);
}

function readBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
    socket.once('data', (chunk) => {
      socket.end('QUIT\r\n');
      resolve(chunk.toString('latin1'));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Ports {
  smtpPort: number;
  notifyPort: number;
  sinkPort: number;
}

function makeHandle(
  dir: string,
  configDir: string,
  sinkDir: string,
  ports: Ports,
  sink: SmtpSink,
): TestPostfix {
  const tools: PostfixToolOptions = { configDir, commandDir: COMMAND_DIR };
  let stopped = false;
  const handle: TestPostfix = {
    dir,
    configDir,
    ...ports,
    sinkDir,
    tools,
    async sendMail(raw, envelope) {
      const [result] = await smtpSend(ports.smtpPort, [{ raw, ...envelope }]);
      return result as SmtpResult;
    },
    sendMany: (messages, port = ports.smtpPort) => smtpSend(port, messages),
    submitLocal: (raw, envelope) => submitLocal(configDir, raw, envelope),
    queue: () => listQueue(tools),
    async waitForQueue(pred, timeoutMs) {
      return poll(() => listQueue(tools), pred, timeoutMs, 'queue condition');
    },
    delivered: () => readSinkDir(sinkDir),
    async waitForDelivered(count, timeoutMs) {
      const what = `${count} delivered message(s)`;
      return poll(() => readSinkDir(sinkDir), (m) => m.length >= count, timeoutMs, what);
    },
    maillog: () => readFile(path.join(dir, 'maillog'), 'utf8').catch(() => ''),
    async reconfigure(params) {
      const pairs = Object.entries(params).map(([k, v]) => `${k}=${v}`);
      const edit = await run(`${COMMAND_DIR}/postconf`, ['-c', configDir, '-e', ...pairs]);
      if (edit.code !== 0) throw new Error(`postconf -e failed: ${edit.output}`);
      await settle(configDir);
      const reload = await run(`${COMMAND_DIR}/postfix`, ['-c', configDir, 'reload']);
      if (reload.code !== 0) throw new Error(`postfix reload failed: ${reload.output}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await cleanup(dir, configDir, sink);
    },
  };
  return handle;
}

function submitLocal(
  configDir: string,
  raw: Buffer | string,
  envelope: { from: string; to: string[] },
): Promise<void> {
  const args = ['-C', configDir, '-i', '-f', envelope.from, '--', ...envelope.to];
  return new Promise((resolve, reject) => {
    const child = execFile(`${COMMAND_DIR}/sendmail`, args, (error, _stdout, stderr) => {
      if (error) reject(new Error(`sendmail failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
    child.stdin?.end(raw);
  });
}

async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      const last = JSON.stringify(value);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Stop Postfix (by its master pid if `postfix stop` fails), close the sink, remove the dir. */
async function cleanup(dir: string, configDir: string, sink: SmtpSink | null): Promise<void> {
  if (running.has(configDir)) {
    const pid = await ourMasterPid(dir, configDir);
    await run(`${COMMAND_DIR}/postfix`, ['-c', configDir, 'stop'], 15_000);
    if (pid !== null) await waitForExit(pid, configDir);
    running.delete(configDir);
  }
  await sink?.close().catch(() => undefined);
  if (!process.env.OUTGUARD_KEEP_POSTFIX) await rm(dir, { recursive: true, force: true });
}

/**
 * The pid of this instance's master, or null. The pid file outlives the master, and pids get
 * reused, so the process must still carry our MAIL_CONFIG before we would ever signal it.
 */
async function ourMasterPid(dir: string, configDir: string): Promise<number | null> {
  const text = await readFile(path.join(dir, 'queue', 'pid', 'master.pid'), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) return null;
  return (await isOurMaster(pid, configDir)) ? pid : null;
}

async function isOurMaster(pid: number, configDir: string): Promise<boolean> {
  const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
  return environ.split('\0').includes(`MAIL_CONFIG=${configDir}`);
}

/** The master exits a moment after `postfix stop`; kill it by pid if it lingers. */
async function waitForExit(pid: number, configDir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await isOurMaster(pid, configDir)) && Date.now() < deadline) {
    await sleep(POLL_INTERVAL_MS);
  }
  if (await isOurMaster(pid, configDir)) process.kill(pid, 'SIGKILL');
}

/** Last-resort stop at process exit: synchronous, best effort. */
function stopSync(configDir: string): void {
  try {
    execFileSync(`${COMMAND_DIR}/postfix`, ['-c', configDir, 'abort'], { stdio: 'ignore' });
    if (!process.env.OUTGUARD_KEEP_POSTFIX) {
      rmSync(path.dirname(configDir), { recursive: true, force: true });
    }
  } catch {
    // Nothing more can be done while the process exits.
  }
}
