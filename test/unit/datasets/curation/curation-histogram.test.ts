import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binCaseSql } from '../../../../db/repositories/dataset-row-filter-plan';
import { binIndex, histogramOf, niceEdges } from '../../../../main/datasets/curation/histogram';

describe('nice histogram edges', () => {
  it('uses 1-2-5 steps per decade for ranges spanning orders of magnitude', () => {
    expect(niceEdges(0, 1_000_000)).toEqual([
      0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000,
      500_000, 1_000_000,
    ]);
    expect(niceEdges(12, 4000)).toEqual([
      10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000,
    ]);
  });

  it('uses even whole-number steps for narrow ranges', () => {
    expect(niceEdges(100, 150)).toEqual([100, 105, 110, 115, 120, 125, 130, 135, 140, 145, 150]);
    expect(niceEdges(3, 7)).toEqual([3, 4, 5, 6, 7]);
    expect(niceEdges(5, 5)).toEqual([5, 6]);
    expect(niceEdges(0, 0)).toEqual([0, 1]);
  });

  it('covers every value with at most ~20 ascending bins (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (a, b) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const edges = niceEdges(min, max);
          expect(edges.length - 1).toBeGreaterThanOrEqual(1);
          expect(edges.length - 1).toBeLessThanOrEqual(21);
          expect(edges[0]).toBeLessThanOrEqual(min);
          expect(edges.at(-1)).toBeGreaterThanOrEqual(max);
          for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] ?? 0);
        },
      ),
    );
  });

  it('puts values in [edge, next edge), the top edge in the last bin, as the SQL CASE does', () => {
    const edges = [0, 10, 20, 30];
    expect([0, 9, 10, 29, 30, 99, -5].map((v) => binIndex(v, edges))).toEqual([0, 0, 1, 2, 2, 2, 0]);
    expect(binCaseSql('x', edges)).toBe('CASE WHEN x < 10 THEN 0 WHEN x < 20 THEN 1 ELSE 2 END');
    expect(binCaseSql('x', [0, 1])).toBe('0');
    expect(histogramOf([0, 1, 1, 5, 100, 2000])).toEqual({
      edges: [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
      counts: [1, 2, 0, 1, 0, 0, 0, 1, 0, 0, 1],
    });
    expect(histogramOf([])).toEqual({ edges: [], counts: [] });
  });
});
