import type { GpuSamplesRepository, StoredGpuSample } from '../../db/repositories/gpu-samples-repository';
import type { GpuStatus } from '../../preload/contract';

/** A job that is running now, with the GPUs it was given. */
export interface RunningJobGpus {
  readonly id: string;
  readonly gpuIndices: ReadonlyArray<number>;
}

export interface GpuSampleRecorderDeps {
  readonly samples: GpuSamplesRepository;
  /** The jobs running at this moment (asked at each sample). */
  readonly runningJobs: () => ReadonlyArray<RunningJobGpus>;
  /** Store at most one sample per GPU per this many ms (nvidia-smi may sample faster). */
  readonly minIntervalMs?: number;
}

/**
 * Stores, for every running job, the telemetry of the GPUs it runs on: each GpuStatus from the
 * monitor becomes one row per (job, GPU). A CPU job (no GPUs) records nothing. Errors are logged,
 * never thrown back into the monitor.
 */
export class GpuSampleRecorder {
  private readonly minIntervalMs: number;
  private lastStoredAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: GpuSampleRecorderDeps) {
    this.minIntervalMs = deps.minIntervalMs ?? 900;
  }

  /** Take one status from the GPU monitor; returns how many rows were stored. */
  record(status: GpuStatus): number {
    if (status.state !== 'ok' || status.sampledAt === null || status.gpus.length === 0) return 0;
    if (status.sampledAt - this.lastStoredAt < this.minIntervalMs) return 0;
    try {
      const jobs = this.deps.runningJobs().filter((j) => j.gpuIndices.length > 0);
      if (jobs.length === 0) return 0;
      const ts = status.sampledAt;
      const rows: StoredGpuSample[] = [];
      for (const job of jobs) {
        for (const gpu of status.gpus) {
          if (!job.gpuIndices.includes(gpu.index)) continue;
          rows.push({
            jobId: job.id,
            gpuIndex: gpu.index,
            ts,
            utilizationPct: gpu.utilizationPct,
            memoryUsedMb: gpu.memoryUsedMb,
            memoryTotalMb: gpu.memoryTotalMb,
            temperatureC: gpu.temperatureC,
            powerDrawW: gpu.powerDrawW,
            powerLimitW: gpu.powerLimitW,
            smClockMhz: gpu.smClockMhz,
          });
        }
      }
      this.deps.samples.insertBatch(rows);
      this.lastStoredAt = ts;
      return rows.length;
    } catch (error) {
      console.error('storing GPU samples failed:', error);
      return 0;
    }
  }
}
