import type { Statement } from 'better-sqlite3';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { assertTransition, parseJobStatus } from '../../main/training/job-state';
import type { JobStatus } from '../../preload/contract';
import type { Clock } from '../ids';
import type { Db, SqliteDatabase } from '../open';
import { trainingJobs } from '../schema';
import { type MetricPoint, MetricsRepository } from './metrics-repository';

export type TrainingJobRow = typeof trainingJobs.$inferSelect;

/** What a new job is queued with; the repository sets its status, times and bookkeeping. */
export interface QueuedJobInput {
  /** Chosen by the caller: the run folder is named after it before the row exists. */
  readonly id: string;
  readonly name: string;
  readonly datasetVersionId: string | null;
  readonly baseModelPath: string;
  readonly configJson: string;
  readonly reproducibilityJson: string;
  readonly gpuIndices: ReadonlyArray<number>;
  readonly runDir: string;
  readonly queuedAt: number;
}

/** Where a run has got to, as read from its events file. */
export interface JobProgress {
  readonly offset: number;
  readonly lastSeq: number;
  readonly step: number;
  readonly maxSteps: number | null;
  readonly progress: number;
  readonly etaSeconds: number | null;
}

/** How a run ended, as decided by job-outcome. */
export interface JobFinish {
  readonly status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled' | 'interrupted'>;
  readonly step: number;
  readonly progress: number;
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
  readonly error: string | null;
  readonly finishedAt: number;
}

/**
 * Training jobs: the persistent queue and each run's process record. The only code that writes a
 * training_jobs row; every method is named for what happened to the job, and every status change
 * is checked against the state machine (main/training/job-state.ts) and made conditional on the
 * status it was checked from, so a race loses cleanly instead of overwriting.
 */
export class TrainingJobsRepository {
  private readonly metrics: MetricsRepository;
  private readonly progressStmt: Statement<unknown[]>;
  private readonly progressTx: (
    jobId: string,
    from: JobStatus,
    to: JobStatus,
    progress: JobProgress,
    points: ReadonlyArray<MetricPoint>,
    attempt: number,
  ) => void;

  constructor(
    private readonly db: Db,
    sqlite: SqliteDatabase,
    private readonly now: Clock = Date.now,
  ) {
    this.metrics = new MetricsRepository(db, sqlite, now);
    // The hot path: one update per batch of events (a flood is thousands per second).
    this.progressStmt = sqlite.prepare(
      `UPDATE training_jobs SET events_offset = ?, last_seq = ?, step = ?, max_steps = ?, progress = ?,
         eta_seconds = ?, status = ?, updated_at = ? WHERE id = ?`,
    );
    this.progressTx = sqlite.transaction(
      (
        jobId: string,
        from: JobStatus,
        to: JobStatus,
        p: JobProgress,
        points: ReadonlyArray<MetricPoint>,
        attempt: number,
      ) => {
        if (to !== from) assertTransition(jobId, from, to);
        this.metrics.insertBatch(jobId, points, attempt);
        this.progressStmt.run(
          p.offset,
          p.lastSeq,
          p.step,
          p.maxSteps,
          p.progress,
          p.etaSeconds,
          to,
          this.now(),
          jobId,
        );
      },
    );
  }

  get(id: string): TrainingJobRow | undefined {
    return this.db
      .select()
      .from(trainingJobs)
      .where(and(eq(trainingJobs.id, id), isNull(trainingJobs.deletedAt)))
      .get();
  }

  list(): TrainingJobRow[] {
    return this.db
      .select()
      .from(trainingJobs)
      .where(isNull(trainingJobs.deletedAt))
      .orderBy(desc(trainingJobs.createdAt))
      .all();
  }

  /** Jobs in the given statuses, oldest queued first (the queue's order). */
  byStatus(statuses: ReadonlyArray<JobStatus>): TrainingJobRow[] {
    return this.db
      .select()
      .from(trainingJobs)
      .where(and(isNull(trainingJobs.deletedAt), inArray(trainingJobs.status, [...statuses])))
      .orderBy(desc(trainingJobs.priority), asc(trainingJobs.queuedAt), asc(trainingJobs.createdAt))
      .all();
  }

  /** A new job, waiting in the queue. */
  insertQueued(input: QueuedJobInput): TrainingJobRow {
    const ts = this.now();
    return this.db
      .insert(trainingJobs)
      .values({
        id: input.id,
        name: input.name,
        datasetVersionId: input.datasetVersionId,
        baseModelPath: input.baseModelPath,
        configJson: input.configJson,
        reproducibilityJson: input.reproducibilityJson,
        status: 'queued',
        gpuIndicesJson: JSON.stringify(input.gpuIndices),
        runDir: input.runDir,
        queuedAt: input.queuedAt,
        createdAt: ts,
        updatedAt: ts,
      })
      .returning()
      .get();
  }

  /** The queue's claim: queued → starting. False when the job is no longer queued (cancelled meanwhile). */
  claimForStart(id: string): boolean {
    return this.changeStatus(id, 'queued', 'starting', {}) !== undefined;
  }

  /**
   * A run that finished elsewhere (`jobs import-run`): inserted queued and claimed at once
   * (queued → starting, through the state machine), with the remote run's start time, so the
   * supervisor's settle path can finish it from its events like any other run.
   */
  insertImported(input: QueuedJobInput & { readonly startedAt: number | null }): TrainingJobRow {
    const row = this.insertQueued(input);
    this.claimForStart(row.id);
    this.recordProcess(row.id, {
      pid: null,
      processStartTime: null,
      startedAt: input.startedAt ?? input.queuedAt,
    });
    return this.get(row.id) ?? row;
  }

  /** The end time of an imported run as the remote run recorded it (not when it was imported). */
  recordRemoteFinish(id: string, finishedAt: number): TrainingJobRow | undefined {
    this.db
      .update(trainingJobs)
      .set({ finishedAt, updatedAt: this.now() })
      .where(eq(trainingJobs.id, id))
      .run();
    return this.get(id);
  }

  /** queued → cancelled. False when the job is no longer queued (it started meanwhile). */
  cancelQueued(id: string, at: number): boolean {
    return this.changeStatus(id, 'queued', 'cancelled', { finishedAt: at }) !== undefined;
  }

  /** The spawned trainer's pid and OS start time (so a reused pid is never signalled). */
  recordProcess(
    id: string,
    process: { pid: number | null; processStartTime: number | null; startedAt: number },
  ) {
    this.db
      .update(trainingJobs)
      .set({ ...process, updatedAt: this.now() })
      .where(eq(trainingJobs.id, id))
      .run();
  }

  /**
   * Events read from a run (hot path): the metric points and the row's offset, seq, step and
   * progress in one transaction, so a crash neither loses nor repeats a step. `to` differs from
   * `from` when the events moved the job on (starting → running). Points belong to `attempt`.
   */
  recordProgress(
    id: string,
    from: JobStatus,
    to: JobStatus,
    progress: JobProgress,
    points: ReadonlyArray<MetricPoint>,
    attempt = 1,
  ): void {
    this.progressTx(id, from, to, progress, points, attempt);
  }

  /** A run's end: its final status (from whatever it is now), exit and error. */
  finish(id: string, end: JobFinish): TrainingJobRow | undefined {
    const { status, ...rest } = end;
    return this.changeStatus(id, null, status, { ...rest, etaSeconds: null });
  }

  /**
   * failed | cancelled | interrupted → queued, as the next attempt, to continue from the last
   * checkpoint in the same folder; the time the ended attempt ran is kept in earlierAttemptsMs.
   */
  requeueForResume(id: string, configJson: string, at: number): TrainingJobRow | undefined {
    const row = this.get(id);
    if (!row) return undefined;
    const ran =
      row.startedAt !== null && row.finishedAt !== null ? Math.max(0, row.finishedAt - row.startedAt) : 0;
    // Only the resumable statuses (failed, cancelled, interrupted) may become queued again.
    return this.changeStatus(id, parseJobStatus(id, row.status), 'queued', {
      attempt: row.attempt + 1,
      earlierAttemptsMs: row.earlierAttemptsMs + ran,
      startedAt: null,
      configJson,
      queuedAt: at,
      finishedAt: null,
      exitCode: null,
      exitSignal: null,
      error: null,
      pid: null,
      processStartTime: null,
      etaSeconds: null,
    });
  }

  /**
   * Move a job to `to`, checked against the state machine, only if it is still in the status it was
   * checked from. `expected` null: from whatever it is now. Undefined when the job is missing or
   * `expected` no longer holds.
   */
  private changeStatus(
    id: string,
    expected: JobStatus | null,
    to: JobStatus,
    patch: Partial<Omit<TrainingJobRow, 'id' | 'status' | 'createdAt' | 'updatedAt'>>,
  ): TrainingJobRow | undefined {
    const row = this.get(id);
    if (!row) return undefined;
    const from = parseJobStatus(id, row.status);
    if (expected !== null && from !== expected) return undefined;
    assertTransition(id, from, to);
    return this.db
      .update(trainingJobs)
      .set({ ...patch, status: to, updatedAt: this.now() })
      .where(and(eq(trainingJobs.id, id), eq(trainingJobs.status, from)))
      .returning()
      .get();
  }
}
