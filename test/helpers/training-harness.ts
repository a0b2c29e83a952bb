/**
 * A TrainingService on a temp data folder with a real SQLite file, playing the trainer with the
 * fixture scripts in test/fixtures/trainers (through the `trainerCommand` dependency, exactly as a
 * user's own training script would be plugged in).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type OpenedDatabase, openDatabase } from '../../db/open';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { NotificationsRepository } from '../../db/repositories/notifications-repository';
import { EventBus } from '../../main/events/event-bus';
import { jobEndNotification } from '../../main/notify/job-notification';
import { Notifier } from '../../main/notify/notifier';
import { databaseFile, defaultMigrationsDir } from '../../main/paths';
import { chooseDevices, requestedDevices } from '../../main/training/gpu-choice';
import { liveGroupMembers } from '../../main/training/process-info';
import { TrainingService, type TrainingServiceDeps } from '../../main/training/training-service';
import type { JobRequest, PreflightResult, PushedEvent, TrainerConfig } from '../../preload/contract';
import { SETTINGS_DEFAULTS } from '../../preload/contract';
import { makeTempDir } from './temp-dir';

export const TRAINERS_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'trainers');

/** A resolved config as preflight would produce it; fixtures read max_steps, *_steps from it. */
export const TEST_CONFIG: TrainerConfig = {
  base_model: '/models/tiny',
  method: 'lora',
  lora_r: 8,
  lora_alpha: 16,
  lora_dropout: 0,
  lora_target_modules: 'all-linear',
  max_seq_len: 128,
  per_device_batch_size: 1,
  grad_accum: 1,
  learning_rate: 2e-4,
  lr_scheduler: 'cosine',
  warmup: 0,
  weight_decay: 0,
  max_grad_norm: 1,
  epochs: 1,
  max_steps: 20,
  eval_steps: 10,
  save_steps: 10,
  save_total_limit: null,
  logging_steps: 1,
  seed: 42,
  gradient_checkpointing: false,
  completion_only: true,
  packing: false,
  precision: 'auto',
  attn_implementation: 'auto',
  resume_from_checkpoint: null,
};

/** A preflight that passes, resolving `settings` over TEST_CONFIG, on a machine without GPUs. */
export function passingPreflight(req: JobRequest): Promise<PreflightResult> {
  const config = { ...TEST_CONFIG, ...req.settings, base_model: req.modelPath };
  const devices = chooseDevices(requestedDevices(req), [], new Set());
  return Promise.resolve({ ok: true, checks: [], estimate: null, config, devices });
}

/** The trainer command that runs a fixture script with Node. */
export function fixtureCommand(fixture: string, env: Record<string, string> = {}) {
  return () => Promise.resolve({ command: process.execPath, args: [join(TRAINERS_DIR, fixture)], env });
}

/** A frozen dataset version file with `rows` rows, `val` of them in the val split. */
export function seedDatasetVersion(db: OpenedDatabase['db'], dataDir: string, rows = 10, val = 2): string {
  const repo = new DatasetsRepository(db);
  const ds = repo.create({
    name: 'tiny chat',
    format: 'jsonl',
    shape: 'chat',
    status: 'ready',
    sourceName: 'x.jsonl',
  });
  const rel = join('datasets', ds.id, 'v1.jsonl');
  mkdirSync(join(dataDir, 'datasets', ds.id), { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const messages = [
      { role: 'user', content: `question ${i}` },
      { role: 'assistant', content: `answer ${i}` },
    ];
    lines.push(JSON.stringify({ messages, split: i < val ? 'val' : 'train' }));
  }
  writeFileSync(join(dataDir, rel), `${lines.join('\n')}\n`);
  const sha = createHash('sha256')
    .update(readFileSync(join(dataDir, rel)))
    .digest('hex');
  return repo.addVersion({
    datasetId: ds.id,
    filePath: rel,
    sha256: sha,
    sizeBytes: 0,
    rowCount: rows,
    trainCount: rows - val,
    valCount: val,
  }).id;
}

export interface Harness {
  readonly dataDir: string;
  readonly opened: OpenedDatabase;
  readonly events: EventBus;
  /** Every event the service pushed, with performance.now() at the push. */
  readonly pushed: Array<PushedEvent & { readonly at: number }>;
  readonly service: TrainingService;
  readonly versionId: string;
  readonly modelPath: string;
  request(settings?: JobRequest['settings'], extra?: Partial<JobRequest>): JobRequest;
  /** Close this service and open another on the same data folder (an app restart). */
  restart(overrides?: Partial<TrainingServiceDeps>): Promise<TrainingService>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<TrainingServiceDeps> {
  readonly fixture?: string;
  readonly fixtureEnv?: Record<string, string>;
  /** Reuse a data folder (e.g. one a killed driver process left). */
  readonly dataDir?: string;
}

/** Build a service on a fresh (or given) data folder; call start() yourself. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const tmp = options.dataDir ? null : makeTempDir('lora-training-');
  const dataDir = options.dataDir ?? (tmp as { dir: string }).dir;
  const opened = await openDatabase({ file: databaseFile(dataDir), migrationsDir: defaultMigrationsDir() });
  const events = new EventBus();
  const pushed: Array<PushedEvent & { readonly at: number }> = [];
  events.subscribe((e) => pushed.push({ ...e, at: performance.now() }));
  const modelPath = join(dataDir, 'model');
  mkdirSync(modelPath, { recursive: true });
  writeFileSync(join(modelPath, 'config.json'), '{"model_type":"llama"}');
  const versionId = seedDatasetVersion(opened.db, dataDir);
  // A run's end notifies as in the app (main/notify), without the cost part.
  const notifier = new Notifier({
    repo: new NotificationsRepository(opened.db),
    events,
    settings: () => SETTINGS_DEFAULTS,
    now: Date.now,
  });
  const build = (overrides: Partial<TrainingServiceDeps> = {}) =>
    new TrainingService({
      onFinished: (end) => {
        notifier.notify(jobEndNotification(end, { finalLoss: null, cost: null }));
      },
      dataDir,
      db: opened.db,
      sqlite: opened.sqlite,
      events,
      trainerCommand: fixtureCommand(options.fixture ?? 'ok.mjs', options.fixtureEnv),
      preflight: passingPreflight,
      isPrimary: true,
      graceMs: 1000,
      pollMs: 50,
      ...options,
      ...overrides,
    });
  let service = build();
  const harness: Harness = {
    dataDir,
    opened,
    events,
    pushed,
    get service() {
      return service;
    },
    versionId,
    modelPath,
    request: (settings, extra) => ({ datasetVersionId: versionId, modelPath, settings, ...extra }),
    async restart(overrides) {
      await service.close();
      service = build(overrides);
      return service;
    },
    async close() {
      await service.close();
      opened.close();
      tmp?.cleanup();
    },
  };
  return harness;
}

/** Live (non-zombie) members of a process group; empty once the whole group is gone. */
export const groupMembers = liveGroupMembers;

/** The `log` steps a trainer wrote to a run's events.jsonl, in file order. */
export function emittedLogSteps(runDir: string): number[] {
  const steps: number[] = [];
  for (const line of readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n')) {
    try {
      const e = JSON.parse(line) as { type?: string; step?: number };
      if (e.type === 'log' && typeof e.step === 'number') steps.push(e.step);
    } catch {
      // bad lines are the fixture's business
    }
  }
  return steps;
}

/** Stored metric steps of one series. */
export function storedSteps(opened: OpenedDatabase, jobId: string, name = 'loss'): number[] {
  return (
    opened.sqlite
      .prepare('SELECT step FROM metrics_points WHERE job_id = ? AND name = ? ORDER BY step')
      .all(jobId, name) as Array<{ step: number }>
  ).map((r) => r.step);
}
