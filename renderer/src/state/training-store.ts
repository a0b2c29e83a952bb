import { create } from 'zustand';
import type { ApiError, EventPayload, JobStatus, JobSummary } from '../../../preload/contract';

/** A `job.progress` event. */
export type JobProgress = EventPayload<'job.progress'>;

/** The job list, kept live by `job.progress` events and refetched on `changed {entity:'jobs'}`. */
export interface TrainingState {
  readonly jobs: ReadonlyArray<JobSummary>;
  readonly loaded: boolean;
  readonly error: ApiError | null;
  /** Bumped on every `changed {entity:'jobs'}`, so an open job page knows to refetch its detail. */
  readonly changes: number;
  /** The id of the last change (null: several or unknown jobs changed). */
  readonly lastChangedId: string | null;
}

/** Training jobs for the Training page and the job page. */
export const useTrainingStore = create<TrainingState>()(() => ({
  jobs: [],
  loaded: false,
  error: null,
  changes: 0,
  lastChangedId: null,
}));

/** Statuses in which a job still moves by itself (live updates expected). */
export const ACTIVE_STATUSES: ReadonlySet<JobStatus> = new Set(['queued', 'starting', 'running']);

/** True while a job may still change without anyone acting on it. */
export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.has(status);
}

/**
 * The list with one progress event applied (pure). Returns the same array when the job is not in
 * the list, so the caller can tell it needs a refetch.
 */
export function applyJobProgress(
  jobs: ReadonlyArray<JobSummary>,
  event: Readonly<JobProgress>,
): ReadonlyArray<JobSummary> {
  const index = jobs.findIndex((job) => job.id === event.id);
  if (index === -1) return jobs;
  const current = jobs[index]!;
  const next: JobSummary = {
    ...current,
    status: event.status,
    step: event.step,
    maxSteps: event.maxSteps,
    progress: event.progress,
    etaSeconds: event.etaSeconds,
    lastLoss: event.loss ?? current.lastLoss,
  };
  return jobs.map((job, i) => (i === index ? next : job));
}
