import type { ChartPoint } from './chart-types';

/**
 * Exponential moving average as TensorBoard smooths curves: debiased so the start is not pulled
 * towards zero; gaps (null) stay gaps and do not reset the average.
 */
export function emaSmooth(points: ReadonlyArray<ChartPoint>, weight: number): ChartPoint[] {
  if (weight <= 0) return points.slice();
  let last = 0;
  let n = 0;
  const out = new Array<ChartPoint>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p.y === null || !Number.isFinite(p.y)) {
      out[i] = p;
      continue;
    }
    last = last * weight + (1 - weight) * p.y;
    n++;
    const debias = 1 - weight ** n;
    out[i] = { ...p, y: last / debias };
  }
  return out;
}
