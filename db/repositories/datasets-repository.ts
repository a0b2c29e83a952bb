import { and, desc, eq, isNull } from 'drizzle-orm';
import { type Clock, newId } from '../ids';
import type { Db } from '../open';
import { datasets, datasetVersions } from '../schema';

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetVersionRow = typeof datasetVersions.$inferSelect;
export type NewDataset = Omit<typeof datasets.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
export type DatasetPatch = Partial<Omit<DatasetRow, 'id' | 'createdAt' | 'updatedAt'>>;
export type NewDatasetVersion = Omit<
  typeof datasetVersions.$inferInsert,
  'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'
>;

/** Datasets and their frozen versions. */
export class DatasetsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: Clock = Date.now,
  ) {}

  create(input: NewDataset): DatasetRow {
    const ts = this.now();
    return this.db
      .insert(datasets)
      .values({ ...input, id: newId('ds', ts), createdAt: ts, updatedAt: ts })
      .returning()
      .get();
  }

  get(id: string): DatasetRow | undefined {
    return this.db
      .select()
      .from(datasets)
      .where(and(eq(datasets.id, id), isNull(datasets.deletedAt)))
      .get();
  }

  list(): DatasetRow[] {
    return this.db
      .select()
      .from(datasets)
      .where(isNull(datasets.deletedAt))
      .orderBy(desc(datasets.createdAt))
      .all();
  }

  update(id: string, patch: DatasetPatch): DatasetRow | undefined {
    return this.db
      .update(datasets)
      .set({ ...patch, updatedAt: this.now() })
      .where(eq(datasets.id, id))
      .returning()
      .get();
  }

  softDelete(id: string): boolean {
    const ts = this.now();
    return (
      this.db
        .update(datasets)
        .set({ deletedAt: ts, updatedAt: ts })
        .where(and(eq(datasets.id, id), isNull(datasets.deletedAt)))
        .run().changes > 0
    );
  }

  /** Record a frozen version with the next version number, atomically. */
  addVersion(input: NewDatasetVersion): DatasetVersionRow {
    return this.db.transaction((tx) => {
      const last = tx
        .select({ version: datasetVersions.version })
        .from(datasetVersions)
        .where(eq(datasetVersions.datasetId, input.datasetId))
        .orderBy(desc(datasetVersions.version))
        .limit(1)
        .get();
      const ts = this.now();
      return tx
        .insert(datasetVersions)
        .values({
          ...input,
          id: newId('dsv', ts),
          version: (last?.version ?? 0) + 1,
          createdAt: ts,
          updatedAt: ts,
        })
        .returning()
        .get();
    });
  }

  versions(datasetId: string): DatasetVersionRow[] {
    return this.db
      .select()
      .from(datasetVersions)
      .where(and(eq(datasetVersions.datasetId, datasetId), isNull(datasetVersions.deletedAt)))
      .orderBy(desc(datasetVersions.version))
      .all();
  }

  getVersion(id: string): DatasetVersionRow | undefined {
    return this.db.select().from(datasetVersions).where(eq(datasetVersions.id, id)).get();
  }
}
