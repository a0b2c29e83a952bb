/**
 * `jobs export`: a self-contained folder to train a job somewhere else (a lab cluster, a cloud VM)
 * through the engines those places run — torchrun, accelerate, Slurm, SkyPilot — and to bring back
 * with `jobs import-run`. Layout:
 *
 *   README.md · manifest.json · requirements.txt (pinned)
 *   dataset/<version id>.jsonl   the frozen dataset version, byte for byte (sha256 in the manifest)
 *   run/                         config.json (resolved) + train.jsonl/val.jsonl, split as the app does
 *   trainer/lora_trainer/        the trainer package
 *   launch/                      common.sh + the launch files of the chosen targets
 *
 * The folder is built under a temporary name next to `to` and renamed at the end, so a failure
 * leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  copyFile,
  cp,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Db, SqliteDatabase } from '../../db/open';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { TrainerConfig } from '../../preload/contract';
import { AppError } from '../errors';
import { splitDatasetVersion, writeRunConfig } from '../training/run-folder';
import { bundleReadme } from './bundle-readme';
import { EXPORT_TARGETS, type ExportTarget, type LaunchParams, renderLaunchFiles } from './launch-files';
import { pinRequirements } from './pinned-requirements';

export const MANIFEST_FILE = 'manifest.json';
export const BUNDLE_RUN_DIR = 'run';

export interface ExportDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  /** resources/trainer: the lora_trainer package, requirements.txt and launch/ templates. */
  readonly trainerDir: string;
  readonly now: () => number;
}

export interface ExportOptions {
  readonly to: string;
  /** Default: every target. */
  readonly targets?: ReadonlyArray<ExportTarget>;
  readonly nodes?: number;
  readonly gpusPerNode?: number;
  readonly time?: string;
  readonly partition?: string | null;
  readonly cpusPerTask?: number;
  readonly accelerator?: string;
}

export interface ExportResult {
  readonly dir: string;
  readonly targets: ReadonlyArray<ExportTarget>;
  readonly files: ReadonlyArray<string>;
}

/** What manifest.json records (import-run reads it back for lineage). */
export interface BundleManifest {
  readonly format: 'lora-studio-bundle';
  readonly version: 1;
  readonly jobId: string;
  readonly jobName: string;
  readonly exportedAt: string;
  readonly baseModelPath: string;
  readonly datasetVersionId: string;
  readonly datasetSha256: string;
  readonly datasetFile: string;
  readonly trainRows: number;
  readonly valRows: number;
  readonly targets: ReadonlyArray<ExportTarget>;
  readonly launch: Omit<LaunchParams, 'jobId' | 'jobName' | 'baseModelPath'>;
  readonly doctor: Readonly<Record<string, unknown>> | null;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function isEmptyDirOrMissing(dir: string): Promise<boolean> {
  try {
    const s = await stat(dir);
    return s.isDirectory() && (await readdir(dir)).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(path);
  }
  return out.sort();
}

/** Export job `jobId` into the folder `options.to` (which must not exist or be empty). */
export async function exportJob(
  deps: ExportDeps,
  jobId: string,
  options: ExportOptions,
): Promise<ExportResult> {
  const job = new TrainingJobsRepository(deps.db, deps.sqlite, deps.now).get(jobId);
  if (!job || job.deletedAt !== null) throw new AppError('NOT_FOUND', `There is no job ${jobId}.`);
  if (!job.datasetVersionId) {
    throw new AppError(
      'CONFLICT',
      `Job ${jobId} has no dataset version (an imported run): nothing to export.`,
    );
  }
  const version = new DatasetsRepository(deps.db, deps.now).getVersion(job.datasetVersionId);
  if (!version || version.deletedAt !== null) {
    throw new AppError(
      'CONFLICT',
      `The dataset version ${job.datasetVersionId} of job ${jobId} was deleted.`,
    );
  }
  const targets = [...new Set(options.targets?.length ? options.targets : EXPORT_TARGETS)];
  const gpuCount = (JSON.parse(job.gpuIndicesJson) as number[]).length;
  const repro = JSON.parse(job.reproducibilityJson) as { doctor?: Record<string, unknown> | null };
  const launch: LaunchParams = {
    jobId: job.id,
    jobName: job.name,
    baseModelPath: job.baseModelPath,
    nodes: options.nodes ?? 1,
    gpusPerNode: options.gpusPerNode ?? Math.max(1, gpuCount),
    time: options.time ?? '04:00:00',
    partition: options.partition ?? null,
    cpusPerTask: options.cpusPerTask ?? 8,
    accelerator: options.accelerator ?? 'A100',
  };
  // Render first: bad parameters are refused before anything is written.
  const launchFiles = await renderLaunchFiles(join(deps.trainerDir, 'launch'), targets, launch);

  const to = resolve(options.to);
  if (!(await isEmptyDirOrMissing(to))) {
    throw new AppError('BAD_INPUT', `${to} already exists and is not an empty folder; choose a new one.`);
  }
  await mkdir(dirname(to), { recursive: true });
  const tmp = join(dirname(to), `.${basename(to)}.partial-${process.pid}-${deps.now()}`);
  await mkdir(tmp);
  try {
    const versionFile = join(deps.dataDir, version.filePath);
    const datasetFile = `dataset/${version.id}.jsonl`;
    await mkdir(join(tmp, 'dataset'));
    await copyFile(versionFile, join(tmp, datasetFile)).catch((error: unknown) => {
      throw new AppError(
        'CONFLICT',
        `Cannot read the frozen dataset version ${versionFile}: ${String(error)}`,
      );
    });
    if ((await sha256File(join(tmp, datasetFile))) !== version.sha256) {
      throw new AppError(
        'CONFLICT',
        `The frozen dataset version ${versionFile} changed since it was frozen.`,
      );
    }
    const runDir = join(tmp, BUNDLE_RUN_DIR);
    await mkdir(runDir);
    const split = await splitDatasetVersion(join(tmp, datasetFile), runDir);
    const config = { ...(JSON.parse(job.configJson) as TrainerConfig), resume_from_checkpoint: null };
    await writeRunConfig(runDir, config);

    await cp(join(deps.trainerDir, 'lora_trainer'), join(tmp, 'trainer', 'lora_trainer'), {
      recursive: true,
      filter: (src) => !src.includes('__pycache__') && !src.endsWith('.pyc'),
    });
    const requirements = await readFile(join(deps.trainerDir, 'requirements.txt'), 'utf8');
    await writeFile(join(tmp, 'requirements.txt'), pinRequirements(requirements, repro.doctor ?? null));

    await mkdir(join(tmp, 'launch'));
    for (const [name, text] of Object.entries(launchFiles)) {
      const file = join(tmp, 'launch', name);
      await writeFile(file, text);
      if (name.endsWith('.sh') || name.endsWith('.sbatch')) await chmod(file, 0o755);
    }
    const { jobId: _id, jobName: _name, baseModelPath: _model, ...layout } = launch;
    const manifest: BundleManifest = {
      format: 'lora-studio-bundle',
      version: 1,
      jobId: job.id,
      jobName: job.name,
      exportedAt: new Date(deps.now()).toISOString(),
      baseModelPath: job.baseModelPath,
      datasetVersionId: version.id,
      datasetSha256: version.sha256,
      datasetFile,
      trainRows: split.trainRows,
      valRows: split.valRows,
      targets,
      launch: layout,
      doctor: repro.doctor ?? null,
    };
    await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(tmp, 'README.md'), bundleReadme(manifest));
    await rmdir(to).catch(() => undefined); // an empty folder the user made for it
    await rename(tmp, to);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return { dir: to, targets, files: await listFiles(to) };
}
