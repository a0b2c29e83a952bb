/**
 * Registers an adapter folder of a run in the model library: the folder the `done` event names, or
 * a checkpoint being promoted (always inside the run folder), with its files, the size and sha256 of
 * its weights, the base model's config hash, the dataset version, the run's config and its final
 * and best metrics.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { MetricsRepository } from '../../db/repositories/metrics-repository';
import {
  type ModelArtifactRow,
  ModelArtifactsRepository,
} from '../../db/repositories/model-artifacts-repository';
import type { TrainingJobRow } from '../../db/repositories/training-jobs-repository';
import type { ArtifactMeta } from './artifact-meta';
import { summariseRunMetrics } from './run-metrics';

/** Weight files a PEFT adapter folder may hold, preferred first. */
export const ADAPTER_WEIGHT_FILES = ['adapter_model.safetensors', 'adapter_model.bin'] as const;

/** sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Resolve a path the trainer reported, refusing anything that leaves the run folder. */
export function insideRunDir(runDir: string, reported: string): string | null {
  const target = resolve(runDir, reported);
  const rel = relative(runDir, target);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? null : target;
}

/** Every file under a folder (relative names, sizes), sorted by name. */
export async function listFiles(dir: string): Promise<Array<{ name: string; sizeBytes: number }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Array<{ name: string; sizeBytes: number }> = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    files.push({ name: relative(dir, full), sizeBytes: (await stat(full)).size });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

async function readJsonObject(file: string): Promise<Record<string, unknown> | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function reproducibilityOf(job: TrainingJobRow): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(job.reproducibilityJson);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface AdapterRegistration {
  readonly artifact: ModelArtifactRow | null;
  /** Why the adapter could not be registered; null on success. */
  readonly problem: string | null;
}

export interface RegisterDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  readonly now: Clock;
}

/**
 * Register an adapter folder of `job` (once per folder: a second call returns the existing row).
 * `checkpointStep` is set when a checkpoint is promoted.
 */
export async function registerAdapterFolder(
  deps: RegisterDeps,
  job: TrainingJobRow,
  reportedPath: string,
  options: { readonly step: number; readonly checkpointStep: number | null },
): Promise<AdapterRegistration> {
  const repo = new ModelArtifactsRepository(deps.db, deps.now);
  const runDir = join(deps.dataDir, job.runDir);
  const dir = insideRunDir(runDir, reportedPath);
  if (!dir) return { artifact: null, problem: `adapter path "${reportedPath}" is outside the run folder` };
  const relPath = relative(deps.dataDir, dir);
  const existing = repo.byJob(job.id).find((a) => a.kind === 'adapter' && a.path === relPath);
  if (existing) return { artifact: existing, problem: null };
  for (const name of ADAPTER_WEIGHT_FILES) {
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) continue;
    const files = await listFiles(dir);
    const metrics = new MetricsRepository(deps.db, deps.sqlite, deps.now);
    const repro = reproducibilityOf(job);
    const meta: ArtifactMeta = {
      weightsFile: name,
      step: options.step,
      checkpointStep: options.checkpointStep,
      files,
      adapterConfig: await readJsonObject(join(dir, 'adapter_config.json')),
      config: readConfig(job),
      metrics: summariseRunMetrics(
        metrics.series(job.id, 'loss'),
        metrics.series(job.id, 'eval_loss'),
        options.step,
      ),
      datasetVersionId: job.datasetVersionId,
      baseModelConfigHash: typeof repro.modelConfigHash === 'string' ? repro.modelConfigHash : null,
    };
    const artifact = repo.create({
      jobId: job.id,
      kind: 'adapter',
      name: options.checkpointStep === null ? job.name : `${job.name} @ step ${options.checkpointStep}`,
      path: relPath,
      sizeBytes: files.reduce((sum, f) => sum + f.sizeBytes, 0),
      sha256: await sha256File(file),
      baseModelPath: job.baseModelPath,
      metaJson: JSON.stringify(meta),
    });
    return { artifact, problem: null };
  }
  const expected = ADAPTER_WEIGHT_FILES.join(' or ');
  return {
    artifact: null,
    problem:
      options.checkpointStep === null
        ? `the trainer reported completion but ${relative(runDir, dir)}/ holds no ${expected}`
        : `checkpoint ${relative(runDir, dir)}/ holds no ${expected}`,
  };
}

function readConfig(job: TrainingJobRow): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(job.configJson);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Register the adapter of a completed job (once; a second call returns the existing row). */
export function registerAdapter(
  deps: RegisterDeps,
  job: TrainingJobRow,
  adapterPath: string | null,
  step: number,
): Promise<AdapterRegistration> {
  return registerAdapterFolder(deps, job, adapterPath ?? 'adapter', { step, checkpointStep: null });
}
