/**
 * Import benchmark (issue 3, issue 10): a generated chat JSONL of N rows (default 1,000,000).
 * Reports, from one run: import throughput, CPU and peak RSS of the import as the product runs it
 * (the built CLI, `lora-studio datasets import`, in its own process, every thread counted); a
 * JSON.parse-only pass over the same file (the practical limit of reading); storing the same rows
 * with nothing else — built beforehand, inserted and indexed by the importer's own repository in
 * one transaction — (the limit of SQLite on this machine); DuckDB's read_json into a table (the
 * peer); the database's size against the file's, split into rows, search index and row indexes;
 * and p50/p95 of a 100-row page through the API with an FTS filter and without one.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { applyPragmas } from '../../db/open';
import { createDatasetRepositories } from '../../db/repositories/dataset-repositories';
import type { NewDatasetRow } from '../../db/repositories/dataset-row-storage';
import { createCore } from '../../main/core';
import { buildRow } from '../../main/datasets/normalise/build-row';
import { makeTempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WORDS =
  'the model learns to answer questions about rivers mountains cities numbers code and history'.split(' ');

function sentence(i: number, length: number): string {
  const out: string[] = [];
  for (let k = 0; k < length; k++) out.push(WORDS[(i * 7 + k * 13) % WORDS.length] as string);
  return out.join(' ');
}

async function generate(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < rows; i++) {
    const row = {
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: `Question ${i}: ${sentence(i, 12 + (i % 20))}?` },
        { role: 'assistant', content: `Answer ${i}: ${sentence(i + 3, 30 + (i % 40))}.` },
      ],
    };
    if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error) => (e ? j(e) : r())));
}

async function parseOnlySeconds(file: string): Promise<number> {
  const started = performance.now();
  let rest = '';
  let parsed = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line) parsed += JSON.parse(line) ? 1 : 0;
  }
  if (rest) parsed += JSON.parse(rest) ? 1 : 0;
  if (parsed === 0) throw new Error(`the parse-only pass read no rows from ${file}`);
  return (performance.now() - started) / 1000;
}

async function duckdbSeconds(file: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(
    `CREATE TABLE t AS SELECT * FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited')`,
  );
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Run the import benchmark and return its figures. */
export async function benchImport(args: ReadonlyArray<string>): Promise<Record<string, number>> {
  const rowsFlag = args.indexOf('--rows');
  const rows = rowsFlag >= 0 ? Number(args[rowsFlag + 1]) : 1_000_000;
  const tmp = makeTempDir('lora-studio-bench-');
  try {
    const file = join(tmp.dir, 'chat.jsonl');
    await generate(file, rows);
    const mb = statSync(file).size / 1e6;
    const parseOnly = await parseOnlySeconds(file);
    const duck = await duckdbSeconds(file);

    const storeOnly = await storeOnlySeconds(file, join(tmp.dir, 'floor'));

    const dataDir = join(tmp.dir, 'data');
    const imported = importWithCli(file, dataDir, join(tmp.dir, 'probe.json'));
    const dbMB = statSync(join(dataDir, 'lora-studio.db')).size / 1e6;
    const parts = databaseParts(join(dataDir, 'lora-studio.db'));
    const core = await createCore({ dataDir, shell: 'test' });
    const page = async (input: Record<string, unknown>): Promise<number> => {
      const started = performance.now();
      const result = await core.api.invoke('datasets.rows', { id: imported.id, limit: 100, ...input });
      if (!result.ok) throw new Error(`datasets.rows failed: ${result.error.message}`);
      return performance.now() - started;
    };
    const timings: number[] = [];
    const terms = ['rivers', 'mountains cities', 'answer', 'history code', 'numbers', 'question 42'];
    for (let i = 0; i < 60; i++) {
      timings.push(await page({ offset: (i * 997) % 5000, filter: { search: terms[i % terms.length] } }));
    }
    // Browsing without a search: the first page, then pages further down.
    const browse: number[] = [];
    for (let i = 0; i < 30; i++) browse.push(await page({ offset: (i * 7919) % rows }));
    await core.close();
    const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
    return {
      rows: imported.rows,
      fileMB: round(mb),
      importMBps: round(mb / imported.seconds),
      importRowsPerSec: Math.round(imported.rows / imported.seconds),
      parseOnlyMBps: round(mb / parseOnly),
      importVsParseOnly: round(parseOnly / imported.seconds, 2),
      storeOnlyMBps: round(mb / storeOnly),
      importVsStoreOnly: round(storeOnly / imported.seconds, 2),
      duckdbMBps: round(mb / duck),
      // CPU seconds of the import process (both import threads and the main one) against the wall
      // clock: above 1 the import used more than one core; on a loaded machine, below it waited.
      importCpuSeconds: round(imported.cpuSeconds, 2),
      importWallSeconds: round(imported.seconds, 2),
      parseOnlySeconds: round(parseOnly, 2),
      peakRssMB: round(imported.maxRssMB),
      dbMB: round(dbMB),
      dbVsFile: round(dbMB / mb, 2),
      dbRowsVsFile: round(parts.rows / mb, 3),
      dbSearchVsFile: round(parts.search / mb, 3),
      dbRowIndexesVsFile: round(parts.indexes / mb, 3),
      pageP50Ms: round(percentile(timings, 50), 2),
      pageP95Ms: round(percentile(timings, 95), 2),
      browsePageP50Ms: round(percentile(browse, 50), 2),
      browsePageP95Ms: round(percentile(browse, 95), 2),
    };
  } finally {
    tmp.cleanup();
  }
}

const CLI = join(ROOT, 'out/main/cli.js');
const PROBE = join(ROOT, 'test/bench/rss-probe.mjs');

/**
 * Import through the built CLI, as a person would, in a process of its own: wall seconds from spawn
 * to exit (start-up included), and that process's peak RSS and CPU from the preloaded probe. Builds
 * the app first so the figures are of the current source.
 */
function importWithCli(
  file: string,
  dataDir: string,
  probeFile: string,
): { id: string; rows: number; seconds: number; cpuSeconds: number; maxRssMB: number } {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', PROBE, CLI, 'datasets', 'import', file, '--data-dir', dataDir, '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, LORA_BENCH_PROBE_FILE: probeFile },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`import failed: ${child.stdout}${child.stderr}`);
  const summary = JSON.parse(child.stdout.trim()) as { id: string; rows: number };
  const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { maxRssMB: number; cpuSeconds: number };
  return { id: summary.id, rows: summary.rows, seconds, ...probe };
}

/**
 * Seconds SQLite alone takes to store the file's rows on this machine: the rows are built first
 * (untimed, 10,000 at a time), then inserted and indexed by the importer's repository in one
 * transaction on a fresh database with the app's schema — no reading, parsing or hashing, no
 * commits along the way. The import cannot be faster than this while it stores the same rows.
 */
async function storeOnlySeconds(file: string, dataDir: string): Promise<number> {
  mkdirSync(dataDir);
  const core = await createCore({ dataDir, shell: 'test' });
  await core.close();
  const sqlite = new Database(join(dataDir, 'lora-studio.db'));
  try {
    applyPragmas(sqlite);
    const now = Date.now();
    sqlite
      .prepare(
        `INSERT INTO datasets (id, name, format, shape, status, source_name, created_at, updated_at)
         VALUES ('floor', 'floor', 'jsonl', 'chat', 'importing', 'floor', ?, ?)`,
      )
      .run(now, now);
    const { rows: repo } = createDatasetRepositories(sqlite);
    let seconds = 0;
    let batch: NewDatasetRow[] = [];
    let index = 0;
    const store = (): void => {
      const started = performance.now();
      repo.insertIndexedBatch('floor', batch);
      seconds += (performance.now() - started) / 1000;
      batch = [];
    };
    repo.beginSpanning();
    let rest = '';
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        batch.push(
          buildRow(
            { value: JSON.parse(line), originalJson: line, lineNumber: index + 1, problem: null },
            index,
            'chat',
          ),
        );
        index++;
        if (batch.length === 10_000) store();
      }
    }
    if (batch.length > 0) store();
    const started = performance.now();
    repo.commitOpen();
    return seconds + (performance.now() - started) / 1000;
  } finally {
    sqlite.close();
  }
}

/** The database's megabytes in rows, the search index (all its tables) and the rows' indexes. */
function databaseParts(dbFile: string): { rows: number; search: number; indexes: number } {
  const sqlite = new Database(dbFile, { readonly: true });
  try {
    const sizes = sqlite.prepare('SELECT name, sum(pgsize) / 1e6 AS mb FROM dbstat GROUP BY name').all() as {
      name: string;
      mb: number;
    }[];
    const sum = (match: (name: string) => boolean): number =>
      sizes.filter((s) => match(s.name)).reduce((total, s) => total + s.mb, 0);
    return {
      rows: sum((n) => n === 'dataset_rows'),
      search: sum((n) => n.startsWith('dataset_rows_fts')),
      indexes: sum((n) => n.startsWith('dataset_rows_') && !n.startsWith('dataset_rows_fts')),
    };
  } finally {
    sqlite.close();
  }
}
