import { Link } from 'react-router';
import type { JobCost, JobSummary } from '../../../../preload/contract';
import { useChannel } from '../../api/use-channel';
import { ProgressBar } from '../../components/progress-bar';
import {
  formatDateTime,
  formatDuration,
  formatLoss,
  formatMoney,
  formatRelative,
  formatSteps,
} from '../../format/format';
import { isActive } from '../../state/training-store';
import { JobStatusBadge } from './job-status-badge';
import styles from './job-table.module.css';
import { jobDurationSeconds, jobProgressValue } from './job-timing';
import { useNow } from './use-now';

/** The job list: one row per job, newest first, with live progress; rows can be ticked to compare. */
export function JobTable({
  jobs,
  selected,
  onToggle,
}: {
  jobs: ReadonlyArray<JobSummary>;
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
}) {
  const now = useNow(jobs.some((job) => isActive(job.status)));
  const sorted = [...jobs].sort((a, b) => b.createdAt - a.createdAt);
  const { value: costs } = useChannel('costs.report', {}, ['costs', 'jobs', 'settings']);
  const costOf = new Map((costs?.jobs ?? []).map((c) => [c.jobId, c]));
  const holdReason = costs?.budget.holdReason ?? null;
  return (
    <div className={styles.scroller}>
      <table className={styles.table} data-testid="job-table">
        <thead>
          <tr>
            {onToggle && (
              <th scope="col" className={styles.pick}>
                <span className="visually-hidden">Compare</span>
              </th>
            )}
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col" className={styles.progressCol}>
              Progress
            </th>
            <th scope="col" className={styles.num}>
              ETA
            </th>
            <th scope="col" className={styles.num}>
              Duration
            </th>
            <th scope="col" className={styles.num}>
              Last loss
            </th>
            <th scope="col" className={styles.num}>
              Cost
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              now={now}
              cost={costOf.get(job.id) ?? null}
              holdReason={job.status === 'queued' ? holdReason : null}
              picked={selected?.has(job.id) ?? false}
              onToggle={onToggle}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({
  job,
  now,
  cost,
  holdReason,
  picked,
  onToggle,
}: {
  job: JobSummary;
  now: number;
  cost: JobCost | null;
  /** Why this queued job waits (a spent budget), if it does. */
  holdReason: string | null;
  picked: boolean;
  onToggle?: (id: string) => void;
}) {
  const active = isActive(job.status);
  return (
    <tr data-testid="job-row" data-job-id={job.id} data-status={job.status}>
      {onToggle && (
        <td className={styles.pick}>
          <input
            type="checkbox"
            checked={picked}
            onChange={() => onToggle(job.id)}
            aria-label={`Compare ${job.name}`}
            data-testid="job-compare-pick"
          />
        </td>
      )}
      <td className={styles.name}>
        <Link to={`/training/jobs/${job.id}`} data-testid="job-link">
          {job.name}
        </Link>
        {job.error !== null && (
          <span className={styles.errorLine} title={job.error}>
            {job.error}
          </span>
        )}
        {holdReason !== null && (
          <span className={styles.errorLine} title={holdReason} data-testid="job-held">
            Held: {holdReason}
          </span>
        )}
      </td>
      <td>
        <JobStatusBadge status={job.status} testId="job-status" />
      </td>
      <td className={styles.progressCol}>
        <div className={styles.progress}>
          <ProgressBar
            value={jobProgressValue(job)}
            label={`Progress of ${job.name}`}
            testId="job-progress"
          />
          <span className={styles.steps} data-testid="job-steps">
            {formatSteps(job.step, job.maxSteps)}
          </span>
        </div>
      </td>
      <td className={styles.num} data-testid="job-eta">
        {active ? formatDuration(job.etaSeconds) : '–'}
      </td>
      <td className={styles.num} data-testid="job-duration">
        {formatDuration(jobDurationSeconds(job, now))}
      </td>
      <td className={styles.num} data-testid="job-loss">
        {formatLoss(job.lastLoss)}
      </td>
      <td
        className={styles.num}
        data-testid="job-cost"
        title={cost === null ? undefined : `${cost.energyWh.toFixed(1)} Wh${cost.final ? '' : ' so far'}`}
      >
        {cost === null ? '–' : formatMoney(cost.cost + cost.amortisationCost, cost.currency)}
      </td>
      <td className={styles.created} title={formatDateTime(job.createdAt)}>
        {formatRelative(job.createdAt, now)}
      </td>
    </tr>
  );
}
