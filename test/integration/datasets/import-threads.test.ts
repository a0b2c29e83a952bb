/**
 * The import's two threads (issue 10): a reader thread builds rows while the import worker stores
 * them. What can go wrong between them ends in one clear message and leaves no thread behind: the
 * reader running out of memory, the store failing under a reader that is still going, and the
 * flow control that keeps the reader at most a few batches ahead of the store.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImportJob, type ImportMessage, runImportJob } from '../../../main/datasets/import/import-job';
import { READ_AHEAD_BATCHES } from '../../../main/datasets/import/read-job';
import { createImporterHarness } from '../../helpers/dataset-importer-harness';

let h: Awaited<ReturnType<typeof createImporterHarness>>;
beforeEach(async () => {
  h = await createImporterHarness();
});
afterEach(() => h.cleanup());

/** A dataset row to import into (the importer creates it as `importing` before its worker starts). */
function importingDataset(id: string): void {
  const now = Date.now();
  h.sqlite
    .prepare(
      `INSERT INTO datasets (id, name, format, shape, status, source_name, created_at, updated_at)
       VALUES (?, ?, 'jsonl', 'chat', 'importing', 'test', ?, ?)`,
    )
    .run(id, id, now, now);
}

function job(path: string, datasetId: string, extra: Partial<ImportJob> = {}): ImportJob {
  const copyDir = join(h.dataDir, 'copies', datasetId);
  mkdirSync(copyDir, { recursive: true });
  return {
    dbFile: join(h.dataDir, 'lora-studio.db'),
    datasetId,
    path,
    size: statSync(path).size,
    copyDir,
    cancel: new SharedArrayBuffer(4),
    ...extra,
  };
}

async function run(importJob: ImportJob): Promise<ImportMessage[]> {
  const messages: ImportMessage[] = [];
  await runImportJob(importJob, (m) => messages.push(m));
  return messages;
}

const chatLine = (i: number): string =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `question ${i}` },
      { role: 'assistant', content: `answer ${i}` },
    ],
  });

describe('IMPORT-threads: reading and storing on two threads', () => {
  it('stores every row the reader built, in order, and posts one done', async () => {
    const path = join(h.srcDir, 'rows.jsonl');
    writeFileSync(path, `${Array.from({ length: 5_000 }, (_, i) => chatLine(i)).join('\n')}\n`);
    importingDataset('ds_threads');
    const messages = await run(job(path, 'ds_threads', { batchRows: 100 }));
    const ends = messages.filter((m) => m.type !== 'progress');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ type: 'done', result: { rows: 5_000, valid: 5_000, invalid: 0 } });
    const stored = h.sqlite
      .prepare('SELECT row_index, line_number FROM dataset_rows WHERE dataset_id = ? ORDER BY id')
      .all('ds_threads') as { row_index: number; line_number: number }[];
    expect(stored.map((r) => r.row_index)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(stored.every((r) => r.line_number === r.row_index + 1)).toBe(true);
    // Progress counts stored rows, never more than the file holds.
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.every((p) => p.rows <= 5_000 && p.bytesDone <= p.bytesTotal)).toBe(true);
  }, 60_000);

  it('a reader out of memory is a clear error, not a hang or a crash of the app', async () => {
    // One 10 MB row of 800,000 small objects: within the line limit, beyond a 16 MB heap. (Many
    // small allocations, as rows are: a single allocation past the limit is fatal to the whole
    // process in V8, which is why the app's limit is 4 GB against a 64 MB line.)
    const path = join(h.srcDir, 'huge.jsonl');
    const pad = Array.from({ length: 800_000 }, (_, i) => ({ a: i }));
    writeFileSync(path, `${JSON.stringify({ text: 'hello', pad })}\n`);
    importingDataset('ds_oom');
    const messages = await run(
      job(path, 'ds_oom', { readerLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } }),
    );
    expect(messages.filter((m) => m.type !== 'progress')).toEqual([
      {
        type: 'error',
        code: 'BAD_INPUT',
        message: 'the import ran out of memory: a row or row group is too large',
      },
    ]);
  }, 60_000);

  it('a store that fails stops the reader and says why', async () => {
    const path = join(h.srcDir, 'orphan.jsonl');
    writeFileSync(path, `${Array.from({ length: 20_000 }, (_, i) => chatLine(i)).join('\n')}\n`);
    // No dataset row: the first insert breaks the foreign key, while the reader has rows to go.
    const messages = await run(job(path, 'ds_missing'));
    const ends = messages.filter((m) => m.type !== 'progress');
    expect(ends).toEqual([{ type: 'error', code: 'INTERNAL', message: 'FOREIGN KEY constraint failed' }]);
    expect(h.counts().rows).toBe(0);
  }, 60_000);

  it('the reader runs at most a chunk and a few batches ahead of the store, whatever the file size', async () => {
    const rows = 150_000;
    const path = join(h.srcDir, 'ahead.jsonl');
    writeFileSync(path, `${Array.from({ length: rows }, (_, i) => chatLine(i)).join('\n')}\n`);
    importingDataset('ds_ahead');
    const messages = await run(job(path, 'ds_ahead'));
    const done = messages.find((m) => m.type === 'done');
    expect(done?.type === 'done' && done.result.rows).toBe(rows);
    // Storing is slower than reading, so without flow control the reader would post the whole file
    // (150 batches) before the store caught up. With it, the reader waits before each 1 MB chunk
    // of the file while more than READ_AHEAD_BATCHES batches are unstored: at most those, plus the
    // batches of one chunk (~14,000 rows of ~75 bytes), plus the one being stored.
    const rowsPerChunk = (1024 * 1024) / (statSync(path).size / rows);
    const bound = READ_AHEAD_BATCHES + Math.ceil(rowsPerChunk / 1_000) + 1;
    expect(done?.type === 'done' && done.result.readAhead).toBeGreaterThan(0);
    expect(done?.type === 'done' && done.result.readAhead).toBeLessThanOrEqual(bound);
  }, 90_000);
});
