import { describe, expect, it } from 'vitest';
import {
  countSql,
  type DatasetSpan,
  likePattern,
  pageIdsSql,
  planRows,
} from '../../../../db/repositories/dataset-row-filter-plan';
import { endsInWord, toFtsQuery } from '../../../../main/datasets/query/fts-query';

const SPAN: DatasetSpan = { lo: 1, hi: 100, contiguous: true, alone: true, hasDeleted: false };

describe('search text to an FTS5 query', () => {
  it('quotes every token, ANDs them, and makes the last a prefix while it is still being typed', () => {
    expect(toFtsQuery(['hello', 'world'], false)).toBe('"hello" "world"');
    expect(toFtsQuery(['hello', 'wor'], true)).toBe('"hello" "wor"*');
    expect(toFtsQuery(['hello', 'wo'], true)).toBe('"hello" "wo"');
    expect(toFtsQuery(['near', 'and', 'or', 'not'], false)).toBe('"near" "and" "or" "not"');
    expect(toFtsQuery(['a', 'a', 'b'], false)).toBe('"a" "b"');
    expect(toFtsQuery([], true)).toBeNull();
    expect(toFtsQuery(['bad"quote'], false)).toBeNull();
    expect(
      toFtsQuery(
        Array.from({ length: 40 }, (_, i) => `t${i}`),
        false,
      )?.split(' '),
    ).toHaveLength(16);
  });

  it('knows whether the last word is still being typed', () => {
    expect(endsInWord('hello wor')).toBe(true);
    expect(endsInWord('hello ')).toBe(false);
    expect(endsInWord('hello.')).toBe(false);
    expect(endsInWord('café')).toBe(true);
    expect(endsInWord('')).toBe(false);
  });

  it('escapes LIKE wildcards in problem text', () => {
    expect(likePattern('100%_done\\')).toBe('%100\\%\\_done\\\\%');
  });
});

describe('row filter plans', () => {
  it('counts a plain search from the index alone when the dataset is one contiguous, undeleted block', () => {
    const plan = planRows('ds', SPAN, {}, '"x"');
    expect(plan.from).toBe('dataset_rows_fts f');
    expect(plan.where).toEqual(['f.dataset_rows_fts MATCH @match']);
    expect(countSql(plan)).toBe(
      'SELECT count(*) FROM dataset_rows_fts f WHERE f.dataset_rows_fts MATCH @match',
    );
  });

  it('narrows the index to the dataset id range and leaves deleted rows out when needed', () => {
    const plan = planRows('ds', { ...SPAN, alone: false, hasDeleted: true }, {}, '"x"');
    expect(plan.where[1]).toBe('f.rowid BETWEEN @lo AND @hi');
    expect(plan.where[2]).toMatch(/NOT IN .*dataset_rows_deleted_idx/s);
  });

  it('joins search matches to the covering state index when other filters apply', () => {
    const plan = planRows('ds', SPAN, { valid: true, minChars: 3 }, '"x"');
    expect(plan.from).toMatch(
      /CROSS JOIN dataset_rows r INDEXED BY dataset_rows_state_idx ON r.id = f.rowid/,
    );
    expect(plan.where).toContain('r.valid = @valid');
    expect(plan.params).toMatchObject({ valid: 1, minChars: 3, match: '"x"' });
    expect(pageIdsSql(plan)).toMatch(/ORDER BY f.rowid LIMIT @limit OFFSET @offset$/);
  });

  it('drives from the smallest source: deleted rows, tagged rows, rows with problems, duplicates, or the id range', () => {
    expect(planRows('ds', SPAN, { deleted: true, tag: 't' }, null).from).toMatch(/dataset_rows_deleted_idx/);
    expect(planRows('ds', SPAN, { tag: 't', problem: 'p' }, null).from).toMatch(/dataset_rows_tagged_idx/);
    expect(planRows('ds', SPAN, { problem: 'p' }, null).from).toMatch(/dataset_rows_problems_idx/);
    expect(planRows('ds', SPAN, { duplicate: true }, null).from).toMatch(/dataset_rows_live_hash_idx/);
    const range = planRows('ds', SPAN, { split: 'unsplit' }, null);
    expect(range.where).toEqual([
      'r.id BETWEEN @lo AND @hi',
      'r.dataset_id = @ds',
      'r.deleted_at IS NULL',
      'r.split IS NULL',
    ]);
  });
});
