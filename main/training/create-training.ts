/**
 * Builds the training side of the core from its parts: the trainer command (setting, env or the
 * bundled `lora_trainer`), preflight with its real dependencies, and the TrainingService.
 */
import type { Db, SqliteDatabase } from '../../db/open';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { MetricsRepository } from '../../db/repositories/metrics-repository';
import type { JobRequest, PreflightResult } from '../../preload/contract';
import type { EventBus } from '../events/event-bus';
import type { SettingsService } from '../settings/settings-service';
import { queryGpuStatus } from '../telemetry/probe-gpus';
import { resolvePython } from '../telemetry/resolve-python';
import type { JobEnd } from './job-outcome';
import { runPreflight } from './preflight';
import { resolveTrainerCommand } from './trainer-command';
import { runTrainerDoctor, type TrainerDoctorRun } from './trainer-doctor';
import { TrainingService } from './training-service';

export interface TrainingDeps {
  readonly dataDir: string;
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly events: EventBus;
  readonly settings: SettingsService;
  readonly env: NodeJS.ProcessEnv;
  /** The nvidia-smi to ask, at each preflight, which GPUs there are and how busy they are. */
  readonly nvidiaSmiPath?: string;
  readonly isPrimary: boolean;
  /** The folder holding the bundled `lora_trainer` package. */
  readonly trainerDir: string;
  readonly appVersion: string;
  readonly now?: () => number;
  readonly cancelGraceMs?: number;
  /** After a run's end is recorded (cost record, notification). */
  readonly onFinished?: (end: JobEnd) => Promise<void> | void;
  /** Why queued jobs must wait (a spent budget), or null. */
  readonly queueHoldReason?: () => string | null;
}

/** The TrainingService wired to settings, telemetry, the dataset versions and the trainer's doctor. */
export function createTraining(deps: TrainingDeps): {
  readonly service: TrainingService;
  readonly preflight: (request: JobRequest) => Promise<PreflightResult>;
  readonly trainerDoctor: () => Promise<TrainerDoctorRun>;
} {
  const datasets = new DatasetsRepository(deps.db, deps.now);
  const metrics = new MetricsRepository(deps.db, deps.sqlite, deps.now);
  const trainerCommand = async (job: { readonly gpuIndices: ReadonlyArray<number> }) => {
    const python = await resolvePython({ env: deps.env, setting: deps.settings.get('python.path') });
    return resolveTrainerCommand({
      setting: deps.settings.get('trainer.command'),
      env: deps.env,
      python: python.path,
      trainerDir: deps.trainerDir,
      gpuIndices: job.gpuIndices,
    });
  };
  // `<trainer> doctor` imports torch (seconds): keep its answer per command until settings change.
  let doctorCache: { readonly key: string; readonly run: Promise<TrainerDoctorRun> } | null = null;
  deps.events.subscribe((event) => {
    if (event.name === 'changed' && event.payload.entity === 'settings') doctorCache = null;
  });
  const trainerDoctor = async (): Promise<TrainerDoctorRun> => {
    const command = await trainerCommand({ gpuIndices: [] });
    const key = JSON.stringify(command);
    if (doctorCache?.key !== key) {
      const run = runTrainerDoctor({ ...command, env: { ...deps.env, ...command.env } });
      doctorCache = { key, run };
      // A failed doctor (no Python yet, a typo) is asked again next time rather than remembered.
      void run.then((r) => {
        if (r.doctor === null && doctorCache?.run === run) doctorCache = null;
      });
    }
    return doctorCache.run;
  };
  const preflight = (request: JobRequest) =>
    runPreflight(
      {
        dataDir: deps.dataDir,
        getDatasetVersion: (id) => datasets.getVersion(id),
        gpuStatus: () => queryGpuStatus({ nvidiaSmiPath: deps.nvidiaSmiPath, env: deps.env, now: deps.now }),
        busyGpuIndices: () => service.gpusInUse(),
        trainerDoctor,
        knownThroughput: (modelPath) => metrics.meanTokensPerSecond(modelPath),
      },
      request,
    );
  const service = new TrainingService({
    dataDir: deps.dataDir,
    db: deps.db,
    sqlite: deps.sqlite,
    events: deps.events,
    now: deps.now,
    env: deps.env,
    isPrimary: deps.isPrimary,
    graceMs: deps.cancelGraceMs,
    appVersion: deps.appVersion,
    trainerCommand,
    onFinished: deps.onFinished,
    queueHoldReason: deps.queueHoldReason,
    doctorVersions: async () => {
      const run = await trainerDoctor();
      return run.doctor ? { ...run.doctor } : null;
    },
    preflight,
  });
  return { service, preflight, trainerDoctor };
}
