import { useState } from 'react';
import type { JobDetail } from '../../../../../preload/contract';
import { useClient } from '../../../api/client-context';
import { ProgressBar } from '../../../components/progress-bar';
import {
  formatDuration,
  formatFraction,
  formatLoss,
  formatSteps,
  formatTokensPerSecond,
} from '../../../format/format';
import { isActive } from '../../../state/training-store';
import { JobLiveCost } from '../../costs/job-live-cost';
import { jobDurationSeconds, jobProgressValue } from '../job-timing';
import { useNow } from '../use-now';
import { useThrottledEffect } from '../use-throttled-effect';
import styles from './job-page.module.css';

/** How often, at most, the latest throughput is read while steps come in. */
const METRICS_EVERY_MS = 2000;

/** The latest value of a metric series, or null. */
function last(points: ReadonlyArray<{ value: number | null }> | undefined): number | null {
  for (let i = (points?.length ?? 0) - 1; i >= 0; i--) {
    const value = points![i]!.value;
    if (value !== null) return value;
  }
  return null;
}

/**
 * Tokens per second for a job: read from `jobs.metrics` when the step moves, at most every
 * `METRICS_EVERY_MS` (progress events do not carry it), and once more when the job stops.
 */
function useTokensPerSecond(job: Readonly<JobDetail>): number | null {
  const client = useClient();
  const [rate, setRate] = useState<number | null>(null);
  const { id, step, status } = job;
  useThrottledEffect(
    `${id}:${step}:${status}`,
    () => {
      client.call('jobs.metrics', { id, names: ['tokens_per_s'] }).then(
        (series) => setRate(last(series.tokens_per_s)),
        () => {},
      );
    },
    METRICS_EVERY_MS,
  );
  return rate;
}

/** Progress bar and the live numbers: step, progress, ETA, elapsed, tokens/s, devices, loss. */
export function JobLive({ job }: { job: Readonly<JobDetail> }) {
  const active = isActive(job.status);
  const now = useNow(active);
  const tokensPerSecond = useTokensPerSecond(job);
  return (
    <section
      className={`${styles.card} ${styles.live}`}
      aria-labelledby="job-live-heading"
      data-testid="job-live"
    >
      <h2 id="job-live-heading" className="visually-hidden">
        Progress
      </h2>
      <ProgressBar
        value={jobProgressValue(job)}
        label="Training progress"
        size="large"
        testId="job-page-progress"
      />
      <dl className={styles.stats}>
        <div>
          <dt>Step</dt>
          <dd data-testid="job-page-step">{formatSteps(job.step, job.maxSteps)}</dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd data-testid="job-page-fraction">
            {formatFraction(job.status === 'completed' ? 1 : job.progress)}
          </dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd data-testid="job-page-eta">{active ? formatDuration(job.etaSeconds) : '–'}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd data-testid="job-page-elapsed">{formatDuration(jobDurationSeconds(job, now))}</dd>
        </div>
        <div>
          <dt>Throughput</dt>
          <dd data-testid="job-page-tokens">{formatTokensPerSecond(tokensPerSecond)}</dd>
        </div>
        <div>
          <dt>Devices</dt>
          <dd data-testid="job-page-devices" title={job.devices?.note}>
            {job.gpuIndices.length === 0 ? 'CPU' : job.gpuIndices.map((i) => `GPU ${i}`).join(', ')}
          </dd>
        </div>
        <div>
          <dt>Loss</dt>
          <dd data-testid="job-page-loss">{formatLoss(job.lastLoss)}</dd>
        </div>
        <div>
          <dt>Energy and cost</dt>
          <dd>
            <JobLiveCost jobId={job.id} running={job.status === 'running'} />
          </dd>
        </div>
      </dl>
    </section>
  );
}
