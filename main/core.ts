/**
 * `createCore({ dataDir })`: opens the database, builds every service with its dependencies passed
 * in, and returns `{ api, events, close }`. The Electron shell, serve mode, the CLI and the tests all
 * stand on it; nothing here knows which shell it runs in.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Db, openDatabase } from '../db/open';
import { GpuSamplesRepository } from '../db/repositories/gpu-samples-repository';
import { ModelArtifactsRepository } from '../db/repositories/model-artifacts-repository';
import { NotificationsRepository } from '../db/repositories/notifications-repository';
import { SettingsRepository } from '../db/repositories/settings-repository';
import { TrainingJobsRepository } from '../db/repositories/training-jobs-repository';
import type { AppInfo, Notification } from '../preload/contract';
import { type ApiRouter, createApiRouter } from './api/api-router';
import { createDatasetHandlers } from './api/datasets-handlers';
import { createTrainingHandlers } from './api/training-handlers';
import { CoreLock } from './core-lock';
import { DatasetCurator } from './datasets/curation/dataset-curator';
import { DatasetImporter, reconcileInterruptedImports } from './datasets/import/dataset-importer';
import { EventBus } from './events/event-bus';
import { databaseFile, defaultMigrationsDir, findAppRoot } from './paths';
import { SettingsService } from './settings/settings-service';
import { TaskRegistry } from './tasks/task-registry';
import { runDoctor } from './telemetry/doctor';
import { GpuMonitor } from './telemetry/gpu-monitor';
import { GpuSampleRecorder } from './telemetry/gpu-sample-recorder';
import { getSystemSnapshot } from './telemetry/system-info';
import { createTraining } from './training/create-training';
import { gpuIndicesOf } from './training/job-queue';
import { setupPythonEnv } from './training/python-env-setup';
import type { TrainingService } from './training/training-service';

export interface CoreOptions {
  /** The data folder: database, datasets, runs. Created when missing. */
  readonly dataDir: string;
  readonly shell?: AppInfo['shell'];
  readonly migrationsDir?: string;
  readonly appVersion?: string;
  /** Start the live nvidia-smi stream (desktop and serve mode); one-shot CLI commands don't. */
  readonly telemetry?: boolean;
  /** Environment for child processes (PATH to nvidia-smi, LORA_STUDIO_PYTHON…). */
  readonly env?: NodeJS.ProcessEnv;
  readonly nvidiaSmiPath?: string;
  readonly now?: () => number;
  /** better-sqlite3 native module to load instead of the default (Electron's ABI build). */
  readonly sqliteNativeBinding?: string;
  /** The bundled `lora_trainer` package folder (default: resources/trainer of the app). */
  readonly trainerDir?: string;
  /** Run the training queue and supervise trainers (desktop, serve, `jobs create --wait`). */
  readonly training?: boolean;
  /** SIGTERM → SIGKILL grace when cancelling a run (ms). */
  readonly cancelGraceMs?: number;
}

export interface Core {
  readonly api: ApiRouter;
  readonly events: EventBus;
  readonly dataDir: string;
  readonly info: AppInfo;
  readonly settings: SettingsService;
  readonly notifications: NotificationsRepository;
  /** Dataset import (the CLI awaits `importNow`) and curation. */
  readonly datasets: { readonly importer: DatasetImporter; readonly curator: DatasetCurator };
  readonly training: TrainingService;
  /** The database (drizzle), for the CLI's look-ups and tests; shells otherwise go through `api`. */
  readonly db: Db;
  /** True when this core holds the data folder's lock and so runs the queue. */
  readonly isPrimary: boolean;
  close(): Promise<void>;
}

function readAppVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(findAppRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function toNotification(row: ReturnType<NotificationsRepository['list']>[number]): Notification {
  return {
    id: row.id,
    kind: row.kind as Notification['kind'],
    jobId: row.jobId,
    title: row.title,
    body: row.body,
    read: row.readAt !== null,
    createdAt: row.createdAt,
  };
}

/** Build the whole core on a data folder. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? Date.now;
  const env = options.env ?? process.env;
  const dataDir = options.dataDir;
  mkdirSync(dataDir, { recursive: true });

  const opened = await openDatabase({
    file: databaseFile(dataDir),
    migrationsDir: options.migrationsDir ?? defaultMigrationsDir(),
    nativeBinding: options.sqliteNativeBinding,
  });
  const lock = CoreLock.tryAcquire(dataDir, options.shell ?? 'test');

  const events = new EventBus();
  const settings = new SettingsService(new SettingsRepository(opened.db, now), events);
  const notifications = new NotificationsRepository(opened.db, now);
  const info: AppInfo = {
    name: 'LoRA Studio',
    version: options.appVersion ?? readAppVersion(),
    dataDir,
    dbPath: databaseFile(dataDir),
    shell: options.shell ?? 'test',
    startedAt: now(),
  };

  // While a job runs, its GPUs' samples are stored per job (charts and energy read them).
  const runningJobs = new TrainingJobsRepository(opened.db, now);
  const gpuRecorder = new GpuSampleRecorder({
    samples: new GpuSamplesRepository(opened.sqlite, now),
    runningJobs: () =>
      runningJobs.byStatus(['running']).map((job) => ({ id: job.id, gpuIndices: gpuIndicesOf(job) })),
  });
  const gpuMonitor = new GpuMonitor({
    nvidiaSmiPath: options.nvidiaSmiPath,
    env,
    onStatus: (status) => {
      if (lock !== null) gpuRecorder.record(status);
      events.emit('telemetry.gpu', status);
    },
  });
  if (options.telemetry) gpuMonitor.start();

  const tasks = new TaskRegistry(events, now);
  // An import that was running when the app last stopped left an `importing` dataset: remove it.
  if (lock !== null) reconcileInterruptedImports(opened.db, dataDir);
  const dbFile = databaseFile(dataDir);
  const importer = new DatasetImporter({
    dataDir,
    dbFile,
    db: opened.db,
    sqlite: opened.sqlite,
    tasks,
    events,
    now,
    nativeBinding: options.sqliteNativeBinding,
  });
  const curator = new DatasetCurator({
    dataDir,
    db: opened.db,
    sqlite: opened.sqlite,
    events,
    tasks,
    now,
    dbFile,
    sqliteNativeBinding: options.sqliteNativeBinding,
  });

  const trainerDir = options.trainerDir ?? join(findAppRoot(), 'resources', 'trainer');
  const training = createTraining({
    dataDir,
    db: opened.db,
    sqlite: opened.sqlite,
    events,
    settings,
    env,
    gpuStatus: () => gpuMonitor.current(),
    isPrimary: lock !== null && options.training !== false,
    trainerDir,
    appVersion: info.version,
    now,
    cancelGraceMs: options.cancelGraceMs,
  });

  const api = createApiRouter({
    ...createDatasetHandlers({ importer, curator, tasks }),
    ...createTrainingHandlers({
      training: training.service,
      preflight: training.preflight,
      env,
      artifacts: new ModelArtifactsRepository(opened.db, now),
      dataDir,
    }),
    'python.setup': ({ basePython }) => ({
      taskId: tasks.start('python.setup', async (reporter) => {
        const python = await setupPythonEnv({
          dataDir,
          basePython: basePython ?? (process.platform === 'win32' ? 'python' : 'python3'),
          requirementsFile: join(trainerDir, 'requirements.txt'),
          env,
          reporter,
        });
        settings.update({ 'python.path': python });
        return null;
      }),
    }),
    'app.info': () => info,
    'settings.get': () => settings.getAll(),
    'settings.update': (patch) => settings.update(patch),
    'telemetry.gpu': () => gpuMonitor.current(),
    'telemetry.system': () => getSystemSnapshot(dataDir),
    'doctor.run': () =>
      runDoctor({
        dataDir,
        appVersion: info.version,
        sqliteVersion: opened.sqliteVersion,
        pythonSetting: settings.get('python.path'),
        nvidiaSmiPath: options.nvidiaSmiPath,
        env,
      }),
    'notifications.list': (input) => notifications.list(input).map(toNotification),
    'notifications.markRead': (input) => {
      const updated = notifications.markRead(input.ids);
      if (updated > 0) events.emit('changed', { entity: 'notifications', id: null });
      return { updated };
    },
  });

  await training.service.start();

  let closed: Promise<void> | null = null;
  return {
    api,
    events,
    dataDir,
    info,
    settings,
    notifications,
    datasets: { importer, curator },
    training: training.service,
    db: opened.db,
    isPrimary: lock !== null,
    close() {
      closed ??= (async () => {
        await tasks.cancelAll();
        await training.service.close();
        await gpuMonitor.stop();
        opened.close();
        lock?.release();
      })();
      return closed;
    },
  };
}
