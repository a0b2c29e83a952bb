import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import { DatasetSearchRepository } from '../../../db/repositories/dataset-search-repository';
import {
  buildTestRow,
  type CurationFixture,
  chat,
  createCurationFixture,
} from '../../helpers/curation-fixture';

const HOSTILE = [
  '"',
  '""',
  '*',
  'NEAR(',
  'NEAR(a b, 2)',
  'a OR b',
  'NOT',
  'AND',
  '(',
  ')',
  '^hello',
  'text:hello',
  '{text roles}: x',
  "'; DROP TABLE dataset_rows; --",
  'hello"*',
  '\u0000',
  '🙂🙂',
  '-',
  '+',
  ':',
  'a'.repeat(500),
];

describe('row search (FTS5)', () => {
  let fx: CurationFixture;
  let id: string;

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset([
      chat('Hello world', 'Bonjour, the café is open'),
      chat('How do I sort a list in Python?', 'Use sorted(list) or list.sort().', 'You are terse.'),
      { text: 'A naïve approach to tokenisation' },
      chat('What is NEAR in SQLite?', 'A proximity operator: "near" queries.'),
      { raw: { instruction: 'broken row', stray: 42 } },
      chat('Where is the helloworld module?', 'In the standard library.'),
    ]);
  });
  afterEach(() => fx.cleanup());

  const search = (text: string, extra = {}) =>
    fx.curator.rows({ id, offset: 0, limit: 100, filter: { search: text, ...extra } });
  const indexes = (text: string, extra = {}) => search(text, extra).rows.map((r) => r.rowIndex);

  it('finds rows by any word of any message, ignoring case and diacritics', () => {
    expect(indexes('hello ')).toEqual([0]);
    expect(indexes('CAFE')).toEqual([0]);
    expect(indexes('naive')).toEqual([2]);
    expect(indexes('terse')).toEqual([1]);
    expect(indexes('python sort')).toEqual([1]);
    expect(search('python sort').total).toBe(1);
  });

  it('treats the last word as a prefix while it is being typed, and only then', () => {
    expect(indexes('hel')).toEqual([0, 5]);
    expect(indexes('hello')).toEqual([0, 5]);
    expect(indexes('hel ')).toEqual([]);
    expect(indexes('he')).toEqual([]);
    expect(indexes('standard libr')).toEqual([5]);
  });

  it('searches the original of rows that have no canonical form', () => {
    expect(indexes('broken')).toEqual([4]);
  });

  it('treats FTS5 syntax as plain words: quotes, stars, NEAR, AND/OR/NOT, columns, never an error', () => {
    expect(indexes('NEAR')).toEqual([3]);
    expect(indexes('near(')).toEqual([3]);
    expect(indexes('"near"')).toEqual([3]);
    expect(indexes('hello OR python')).toEqual([]);
    for (const text of HOSTILE) {
      expect(() => search(text), text).not.toThrow();
    }
    expect(fx.curator.rows({ id, offset: 0, limit: 10 }).total).toBe(6);
  });

  it('combines search with the role filter', () => {
    expect(indexes('', { role: 'system' })).toEqual([1]);
    expect(indexes('python', { role: 'system' })).toEqual([1]);
    expect(indexes('hello', { role: 'system' })).toEqual([]);
  });

  it('leaves deleted rows out of results unless deleted rows are asked for', async () => {
    const [first] = fx.rowIds(id);
    await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [first ?? 0] }, deleted: true });
    expect(indexes('hello ')).toEqual([]);
    expect(indexes('hel')).toEqual([5]);
    expect(indexes('hello ', { deleted: true })).toEqual([0]);
  });

  it('follows edits: old words disappear, new ones are found', () => {
    const ids = fx.rowIds(id);
    fx.curator.updateRow({
      datasetId: id,
      rowId: ids[0] ?? 0,
      canonical: {
        messages: [
          { role: 'user', content: 'Guten Tag' },
          { role: 'assistant', content: 'Servus' },
        ],
      },
    });
    expect(indexes('bonjour')).toEqual([]);
    expect(indexes('servus')).toEqual([0]);
  });

  it('keeps datasets apart even when their rows interleave in the id space', async () => {
    const rowsRepo = new DatasetRowsRepository(fx.db, fx.sqlite);
    const a = fx.datasets.create({
      name: 'a',
      format: 'jsonl',
      shape: 'chat',
      status: 'ready',
      sourceName: 'a',
    });
    const b = fx.datasets.create({
      name: 'b',
      format: 'jsonl',
      shape: 'chat',
      status: 'ready',
      sourceName: 'b',
    });
    for (let i = 0; i < 6; i++) {
      rowsRepo.insertBatch(a.id, [buildTestRow(chat(`alpha shared ${i}`, 'reply'), i)]);
      rowsRepo.insertBatch(b.id, [buildTestRow(chat(`beta shared ${i}`, 'reply'), i)]);
    }
    new DatasetSearchRepository(fx.sqlite).indexRows(a.id);
    new DatasetSearchRepository(fx.sqlite).indexRows(b.id);
    const page = fx.curator.rows({ id: a.id, offset: 0, limit: 100, filter: { search: 'shared' } });
    expect(page.total).toBe(6);
    expect(page.rows.every((r) => JSON.stringify(r.canonical).includes('alpha'))).toBe(true);
    expect(
      fx.curator
        .rows({ id: b.id, offset: 2, limit: 2, filter: { search: 'shar' } })
        .rows.map((r) => r.rowIndex),
    ).toEqual([2, 3]);
    expect(fx.curator.rows({ id, offset: 0, limit: 100, filter: { search: 'shared' } }).total).toBe(0);
  });

  it('indexes a dataset only once however often indexing runs', () => {
    new DatasetSearchRepository(fx.sqlite).indexRows(id);
    new DatasetSearchRepository(fx.sqlite).indexRows(id);
    expect(search('hello ').total).toBe(1);
  });
});
