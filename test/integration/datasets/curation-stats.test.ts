import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CurationFixture, chat, createCurationFixture } from '../../helpers/curation-fixture';
import { waitFor } from '../../helpers/temp-dir';

describe('dataset statistics', () => {
  let fx: CurationFixture;
  let id: string;

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset([
      chat('aaaa', 'bbbbb'), // 10 chars, 2 turns
      chat('cc', 'dddddd', 'sys'), // 3+1+2+1+6 = 13 chars, 3 turns
      { text: 'x'.repeat(1000) }, // 1000 chars, 0 turns
      { messages: [{ role: 'user', content: 'no reply' }] }, // 8 chars, 1 turn, invalid
      { raw: 'nothing' }, // 0 chars, 0 turns, invalid
      { raw: 'nothing either' },
    ]);
  });
  afterEach(() => fx.cleanup());

  it('counts rows, roles, turns, characters (with a histogram), splits and problems', () => {
    const stats = fx.curator.refreshStats(id);
    expect(stats).toMatchObject({
      rows: 6,
      valid: 3,
      invalid: 3,
      deleted: 0,
      roles: { system: 1, user: 3, assistant: 2 },
      turns: { min: 0, max: 3, mean: 1 },
      split: { train: 0, val: 0, unsplit: 6 },
      tokens: null,
    });
    expect(stats.chars.min).toBe(0);
    expect(stats.chars.max).toBe(1000);
    expect(stats.chars.mean).toBeCloseTo((10 + 13 + 1000 + 8) / 6, 6);
    const { edges, counts } = stats.chars.histogram;
    expect(edges[0]).toBe(0);
    expect(edges.at(-1)).toBeGreaterThanOrEqual(1000);
    expect(counts.length).toBe(edges.length - 1);
    expect(counts.length).toBeLessThanOrEqual(20);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    // Bins are [edge, next edge); the last one also holds its top edge.
    const binOf = (n: number) =>
      Math.min(
        counts.length - 1,
        edges.findLastIndex((e) => n >= e),
      );
    expect(counts[binOf(0)]).toBe(2);
    expect(counts[binOf(1000)]).toBe(1);
    // "line 5: not a row" and "line 6: not a row" are one kind of problem.
    expect(stats.problems).toEqual([
      { message: 'not a row', count: 2 },
      { message: 'no assistant message: there is nothing to learn from', count: 1 },
    ]);
  });

  it('stores statistics, marks them stale on change, and recomputes them when next read', async () => {
    fx.curator.refreshStats(id);
    const stored = () => JSON.parse(fx.datasets.get(id)?.statsJson ?? '{}') as Record<string, unknown>;
    expect(stored().rows).toBe(6);
    await fx.curator.setDeleted({ selection: { datasetId: id, filter: { valid: false } }, deleted: true });
    expect(stored()).toMatchObject({ stale: true, rows: 6 });
    const stats = fx.curator.get(id).stats;
    expect(stats).toMatchObject({ rows: 3, valid: 3, invalid: 0, deleted: 3, problems: [] });
    expect(stored().rows).toBe(3);
    expect(stored().stale).toBeUndefined();
  });

  it('answers with the last statistics of a big dataset at once and recomputes them shortly after', async () => {
    fx.curator.refreshStats(id);
    // Counts as big: the catalog decides by the dataset's live row count.
    fx.sqlite.prepare('UPDATE datasets SET row_count = 1000000 WHERE id = ?').run(id);
    await fx.curator.setDeleted({ selection: { datasetId: id, filter: { valid: false } }, deleted: true });
    fx.pushed.length = 0;
    expect(fx.curator.get(id).stats.rows).toBe(6);
    expect(fx.curator.get(id).stats.rows).toBe(6);
    await waitFor(() => fx.pushed.some((e) => e.name === 'changed'), { what: 'the statistics refresh' });
    expect(fx.pushed.filter((e) => e.name === 'changed')).toHaveLength(1);
    expect(fx.curator.get(id).stats).toMatchObject({ rows: 3, deleted: 3 });
  });

  it('counts splits and gives an empty dataset empty statistics', async () => {
    await fx.curator.split({ id, valCount: 1, seed: 7 });
    expect(fx.curator.get(id).stats.split).toEqual({ train: 2, val: 1, unsplit: 3 });
    const empty = fx.addDataset([], 'empty');
    expect(fx.curator.get(empty).stats).toMatchObject({
      rows: 0,
      roles: {},
      chars: { min: 0, max: 0, mean: 0, histogram: { edges: [], counts: [] } },
    });
  });
});
