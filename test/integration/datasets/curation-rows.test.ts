import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowFilter } from '../../../preload/contract';
import {
  type CurationFixture,
  chat,
  createCurationFixture,
  type RowSpec,
} from '../../helpers/curation-fixture';

/** 0 chat, 1 with system, 2 duplicate of 0, 3 text, 4 invalid (no reply), 5 not a row, 6 long with a tool. */
const ROWS: RowSpec[] = [
  chat('alpha question', 'alpha answer'),
  chat('beta question', 'beta answer', 'system prompt'),
  chat('ALPHA   question', 'alpha answer'),
  { text: 'plain text row' },
  { messages: [{ role: 'user', content: 'nobody answers' }] },
  { raw: { weird: true } },
  {
    messages: [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
      { role: 'tool', content: 'four', tool_call_id: 'x' },
      { role: 'assistant', content: 'five'.repeat(50) },
    ],
  },
];

describe('row browser query', () => {
  let fx: CurationFixture;
  let id: string;
  let ids: number[];

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset(ROWS);
    ids = fx.rowIds(id);
  });
  afterEach(() => fx.cleanup());

  const page = (filter: RowFilter, offset = 0, limit = 100) => fx.curator.rows({ id, offset, limit, filter });
  const indexes = (filter: RowFilter) => page(filter).rows.map((r) => r.rowIndex);

  it('maps rows to views: JSON parsed, original as imported, flags and numbers', () => {
    const [first, , , text, invalid, raw] = page({}).rows;
    expect(first).toMatchObject({
      rowIndex: 0,
      lineNumber: 1,
      valid: true,
      problems: [],
      canonical: {
        messages: [
          { role: 'user', content: 'alpha question' },
          { role: 'assistant', content: 'alpha answer' },
        ],
      },
      charLength: 'alpha question\nalpha answer'.length,
      tokenCount: null,
      turns: 2,
      tags: [],
      split: null,
      deleted: false,
    });
    expect(text?.canonical).toEqual({ text: 'plain text row' });
    expect(invalid?.valid).toBe(false);
    expect(invalid?.problems[0]?.message).toMatch(/no assistant message/);
    expect(raw?.canonical).toBeNull();
    expect(raw?.original).toEqual({ weird: true });
  });

  it('pages through rows in row order with the total of the filter', () => {
    expect(page({}, 0, 3)).toMatchObject({ total: 7 });
    expect(page({}, 0, 3).rows.map((r) => r.rowIndex)).toEqual([0, 1, 2]);
    expect(page({}, 3, 3).rows.map((r) => r.rowIndex)).toEqual([3, 4, 5]);
    expect(page({}, 6, 3).rows.map((r) => r.rowIndex)).toEqual([6]);
    expect(page({}, 7, 3)).toEqual({ total: 7, totalExact: true, rows: [] });
    expect(page({ valid: true }, 1, 2)).toMatchObject({ total: 5 });
    expect(page({ valid: true }, 1, 2).rows.map((r) => r.rowIndex)).toEqual([1, 2]);
  });

  it('filters by validity, problem text, characters, role, turns and duplicates', () => {
    expect(indexes({ valid: true })).toEqual([0, 1, 2, 3, 6]);
    expect(indexes({ valid: false })).toEqual([4, 5]);
    expect(indexes({ problem: 'ASSISTANT' })).toEqual([4]);
    expect(indexes({ problem: 'not a row' })).toEqual([5]);
    expect(indexes({ problem: '100%_' })).toEqual([]);
    expect(indexes({ minChars: 27, maxChars: 29 })).toEqual([0, 2]);
    expect(indexes({ minChars: 28, maxChars: 29 })).toEqual([2]);
    expect(indexes({ minChars: 100 })).toEqual([6]);
    expect(indexes({ maxChars: 14 })).toEqual([3, 4, 5]);
    expect(indexes({ role: 'system' })).toEqual([1]);
    expect(indexes({ role: 'tool' })).toEqual([6]);
    expect(indexes({ role: 'assistant' })).toEqual([0, 1, 2, 6]);
    expect(indexes({ minTurns: 3 })).toEqual([1, 6]);
    expect(indexes({ minTurns: 1, maxTurns: 2 })).toEqual([0, 2, 4]);
    expect(indexes({ duplicate: true })).toEqual([0, 2]);
    expect(indexes({ duplicate: false })).toEqual([1, 3, 4, 5, 6]);
  });

  it('filters by tag, split and deletion, and combines every filter', async () => {
    await fx.curator.tag({
      selection: { datasetId: id, rowIds: [ids[1] ?? 0, ids[3] ?? 0] },
      add: ['review'],
    });
    fx.sqlite.prepare("UPDATE dataset_rows SET split = 'val' WHERE id = ?").run(ids[0]);
    fx.sqlite.prepare("UPDATE dataset_rows SET split = 'train' WHERE id IN (?, ?)").run(ids[1], ids[2]);
    expect(indexes({ tag: 'review' })).toEqual([1, 3]);
    expect(indexes({ tag: 'other' })).toEqual([]);
    expect(indexes({ split: 'val' })).toEqual([0]);
    expect(indexes({ split: 'train' })).toEqual([1, 2]);
    expect(indexes({ split: 'unsplit' })).toEqual([3, 4, 5, 6]);
    expect(indexes({ tag: 'review', valid: true, search: 'beta' })).toEqual([1]);
    expect(indexes({ tag: 'review', duplicate: false, maxTurns: 0 })).toEqual([3]);

    await fx.curator.setDeleted({
      selection: { datasetId: id, rowIds: [ids[2] ?? 0, ids[3] ?? 0] },
      deleted: true,
    });
    expect(indexes({})).toEqual([0, 1, 4, 5, 6]);
    expect(indexes({ deleted: true })).toEqual([2, 3]);
    expect(indexes({ deleted: true, tag: 'review' })).toEqual([3]);
    // Row 0 lost its twin (row 2 is deleted), and row 2 is a deleted row whose content is still live.
    expect(indexes({ duplicate: true })).toEqual([]);
    expect(indexes({ deleted: true, duplicate: true })).toEqual([2]);
    expect(indexes({ deleted: true, search: 'alpha' })).toEqual([2]);
    expect(page({ deleted: true }).rows.every((r) => r.deleted)).toBe(true);
  });

  it('gives fresh totals after every change (cached totals never go stale)', async () => {
    expect(page({ valid: true }).total).toBe(5);
    await fx.curator.setDeleted({
      selection: { datasetId: id, filter: { valid: true, search: 'alpha' } },
      deleted: true,
    });
    expect(page({ valid: true }).total).toBe(3);
    fx.sqlite.prepare('UPDATE dataset_rows SET valid = 0 WHERE id = ?').run(ids[1]);
    // Every writer of rows moves the dataset's kept counts with them (all rows and valid rows are
    // answered from those); this raw write does it by hand.
    fx.sqlite
      .prepare(
        'UPDATE datasets SET valid_count = valid_count - 1, invalid_count = invalid_count + 1 WHERE id = ?',
      )
      .run(id);
    // A write by another connection is noticed through data_version; this one is on the same
    // connection, so the curator would have to be told: it is, by its own methods.
    await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [ids[3] ?? 0] }, deleted: true });
    expect(page({ valid: true }).total).toBe(1);
  });

  it('recounts after an edit only the totals whose filter reads row content', async () => {
    expect([page({}).total, page({ valid: true }).total, page({ search: 'fixed' }).total]).toEqual([7, 5, 0]);
    fx.curator.updateRow({ datasetId: id, rowId: ids[4] ?? 0, canonical: chat('now', 'fixed') });
    expect([page({}).total, page({ valid: true }).total, page({ search: 'fixed' }).total]).toEqual([7, 6, 1]);
    await fx.curator.tag({ selection: { datasetId: id, rowIds: [ids[4] ?? 0] }, add: ['t'] });
    expect(page({ tag: 't' }).total).toBe(1);
  });

  it('refuses datasets that do not exist or are still importing', () => {
    expect(() => fx.curator.rows({ id: 'ds_nope', offset: 0, limit: 10 })).toThrow(/no dataset/);
    const importing = fx.addDataset([chat('a', 'b')], 'busy', 'importing');
    expect(() => fx.curator.rows({ id: importing, offset: 0, limit: 10 })).toThrow(/still importing/);
  });
});
