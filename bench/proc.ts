/**
 * What the harness reads from Linux's /proc around each measured leg: the machine's CPU use and
 * load average, and the CPU time of PostgreSQL's processes. Every reader returns null (or an
 * empty snapshot) where /proc is not available, so the harness still runs elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

/** USER_HZ: 100 on every Linux platform Node supports. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** Start time since boot, in ticks: with the pid, identifies a process (pids are reused). */
  start: number;
  /** utime + stime of the process, all its threads, in ticks. */
  ticks: number;
  /** cutime + cstime: the CPU of its children that exited and that it waited for, in ticks. */
  childTicks: number;
}

function readStat(pid: number | string): ProcStat | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The fields after the command name (which may contain spaces and parentheses): state is the
  // 1st, ppid the 2nd, utime the 12th, stime the 13th, cutime the 14th, cstime the 15th, starttime the 20th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i]);
  const result = { ppid: n(1), ticks: n(11) + n(12), childTicks: n(13) + n(14), start: n(19) };
  return Object.values(result).every(Number.isFinite) ? result : null;
}

/**
 * PostgreSQL's processes at one instant: the postmaster (from `postmaster.pid` in the cluster's
 * directory) and every process it started (backends, WAL writer, checkpointer…), each with its
 * CPU time, plus the CPU of the children the postmaster has reaped.
 */
export interface PostgresSnapshot {
  /** `pid:starttime` → ticks. */
  processes: Map<string, number>;
  /** The postmaster's cutime + cstime (backends that exited, once reaped). */
  reaped: number;
}

export function postgresSnapshot(clusterDir: string): PostgresSnapshot | null {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  const main = readStat(postmaster);
  if (!main) return null;
  const processes = new Map<string, number>([[`${postmaster}:${main.start}`, main.ticks]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat?.ppid === postmaster) processes.set(`${entry}:${stat.start}`, stat.ticks);
  }
  return { processes, reaped: main.childTicks };
}

/**
 * PostgreSQL's CPU seconds between two snapshots, counted process by process, so it is never
 * negative: a process alive at both counts its difference; one started in between, all its CPU;
 * one that exited in between, what the postmaster's reaped CPU grew by beyond what those
 * processes had already used at the first snapshot (the old harness summed the live processes
 * only, so a backend exiting during a leg made the figure go down — even below zero).
 */
export function postgresCpuSeconds(before: PostgresSnapshot | null, after: PostgresSnapshot | null): number | null {
  if (!before || !after) return null;
  let ticks = 0;
  for (const [key, now] of after.processes) ticks += Math.max(0, now - (before.processes.get(key) ?? 0));
  let exitedBefore = 0;
  for (const [key, then] of before.processes) if (!after.processes.has(key)) exitedBefore += then;
  ticks += Math.max(0, after.reaped - before.reaped - exitedBefore);
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds (user + system, all threads) used by `pid` so far; null where unreadable. */
export function processCpuSeconds(pid: number): number | null {
  const stat = readStat(pid);
  return stat ? stat.ticks / TICKS_PER_SECOND : null;
}

/** The machine's CPU counters (/proc/stat, all CPUs), in ticks. */
export interface MachineSnapshot {
  busy: number;
  total: number;
}

export function machineSnapshot(): MachineSnapshot | null {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  // user nice system idle iowait irq softirq steal (guest times are already in user/nice).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + (steal || 0);
  return { busy, total: busy + idle + (iowait || 0) };
}

/**
 * The machine's CPU use between two snapshots, in busy cores (0 … number of CPUs), and the
 * number of CPUs; null where /proc/stat is unreadable.
 */
export function machineBusyCores(before: MachineSnapshot | null, after: MachineSnapshot | null): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return ((after.busy - before.busy) / (after.total - before.total)) * cpuCount();
}

export function cpuCount(): number {
  return cpus().length || 1;
}
