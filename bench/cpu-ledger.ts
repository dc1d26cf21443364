/**
 * Where the CPU went during one Postfix run: Postfix (master and every daemon it forked),
 * the Outguard daemon, the load tools (smtp-source, smtp-sink), this benchmark process, and the
 * rest of the machine.
 *
 * On a 2-core VM everything competes for the same cores, so "Outguard costs N ms of CPU per mail
 * and makes Postfix spend M more" explains a throughput ratio better than the ratio alone.
 *
 * Postfix daemons come and go during a run (smtpd exits after max_use clients); their time is
 * found in the master's "children" counters once it has reaped them, and in their own counters
 * while they live. smtp-source processes are this process's children and exit before the ledger
 * closes, so they show up in our own children counters. Counters tick at 10 ms.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { childTimes, processTimes } from './proc-cpu.js';

export interface CpuSeconds {
  readonly postfix: number | null;
  readonly outguard: number | null;
  /** smtp-source and smtp-sink. */
  readonly loadTools: number | null;
  /** This benchmark process (maillog polling, collecting the daemon's log lines). */
  readonly bench: number;
}

export interface LedgerPids {
  /** The test Postfix's directory; its master pid is read from queue/pid/master.pid. */
  readonly postfixDir: string;
  readonly outguard: number | null;
  readonly sink: number | null;
}

interface Snapshot {
  readonly masterTotal: number | null;
  readonly masterChildren: Map<number, number>;
  readonly outguard: number | null;
  readonly sink: number | null;
  /** Our own CPU and our reaped children's (smtp-source). */
  readonly benchSelf: number;
  readonly benchChildren: number | null;
}

async function masterPid(postfixDir: string): Promise<number | null> {
  const text = await readFile(path.join(postfixDir, 'queue', 'pid', 'master.pid'), 'utf8')
    .catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 1 ? pid : null;
}

async function selfTotal(pid: number | null): Promise<number | null> {
  if (pid === null) return null;
  const times = await processTimes(pid);
  return times === null ? null : times.self + times.children;
}

async function snapshot(pids: LedgerPids, master: number | null): Promise<Snapshot> {
  const usage = process.cpuUsage();
  const self = await processTimes(process.pid);
  return {
    masterTotal: await selfTotal(master),
    masterChildren: master === null ? new Map() : await childTimes(master),
    outguard: await selfTotal(pids.outguard),
    sink: await selfTotal(pids.sink),
    benchSelf: (usage.user + usage.system) / 1e6,
    benchChildren: self?.children ?? null,
  };
}

function delta(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

export class CpuLedger {
  readonly #pids: LedgerPids;
  readonly #master: number | null;
  readonly #start: Snapshot;

  private constructor(pids: LedgerPids, master: number | null, start: Snapshot) {
    this.#pids = pids;
    this.#master = master;
    this.#start = start;
  }

  static async open(pids: LedgerPids): Promise<CpuLedger> {
    const master = await masterPid(pids.postfixDir);
    return new CpuLedger(pids, master, await snapshot(pids, master));
  }

  async close(): Promise<CpuSeconds> {
    const end = await snapshot(this.#pids, this.#master);
    const start = this.#start;
    let postfix = delta(start.masterTotal, end.masterTotal);
    if (postfix !== null) {
      for (const [pid, seconds] of end.masterChildren) {
        postfix += seconds - (start.masterChildren.get(pid) ?? 0);
      }
    }
    const sources = delta(start.benchChildren, end.benchChildren);
    const sink = delta(start.sink, end.sink);
    return {
      postfix,
      outguard: delta(start.outguard, end.outguard),
      loadTools: sources === null || sink === null ? null : sources + sink,
      bench: end.benchSelf - start.benchSelf,
    };
  }
}
