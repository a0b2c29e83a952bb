import { and, desc, eq, isNull } from 'drizzle-orm';
import { type Clock, newId } from '../ids';
import type { Db } from '../open';
import { modelArtifacts } from '../schema';

export type ModelArtifactRow = typeof modelArtifacts.$inferSelect;
export type NewModelArtifact = Omit<
  typeof modelArtifacts.$inferInsert,
  'id' | 'createdAt' | 'updatedAt' | 'deletedAt'
>;

/** The model library: adapters, merged models and exports. */
export class ModelArtifactsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: Clock = Date.now,
  ) {}

  create(input: NewModelArtifact): ModelArtifactRow {
    const ts = this.now();
    return this.db
      .insert(modelArtifacts)
      .values({ ...input, id: newId('art', ts), createdAt: ts, updatedAt: ts })
      .returning()
      .get();
  }

  list(): ModelArtifactRow[] {
    return this.db
      .select()
      .from(modelArtifacts)
      .where(isNull(modelArtifacts.deletedAt))
      .orderBy(desc(modelArtifacts.createdAt))
      .all();
  }

  get(id: string): ModelArtifactRow | undefined {
    return this.db
      .select()
      .from(modelArtifacts)
      .where(and(eq(modelArtifacts.id, id), isNull(modelArtifacts.deletedAt)))
      .get();
  }

  byJob(jobId: string): ModelArtifactRow[] {
    return this.db
      .select()
      .from(modelArtifacts)
      .where(and(eq(modelArtifacts.jobId, jobId), isNull(modelArtifacts.deletedAt)))
      .all();
  }

  softDelete(id: string): boolean {
    const ts = this.now();
    return (
      this.db
        .update(modelArtifacts)
        .set({ deletedAt: ts, updatedAt: ts })
        .where(and(eq(modelArtifacts.id, id), isNull(modelArtifacts.deletedAt)))
        .run().changes > 0
    );
  }
}
