/**
 * Job rows as the contract shows them: JobSummary for lists and progress, JobDetail with the
 * config, reproducibility record, timeline and checkpoints for the job page.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingJobRow } from '../../db/repositories/training-jobs-repository';
import {
  DevicePlanSchema,
  type JobDetail,
  type JobStatus,
  type JobSummary,
  type TrainerConfig,
  TrainerConfigSchema,
} from '../../preload/contract';
import { AppError } from '../errors';
import { gpuIndicesOf } from './job-queue';
import { checkpointsOf, type TimelineEntry } from './run-timeline';

const PHASE_NOTES: Readonly<Record<string, string>> = {
  loading_model: 'loading the model',
  tokenizing: 'tokenizing the dataset',
  training: 'training',
  saving: 'saving the adapter',
};

/** The contract's summary of a job row. */
export function toJobSummary(row: TrainingJobRow, lastLoss: number | null): JobSummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status as JobStatus,
    datasetVersionId: row.datasetVersionId,
    baseModelPath: row.baseModelPath,
    gpuIndices: gpuIndicesOf(row),
    step: row.step,
    maxSteps: row.maxSteps,
    progress: row.progress,
    etaSeconds: row.etaSeconds,
    lastLoss,
    error: row.error,
    createdAt: row.createdAt,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    attempt: row.attempt,
    earlierAttemptsSeconds: row.earlierAttemptsMs / 1000,
  };
}

/** The stored config of a job, validated. */
export function configOf(row: TrainingJobRow): TrainerConfig {
  const parsed = TrainerConfigSchema.safeParse(JSON.parse(row.configJson));
  if (!parsed.success)
    throw new AppError('INTERNAL', `Job ${row.id} holds a config that no longer validates.`);
  return parsed.data;
}

function parseRecord(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Status changes and phases, oldest first; the row's own times when the history is missing. */
export function timelineOf(
  row: TrainingJobRow,
  entries: ReadonlyArray<TimelineEntry>,
): JobDetail['timeline'] {
  const out: JobDetail['timeline'] = [];
  for (const e of entries) {
    if (e.kind === 'status') out.push({ status: e.status, at: e.at, note: e.note });
    else if (e.kind === 'phase') {
      const status = e.phase === 'loading_model' || e.phase === 'tokenizing' ? 'starting' : 'running';
      out.push({ status, at: e.at, note: PHASE_NOTES[e.phase] ?? e.phase });
    } else if (e.kind === 'started') out.push({ status: 'running', at: e.at, note: e.note || null });
    else if (e.kind === 'warning') out.push({ status: 'warning', at: e.at, note: e.message });
  }
  if (out.length > 0) return out;
  const derived: JobDetail['timeline'] = [];
  if (row.queuedAt !== null) derived.push({ status: 'queued', at: row.queuedAt, note: null });
  if (row.startedAt !== null) derived.push({ status: 'starting', at: row.startedAt, note: null });
  if (row.finishedAt !== null) derived.push({ status: row.status, at: row.finishedAt, note: row.error });
  return derived;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The contract's detail of a job row. */
export async function toJobDetail(
  row: TrainingJobRow,
  extra: {
    readonly dataDir: string;
    readonly lastLoss: number | null;
    readonly badEventLines: number;
    readonly timeline: ReadonlyArray<TimelineEntry>;
  },
): Promise<JobDetail> {
  const runDir = join(extra.dataDir, row.runDir);
  const checkpoints: JobDetail['checkpoints'] = [];
  // Checkpoints the trainer reported and that still exist (save_total_limit deletes old ones).
  for (const c of checkpointsOf(extra.timeline)) {
    if (await exists(join(runDir, c.path))) checkpoints.push(c);
  }
  const reproducibility = parseRecord(row.reproducibilityJson);
  const devices = DevicePlanSchema.safeParse(reproducibility.devices);
  return {
    ...toJobSummary(row, extra.lastLoss),
    config: configOf(row),
    reproducibility,
    devices: devices.success ? devices.data : null,
    runDir,
    pid: row.pid,
    exitCode: row.exitCode,
    exitSignal: row.exitSignal,
    resumedFromJobId: row.resumedFromJobId,
    timeline: timelineOf(row, extra.timeline),
    checkpoints,
    badEventLines: extra.badEventLines,
  };
}
