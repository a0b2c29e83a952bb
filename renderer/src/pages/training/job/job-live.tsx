import { useState } from 'react';
import type { JobDetail, MetricsResult } from '../../../../../preload/contract';
import { useClient } from '../../../api/client-context';
import { ProgressBar } from '../../../components/progress-bar';
import {
  formatDuration,
  formatFraction,
  formatGib,
  formatLoss,
  formatSteps,
  formatTokensPerSecond,
} from '../../../format/format';
import { isActive } from '../../../state/training-store';
import { JobLiveCost } from '../../costs/job-live-cost';
import { jobDurationSeconds, jobProgressValue } from '../job-timing';
import { useNow } from '../use-now';
import { useThrottledEffect } from '../use-throttled-effect';
import { useJobChartStats } from './job-chart-stats';
import styles from './job-page.module.css';

/** How often, at most, the latest reward figures are read while steps come in. */
const REWARDS_EVERY_MS = 2000;

/** The last non-null value of a series in a `jobs.metrics` answer, or null. */
function lastValue(result: MetricsResult, metric: string): number | null {
  const values = result.series.find((s) => s.metric === metric)?.value ?? [];
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/**
 * Preference runs (DPO, ORPO, KTO): the latest reward margin (chosen − rejected) and the share of
 * pairs whose chosen answer is rewarded higher; null for SFT runs, which log neither.
 */
function useRewardMetrics(job: Readonly<JobDetail>): {
  readonly rewardMargin: number | null;
  readonly rewardAccuracy: number | null;
} {
  const client = useClient();
  const [latest, setLatest] = useState({
    rewardMargin: null as number | null,
    rewardAccuracy: null as number | null,
  });
  const { id, step, status } = job;
  useThrottledEffect(
    `${id}:${step}:${status}`,
    () => {
      client
        .call('jobs.metrics', {
          id,
          names: ['rewards/margins', 'rewards/accuracies'],
          gpu: false,
          maxPoints: 200,
        })
        .then(
          (result) =>
            setLatest({
              rewardMargin: lastValue(result, 'rewards/margins'),
              rewardAccuracy: lastValue(result, 'rewards/accuracies'),
            }),
          () => {},
        );
    },
    REWARDS_EVERY_MS,
  );
  return latest;
}

/**
 * Progress bar and the live numbers: step, progress, ETA, elapsed, loss, and from the charts' data
 * the current and mean tokens/s, peak GPU memory and the best eval loss with its step.
 */
export function JobLive({ job }: { job: Readonly<JobDetail> }) {
  const active = isActive(job.status);
  const now = useNow(active);
  const stats = useJobChartStats((state) => (state.jobId === job.id ? state.stats : null));
  const { rewardMargin, rewardAccuracy } = useRewardMetrics(job);
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
          <dt>Throughput</dt>
          <dd data-testid="job-page-tokens">{formatTokensPerSecond(stats?.currentTokensPerS ?? null)}</dd>
        </div>
        <div>
          <dt>Mean throughput</dt>
          <dd data-testid="job-page-tokens-mean">{formatTokensPerSecond(stats?.meanTokensPerS ?? null)}</dd>
        </div>
        <div>
          <dt>Peak GPU memory</dt>
          <dd data-testid="job-page-peak-memory">{formatGib(stats?.peakGpuMemoryGib ?? null)}</dd>
        </div>
        <div>
          <dt>Best eval loss</dt>
          <dd data-testid="job-page-best-eval">
            {stats?.bestEval
              ? `${formatLoss(stats.bestEval.value)}${stats.bestEval.step !== null ? ` @ ${stats.bestEval.step.toLocaleString()}` : ''}`
              : '–'}
          </dd>
        </div>
        <div>
          <dt>Energy and cost</dt>
          <dd>
            <JobLiveCost jobId={job.id} running={job.status === 'running'} />
          </dd>
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
