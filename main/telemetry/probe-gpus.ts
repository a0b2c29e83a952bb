import type { DoctorReport } from '../../preload/contract';
import {
  buildGpuQueryArgs,
  describeNvidiaSmiFailure,
  noNvidiaSmiMessage,
  parseGpuCsv,
  parseSmiVersions,
} from './nvidia-smi-parser';
import { runCommand } from './run-command';

/** Options of probeGpus. */
export interface ProbeGpusOptions {
  readonly nvidiaSmiPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** One look at the GPUs, the driver and CUDA versions through nvidia-smi (spawned, no shell, time-limited). */
export async function probeGpus(options: ProbeGpusOptions = {}): Promise<DoctorReport['gpu']> {
  const nvidiaSmiPath = options.nvidiaSmiPath ?? 'nvidia-smi';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const run = (args: readonly string[]) => runCommand(nvidiaSmiPath, args, { env: options.env, timeoutMs });
  const [query, report] = await Promise.all([run(buildGpuQueryArgs()), run(['-q'])]);
  const versions =
    report.kind === 'exited' && report.code === 0
      ? parseSmiVersions(report.stdout)
      : { driverVersion: null, cudaVersion: null };
  const none = { ...versions, gpus: [] };
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
      return {
        ...versions,
        state: 'ok',
        message: null,
        gpus: gpus.map((g) => ({ index: g.index, name: g.name, memoryTotalMb: g.memoryTotalMb })),
      };
    }
  }
}
