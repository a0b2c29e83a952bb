/**
 * Dataset import throughput on a generated chat JSONL file (BENCH_IMPORT_ROWS rows, default
 * 100,000), against a JSON.parse-only pass over the same file in the same run: the parse pass
 * reads the same 1 MiB chunks, splits lines and parses each one, nothing more.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { importRows } from '../../main/datasets/import-rows';
import { LineSplitter } from '../../main/datasets/line-splitter';
import { openRecords } from '../../main/datasets/open-records';
import { readFileChunks } from '../../main/datasets/read-file-chunks';
import { sniffFile } from '../../main/datasets/sniff-format';
import { writeLargeChatJsonl } from '../fixtures/datasets/make-datasets';
import { createImporterHarness } from '../helpers/dataset-importer-harness';

async function parseOnly(path: string): Promise<number> {
  const splitter = new LineSplitter();
  let n = 0;
  const onLine = (line: Buffer) => {
    const text = line.toString('utf8');
    if (text.trim() !== '') {
      JSON.parse(text);
      n++;
    }
  };
  for await (const chunk of readFileChunks(path)) splitter.push(chunk, onLine);
  splitter.end(onLine);
  return n;
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await f();
  return { ms: performance.now() - started, value };
}

/** Figures: rows/s and MB/s of each pass, their ratio, and the peak RSS growth during the import. */
export async function benchDatasetImport(): Promise<Record<string, number>> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
  const h = await createImporterHarness();
  try {
    const path = join(h.srcDir, 'bench-chat.jsonl');
    await writeLargeChatJsonl(path, rows);
    const mb = statSync(path).size / 1024 / 1024;
    await parseOnly(path); // warm the page cache and the JIT
    const parse = await timed(() => parseOnly(path));
    const pipeline = await timed(async () => {
      const source = await openRecords(path, await sniffFile(path, statSync(path).size));
      return importRows(source, () => {});
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const imported = await timed(() => h.importer.importNow({ path }));
    clearInterval(sampler);
    if (imported.value.rows !== rows || parse.value !== rows) throw new Error('row counts differ');
    const perSecond = (ms: number) => Math.round(rows / (ms / 1000));
    return {
      rows,
      fileMb: Math.round(mb * 10) / 10,
      parseOnlyRowsPerS: perSecond(parse.ms),
      parseOnlyMbPerS: Math.round(mb / (parse.ms / 1000)),
      pipelineNoDbRowsPerS: perSecond(pipeline.ms),
      importRowsPerS: perSecond(imported.ms),
      importMbPerS: Math.round(mb / (imported.ms / 1000)),
      importMs: Math.round(imported.ms),
      importVsParseOnly: Math.round((parse.ms / imported.ms) * 100) / 100,
      workerRowsMs: imported.value.timings.rowsMs,
      workerInsertMs: imported.value.timings.insertMs,
      workerIndexMs: imported.value.timings.indexMs,
      pipelineNoDbVsParseOnly: Math.round((parse.ms / pipeline.ms) * 100) / 100,
      peakRssGrowthMb: Math.round((peak - baseline) / 1024 / 1024),
    };
  } finally {
    h.cleanup();
  }
}

if (process.argv[1]?.endsWith('dataset-import.ts')) {
  benchDatasetImport().then((figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`));
}
