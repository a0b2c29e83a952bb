import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetRow, DatasetsRepository } from '../../../db/repositories/datasets-repository';
import {
  type DatasetDetail,
  type DatasetFormat,
  type DatasetShape,
  type DatasetStats,
  DatasetStatsSchema,
  type DatasetSummary,
  type ShapeDetection,
  ShapeDetectionSchema,
} from '../../../preload/contract';
import { AppError } from '../../errors';
import type { RowQuery } from '../query/row-query';
import { computeDatasetStats, storedTokenStats } from './dataset-stats';
import { toDatasetVersion } from './freeze';

/** Statistics of a dataset that has no rows (yet). */
function emptyStats(tokens: DatasetStats['tokens']): DatasetStats {
  return {
    rows: 0,
    valid: 0,
    invalid: 0,
    deleted: 0,
    roles: {},
    turns: { min: 0, max: 0, mean: 0 },
    chars: { min: 0, max: 0, mean: 0, histogram: { edges: [], counts: [] } },
    split: { train: 0, val: 0, unsplit: 0 },
    problems: [],
    duplicates: 0,
    tokens,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Up to this many live rows, stale statistics are recomputed before `get` answers (well under 0.5 s). */
export const STATS_SYNC_ROWS = 100_000;

/**
 * The datasets themselves: list, details, rename, soft delete, and their statistics, which are
 * stored in stats_json and marked stale by changes to rows. Stale statistics of a small dataset are
 * recomputed when next asked for; those of a big one are returned as they were, with `onStale`
 * called so the owner can recompute them off the request (a second of SQL on a million rows).
 */
export class DatasetCatalog {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly rows: DatasetRowsRepository,
    private readonly query: RowQuery,
    private readonly onStale: (id: string) => void = () => undefined,
  ) {}

  /** Datasets ready to use, newest first (imports in progress are not listed). */
  list(): DatasetSummary[] {
    const versions = this.datasets.versionCounts();
    return this.datasets
      .list()
      .filter((d) => d.status === 'ready')
      .map((d) => this.toSummary(d, versions.get(d.id) ?? 0));
  }

  /** A dataset that exists (any status), or NOT_FOUND. */
  require(id: string): DatasetRow {
    const row = this.datasets.get(id);
    if (!row) throw new AppError('NOT_FOUND', `There is no dataset ${id}.`);
    return row;
  }

  /** A dataset whose rows may be read and changed: imported, not importing or failed. */
  requireReady(id: string): DatasetRow {
    const row = this.require(id);
    if (row.status === 'importing')
      throw new AppError('CONFLICT', `Dataset "${row.name}" is still importing.`);
    if (row.status !== 'ready') throw new AppError('CONFLICT', `Dataset "${row.name}" failed to import.`);
    return row;
  }

  /** Everything about a dataset: summary, detection, statistics (recomputed when stale), versions. */
  get(id: string): DatasetDetail {
    const row = this.require(id);
    const versions = this.datasets.versions(id).map(toDatasetVersion);
    const stats =
      row.status === 'ready' ? this.currentStats(row) : emptyStats(storedTokenStats(row.statsJson));
    return {
      ...this.toSummary(row, versions.length),
      detection: this.detection(row),
      stats,
      versionList: versions,
      error: row.error,
    };
  }

  rename(id: string, name: string): DatasetSummary {
    this.require(id);
    const row = this.datasets.update(id, { name });
    if (!row) throw new AppError('NOT_FOUND', `There is no dataset ${id}.`);
    return this.toSummary(row, this.datasets.versions(id).length);
  }

  /** Soft delete: rows, files and versions stay (training jobs may reference a version). */
  delete(id: string): { deleted: boolean } {
    this.require(id);
    return { deleted: this.datasets.softDelete(id) };
  }

  /** Compute a dataset's statistics now and store them (the importer's caller runs this after import). */
  refreshStats(id: string): DatasetStats {
    const row = this.require(id);
    const stats = computeDatasetStats(this.rows, this.query, id, storedTokenStats(row.statsJson));
    this.datasets.setStatsJson(id, JSON.stringify(stats));
    return stats;
  }

  /** Mark the stored statistics stale (`"stale": true` in stats_json); see `get`. */
  markStatsStale(id: string): void {
    this.datasets.markStatsStale(id);
  }

  private currentStats(row: DatasetRow): DatasetStats {
    const stored = parseJson(row.statsJson) as { stale?: unknown } | null;
    const parsed = DatasetStatsSchema.safeParse(stored);
    if (!parsed.success) return this.refreshStats(row.id);
    if (stored?.stale !== true) return parsed.data;
    if (row.rowCount <= STATS_SYNC_ROWS) return this.refreshStats(row.id);
    this.onStale(row.id);
    return parsed.data;
  }

  private detection(row: DatasetRow): ShapeDetection {
    const parsed = ShapeDetectionSchema.safeParse(parseJson(row.detectionJson));
    if (parsed.success) return parsed.data;
    return { shape: row.shape as DatasetShape, evidence: [], candidates: [], sampled: 0, overridden: false };
  }

  private toSummary(row: DatasetRow, versions: number): DatasetSummary {
    return {
      id: row.id,
      name: row.name,
      format: row.format as DatasetFormat,
      shape: row.shape as DatasetShape,
      status: row.status as DatasetSummary['status'],
      sourceName: row.sourceName,
      sizeBytes: row.sizeBytes,
      rows: row.rowCount,
      valid: row.validCount,
      invalid: row.invalidCount,
      versions,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
