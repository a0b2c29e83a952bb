/**
 * `createCore({ dataDir })`: opens the database, builds every service with its dependencies passed
 * in, wires the handlers of main/api/ into one router, and returns `{ api, events, info, close }`.
 * The Electron shell, serve mode, the CLI and the tests all stand on it and reach it only through
 * `api` and `events`; nothing here knows which shell it runs in.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/open';
import { DatasetsRepository } from '../db/repositories/datasets-repository';
import { GpuSamplesRepository } from '../db/repositories/gpu-samples-repository';
import { SettingsRepository } from '../db/repositories/settings-repository';
import { TrainingJobsRepository } from '../db/repositories/training-jobs-repository';
import type { AppInfo } from '../preload/contract';
import { type ApiRouter, createApiRouter } from './api/api-router';
import { createAppHandlers } from './api/app-handlers';
import { createArtifactsHandlers } from './api/artifacts-handlers';
import { createBackupsHandlers, createStartupHandlers } from './api/backups-handlers';
import { createClusterHandlers } from './api/cluster-handlers';
import { createCostsHandlers } from './api/costs-handlers';
import { createDatasetHandlers } from './api/datasets-handlers';
import { createMetricsHandlers } from './api/metrics-handlers';
import { createNotificationsHandlers } from './api/notifications-handlers';
import { createPythonHandlers } from './api/python-handlers';
import { createSettingsHandlers } from './api/settings-handlers';
import { createSetupHandlers } from './api/setup-handlers';
import { createTelemetryHandlers } from './api/telemetry-handlers';
import { createTrainingHandlers } from './api/training-handlers';
import { createLibrary } from './artifacts/create-library';
import { RollingBackups } from './backups/rolling-backups';
import { CoreLock } from './core-lock';
import { DatasetCurator } from './datasets/curation/dataset-curator';
import { DatasetImporter, reconcileInterruptedImports } from './datasets/import/dataset-importer';
import { EventBus } from './events/event-bus';
import { MetricsService } from './metrics/metrics-service';
import { databaseFile, defaultMigrationsDir, findAppRoot } from './paths';
import { SettingsService } from './settings/settings-service';
import { probeOnline } from './setup/online-probe';
import { findSampleDataset } from './setup/sample-dataset';
import { TaskRegistry } from './tasks/task-registry';
import { runDoctor } from './telemetry/doctor';
import { GpuMonitor } from './telemetry/gpu-monitor';
import { GpuSampleRecorder } from './telemetry/gpu-sample-recorder';
import { getSystemSnapshot } from './telemetry/system-info';
import { createTraining } from './training/create-training';
import { scanHfCache } from './training/hf-cache';
import { jobIdOfProcess } from './training/job-processes';
import { gpuIndicesOf } from './training/job-queue';
import { setupPythonEnv } from './training/python-env-setup';
import { createDatasetVersionResolver } from './training/resolve-dataset-version';
import { trainerCommandFrom } from './training/trainer-command';

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
  /** Rolling database backups while primary (default: desktop and serve, not one-shot CLI cores). */
  readonly backups?: boolean;
}

/** The one door into the core: every shell and test goes through these four members. */
export interface Core {
  /** Every request channel of the contract, validated in and out. */
  readonly api: ApiRouter;
  /** Every pushed event of the contract. */
  readonly events: EventBus;
  /** What this core is: version, data folder, shell, whether it holds the folder's lock. */
  readonly info: AppInfo;
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
  const info: AppInfo = {
    name: 'LoRA Studio',
    version: options.appVersion ?? readAppVersion(),
    dataDir,
    dbPath: databaseFile(dataDir),
    shell: options.shell ?? 'test',
    startedAt: now(),
    isPrimary: lock !== null,
    electron: process.versions.electron ?? null,
  };
  const wantBackups = options.backups ?? (info.shell === 'electron' || info.shell === 'serve');
  const backups =
    lock !== null ? new RollingBackups({ sqlite: opened.sqlite, file: info.dbPath, now }) : null;
  if (backups !== null && wantBackups) backups.start();

  // While a job runs, its GPUs' samples are stored per job (charts and energy read them).
  const runningJobs = new TrainingJobsRepository(opened.db, opened.sqlite, now);
  const gpuRecorder = new GpuSampleRecorder({
    samples: new GpuSamplesRepository(opened.sqlite, now),
    runningJobs: () =>
      runningJobs.byStatus(['running']).map((job) => ({ id: job.id, gpuIndices: gpuIndicesOf(job) })),
  });
  const gpuMonitor = new GpuMonitor({
    nvidiaSmiPath: options.nvidiaSmiPath,
    env,
    jobOfPid: jobIdOfProcess,
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
  const library = createLibrary({
    db: opened.db,
    sqlite: opened.sqlite,
    dataDir,
    events,
    settings: () => settings.getAll(),
    gpuStatus: () => gpuMonitor.current(),
    now,
    isPrimary: lock !== null,
    tasks,
    env,
    trainerDir,
  });
  const training = createTraining({
    onFinished: library.onJobFinished,
    queueHoldReason: library.queueHoldReason,
    dataDir,
    db: opened.db,
    sqlite: opened.sqlite,
    events,
    settings,
    env,
    nvidiaSmiPath: options.nvidiaSmiPath,
    isPrimary: lock !== null && options.training !== false,
    trainerDir,
    appVersion: info.version,
    now,
    cancelGraceMs: options.cancelGraceMs,
  });
  const datasetsRepository = new DatasetsRepository(opened.db);
  const doctor = () =>
    runDoctor({
      dataDir,
      appVersion: info.version,
      sqliteVersion: opened.sqliteVersion,
      pythonSetting: settings.get('python.path'),
      nvidiaSmiPath: options.nvidiaSmiPath,
      env,
      trainer: training.trainerDoctor,
    });

  const api = createApiRouter({
    ...createAppHandlers({ info }),
    ...createBackupsHandlers({ dbFile: info.dbPath, backups }),
    ...createStartupHandlers(),
    ...createSettingsHandlers({ settings }),
    ...createTelemetryHandlers({
      gpuStatus: () => gpuMonitor.current(),
      systemSnapshot: () => getSystemSnapshot(dataDir),
      doctor,
    }),
    ...createSetupHandlers({
      facts: async () => {
        const [doctorReport, trainer, models, online] = await Promise.all([
          doctor(),
          training.trainerDoctor(),
          scanHfCache(env),
          probeOnline(env),
        ]);
        return { doctor: doctorReport, trainer, models, datasets: curator.list(), online };
      },
      largestGpuGb: () => {
        const mb = Math.max(0, ...gpuMonitor.current().gpus.map((g) => g.memoryTotalMb ?? 0));
        return mb > 0 ? (mb * 1024 * 1024) / 1e9 : null;
      },
      download: {
        tasks,
        env,
        trainerCommand: trainerCommandFrom({ env, trainerDir, settings: () => settings.getAll() }),
      },
    }),
    ...createMetricsHandlers({ metrics: new MetricsService(opened.sqlite, runningJobs) }),
    ...createClusterHandlers({
      ...{ db: opened.db, sqlite: opened.sqlite, dataDir, trainerDir, events, now },
      energyPrice: () => ({
        pricePerKwh: settings.get('energy.pricePerKwh'),
        currency: settings.get('energy.currency'),
      }),
    }),
    ...createArtifactsHandlers(library.artifacts),
    ...createCostsHandlers({ costs: library.costs, now }),
    ...createNotificationsHandlers({
      notifications: library.notifications,
      changed: (entity) => events.emit('changed', { entity, id: null }),
    }),
    ...createPythonHandlers({
      tasks,
      setup: async (basePython, reporter) => {
        const python = await setupPythonEnv({
          dataDir,
          basePython: basePython ?? (process.platform === 'win32' ? 'python' : 'python3'),
          requirementsFile: join(trainerDir, 'requirements.txt'),
          env,
          reporter,
        });
        settings.update({ 'python.path': python });
      },
    }),
    ...createDatasetHandlers({ importer, curator, tasks, sampleFile: findSampleDataset() }),
    ...createTrainingHandlers({
      training: training.service,
      preflight: training.preflight,
      env,
      resolveDatasetVersion: createDatasetVersionResolver(datasetsRepository, (id, note) =>
        curator.freeze({ id, note }),
      ),
    }),
  });

  await training.service.start();

  let closed: Promise<void> | null = null;
  return {
    api,
    events,
    info,
    close() {
      closed ??= (async () => {
        library.close();
        await tasks.cancelAll();
        await training.service.close();
        await gpuMonitor.stop();
        await backups?.stop({ backupOnExit: wantBackups });
        opened.close();
        lock?.release();
      })();
      return closed;
    },
  };
}
