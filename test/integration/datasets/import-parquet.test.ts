import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  corruptFooter,
  duckdb,
  scrambleMetadata,
  writeBombParquet,
  writeChatParquet,
  writeMappedParquet,
} from '../../fixtures/datasets/make-parquet';
import { createImporterHarness, type ImporterHarness } from '../../helpers/dataset-importer-harness';

// Parquet files are written with DuckDB (pyarrow is not installed on our machines).
// It is a devDependency: when it cannot load, the Parquet tests fail rather than skip.
const { connection: db, reason } = await duckdb();

describe('dataset import: Parquet', () => {
  it('has DuckDB to write its Parquet fixtures', () => {
    expect(db, reason).not.toBeNull();
  });

  let h: ImporterHarness;
  beforeAll(async () => {
    h = await createImporterHarness({ maxRowGroupBytes: 16 * 1024 * 1024 });
  });
  afterAll(() => h.cleanup());

  it('imports a chat Parquet file with several row groups, 64-bit integers and a `__proto__` column', async () => {
    const path = join(h.srcDir, 'chat.parquet');
    await writeChatParquet(db!, path, 2500, 1000);
    const inspection = await h.importer.inspect(path);
    expect(inspection).toMatchObject({ format: 'parquet', columns: ['id', 'messages', 'big', '__proto__'] });
    expect(inspection.detection.shape).toBe('chat');
    const summary = await h.importer.importNow({ path });
    expect(summary).toMatchObject({ format: 'parquet', shape: 'chat', rows: 2500, valid: 2500 });
    const rows = h.rows(summary.id);
    expect(rows[2499]).toMatchObject({ row_index: 2499, line_number: null, turns: 3 });
    const original = JSON.parse(rows[1]!.original_json) as Record<string, unknown>;
    expect(original).toMatchObject({ id: 1, big: '9007199254740994' });
    expect(Object.keys(original)).toContain('__proto__');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(h.dataset(summary.id)).toMatchObject({
      status: 'ready',
      file_path: `datasets/${summary.id}/original.parquet`,
      size_bytes: statSync(path).size,
    });
  });

  it('maps Parquet columns to a shape (gzip-compressed file)', async () => {
    const path = join(h.srcDir, 'mapped.parquet');
    await writeMappedParquet(db!, path, 50);
    const summary = await h.importer.importNow({ path, csv: { mapping: { instruction: 'q', output: 'a' } } });
    expect(summary).toMatchObject({ shape: 'alpaca', rows: 50, valid: 50 });
  });

  it('refuses a Parquet file with a damaged footer, keeping nothing', async () => {
    const path = join(h.srcDir, 'chat-bad-footer.parquet');
    await writeChatParquet(db!, path, 100);
    corruptFooter(path);
    const before = h.counts();
    await expect(h.importer.importNow({ path })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^this Parquet file is damaged: its footer cannot be read/),
    });
    const scrambled = join(h.srcDir, 'chat-bad-metadata.parquet');
    await writeChatParquet(db!, scrambled, 100);
    scrambleMetadata(scrambled);
    await expect(h.importer.importNow({ path: scrambled })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(h.counts()).toEqual(before);
  });

  it('refuses a compression bomb before expanding it', async () => {
    const path = join(h.srcDir, 'bomb.parquet');
    await writeBombParquet(db!, path, 48 * 1024 * 1024);
    expect(statSync(path).size).toBeLessThan(4 * 1024 * 1024);
    const before = h.counts();
    await expect(h.importer.importNow({ path })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/more than the 16 MB limit per row group; it may be a compression bomb/),
    });
    expect(h.counts()).toEqual(before);
    copyFileSync(path, join(h.srcDir, 'bomb.jsonl'));
    await expect(h.importer.importNow({ path: join(h.srcDir, 'bomb.jsonl') })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
