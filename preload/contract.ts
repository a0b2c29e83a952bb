/**
 * THE API of LoRA Studio: every request channel (zod input → zod output) and every pushed event,
 * declared once. Main validates against it, the preload derives its allow-list from it and the
 * renderer's client is typed by it. This file imports nothing from Node or Electron.
 */
import { z } from 'zod';
import {
  AppInfoSchema,
  DoctorReportSchema,
  GpuStatusSchema,
  NotificationKindSchema,
  NotificationSchema,
  SettingsPatchSchema,
  SettingsSchema,
  SystemSnapshotSchema,
} from './contract-app';
import {
  BackupListSchema,
  BackupSchema,
  RestoreBackupInputSchema,
  RestoreBackupResultSchema,
} from './contract-backups';
import {
  ImportRunInputSchema,
  ImportRunResultSchema,
  JobExportInputSchema,
  JobExportResultSchema,
} from './contract-cluster';
import {
  CsvOptionsSchema,
  DatasetDetailSchema,
  DatasetFormatSchema,
  DatasetId,
  DatasetInspectionSchema,
  DatasetRowViewSchema,
  DatasetShapeSchema,
  DatasetSummarySchema,
  DatasetVersionSchema,
  DedupePreviewSchema,
  RowFilterSchema,
  RowSelectionSchema,
  TokenStatsSchema,
} from './contract-datasets';
import {
  ArtifactId,
  BudgetStatusSchema,
  CheckpointSchema,
  CostEstimateSchema,
  CostsReportSchema,
  GgufStatusSchema,
  JobCostSchema,
  ModelArtifactDetailSchema,
  ModelArtifactSchema,
  OllamaExportSchema,
} from './contract-library';
import {
  PresetChoiceInputSchema,
  PresetChoiceSchema,
  SetupReportSchema,
  StartingModelSchema,
} from './contract-setup';
import {
  EstimateInputSchema,
  JobDetailSchema,
  JobRequestSchema,
  JobStatusSchema,
  JobSummarySchema,
  MetricsCsvSchema,
  MetricsQuerySchema,
  MetricsResultSchema,
  ModelInfoSchema,
  PreflightResultSchema,
  VramEstimateSchema,
} from './contract-training';

export * from './contract-app';
export * from './contract-backups';
export * from './contract-cluster';
export * from './contract-datasets';
export * from './contract-desktop';
export * from './contract-library';
export * from './contract-setup';
export * from './contract-training';

/**
 * Error codes an API call can answer with; a client may switch on them. FORBIDDEN: the caller (an
 * Electron frame) may not use the API. TIMEOUT: a wait the caller asked for ran out first.
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'FORBIDDEN',
  'TIMEOUT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A typed error as it crosses the process boundary: never a stack trace. */
export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** What every request resolves to, in both transports. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ApiError };

const Empty = z.object({}).strict();

// ─── The contract ────────────────────────────────────────────────────────────────────────────────

const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ input, output }) as const;

/** Every request channel: its input schema and its output schema. */
export const contract = {
  'app.info': channel(Empty, AppInfoSchema),
  /** The database backups kept, newest first, and the policy that keeps them. */
  'backups.list': channel(Empty, BackupListSchema),
  /** Take a rolling backup now (online: the app keeps running). Only the primary does. */
  'backups.create': channel(Empty, BackupSchema),
  /**
   * On the start-up error screen: put a backup (by name, from `backups/`) in place of a database that
   * could not be opened, keeping the damaged file, and open the app on it. A running app refuses.
   */
  'startup.restoreBackup': channel(RestoreBackupInputSchema, RestoreBackupResultSchema),
  'settings.get': channel(Empty, SettingsSchema),
  'settings.update': channel(SettingsPatchSchema, SettingsSchema),
  'telemetry.gpu': channel(Empty, GpuStatusSchema),
  'telemetry.system': channel(Empty, SystemSnapshotSchema),
  'doctor.run': channel(Empty, DoctorReportSchema),
  /** The first-run checks: GPU, Python environment, disk, base model, dataset; each with its fix. */
  'setup.check': channel(Empty, SetupReportSchema),
  /** Starting base models (0.5B–8B instruct) with estimated VRAM, and whether each fits the largest GPU. */
  'setup.startingModels': channel(Empty, z.array(StartingModelSchema)),
  /** The new-job form's default preset for a model on the chosen GPUs' free memory, with why. */
  'setup.presetChoice': channel(PresetChoiceInputSchema, PresetChoiceSchema),
  /**
   * Download a base model from the Hugging Face Hub by id into the HF cache (`<trainer> download`),
   * as a task: progress in bytes, cancel with `tasks.cancel`, resumable; offline fails as UNAVAILABLE
   * with `details.reason: "OFFLINE"` and the way forward. The task's result is the snapshot folder.
   */
  'setup.downloadModel': channel(
    z
      .object({
        repoId: z.string().trim().min(1).max(200),
        revision: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    z.object({ taskId: z.string() }),
  ),
  'notifications.list': channel(
    z
      .object({
        unreadOnly: z.boolean().optional(),
        kinds: z.array(NotificationKindSchema).max(20).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
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
  /** Where a task stands: running, or how it ended (kept for the last 200 tasks). */
  'tasks.get': channel(
    z.object({ taskId: z.string().min(1).max(64) }).strict(),
    z.object({
      taskId: z.string(),
      kind: z.string(),
      state: z.enum(['running', 'completed', 'failed', 'cancelled']),
      resultId: z.string().nullable(),
      error: ApiErrorSchema.nullable(),
    }),
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
  /** Import the sample chat dataset shipped with the app (a first dataset without finding a file). */
  'datasets.importSample': channel(
    z.object({ name: z.string().trim().min(1).max(200).optional() }).strict(),
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
    z.object({
      /** How many rows match; at least this many when `totalExact` is false (`datasets.count` counts them). */
      total: z.number().int(),
      totalExact: z.boolean(),
      rows: z.array(DatasetRowViewSchema),
    }),
  ),
  /** The exact number of rows a filter matches (counted without holding up other requests). */
  'datasets.count': channel(
    z.object({ id: DatasetId, filter: RowFilterSchema.optional() }).strict(),
    z.object({ total: z.number().int() }),
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
  /** The model library: adapters the runs produced, newest first. */
  'models.list': channel(Empty, z.array(ModelArtifactSchema)),
  'models.get': channel(z.object({ id: ArtifactId }).strict(), ModelArtifactDetailSchema),
  /** Remove from the library; the folder is deleted only with `deleteFiles: true` (the confirmation). */
  'models.delete': channel(
    z.object({ id: ArtifactId, deleteFiles: z.boolean().optional() }).strict(),
    z.object({ deleted: z.boolean(), filesRemoved: z.boolean() }),
  ),
  /** Copy an artifact's folder into `to` (a new folder, or an empty one). */
  'models.copy': channel(
    z.object({ id: ArtifactId, to: z.string().trim().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), bytes: z.number(), files: z.number().int() }),
  ),
  /** A job's checkpoints and which of them are in the library. */
  'models.checkpoints': channel(
    z.object({ jobId: z.string().min(1).max(64) }).strict(),
    z.array(CheckpointSchema),
  ),
  /** Register one of a job's checkpoints as an adapter in the library. */
  'models.promote': channel(
    z.object({ jobId: z.string().min(1).max(64), step: z.number().int().min(0) }).strict(),
    ModelArtifactSchema,
  ),
  /** Write an Ollama Modelfile (FROM base + ADAPTER) beside the adapter; returns the `ollama create` command. */
  'models.exportOllama': channel(
    z
      .object({
        id: ArtifactId,
        name: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)
          .optional(),
      })
      .strict(),
    OllamaExportSchema,
  ),
  /** Merge an adapter into its base model (a task: progress, cancel) → an artifact of kind `merged`. */
  'models.merge': channel(
    z.object({ id: ArtifactId, dtype: z.enum(['bf16', 'fp16', 'fp32']).optional() }).strict(),
    z.object({ taskId: z.string() }),
  ),
  /**
   * Try it: generate from a prompt with the base model and with the adapter, one after the other
   * (a task: cancel with tasks.cancel); the text streams as `generate` events.
   */
  'models.generate': channel(
    z
      .object({
        id: ArtifactId,
        prompt: z.string().min(1, 'write a prompt').max(20_000),
        system: z.string().max(20_000).optional(),
        maxTokens: z.number().int().min(1).max(4096).optional(),
        temperature: z.number().min(0).max(2).optional(),
        stop: z.array(z.string().min(1).max(100)).max(4).optional(),
        sides: z
          .array(z.enum(['base', 'adapter']))
          .min(1)
          .max(2)
          .optional(),
      })
      .strict(),
    z.object({ sessionId: z.string() }),
  ),
  /** Whether GGUF export is possible here (llama.cpp checkout in Settings) and its version. */
  'models.ggufStatus': channel(Empty, GgufStatusSchema),
  /** Convert an adapter to a GGUF LoRA with llama.cpp's converter (a task) → an artifact of kind `gguf`. */
  'models.exportGguf': channel(
    z.object({ id: ArtifactId, outType: z.enum(['f32', 'f16', 'bf16', 'q8_0']).optional() }).strict(),
    z.object({ taskId: z.string() }),
  ),
  /** Costs of jobs (those ended since `since`, ms, and any still running), totals, buckets, budget. */
  'costs.report': channel(
    z.object({ since: z.number().int().min(0).optional() }).strict(),
    CostsReportSchema,
  ),
  /** The same jobs as CSV (one line per job), for the Costs page's export. */
  'costs.csv': channel(
    z.object({ since: z.number().int().min(0).optional() }).strict(),
    z.object({ csv: z.string(), filename: z.string() }),
  ),
  /** One job's energy and cost, integrated up to now while it runs. */
  'costs.job': channel(z.object({ jobId: z.string().min(1).max(64) }).strict(), JobCostSchema),
  'costs.budget': channel(Empty, BudgetStatusSchema),
  /** Energy and cost of a run from its estimated duration and the chosen GPUs' power limit. */
  'costs.estimate': channel(
    z
      .object({
        durationS: z.number().min(0).max(1e8),
        gpuIndices: z.array(z.number().int().min(0).max(63)).max(16).optional(),
      })
      .strict(),
    CostEstimateSchema,
  ),
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
  /** A self-contained folder to train the job elsewhere: torchrun, accelerate, Slurm, SkyPilot. */
  'cluster.exportJob': channel(JobExportInputSchema, JobExportResultSchema),
  /** Register a finished run folder from elsewhere as a job (metrics, adapter, GPU-hours). */
  'cluster.importRun': channel(ImportRunInputSchema, ImportRunResultSchema),
  /** Metric and GPU series of a job, downsampled in the core to `maxPoints` per series (min/max buckets). */
  'jobs.metrics': channel(MetricsQuerySchema, MetricsResultSchema),
  /** Every point of a run's metrics as CSV (the CLI's `jobs metrics JOB --csv` prints the same). */
  'jobs.metricsCsv': channel(z.object({ id: z.string().min(1).max(64) }).strict(), MetricsCsvSchema),
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
  /** A new notification; `desktop` says whether shells show it on the desktop (toggle, quiet hours). */
  notification: NotificationSchema.extend({ desktop: z.boolean() }),
  /** A long task (import, token count…) ended; `resultId` names what it made. */
  task: z.object({
    taskId: z.string(),
    kind: z.string(),
    state: z.enum(['completed', 'failed', 'cancelled']),
    resultId: z.string().nullable(),
    error: ApiErrorSchema.nullable(),
  }),
  /** Try it: a piece of generated text, or the end of one side's generation. */
  generate: z.object({
    sessionId: z.string(),
    side: z.enum(['base', 'adapter']),
    type: z.enum(['token', 'done', 'error']),
    text: z.string().nullable(),
    message: z.string().nullable(),
    tokens: z.number().int().nullable(),
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

/**
 * A pushed event checked against the contract (a known name, a payload its schema accepts), or a
 * reason it was refused. Transports call it before sending and on receipt, as requests are checked.
 */
export function parsePushedEvent(
  value: unknown,
): { readonly ok: true; readonly event: PushedEvent } | { readonly ok: false; readonly reason: string } {
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'not an object' };
  const { name, payload } = value as { name?: unknown; payload?: unknown };
  if (typeof name !== 'string' || !Object.hasOwn(events, name)) {
    return { ok: false, reason: `unknown event "${String(name)}"` };
  }
  const parsed = events[name as EventName].safeParse(payload);
  if (!parsed.success)
    return { ok: false, reason: `${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, event: { name, payload: parsed.data } as PushedEvent };
}

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
