/** The pure part of run comparison: which config keys differ, and each run's final and best figures. */
import type { JobDetail, MetricsResult } from '../../../../../preload/contract';

/** The most runs one comparison overlays (one colour each). */
export const MAX_COMPARE = 8;

/** A config value as the diff table shows it. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One row of the config diff: a key and its value in each run. */
export interface DiffRow {
  readonly key: string;
  readonly values: ReadonlyArray<string>;
}

/** The keys whose values are not the same in every run (config keys, model, GPUs), in key order. */
export function configDiff(jobs: ReadonlyArray<JobDetail>): DiffRow[] {
  const flat = jobs.map((job) => ({
    ...Object.fromEntries(Object.entries(job.config).map(([k, v]) => [k, show(v)])),
    gpus: job.gpuIndices.length > 0 ? job.gpuIndices.join(', ') : 'CPU',
  })) as Array<Record<string, string>>;
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((f) => f[key] ?? '–') }))
    .filter((row) => new Set(row.values).size > 1);
}

/** The figures of one run beside the others. */
export interface RunFigures {
  readonly finalLoss: number | null;
  readonly bestEval: { readonly value: number; readonly step: number | null } | null;
  readonly finalEval: number | null;
  readonly meanTokensPerS: number | null;
  readonly peakGpuMemoryGib: number | null;
  readonly steps: number;
}

/** Figures from a job and its full-range metrics (buckets keep every minimum and maximum exact). */
export function runFigures(job: JobDetail, metrics: MetricsResult | null): RunFigures {
  const series = (name: string) => metrics?.series.filter((s) => s.metric === name) ?? [];
  const evalSeries = series('eval_loss')[0];
  let best: RunFigures['bestEval'] = null;
  let finalEval: number | null = null;
  evalSeries?.value.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    finalEval = v;
    if (best === null || v < best.value) best = { value: v, step: evalSeries.step[i] ?? null };
  });
  let peak: number | null = null;
  for (const s of series('gpu.memory'))
    for (const v of s.value) if (v !== null && (peak === null || v > peak)) peak = v;
  return {
    finalLoss: job.lastLoss,
    bestEval: best,
    finalEval,
    meanTokensPerS: series('tokens_per_s')[0]?.mean ?? null,
    peakGpuMemoryGib: peak,
    steps: job.step,
  };
}

/** Parse `?ids=a,b,c` into 2–8 distinct ids, or say what is wrong. */
export function parseCompareIds(raw: string | null): { ids: string[] } | { problem: string } {
  const ids = [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length < 2) return { problem: 'Pick at least two runs in the job list to compare them.' };
  if (ids.length > MAX_COMPARE) return { problem: `At most ${MAX_COMPARE} runs can be compared at once.` };
  return { ids };
}
