/**
 * Curation benchmark (issue 10): a data folder whose database holds one dataset of N synthetic chat
 * rows (1,000,000 by default). Reports the row browser's pages (curation-rows.ts), the core's
 * start-up on that folder, first pages of filter combinations through the API (search + tag +
 * validity + length + role, each a new filter so no total is cached), and how long bulk edits
 * kept another connection from writing: a probe in a worker thread takes the write lock every few
 * milliseconds and reports its longest wait.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createCore } from '../../main/core';
import type { RowFilter } from '../../preload/contract';
import { makeTempDir } from '../helpers/temp-dir';
import { benchCurationRows } from './curation-rows';

const round = (v: number): number => Math.round(v * 100) / 100;

function quantile(values: ReadonlyArray<number>, q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

/** A second connection that takes and releases the write lock in a loop; resolves to its longest wait (ms). */
function startWriterProbe(file: string): { stop(): Promise<number> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 600000');
    let stop = false;
    let longest = 0;
    parentPort.on('message', () => { stop = true; });
    const tick = () => {
      const started = performance.now();
      db.exec('BEGIN IMMEDIATE');
      db.exec('COMMIT');
      longest = Math.max(longest, performance.now() - started);
      if (stop) { db.close(); parentPort.postMessage(longest); } else setTimeout(tick, 5);
    };
    tick();`;
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(code, { eval: true, workerData: { file, module } });
  const longest = new Promise<number>((resolve, reject) => {
    worker.once('message', (ms: number) => resolve(ms));
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const ms = await longest;
      await worker.terminate();
      return ms;
    },
  };
}

/** Run the curation benchmark and return its figures. */
export async function benchCuration(args: ReadonlyArray<string>): Promise<Record<string, number>> {
  const rowsFlag = args.indexOf('--rows');
  const rows = rowsFlag >= 0 ? Number(args[rowsFlag + 1]) : 1_000_000;
  const tmp = makeTempDir('lora-studio-bench-');
  try {
    const dataDir = join(tmp.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'lora-studio.db');
    const browsing = await benchCurationRows({ rows, db: file });

    const started = performance.now();
    const core = await createCore({ dataDir, shell: 'test' });
    const startupMs = performance.now() - started;
    try {
      const call = async (channel: string, input: unknown): Promise<{ value: unknown; ms: number }> => {
        const t = performance.now();
        const result = await core.api.invoke(channel, input);
        if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`);
        return { value: result.value, ms: performance.now() - t };
      };
      const list = (await call('datasets.list', {})).value as Array<{ id: string }>;
      const id = list[0]?.id;
      if (id === undefined) throw new Error('the benchmark dataset is missing');

      // Bulk edits with a second writer waiting on each: tag a third of the rows, split them all.
      const blocks: Record<string, number> = {};
      const edits: Array<[string, string, unknown]> = [
        ['tag', 'datasets.tag', { selection: { datasetId: id, filter: { minTurns: 3 } }, add: ['bench'] }],
        ['split', 'datasets.split', { id, valRatio: 0.1, seed: 7 }],
      ];
      for (const [name, channel, input] of edits) {
        const probe = startWriterProbe(file);
        await new Promise((r) => setTimeout(r, 50));
        const { ms } = await call(channel, input);
        blocks[`${name}Ms`] = round(ms);
        blocks[`${name}LongestWriterBlockMs`] = round(await probe.stop());
      }

      // First pages of filter combinations, each new (no cached total).
      const words = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo'];
      const combos: RowFilter[] = [];
      for (let i = 0; i < 40; i++) {
        const filter: RowFilter = { minChars: 10 + i };
        if (i % 2 === 0) filter.search = `${words[i % words.length]}${words[(i * 3) % words.length]}`;
        if (i % 3 === 0) filter.tag = 'bench';
        if (i % 4 === 1) filter.valid = true;
        if (i % 5 === 2) filter.role = 'system';
        if (i % 7 === 3) filter.split = 'val';
        combos.push(filter);
      }
      const firstPages: number[] = [];
      for (const filter of combos)
        firstPages.push((await call('datasets.rows', { id, offset: 0, limit: 100, filter })).ms);
      // Filters no row matches: nothing drives them through an index, so the first page reads the
      // dataset's whole covering index to find it empty (the scan bound of "any combination").
      const noMatch: number[] = [];
      for (let i = 0; i < 10; i++) {
        const filter: RowFilter =
          i % 2 === 0 ? { minTurns: 500 + i } : { valid: true, minChars: 50_000_000 + i };
        noMatch.push((await call('datasets.rows', { id, offset: 0, limit: 100, filter })).ms);
      }
      const exact: number[] = [];
      for (const filter of combos.slice(0, 10)) exact.push((await call('datasets.count', { id, filter })).ms);
      const browse: number[] = [];
      for (let i = 0; i < 20; i++)
        browse.push((await call('datasets.rows', { id, offset: i * 4999, limit: 100 })).ms);

      return {
        rows,
        startupMs: round(startupMs),
        filterComboFirstPageP50Ms: round(quantile(firstPages, 0.5)),
        filterComboFirstPageP95Ms: round(quantile(firstPages, 0.95)),
        noMatchFirstPageP50Ms: round(quantile(noMatch, 0.5)),
        noMatchFirstPageMaxMs: round(Math.max(...noMatch)),
        exactCountP50Ms: round(quantile(exact, 0.5)),
        exactCountP95Ms: round(quantile(exact, 0.95)),
        browsePageP95Ms: round(quantile(browse, 0.95)),
        ...blocks,
        longestWriterBlockMs: Math.max(
          blocks.tagLongestWriterBlockMs ?? 0,
          blocks.splitLongestWriterBlockMs ?? 0,
        ),
        ...Object.fromEntries(Object.entries(browsing).map(([k, v]) => [`rowQuery_${k}`, v])),
      };
    } finally {
      await core.close();
    }
  } finally {
    tmp.cleanup();
  }
}
