/**
 * `jobs.metrics`: a job's metric and GPU series over a range, at most `maxPoints` per series. A range
 * that holds more points is cut into buckets (at most `maxPoints / 2`) and each bucket gives its
 * lowest and its highest point, so spikes and dips survive; a range that fits is returned point for
 * point, which is what a zoomed chart asks for. Metric series come from the per-job rollup
 * (metrics-rollup-read.ts: power-of-two step buckets, the current curve and the superseded points
 * of a resumed run apart); GPU series are bucketed along time from their samples (about 1 Hz).
 */
import type {
  BucketPlan,
  BucketPoint,
  GpuColumn,
  MetricBucketsRepository,
  RangePoint,
  SeriesExtent,
} from '../../db/repositories/metric-buckets-repository';
import type { MetricRollupRepository } from '../../db/repositories/metric-rollup-repository';
import {
  GPU_METRICS,
  type MetricSeries,
  type MetricsQuery,
  type MetricsResult,
} from '../../preload/contract';
import { type ReadRange, readCurve, segmentsOf } from './metrics-rollup-read';

/** Points per series when the query does not say. */
export const DEFAULT_MAX_POINTS = 2000;

const GPU_UNITS: Readonly<Record<GpuColumn, string>> = {
  'gpu.utilization': '%',
  'gpu.memory': 'GiB',
  'gpu.temperature': '°C',
  'gpu.power': 'W',
};

/** Units of the trainer's metrics the charts label (the others are plain numbers). */
const METRIC_UNITS: Readonly<Record<string, string>> = { tokens_per_s: 'tok/s' };

const MAX_X = Number.MAX_SAFE_INTEGER;

/** Merge the per-bucket minima and maxima into one series in x order (one point where they coincide). */
export function mergeExtremes(
  minima: ReadonlyArray<BucketPoint>,
  maxima: ReadonlyArray<BucketPoint>,
  x: 'step' | 'ts',
): RangePoint[] {
  const byBucket = new Map<number, BucketPoint[]>();
  for (const point of [...minima, ...maxima]) {
    const list = byBucket.get(point.bucket);
    if (list === undefined) byBucket.set(point.bucket, [point]);
    else if (list[0]!.ts !== point.ts || list[0]!.step !== point.step) list.push(point);
  }
  const key = (p: RangePoint) => (x === 'step' ? (p.step ?? p.ts) : p.ts);
  const out: RangePoint[] = [];
  for (const bucket of [...byBucket.keys()].sort((a, b) => a - b)) {
    const points = byBucket.get(bucket)!.sort((a, b) => key(a) - key(b));
    for (const p of points) out.push({ step: p.step, ts: p.ts, value: p.value });
  }
  return out;
}

/** The bucket plan for an extent along an axis, or null when the points fit the budget as they are. */
export function planBuckets(extent: SeriesExtent, x: 'step' | 'ts', maxPoints: number): BucketPlan | null {
  if (extent.count <= maxPoints) return null;
  const lo = x === 'step' ? extent.minStep : extent.minTs;
  const hi = x === 'step' ? extent.maxStep : extent.maxTs;
  if (lo === null || hi === null) return null;
  return { x, lo, span: hi - lo + 1, buckets: Math.max(1, Math.floor(maxPoints / 2)) };
}

function columns(points: ReadonlyArray<RangePoint>): Pick<MetricSeries, 'step' | 'ts' | 'value'> {
  const step = new Array<number | null>(points.length);
  const ts = new Array<number>(points.length);
  const value = new Array<number | null>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    step[i] = p.step;
    ts[i] = p.ts;
    value[i] = p.value === null || Number.isFinite(p.value) ? p.value : null;
  }
  return { step, ts, value };
}

type GpuRow = ReadonlyArray<number | null>;

function gpuColumn(rows: ReadonlyArray<GpuRow>, column: number): RangePoint[] {
  return rows.map((row) => ({ step: null, ts: row[0]!, value: row[column] ?? null }));
}

function meanOf(rows: ReadonlyArray<GpuRow>, column: number): number | null {
  let sum = 0;
  let n = 0;
  for (const row of rows) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    sum += value;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/** The same min/max buckets as SQLite cuts for metrics, in one pass over a GPU's samples. */
export function bucketGpuColumn(rows: ReadonlyArray<GpuRow>, column: number, plan: BucketPlan): RangePoint[] {
  const minima: BucketPoint[] = [];
  const maxima: BucketPoint[] = [];
  for (const row of rows) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const ts = row[0]!;
    const bucket = Math.floor(((ts - plan.lo) * plan.buckets) / plan.span);
    const low = minima.at(-1);
    if (low === undefined || low.bucket !== bucket) {
      minima.push({ bucket, step: null, ts, value });
      maxima.push({ bucket, step: null, ts, value });
      continue;
    }
    if (value < low.value!) minima[minima.length - 1] = { bucket, step: null, ts, value };
    if (value > maxima.at(-1)!.value!) maxima[maxima.length - 1] = { bucket, step: null, ts, value };
  }
  return mergeExtremes(minima, maxima, 'ts');
}

/** Read a job's series for a chart; the caller has checked that the job exists. */
export function queryMetrics(
  repo: MetricBucketsRepository,
  rollup: MetricRollupRepository,
  query: MetricsQuery,
): MetricsResult {
  const jobId = query.id;
  const xAxis = query.xAxis ?? 'step';
  const x = xAxis === 'step' ? 'step' : 'ts';
  const maxPoints = query.maxPoints ?? DEFAULT_MAX_POINTS;
  const timeLimited = query.fromTs !== undefined || query.toTs !== undefined;
  const range: ReadRange = {
    fromStep: query.fromStep ?? 0,
    toStep: query.toStep ?? MAX_X,
    fromTs: query.fromTs ?? 0,
    toTs: query.toTs ?? MAX_X,
    timeLimited,
  };
  const allNames = repo.metricNames(jobId);
  const names = (query.names ?? allNames).filter((name) => !name.startsWith('_'));
  const series: MetricSeries[] = [];
  // A step range limits the GPU series to the time those steps took.
  let gpuFrom = range.fromTs;
  let gpuTo = range.toTs;
  const stepLimited = query.fromStep !== undefined || query.toStep !== undefined;
  let stepTimeLo = Number.POSITIVE_INFINITY;
  let stepTimeHi = Number.NEGATIVE_INFINITY;
  const jobSpans = rollup.jobSpans(jobId);
  for (const name of names) {
    const { current, superseded } = segmentsOf(
      jobSpans,
      rollup.seriesSpans(jobId, name),
      range.fromStep,
      range.toStep,
    );
    const curve = readCurve(rollup, jobId, name, current, range, x, maxPoints);
    if (curve.firstTs !== null) stepTimeLo = Math.min(stepTimeLo, curve.firstTs);
    if (curve.lastTs !== null) stepTimeHi = Math.max(stepTimeHi, curve.lastTs);
    const old =
      superseded.length === 0
        ? null
        : readCurve(rollup, jobId, name, superseded, range, x, Math.max(200, Math.floor(maxPoints / 4)));
    series.push({
      metric: name,
      gpuIndex: null,
      unit: METRIC_UNITS[name] ?? null,
      total: curve.total,
      downsampled: curve.downsampled,
      mean: curve.mean,
      ...columns(curve.step.map((step, i) => ({ step, ts: curve.ts[i]!, value: curve.value[i]! }))),
      ...(old !== null && old.total > 0
        ? {
            superseded: {
              total: old.total,
              fromStep: old.firstStep!,
              toStep: old.lastStep!,
              attempts: [...new Set(superseded.map((seg) => seg.attempt))],
              step: old.step,
              ts: old.ts,
              value: old.value,
            },
          }
        : {}),
    });
  }

  if (query.gpu !== false) {
    if (stepLimited && stepTimeLo <= stepTimeHi) {
      gpuFrom = Math.max(gpuFrom, stepTimeLo);
      gpuTo = Math.min(gpuTo, stepTimeHi);
    }
    for (const gpuIndex of repo.gpuIndices(jobId)) {
      const rows = repo.gpuRows(jobId, gpuIndex, gpuFrom, gpuTo);
      const first = rows[0]?.[0] ?? 0;
      const last = rows.at(-1)?.[0] ?? 0;
      const plan = planBuckets(
        { count: rows.length, minStep: null, maxStep: null, minTs: first, maxTs: last, mean: null },
        'ts',
        maxPoints,
      );
      GPU_METRICS.forEach((metric, column) => {
        const points = plan === null ? gpuColumn(rows, column + 1) : bucketGpuColumn(rows, column + 1, plan);
        series.push({
          metric,
          gpuIndex,
          unit: GPU_UNITS[metric],
          total: rows.length,
          downsampled: plan !== null,
          mean: meanOf(rows, column + 1),
          ...columns(points),
        });
      });
    }
  }
  return { xAxis, startTs: repo.startTs(jobId, allNames), series };
}
