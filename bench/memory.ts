import { readFileSync, writeFileSync } from 'node:fs';

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
