import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Resident memory of a process, in bytes, from Linux's /proc/<pid>/status. */
export interface ProcessMemory {
  /** Current resident set size (VmRSS). */
  rss: number;
  /** Peak resident set size since start or since the last `resetPeak` (VmHWM). */
  peak: number;
}

/** The memory of `pid`, or null where /proc is not available (not Linux) or the process is gone. */
export function readMemory(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  };
  const rss = kib('VmRSS');
  const peak = kib('VmHWM');
  return Number.isNaN(rss) || Number.isNaN(peak) ? null : { rss, peak };
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`); false when not permitted. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples VmRSS every `intervalMs` until stopped, as a fallback peak where VmHWM cannot be reset.
 * `stop()` returns the highest sample (0 when none could be read).
 */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number } {
  let max = 0;
  const take = () => {
    const memory = readMemory(pid);
    if (memory && memory.rss > max) max = memory.rss;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return max;
    },
  };
}

/**
 * CPU time `pid` has used (user + system, all its threads: GC helpers included), in seconds,
 * from /proc/<pid>/stat; null where it cannot be read.
 */
export function readCpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may contain spaces): state is the 1st, utime the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  // USER_HZ is 100 on every Linux platform Node supports.
  return Number.isFinite(ticks) ? ticks / 100 : null;
}

/**
 * CPU time of a PostgreSQL server (its postmaster, read from `postmaster.pid` in `clusterDir`, and
 * every process it started: backends, WAL writer, checkpointer…), in seconds; null where it
 * cannot be read. Backends that exited are not counted: the pools keep theirs for the run.
 */
export function readPostgresCpuSeconds(clusterDir: string): number | null {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  let total = readCpuSeconds(postmaster);
  if (total === null) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The parent pid is the 2nd field after the command name.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === postmaster) total += readCpuSeconds(Number(entry)) ?? 0;
  }
  return total;
}
