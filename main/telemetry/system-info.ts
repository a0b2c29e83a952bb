import { statfs } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import si from 'systeminformation';
import type { SystemSnapshot } from '../../preload/contract';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** Total and free space of the disk that holds `path` (or would hold it: missing folders are walked up); nulls when unknown. */
export async function getDiskSpace(path: string): Promise<SystemSnapshot['disk']> {
  let probe = resolve(path);
  for (;;) {
    try {
      const stats = await statfs(probe);
      return {
        path,
        totalGb: round((stats.blocks * stats.bsize) / GB, 2),
        freeGb: round((stats.bavail * stats.bsize) / GB, 2),
      };
    } catch (error) {
      const parent = dirname(probe);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === probe) {
        return { path, totalGb: null, freeGb: null };
      }
      probe = parent;
    }
  }
}

/** What the app shows of the CPU. */
export type CpuInfo = { readonly model: string; readonly cores: number };

/** CPU model and logical core count (systeminformation runs lscpu for it, asynchronously). */
export async function getCpuInfo(): Promise<CpuInfo> {
  const cpu = await si.cpu();
  const model = `${cpu.manufacturer} ${cpu.brand}`.trim() || cpus()[0]?.model || 'unknown CPU';
  return { model, cores: cpu.cores || cpus().length };
}

/** Total memory and memory that programs can still get (free plus reclaimable cache), in MB. */
export async function getMemoryInfo(): Promise<{ totalMb: number; availableMb: number }> {
  const mem = await si.mem();
  return { totalMb: round(mem.total / MB, 0), availableMb: round(mem.available / MB, 0) };
}

/** Dependencies of getSystemSnapshot; the CPU's description never changes, so a caller may memoise it. */
export interface SystemSnapshotOptions {
  readonly now?: () => number;
  readonly cpuInfo?: () => Promise<CpuInfo>;
}

/** Busy and total CPU time of all cores since boot (ms), as the OS counts it. */
function cpuTimes(): { readonly idle: number; readonly total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

let previousCpuTimes: { readonly idle: number; readonly total: number } = { idle: 0, total: 0 };

/**
 * CPU load (%) since the previous call (the first call: since boot), from `os.cpus()` counters —
 * no child process and no synchronous read (systeminformation's `currentLoad()` reads /proc/stat
 * through a synchronous child process). Null when no time has passed.
 */
export function cpuLoadPct(): number | null {
  const now = cpuTimes();
  const total = now.total - previousCpuTimes.total;
  const idle = now.idle - previousCpuTimes.idle;
  previousCpuTimes = now;
  return total > 0 ? round(Math.min(100, Math.max(0, (100 * (total - idle)) / total)), 1) : null;
}

/**
 * CPU, memory and the disk holding `dataDir`, without touching nvidia-smi (`si.graphics()` would run
 * it synchronously) and without any synchronous process call.
 */
export async function getSystemSnapshot(
  dataDir: string,
  options: SystemSnapshotOptions = {},
): Promise<SystemSnapshot> {
  const [cpu, memory, disk] = await Promise.all([
    (options.cpuInfo ?? getCpuInfo)(),
    getMemoryInfo(),
    getDiskSpace(dataDir),
  ]);
  const loadPct = cpuLoadPct();
  return {
    cpu: { model: cpu.model, cores: cpu.cores, loadPct },
    memory: { totalMb: memory.totalMb, usedMb: memory.totalMb - memory.availableMb },
    disk,
    sampledAt: (options.now ?? Date.now)(),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
