import type { DoctorReport, GpuStatus } from '../../preload/contract';
import {
  buildGpuQueryArgs,
  describeNvidiaSmiFailure,
  noNvidiaSmiMessage,
  parseGpuCsv,
  parseSmiVersions,
} from './nvidia-smi-parser';
import { runCommand } from './run-command';

/** Options of probeGpus and queryGpuStatus. */
export interface ProbeGpusOptions {
  readonly nvidiaSmiPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Clock for `sampledAt`. */
  readonly now?: () => number;
}

/**
 * One fresh `nvidia-smi --query-gpu` (spawned, no shell, time-limited): every GPU with its use and
 * memory now. What a job's GPUs are decided from — the live monitor may have no sample yet.
 */
export async function queryGpuStatus(options: ProbeGpusOptions = {}): Promise<GpuStatus> {
  const nvidiaSmiPath = options.nvidiaSmiPath ?? 'nvidia-smi';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const query = await runCommand(nvidiaSmiPath, buildGpuQueryArgs(), { env: options.env, timeoutMs });
  const none = { gpus: [], sampledAt: null, processes: [] };
  switch (query.kind) {
    case 'spawn-error':
      return query.errorCode === 'ENOENT'
        ? { ...none, state: 'no-nvidia-smi', message: noNvidiaSmiMessage(nvidiaSmiPath) }
        : {
            ...none,
            state: 'error',
            message: `Could not run nvidia-smi (${nvidiaSmiPath}): ${query.message}`,
          };
    case 'timeout':
      return { ...none, state: 'error', message: `nvidia-smi did not answer within ${timeoutMs / 1000} s.` };
    case 'exited': {
      if (query.code !== 0) {
        const failure = describeNvidiaSmiFailure(
          `${query.stdout}\n${query.stderr}`,
          query.code,
          query.signal,
        );
        return { ...none, state: failure.state, message: failure.message };
      }
      const { gpus } = parseGpuCsv(query.stdout);
      if (gpus.length === 0)
        return { ...none, state: 'no-gpu', message: 'nvidia-smi runs but lists no GPU.' };
      return { state: 'ok', message: null, gpus, sampledAt: (options.now ?? Date.now)(), processes: [] };
    }
  }
}

/** One look at the GPUs, the driver and CUDA versions through nvidia-smi. */
export async function probeGpus(options: ProbeGpusOptions = {}): Promise<DoctorReport['gpu']> {
  const nvidiaSmiPath = options.nvidiaSmiPath ?? 'nvidia-smi';
  const [status, report] = await Promise.all([
    queryGpuStatus(options),
    runCommand(nvidiaSmiPath, ['-q'], { env: options.env, timeoutMs: options.timeoutMs ?? 10_000 }),
  ]);
  const versions =
    report.kind === 'exited' && report.code === 0
      ? parseSmiVersions(report.stdout)
      : { driverVersion: null, cudaVersion: null };
  return {
    ...versions,
    state: status.state,
    message: status.message,
    gpus: status.gpus.map((g) => ({ index: g.index, name: g.name, memoryTotalMb: g.memoryTotalMb })),
  };
}
