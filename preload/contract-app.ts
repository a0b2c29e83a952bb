/**
 * The app's own schemas in the contract: settings (every key with its schema and default), GPU and
 * system telemetry, the doctor's report, notifications and AppInfo. Re-exported by contract.ts;
 * imports nothing from Node or Electron.
 */
import { z } from 'zod';

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
  /** Hardware amortisation per GPU-hour, in the energy currency (0: none). */
  'energy.amortisationPerGpuHour': z
    .number({ error: 'an amortisation rate must be a number' })
    .finite()
    .min(0, 'the amortisation rate cannot be negative')
    .max(10_000),
  /**
   * What renting a GPU costs per hour, by GPU model (matched as a substring of nvidia-smi's name,
   * longest first), in the energy currency: the cloud-equivalent figure.
   */
  'energy.cloudRates': z
    .record(
      z.string().trim().min(1, 'a GPU model name cannot be empty').max(100),
      z.number().finite().min(0, 'a rate cannot be negative').max(10_000),
    )
    .refine((r) => Object.keys(r).length <= 50, 'at most 50 GPU models'),
  /** Monthly budget in the energy currency (electricity + amortisation); null: none. */
  'budget.monthly': z.number().finite().positive('a budget must be more than 0').max(1e9).nullable(),
  /** Keep queued jobs from starting once the monthly budget is spent. */
  'budget.holdQueue': z.boolean(),
  'notifications.onCompleted': z.boolean(),
  'notifications.onFailed': z.boolean(),
  'notifications.onCancelled': z.boolean(),
  'notifications.onInterrupted': z.boolean(),
  /** Imports, merges and exports that finished. */
  'notifications.onTasks': z.boolean(),
  'notifications.onBudget': z.boolean(),
  /** Show notifications on the desktop (OS / browser) as well as in the app. */
  'notifications.desktop': z.boolean(),
  /** No desktop notifications between these local times ("22:00" to "07:00"); null: never quiet. */
  'notifications.quietHours': z
    .object({
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 22:00'),
      end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 07:00'),
    })
    .strict()
    .nullable(),
  /** A llama.cpp checkout (for GGUF export with its convert_lora_to_gguf.py); null: none. */
  'llamacpp.path': z.string().trim().min(1).max(4096).nullable(),
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
  'energy.amortisationPerGpuHour': 0,
  'energy.cloudRates': { H100: 2.5, A100: 1.3, L40S: 0.9, 'RTX 4090': 0.4 },
  'budget.monthly': null,
  'budget.holdQueue': false,
  'notifications.onCompleted': true,
  'notifications.onFailed': true,
  'notifications.onCancelled': true,
  'notifications.onInterrupted': true,
  'notifications.onTasks': true,
  'notifications.onBudget': true,
  'notifications.desktop': true,
  'notifications.quietHours': null,
  'llamacpp.path': null,
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
  /** Fan speed as a share of its maximum; null on passively cooled data-centre GPUs (nvidia-smi says [N/A]). */
  fanPct: z.number().nullable(),
});
export type GpuSample = z.infer<typeof GpuSampleSchema>;

/** A process using a GPU (`nvidia-smi --query-compute-apps`), with the LoRA Studio job it belongs to, if any. */
export const GpuProcessSchema = z.object({
  gpuUuid: z.string(),
  pid: z.number().int(),
  name: z.string(),
  usedMemoryMb: z.number().nullable(),
  /** The job whose trainer this is (from its environment), or null for any other program. */
  jobId: z.string().nullable(),
});
export type GpuProcess = z.infer<typeof GpuProcessSchema>;

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
  /** Processes on the GPUs, refreshed every few seconds while sampling works ([] otherwise). */
  processes: z.array(GpuProcessSchema),
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
  /** The trainer's packages as its Python reports them (null when it could not be asked). */
  packages: z
    .object({
      torch: z.string().nullable(),
      cuda: z.string().nullable(),
      transformers: z.string().nullable(),
      peft: z.string().nullable(),
    })
    .nullable(),
  problems: z.array(z.string()),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

// ─── Notifications ───────────────────────────────────────────────────────────────────────────────

export const NotificationKindSchema = z.enum([
  'job.completed',
  'job.failed',
  'job.cancelled',
  'job.interrupted',
  'dataset.imported',
  'model.merged',
  'model.exported',
  'budget.threshold',
  'info',
]);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;
export const NotificationSchema = z.object({
  id: z.string(),
  kind: NotificationKindSchema,
  jobId: z.string().nullable(),
  datasetId: z.string().nullable(),
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
  /** This core holds the data folder's lock: it runs the queue and answers other processes. */
  isPrimary: z.boolean(),
  /** The Electron version when the core runs inside the desktop app; null in serve mode and the CLI. */
  electron: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
