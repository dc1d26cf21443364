/**
 * CPU accounting from /proc during a Postfix run: how busy the whole machine was (and how much of
 * it was kernel time), and how many CPU-seconds one process (the Outguard daemon) used.
 *
 * perf-anchors.md found these runs CPU-bound with most of the time in the kernel; with that
 * split and the daemon's own seconds per mail, a reader can tell what the milter costs from what
 * the machine was doing anyway. Linux only; elsewhere every figure is null.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuSample {
  readonly user: number;
  readonly system: number;
  readonly idle: number;
  readonly total: number;
}

export interface CpuUse {
  /** Share of all cores' time spent busy, 0-100. */
  readonly busyPct: number;
  /** Share of all cores' time spent in the kernel (system + irq + softirq), 0-100. */
  readonly systemPct: number;
}

/** The aggregate `cpu` line of /proc/stat, or null off Linux. */
export async function sampleCpu(): Promise<CpuSample | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => null);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 7) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  return {
    user: user + nice,
    system: system + irq + softirq,
    idle: idle + iowait,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

export function cpuBetween(before: CpuSample | null, after: CpuSample | null): CpuUse | null {
  if (!before || !after) return null;
  const total = after.total - before.total;
  if (total <= 0) return null;
  const idle = after.idle - before.idle;
  return {
    busyPct: round1((100 * (total - idle)) / total),
    systemPct: round1((100 * (after.system - before.system)) / total),
  };
}

export interface ProcessTimes {
  /** User + system CPU-seconds of the process itself. */
  readonly self: number;
  /** The same for its children that have exited and been waited for. */
  readonly children: number;
  readonly ppid: number;
}

/** CPU times of one process from /proc/PID/stat, or null when it is gone. */
export async function processTimes(pid: number): Promise<ProcessTimes | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat === null ? null : parseStat(stat);
}

function parseStat(stat: string): ProcessTimes | null {
  // The command name (field 2) may hold spaces; the fields after its closing paren are fixed:
  // state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(after[n - 3]);
  const self = field(14) + field(15);
  const children = field(16) + field(17);
  if (!Number.isFinite(self) || !Number.isFinite(children)) return null;
  return {
    self: self / CLOCK_TICKS_PER_SECOND,
    children: children / CLOCK_TICKS_PER_SECOND,
    ppid: field(4),
  };
}

/** CPU-seconds (self) of every live child of `ppid`, by pid. */
export async function childTimes(ppid: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const times = await processTimes(Number(entry));
    if (times?.ppid === ppid) out.set(Number(entry), times.self);
  }
  return out;
}

/**
 * The pid of a process whose environment holds `KEY=value` exactly and whose command line
 * contains `argument`, or null. The argument check matters: helpers the process spawned (tsx's
 * esbuild service, for one) inherit its environment.
 */
export async function findPid(
  key: string,
  value: string,
  argument: string,
): Promise<number | null> {
  const wanted = `${key}=${value}`;
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    if (!environ.split('\0').includes(wanted)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'latin1').catch(() => '');
    if (cmdline.split('\0').some((arg) => arg.includes(argument))) return Number(entry);
  }
  return null;
}

/** A machine busier than this (all cores, %) before a run is not quiet enough to measure. */
export const QUIET_BUSY_PCT = 25;
const QUIET_SAMPLE_MS = 1_000;

/**
 * Wait until the machine's busy share over one second drops below QUIET_BUSY_PCT, at most
 * `timeoutMs`; returns the last share measured (null off Linux). Other work on a shared machine
 * (someone's test suite) would otherwise land in one case's figures and not the other's.
 */
export async function waitForQuiet(timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = await sampleCpu();
    await new Promise((resolve) => setTimeout(resolve, QUIET_SAMPLE_MS));
    const use = cpuBetween(before, await sampleCpu());
    if (use === null) return null;
    if (use.busyPct < QUIET_BUSY_PCT || Date.now() >= deadline) return use.busyPct;
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
