import {
  CircleCheck,
  CircleDashed,
  CircleSlash,
  CircleX,
  Clock,
  LoaderCircle,
  type LucideIcon,
  Unplug,
} from 'lucide-react';
import type { JobStatus } from '../../../../preload/contract';
import styles from './job-status-badge.module.css';

const BADGES: Readonly<Record<JobStatus, { label: string; icon: LucideIcon; tone: string }>> = {
  queued: { label: 'Queued', icon: Clock, tone: 'neutral' },
  starting: { label: 'Starting', icon: CircleDashed, tone: 'accent' },
  running: { label: 'Running', icon: LoaderCircle, tone: 'accent' },
  completed: { label: 'Completed', icon: CircleCheck, tone: 'success' },
  failed: { label: 'Failed', icon: CircleX, tone: 'danger' },
  cancelled: { label: 'Cancelled', icon: CircleSlash, tone: 'neutral' },
  interrupted: { label: 'Interrupted', icon: Unplug, tone: 'warning' },
};

/** A job's status as a small coloured badge with an icon (colour is never the only signal). */
export function JobStatusBadge({ status, testId }: { status: JobStatus; testId?: string }) {
  const { label, icon: Icon, tone } = BADGES[status];
  return (
    <span className={`${styles.badge} ${styles[tone]}`} data-testid={testId} data-status={status}>
      <Icon size={12} aria-hidden="true" className={status === 'running' ? styles.spin : undefined} />
      {label}
    </span>
  );
}

/** The word for a status, for places that show text only. */
export function statusLabel(status: JobStatus): string {
  return BADGES[status].label;
}
