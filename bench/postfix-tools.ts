/**
 * Postfix's own test programs as load generator and relay target: smtp-source (C, parallel SMTP
 * sessions) and smtp-sink (C, accepts and discards). The Node sink in test/support/smtp.ts keeps
 * every message on disk and would be the bottleneck at hundreds of mails per second.
 *
 * Every child started here is killed by its pid when the benchmark process exits, so an
 * interrupted run leaves no sink or source behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const SMTP_SINK = '/usr/sbin/smtp-sink';
const SMTP_SOURCE = '/usr/sbin/smtp-source';

/** smtp-sink's listen backlog: above the 20 sessions plus Postfix's 20 delivery agents. */
const SINK_BACKLOG = 1000;

/** smtp-sink binds within milliseconds; this only catches a sink that never comes up. */
const SINK_START_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

const children = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface Sink {
  readonly port: number;
  readonly pid: number | null;
  stop(): Promise<void>;
}

/** Start `smtp-sink` on 127.0.0.1:port, running as the postfix user, and wait until it listens. */
export async function startSink(port: number): Promise<Sink> {
  const child = track(
    spawn(SMTP_SINK, ['-u', 'postfix', `127.0.0.1:${port}`, String(SINK_BACKLOG)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const deadline = Date.now() + SINK_START_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`smtp-sink exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`smtp-sink did not listen on ${port}: ${stderr}`);
    await sleep(POLL_MS);
  }
  return {
    port,
    pid: child.pid ?? null,
    stop: () => stopChild(child),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface SourceJob {
  /** Parallel SMTP sessions (-s). */
  readonly sessions: number;
  /** Messages in all (-m). */
  readonly messages: number;
  /** A pre-formatted message file (-F), or null for smtp-source's own filler body. */
  readonly file: string | null;
  /** Filler payload bytes (-l), used when `file` is null. */
  readonly fillerBytes: number;
}

export interface SourceRun {
  /** Resolves when smtp-source exits; never rejects. */
  readonly done: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Start smtp-source against 127.0.0.1:port. `-A` keeps it going when a mail is refused (a 451
 * from a milter), so refusals are counted in the maillog instead of ending the run.
 */
export function startSource(port: number, job: SourceJob): SourceRun {
  const args = ['-A', '-s', String(job.sessions), '-m', String(job.messages),
    '-f', 'sender@bench.test', '-t', 'recipient@partner.test'];
  if (job.file !== null) args.push('-F', job.file);
  else args.push('-l', String(job.fillerBytes));
  args.push(`127.0.0.1:${port}`);
  const child = track(spawn(SMTP_SOURCE, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.once('close', (code) => resolve({ code, stderr: stderr.trim() }));
    child.once('error', (err) => resolve({ code: null, stderr: err.message }));
  });
  return { done };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
