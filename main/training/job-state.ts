/**
 * The job state machine: every status a training job can have and the only changes allowed between
 * them. TrainingJobsRepository checks each status write against this table, so no code path can move
 * a job backwards (a finished run back to running) or skip the queue.
 *
 *   queued ──▶ starting ──▶ running ──▶ completed | failed | cancelled | interrupted
 *     │           └──────────────────▶ completed | failed | cancelled | interrupted
 *     └──▶ cancelled                   failed | cancelled | interrupted ──▶ queued (resume)
 */
import { type JobStatus, JobStatusSchema } from '../../preload/contract';
import { AppError } from '../errors';

/** Statuses in which a job has ended (a resume or retry starts it again). */
export const FINAL_JOB_STATUSES = ['completed', 'failed', 'cancelled', 'interrupted'] as const;
export type FinalJobStatus = (typeof FINAL_JOB_STATUSES)[number];

/** Statuses a job may be resumed from (from its last checkpoint, in the same run folder). */
export const RESUMABLE_JOB_STATUSES = ['failed', 'cancelled', 'interrupted'] as const;

/** Statuses of a job that still owns (or will own) a process. */
export const ACTIVE_JOB_STATUSES = ['queued', 'starting', 'running'] as const;

/**
 * The allowed transitions, from → to. `starting` may end without passing `running`: a trainer can
 * fail to load its model, be cancelled while loading, or finish before its first log line.
 */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, ReadonlyArray<JobStatus>>> = {
  queued: ['starting', 'cancelled'],
  starting: ['running', 'completed', 'failed', 'cancelled', 'interrupted'],
  running: ['completed', 'failed', 'cancelled', 'interrupted'],
  completed: [],
  failed: ['queued'],
  cancelled: ['queued'],
  interrupted: ['queued'],
};

/** A status change the state machine refuses. */
export class JobTransitionError extends AppError {
  constructor(
    readonly jobId: string,
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    const allowed = JOB_TRANSITIONS[from];
    super(
      'CONFLICT',
      `Job ${jobId} is ${from} and cannot become ${to}` +
        (allowed.length > 0
          ? ` (from ${from} it may become ${allowed.join(' or ')}).`
          : ` (${from} is final).`),
      { jobId, from, to },
    );
    this.name = 'JobTransitionError';
  }
}

/** Whether a job may go from one status to another. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

/** Check a status change; throws JobTransitionError when the table does not allow it. */
export function assertTransition(jobId: string, from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) throw new JobTransitionError(jobId, from, to);
}

/** Whether a status is one of the final ones. */
export function isFinal(status: JobStatus): status is FinalJobStatus {
  return (FINAL_JOB_STATUSES as ReadonlyArray<JobStatus>).includes(status);
}

/** A status as stored in a row, checked: an unknown word is a corrupt row, not a new status. */
export function parseJobStatus(jobId: string, stored: string): JobStatus {
  const parsed = JobStatusSchema.safeParse(stored);
  if (!parsed.success) throw new AppError('INTERNAL', `Job ${jobId} has an unknown status "${stored}".`);
  return parsed.data;
}
