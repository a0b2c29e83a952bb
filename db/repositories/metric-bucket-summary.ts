/**
 * What a step bucket of a metric series says about its points, and how two such summaries (or a
 * summary and a point) merge: in any order to the same answer, with the SQL's tie rule.
 */

/** One point a bucket reports (the holder of its lowest or highest value). */
export interface ExtremePoint {
  readonly step: number;
  readonly ts: number;
  readonly value: number;
}

/** What a step bucket says about its points: how many, their sum, and its extremes. */
export interface BucketSummary {
  bucket: number;
  count: number;
  valueCount: number;
  sum: number;
  firstStep: number;
  lastStep: number;
  tsLo: number;
  tsHi: number;
  min: ExtremePoint | null;
  max: ExtremePoint | null;
}

/** A new bucket summary of one point. */
export function summaryOf(bucket: number, step: number, ts: number, value: number | null): BucketSummary {
  const extreme = value === null ? null : { step, ts, value };
  return {
    bucket,
    count: 1,
    valueCount: value === null ? 0 : 1,
    sum: value ?? 0,
    firstStep: step,
    lastStep: step,
    tsLo: ts,
    tsHi: ts,
    min: extreme,
    max: extreme,
  };
}

/** The lower of two extremes (ties: the lower step), the same rule as the SQL `ORDER BY value, step`. */
function lower(a: ExtremePoint | null, b: ExtremePoint | null): ExtremePoint | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.value < a.value || (b.value === a.value && b.step < a.step) ? b : a;
}

function higher(a: ExtremePoint | null, b: ExtremePoint | null): ExtremePoint | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.value > a.value || (b.value === a.value && b.step < a.step) ? b : a;
}

/** Fold `b` into `a` (same bucket): summaries merge in any order to the same answer. */
export function mergeInto(a: BucketSummary, b: BucketSummary): void {
  a.count += b.count;
  a.valueCount += b.valueCount;
  a.sum += b.sum;
  a.firstStep = Math.min(a.firstStep, b.firstStep);
  a.lastStep = Math.max(a.lastStep, b.lastStep);
  a.tsLo = Math.min(a.tsLo, b.tsLo);
  a.tsHi = Math.max(a.tsHi, b.tsHi);
  a.min = lower(a.min, b.min);
  a.max = higher(a.max, b.max);
}

/** Fold one point into a summary. */
export function addPoint(a: BucketSummary, step: number, ts: number, value: number | null): void {
  a.count += 1;
  if (step < a.firstStep) a.firstStep = step;
  if (step > a.lastStep) a.lastStep = step;
  if (ts < a.tsLo) a.tsLo = ts;
  if (ts > a.tsHi) a.tsHi = ts;
  if (value === null) return;
  a.valueCount += 1;
  a.sum += value;
  // The same rule as lower()/higher(), without a new object for a point that changes nothing
  // (this runs for every point at every level on the ingest path).
  const { min, max } = a;
  if (min === null || value < min.value || (value === min.value && step < min.step))
    a.min = { step, ts, value };
  if (max === null || value > max.value || (value === max.value && step < max.step))
    a.max = { step, ts, value };
}
