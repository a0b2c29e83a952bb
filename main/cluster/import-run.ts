/**
 * `jobs import-run DIR`: a run that trained elsewhere (an exported bundle, or any run folder of
 * this trainer) becomes a job of this library. The folder is copied under `<data>/runs/`, a job
 * row is created, and its events go through the very path a local run's do: the supervisor's
 * settle step (EventIngestor → metrics and timeline, then finalizeJob → status, adapter artifact,
 * lineage). Only GPU-hours are added here, from the events' own timestamps.
 */
import { createReadStream } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { newId } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { CostRecordsRepository } from '../../db/repositories/cost-records-repository';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { type TrainingJobRow, TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import { TrainerConfigSchema } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { JobSupervisor } from '../training/job-supervisor';
import { TRAINER_DEFAULTS } from '../training/presets';
import { RUNS_DIR } from '../training/run-folder';
import { TIMELINE_FILE } from '../training/run-timeline';
import { parseEventLine } from '../training/trainer-events';
import { BUNDLE_RUN_DIR, type BundleManifest, MANIFEST_FILE } from './export-bundle';

export interface ImportRunDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  readonly events: EventBus;
  readonly now: () => number;
  readonly energyPrice: () => { readonly pricePerKwh: number; readonly currency: string };
}

/** What the events say about the run as a whole (read with the protocol's own line parser). */
export interface RunFacts {
  readonly terminal: 'done' | 'error' | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly worldSize: number;
  readonly onGpu: boolean;
  readonly gpuHours: number;
}

/** Scan events.jsonl: the terminal event, start/end times, world size, whether GPUs were used. */
export async function runFacts(eventsFile: string): Promise<RunFacts> {
  let terminal: RunFacts['terminal'] = null;
  let startedAt: number | null = null;
  let endedAt: number | null = null;
  let worldSize = 1;
  let onGpu = false;
  const input = createReadStream(eventsFile);
  try {
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === '') continue;
      const parsed = parseEventLine(line);
      if (!('event' in parsed)) continue;
      const e = parsed.event;
      if (e.ts !== null) endedAt = e.ts * 1000;
      if (e.type === 'started') {
        startedAt ??= e.ts !== null ? e.ts * 1000 : null;
        worldSize = e.world_size ?? 1;
        terminal = null; // a resumed run continues the same stream
      } else if (e.type === 'log' && e.gpu_mem_gb !== null) onGpu = true;
      else if (e.type === 'done' || e.type === 'error') terminal = e.type;
    }
  } finally {
    input.destroy();
  }
  const hours = startedAt !== null && endedAt !== null ? Math.max(0, endedAt - startedAt) / 3_600_000 : 0;
  return { terminal, startedAt, endedAt, worldSize, onGpu, gpuHours: onGpu ? hours * worldSize : 0 };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Find the run folder: DIR itself, or DIR/run of an exported bundle. */
async function locateRun(dir: string): Promise<{ runDir: string; manifest: BundleManifest | null }> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new AppError('BAD_INPUT', `${dir} is not a folder.`);
  for (const [runDir, manifestFile] of [
    [dir, join(dirname(dir), MANIFEST_FILE)],
    [join(dir, BUNDLE_RUN_DIR), join(dir, MANIFEST_FILE)],
  ] as const) {
    if (await isFile(join(runDir, 'events.jsonl'))) {
      const m = (await readJson(manifestFile)) as BundleManifest | null;
      return { runDir, manifest: m?.format === 'lora-studio-bundle' ? m : null };
    }
  }
  throw new AppError(
    'BAD_INPUT',
    `${dir} has no events.jsonl (nor ${BUNDLE_RUN_DIR}/events.jsonl): not a run folder.`,
  );
}

/** Import the finished run in `dir`; returns the settled job row. */
export async function importRun(
  deps: ImportRunDeps,
  dir: string,
  options: { readonly name?: string } = {},
): Promise<{ readonly job: TrainingJobRow; readonly gpuHours: number }> {
  const { runDir, manifest } = await locateRun(resolve(dir));
  const config = (await readJson(join(runDir, 'config.json'))) as Record<string, unknown> | null;
  if (!config || typeof config.base_model !== 'string') {
    throw new AppError(
      'BAD_INPUT',
      `${runDir}/config.json is missing or has no base_model: not a run of this trainer.`,
    );
  }
  // The trainer fills defaults for keys a config leaves out; the job records them resolved, as a
  // local job's config is (unknown keys, which the trainer only lists, are left out).
  const known = Object.fromEntries(
    Object.entries(config).filter(([key]) => key in TrainerConfigSchema.shape && config[key] !== null),
  );
  const resolved = TrainerConfigSchema.safeParse({
    ...TRAINER_DEFAULTS,
    ...known,
    resume_from_checkpoint: null,
  });
  if (!resolved.success) {
    const problems = resolved.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
    throw new AppError(
      'BAD_INPUT',
      `${runDir}/config.json is not a valid trainer config: ${problems.join('; ')}.`,
    );
  }
  const facts = await runFacts(join(runDir, 'events.jsonl'));
  if (facts.terminal === null) {
    throw new AppError(
      'BAD_INPUT',
      `The run in ${runDir} has not finished (no done or error event after its last start); import it once it ends.`,
    );
  }
  // Lineage: the dataset version, when this library has it with the same bytes.
  const version = manifest
    ? new DatasetsRepository(deps.db, deps.now).getVersion(manifest.datasetVersionId)
    : undefined;
  const datasetVersionId =
    version && version.deletedAt === null && version.sha256 === manifest?.datasetSha256 ? version.id : null;

  const ts = deps.now();
  const relDir = join(RUNS_DIR, `import-${ts}-${process.pid}`);
  const absDir = join(deps.dataDir, relDir);
  const tmp = `${absDir}.partial`;
  await mkdir(dirname(absDir), { recursive: true });
  try {
    await cp(runDir, tmp, {
      recursive: true,
      // The app's own bookkeeping of some other library, and a stale cancel request, stay behind.
      filter: (src) => ![TIMELINE_FILE, 'cancel'].includes(basename(src)) || src === runDir,
    });
    await rename(tmp, absDir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw new AppError('CONFLICT', `Could not copy ${runDir} into the data folder: ${String(error)}`);
  }

  const jobs = new TrainingJobsRepository(deps.db, deps.sqlite, deps.now);
  const job = jobs.insertImported({
    id: newId('job', ts),
    name: options.name ?? manifest?.jobName ?? `imported ${basename(resolve(dir))}`,
    datasetVersionId,
    baseModelPath: config.base_model,
    configJson: JSON.stringify(resolved.data),
    reproducibilityJson: JSON.stringify({
      importedFrom: resolve(dir),
      importedAt: ts,
      sourceJobId: manifest?.jobId ?? null,
      datasetVersionId: manifest?.datasetVersionId ?? null,
      datasetSha256: manifest?.datasetSha256 ?? null,
      doctor: manifest?.doctor ?? null,
    }),
    gpuIndices: [],
    runDir: relDir,
    queuedAt: ts,
    startedAt: facts.startedAt !== null ? Math.round(facts.startedAt) : null,
  });
  const settled = await JobSupervisor.settleDead(
    {
      db: deps.db,
      sqlite: deps.sqlite,
      dataDir: deps.dataDir,
      events: deps.events,
      now: deps.now,
      // No onFinished: the user is looking at the import's result already (no notification).
      graceMs: 0,
    },
    job,
  );
  const price = deps.energyPrice();
  new CostRecordsRepository(deps.db, deps.now).upsert({
    jobId: job.id,
    energyWh: 0, // the protocol's events carry no power readings
    gpuHours: facts.gpuHours,
    pricePerKwh: price.pricePerKwh,
    currency: price.currency,
    cost: 0,
    startedAt: facts.startedAt !== null ? Math.round(facts.startedAt) : null,
    endedAt: facts.endedAt !== null ? Math.round(facts.endedAt) : null,
  });
  const final = jobs.recordRemoteFinish(
    job.id,
    facts.endedAt !== null ? Math.round(facts.endedAt) : (settled?.finishedAt ?? ts),
  );
  deps.events.emit('changed', { entity: 'costs', id: job.id });
  return { job: final ?? settled ?? job, gpuHours: facts.gpuHours };
}
