/** The Costs page's figures from a list of job costs: totals, per day, month, dataset, base model. */
import { basename } from 'node:path';
import type { BudgetStatus, CostsReport, CostTotals, JobCost } from '../../preload/contract';
import { dayKey, monthKey } from './cost-rates';

type Bucket = CostsReport['byDay'][number];

const ZERO: CostTotals = { energyWh: 0, gpuHours: 0, cost: 0, amortisationCost: 0, cloudCost: 0 };

function add(total: CostTotals, job: JobCost): CostTotals {
  return {
    energyWh: total.energyWh + job.energyWh,
    gpuHours: total.gpuHours + job.gpuHours,
    cost: total.cost + job.cost,
    amortisationCost: total.amortisationCost + job.amortisationCost,
    cloudCost: total.cloudCost + (job.cloudCost ?? 0),
  };
}

function bucketBy(
  jobs: ReadonlyArray<JobCost>,
  keyOf: (job: JobCost) => { key: string; label: string },
  order: 'key' | 'cost',
): Bucket[] {
  const map = new Map<string, Bucket>();
  for (const job of jobs) {
    const { key, label } = keyOf(job);
    const prev = map.get(key) ?? { key, label, ...ZERO };
    map.set(key, { ...prev, ...add(prev, job) });
  }
  const buckets = [...map.values()];
  return order === 'key'
    ? buckets.sort((a, b) => a.key.localeCompare(b.key))
    : buckets.sort((a, b) => b.cost + b.amortisationCost - (a.cost + a.amortisationCost));
}

/** Aggregate job costs; a job counts on the day it ended (or today while it runs). */
export function buildCostsReport(
  jobs: ReadonlyArray<JobCost>,
  budget: BudgetStatus,
  now: number,
): CostsReport {
  const when = (job: JobCost) => job.endedAt ?? now;
  return {
    jobs: [...jobs],
    total: jobs.reduce(add, ZERO),
    currency: budget.currency,
    byDay: bucketBy(jobs, (j) => ({ key: dayKey(when(j)), label: dayKey(when(j)) }), 'key'),
    byMonth: bucketBy(jobs, (j) => ({ key: monthKey(when(j)), label: monthKey(when(j)) }), 'key'),
    byDataset: bucketBy(
      jobs,
      (j) => ({ key: j.datasetLabel ?? '', label: j.datasetLabel ?? 'no dataset' }),
      'cost',
    ),
    byBaseModel: bucketBy(
      jobs,
      (j) => ({ key: j.baseModelPath, label: basename(j.baseModelPath) || j.baseModelPath }),
      'cost',
    ),
    budget,
  };
}

/** CSV of job costs (RFC 4180 quoting), one line per job. */
export function costsCsv(jobs: ReadonlyArray<JobCost>): string {
  const head = [
    'job_id',
    'job_name',
    'status',
    'dataset',
    'base_model',
    'gpu',
    'started_at',
    'ended_at',
    'energy_wh',
    'gpu_hours',
    'price_per_kwh',
    'cost',
    'amortisation',
    'cloud_equivalent',
    'currency',
  ];
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const lines = jobs.map((j) =>
    [
      j.jobId,
      j.jobName,
      j.status,
      j.datasetLabel,
      j.baseModelPath,
      j.gpuName,
      iso(j.startedAt),
      iso(j.endedAt),
      j.energyWh.toFixed(3),
      j.gpuHours.toFixed(4),
      j.pricePerKwh,
      j.cost.toFixed(4),
      j.amortisationCost.toFixed(4),
      j.cloudCost === null ? null : j.cloudCost.toFixed(4),
      j.currency,
    ]
      .map(cell)
      .join(','),
  );
  return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
