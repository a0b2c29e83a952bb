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

/** The latest values the live card shows that progress events do not carry. */
interface LatestMetrics {
  readonly tokensPerSecond: number | null;
  /** Preference objectives only (DPO, ORPO, KTO): chosen reward minus rejected reward. */
  readonly rewardMargin: number | null;
  /** Preference objectives only: share of pairs whose chosen reward is the higher. */
  readonly rewardAccuracy: number | null;
}

const NO_METRICS: LatestMetrics = { tokensPerSecond: null, rewardMargin: null, rewardAccuracy: null };

/**
 * Tokens per second (and the reward margin and accuracy of preference runs) for a job: read from
 * `jobs.metrics` when the step moves, at most every `METRICS_EVERY_MS` (progress events do not
 * carry them), and once more when the job stops.
 */
function useLatestMetrics(job: Readonly<JobDetail>): LatestMetrics {
  const client = useClient();
  const [latest, setLatest] = useState<LatestMetrics>(NO_METRICS);
  const { id, step, status } = job;
  useThrottledEffect(
    `${id}:${step}:${status}`,
    () => {
      client
        .call('jobs.metrics', { id, names: ['tokens_per_s', 'rewards/margins', 'rewards/accuracies'] })
        .then(
          (series) =>
            setLatest({
              tokensPerSecond: last(series.tokens_per_s),
              rewardMargin: last(series['rewards/margins']),
              rewardAccuracy: last(series['rewards/accuracies']),
            }),
          () => {},
        );
    },
    METRICS_EVERY_MS,
  );
  return latest;
}

/** Progress bar and the live numbers: step, progress, ETA, elapsed, tokens/s, loss. */
export function JobLive({ job }: { job: Readonly<JobDetail> }) {
  const active = isActive(job.status);
  const now = useNow(active);
  const { tokensPerSecond, rewardMargin, rewardAccuracy } = useLatestMetrics(job);
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
          <dt>Loss</dt>
          <dd data-testid="job-page-loss">{formatLoss(job.lastLoss)}</dd>
        </div>
        {rewardMargin !== null && (
          <div>
            <dt>Reward margin</dt>
            <dd data-testid="job-page-reward-margin">{formatLoss(rewardMargin)}</dd>
          </div>
        )}
        {rewardAccuracy !== null && (
          <div>
            <dt>Preference accuracy</dt>
            <dd data-testid="job-page-reward-accuracy">{formatFraction(rewardAccuracy)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
