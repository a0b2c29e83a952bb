import { and, count, desc, eq, isNull, max, sql } from 'drizzle-orm';
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

  /** Run `work` in one transaction that takes the write lock at once (BEGIN IMMEDIATE). */
  immediate<T>(work: () => T): T {
    return this.db.transaction(() => work(), { behavior: 'immediate' });
  }

  /** Delete a dataset outright (its rows cascade): a failed or interrupted import. */
  remove(id: string): void {
    this.db.delete(datasets).where(eq(datasets.id, id)).run();
  }

  /** Datasets still marked importing. */
  importingIds(): string[] {
    return this.db
      .select({ id: datasets.id })
      .from(datasets)
      .where(eq(datasets.status, 'importing'))
      .all()
      .map((r) => r.id);
  }

  /** Replace the stored statistics (not a change to the dataset itself: updated_at stays). */
  setStatsJson(id: string, statsJson: string): void {
    this.db.update(datasets).set({ statsJson }).where(eq(datasets.id, id)).run();
  }

  /** Mark the stored statistics stale (`"stale": true` in stats_json). */
  markStatsStale(id: string): void {
    this.db
      .update(datasets)
      .set({ statsJson: sql`json_set(${validStatsJson}, '$.stale', json('true'))` })
      .where(eq(datasets.id, id))
      .run();
  }

  /** Keep token statistics in stats_json under `tokens` (they survive other statistics going stale). */
  setTokenStatsJson(id: string, tokensJson: string): void {
    this.db
      .update(datasets)
      .set({ statsJson: sql`json_set(${validStatsJson}, '$.tokens', json(${tokensJson}))` })
      .where(eq(datasets.id, id))
      .run();
  }

  /** Move a dataset's live counts by the valid and invalid rows that appeared (or went). */
  adjustCounts(id: string, validDelta: number, invalidDelta: number, ts: number): void {
    this.db
      .update(datasets)
      .set({
        rowCount: sql`${datasets.rowCount} + ${validDelta + invalidDelta}`,
        validCount: sql`${datasets.validCount} + ${validDelta}`,
        invalidCount: sql`${datasets.invalidCount} + ${invalidDelta}`,
        updatedAt: ts,
      })
      .where(eq(datasets.id, id))
      .run();
  }

  /** How many live versions each dataset has. */
  versionCounts(): Map<string, number> {
    const rows = this.db
      .select({ id: datasetVersions.datasetId, n: count() })
      .from(datasetVersions)
      .where(isNull(datasetVersions.deletedAt))
      .groupBy(datasetVersions.datasetId)
      .all();
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** The highest version number a dataset ever had, deleted versions included (0 when none). */
  lastVersionEver(datasetId: string): number {
    const row = this.db
      .select({ last: max(datasetVersions.version) })
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, datasetId))
      .get();
    return row?.last ?? 0;
  }
}

/** stats_json when it is JSON, else an empty object (json_set needs valid JSON). */
const validStatsJson = sql`CASE WHEN json_valid(${datasets.statsJson}) THEN ${datasets.statsJson} ELSE '{}' END`;
