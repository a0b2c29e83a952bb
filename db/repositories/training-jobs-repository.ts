import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type Clock, newId } from '../ids';
import type { Db } from '../open';
import { trainingJobs } from '../schema';

export type TrainingJobRow = typeof trainingJobs.$inferSelect;
export type NewTrainingJob = Omit<
  typeof trainingJobs.$inferInsert,
  'id' | 'createdAt' | 'updatedAt' | 'deletedAt'
>;
export type TrainingJobPatch = Partial<Omit<TrainingJobRow, 'id' | 'createdAt' | 'updatedAt'>>;

/** Statuses of a job that still owns (or will own) a process. */
export const ACTIVE_JOB_STATUSES = ['queued', 'starting', 'running'] as const;

/** Training jobs: the persistent queue and each run's process record. */
export class TrainingJobsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: Clock = Date.now,
  ) {}

  create(input: NewTrainingJob): TrainingJobRow {
    const ts = this.now();
    return this.db
      .insert(trainingJobs)
      .values({ ...input, id: newId('job', ts), createdAt: ts, updatedAt: ts })
      .returning()
      .get();
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
  byStatus(statuses: ReadonlyArray<string>): TrainingJobRow[] {
    return this.db
      .select()
      .from(trainingJobs)
      .where(and(isNull(trainingJobs.deletedAt), inArray(trainingJobs.status, [...statuses])))
      .orderBy(desc(trainingJobs.priority), asc(trainingJobs.queuedAt), asc(trainingJobs.createdAt))
      .all();
  }

  update(id: string, patch: TrainingJobPatch): TrainingJobRow | undefined {
    return this.db
      .update(trainingJobs)
      .set({ ...patch, updatedAt: this.now() })
      .where(eq(trainingJobs.id, id))
      .returning()
      .get();
  }
}
