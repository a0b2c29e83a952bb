import type { JobDetail, JobStatus } from '../../../../../preload/contract';
import { formatDateTime } from '../../../format/format';
import { statusLabel } from '../job-status-badge';
import styles from './job-page.module.css';

const KNOWN: ReadonlySet<string> = new Set<JobStatus>([
  'queued',
  'starting',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);

/** The job's status changes, oldest first, with their times and notes. */
export function JobTimeline({ job }: { job: Readonly<JobDetail> }) {
  return (
    <section className={styles.card} aria-labelledby="job-timeline-heading" data-testid="job-timeline">
      <div className={styles.cardHead}>
        <h2 id="job-timeline-heading" className={styles.cardTitle}>
          Timeline
        </h2>
      </div>
      {job.timeline.length === 0 ? (
        <p className={styles.help}>No status changes recorded yet.</p>
      ) : (
        <ol className={styles.timeline}>
          {job.timeline.map((entry, index) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: the timeline only grows at the end, and a status may repeat at the same ms
              key={`${index}-${entry.status}-${entry.at}`}
              className={styles.event}
              data-testid="timeline-entry"
              data-status={entry.status}
            >
              <strong>
                {KNOWN.has(entry.status)
                  ? statusLabel(entry.status as JobStatus)
                  : entry.status === 'warning'
                    ? 'Warning'
                    : entry.status}
              </strong>
              <time className={styles.eventTime} dateTime={new Date(entry.at).toISOString()}>
                {formatDateTime(entry.at)}
              </time>
              {entry.note !== null && <span className={styles.eventNote}>{entry.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
