import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatasetRepositories } from '../../../db/repositories/dataset-repositories';
import { planRows } from '../../../db/repositories/dataset-row-filter-plan';
import { BULK_EDIT_SLICE_ROWS } from '../../../main/datasets/curation/row-editor';
import { PAGE_COUNT_LOOKAHEAD } from '../../../main/datasets/query/row-query';
import type { RowFilter } from '../../../preload/contract';
import {
  type CurationFixture,
  chat,
  createCurationFixture,
  type RowSpec,
} from '../../helpers/curation-fixture';

/** More rows than a first page counts: every row says "common", every fifth one has no reply (invalid). */
const N = PAGE_COUNT_LOOKAHEAD + 2_000;
const SPECS: RowSpec[] = Array.from({ length: N }, (_, i) =>
  i % 5 === 4
    ? { messages: [{ role: 'user', content: `common question ${i} with nobody answering` }] }
    : chat(`common question ${i}`, `answer ${i}${i % 2 === 0 ? ' even' : ''}`),
);
const VALID = SPECS.filter((_, i) => i % 5 !== 4).length;

describe('row browser totals on a big dataset: kept counts, "≥ N" first pages, exact counts in slices', () => {
  let fx: CurationFixture;
  let id: string;

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset(SPECS);
  });
  afterEach(() => fx.cleanup());

  const page = (filter: RowFilter, offset = 0, limit = 100) => fx.curator.rows({ id, offset, limit, filter });
  /** Live rows of the dataset counted straight from the file, with an extra SQL condition. */
  const count = (where: string) =>
    Number(
      fx.sqlite
        .prepare(`SELECT count(*) FROM dataset_rows WHERE dataset_id = ? AND deleted_at IS NULL ${where}`)
        .pluck()
        .get(id),
    );

  it('answers all rows and valid/invalid rows exactly from the counts kept on the dataset', () => {
    expect(page({})).toMatchObject({ total: N, totalExact: true });
    expect(page({ valid: true, deleted: false })).toMatchObject({ total: VALID, totalExact: true });
    expect(page({ valid: false })).toMatchObject({ total: N - VALID, totalExact: true });
  });

  it('gives a first page of a big search with a lower bound, then the exact count, then exact pages', async () => {
    const first = page({ search: 'common' });
    expect(first.rows).toHaveLength(100);
    expect(first).toMatchObject({ total: 100 + PAGE_COUNT_LOOKAHEAD, totalExact: false });
    // Deeper pages count further: a page near the end knows the end.
    expect(page({ search: 'common' }, N - 50)).toMatchObject({ total: N, totalExact: true });

    expect(await fx.curator.count({ id, filter: { search: 'even' } })).toEqual({
      total: count('AND row_index % 10 IN (0, 2, 6, 8)'),
    });
    expect(await fx.curator.count({ id, filter: { search: 'common', valid: true } })).toEqual({
      total: VALID,
    });
    expect(page({ search: 'common', valid: true })).toMatchObject({ total: VALID, totalExact: true });
  });

  it('keeps kept counts true through deletes, and exact counts follow the change', async () => {
    await fx.curator.setDeleted({ selection: { datasetId: id, filter: { search: 'even' } }, deleted: true });
    const live = count('');
    const liveValid = count('AND valid = 1');
    expect(live).toBeLessThan(N);
    expect(page({})).toMatchObject({ total: live, totalExact: true });
    expect(page({ valid: true })).toMatchObject({ total: liveValid, totalExact: true });
    // A filter the kept counts do not answer is counted, and agrees with them.
    expect(await fx.curator.count({ id, filter: { minChars: 0 } })).toEqual({ total: live });
    expect(await fx.curator.count({ id, filter: { search: 'common' } })).toEqual({ total: live });
    expect(await fx.curator.count({ id, filter: { deleted: true } })).toEqual({ total: N - live });
  });

  it('writes a bulk tag and a split in slices, letting another connection write between them', async () => {
    const other = new Database(fx.sqlite.name);
    other.pragma('busy_timeout = 0');
    let writes = 0;
    const timer = setInterval(() => {
      other.exec('BEGIN IMMEDIATE');
      other.exec('COMMIT');
      writes++;
    }, 1);
    try {
      const tagged = await fx.curator.tag({ selection: { datasetId: id, filter: {} }, add: ['all'] });
      expect(tagged).toEqual({ updated: N });
      const afterTag = writes;
      expect(afterTag).toBeGreaterThan(Math.floor(N / BULK_EDIT_SLICE_ROWS) / 2);
      expect(await fx.curator.split({ id, valRatio: 0.1, seed: 3 })).toEqual({
        train: VALID - Math.round(VALID * 0.1),
        val: Math.round(VALID * 0.1),
      });
      expect(writes).toBeGreaterThan(afterTag);
    } finally {
      clearInterval(timer);
      other.close();
    }
    expect(await fx.curator.count({ id, filter: { tag: 'all' } })).toEqual({ total: N });
    expect(await fx.curator.count({ id, filter: { split: 'val' } })).toEqual({
      total: Math.round(VALID * 0.1),
    });
  });

  it('counts a plan in id slices to the same total as in one statement', () => {
    const { rowQuery, search } = createDatasetRepositories(fx.sqlite);
    const span = rowQuery.span(id);
    const lo = span.lo as number;
    const hi = span.hi as number;
    const dataset = { lo, hi, contiguous: true, alone: true, hasDeleted: false };
    const plans = [
      planRows(id, dataset, { valid: true, minTurns: 2 }, null),
      planRows(id, dataset, {}, `text : (${search.tokenize('even').join(' ')})`),
    ];
    for (const plan of plans) {
      expect(plan.sliceable).toBe(true);
      let sliced = 0;
      for (let from = lo; from <= hi; from += 999) sliced += rowQuery.countSlice(plan, from, from + 999);
      expect(sliced).toBe(rowQuery.count(plan));
      expect(sliced).toBeGreaterThan(0);
      expect(rowQuery.countUpTo(plan, 10)).toBe(10);
    }
  });
});
