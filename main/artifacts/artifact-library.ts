/**
 * The model library: adapters and other artifacts with their lineage (dataset version → job →
 * artifact), a job's checkpoints and their promotion, copying an artifact out, deleting it (its
 * files only when asked to), and the Ollama Modelfile export.
 */
import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import {
  type ModelArtifactRow,
  ModelArtifactsRepository,
} from '../../db/repositories/model-artifacts-repository';
import { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { Checkpoint, ModelArtifact, ModelArtifactDetail, OllamaExport } from '../../preload/contract';
import { AppError } from '../errors';
import { checkpointsOf, readTimeline } from '../training/run-timeline';
import { listFiles, registerAdapterFolder } from './adapter-artifact';
import { parseArtifactMeta } from './artifact-meta';

export interface ArtifactLibraryDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  readonly now: Clock;
  /** Called after an export is written (a notification). */
  readonly onExported?: (artifact: ModelArtifact, what: string) => void;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** The model library's operations. */
export class ArtifactLibrary {
  private readonly repo: ModelArtifactsRepository;
  private readonly jobs: TrainingJobsRepository;
  private readonly datasets: DatasetsRepository;

  constructor(private readonly deps: ArtifactLibraryDeps) {
    this.repo = new ModelArtifactsRepository(deps.db, deps.now);
    this.jobs = new TrainingJobsRepository(deps.db, deps.sqlite, deps.now);
    this.datasets = new DatasetsRepository(deps.db, deps.now);
  }

  list(): ModelArtifact[] {
    return this.repo.list().map((row) => this.toView(row));
  }

  async get(id: string): Promise<ModelArtifactDetail> {
    const row = this.mustGet(id);
    const view = this.toView(row);
    const meta = parseArtifactMeta(row.metaJson);
    const job = row.jobId ? this.jobs.get(row.jobId) : undefined;
    return {
      ...view,
      files: meta.files,
      weightsFile: meta.weightsFile,
      baseModelConfigHash: meta.baseModelConfigHash,
      jobName: job?.name ?? null,
      jobStatus: job?.status ?? null,
      config: meta.config,
      adapterConfig: meta.adapterConfig,
      present: await exists(view.path),
    };
  }

  /** Remove an artifact from the library; its folder only with `deleteFiles` (the confirmation). */
  async delete(id: string, deleteFiles: boolean): Promise<{ deleted: boolean; filesRemoved: boolean }> {
    const row = this.mustGet(id);
    const dir = this.insideDataDir(row.path);
    let filesRemoved = false;
    if (deleteFiles) {
      await rm(dir, { recursive: true, force: true });
      filesRemoved = true;
    }
    return { deleted: this.repo.softDelete(row.id), filesRemoved };
  }

  /** Copy an artifact's folder to `to` (absolute; a new folder or an empty one). All or nothing. */
  async copy(id: string, to: string): Promise<{ path: string; bytes: number; files: number }> {
    const row = this.mustGet(id);
    if (!isAbsolute(to))
      throw new AppError('BAD_INPUT', `"${to}" is not an absolute path; choose a folder by its full path.`);
    const source = this.insideDataDir(row.path);
    if (!(await exists(source))) throw new AppError('NOT_FOUND', `The artifact's folder ${source} is gone.`);
    const target = resolve(to);
    const rel = relative(source, target);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new AppError('BAD_INPUT', 'The copy cannot go inside the artifact itself.');
    }
    const existing = await readdir(target).catch(() => null);
    if (existing !== null && existing.length > 0) {
      throw new AppError('CONFLICT', `${target} is not empty; choose a new or empty folder.`);
    }
    const created = existing === null;
    try {
      await mkdir(target, { recursive: true });
      await cp(source, target, { recursive: true, errorOnExist: true, force: false });
    } catch (error) {
      if (created) await rm(target, { recursive: true, force: true });
      else
        for (const name of await readdir(target).catch(() => []))
          await rm(join(target, name), { recursive: true, force: true });
      throw new AppError('INTERNAL', `Copying to ${target} failed: ${(error as Error).message}`);
    }
    const files = await listFiles(target);
    return { path: target, bytes: files.reduce((s, f) => s + f.sizeBytes, 0), files: files.length };
  }

  /** A job's checkpoints (from its timeline), whether they are on disk, and which are in the library. */
  async checkpoints(jobId: string): Promise<Checkpoint[]> {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('NOT_FOUND', `There is no job ${jobId}.`);
    const runDir = join(this.deps.dataDir, job.runDir);
    const byPath = new Map(this.repo.byJob(jobId).map((a) => [a.path, a.id]));
    const out: Checkpoint[] = [];
    for (const c of checkpointsOf(await readTimeline(runDir))) {
      const rel = relative(this.deps.dataDir, resolve(runDir, c.path));
      out.push({
        step: c.step,
        path: resolve(runDir, c.path),
        present: await exists(resolve(runDir, c.path)),
        artifactId: byPath.get(rel) ?? null,
      });
    }
    return out;
  }

  /** Register the checkpoint of `jobId` at `step` as an adapter in the library (once). */
  async promote(jobId: string, step: number): Promise<ModelArtifact> {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('NOT_FOUND', `There is no job ${jobId}.`);
    const checkpoint = (await this.checkpoints(jobId)).find((c) => c.step === step);
    if (!checkpoint) {
      throw new AppError('NOT_FOUND', `Job ${jobId} saved no checkpoint at step ${step}.`);
    }
    if (!checkpoint.present)
      throw new AppError('NOT_FOUND', `Checkpoint ${checkpoint.path} is no longer on disk.`);
    const runDir = join(this.deps.dataDir, job.runDir);
    const registered = await registerAdapterFolder(this.deps, job, relative(runDir, checkpoint.path), {
      step,
      checkpointStep: step,
    });
    if (!registered.artifact)
      throw new AppError('BAD_INPUT', registered.problem ?? 'the checkpoint could not be registered');
    return this.toView(registered.artifact);
  }

  /** Write an Ollama Modelfile (FROM the base model, ADAPTER this adapter) and say how to build it. */
  async exportOllama(id: string, name?: string): Promise<OllamaExport> {
    const row = this.mustGet(id);
    if (row.kind !== 'adapter')
      throw new AppError('BAD_INPUT', `Only adapters export to Ollama; this is a ${row.kind}.`);
    if (!row.baseModelPath) throw new AppError('BAD_INPUT', 'This adapter has no recorded base model.');
    const adapterDir = this.insideDataDir(row.path);
    const outDir = join(this.deps.dataDir, 'exports', row.id);
    await mkdir(outDir, { recursive: true });
    const modelfilePath = join(outDir, 'Modelfile');
    const modelfile = `# LoRA Studio: ${row.name} (${row.id})\nFROM ${row.baseModelPath}\nADAPTER ${adapterDir}\n`;
    await writeFile(modelfilePath, modelfile);
    const modelName =
      name ??
      (row.name
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) ||
        'lora-adapter');
    const notes = [
      'Ollama imports safetensors adapters for Llama, Mistral and Gemma architectures; the base must be the same model the adapter was trained on.',
    ];
    if (!(await exists(join(row.baseModelPath, 'config.json')))) {
      notes.push(
        `The base model folder ${row.baseModelPath} is not on this machine; edit FROM to a model Ollama has.`,
      );
    }
    const view = this.toView(row);
    this.deps.onExported?.(view, `Ollama Modelfile ${modelfilePath}`);
    return {
      modelfilePath,
      modelfile,
      command: `ollama create ${modelName} -f ${JSON.stringify(modelfilePath)}`,
      notes,
    };
  }

  /** The stored row of an artifact (for tasks that work on it). */
  row(id: string): ModelArtifactRow {
    return this.mustGet(id);
  }

  /** The contract's view of a stored row. */
  view(row: ModelArtifactRow): ModelArtifact {
    return this.toView(row);
  }

  private mustGet(id: string): ModelArtifactRow {
    const row = this.repo.get(id);
    if (!row) throw new AppError('NOT_FOUND', `There is no artifact ${id} in the library.`);
    return row;
  }

  /** The absolute folder of a stored relative path, refusing anything outside the data folder. */
  private insideDataDir(stored: string): string {
    const abs = resolve(this.deps.dataDir, stored);
    const rel = relative(this.deps.dataDir, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new AppError('BAD_INPUT', `The artifact path ${stored} is outside the data folder.`);
    }
    return abs;
  }

  private toView(row: ModelArtifactRow): ModelArtifact {
    const meta = parseArtifactMeta(row.metaJson);
    const versionId = meta.datasetVersionId;
    const version = versionId ? this.datasets.getVersion(versionId) : undefined;
    const dataset = version ? this.datasets.get(version.datasetId) : undefined;
    return {
      id: row.id,
      jobId: row.jobId,
      kind: row.kind,
      name: row.name,
      path: resolve(this.deps.dataDir, row.path),
      sizeBytes: row.sizeBytes,
      sha256: row.sha256,
      baseModelPath: row.baseModelPath,
      checkpointStep: meta.checkpointStep,
      step: meta.step,
      metrics: meta.metrics,
      datasetVersionId: versionId,
      datasetLabel: version ? `${dataset?.name ?? version.datasetId} v${version.version}` : null,
      datasetId: version?.datasetId ?? null,
      createdAt: row.createdAt,
    };
  }
}
