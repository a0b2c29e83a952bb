/**
 * What the job page's charts show, kept outside React: the series of the last full-range
 * `jobs.metrics` answer plus the live points appended since, the figures beside the charts, and the
 * conversion of stored points (step, ts) into chart points on the chosen x axis.
 */
import type { MetricSeries, MetricsResult } from '../../../../../preload/contract';
import { seriesColor } from '../../../components/chart/chart-colors';
import type { ChartPoint, ChartSeries, XKind } from '../../../components/chart/chart-types';

/** One chart of the job page. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string | null;
  /** Metric names it draws, or the GPU field it draws one line per GPU of. */
  readonly metrics: ReadonlyArray<string>;
  readonly gpu: boolean;
  readonly allowLog: boolean;
}

/** The job page's charts, in order. */
export const JOB_CHARTS: ReadonlyArray<ChartSpec> = [
  { id: 'loss', title: 'Loss', unit: null, metrics: ['loss', 'eval_loss'], gpu: false, allowLog: true },
  {
    id: 'learning_rate',
    title: 'Learning rate',
    unit: null,
    metrics: ['learning_rate'],
    gpu: false,
    allowLog: true,
  },
  { id: 'grad_norm', title: 'Gradient norm', unit: null, metrics: ['grad_norm'], gpu: false, allowLog: true },
  {
    id: 'tokens_per_s',
    title: 'Throughput',
    unit: 'tok/s',
    metrics: ['tokens_per_s'],
    gpu: false,
    allowLog: false,
  },
  {
    id: 'gpu.utilization',
    title: 'GPU utilisation',
    unit: '%',
    metrics: ['gpu.utilization'],
    gpu: true,
    allowLog: false,
  },
  {
    id: 'gpu.memory',
    title: 'GPU memory used',
    unit: 'GiB',
    metrics: ['gpu.memory'],
    gpu: true,
    allowLog: false,
  },
  {
    id: 'gpu.temperature',
    title: 'GPU temperature',
    unit: '°C',
    metrics: ['gpu.temperature'],
    gpu: true,
    allowLog: false,
  },
  { id: 'gpu.power', title: 'GPU power', unit: 'W', metrics: ['gpu.power'], gpu: true, allowLog: false },
];

const LABELS: Readonly<Record<string, string>> = {
  loss: 'train loss',
  eval_loss: 'eval loss',
  learning_rate: 'learning rate',
  grad_norm: 'grad norm',
  tokens_per_s: 'tokens/s',
};

/** Stored points of one series, in columns as the core sends them. */
export interface StoredSeries {
  readonly metric: string;
  readonly gpuIndex: number | null;
  step: Array<number | null>;
  ts: number[];
  value: Array<number | null>;
  mean: number | null;
  total: number;
  /** Points of earlier attempts a resume re-ran (full-range answers only). */
  superseded?: MetricSeries['superseded'];
}

/** The figures beside the charts. */
export interface ChartStats {
  readonly currentTokensPerS: number | null;
  readonly meanTokensPerS: number | null;
  readonly peakGpuMemoryGib: number | null;
  readonly bestEval: { readonly value: number; readonly step: number | null } | null;
}

/** The map key of a series. */
export function seriesKey(metric: string, gpuIndex: number | null): string {
  return gpuIndex === null ? metric : `${metric}#${gpuIndex}`;
}

/** A series' label in a legend: "train loss", "GPU 1". */
export function seriesLabel(metric: string, gpuIndex: number | null): string {
  return gpuIndex !== null ? `GPU ${gpuIndex}` : (LABELS[metric] ?? metric);
}

/** The step a moment of the run corresponds to, interpolated between logged steps (null outside). */
export function makeStepAt(
  steps: ReadonlyArray<number | null>,
  ts: ReadonlyArray<number>,
): (t: number) => number | null {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < ts.length; i++) {
    const step = steps[i];
    if (step !== null && step !== undefined && (pairs.length === 0 || ts[i]! >= pairs.at(-1)![0])) {
      pairs.push([ts[i]!, step]);
    }
  }
  return (t) => {
    if (pairs.length === 0 || t < pairs[0]![0] || t > pairs.at(-1)![0]) return null;
    let lo = 0;
    let hi = pairs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (pairs[mid]![0] <= t) lo = mid;
      else hi = mid;
    }
    const [t0, s0] = pairs[lo]!;
    const [t1, s1] = pairs[hi]!;
    return t1 === t0 ? s0 : s0 + ((t - t0) / (t1 - t0)) * (s1 - s0);
  };
}

/** Stored columns as chart points on an x axis; GPU samples get their step by interpolation. */
export function toChartPoints(
  s: Pick<StoredSeries, 'step' | 'ts' | 'value'>,
  xKind: XKind,
  startTs: number | null,
  stepAt: (t: number) => number | null,
  from = 0,
): ChartPoint[] {
  const out: ChartPoint[] = [];
  const origin = startTs ?? s.ts[0] ?? 0;
  for (let i = from; i < s.ts.length; i++) {
    const ts = s.ts[i]!;
    const step = s.step[i] ?? null;
    const x = xKind === 'elapsed' ? (ts - origin) / 1000 : (step ?? stepAt(ts));
    if (x === null) continue;
    out.push({ x, y: s.value[i] ?? null, step: step ?? null, ts });
  }
  return out;
}

/** The key of the faded line of a series' superseded points. */
export const supersededKey = (key: string) => `${key}~superseded`;

/** The chart series of a spec from a set of series (a full answer or a zoomed one). */
export function chartSeriesOf(
  spec: ChartSpec,
  series: Iterable<Pick<StoredSeries, 'metric' | 'gpuIndex' | 'step' | 'ts' | 'value' | 'superseded'>>,
  xKind: XKind,
  startTs: number | null,
  stepAt: (t: number) => number | null,
): ChartSeries[] {
  const out: ChartSeries[] = [];
  for (const s of series) {
    if (!spec.metrics.includes(s.metric)) continue;
    const colorIndex = s.gpuIndex ?? spec.metrics.indexOf(s.metric);
    out.push({
      key: seriesKey(s.metric, s.gpuIndex),
      label: seriesLabel(s.metric, s.gpuIndex),
      color: seriesColor(colorIndex),
      showPoints: s.metric === 'eval_loss',
      points: toChartPoints(s, xKind, startTs, stepAt),
    });
    const old = s.superseded;
    if (old !== undefined && old.step.length > 0) {
      // Behind the current curve, faded and dashed: what the earlier attempt logged before the resume.
      out.push({
        key: supersededKey(seriesKey(s.metric, s.gpuIndex)),
        label: `${seriesLabel(s.metric, s.gpuIndex)}, superseded`,
        color: `${seriesColor(colorIndex)}66`,
        dash: [4, 3],
        showPoints: s.metric === 'eval_loss',
        points: toChartPoints(old, xKind, startTs, stepAt),
      });
    }
  }
  return out;
}

/** The note under the charts of a resumed run: which steps were re-run, and how they are drawn. */
export function supersededNote(series: Iterable<Pick<StoredSeries, 'metric' | 'superseded'>>): string | null {
  for (const s of series) {
    const old = s.superseded;
    if (s.metric !== 'loss' || old === undefined || old.total === 0) continue;
    const attempts =
      old.attempts.length === 1 ? `attempt ${old.attempts[0]}` : `attempts ${old.attempts.join(', ')}`;
    const steps =
      old.fromStep === old.toStep
        ? `step ${old.fromStep.toLocaleString()}`
        : `steps ${old.fromStep.toLocaleString()}–${old.toStep.toLocaleString()}`;
    return `Resumed run: ${steps} of ${attempts} were run again after the resume. The current curve shows the latest attempt; the earlier points (${old.total.toLocaleString()} on the loss) are kept, drawn faded and dashed.`;
  }
  return null;
}

function lastFinite(values: ReadonlyArray<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}

/** A job's chart data: loaded in full, then grown by live deltas. */
export class JobChartModel {
  readonly series = new Map<string, StoredSeries>();
  startTs: number | null = null;

  /** Set when a live answer re-runs steps the model holds (a resume): load the full range again. */
  resumed = false;

  /** Replace everything with a full-range answer. */
  load(result: MetricsResult): void {
    this.resumed = false;
    this.series.clear();
    this.startTs = result.startTs;
    for (const s of result.series) this.series.set(seriesKey(s.metric, s.gpuIndex), { ...s });
  }

  /** Where the next live query starts (ms): just after the oldest of each kind's newest point. */
  cursor(): number {
    let metric = 0;
    let gpu: number | null = null;
    for (const s of this.series.values()) {
      const last = s.ts.at(-1) ?? 0;
      if (s.gpuIndex === null) metric = Math.max(metric, last);
      else gpu = gpu === null ? last : Math.min(gpu, last);
    }
    return (gpu === null ? metric : Math.min(metric, gpu)) + 1;
  }

  /**
   * Add the points of a live answer that are newer than what each series holds; returns, per
   * series key, the index its new points start at (only series that grew).
   */
  append(result: MetricsResult): Map<string, number> {
    if (this.startTs === null) this.startTs = result.startTs;
    const grown = new Map<string, number>();
    for (const s of result.series) {
      const key = seriesKey(s.metric, s.gpuIndex);
      let stored = this.series.get(key);
      if (stored === undefined) {
        stored = {
          metric: s.metric,
          gpuIndex: s.gpuIndex,
          step: [],
          ts: [],
          value: [],
          mean: null,
          total: 0,
        };
        this.series.set(key, stored);
      }
      const start = stored.ts.length;
      const lastStep = stored.step.at(-1) ?? null;
      const lastTs = stored.ts.at(-1) ?? Number.NEGATIVE_INFINITY;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < s.ts.length; i++) {
        const step = s.step[i] ?? null;
        const newer = step !== null && lastStep !== null ? step > lastStep : s.ts[i]! > lastTs;
        if (!newer) {
          // A later point at a step already held: a resumed attempt is re-running steps.
          if (step !== null && s.ts[i]! > lastTs) this.resumed = true;
          continue;
        }
        stored.step.push(step);
        stored.ts.push(s.ts[i]!);
        const value = s.value[i] ?? null;
        stored.value.push(value);
        if (value !== null) {
          sum += value;
          n++;
        }
      }
      if (n > 0) {
        stored.mean = ((stored.mean ?? 0) * stored.total + sum) / (stored.total + n);
        stored.total += n;
      }
      if (stored.ts.length > start) grown.set(key, start);
    }
    return grown;
  }

  /** The step at a moment, from the train-loss series (the one logged most often). */
  stepAt(): (t: number) => number | null {
    const loss = this.series.get('loss');
    return loss ? makeStepAt(loss.step, loss.ts) : () => null;
  }

  /** True when a chart has any point to draw. */
  has(spec: ChartSpec): boolean {
    for (const s of this.series.values()) if (spec.metrics.includes(s.metric) && s.ts.length > 0) return true;
    return false;
  }

  /** The figures beside the charts, from every point loaded (min/max buckets keep peaks exact). */
  stats(): ChartStats {
    const tps = this.series.get('tokens_per_s');
    let peak: number | null = null;
    let best: ChartStats['bestEval'] = null;
    for (const s of this.series.values()) {
      if (s.metric === 'gpu.memory') {
        for (const v of s.value) if (v !== null && (peak === null || v > peak)) peak = v;
      }
      if (s.metric === 'eval_loss') {
        s.value.forEach((v, i) => {
          if (v !== null && Number.isFinite(v) && (best === null || v < best.value))
            best = { value: v, step: s.step[i] ?? null };
        });
      }
    }
    return {
      currentTokensPerS: tps ? lastFinite(tps.value) : null,
      meanTokensPerS: tps?.mean ?? null,
      peakGpuMemoryGib: peak,
      bestEval: best,
    };
  }
}
