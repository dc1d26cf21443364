/**
 * What the figures were measured on: cores, CPU, memory, software versions, the commit.
 *
 * perf-anchors.md shows this VM drifts run to run, so every result file carries its machine and
 * time; a figure without them cannot be compared with anything.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly date: string;
  /** `nproc`: the cores this process may use. */
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly postfix: string | null;
  readonly ripgrep: string | null;
  readonly commit: string | null;
  /** Uncommitted changes in the tree when the run started. */
  readonly dirty: boolean | null;
  /** 1-minute load average when the run started: a busy machine shows here. */
  readonly loadAverage: number;
}

/** stdout of a command, trimmed, or null when it cannot run. */
function output(file: string, args: string[], cwd?: string): string | null {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd })
      .trim();
  } catch {
    return null;
  }
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

export function machineInfo(repoRoot: string): MachineInfo {
  const postconf = output('/usr/sbin/postconf', ['-d', '-h', 'mail_version']);
  const rg = output('rg', ['--version'])?.split('\n')[0] ?? null;
  const status = output('git', ['status', '--porcelain'], repoRoot);
  return {
    date: new Date().toISOString(),
    cores: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postfix: postconf,
    ripgrep: rg,
    commit: output('git', ['rev-parse', '--short', 'HEAD'], repoRoot),
    dirty: status === null ? null : status.length > 0,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
