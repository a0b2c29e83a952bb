import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CurationFixture,
  chat,
  createCurationFixture,
  type RowSpec,
} from '../../helpers/curation-fixture';

const ROWS: RowSpec[] = [
  ...Array.from({ length: 100 }, (_, i) => chat(`question ${i}`, `answer ${i}`)),
  { messages: [{ role: 'user', content: 'invalid' }] },
  { raw: 'also invalid' },
];

describe('train/validation split', () => {
  let fx: CurationFixture;
  let id: string;

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset(ROWS);
  });
  afterEach(() => fx.cleanup());

  const sides = () =>
    fx.sqlite
      .prepare('SELECT split FROM dataset_rows WHERE dataset_id = ? ORDER BY row_index')
      .pluck()
      .all(id) as Array<string | null>;
  const valRows = () => sides().flatMap((s, i) => (s === 'val' ? [i] : []));

  it('splits valid live rows by ratio; invalid and deleted rows get no side', async () => {
    const [firstRow] = fx.rowIds(id);
    await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [firstRow ?? 0] }, deleted: true });
    expect(await fx.curator.split({ id, valRatio: 0.1, seed: 1 })).toEqual({ train: 89, val: 10 });
    const s = sides();
    expect(s[0]).toBeNull();
    expect(s.slice(100)).toEqual([null, null]);
    expect(s.filter((x) => x === 'val')).toHaveLength(10);
    expect(fx.curator.rows({ id, offset: 0, limit: 10, filter: { split: 'val' } }).total).toBe(10);
    expect(fx.curator.get(id).stats.split).toEqual({ train: 89, val: 10, unsplit: 2 });
  });

  it('is reproducible: the same seed on the same rows gives the same split, another seed another', async () => {
    await fx.curator.split({ id, valCount: 20, seed: 42 });
    const first = valRows();
    await fx.curator.split({ id, valCount: 20, seed: 7 });
    const other = valRows();
    await fx.curator.split({ id, valCount: 20, seed: 42 });
    expect(valRows()).toEqual(first);
    expect(other).not.toEqual(first);
    expect(other).toHaveLength(20);
  });

  it('keeps rows on their side when the validation set grows (a row ranks the same whatever the size)', async () => {
    await fx.curator.split({ id, valCount: 10, seed: 3 });
    const small = valRows();
    await fx.curator.split({ id, valCount: 30, seed: 3 });
    expect(valRows()).toEqual(expect.arrayContaining(small));
  });

  it('clears the side of rows deleted since the last split, and can put everything in train', async () => {
    await fx.curator.split({ id, valRatio: 0.5, seed: 9 });
    const [firstRow] = fx.rowIds(id);
    await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [firstRow ?? 0] }, deleted: true });
    expect(await fx.curator.split({ id, valRatio: 0, seed: 9 })).toEqual({ train: 99, val: 0 });
    expect(sides()[0]).toBeNull();
    expect(sides().filter((s) => s === 'train')).toHaveLength(99);
  });

  it('runs in a worker with the same result', async () => {
    const inWorker = await createCurationFixture({ workers: true });
    try {
      const other = inWorker.addDataset(ROWS);
      await inWorker.curator.split({ id: other, valCount: 20, seed: 42 });
      await fx.curator.split({ id, valCount: 20, seed: 42 });
      const side = (f: CurationFixture, ds: string) =>
        f.sqlite
          .prepare('SELECT split FROM dataset_rows WHERE dataset_id = ? ORDER BY row_index')
          .pluck()
          .all(ds);
      // Ids are the same in both fresh databases, so the same seed gives the same rows.
      expect(side(inWorker, other)).toEqual(side(fx, id));
      expect(inWorker.curator.rows({ id: other, offset: 0, limit: 1, filter: { split: 'val' } }).total).toBe(
        20,
      );
    } finally {
      inWorker.cleanup();
    }
  });
});
