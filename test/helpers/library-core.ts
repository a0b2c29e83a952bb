/**
 * A core on a temp data folder as the library/cost/notification tests need it: the fixture
 * nvidia-smi on PATH (two GPUs reporting power), a fixture trainer behind a doctor shim that reports
 * CUDA GPUs, a tiny model folder, and a frozen dataset version written as the datasets feature
 * writes one. The database is read back through its own SQLite connection, never through the core.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type Core, createCore } from '../../main/core';
import type { JobDetail, JobSummary } from '../../preload/contract';
import { writeFakeModel } from '../fixtures/fake-model';
import { makeTempDir, waitFor } from './temp-dir';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');

/** Unwrap an api result, failing the test with the error when it is not ok. */
export async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const result = await core.api.invoke(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Writes a frozen dataset version into the data folder's database; returns its id. */
export function insertFrozenVersion(dataDir: string, rows = 20): { datasetId: string; versionId: string } {
  const datasetId = `ds_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const versionId = `${datasetId}_v1`;
  const rel = join('datasets', datasetId, 'v1.jsonl');
  mkdirSync(join(dataDir, 'datasets', datasetId), { recursive: true });
  const text = `${Array.from({ length: rows }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `What is ${i} + ${i}?` },
        { role: 'assistant', content: `${i + i}.` },
      ],
      split: i % 10 === 9 ? 'val' : 'train',
    }),
  ).join('\n')}\n`;
  writeFileSync(join(dataDir, rel), text);
  const sha = createHash('sha256').update(text).digest('hex');
  const val = Math.floor(rows / 10);
  const db = new Database(join(dataDir, 'lora-studio.db'));
  try {
    const now = Date.now();
    db.prepare(
      `INSERT INTO datasets (id, name, format, shape, status, source_name, size_bytes, sha256, row_count,
         valid_count, created_at, updated_at) VALUES (?, 'arithmetic', 'jsonl', 'chat', 'ready', 'a.jsonl', ?, ?, ?, ?, ?, ?)`,
    ).run(datasetId, text.length, sha, rows, rows, now, now);
    db.prepare(
      `INSERT INTO dataset_versions (id, dataset_id, version, file_path, sha256, size_bytes, row_count,
         train_count, val_count, note, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 'test', ?, ?)`,
    ).run(versionId, datasetId, rel, sha, text.length, rows, rows - val, val, now, now);
  } finally {
    db.close();
  }
  return { datasetId, versionId };
}

export interface LibraryCoreOptions {
  readonly fixture?: string;
  readonly stepMs?: number;
  readonly dataDir?: string;
  /** More environment for the trainer processes (FIXTURE_MERGE_MS…). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A primary core with telemetry and training on, its model, dataset version and a DB reader. */
export async function createLibraryCore(options: LibraryCoreOptions = {}) {
  const tmp = options.dataDir ? null : makeTempDir('lora-library-');
  const dataDir = options.dataDir ?? join((tmp as { dir: string }).dir, 'data');
  const modelDir = join(dataDir, '..', 'tiny-model');
  writeFakeModel(modelDir, { chatTemplate: 'tokenizer_config' });
  const env = {
    ...process.env,
    PATH: `${join(FIXTURES, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    LORA_STUDIO_TRAINER: `"${process.execPath}" "${join(FIXTURES, 'trainers', 'doctor-shim.mjs')}" "${join(FIXTURES, 'trainers', options.fixture ?? 'ok.mjs')}"`,
    FIXTURE_STEP_MS: String(options.stepMs ?? 100),
    ...options.env,
  };
  const open = () =>
    createCore({ dataDir, shell: 'test', training: true, telemetry: true, env, cancelGraceMs: 2000 });
  let core = await open();
  const { datasetId, versionId } = insertFrozenVersion(dataDir);
  // Jobs need the GPUs seen by the monitor: wait for the first nvidia-smi sample.
  await waitFor(
    async () => {
      const r = await core.api.invoke('telemetry.gpu', {});
      return r.ok && (r.value as { state: string }).state === 'ok';
    },
    { what: 'the first GPU sample' },
  );
  const sqlite = new Database(join(dataDir, 'lora-studio.db'), { readonly: true });
  return {
    /** The environment the core gives its trainers (fixture nvidia-smi on PATH, LORA_STUDIO_TRAINER). */
    env,
    dataDir,
    modelDir,
    datasetId,
    versionId,
    sqlite,
    get core() {
      return core;
    },
    /** Queue a job on GPU 0 with `maxSteps` steps. */
    async createJob(maxSteps = 30, name = 'tiny run'): Promise<JobSummary> {
      return call<JobSummary>(core, 'jobs.create', {
        name,
        datasetVersionId: versionId,
        modelPath: modelDir,
        gpuIndices: [0],
        settings: { max_steps: maxSteps, save_steps: 10, eval_steps: 10, logging_steps: 1, max_seq_len: 128 },
      });
    },
    /** Wait until a job has ended; returns its detail. */
    async ended(id: string, timeoutMs = 30_000): Promise<JobDetail> {
      return waitFor(
        async () => {
          const job = await call<JobDetail>(core, 'jobs.get', { id });
          return ['completed', 'failed', 'cancelled', 'interrupted'].includes(job.status) ? job : null;
        },
        { timeoutMs, what: `job ${id} to end` },
      );
    },
    /** Close the core and open another on the same folder (an app restart). */
    async restart(): Promise<Core> {
      await core.close();
      core = await open();
      return core;
    },
    async close() {
      sqlite.close();
      await core.close();
      tmp?.cleanup();
    },
  };
}
