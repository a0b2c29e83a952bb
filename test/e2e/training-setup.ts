/**
 * What a training e2e test needs before serve starts: a fixture trainer as `trainer.command`, a tiny
 * model folder, and a frozen dataset version. The version goes straight into SQLite (datasets and
 * dataset_versions rows plus its JSONL file) because this branch has no way to freeze one yet.
 * TODO(lead): once the datasets branch is merged, freeze it through `lora-studio datasets import` /
 * `datasets.freeze` instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { writeFakeModel } from '../fixtures/fake-model';
import { runCli } from './serve-harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A fixture trainer script in test/fixtures/trainers. */
export function fixtureTrainer(name: string): string {
  return join(ROOT, 'test/fixtures/trainers', name);
}

/** Quotes a word for `trainer.command` (split without a shell: "…" groups words). */
function quote(word: string): string {
  return /[\s"'\\]/.test(word) ? `"${word.replace(/(["\\])/g, '\\$1')}"` : word;
}

/** Answers `doctor` for the fixture trainers, which only speak `train`. */
const TRAINER_SHIM = join(ROOT, 'test/e2e/training-trainer-shim.mjs');

/**
 * Points the data folder's `trainer.command` at `node <shim> <fixture>` (run before serve starts);
 * `env` (e.g. FIXTURE_HOLD_AT) goes in front through `/usr/bin/env`, as a user's wrapper would.
 */
export async function setFixtureTrainer(
  dataDir: string,
  fixture: string,
  env: Readonly<Record<string, string>> = {},
): Promise<void> {
  // A missing fixture fails the test: skipping would leave the training UI untested and green.
  if (!existsSync(fixtureTrainer(fixture)))
    throw new Error(`the fixture trainer ${fixtureTrainer(fixture)} is missing: it must be committed`);
  const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  const prefix = assignments.length > 0 ? ['/usr/bin/env', ...assignments] : [];
  const command = [...prefix, process.execPath, TRAINER_SHIM, fixtureTrainer(fixture)].map(quote).join(' ');
  await runCli(dataDir, ['settings', 'set', 'trainer.command', command]);
}

/** A tiny Llama-style model folder (config.json, tokenizer, chat template, safetensors). */
export function writeTinyModel(dir: string): string {
  writeFakeModel(dir, { chatTemplate: 'tokenizer_config' });
  return dir;
}

/** The ids of a frozen dataset version written by `insertFrozenVersion`. */
export interface FrozenVersion {
  readonly datasetId: string;
  readonly versionId: string;
}

/**
 * A frozen dataset version of `rows` chat rows (every tenth one in validation), as the datasets
 * feature would write it: the JSONL file under `datasets/<id>/` and its rows in SQLite. The data
 * folder's database must exist (any CLI command run on it first creates and migrates it).
 */
export function insertFrozenVersion(dataDir: string, rows = 40): FrozenVersion {
  const datasetId = `ds_e2e_${process.pid}_${Date.now().toString(36)}`;
  const versionId = `${datasetId}_v1`;
  const relativePath = join('datasets', datasetId, 'versions', 'v1.jsonl');
  mkdirSync(join(dataDir, 'datasets', datasetId, 'versions'), { recursive: true });
  const lines = Array.from({ length: rows }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `What is ${i} + ${i}?` },
        { role: 'assistant', content: `${i + i}.` },
      ],
      split: i % 10 === 9 ? 'val' : 'train',
    }),
  );
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(dataDir, relativePath), text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const val = lines.filter((_, i) => i % 10 === 9).length;

  const db = new Database(join(dataDir, 'lora-studio.db'));
  try {
    const now = Date.now();
    db.prepare(
      `INSERT INTO datasets (id, name, format, shape, status, source_name, size_bytes, sha256, row_count,
         valid_count, created_at, updated_at)
       VALUES (?, 'arithmetic', 'jsonl', 'chat', 'ready', 'arithmetic.jsonl', ?, ?, ?, ?, ?, ?)`,
    ).run(datasetId, Buffer.byteLength(text), sha256, rows, rows, now, now);
    db.prepare(
      `INSERT INTO dataset_versions (id, dataset_id, version, file_path, sha256, size_bytes, row_count,
         train_count, val_count, note, created_at, updated_at)
       VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 'e2e', ?, ?)`,
    ).run(
      versionId,
      datasetId,
      relativePath,
      sha256,
      Buffer.byteLength(text),
      rows,
      rows - val,
      val,
      now,
      now,
    );
  } finally {
    db.close();
  }
  return { datasetId, versionId };
}
