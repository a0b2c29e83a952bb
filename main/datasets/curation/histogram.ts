/** Bins with "nice" edges for lengths (characters, tokens), shared by dataset and token statistics. */
export interface Histogram {
  /** Bin boundaries, ascending; bin i holds edges[i] ≤ x < edges[i+1], the last bin also holds its top edge. */
  readonly edges: number[];
  readonly counts: number[];
}

const LOG_MANTISSAS: ReadonlyArray<ReadonlyArray<number>> = [[1, 1.5, 2, 3, 5, 7], [1, 2, 5], [1]];

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `x` (a whole number when asked). */
function niceStep(x: number, whole: boolean): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const fits = (m: number): boolean => m * power >= x - 1e-9 && (!whole || Number.isInteger(m * power));
  const step = ([1, 2, 2.5, 5, 10].find(fits) ?? 10) * power;
  return whole ? Math.max(1, Math.round(step)) : step;
}

/** Nice values m·10^k from the largest one ≤ max(lo, 1) to the first one above hi (0 first when lo < 1). */
function logEdges(lo: number, hi: number, mantissas: ReadonlyArray<number>): number[] {
  const from = Math.max(1, lo);
  const edges: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(from)); ; decade *= 10) {
    for (const m of mantissas) {
      const edge = Math.round(m * decade * 1e6) / 1e6;
      if (edge <= from) {
        edges.length = 0;
        edges.push(edge);
        continue;
      }
      edges.push(edge);
      if (edge >= hi) return lo < 1 ? [0, ...edges] : edges;
    }
  }
}

/**
 * About `targetBins` nice edges covering [min, max]: steps of 1-2-5 (or finer) per decade when the
 * range spans orders of magnitude, even steps (1, 2, 2.5, 5 × 10^k; whole numbers for counts)
 * otherwise. Lengths are never negative, so the edges start at 0 at the lowest.
 */
export function niceEdges(min: number, max: number, targetBins = 20, wholeNumbers = true): number[] {
  const lo = Math.max(0, Math.min(min, max));
  const hi = Math.max(min, max, 0);
  if (!(hi > lo)) return [lo, lo + (wholeNumbers ? 1 : Math.max(1e-9, Math.abs(lo) * 1e-9))];
  if (hi / Math.max(lo, 1) >= 50) {
    for (const mantissas of LOG_MANTISSAS) {
      const edges = logEdges(lo, hi, mantissas);
      if (edges.length - 1 <= targetBins || mantissas.length === 1) return edges;
    }
  }
  const step = niceStep((hi - lo) / targetBins, wholeNumbers);
  const start = Math.floor(lo / step) * step;
  const edges = [start];
  while ((edges.at(-1) ?? hi) < hi) edges.push(Math.round(((edges.at(-1) ?? 0) + step) * 1e9) / 1e9);
  return edges;
}

/** The bin of a value; values outside the edges go to the first or last bin. */
export function binIndex(value: number, edges: ReadonlyArray<number>): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((edges[mid] ?? 0) <= value) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/** Count values into nice bins (computed from their range when no edges are given). */
export function histogramOf(values: ArrayLike<number>, edges?: ReadonlyArray<number>): Histogram {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) return { edges: [], counts: [] };
  const bins = edges ? [...edges] : niceEdges(min, max);
  const counts = new Array<number>(Math.max(1, bins.length - 1)).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = binIndex(values[i] ?? 0, bins);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return { edges: bins, counts };
}
