import type { z } from 'zod';
import type { Db, SqliteDatabase } from '../../../db/open';
import {
  createDatasetRepositories,
  type DatasetRepositories,
} from '../../../db/repositories/dataset-repositories';
import type {
  ChannelOutput,
  Contract,
  DatasetDetail,
  DatasetStats,
  DatasetSummary,
  DatasetVersion,
  TokenStats,
} from '../../../preload/contract';
import { AppError } from '../../errors';
import type { EventBus } from '../../events/event-bus';
import type { TaskRegistry, TaskReporter } from '../../tasks/task-registry';
import { rowLabel } from '../normalise/build-row';
import { RowQuery } from '../query/row-query';
import { BulkEditCancelledError } from './bulk-edit';
import { countTokensInWorkers, defaultTokenWorkers } from './count-tokens';
import { type CurationJob, type CurationResults, type CurationRunner, runCurationJob } from './curation-jobs';
import { DatasetCatalog } from './dataset-catalog';
import { exactDuplicateGroups, type ScanControl, toPreview } from './dedupe';
import { exportVersion } from './export';
import { freezeDataset, toDatasetVersion } from './freeze';
import { RowEditor } from './row-editor';

type Input<C extends keyof Contract> = z.output<Contract[C]['input']>;

/** How long after a big dataset's statistics were found stale they are recomputed. */
const STATS_REFRESH_DELAY_MS = 1500;

/** The near-duplicate threshold when none is given: estimated Jaccard similarity of shingles. */
export const DEFAULT_NEAR_THRESHOLD = 0.85;

export interface DatasetCuratorDeps {
  readonly dataDir: string;
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly events: EventBus;
  readonly tasks: TaskRegistry;
  readonly now?: () => number;
  /** Run token counts, near-duplicate search and splits in a worker thread (default true). */
  readonly workers?: boolean;
  /** The database file the workers open (default: the connection's own file). */
  readonly dbFile?: string;
  /** better-sqlite3's native module for the workers (the Electron-ABI build in the desktop app). */
  readonly sqliteNativeBinding?: string;
  /** Workers counting tokens at once (default: cores − 1, at most 8). */
  readonly tokenWorkers?: number;
}

/**
 * Curation of imported datasets, one method per `datasets.*` channel (the importer owns
 * `inspect` and `import`): browse and search rows, edit, delete and restore, tag, deduplicate,
 * split, count tokens, freeze versions and export them. Every change emits `changed` for the
 * dataset; heavy work runs in a worker as a task with progress events.
 */
export class DatasetCurator {
  private readonly now: () => number;
  private readonly repos: DatasetRepositories;
  private readonly query: RowQuery;
  private readonly editor: RowEditor;
  private readonly catalog: DatasetCatalog;
  private readonly pendingRefresh = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: DatasetCuratorDeps) {
    this.now = deps.now ?? Date.now;
    this.repos = createDatasetRepositories(deps.sqlite, this.now, deps.db);
    const { datasets, rows } = this.repos;
    this.query = new RowQuery(this.repos.rowQuery, this.repos.search);
    this.editor = new RowEditor(rows, datasets, this.query, this.now);
    this.catalog = new DatasetCatalog(datasets, rows, this.query, (id) => this.refreshSoon(id));
  }

  list(): DatasetSummary[] {
    return this.catalog.list();
  }

  get(id: string): DatasetDetail {
    return this.catalog.get(id);
  }

  rename(id: string, name: string): DatasetSummary {
    const summary = this.catalog.rename(id, name);
    this.changed(id);
    return summary;
  }

  delete(id: string): { deleted: boolean } {
    const result = this.catalog.delete(id);
    if (result.deleted) this.changed(id);
    return result;
  }

  /** Recompute and store a dataset's statistics (call after an import completes). */
  refreshStats(id: string): DatasetStats {
    return this.catalog.refreshStats(id);
  }

  rows(input: Input<'datasets.rows'>): ChannelOutput<'datasets.rows'> {
    this.catalog.requireReady(input.id);
    return this.query.page(input.id, input.offset, input.limit, input.filter ?? {});
  }

  /** The exact count of a filter, counted in slices (the row browser asks when a page said "≥ N"). */
  async count(input: Input<'datasets.count'>): Promise<ChannelOutput<'datasets.count'>> {
    this.catalog.requireReady(input.id);
    return { total: await this.query.countAll(input.id, input.filter ?? {}) };
  }

  updateRow(input: Input<'datasets.updateRow'>): ChannelOutput<'datasets.updateRow'> {
    this.catalog.requireReady(input.datasetId);
    const view = this.editor.updateRow(input.datasetId, input.rowId, input.canonical);
    this.rowsChanged(input.datasetId);
    return view;
  }

  async setDeleted(input: Input<'datasets.setDeleted'>): Promise<ChannelOutput<'datasets.setDeleted'>> {
    const { datasetId, ...selection } = input.selection;
    this.catalog.requireReady(datasetId);
    // A task (progress, cancel): deleting a million rows takes a while, a slice at a time.
    const kind = 'datasets.setDeleted';
    const updated = await this.runBulkEdit(kind, datasetId, (control) =>
      this.editor.setDeleted(datasetId, selection, input.deleted, control),
    );
    return { updated };
  }

  async tag(input: Input<'datasets.tag'>): Promise<ChannelOutput<'datasets.tag'>> {
    const { datasetId, ...selection } = input.selection;
    this.catalog.requireReady(datasetId);
    const updated = await this.runBulkEdit('datasets.tag', datasetId, (control) =>
      this.editor.tag(datasetId, selection, input.add ?? [], input.remove ?? [], control),
    );
    return { updated };
  }

  /** Preview duplicates, or (apply) soft-delete every member of each group but its first row. */
  async dedupe(input: Input<'datasets.dedupe'>): Promise<ChannelOutput<'datasets.dedupe'>> {
    this.catalog.requireReady(input.id);
    const threshold = input.mode === 'near' ? (input.threshold ?? DEFAULT_NEAR_THRESHOLD) : null;
    const groups =
      threshold === null
        ? exactDuplicateGroups(this.repos.rows, input.id)
        : await this.runJob('datasets.dedupe', { kind: 'near-duplicates', datasetId: input.id, threshold });
    if (input.apply) {
      const remove = groups.flatMap((g) => g.remove);
      if ((await this.editor.setDeleted(input.id, { rowIds: remove }, true)) > 0) this.rowsChanged(input.id);
    }
    return toPreview(input.mode, threshold, groups, input.apply, (ids) => {
      const found = this.repos.rows.locations(input.id, ids);
      return new Map(found.map((r) => [r.id, rowLabel(r.lineNumber, r.rowIndex)]));
    });
  }

  async split(input: Input<'datasets.split'>): Promise<ChannelOutput<'datasets.split'>> {
    this.catalog.requireReady(input.id);
    const options = { valRatio: input.valRatio, valCount: input.valCount, seed: input.seed };
    try {
      return await this.runJob('datasets.split', {
        kind: 'split',
        datasetId: input.id,
        options,
        now: this.now(),
      });
    } finally {
      // Also after a cancel or a failure: the slices written before it stay.
      this.query.invalidate(input.id, ['split']);
      this.rowsChanged(input.id);
    }
  }

  /**
   * Run a sliced bulk edit as a task: progress events in rows, cancellable between slices. The
   * dataset is announced changed however it ends (a cancelled edit keeps the slices it wrote), and
   * a cancel answers CONFLICT saying how many rows were changed.
   */
  private async runBulkEdit(
    kind: string,
    datasetId: string,
    edit: (control: ScanControl) => Promise<number>,
  ): Promise<number> {
    let changed = 0;
    try {
      changed = await this.runTask(kind, datasetId, (reporter) =>
        edit({ signal: reporter.signal, progress: (done, total) => reporter.progress(done, total) }),
      );
      return changed;
    } catch (error) {
      if (error instanceof EditCancelledError) changed = error.changed;
      throw error;
    } finally {
      if (changed > 0) this.rowsChanged(datasetId);
    }
  }

  async tokenStats(input: Input<'datasets.tokenStats'>): Promise<TokenStats> {
    this.catalog.requireReady(input.id);
    const options = {
      modelDir: input.modelDir,
      maxSeqLen: input.maxSeqLen,
      workers: this.deps.tokenWorkers ?? defaultTokenWorkers(),
      now: this.now,
    };
    const stats = await this.runTask('datasets.tokenStats', input.id, (reporter) =>
      countTokensInWorkers(this.runner(), this.query, input.id, options, reporter),
    );
    this.changed(input.id);
    return stats;
  }

  async freeze(input: Input<'datasets.freeze'>): Promise<DatasetVersion> {
    this.catalog.requireReady(input.id);
    const deps = { rows: this.repos.rows, datasets: this.repos.datasets, dataDir: this.deps.dataDir };
    const version = await freezeDataset(deps, input.id, input.note ?? null);
    this.changed(input.id);
    return toDatasetVersion(version);
  }

  export(input: Input<'datasets.export'>): Promise<ChannelOutput<'datasets.export'>> {
    const deps = { rows: this.repos.rows, datasets: this.repos.datasets, dataDir: this.deps.dataDir };
    return exportVersion(deps, input.versionId, input.shape, input.path);
  }

  /** Run one heavy job as a task (progress events, cancellable) and resolve with its result. */
  private runJob<J extends CurationJob>(kind: string, job: J): Promise<CurationResults[J['kind']]> {
    return this.runTask(kind, job.datasetId, (reporter) => runCurationJob(this.runner(), job, reporter));
  }

  /** Run work as a task of the registry, resolving with its result (the task's result id is the dataset). */
  private runTask<T>(
    kind: string,
    datasetId: string,
    work: (reporter: TaskReporter) => Promise<T>,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      this.deps.tasks.start(kind, async (reporter) => {
        try {
          const result = await work(reporter);
          resolve(result);
          return datasetId;
        } catch (error) {
          reject(reporter.signal.aborted ? cancelled(kind, error) : error);
          throw error;
        }
      });
    });
  }

  private runner(): CurationRunner {
    return {
      repos: this.repos,
      inWorker: this.deps.workers ?? true,
      dbFile: this.deps.dbFile ?? this.deps.sqlite.name,
      nativeBinding: this.deps.sqliteNativeBinding,
    };
  }

  /**
   * Recompute a big dataset's stale statistics shortly, once however many changes come in the
   * meantime, then tell the renderer (`changed`) to read them.
   */
  private refreshSoon(id: string): void {
    if (this.pendingRefresh.has(id)) return;
    const timer = setTimeout(() => {
      this.pendingRefresh.delete(id);
      if (!this.deps.sqlite.open) return;
      try {
        this.catalog.refreshStats(id);
        this.changed(id);
      } catch (error) {
        console.error(`refreshing the statistics of ${id} failed:`, error);
      }
    }, STATS_REFRESH_DELAY_MS);
    timer.unref();
    this.pendingRefresh.set(id, timer);
  }

  /** Rows changed: statistics go stale (cached totals were invalidated by whoever changed them). */
  private rowsChanged(datasetId: string): void {
    this.catalog.markStatsStale(datasetId);
    this.changed(datasetId);
  }

  private changed(id: string): void {
    this.deps.events.emit('changed', { entity: 'datasets', id });
  }
}

/** A cancelled bulk edit's answer: CONFLICT, saying how many rows it had changed by then. */
class EditCancelledError extends AppError {
  constructor(
    kind: string,
    readonly changed: number,
    message: string,
  ) {
    super('CONFLICT', `${kind} was ${message}.`, { changed });
  }
}

/** What a cancelled task answers: CONFLICT, with the rows a bulk edit had changed by then. */
function cancelled(kind: string, error: unknown): AppError {
  if (error instanceof BulkEditCancelledError)
    return new EditCancelledError(kind, error.changed, error.message);
  return new AppError('CONFLICT', `${kind} was cancelled.`);
}
