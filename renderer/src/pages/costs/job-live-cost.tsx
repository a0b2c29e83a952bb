import { useEffect } from 'react';
import { useChannel } from '../../api/use-channel';
import { formatEnergyWh, formatGpuHours, formatMoney } from '../../format/format';
import styles from './costs-page.module.css';

/** How often the job page asks for a running job's cost (integrated from the stored power samples). */
const LIVE_REFRESH_MS = 5_000;

/**
 * A job's energy and cost — integrated up to now while it runs, final once it ended — for the job
 * page: "812 Wh · 0.24 EUR · 1.2 GPU-h · rented 3.10 EUR".
 */
export function JobLiveCost({ jobId, running }: { jobId: string; running: boolean }) {
  const { value: cost, reload } = useChannel('costs.job', { jobId }, ['costs', 'jobs', 'settings']);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, reload]);
  if (cost === null) return null;
  return (
    <span data-testid="job-live-cost" data-final={cost.final}>
      {formatEnergyWh(cost.energyWh)} · {formatMoney(cost.cost + cost.amortisationCost, cost.currency)} ·{' '}
      {formatGpuHours(cost.gpuHours)}
      {cost.cloudCost !== null && <> · rented {formatMoney(cost.cloudCost, cost.currency)}</>}
      {!cost.final && <span className={styles.live}> · so far</span>}
    </span>
  );
}
