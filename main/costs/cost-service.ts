/**
 * Energy and cost of jobs: integrates a job's stored GPU power samples into Wh and GPU-hours,
 * prices them with the Settings in force (electricity, amortisation, cloud reference), keeps one
 * cost record per job (open while it runs, final once it ended), and watches the monthly budget.
 */
import type { Clock } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { type CostRecordRow, CostRecordsRepository } from '../../db/repositories/cost-records-repository';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { GpuSamplesRepository } from '../../db/repositories/gpu-samples-repository';
import { type TrainingJobRow, TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { BudgetStatus, CostEstimate, JobCost, Settings } from '../../preload/contract';
import { AppError } from '../errors';
import { gpuIndicesOf } from '../training/job-queue';
import { moneyText, monthKey, priceRun, reachedThresholds, startOfMonth } from './cost-rates';
import { integrateEnergy } from './energy';

export interface CostServiceDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly settings: () => Readonly<Settings>;
  readonly now: Clock;
  /** nvidia-smi's name of GPU `index` now, or null (no telemetry). */
  readonly gpuName: (index: number) => string | null;
  /** Power limit (W) of GPU `index` now, or null. */
  readonly gpuPowerLimitW: (index: number) => number | null;
  /** A budget threshold was reached this month (called for each; the receiver keeps it to once). */
  readonly onBudgetThreshold?: (threshold: number, status: BudgetStatus) => void;
}

const ENDED = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** A final record of this very end of the job (a resumed job that ended again is priced again). */
function isSettled(job: TrainingJobRow, row: CostRecordRow): boolean {
  return row.final === 1 && ENDED.has(job.status) && row.endedAt === job.finishedAt;
}

/** Energy, cost and budget. */
export class CostService {
  private readonly records: CostRecordsRepository;
  private readonly samples: GpuSamplesRepository;
  private readonly jobs: TrainingJobsRepository;
  private readonly datasets: DatasetsRepository;

  constructor(private readonly deps: CostServiceDeps) {
    this.records = new CostRecordsRepository(deps.db, deps.now);
    this.samples = new GpuSamplesRepository(deps.sqlite, deps.now);
    this.jobs = new TrainingJobsRepository(deps.db, deps.sqlite, deps.now);
    this.datasets = new DatasetsRepository(deps.db, deps.now);
  }

  /** Integrate and price a job's samples now, and store the record (final once the job ended). */
  record(jobId: string): CostRecordRow {
    const job = this.mustGetJob(jobId);
    const existing = this.records.byJob(jobId);
    if (existing && isSettled(job, existing)) return existing;
    const computed = this.compute(job, existing);
    const row = this.records.upsert({
      jobId,
      energyWh: computed.energyWh,
      gpuHours: computed.gpuHours,
      pricePerKwh: computed.pricePerKwh,
      currency: computed.currency,
      cost: computed.cost,
      amortisationCost: computed.amortisationCost,
      cloudCost: computed.cloudCost,
      gpuName: computed.gpuName,
      startedAt: computed.startedAt,
      endedAt: computed.endedAt,
      final: computed.final ? 1 : 0,
    });
    this.checkBudget();
    return row;
  }

  /** Update the open records of running jobs (a timer calls this while jobs run); how many. */
  tick(): number {
    const running = this.jobs.byStatus(['running']);
    for (const job of running) this.record(job.id);
    return running.length;
  }

  /** One job's cost: the final record, or integrated up to now while it runs. */
  forJob(jobId: string): JobCost {
    const job = this.mustGetJob(jobId);
    const existing = this.records.byJob(jobId);
    if (existing && isSettled(job, existing)) return this.view(job, existing);
    // An ended job whose record was never settled (the app stopped as the run ended): settle it now,
    // once, so every later look reads one row instead of integrating all its GPU samples again.
    if (ENDED.has(job.status)) return this.view(job, this.record(jobId));
    return this.compute(job, existing);
  }

  /** Costs of jobs that ended since `since` (ms) or still run, newest first. */
  list(since?: number): JobCost[] {
    const seen = new Set<string>();
    const out: JobCost[] = [];
    for (const row of this.records.list(since)) {
      const job = this.jobs.get(row.jobId);
      if (!job) continue;
      seen.add(job.id);
      out.push(isSettled(job, row) ? this.view(job, row) : this.compute(job, row));
    }
    for (const job of this.jobs.byStatus(['running'])) {
      if (!seen.has(job.id)) out.push(this.compute(job, undefined));
    }
    return out.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
  }

  /** This month's spend (electricity + amortisation) against the monthly budget. */
  budget(): BudgetStatus {
    const settings = this.deps.settings();
    const now = this.deps.now();
    const from = startOfMonth(now);
    const spent = this.list(from)
      .filter((c) => (c.endedAt ?? now) >= from)
      .reduce((sum, c) => sum + c.cost + c.amortisationCost, 0);
    const budget = settings['budget.monthly'];
    const currency = settings['energy.currency'];
    const spentOut = budget !== null && spent >= budget;
    return {
      month: monthKey(now),
      spent,
      budget,
      fraction: budget === null ? null : spent / budget,
      currency,
      holdReason:
        spentOut && settings['budget.holdQueue']
          ? `The monthly budget of ${moneyText(budget, currency)} is spent (${moneyText(spent, currency)} ` +
            'this month): queued jobs wait. Raise the budget or turn off "hold the queue" in Settings.'
          : null,
    };
  }

  /** Energy and cost of a run of `durationS` on the given GPUs at their power limit. */
  estimate(durationS: number, gpuIndices: ReadonlyArray<number>): CostEstimate {
    const settings = this.deps.settings();
    const limits = gpuIndices.map((i) => this.deps.gpuPowerLimitW(i));
    const known = limits.filter((w): w is number => w !== null);
    const powerW = known.reduce((sum, w) => sum + w, 0);
    const energyWh = (powerW * durationS) / 3600;
    return {
      energyWh,
      cost: (energyWh / 1000) * settings['energy.pricePerKwh'],
      currency: settings['energy.currency'],
      powerW,
      durationS,
      basis:
        gpuIndices.length === 0
          ? 'no GPU chosen: a CPU run draws no GPU power'
          : known.length < gpuIndices.length
            ? `power limit unknown for ${gpuIndices.length - known.length} of ${gpuIndices.length} GPU(s); an upper bound for the others`
            : `an upper bound: ${gpuIndices.length} GPU(s) at their power limit (${powerW.toFixed(0)} W) for the estimated duration`,
    };
  }

  /** Tell the receiver about every threshold this month's spend has reached. */
  private checkBudget(): void {
    if (!this.deps.onBudgetThreshold) return;
    const status = this.budget();
    for (const threshold of reachedThresholds(status.spent, status.budget)) {
      this.deps.onBudgetThreshold(threshold, status);
    }
  }

  private mustGetJob(jobId: string): TrainingJobRow {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('NOT_FOUND', `There is no job ${jobId}.`);
    return job;
  }

  private datasetLabel(job: TrainingJobRow): string | null {
    if (!job.datasetVersionId) return null;
    const version = this.datasets.getVersion(job.datasetVersionId);
    if (!version) return null;
    const dataset = this.datasets.get(version.datasetId);
    return `${dataset?.name ?? version.datasetId} v${version.version}`;
  }

  private compute(job: TrainingJobRow, existing: CostRecordRow | undefined): JobCost {
    const settings = this.deps.settings();
    const samples = this.samples.forJob(job.id);
    const integral = integrateEnergy(samples);
    const gpus = gpuIndicesOf(job);
    const gpuName =
      gpus.map((i) => this.deps.gpuName(i)).find((n) => n !== null) ?? existing?.gpuName ?? null;
    const priced = priceRun(
      { ...integral, gpuName },
      {
        pricePerKwh: settings['energy.pricePerKwh'],
        amortisationPerGpuHour: settings['energy.amortisationPerGpuHour'],
        cloudRates: settings['energy.cloudRates'],
      },
    );
    const final = ENDED.has(job.status);
    return {
      jobId: job.id,
      jobName: job.name,
      status: job.status,
      energyWh: integral.energyWh,
      gpuHours: integral.gpuHours,
      ...priced,
      currency: settings['energy.currency'],
      pricePerKwh: settings['energy.pricePerKwh'],
      gpuName,
      startedAt:
        samples.reduce<number | null>((min, s) => (min === null || s.ts < min ? s.ts : min), null) ??
        job.startedAt,
      endedAt: final ? (job.finishedAt ?? this.deps.now()) : null,
      final,
      datasetLabel: this.datasetLabel(job),
      baseModelPath: job.baseModelPath,
    };
  }

  private view(job: TrainingJobRow, row: CostRecordRow): JobCost {
    return {
      jobId: job.id,
      jobName: job.name,
      status: job.status,
      energyWh: row.energyWh,
      gpuHours: row.gpuHours,
      cost: row.cost,
      amortisationCost: row.amortisationCost,
      cloudCost: row.cloudCost,
      currency: row.currency,
      pricePerKwh: row.pricePerKwh,
      gpuName: row.gpuName,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      final: row.final === 1,
      datasetLabel: this.datasetLabel(job),
      baseModelPath: job.baseModelPath,
    };
  }
}
