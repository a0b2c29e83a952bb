/**
 * The persistent job queue: queued rows in SQLite, highest priority then oldest first. One job per
 * GPU set at a time — two jobs conflict when their GPU index sets intersect, and CPU jobs (`[]`)
 * conflict with each other. A queued job that must wait reserves its GPUs, so later, smaller jobs
 * cannot starve it. Only the core holding the data-folder lock runs the queue.
 */
import type { TrainingJobRow, TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';

/** Parse a row's GPU index list; anything malformed counts as CPU. */
export function gpuIndicesOf(row: Pick<TrainingJobRow, 'gpuIndicesJson'>): number[] {
  try {
    const parsed: unknown = JSON.parse(row.gpuIndicesJson);
    return Array.isArray(parsed) ? parsed.filter((n): n is number => Number.isInteger(n) && n >= 0) : [];
  } catch {
    return [];
  }
}

/** Do two jobs compete for the same devices? */
export function gpuSetsConflict(a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean {
  if (a.length === 0 || b.length === 0) return a.length === 0 && b.length === 0;
  return a.some((i) => b.includes(i));
}

/** Which queued jobs may start now, given the GPU sets in use (pure). */
export function pickStartable(
  queued: ReadonlyArray<TrainingJobRow>,
  busy: ReadonlyArray<ReadonlyArray<number>>,
): TrainingJobRow[] {
  const taken = busy.map((set) => [...set]);
  const start: TrainingJobRow[] = [];
  for (const job of queued) {
    const gpus = gpuIndicesOf(job);
    if (!taken.some((set) => gpuSetsConflict(set, gpus))) start.push(job);
    taken.push(gpus); // started or waiting, it holds its devices from here on
  }
  return start;
}

export interface JobQueueDeps {
  readonly jobs: TrainingJobsRepository;
  readonly isPrimary: boolean;
  /** Claim and start one queued job (queued → starting → spawned). */
  readonly launch: (job: TrainingJobRow) => Promise<void>;
  /** Why no queued job may start now (e.g. the monthly budget is spent); null when they may. */
  readonly holdReason?: () => string | null;
}

/** Starts queued jobs whenever their GPUs are free. */
export class JobQueue {
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private closed = false;

  constructor(private readonly deps: JobQueueDeps) {}

  /** Look for jobs to start; calls are serialised and coalesced. */
  kick(): Promise<void> {
    if (!this.deps.isPrimary || this.closed) return this.chain;
    if (this.pending) return this.chain;
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      if (this.closed || this.deps.holdReason?.()) return;
      const active = this.deps.jobs.byStatus(['starting', 'running']);
      const queued = this.deps.jobs.byStatus(['queued']);
      for (const job of pickStartable(queued, active.map(gpuIndicesOf))) {
        if (this.closed) return;
        try {
          await this.deps.launch(job);
        } catch (error) {
          console.error(`starting job ${job.id} failed:`, error);
        }
      }
    });
    return this.chain;
  }

  /** Start nothing more. */
  close(): Promise<void> {
    this.closed = true;
    return this.chain;
  }
}
