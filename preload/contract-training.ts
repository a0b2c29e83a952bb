/**
 * The training part of the contract: the trainer's config, presets, models, the VRAM estimate,
 * preflight and jobs. Re-exported by preload/contract.ts; imports nothing but zod.
 */
import { z } from 'zod';

export const JobStatusSchema = z.enum([
  'queued',
  'starting',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);
export type JobStatus = z.infer<typeof JobStatusSchema>;
export const TrainingMethodSchema = z.enum(['lora', 'qlora', 'dora']);
/** What the loss optimises: supervised fine-tuning, or preference tuning (TRL) on preference/KTO rows. */
export const TrainingObjectiveSchema = z.enum(['sft', 'dpo', 'orpo', 'kto']);
export type TrainingObjective = z.infer<typeof TrainingObjectiveSchema>;
export const LR_SCHEDULERS = [
  'linear',
  'cosine',
  'cosine_with_restarts',
  'polynomial',
  'constant',
  'constant_with_warmup',
  'inverse_sqrt',
  'cosine_with_min_lr',
  'warmup_stable_decay',
] as const;

/**
 * The trainer's `config.json`, fully resolved (keys as resources/trainer/README.md documents them).
 * The app writes it into the run folder; the trainer validates it again.
 */
export const TrainerConfigSchema = z
  .object({
    base_model: z.string().min(1),
    method: TrainingMethodSchema,
    lora_r: z.number().int().min(1).max(1024),
    lora_alpha: z.number().int().min(1).max(4096),
    lora_dropout: z.number().min(0).max(0.9),
    lora_target_modules: z.union([
      z.literal('all-linear'),
      z.array(z.string().min(1).max(200)).min(1).max(100),
    ]),
    max_seq_len: z.number().int().min(16).max(1_048_576),
    per_device_batch_size: z.number().int().min(1).max(1024),
    grad_accum: z.number().int().min(1).max(1024),
    learning_rate: z.number().gt(0).max(1),
    lr_scheduler: z.enum(LR_SCHEDULERS),
    warmup: z.number().min(0).max(0.99),
    weight_decay: z.number().min(0).max(10),
    max_grad_norm: z.number().min(0).max(1000),
    epochs: z.number().gt(0).max(1000),
    max_steps: z.number().int().min(1).nullable(),
    eval_steps: z.number().int().min(1).nullable(),
    save_steps: z.number().int().min(1),
    save_total_limit: z.number().int().min(1).nullable(),
    logging_steps: z.number().int().min(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    gradient_checkpointing: z.boolean(),
    completion_only: z.boolean(),
    packing: z.boolean(),
    precision: z.enum(['auto', 'bf16', 'fp16', 'fp32']),
    attn_implementation: z.enum(['auto', 'sdpa', 'flash_attention_2', 'eager']),
    resume_from_checkpoint: z.string().nullable(),
    /** Rows longer than max_seq_len: cut to it (absent: truncate) or left out of training. */
    overlong: z.enum(['truncate', 'drop']).optional(),
    /** Absent: sft. dpo/orpo train on preference pairs, kto on labelled answers. */
    objective: TrainingObjectiveSchema.optional(),
    /** DPO/KTO: how far from the reference the policy may move; ORPO: the odds-ratio weight. */
    pref_beta: z.number().gt(0).max(100).optional(),
    /** TRL's loss_type (DPO: sigmoid, ipo, hinge…; KTO: kto, apo_zero_unpaired). */
    pref_loss_type: z.string().min(1).max(50).optional(),
    /**
     * Stop the run (failed, checkpoint saved) after this many consecutive logged steps with a NaN
     * loss; 0 or unset: only warn. Enforced by the app's supervisor, not the trainer.
     */
    stop_after_nan_steps: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();
export type TrainerConfig = z.infer<typeof TrainerConfigSchema>;

/** What a person may set on a job: every trainer key except the ones the app decides. */
export const JobSettingsSchema = TrainerConfigSchema.omit({ base_model: true, resume_from_checkpoint: true })
  .partial()
  .strict();
export type JobSettings = z.infer<typeof JobSettingsSchema>;
export const PresetSchema = z.enum(['fast', 'balanced', 'quality']);
export type Preset = z.infer<typeof PresetSchema>;

/** A local base model folder (config.json + tokenizer) as the job form shows it. */
export const ModelInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  source: z.enum(['folder', 'hf-cache']),
  architecture: z.string().nullable(),
  modelType: z.string().nullable(),
  parameterCount: z.number().nullable(),
  dtype: z.string().nullable(),
  maxContext: z.number().int().nullable(),
  vocabSize: z.number().int().nullable(),
  hiddenSize: z.number().int().nullable(),
  layers: z.number().int().nullable(),
  hasTokenizer: z.boolean(),
  hasChatTemplate: z.boolean(),
  /** sha256 of config.json, recorded with each job for reproducibility. */
  configHash: z.string(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** Per-GPU memory a run needs (TRAINER.md §3), in GB (1e9 bytes). */
export const VramEstimateSchema = z.object({
  totalGb: z.number(),
  parts: z.object({
    weightsGb: z.number(),
    loraGb: z.number(),
    activationsGb: z.number(),
    logitsGb: z.number(),
    overheadGb: z.number(),
  }),
  loraParams: z.number(),
  assumptions: z.array(z.string()),
});
export type VramEstimate = z.infer<typeof VramEstimateSchema>;

export const EstimateInputSchema = z
  .object({
    modelPath: z.string().min(1).max(4096),
    seqLen: z.number().int().min(16).max(1_048_576).optional(),
    batch: z.number().int().min(1).max(1024).optional(),
    rank: z.number().int().min(1).max(1024).optional(),
    qlora: z.boolean().optional(),
    gradientCheckpointing: z.boolean().optional(),
  })
  .strict();

export const PreflightCheckSchema = z.object({
  id: z.enum(['dataset', 'model', 'tokenizer', 'vram', 'disk', 'python', 'gpus', 'config', 'duration']),
  label: z.string(),
  verdict: z.enum(['pass', 'warn', 'fail']),
  detail: z.string(),
});
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>;

export const JobRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    /** A dataset version id, or a dataset id (its newest frozen version; one is frozen if it has none). */
    datasetVersionId: z.string().min(1).max(64),
    modelPath: z.string().min(1).max(4096),
    preset: PresetSchema.optional(),
    settings: JobSettingsSchema.optional(),
    /**
     * GPU indices; several → torch.distributed.run; `[]` = the CPU. Default: the idle GPU with the
     * most free memory at preflight, or the CPU when there is no NVIDIA GPU.
     */
    gpuIndices: z.array(z.number().int().min(0).max(63)).max(16).optional(),
    /** `cpu`: train on the CPU even where there are GPUs (the CLI's `--gpus cpu`, the form's checkbox); same as `gpuIndices: []`. */
    device: z.enum(['gpu', 'cpu']).optional(),
  })
  .strict();
export type JobRequest = z.infer<typeof JobRequestSchema>;

/** The devices a job trains on, decided at preflight, and the sentence that explains them. */
export const DevicePlanSchema = z.object({
  /** GPU indices; empty = the CPU. */
  gpuIndices: z.array(z.number().int()),
  /** Who chose: the request named the devices, or the app picked them. */
  chosenBy: z.enum(['user', 'auto']),
  /** Why the CPU: the user chose it, or no NVIDIA GPU was found; null on GPUs. */
  cpu: z.enum(['chosen', 'no-gpu']).nullable(),
  /** e.g. "training on GPU 1 (NVIDIA H100 80GB HBM3): idle, 0% in use, 85.5 GB free". */
  note: z.string(),
});
export type DevicePlan = z.infer<typeof DevicePlanSchema>;

export const PreflightResultSchema = z.object({
  ok: z.boolean(),
  checks: z.array(PreflightCheckSchema),
  estimate: VramEstimateSchema.nullable(),
  config: TrainerConfigSchema.nullable(),
  /** The devices the job would train on (null when they could not be decided). */
  devices: DevicePlanSchema.nullable(),
});
export type PreflightResult = z.infer<typeof PreflightResultSchema>;

export const JobSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: JobStatusSchema,
  datasetVersionId: z.string().nullable(),
  baseModelPath: z.string(),
  gpuIndices: z.array(z.number().int()),
  step: z.number().int(),
  maxSteps: z.number().int().nullable(),
  progress: z.number(),
  etaSeconds: z.number().nullable(),
  lastLoss: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  queuedAt: z.number().nullable(),
  /** When the current attempt started. */
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** 1, then one more per resume (each attempt runs in the same run folder). */
  attempt: z.number().int(),
  /** Seconds the earlier attempts ran: a job's duration is these plus the current attempt's. */
  earlierAttemptsSeconds: z.number(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobDetailSchema = JobSummarySchema.extend({
  config: TrainerConfigSchema,
  /** Dataset sha256, model config hash, library versions from doctor, seed, app version. */
  reproducibility: z.record(z.string(), z.unknown()),
  runDir: z.string(),
  pid: z.number().int().nullable(),
  exitCode: z.number().int().nullable(),
  exitSignal: z.string().nullable(),
  resumedFromJobId: z.string().nullable(),
  /** Status changes with their times, oldest first. */
  timeline: z.array(z.object({ status: z.string(), at: z.number(), note: z.string().nullable() })),
  checkpoints: z.array(z.object({ step: z.number().int(), path: z.string() })),
  badEventLines: z.number().int(),
  /** How its devices were chosen (null for jobs queued before the choice was recorded). */
  devices: DevicePlanSchema.nullable(),
});
export type JobDetail = z.infer<typeof JobDetailSchema>;

// ─── Metrics (charts) ────────────────────────────────────────────────────────────────────────────

/** What a chart asks of a run: which series, which range, how many points at most. */
export const MetricsQuerySchema = z
  .object({
    id: z.string().min(1).max(64),
    /** Metric names (loss, eval_loss, learning_rate…); every public one when omitted. */
    names: z.array(z.string().min(1).max(64)).max(20).optional(),
    /** Include the job's GPU series (utilisation, memory, temperature, power per GPU). Default true. */
    gpu: z.boolean().optional(),
    /** The axis the buckets are cut along (the chart's x axis). Default step. */
    xAxis: z.enum(['step', 'time']).optional(),
    fromStep: z.number().int().min(0).optional(),
    toStep: z.number().int().min(0).optional(),
    /** Wall-clock ms. */
    fromTs: z.number().min(0).optional(),
    toTs: z.number().min(0).optional(),
    /** Points per series at most (min and max of each bucket are kept). Default 2000. */
    maxPoints: z.number().int().min(4).max(200_000).optional(),
  })
  .strict()
  .refine((q) => q.fromStep === undefined || q.toStep === undefined || q.fromStep <= q.toStep, {
    message: 'fromStep must not be after toStep',
  })
  .refine((q) => q.fromTs === undefined || q.toTs === undefined || q.fromTs <= q.toTs, {
    message: 'fromTs must not be after toTs',
  });
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;

/** The GPU fields a job's samples are charted by. */
export const GPU_METRICS = ['gpu.utilization', 'gpu.memory', 'gpu.temperature', 'gpu.power'] as const;
export type GpuMetric = (typeof GPU_METRICS)[number];

/**
 * One series in columns (x by step and by time, so a chart can switch axis without asking again).
 * GPU samples have no step: their `step` entries are null.
 */
export const MetricSeriesSchema = z.object({
  /** `loss`, `eval_loss`… or `gpu.utilization` etc. for a GPU series. */
  metric: z.string(),
  gpuIndex: z.number().int().nullable(),
  /** `%`, `GiB`, `°C`, `W`, or null for a unitless metric. */
  unit: z.string().nullable(),
  /** Points in the range before downsampling. */
  total: z.number().int(),
  /** True when buckets (min and max of each) stand for the points. */
  downsampled: z.boolean(),
  /** Mean of every point in the range (not of the buckets), or null when there are none. */
  mean: z.number().nullable(),
  step: z.array(z.number().int().nullable()),
  ts: z.array(z.number()),
  value: z.array(z.number().nullable()),
  /**
   * Points of earlier attempts that a resume re-ran (kept in the history, not on the curve above),
   * bucketed the same way; absent when the range has none.
   */
  superseded: z
    .object({
      total: z.number().int(),
      fromStep: z.number().int(),
      toStep: z.number().int(),
      attempts: z.array(z.number().int()),
      step: z.array(z.number().int()),
      ts: z.array(z.number()),
      value: z.array(z.number().nullable()),
    })
    .optional(),
});
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;

export const MetricsResultSchema = z.object({
  xAxis: z.enum(['step', 'time']),
  /** When the run's first metric or GPU sample was taken (ms), so charts can show elapsed time. */
  startTs: z.number().nullable(),
  series: z.array(MetricSeriesSchema),
});
export type MetricsResult = z.infer<typeof MetricsResultSchema>;

/** A run's metrics as CSV: one row per step, one column per metric (wall-clock time as ISO 8601). */
export const MetricsCsvSchema = z.object({
  csv: z.string(),
  rows: z.number().int(),
  columns: z.array(z.string()),
});
export type MetricsCsv = z.infer<typeof MetricsCsvSchema>;
