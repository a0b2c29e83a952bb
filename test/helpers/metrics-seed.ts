/**
 * A finished job with a long run's metrics written straight into a data folder's SQLite file (the
 * database must exist: open a core or run a CLI command on the folder first). The loss is a noisy
 * decay with one known spike and one known dip, so tests can check that downsampling keeps them.
 */
import Database from 'better-sqlite3';
import { MetricRollupRepository } from '../../db/repositories/metric-rollup-repository';

export interface SeedOptions {
  readonly jobId?: string;
  readonly name?: string;
  /** Points per metric series (loss always; learning_rate and eval_loss when `allMetrics`). */
  readonly points: number;
  readonly allMetrics?: boolean;
  /** Wall-clock ms of step 1 and the time between steps. */
  readonly startTs?: number;
  readonly stepMs?: number;
  /** GPU samples at 1 Hz over the run for these GPU indices. */
  readonly gpus?: ReadonlyArray<number>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly datasetVersionId?: string | null;
}

export const SPIKE_STEP = 123_457;
export const SPIKE_VALUE = 42;
export const DIP_STEP = 654_321;
export const DIP_VALUE = -7;

/** The loss at a step: decays from ~3 to ~1 with deterministic jitter, plus the spike and the dip. */
export function seededLoss(step: number): number {
  if (step === SPIKE_STEP) return SPIKE_VALUE;
  if (step === DIP_STEP) return DIP_VALUE;
  const jitter = (((step * 2_654_435_761) >>> 0) % 1000) / 10_000;
  return 1 + 2 * Math.exp(-step / 200_000) + jitter;
}

/** Insert the job and its series; returns the job id. */
export function seedMetricsJob(dbFile: string, options: SeedOptions): string {
  const jobId = options.jobId ?? `job_seed_${Math.random().toString(36).slice(2, 10)}`;
  const startTs = options.startTs ?? Date.UTC(2026, 0, 1);
  const stepMs = options.stepMs ?? 100;
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  try {
    const end = startTs + options.points * stepMs;
    const config = {
      base_model: '/models/tiny',
      method: 'lora',
      lora_r: 16,
      lora_alpha: 32,
      lora_dropout: 0.05,
      lora_target_modules: 'all-linear',
      max_seq_len: 1024,
      per_device_batch_size: 2,
      grad_accum: 4,
      learning_rate: 0.0002,
      lr_scheduler: 'cosine',
      warmup: 0.03,
      weight_decay: 0,
      max_grad_norm: 1,
      epochs: 1,
      max_steps: options.points,
      eval_steps: null,
      save_steps: 1000,
      save_total_limit: null,
      logging_steps: 1,
      seed: 42,
      gradient_checkpointing: true,
      completion_only: true,
      packing: false,
      precision: 'auto',
      attn_implementation: 'auto',
      resume_from_checkpoint: null,
      ...options.config,
    };
    db.prepare(
      `INSERT INTO training_jobs (id, name, dataset_version_id, base_model_path, config_json, status, gpu_indices_json,
         run_dir, step, max_steps, progress, queued_at, started_at, finished_at, created_at, updated_at)
       VALUES (?, ?, ?, '/models/tiny', ?, 'completed', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    ).run(
      jobId,
      options.name ?? 'seeded run',
      options.datasetVersionId ?? null,
      JSON.stringify(config),
      JSON.stringify(options.gpus ?? []),
      `runs/${jobId}`,
      options.points,
      options.points,
      startTs,
      startTs,
      end,
      startTs,
      end,
    );
    const insert = db.prepare(
      'INSERT INTO metrics_points (job_id, name, step, value, ts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let step = 1; step <= options.points; step++) {
        const ts = startTs + step * stepMs;
        insert.run(jobId, 'loss', step, seededLoss(step), ts, ts, ts);
        if (options.allMetrics) {
          insert.run(jobId, 'learning_rate', step, 2e-4 * (1 - step / options.points), ts, ts, ts);
          insert.run(jobId, 'tokens_per_s', step, 1500 + (step % 50), ts, ts, ts);
          if (step % 10 === 0) insert.run(jobId, 'eval_loss', step, seededLoss(step) + 0.1, ts, ts, ts);
        }
      }
      const gpuInsert = db.prepare(
        `INSERT INTO gpu_samples (job_id, gpu_index, ts, utilization_pct, memory_used_mb, memory_total_mb,
           temperature_c, power_draw_w, power_limit_w, sm_clock_mhz, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 81559, ?, ?, 700, 1980, ?, ?)`,
      );
      for (const gpu of options.gpus ?? []) {
        for (let ts = startTs; ts <= end; ts += 1000) {
          const i = (ts - startTs) / 1000;
          gpuInsert.run(
            jobId,
            gpu,
            ts,
            90 + (i % 10),
            40_960 + gpu * 1024,
            60 + (i % 5),
            300 + (i % 100),
            ts,
            ts,
          );
        }
      }
    })();
    // The summary buckets the ingest path writes with each batch, built from the same points.
    new MetricRollupRepository(db).rebuild(jobId, end);
  } finally {
    db.close();
  }
  return jobId;
}
