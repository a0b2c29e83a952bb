/**
 * Import benchmark (issue 3): a generated chat JSONL of N rows (default 1,000,000). Reports, from one
 * run: import throughput and peak RSS of the whole import (own process), a JSON.parse-only pass over
 * the same file (the practical limit), DuckDB's read_json into a table (the peer), the database's
 * size against the file's, and p50/p95 of a 100-row page through the API with an FTS filter and
 * without one on the imported rows.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createCore } from '../../main/core';
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

    const dataDir = join(tmp.dir, 'data');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/bench/import-child.ts'), file, dataDir],
      {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (child.status !== 0) throw new Error(`import failed: ${child.stderr}`);
    const imported = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as {
      id: string;
      rows: number;
      seconds: number;
      cpuSeconds: number;
      maxRssMB: number;
    };

    const dbMB = statSync(join(dataDir, 'lora-studio.db')).size / 1e6;
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
      duckdbMBps: round(mb / duck),
      // CPU seconds of the import process against the wall clock: on a loaded machine, how much of
      // the wall time was spent waiting for a core.
      importCpuSeconds: round(imported.cpuSeconds, 2),
      importWallSeconds: round(imported.seconds, 2),
      parseOnlySeconds: round(parseOnly, 2),
      peakRssMB: round(imported.maxRssMB),
      dbMB: round(dbMB),
      dbVsFile: round(dbMB / mb, 2),
      pageP50Ms: round(percentile(timings, 50), 2),
      pageP95Ms: round(percentile(timings, 95), 2),
      browsePageP50Ms: round(percentile(browse, 50), 2),
      browsePageP95Ms: round(percentile(browse, 95), 2),
    };
  } finally {
    tmp.cleanup();
  }
}
