/**
 * THE API of LoRA Studio: every request channel (zod input → zod output) and every pushed event,
 * declared once. Main validates against it, the preload derives its allow-list from it and the
 * renderer's client is typed by it. This file imports nothing from Node or Electron.
 */
import { z } from 'zod';

/** A typed error as it crosses the process boundary: never a stack trace. */
export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** What every request resolves to, in both transports. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ApiError };

/** Error codes the core returns; a client may switch on them. */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const Empty = z.object({}).strict();

// ─── Settings ────────────────────────────────────────────────────────────────────────────────────

/** Every setting with its schema; the only place settings are described. */
export const SETTINGS_SCHEMA = {
  'python.path': z.string().trim().min(1).max(4096).nullable(),
  'trainer.command': z.string().trim().min(1).max(4096).nullable(),
  'energy.pricePerKwh': z
    .number({ error: 'a price per kWh must be a number' })
    .finite()
    .min(0, 'the price per kWh cannot be negative')
    .max(100, 'the price per kWh must be at most 100'),
  'energy.currency': z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as EUR or USD'),
  'notifications.onCompleted': z.boolean(),
  'notifications.onFailed': z.boolean(),
  'ui.theme': z.enum(['system', 'light', 'dark']),
} as const;
export type SettingKey = keyof typeof SETTINGS_SCHEMA;
export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as SettingKey[];

export const SettingsSchema = z.object(SETTINGS_SCHEMA).strict();
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** What a fresh data folder starts with. */
export const SETTINGS_DEFAULTS: Readonly<Settings> = Object.freeze({
  'python.path': null,
  'trainer.command': null,
  'energy.pricePerKwh': 0.3,
  'energy.currency': 'EUR',
  'notifications.onCompleted': true,
  'notifications.onFailed': true,
  'ui.theme': 'system',
});

// ─── Telemetry ───────────────────────────────────────────────────────────────────────────────────

/** One GPU as nvidia-smi reports it; a field the driver reports as N/A is null. */
export const GpuSampleSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  uuid: z.string(),
  utilizationPct: z.number().nullable(),
  memoryUsedMb: z.number().nullable(),
  memoryTotalMb: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerDrawW: z.number().nullable(),
  powerLimitW: z.number().nullable(),
  smClockMhz: z.number().nullable(),
  memClockMhz: z.number().nullable(),
});
export type GpuSample = z.infer<typeof GpuSampleSchema>;

/**
 * The GPU state the status bar explains. No NVIDIA GPU or no nvidia-smi is a normal state, not an
 * error: `no-nvidia-smi` (the tool is not installed), `no-gpu` (it runs but finds none),
 * `starting` (no sample yet), `error` (it failed; `message` says how).
 */
export const GpuStatusSchema = z.object({
  state: z.enum(['ok', 'starting', 'no-nvidia-smi', 'no-gpu', 'error']),
  message: z.string().nullable(),
  gpus: z.array(GpuSampleSchema),
  sampledAt: z.number().nullable(),
});
export type GpuStatus = z.infer<typeof GpuStatusSchema>;

export const SystemSnapshotSchema = z.object({
  cpu: z.object({ model: z.string(), cores: z.number().int(), loadPct: z.number().nullable() }),
  memory: z.object({ totalMb: z.number(), usedMb: z.number() }),
  disk: z.object({ path: z.string(), totalGb: z.number().nullable(), freeGb: z.number().nullable() }),
  sampledAt: z.number(),
});
export type SystemSnapshot = z.infer<typeof SystemSnapshotSchema>;

/** `doctor`: real facts about this machine, for the CLI and the Settings page. */
export const DoctorReportSchema = z.object({
  app: z.object({ version: z.string(), node: z.string(), platform: z.string(), arch: z.string() }),
  dataDir: z.string(),
  sqlite: z.object({ version: z.string() }),
  gpu: z.object({
    state: GpuStatusSchema.shape.state,
    message: z.string().nullable(),
    driverVersion: z.string().nullable(),
    cudaVersion: z.string().nullable(),
    gpus: z.array(
      z.object({ index: z.number().int(), name: z.string(), memoryTotalMb: z.number().nullable() }),
    ),
  }),
  disk: z.object({ path: z.string(), totalGb: z.number().nullable(), freeGb: z.number().nullable() }),
  memory: z.object({ totalMb: z.number(), freeMb: z.number() }),
  cpu: z.object({ model: z.string(), cores: z.number().int() }),
  python: z.object({
    path: z.string().nullable(),
    version: z.string().nullable(),
    source: z.enum(['env', 'setting', 'path', 'none']),
    problem: z.string().nullable(),
  }),
  problems: z.array(z.string()),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

// ─── Notifications ───────────────────────────────────────────────────────────────────────────────

export const NotificationKindSchema = z.enum(['job.completed', 'job.failed', 'job.cancelled', 'info']);
export const NotificationSchema = z.object({
  id: z.string(),
  kind: NotificationKindSchema,
  jobId: z.string().nullable(),
  title: z.string(),
  body: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.number(),
});
export type Notification = z.infer<typeof NotificationSchema>;

// ─── Datasets ────────────────────────────────────────────────────────────────────────────────────

export const DatasetFormatSchema = z.enum(['jsonl', 'json', 'csv', 'tsv', 'parquet', 'txt']);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;
/** Row shapes the importer recognises; every row is normalised to `CanonicalRow`. */
export const DatasetShapeSchema = z.enum(['chat', 'sharegpt', 'alpaca', 'prompt_completion', 'text']);
export type DatasetShape = z.infer<typeof DatasetShapeSchema>;

export const RoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type Role = z.infer<typeof RoleSchema>;
/** One message of the canonical (OpenAI-style) form. Tool calls are kept as given. */
export const CanonicalMessageSchema = z.object({
  role: RoleSchema,
  content: z.string(),
  name: z.string().optional(),
  tool_calls: z.array(z.unknown()).optional(),
  tool_call_id: z.string().optional(),
});
export type CanonicalMessage = z.infer<typeof CanonicalMessageSchema>;
/** The canonical row: a conversation, or plain text for pre-training style data. */
export const CanonicalRowSchema = z.union([
  z.object({ messages: z.array(CanonicalMessageSchema) }).strict(),
  z.object({ text: z.string() }).strict(),
]);
export type CanonicalRow = z.infer<typeof CanonicalRowSchema>;

/** What is wrong with a row, where, in words a person can act on. */
export const RowProblemSchema = z.object({ path: z.string(), message: z.string() });
export type RowProblem = z.infer<typeof RowProblemSchema>;

/** CSV/TSV import options: delimiter and which column feeds which field of the shape. */
export const CsvOptionsSchema = z
  .object({
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** Field of the shape (e.g. `instruction`, `output`, `prompt`, `completion`, `text`) → column name. */
    mapping: z.record(z.string().max(100), z.string().max(500)).optional(),
  })
  .strict();

export const DatasetVersionSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  sizeBytes: z.number(),
  rows: z.number().int(),
  train: z.number().int(),
  val: z.number().int(),
  note: z.string().nullable(),
  /** Relative to the data folder. */
  path: z.string(),
  createdAt: z.number(),
});
export type DatasetVersion = z.infer<typeof DatasetVersionSchema>;

export const DatasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  format: DatasetFormatSchema,
  shape: DatasetShapeSchema,
  status: z.enum(['importing', 'ready', 'failed']),
  sourceName: z.string(),
  sizeBytes: z.number(),
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  versions: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

const HistogramSchema = z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) });

/** Token lengths counted with a model's own tokenizer and chat template. */
export const TokenStatsSchema = z.object({
  modelDir: z.string(),
  maxSeqLen: z.number().int(),
  rowsCounted: z.number().int(),
  total: z.number(),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  max: z.number(),
  /** Rows longer than maxSeqLen (they would be truncated). */
  truncated: z.number().int(),
  histogram: HistogramSchema,
  usedChatTemplate: z.boolean(),
  computedAt: z.number(),
});
export type TokenStats = z.infer<typeof TokenStatsSchema>;

export const DatasetStatsSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  deleted: z.number().int(),
  roles: z.record(z.string(), z.number().int()),
  turns: z.object({ min: z.number(), max: z.number(), mean: z.number() }),
  chars: z.object({ min: z.number(), max: z.number(), mean: z.number(), histogram: HistogramSchema }),
  split: z.object({ train: z.number().int(), val: z.number().int(), unsplit: z.number().int() }),
  /** The most common problems, for the "what is wrong" panel. */
  problems: z.array(z.object({ message: z.string(), count: z.number().int() })),
  tokens: TokenStatsSchema.nullable(),
});
export type DatasetStats = z.infer<typeof DatasetStatsSchema>;

export const ShapeDetectionSchema = z.object({
  shape: DatasetShapeSchema,
  /** Why: e.g. "98 of 100 sampled rows have a `messages` array of {role, content}". */
  evidence: z.array(z.string()),
  /** Other shapes that fit some rows, with how many of the sample fit. */
  candidates: z.array(z.object({ shape: DatasetShapeSchema, matched: z.number().int() })),
  sampled: z.number().int(),
  overridden: z.boolean(),
});
export type ShapeDetection = z.infer<typeof ShapeDetectionSchema>;

export const DatasetDetailSchema = DatasetSummarySchema.extend({
  detection: ShapeDetectionSchema,
  stats: DatasetStatsSchema,
  versionList: z.array(DatasetVersionSchema),
  error: z.string().nullable(),
});
export type DatasetDetail = z.infer<typeof DatasetDetailSchema>;

/** A look at a file before importing it: format, encoding, detected shape, columns, first rows. */
export const DatasetInspectionSchema = z.object({
  path: z.string(),
  sizeBytes: z.number(),
  format: DatasetFormatSchema,
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be']),
  detection: ShapeDetectionSchema,
  /** CSV/TSV/Parquet column names. */
  columns: z.array(z.string()).nullable(),
  delimiter: z.string().nullable(),
  sample: z.array(z.unknown()),
});
export type DatasetInspection = z.infer<typeof DatasetInspectionSchema>;

/** Filters of the row browser; every one narrows. */
export const RowFilterSchema = z
  .object({
    search: z.string().max(500).optional(),
    valid: z.boolean().optional(),
    /** Rows whose problems mention this text. */
    problem: z.string().max(200).optional(),
    minChars: z.number().int().min(0).optional(),
    maxChars: z.number().int().min(0).optional(),
    role: RoleSchema.optional(),
    minTurns: z.number().int().min(0).optional(),
    maxTurns: z.number().int().min(0).optional(),
    duplicate: z.boolean().optional(),
    tag: z.string().max(100).optional(),
    split: z.enum(['train', 'val', 'unsplit']).optional(),
    /** Show deleted rows instead of live ones. */
    deleted: z.boolean().optional(),
  })
  .strict();
export type RowFilter = z.infer<typeof RowFilterSchema>;

export const DatasetRowViewSchema = z.object({
  id: z.number().int(),
  rowIndex: z.number().int(),
  lineNumber: z.number().int().nullable(),
  valid: z.boolean(),
  problems: z.array(RowProblemSchema),
  canonical: CanonicalRowSchema.nullable(),
  original: z.unknown(),
  charLength: z.number().int(),
  tokenCount: z.number().int().nullable(),
  turns: z.number().int(),
  tags: z.array(z.string()),
  split: z.enum(['train', 'val']).nullable(),
  deleted: z.boolean(),
});
export type DatasetRowView = z.infer<typeof DatasetRowViewSchema>;

const DatasetId = z.string().min(1).max(64);
/** Rows to act on: explicit ids, or everything matching a filter (bulk actions). */
const RowSelectionSchema = z
  .object({
    datasetId: DatasetId,
    rowIds: z.array(z.number().int()).max(100_000).optional(),
    filter: RowFilterSchema.optional(),
  })
  .strict()
  .refine((s) => (s.rowIds === undefined) !== (s.filter === undefined), 'give either rowIds or filter');

export const DedupePreviewSchema = z.object({
  mode: z.enum(['exact', 'near']),
  threshold: z.number().nullable(),
  groups: z.number().int(),
  /** Rows that would be (or were) deleted: every member of a group but the first. */
  duplicates: z.number().int(),
  sample: z.array(z.object({ keep: z.number().int(), remove: z.array(z.number().int()) })),
  applied: z.boolean(),
});
export type DedupePreview = z.infer<typeof DedupePreviewSchema>;
// ─── Training ────────────────────────────────────────────────────────────────────────────────────

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

// ─── App ─────────────────────────────────────────────────────────────────────────────────────────

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  dbPath: z.string(),
  shell: z.enum(['electron', 'serve', 'cli', 'test']),
  startedAt: z.number(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ─── The contract ────────────────────────────────────────────────────────────────────────────────

const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ input, output }) as const;

/** Every request channel: its input schema and its output schema. */
export const contract = {
  'app.info': channel(Empty, AppInfoSchema),
  'settings.get': channel(Empty, SettingsSchema),
  'settings.update': channel(SettingsPatchSchema, SettingsSchema),
  'telemetry.gpu': channel(Empty, GpuStatusSchema),
  'telemetry.system': channel(Empty, SystemSnapshotSchema),
  'doctor.run': channel(Empty, DoctorReportSchema),
  'notifications.list': channel(
    z
      .object({ unreadOnly: z.boolean().optional(), limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    z.array(NotificationSchema),
  ),
  'notifications.markRead': channel(
    z.object({ ids: z.array(z.string().min(1).max(64)).max(1000).optional() }).strict(),
    z.object({ updated: z.number().int() }),
  ),
  /** Create a venv in the data folder and pip-install the trainer's requirements (needs internet). */
  'python.setup': channel(
    z.object({ basePython: z.string().trim().min(1).max(4096).optional() }).strict(),
    z.object({ taskId: z.string() }),
  ),
  'tasks.cancel': channel(
    z.object({ taskId: z.string().min(1).max(64) }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
  'datasets.inspect': channel(
    z.object({ path: z.string().min(1).max(4096), format: DatasetFormatSchema.optional() }).strict(),
    DatasetInspectionSchema,
  ),
  /** Starts an import in a worker; progress and the outcome arrive as `progress` and `task` events. */
  'datasets.import': channel(
    z
      .object({
        path: z.string().min(1).max(4096),
        name: z.string().trim().min(1).max(200).optional(),
        format: DatasetFormatSchema.optional(),
        shape: DatasetShapeSchema.optional(),
        csv: CsvOptionsSchema.optional(),
      })
      .strict(),
    z.object({ taskId: z.string() }),
  ),
  'datasets.list': channel(Empty, z.array(DatasetSummarySchema)),
  'datasets.get': channel(z.object({ id: DatasetId }).strict(), DatasetDetailSchema),
  'datasets.rename': channel(
    z.object({ id: DatasetId, name: z.string().trim().min(1).max(200) }).strict(),
    DatasetSummarySchema,
  ),
  'datasets.delete': channel(z.object({ id: DatasetId }).strict(), z.object({ deleted: z.boolean() })),
  'datasets.rows': channel(
    z
      .object({
        id: DatasetId,
        offset: z.number().int().min(0).max(100_000_000),
        limit: z.number().int().min(1).max(500),
        filter: RowFilterSchema.optional(),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(DatasetRowViewSchema) }),
  ),
  /** Replace a row's canonical form; it is validated again and its problems updated. */
  'datasets.updateRow': channel(
    z.object({ datasetId: DatasetId, rowId: z.number().int(), canonical: z.unknown() }).strict(),
    DatasetRowViewSchema,
  ),
  'datasets.setDeleted': channel(
    z.object({ selection: RowSelectionSchema, deleted: z.boolean() }).strict(),
    z.object({ updated: z.number().int() }),
  ),
  'datasets.tag': channel(
    z
      .object({
        selection: RowSelectionSchema,
        add: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
        remove: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
      })
      .strict(),
    z.object({ updated: z.number().int() }),
  ),
  'datasets.dedupe': channel(
    z
      .object({
        id: DatasetId,
        mode: z.enum(['exact', 'near']),
        threshold: z.number().min(0.5).max(1).optional(),
        apply: z.boolean(),
      })
      .strict(),
    DedupePreviewSchema,
  ),
  'datasets.split': channel(
    z
      .object({
        id: DatasetId,
        valRatio: z.number().min(0).max(0.9).optional(),
        valCount: z.number().int().min(0).optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      })
      .strict()
      .refine(
        (s) => (s.valRatio === undefined) !== (s.valCount === undefined),
        'give either valRatio or valCount',
      ),
    z.object({ train: z.number().int(), val: z.number().int() }),
  ),
  /** Count tokens with a local model's tokenizer.json and chat template (a worker; progress events). */
  'datasets.tokenStats': channel(
    z
      .object({
        id: DatasetId,
        modelDir: z.string().min(1).max(4096),
        maxSeqLen: z.number().int().min(16).max(1_048_576),
      })
      .strict(),
    TokenStatsSchema,
  ),
  'datasets.freeze': channel(
    z.object({ id: DatasetId, note: z.string().max(1000).optional() }).strict(),
    DatasetVersionSchema,
  ),
  'datasets.export': channel(
    z
      .object({
        versionId: z.string().min(1).max(64),
        shape: z.enum(['canonical', 'original']),
        path: z.string().min(1).max(4096),
      })
      .strict(),
    z.object({ path: z.string(), rows: z.number().int(), bytes: z.number() }),
  ),
  'models.inspect': channel(z.object({ path: z.string().min(1).max(4096) }).strict(), ModelInfoSchema),
  /** Models found in the Hugging Face cache folder (HF_HOME / ~/.cache/huggingface/hub). */
  'models.scan': channel(Empty, z.array(ModelInfoSchema)),
  /** The model library: adapters the runs produced. */
  'models.list': channel(Empty, z.array(ModelArtifactSchema)),
  'training.estimate': channel(EstimateInputSchema, VramEstimateSchema),
  'jobs.preflight': channel(JobRequestSchema, PreflightResultSchema),
  /** Preflight, then queue; refused with BAD_INPUT naming the failed checks. */
  'jobs.create': channel(JobRequestSchema, JobSummarySchema),
  'jobs.list': channel(Empty, z.array(JobSummarySchema)),
  'jobs.get': channel(z.object({ id: z.string().min(1).max(64) }).strict(), JobDetailSchema),
  'jobs.cancel': channel(z.object({ id: z.string().min(1).max(64) }).strict(), JobSummarySchema),
  /** Continue an interrupted, failed or cancelled job from its last checkpoint (same run folder). */
  'jobs.resume': channel(z.object({ id: z.string().min(1).max(64) }).strict(), JobSummarySchema),
  /** A new job with the same request, from the start. */
  'jobs.retry': channel(z.object({ id: z.string().min(1).max(64) }).strict(), JobSummarySchema),
  'jobs.logs': channel(
    z
      .object({
        id: z.string().min(1).max(64),
        stream: z.enum(['stdout', 'stderr', 'events']),
        tailLines: z.number().int().min(1).max(10_000).optional(),
        search: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ lines: z.array(z.string()), truncated: z.boolean() }),
  ),
  'jobs.metrics': channel(
    z
      .object({ id: z.string().min(1).max(64), names: z.array(z.string().max(64)).max(20).optional() })
      .strict(),
    z.record(z.string(), z.array(z.object({ step: z.number().int(), value: z.number().nullable() }))),
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;
export const CHANNELS = Object.keys(contract) as Channel[];

/** Entities whose "this changed" event tells the renderer to refetch. */
export const EntitySchema = z.enum(['settings', 'notifications', 'datasets', 'jobs', 'models', 'costs']);
export type Entity = z.infer<typeof EntitySchema>;

/** Every event the core pushes to the renderer. */
export const events = {
  changed: z.object({ entity: EntitySchema, id: z.string().nullable() }),
  'telemetry.gpu': GpuStatusSchema,
  progress: z.object({
    taskId: z.string(),
    kind: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    message: z.string().nullable(),
  }),
  notification: NotificationSchema,
  /** A long task (import, token count…) ended; `resultId` names what it made. */
  task: z.object({
    taskId: z.string(),
    kind: z.string(),
    state: z.enum(['completed', 'failed', 'cancelled']),
    resultId: z.string().nullable(),
    error: ApiErrorSchema.nullable(),
  }),
  /** Live progress of a running job, throttled to ≤ 4 Hz per job. */
  'job.progress': z.object({
    id: z.string(),
    status: JobStatusSchema,
    step: z.number().int(),
    maxSteps: z.number().int().nullable(),
    progress: z.number(),
    etaSeconds: z.number().nullable(),
    loss: z.number().nullable(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The one message shape both transports carry for a pushed event. */
export type PushedEvent = {
  [E in EventName]: { readonly name: E; readonly payload: EventPayload<E> };
}[EventName];

/** What the renderer sees as `window.api` (Electron) and what the WebSocket client implements. */
export interface ApiBridge {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  /** Subscribe to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** WebSocket wire format (serve mode). */
export const WsRequestSchema = z.object({
  id: z.number().int(),
  channel: z.string().max(100),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequestSchema>;
export type WsMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly type: 'event'; readonly event: PushedEvent };
