import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDatasetRepositories,
  type DatasetRepositories,
} from '../../../db/repositories/dataset-repositories';
import type { NewDatasetRow } from '../../../db/repositories/dataset-rows-repository';
import { createTestDb } from '../../helpers/test-db';

/** Rows with a canonical form; every third one invalid. */
function rows(n: number): NewDatasetRow[] {
  return Array.from({ length: n }, (_, i) => ({
    rowIndex: i,
    lineNumber: i + 1,
    originalJson: JSON.stringify({ text: `original ${i}` }),
    canonicalJson: JSON.stringify({ text: `row ${i}` }),
    valid: i % 3 !== 2,
    problemsJson: i % 3 === 2 ? JSON.stringify([{ path: '$', message: `line ${i + 1}: too short` }]) : '[]',
    charLength: 5 + i,
    turns: 0,
    contentHash: Buffer.from(`h${i}`),
  }));
}

describe('dataset repositories: the curation reads and writes moved out of the services', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let repos: DatasetRepositories;
  let clock = 1_000;
  beforeEach(async () => {
    t = await createTestDb();
    repos = createDatasetRepositories(t.sqlite, () => ++clock, t.db);
  });
  afterEach(() => t.cleanup());

  const dataset = (status = 'ready') =>
    repos.datasets.create({ name: 'd', format: 'jsonl', shape: 'text', status, sourceName: 'd.jsonl' });

  it('stats_json: set without touching updated_at, marked stale and given tokens even when unreadable', () => {
    const ds = dataset();
    repos.datasets.setStatsJson(ds.id, 'not json');
    expect(repos.datasets.get(ds.id)?.updatedAt).toBe(ds.updatedAt);
    repos.datasets.markStatsStale(ds.id);
    expect(JSON.parse(repos.datasets.get(ds.id)?.statsJson ?? '')).toEqual({ stale: true });
    repos.datasets.setStatsJson(ds.id, JSON.stringify({ rows: 3 }));
    repos.datasets.setTokenStatsJson(ds.id, JSON.stringify({ total: 7 }));
    repos.datasets.markStatsStale(ds.id);
    expect(JSON.parse(repos.datasets.get(ds.id)?.statsJson ?? '')).toEqual({
      rows: 3,
      tokens: { total: 7 },
      stale: true,
    });
  });

  it('counts move by deltas; version numbers count deleted versions; version counts do not', () => {
    const ds = dataset();
    repos.datasets.update(ds.id, { rowCount: 10, validCount: 8, invalidCount: 2 });
    repos.datasets.adjustCounts(ds.id, -3, 1, 5_000);
    const after = repos.datasets.get(ds.id);
    expect([after?.rowCount, after?.validCount, after?.invalidCount, after?.updatedAt]).toEqual([
      8, 5, 3, 5_000,
    ]);

    expect(repos.datasets.lastVersionEver(ds.id)).toBe(0);
    const version = {
      datasetId: ds.id,
      filePath: 'f',
      sha256: 'a',
      sizeBytes: 1,
      rowCount: 1,
      trainCount: 1,
      valCount: 0,
    };
    const v1 = repos.datasets.addVersion(version);
    repos.datasets.addVersion(version);
    const raw = new Database(t.sqlite.name);
    raw.prepare('UPDATE dataset_versions SET deleted_at = 1 WHERE id = ?').run(v1.id);
    raw.close();
    expect(repos.datasets.lastVersionEver(ds.id)).toBe(2);
    expect(repos.datasets.versionCounts().get(ds.id)).toBe(1);
    expect(repos.datasets.immediate(() => repos.datasets.lastVersionEver(ds.id))).toBe(2);
  });

  it('an interrupted import is found and removed with its rows, a batch at a time', () => {
    const ds = dataset('importing');
    repos.rows.insertBatch(ds.id, rows(25));
    expect(repos.datasets.importingIds()).toEqual([ds.id]);
    expect(repos.rows.deleteSome(ds.id, 10)).toBe(10);
    expect(repos.rows.count(ds.id)).toBe(15);
    repos.datasets.remove(ds.id);
    expect(repos.datasets.importingIds()).toEqual([]);
    expect(repos.rows.count(ds.id)).toBe(0);
  });

  it('scans pages of valid live rows in an id range, stores token counts, finds originals by index', () => {
    const ds = dataset();
    repos.rows.insertBatch(ds.id, rows(30));
    const all = { from: 0, to: Number.MAX_SAFE_INTEGER };
    expect(repos.rows.countValidLive(ds.id, all)).toBe(20);
    const first = repos.rows.validLivePage(ds.id, all, -1, 7);
    expect(first.map((r) => r.rowIndex)).toEqual([0, 1, 3, 4, 6, 7, 9]);
    const next = repos.rows.validLivePage(ds.id, all, first.at(-1)?.id ?? 0, 100);
    expect(first.length + next.length).toBe(20);
    const range = { from: first[2]?.id ?? 0, to: first[5]?.id ?? 0 };
    expect(repos.rows.countValidLive(ds.id, range)).toBe(3);

    repos.rows.storeTokenCounts(first.map((r, i) => [r.id, 100 + i] as const));
    expect(repos.rowQuery.row(ds.id, first[1]?.id ?? 0)?.token_count).toBe(101);
    expect(repos.rows.originals(ds.id, [4, 2, 99])).toEqual(
      expect.arrayContaining([
        { rowIndex: 4, original: JSON.stringify({ text: 'original 4' }) },
        { rowIndex: 2, original: JSON.stringify({ text: 'original 2' }) },
      ]),
    );
    expect(repos.rows.problemMessages(ds.id)).toHaveLength(10);
  });

  it('stores an original that is its canonical JSON once, and every read and an edit still give it back', () => {
    const ds = dataset();
    const same = JSON.stringify({ text: 'same as canonical' });
    const [, other] = rows(2);
    repos.rows.insertBatch(ds.id, [
      { ...(other as NewDatasetRow), rowIndex: 0, originalJson: same, canonicalJson: same },
      other as NewDatasetRow,
    ]);
    const file = new Database(t.sqlite.name, { readonly: true });
    try {
      const stored = file
        .prepare('SELECT original_json FROM dataset_rows WHERE dataset_id = ? ORDER BY row_index')
        .pluck()
        .all(ds.id);
      expect(stored).toEqual(['', other?.originalJson]);
    } finally {
      file.close();
    }
    expect(repos.rows.originals(ds.id, [0, 1])).toEqual([
      { rowIndex: 0, original: same },
      { rowIndex: 1, original: other?.originalJson },
    ]);
    const id = repos.rows.page(ds.id, -1, 1)[0]?.id ?? 0;
    expect(repos.rows.page(ds.id, -1, 1)[0]?.originalJson).toBe(same);
    expect(repos.rowQuery.row(ds.id, id)?.original_json).toBe(same);

    const edited = JSON.stringify({ text: 'edited' });
    repos.rows.edit(
      id,
      {
        canonicalJson: edited,
        valid: true,
        problemsJson: '[]',
        charLength: 6,
        turns: 0,
        contentHash: Buffer.from('e'),
      },
      9_000,
    );
    const after = repos.rowQuery.rows([id])[0];
    expect([after?.original_json, after?.canonical_json]).toEqual([same, edited]);
  });

  it('span: two index seeks give what min/max/count over every row gives, imports interleaved and rows deleted', () => {
    const a = dataset('importing');
    const b = dataset('importing');
    const all = rows(900);
    const half = rows(450);
    // Two imports at once: their commits interleave, so neither dataset's ids are contiguous.
    for (let k = 0; k < 9; k++) {
      repos.rows.insertBatch(a.id, all.slice(k * 100, k * 100 + 100));
      repos.rows.insertBatch(b.id, half.slice(k * 50, k * 50 + 50));
    }
    repos.rows.setDeleted(
      a.id,
      {
        sql: 'SELECT id FROM dataset_rows WHERE dataset_id = @ds AND row_index IN (0, 899)',
        params: { ds: a.id },
      },
      true,
      ++clock,
    );
    const scanned = (id: string) =>
      t.sqlite
        .prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM dataset_rows WHERE dataset_id = ?')
        .get(id);
    for (const id of [a.id, b.id]) expect(repos.rowQuery.span(id)).toEqual(scanned(id));
    const spanA = repos.rowQuery.span(a.id);
    expect(spanA.n).toBeLessThan((spanA.hi ?? 0) - (spanA.lo ?? 0) + 1);
    expect(repos.rowQuery.span('ds_none')).toEqual({ lo: null, hi: null, n: 0 });
  });
});
