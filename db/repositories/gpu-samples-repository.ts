import type { SqliteDatabase } from '../open';

/** One stored GPU sample of a job (a field the driver reports as N/A is null). */
export interface StoredGpuSample {
  readonly jobId: string;
  readonly gpuIndex: number;
  /** Wall-clock ms. */
  readonly ts: number;
  readonly utilizationPct: number | null;
  readonly memoryUsedMb: number | null;
  readonly memoryTotalMb: number | null;
  readonly temperatureC: number | null;
  readonly powerDrawW: number | null;
  readonly powerLimitW: number | null;
  readonly smClockMhz: number | null;
}

const COLUMNS = `job_id AS jobId, gpu_index AS gpuIndex, ts, utilization_pct AS utilizationPct,
  memory_used_mb AS memoryUsedMb, memory_total_mb AS memoryTotalMb, temperature_c AS temperatureC,
  power_draw_w AS powerDrawW, power_limit_w AS powerLimitW, sm_clock_mhz AS smClockMhz`;

/**
 * GPU telemetry stored per job (table `gpu_samples`, indexed by job and time). Written about once
 * a second per GPU while a job runs, so inserts are one prepared statement in one transaction per
 * batch; reads are by job and time range.
 */
export class GpuSamplesRepository {
  private readonly insertBatchTx: (samples: ReadonlyArray<StoredGpuSample>, now: number) => void;
  private readonly forJobStmt;
  private readonly forJobRangeStmt;

  constructor(
    sqlite: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    const insert = sqlite.prepare(
      `INSERT INTO gpu_samples (job_id, gpu_index, ts, utilization_pct, memory_used_mb, memory_total_mb,
         temperature_c, power_draw_w, power_limit_w, sm_clock_mhz, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatchTx = sqlite.transaction((samples: ReadonlyArray<StoredGpuSample>, now: number) => {
      for (const s of samples) {
        insert.run(
          s.jobId,
          s.gpuIndex,
          s.ts,
          s.utilizationPct,
          s.memoryUsedMb,
          s.memoryTotalMb,
          s.temperatureC,
          s.powerDrawW,
          s.powerLimitW,
          s.smClockMhz,
          now,
          now,
        );
      }
    });
    this.forJobStmt = sqlite.prepare(
      `SELECT ${COLUMNS} FROM gpu_samples WHERE job_id = ? ORDER BY gpu_index, ts`,
    );
    this.forJobRangeStmt = sqlite.prepare(
      `SELECT ${COLUMNS} FROM gpu_samples WHERE job_id = ? AND ts >= ? AND ts <= ? ORDER BY gpu_index, ts`,
    );
  }

  /** Store samples in one transaction. */
  insertBatch(samples: ReadonlyArray<StoredGpuSample>): void {
    if (samples.length > 0) this.insertBatchTx(samples, this.now());
  }

  /** A job's samples, by GPU then time; optionally only those within [fromTs, toTs] (ms). */
  forJob(jobId: string, range?: { readonly fromTs: number; readonly toTs: number }): StoredGpuSample[] {
    return (
      range ? this.forJobRangeStmt.all(jobId, range.fromTs, range.toTs) : this.forJobStmt.all(jobId)
    ) as StoredGpuSample[];
  }
}
