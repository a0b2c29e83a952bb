/**
 * What a person is told when a run ends: the run's name, how long it took, its final loss and
 * cost; for a failure the first line of the error, and for running out of GPU memory what to try.
 */
import type { JobCost, NotificationKind } from '../../preload/contract';
import { moneyText } from '../costs/cost-rates';
import type { JobEnd } from '../training/job-outcome';
import type { NotificationRequest } from './notifier';

/** Advice shown with an out-of-memory failure. */
export const OOM_ADVICE =
  'Out of GPU memory: lower the batch size or the sequence length, or enable QLoRA or gradient checkpointing.';

const OOM_PATTERN = /out of memory|\bOOM\b|CUBLAS_STATUS_ALLOC_FAILED/i;

function kindOf(status: JobEnd['status']): NotificationKind {
  switch (status) {
    case 'completed':
      return 'job.completed';
    case 'failed':
      return 'job.failed';
    case 'cancelled':
      return 'job.cancelled';
    case 'interrupted':
      return 'job.interrupted';
    default: {
      const never: never = status;
      throw new Error(`unknown final status ${String(never)}`);
    }
  }
}

const TITLES: Readonly<Record<JobEnd['status'], string>> = {
  completed: 'Training finished',
  failed: 'Training failed',
  cancelled: 'Training cancelled',
  interrupted: 'Training interrupted',
};

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatRunDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The notification for a run that ended. */
export function jobEndNotification(
  end: JobEnd,
  extra: { readonly finalLoss: number | null; readonly cost: JobCost | null },
): NotificationRequest {
  const { job } = end;
  const parts: string[] = [];
  if (end.status === 'failed' || end.status === 'interrupted') {
    const firstLine = (end.reason ?? 'no reason recorded').split('\n')[0]?.trim() ?? '';
    parts.push(firstLine);
    if (end.status === 'failed' && (end.oom || OOM_PATTERN.test(end.reason ?? ''))) parts.push(OOM_ADVICE);
  } else if (end.note) {
    parts.push(end.note.charAt(0).toUpperCase() + end.note.slice(1));
  }
  const facts: string[] = [];
  if (job.startedAt !== null && job.finishedAt !== null) {
    facts.push(`ran ${formatRunDuration(job.finishedAt - job.startedAt)}`);
  }
  if (extra.finalLoss !== null) facts.push(`final loss ${extra.finalLoss.toFixed(4)}`);
  if (extra.cost !== null && extra.cost.energyWh > 0) {
    facts.push(`${extra.cost.energyWh.toFixed(1)} Wh, ${moneyText(extra.cost.cost, extra.cost.currency)}`);
  }
  if (facts.length > 0) {
    const line = facts.join(' · ');
    parts.push(`${line.charAt(0).toUpperCase()}${line.slice(1)}.`);
  }
  return {
    kind: kindOf(end.status),
    // One per end of one attempt: a resumed job that ends again is a new event.
    eventKey: `job:${job.id}:${end.status}:${job.startedAt ?? job.createdAt}`,
    title: `${TITLES[end.status]}: ${job.name}`,
    body: parts.join('\n'),
    jobId: job.id,
  };
}
