/**
 * Every process of one job, wherever it sits in the process tree. The supervisor's process group
 * is not enough for multi-process trainers: torch.distributed.run starts each rank in a session of
 * its own (`start_new_session=True`), so a SIGKILL to the leader's group would orphan the ranks.
 * Each trainer is therefore spawned with `LORA_STUDIO_JOB_ID=<job id>` in its environment, which
 * every descendant inherits (torchrun copies it to its workers), and found again by that tag in
 * /proc/<pid>/environ. Linux only (where DDP runs); elsewhere the process group is all there is.
 */
import { readdir, readFile } from 'node:fs/promises';

/** The environment variable that tags a job's processes. */
export const JOB_ENV = 'LORA_STUDIO_JOB_ID';

/** Live pids whose initial environment carries `LORA_STUDIO_JOB_ID=<jobId>` ([] off Linux). */
export async function jobProcesses(jobId: string): Promise<number[]> {
  if (process.platform !== 'linux' || jobId.length === 0) return [];
  const needle = Buffer.from(`\0${JOB_ENV}=${jobId}\0`);
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = await readFile(`/proc/${pid}/environ`); // EACCES for other users' processes
    } catch {
      continue;
    }
    if (environ.length === 0) continue; // a zombie or a kernel thread
    if (Buffer.concat([Buffer.from('\0'), environ]).includes(needle)) found.push(pid);
  }
  return found;
}

/** Send `signal` to every process of the job; returns how many were signalled. */
export async function signalJobProcesses(jobId: string, signal: NodeJS.Signals): Promise<number> {
  let sent = 0;
  for (const pid of await jobProcesses(jobId)) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // gone in the meantime
    }
  }
  return sent;
}

/** The job a process belongs to, from the `LORA_STUDIO_JOB_ID` in its environment (null: none, gone, or not Linux). */
export async function jobIdOfProcess(pid: number): Promise<string | null> {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return null;
  let environ: Buffer;
  try {
    environ = await readFile(`/proc/${pid}/environ`);
  } catch {
    return null;
  }
  const prefix = `${JOB_ENV}=`;
  for (const entry of environ.toString('utf8').split('\0')) {
    if (entry.startsWith(prefix) && entry.length > prefix.length) return entry.slice(prefix.length);
  }
  return null;
}
