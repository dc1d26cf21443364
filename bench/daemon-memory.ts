/**
 * The daemon's resident memory while it scans several large mails at once: the real
 * `outguard start` from dist/ (the milter, its scan pool and the admin, on the embedded default),
 * fed over the milter protocol the way Postfix feeds it, sampled from /proc as a process tree
 * (the daemon and every descendant: scan workers and their helpers).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MilterClient, sendMessage } from '../test/support/milter-client.js';
import { freePort } from '../test/support/outguard-process.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DaemonMemoryResult {
  readonly mails: number;
  readonly mailBytes: number;
  /** The daemon alone, and its whole tree, after start-up with the workers idle. */
  readonly idleDaemonMb: number;
  readonly idleTreeMb: number;
  /** Peaks while the mails were scanned (sampled every 20 ms). */
  readonly peakDaemonMb: number;
  readonly peakTreeMb: number;
  /** The tree's peak proportional set size (sampled every 100 ms: reading it costs more). */
  readonly idleTreePssMb: number;
  readonly peakTreePssMb: number;
  readonly wallMs: number;
  /** The verdict each mail got: `hold` for a quarantine, else the last reply at end of message. */
  readonly verdicts: Readonly<Record<string, number>>;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0; // exited between listing and reading
  }
}

/** `pid` and all its descendants, from each task's `children` list. */
function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) {
    const at = all[i]!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${at}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${at}/task/${task}/children`, 'utf8').trim();
        if (children !== '') all.push(...children.split(/\s+/).map(Number));
      } catch {
        // the task ended
      }
    }
  }
  return all;
}

const treeMb = (pid: number): number => tree(pid).reduce((sum, p) => sum + rssMb(p), 0);

/**
 * Proportional set size: each page shared by n processes counts 1/n in each. Summed over the
 * tree it is the memory the tree holds, where the RSS sum counts the Node binary's and the
 * shared libraries' pages once per process (about 30 MB each here).
 */
function pssMb(pid: number): number {
  try {
    const kb = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0;
  }
}

const treePssMb = (pid: number): number => tree(pid).reduce((sum, p) => sum + pssMb(p), 0);

/** Header fields (unfolded) and body of a raw message, as an MTA hands them to a milter. */
function split(raw: Buffer): { headers: Array<[string, string]>; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1');
  const headers: Array<[string, string]> = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && headers.length > 0) headers[headers.length - 1]![1] += `\r\n${line}`;
    else {
      const colon = line.indexOf(':');
      headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')]);
    }
  }
  return { headers, body: raw.subarray(end + 4) };
}

export async function runDaemonMemory(
  raw: Buffer,
  mails: number,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<DaemonMemoryResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'og-bench-data-'));
  const milterPort = await freePort();
  const webPort = await freePort();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'start'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      OUTGUARD_DATA_DIR: dataDir,
      OUTGUARD_MILTER_LISTEN: `inet:127.0.0.1:${milterPort}`,
      OUTGUARD_WEB_LISTEN: `127.0.0.1:${webPort}`,
      OUTGUARD_LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const pid = child.pid!;
  try {
    const address = { kind: 'inet' as const, host: '127.0.0.1', port: milterPort };
    const deadline = Date.now() + 60_000;
    let probe: MilterClient | null = null;
    while (probe === null) {
      if (child.exitCode !== null) throw new Error(`outguard exited with ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`outguard did not listen in time: ${stderr}`);
      probe = await MilterClient.connect(address).catch(() => null);
      if (probe === null) await new Promise((r) => setTimeout(r, 100));
    }
    await probe.negotiate();
    // Workers start with the daemon; give them time to load before the idle reading.
    await new Promise((r) => setTimeout(r, 3000));
    const idleDaemonMb = rssMb(pid);
    const idleTreeMb = treeMb(pid);
    const idleTreePssMb = treePssMb(pid);

    const { headers, body } = split(raw);
    let peakDaemonMb = idleDaemonMb;
    let peakTreeMb = idleTreeMb;
    let peakTreePssMb = idleTreePssMb;
    const sampler = setInterval(() => {
      peakDaemonMb = Math.max(peakDaemonMb, rssMb(pid));
      peakTreeMb = Math.max(peakTreeMb, treeMb(pid));
    }, 20);
    const pssSampler = setInterval(() => {
      peakTreePssMb = Math.max(peakTreePssMb, treePssMb(pid));
    }, 100);
    const started = performance.now();
    const verdicts: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: mails }, async (_, i) => {
        const client = await MilterClient.connect(address);
        client.replyTimeoutMs = 300_000;
        await client.negotiate();
        await client.connectCmd();
        await client.helo('bench.example.kr');
        const replies = await sendMessage(client, {
          sender: 'kim@example.co.kr',
          recipients: ['partner@outside.example'],
          headers,
          body,
          macros: { E: { i: `BENCH${i}` } },
        });
        // A hold is a quarantine packet followed by the final accept.
        const verdict = replies.some((r) => r.type === 'quarantine') ? 'hold' : (replies[replies.length - 1]?.type ?? 'none');
        verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
        client.close();
      }),
    );
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    clearInterval(pssSampler);
    probe.close();
    return {
      mails,
      mailBytes: raw.length,
      idleDaemonMb,
      idleTreeMb,
      peakDaemonMb,
      peakTreeMb,
      idleTreePssMb,
      peakTreePssMb,
      wallMs,
      verdicts,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r)).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
