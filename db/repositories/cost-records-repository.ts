import { desc, eq, gte, isNull, or } from 'drizzle-orm';
import { type Clock, newId } from '../ids';
import type { Db } from '../open';
import { costRecords } from '../schema';

export type CostRecordRow = typeof costRecords.$inferSelect;
export type CostInput = Omit<typeof costRecords.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

/** The energy and cost of each job: one record per job, updated as power samples arrive. */
export class CostRecordsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: Clock = Date.now,
  ) {}

  /** Create or replace the record of a job. */
  upsert(input: CostInput): CostRecordRow {
    const ts = this.now();
    const { jobId, ...rest } = input;
    return this.db
      .insert(costRecords)
      .values({ ...input, id: newId('cost', ts), createdAt: ts, updatedAt: ts })
      .onConflictDoUpdate({ target: costRecords.jobId, set: { ...rest, updatedAt: ts } })
      .returning()
      .get();
  }

  byJob(jobId: string): CostRecordRow | undefined {
    return this.db.select().from(costRecords).where(eq(costRecords.jobId, jobId)).get();
  }

  /** Every record, newest first; with `since` (ms) only those still open or ended since then. */
  list(since?: number): CostRecordRow[] {
    const where =
      since === undefined ? undefined : or(isNull(costRecords.endedAt), gte(costRecords.endedAt, since));
    return this.db.select().from(costRecords).where(where).orderBy(desc(costRecords.createdAt)).all();
  }
}
