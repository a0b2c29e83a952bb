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
