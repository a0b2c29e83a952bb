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

/** An adapter (or merged model, export) in the model library. */
export const ModelArtifactSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  kind: z.string(),
  name: z.string(),
  /** Absolute path on this machine. */
  path: z.string(),
  sizeBytes: z.number(),
  sha256: z.string().nullable(),
  baseModelPath: z.string().nullable(),
  createdAt: z.number(),
});
export type ModelArtifact = z.infer<typeof ModelArtifactSchema>;

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
    datasetVersionId: z.string().min(1).max(64),
    modelPath: z.string().min(1).max(4096),
    preset: PresetSchema.optional(),
    settings: JobSettingsSchema.optional(),
    /** GPU indices; several → torch.distributed.run. Default: GPU 0 where there is one. */
    gpuIndices: z.array(z.number().int().min(0).max(63)).max(16).optional(),
  })
  .strict();
export type JobRequest = z.infer<typeof JobRequestSchema>;

export const PreflightResultSchema = z.object({
  ok: z.boolean(),
  checks: z.array(PreflightCheckSchema),
  estimate: VramEstimateSchema.nullable(),
  config: TrainerConfigSchema.nullable(),
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
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
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
});
export type JobDetail = z.infer<typeof JobDetailSchema>;
