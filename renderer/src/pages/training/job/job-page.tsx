import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiError, JobDetail } from '../../../../../preload/contract';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { PageHeader } from '../../../components/page-header';
import { formatDateTime } from '../../../format/format';
import { keepLatest } from '../../../state/keep-latest';
import { isActive, useTrainingStore } from '../../../state/training-store';
import { JobStatusBadge } from '../job-status-badge';
import { useThrottledEffect } from '../use-throttled-effect';
import { JobActions } from './job-actions';
import { JobCharts } from './job-charts';
import { JobCheckpoints } from './job-checkpoints';
import { JobConfig } from './job-config';
import { JobLive } from './job-live';
import { JobLogs } from './job-logs';
import styles from './job-page.module.css';
import { JobReproducibility } from './job-reproducibility';
import { JobTimeline } from './job-timeline';

/** How often, at most, a running job's detail is re-read while it makes progress. */
const DETAIL_EVERY_MS = 5000;

/** One job (`/training/jobs/:id`): live progress, timeline, config, checkpoints, record, logs, actions. */
export function JobPage() {
  const { id = '' } = useParams();
  const client = useClient();
  const [detail, setDetail] = useState<JobDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const summary = useTrainingStore((state) => state.jobs.find((job) => job.id === id));
  const changes = useTrainingStore((state) =>
    state.lastChangedId === null || state.lastChangedId === id ? state.changes : -1,
  );

  const load = useMemo(
    () =>
      keepLatest(
        () => client.call('jobs.get', { id }),
        (value) => {
          setDetail(value);
          setError(null);
        },
        (caught) => setError(toApiError(caught)),
      ),
    [client, id],
  );

  // Refetch when this job (or jobs in general) changed; `changes` is -1 for other jobs' changes.
  const seenChanges = useRef(changes);
  useEffect(() => {
    if (changes === -1 || changes === seenChanges.current) return;
    seenChanges.current = changes;
    void load();
  }, [load, changes]);

  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);

  // Checkpoints and the timeline's notes change without a status change: refresh now and then while
  // steps come in.
  const liveStep = summary !== undefined && isActive(summary.status) ? summary.step : null;
  useThrottledEffect(liveStep, () => liveStep !== null && void load(), DETAIL_EVERY_MS);

  // Live fields from `job.progress` (via the store) win over the last fetched detail.
  const job: JobDetail | null =
    detail === null
      ? null
      : summary === undefined
        ? detail
        : {
            ...detail,
            status: summary.status,
            step: summary.step,
            maxSteps: summary.maxSteps,
            progress: summary.progress,
            etaSeconds: summary.etaSeconds,
            lastLoss: summary.lastLoss,
          };

  if (job === null) {
    return (
      <div data-testid="page-job">
        <PageHeader title="Training job" description={<Link to="/training">Training</Link>} />
        {error === null ? (
          <p className={styles.muted}>Loading…</p>
        ) : (
          <p className={styles.error} role="alert" data-testid="job-load-error">
            {error.code === 'NOT_FOUND'
              ? `There is no job ${id}.`
              : `The job could not be loaded: ${error.message}`}
          </p>
        )}
      </div>
    );
  }

  return (
    <div data-testid="page-job" data-job-id={job.id} data-status={job.status}>
      <PageHeader
        title={job.name}
        description={
          <span className={styles.subtitle}>
            <Link to="/training">Training</Link>
            <JobStatusBadge status={job.status} testId="job-page-status" />
            <span className={styles.mono}>{job.id}</span>
            <span>created {formatDateTime(job.createdAt)}</span>
          </span>
        }
        actions={<JobActions job={job} />}
      />
      {error !== null && (
        <p className={styles.error} role="alert">
          Could not refresh: {error.message}
        </p>
      )}
      {job.error !== null && (
        <div className={styles.error} role="alert" data-testid="job-error">
          <strong>{job.status === 'interrupted' ? 'Interrupted' : 'Failed'}:</strong> {job.error}
          {(job.exitCode !== null || job.exitSignal !== null) && (
            <span className={styles.exit}>
              {' '}
              (exit {job.exitCode ?? '–'}
              {job.exitSignal !== null ? `, signal ${job.exitSignal}` : ''})
            </span>
          )}
        </div>
      )}
      <JobLive job={job} />
      <JobCharts job={job} />
      <div className={styles.grid}>
        <div className={styles.stack}>
          <JobTimeline job={job} />
          <JobCheckpoints job={job} />
          <JobReproducibility job={job} />
        </div>
        <JobConfig job={job} />
      </div>
      <JobLogs job={job} />
    </div>
  );
}
