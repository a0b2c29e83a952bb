import type { JobSummary } from '../../../../preload/contract';
import { isActive } from '../../state/training-store';

/**
 * Seconds a job has run, all attempts together: the earlier attempts' time plus the current one's
 * (start to finish, or start to `now` while it runs); null before it ever started.
 */
export function jobDurationSeconds(job: Readonly<JobSummary>, now: number): number | null {
  const earlier = job.earlierAttemptsSeconds;
  if (job.startedAt === null) return earlier > 0 ? earlier : null;
  const end = job.finishedAt ?? (isActive(job.status) ? now : null);
  return end === null ? (earlier > 0 ? earlier : null) : earlier + Math.max(0, (end - job.startedAt) / 1000);
}

/** The progress bar's value: the fraction done, or null (indeterminate) while starting. */
export function jobProgressValue(job: Readonly<JobSummary>): number | null {
  if (job.status === 'starting' || (job.status === 'running' && job.maxSteps === null)) return null;
  if (job.status === 'completed') return 1;
  return job.progress;
}
