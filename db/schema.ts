/**
 * The database schema. Conventions (ARCHITECTURE.md "Data"): text ids, integer ms timestamps,
 * `created_at`/`updated_at` on every table, soft delete via `deleted_at`, JSON columns as text typed
 * by zod at the repository edge, paths relative to the data folder, an index for every list query.
 * Change it, then `npm run db:generate`; never edit a generated migration.
 */
import {
  customType,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/**
 * A BLOB held in a column declared TEXT: SQLite keeps a BLOB as it is whatever the affinity, so a
 * column that changed from hex text to bytes (dataset_rows.content_hash, migration
 * content_hash_blob) keeps its declaration, and drizzle-kit rebuilds no table (a rebuild would drop
 * the search triggers and indexes that raw-SQL migrations made).
 */
const blobInTextColumn = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'text' });

const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
};

/** An imported dataset: the original file, its detected shape and its curated rows. */
export const datasets = sqliteTable(
  'datasets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** File format: jsonl | json | csv | tsv | parquet | txt. */
    format: text('format').notNull(),
    /** Row shape: chat | sharegpt | alpaca | prompt_completion | text. */
    shape: text('shape').notNull(),
    /** Evidence for the detected shape, and whether the user overrode it. */
    detectionJson: text('detection_json').notNull().default('{}'),
    /** importing | ready | failed. */
    status: text('status').notNull(),
    sourceName: text('source_name').notNull(),
    /** The kept original file, relative to the data folder. */
    filePath: text('file_path'),
    sizeBytes: integer('size_bytes').notNull().default(0),
    sha256: text('sha256'),
    rowCount: integer('row_count').notNull().default(0),
    validCount: integer('valid_count').notNull().default(0),
    invalidCount: integer('invalid_count').notNull().default(0),
    statsJson: text('stats_json').notNull().default('{}'),
    /** Column mapping for CSV/TSV and other import options. */
    optionsJson: text('options_json').notNull().default('{}'),
    error: text('error'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('datasets_list_idx').on(t.deletedAt, t.createdAt)],
);

/** One row of a dataset: the original as imported, the canonical form and its validation. */
export const datasetRows = sqliteTable(
  'dataset_rows',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: text('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    /** 0-based position in the imported file. */
    rowIndex: integer('row_index').notNull(),
    /** 1-based line in the source file (JSONL/CSV/TXT), null where lines mean nothing. */
    lineNumber: integer('line_number'),
    originalJson: text('original_json').notNull(),
    /** `{ messages: [...] }` or `{ text }`; null when the row is invalid beyond repair. */
    canonicalJson: text('canonical_json'),
    valid: integer('valid', { mode: 'boolean' }).notNull(),
    /** `[{ path, message }]`: what is wrong, in words a person can act on. */
    problemsJson: text('problems_json').notNull().default('[]'),
    charLength: integer('char_length').notNull().default(0),
    tokenCount: integer('token_count'),
    turns: integer('turns').notNull().default(0),
    /** The first 8 bytes of the row's sha256 content hash, as a BLOB (normalise/content-hash.ts). */
    contentHash: blobInTextColumn('content_hash'),
    tagsJson: text('tags_json').notNull().default('[]'),
    /** train | val | null (unsplit). */
    split: text('split'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  // Only the position index is declared here; the row browser's covering indexes are in migration
  // 0001_rows_search. (dataset_id, valid), (dataset_id, content_hash) and (dataset_id, char_length)
  // were dropped: every query uses those covering indexes instead, and the three cost a third of the
  // import's index writes (the random-order hash index most of all) and ~14% of the database.
  (t) => [uniqueIndex('dataset_rows_position_idx').on(t.datasetId, t.rowIndex)],
);

/** A frozen, immutable JSONL snapshot of a dataset's curated rows; training jobs reference one. */
export const datasetVersions = sqliteTable(
  'dataset_versions',
  {
    id: text('id').primaryKey(),
    datasetId: text('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    /** Relative to the data folder. */
    filePath: text('file_path').notNull(),
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    rowCount: integer('row_count').notNull(),
    trainCount: integer('train_count').notNull(),
    valCount: integer('val_count').notNull(),
    note: text('note'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [uniqueIndex('dataset_versions_number_idx').on(t.datasetId, t.version)],
);

/** A fine-tuning run: its resolved config, its process and where it got to. */
export const trainingJobs = sqliteTable(
  'training_jobs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    datasetVersionId: text('dataset_version_id').references(() => datasetVersions.id, {
      onDelete: 'restrict',
    }),
    baseModelPath: text('base_model_path').notNull(),
    /** The full resolved config (zod-typed), as written to the run folder's config.json. */
    configJson: text('config_json').notNull(),
    /** Everything needed to rerun it: dataset sha256, model config hash, library versions, seed. */
    reproducibilityJson: text('reproducibility_json').notNull().default('{}'),
    /** queued | starting | running | completed | failed | cancelled | interrupted. */
    status: text('status').notNull(),
    /** JSON array of GPU indices this job runs on; the queue runs one job per GPU set. */
    gpuIndicesJson: text('gpu_indices_json').notNull().default('[]'),
    priority: integer('priority').notNull().default(0),
    runDir: text('run_dir').notNull(),
    pid: integer('pid'),
    /** The OS's start time of `pid` (ms), so a reused pid is never signalled. */
    processStartTime: integer('process_start_time'),
    /** How far events.jsonl has been read, in bytes, and the last seq stored. */
    eventsOffset: integer('events_offset').notNull().default(0),
    lastSeq: integer('last_seq').notNull().default(0),
    step: integer('step').notNull().default(0),
    maxSteps: integer('max_steps'),
    progress: real('progress').notNull().default(0),
    etaSeconds: real('eta_seconds'),
    exitCode: integer('exit_code'),
    exitSignal: text('exit_signal'),
    error: text('error'),
    resumedFromJobId: text('resumed_from_job_id'),
    /** 1 for the first run; each resume starts the next attempt in the same run folder. */
    attempt: integer('attempt').notNull().default(1),
    /** Milliseconds the earlier attempts ran (started → finished), so durations add up attempts. */
    earlierAttemptsMs: integer('earlier_attempts_ms').notNull().default(0),
    queuedAt: integer('queued_at'),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    index('training_jobs_status_idx').on(t.status, t.priority, t.queuedAt),
    index('training_jobs_list_idx').on(t.deletedAt, t.createdAt),
  ],
);

/** One metric value of a job at a step (loss, learning_rate, eval_loss, tokens_per_s, gpu_util…). */
export const metricsPoints = sqliteTable(
  'metrics_points',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id')
      .notNull()
      .references(() => trainingJobs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    step: integer('step').notNull(),
    value: real('value'),
    /** Wall-clock ms of the measurement. */
    ts: integer('ts').notNull(),
    /**
     * The job's attempt that logged it. A resumed run that logs a step again supersedes the earlier
     * attempt's point without deleting it: the current curve takes each step's latest attempt.
     */
    attempt: integer('attempt').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('metrics_points_series_idx').on(t.jobId, t.name, t.step, t.attempt),
    // Covers chart reads (min/max per step bucket) without touching the table rows.
    index('metrics_points_chart_idx').on(t.jobId, t.name, t.step, t.value, t.ts),
  ],
);

/**
 * Summary buckets of a job's public metric series, written with each metric batch (and back-filled
 * by their migration): per series and attempt, fixed-width step buckets of 2^level steps at a few
 * levels (5, 8, 11, 14, 17), each with its count, sum and the points holding its lowest and highest value. A chart
 * over any range reads about its point budget of these instead of every point.
 */
export const metricsRollup = sqliteTable(
  'metrics_rollup',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => trainingJobs.id, { onDelete: 'cascade' }),
    /** Bucket width is 2^level steps; the bucket holds steps bucket·2^level … (bucket+1)·2^level − 1. */
    level: integer('level').notNull(),
    name: text('name').notNull(),
    attempt: integer('attempt').notNull(),
    bucket: integer('bucket').notNull(),
    count: integer('count').notNull(),
    /** Points with a value (a non-finite one is stored as null). */
    valueCount: integer('value_count').notNull(),
    sum: real('sum').notNull(),
    firstStep: integer('first_step').notNull(),
    lastStep: integer('last_step').notNull(),
    /** The earliest and latest time of its points (ms): a time range finds its buckets by these. */
    tsLo: integer('ts_lo').notNull(),
    tsHi: integer('ts_hi').notNull(),
    /** The lowest value and its point (ties: the lowest step); null when no point has a value. */
    minValue: real('min_value'),
    minStep: integer('min_step'),
    minTs: integer('min_ts'),
    maxValue: real('max_value'),
    maxStep: integer('max_step'),
    maxTs: integer('max_ts'),
    ...timestamps,
  },
  // Level before name: the attempts' step spans are one short range read (one level, every name).
  (t) => [primaryKey({ columns: [t.jobId, t.level, t.name, t.attempt, t.bucket] })],
);

/**
 * One GPU's telemetry sample taken while a job ran on it (nvidia-smi, about 1 Hz). Charts and the
 * energy/cost integration read the same rows; a field the driver reports as N/A is null.
 */
export const gpuSamples = sqliteTable(
  'gpu_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id')
      .notNull()
      .references(() => trainingJobs.id, { onDelete: 'cascade' }),
    gpuIndex: integer('gpu_index').notNull(),
    /** Wall-clock ms of the sample. */
    ts: integer('ts').notNull(),
    utilizationPct: real('utilization_pct'),
    memoryUsedMb: real('memory_used_mb'),
    memoryTotalMb: real('memory_total_mb'),
    temperatureC: real('temperature_c'),
    powerDrawW: real('power_draw_w'),
    powerLimitW: real('power_limit_w'),
    smClockMhz: real('sm_clock_mhz'),
    ...timestamps,
  },
  (t) => [index('gpu_samples_job_ts_idx').on(t.jobId, t.ts)],
);

/** A file the app produced: an adapter, a merged model, an export. */
export const modelArtifacts = sqliteTable(
  'model_artifacts',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id').references(() => trainingJobs.id, { onDelete: 'set null' }),
    /** adapter | merged | gguf | export. */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** Relative to the data folder. */
    path: text('path').notNull(),
    sizeBytes: integer('size_bytes').notNull().default(0),
    sha256: text('sha256'),
    baseModelPath: text('base_model_path'),
    metaJson: text('meta_json').notNull().default('{}'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    index('model_artifacts_list_idx').on(t.deletedAt, t.createdAt),
    index('model_artifacts_job_idx').on(t.jobId),
  ],
);

/** The energy and cost of a job, integrated from GPU power samples. */
export const costRecords = sqliteTable(
  'cost_records',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => trainingJobs.id, { onDelete: 'cascade' }),
    energyWh: real('energy_wh').notNull().default(0),
    gpuHours: real('gpu_hours').notNull().default(0),
    pricePerKwh: real('price_per_kwh').notNull(),
    currency: text('currency').notNull(),
    cost: real('cost').notNull().default(0),
    startedAt: integer('started_at'),
    endedAt: integer('ended_at'),
    /** Hardware amortisation (rate per GPU-hour × GPU-hours), in `currency`; 0 when no rate is set. */
    amortisationCost: real('amortisation_cost').notNull().default(0),
    /** What the same GPU-hours would have cost rented (Settings' $/GPU-hour per model); null if unknown. */
    cloudCost: real('cloud_cost'),
    /** The GPU model the job ran on (nvidia-smi's name), for the cloud reference. */
    gpuName: text('gpu_name'),
    /** 1 once the job has ended and the record will not change; 0 while it runs. */
    final: integer('final').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('cost_records_job_idx').on(t.jobId), index('cost_records_ended_idx').on(t.endedAt)],
);

/** Something the user should know about: a run ended, an import, merge or export finished, a budget. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    /** NotificationKindSchema in preload/contract.ts (job.completed, budget.threshold, …). */
    kind: text('kind').notNull(),
    /** One notification per event, also across restarts: e.g. `job:<id>:completed:<startedAt>`. */
    eventKey: text('event_key'),
    jobId: text('job_id').references(() => trainingJobs.id, { onDelete: 'set null' }),
    datasetId: text('dataset_id'),
    title: text('title').notNull(),
    body: text('body'),
    readAt: integer('read_at'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    index('notifications_list_idx').on(t.deletedAt, t.readAt, t.createdAt),
    uniqueIndex('notifications_event_key_idx').on(t.eventKey),
  ],
);

/** Key → JSON value; keys and their schemas live in preload/contract.ts (SETTINGS_SCHEMA). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  ...timestamps,
});
