/**
 * What the supervisor needs to know about OS processes it may not own: is a pid alive (a zombie is
 * not), when did it start (so a reused pid is never mistaken for our trainer), and signalling a
 * whole process group. Linux reads /proc; macOS falls back to `ps`, asynchronously.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** USER_HZ: /proc reports start times in these ticks; it is 100 on every Linux ABI. */
const USER_HZ = 100;

interface ProcStat {
  readonly state: string;
  readonly pgrp: number;
  /** Start time in ms since boot. */
  readonly startMs: number;
}

/** Parse /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Fields after ')' start at field 3 (state); field 5 is pgrp, field 22 is starttime.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const start = Number(fields[19]);
  if (!state || !Number.isFinite(pgrp) || !Number.isFinite(start)) return null;
  return { state, pgrp, startMs: Math.round((start * 1000) / USER_HZ) };
}

async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

function psStartTime(pid: number): Promise<number | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=', '-p', String(pid)], { timeout: 5000 }, (error, stdout) => {
      const ms = error ? Number.NaN : Date.parse(stdout.trim());
      resolve(Number.isFinite(ms) ? ms : null);
    });
  });
}

/**
 * A stable token for when `pid` started: ms since boot on Linux, ms since the epoch from `ps` on
 * macOS; null when the process is gone or the OS won't say.
 */
export async function processStartTime(pid: number): Promise<number | null> {
  if (process.platform === 'linux') return (await readProcStat(pid))?.startMs ?? null;
  if (process.platform === 'win32') return null;
  return psStartTime(pid);
}

/** Is `pid` a live process (EPERM counts as alive; a zombie, waiting to be reaped, does not)? */
export async function isPidAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  const stat = await readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/**
 * Is `pid` still the very process we started: alive, and with the start time we recorded? A pid
 * without a recorded start time is never trusted.
 */
export async function isSameProcess(pid: number, recordedStart: number | null): Promise<boolean> {
  if (recordedStart === null || !(await isPidAlive(pid))) return false;
  const start = await processStartTime(pid);
  if (start === null) return false;
  // `ps -o lstart` has 1 s resolution; /proc is exact (ticks).
  const tolerance = process.platform === 'linux' ? 0 : 1000;
  return Math.abs(start - recordedStart) <= tolerance;
}

/** Signal a whole process group; returns false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true;
    throw error;
  }
}

/**
 * Live (non-zombie) members of a process group. On Linux this scans /proc, because an orphaned
 * zombie that init has not reaped yet still answers `kill(-pgid, 0)`; elsewhere it falls back to
 * that probe and returns `[pgid]` or `[]`.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = await readProcStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(pid);
  }
  return members;
}

/**
 * Signal a child started with `detached: true` together with its process group (its workers,
 * torch's data loaders), or the child alone where it has no group (Windows).
 */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && !signalGroup(child.pid, signal)) child.kill(signal);
}

/**
 * Ask a child's group to stop (SIGTERM) and SIGKILL it after `graceMs`. Returns what cancels the
 * SIGKILL: call it once the child has exited.
 */
export function terminateChild(child: ChildProcess, graceMs: number): () => void {
  if (child.pid === undefined) return () => undefined;
  signalChild(child, 'SIGTERM');
  const timer = setTimeout(() => signalChild(child, 'SIGKILL'), graceMs);
  return () => clearTimeout(timer);
}
