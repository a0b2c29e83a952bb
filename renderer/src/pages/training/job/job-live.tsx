import type { JobDetail } from '../../../../../preload/contract';
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
import { useJobChartStats } from './job-chart-stats';
import styles from './job-page.module.css';

/**
 * Progress bar and the live numbers: step, progress, ETA, elapsed, loss, and from the charts' data
 * the current and mean tokens/s, peak GPU memory and the best eval loss with its step.
 */
export function JobLive({ job }: { job: Readonly<JobDetail> }) {
  const active = isActive(job.status);
  const now = useNow(active);
  const stats = useJobChartStats((state) => (state.jobId === job.id ? state.stats : null));
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
      </dl>
    </section>
  );
}
