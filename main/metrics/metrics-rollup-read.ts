/**
 * One metric series for a chart, read from the rollup: the current curve (each attempt's points up
 * to where a later attempt resumed) cut into fixed-width step buckets, whole buckets from the
 * coarsest stored level that still gives the budget's detail, edge buckets that a range cuts from
 * the points themselves. Points of earlier attempts that a resume re-ran come back apart, as the
 * superseded curve, bucketed the same way.
 */
import {
  addPoint,
  type BucketSummary,
  type ExtremePoint,
  mergeInto,
  summaryOf,
} from '../../db/repositories/metric-bucket-summary';
import {
  type AttemptSpan,
  type MetricRollupRepository,
  ROLLUP_LEVELS,
} from '../../db/repositories/metric-rollup-repository';

/** One attempt's points in a step range. */
export interface Segment {
  readonly attempt: number;
  readonly lo: number;
  readonly hi: number;
  /** The series' own first and last step in this attempt (whether a bucket reaches past the range). */
  readonly first: number;
  readonly last: number;
}

/** The range a chart asks for (inclusive bounds). */
export interface ReadRange {
  readonly fromStep: number;
  readonly toStep: number;
  readonly fromTs: number;
  readonly toTs: number;
  /** True when fromTs/toTs were given: buckets are then cut along time from the points. */
  readonly timeLimited: boolean;
}

/** A bucketed (or point for point) curve with the figures of every point it stands for. */
export interface CurveRead {
  readonly step: number[];
  readonly ts: number[];
  readonly value: Array<number | null>;
  readonly total: number;
  readonly mean: number | null;
  readonly downsampled: boolean;
  readonly firstStep: number | null;
  readonly lastStep: number | null;
  readonly firstTs: number | null;
  readonly lastTs: number | null;
}

/** Where a later attempt starts, each attempt's points stop being current: its cut step. */
export function cutOf(jobSpans: ReadonlyArray<AttemptSpan>, attempt: number): number {
  let cut = Number.POSITIVE_INFINITY;
  for (const later of jobSpans) if (later.attempt > attempt) cut = Math.min(cut, later.firstStep);
  return cut;
}

/** The current and the superseded step ranges of one series, per attempt, within a range. */
export function segmentsOf(
  jobSpans: ReadonlyArray<AttemptSpan>,
  seriesSpans: ReadonlyArray<AttemptSpan>,
  fromStep: number,
  toStep: number,
): { current: Segment[]; superseded: Segment[] } {
  const current: Segment[] = [];
  const superseded: Segment[] = [];
  for (const span of seriesSpans) {
    const cut = cutOf(jobSpans, span.attempt);
    const lo = Math.max(fromStep, span.firstStep);
    const hi = Math.min(toStep, span.lastStep);
    const base = { attempt: span.attempt, first: span.firstStep, last: span.lastStep };
    if (lo <= Math.min(hi, cut - 1)) current.push({ ...base, lo, hi: Math.min(hi, cut - 1) });
    if (Math.max(lo, cut) <= hi) superseded.push({ ...base, lo: Math.max(lo, cut), hi });
  }
  return { current, superseded };
}

/** The narrowest power-of-two bucket width (as its exponent) that cuts [lo, hi] into at most `buckets`. */
export function widthLevel(lo: number, hi: number, buckets: number): number {
  let k = 0;
  while (Math.floor(hi / 2 ** k) - Math.floor(lo / 2 ** k) + 1 > buckets) k++;
  return k;
}

function fold(out: Map<number, BucketSummary>, s: BucketSummary): void {
  const have = out.get(s.bucket);
  if (have === undefined) out.set(s.bucket, { ...s });
  else mergeInto(have, s);
}

function foldPoints(
  out: Map<number, BucketSummary>,
  rows: ReadonlyArray<[number, number, number | null]>,
  bucketOf: (step: number, ts: number) => number,
): void {
  for (const [step, ts, value] of rows) {
    const bucket = bucketOf(step, ts);
    const have = out.get(bucket);
    if (have === undefined) out.set(bucket, summaryOf(bucket, step, ts, value));
    else addPoint(have, step, ts, value);
  }
}

/**
 * Fold one segment's buckets of width 2^k into `out`: whole buckets from the stored level at or
 * below k (merged 2^(k-level) at a time), a bucket the range cuts from its points.
 */
export function foldSegment(
  repo: MetricRollupRepository,
  jobId: string,
  name: string,
  seg: Segment,
  k: number,
  out: Map<number, BucketSummary>,
): void {
  const w = 2 ** k;
  const exact = (lo: number, hi: number) =>
    foldPoints(out, repo.points(jobId, name, seg.attempt, lo, hi, 0, Number.MAX_SAFE_INTEGER), (step) =>
      Math.floor(step / w),
    );
  const stored = ROLLUP_LEVELS.filter((level) => level <= k).at(-1);
  if (stored === undefined) {
    exact(seg.lo, seg.hi);
    return;
  }
  const factor = 2 ** (k - stored);
  const bLo = Math.floor(seg.lo / w);
  const bHi = Math.floor(seg.hi / w);
  // A bucket is whole when the range leaves none of this attempt's points in it out.
  const cutsLow = seg.lo > bLo * w && seg.lo > seg.first;
  const cutsHigh = seg.hi < (bHi + 1) * w - 1 && seg.hi < seg.last;
  if (bLo === bHi && (cutsLow || cutsHigh)) {
    exact(seg.lo, seg.hi);
    return;
  }
  if (cutsLow) exact(seg.lo, (bLo + 1) * w - 1);
  if (cutsHigh) exact(bHi * w, seg.hi);
  const from = cutsLow ? bLo + 1 : bLo;
  const to = cutsHigh ? bHi - 1 : bHi;
  if (from > to) return;
  for (const s of repo.buckets(jobId, name, seg.attempt, stored, from * factor, (to + 1) * factor - 1)) {
    fold(out, { ...s, bucket: Math.floor(s.bucket / factor) });
  }
}

function pushExtremes(
  out: { step: number[]; ts: number[]; value: Array<number | null> },
  s: BucketSummary,
  x: 'step' | 'ts',
): void {
  const pair: ExtremePoint[] = [];
  if (s.min !== null) pair.push(s.min);
  if (s.max !== null && (s.min === null || s.max.step !== s.min.step || s.max.ts !== s.min.ts))
    pair.push(s.max);
  pair.sort((a, b) => (x === 'step' ? a.step - b.step : a.ts - b.ts || a.step - b.step));
  for (const p of pair) {
    out.step.push(p.step);
    out.ts.push(p.ts);
    out.value.push(p.value);
  }
}

/** Turn buckets into a curve (min and max of each, in x order) with the totals of their points. */
function curveOf(
  buckets: Map<number, BucketSummary>,
  x: 'step' | 'ts',
  tsOf: (firstStep: number, lastStep: number) => [number | null, number | null],
): CurveRead {
  const ordered = [...buckets.values()].sort((a, b) => a.bucket - b.bucket);
  const out = { step: [] as number[], ts: [] as number[], value: [] as Array<number | null> };
  let total = 0;
  let values = 0;
  let sum = 0;
  for (const s of ordered) {
    total += s.count;
    values += s.valueCount;
    sum += s.sum;
    pushExtremes(out, s, x);
  }
  // Buckets along steps can still be out of time order (a resumed attempt's clock): sort by time.
  if (x === 'ts') {
    const order = out.ts
      .map((_, i) => i)
      .sort((a, b) => out.ts[a]! - out.ts[b]! || out.step[a]! - out.step[b]!);
    out.step = order.map((i) => out.step[i]!);
    out.value = order.map((i) => out.value[i]!);
    out.ts = order.map((i) => out.ts[i]!);
  }
  let firstStep: number | null = null;
  let lastStep: number | null = null;
  for (const s of ordered) {
    if (firstStep === null || s.firstStep < firstStep) firstStep = s.firstStep;
    if (lastStep === null || s.lastStep > lastStep) lastStep = s.lastStep;
  }
  const [firstTs, lastTs] =
    firstStep === null || lastStep === null ? [null, null] : tsOf(firstStep, lastStep);
  return {
    ...out,
    total,
    mean: values > 0 ? sum / values : null,
    downsampled: total > out.step.length,
    firstStep,
    lastStep,
    firstTs,
    lastTs,
  };
}

/** The time of the first and last step, from the attempts' segments that hold them. */
function tsReader(
  repo: MetricRollupRepository,
  jobId: string,
  name: string,
  segments: ReadonlyArray<Segment>,
) {
  const at = (step: number) => {
    const seg = segments.find((s) => s.lo <= step && step <= s.hi);
    return seg === undefined ? null : repo.tsAt(jobId, name, seg.attempt, step);
  };
  return (first: number, last: number): [number | null, number | null] => [at(first), at(last)];
}

/** Read the segments of one series as a curve of at most `maxPoints` points. */
export function readCurve(
  repo: MetricRollupRepository,
  jobId: string,
  name: string,
  segments: ReadonlyArray<Segment>,
  range: ReadRange,
  x: 'step' | 'ts',
  maxPoints: number,
): CurveRead {
  const buckets = new Map<number, BucketSummary>();
  const half = Math.max(1, Math.floor(maxPoints / 2));
  if (segments.length === 0) return curveOf(buckets, x, () => [null, null]);
  if (range.timeLimited) {
    // Along time there is no rollup: the range's points, then buckets over their time extent.
    const rows = segments.flatMap((seg) =>
      repo
        .stepRangesInTime(jobId, name, seg.attempt, seg.lo, seg.hi, range.fromTs, range.toTs)
        .flatMap(([lo, hi]) => repo.points(jobId, name, seg.attempt, lo, hi, range.fromTs, range.toTs)),
    );
    let tLo = Number.POSITIVE_INFINITY;
    let tHi = Number.NEGATIVE_INFINITY;
    let first: [number, number, number | null] | null = null;
    let last: [number, number, number | null] | null = null;
    for (const row of rows) {
      tLo = Math.min(tLo, row[1]);
      tHi = Math.max(tHi, row[1]);
      if (first === null || row[0] < first[0]) first = row;
      if (last === null || row[0] > last[0]) last = row;
    }
    if (first === null || last === null) return curveOf(buckets, x, () => [null, null]);
    const sLo = first[0];
    const sSpan = last[0] - first[0] + 1;
    const tSpan = tHi - tLo + 1;
    const bucketOf =
      rows.length <= maxPoints
        ? (step: number) => step
        : x === 'ts'
          ? (_step: number, ts: number) => Math.floor(((ts - tLo) * half) / tSpan)
          : (step: number) => Math.floor(((step - sLo) * half) / sSpan);
    foldPoints(buckets, rows, bucketOf);
    const ends: [number, number] = [first[1], last[1]];
    return curveOf(buckets, x, () => ends);
  }
  // Each segment narrowed to the points it holds (two index seeks), so the width depends on the
  // points in range, not on where a range happens to start.
  const held = segments.flatMap((seg) => {
    const extent = repo.stepExtent(jobId, name, seg.attempt, seg.lo, seg.hi);
    return extent === null ? [] : [{ ...seg, lo: extent[0], hi: extent[1] }];
  });
  if (held.length === 0) return curveOf(buckets, x, () => [null, null]);
  const lo = Math.min(...held.map((s) => s.lo));
  const hi = Math.max(...held.map((s) => s.hi));
  // Steps are unique on the current curve: a span within the budget is read point for point.
  const k = hi - lo + 1 <= maxPoints ? 0 : widthLevel(lo, hi, half);
  for (const seg of held) foldSegment(repo, jobId, name, seg, k, buckets);
  return curveOf(buckets, x, tsReader(repo, jobId, name, held));
}
