/**
 * THE API of LoRA Studio: every request channel (zod input → zod output) and every pushed event,
 * declared once. Main validates against it, the preload derives its allow-list from it and the
 * renderer's client is typed by it. This file imports nothing from Node or Electron.
 */
import { z } from 'zod';
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
  EstimateInputSchema,
  JobDetailSchema,
  JobRequestSchema,
  JobStatusSchema,
  JobSummarySchema,
  ModelArtifactSchema,
  ModelInfoSchema,
  PreflightResultSchema,
  VramEstimateSchema,
} from './contract-training';

export * from './contract-datasets';
export * from './contract-training';

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
