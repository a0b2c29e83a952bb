/**
 * Which processes use which GPU: one `nvidia-smi --query-compute-apps` (spawned, no shell,
 * time-limited), each process tagged with the LoRA Studio job it belongs to when the caller can tell.
 */
import type { GpuProcess } from '../../preload/contract';
import { isUnavailable, parseNumericField } from './nvidia-smi-parser';
import { runCommand } from './run-command';

/** The `--query-compute-apps` fields, in the order parseGpuProcessCsv expects them. */
const PROCESS_FIELDS = ['gpu_uuid', 'pid', 'used_memory', 'process_name'] as const;

/** The arguments of one process query. */
export function buildProcessQueryArgs(): string[] {
  return [`--query-compute-apps=${PROCESS_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
}

/**
 * The processes in a query's stdout. The name comes last because it is the one field that may hold
 * commas (a path); nvidia-smi prints nothing, or "No running processes found", when there are none.
 */
export function parseGpuProcessCsv(text: string): Omit<GpuProcess, 'jobId'>[] {
  const found: Omit<GpuProcess, 'jobId'>[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const parts = raw.split(',');
    if (parts.length < PROCESS_FIELDS.length) continue;
    const [uuid = '', pidText = '', memory = ''] = parts.map((p) => p.trim());
    const name = parts.slice(3).join(',').trim();
    if (uuid === '' || isUnavailable(uuid) || !/^\d+$/.test(pidText)) continue;
    found.push({ gpuUuid: uuid, pid: Number(pidText), name, usedMemoryMb: parseNumericField(memory) });
  }
  return found;
}

/** Options of queryGpuProcesses. */
export interface GpuProcessQueryOptions {
  readonly nvidiaSmiPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** The job a pid belongs to (null: not ours). */
  readonly jobOfPid?: (pid: number) => Promise<string | null>;
}

/** The processes on every GPU now, or null when nvidia-smi could not say (the caller keeps what it had). */
export async function queryGpuProcesses(options: GpuProcessQueryOptions = {}): Promise<GpuProcess[] | null> {
  const result = await runCommand(options.nvidiaSmiPath ?? 'nvidia-smi', buildProcessQueryArgs(), {
    env: options.env,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  if (result.kind !== 'exited' || result.code !== 0) return null;
  const jobOfPid = options.jobOfPid ?? (async () => null);
  return Promise.all(
    parseGpuProcessCsv(result.stdout).map(async (p) => ({ ...p, jobId: await jobOfPid(p.pid) })),
  );
}
