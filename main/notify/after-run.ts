/**
 * What follows events elsewhere in the core: a run's end (its final cost record, then one
 * notification with its duration, final loss and cost), a finished import, a budget threshold.
 */
import type { MetricsRepository } from '../../db/repositories/metrics-repository';
import type { BudgetStatus, JobCost } from '../../preload/contract';
import { moneyText } from '../costs/cost-rates';
import type { CostService } from '../costs/cost-service';
import type { JobEnd } from '../training/job-outcome';
import { jobEndNotification } from './job-notification';
import type { NotificationRequest, Notifier } from './notifier';

/** The onFinished hook of the training service: cost first, so the notification can name it. */
export function createJobEndFollowUp(deps: {
  readonly costs: CostService;
  readonly notifier: Notifier;
  readonly metrics: MetricsRepository;
}): (end: JobEnd) => void {
  return (end) => {
    let cost: JobCost | null = null;
    try {
      deps.costs.record(end.job.id);
      cost = deps.costs.forJob(end.job.id);
    } catch (error) {
      console.error(`cost of job ${end.job.id}:`, error);
    }
    const loss = deps.metrics.series(end.job.id, 'loss').filter((p) => p.value !== null);
    const finalLoss = loss.at(-1)?.value ?? null;
    deps.notifier.notify(jobEndNotification(end, { finalLoss, cost }));
  };
}

/** The notification for a budget threshold of a month (once per month and threshold). */
export function budgetNotification(threshold: number, status: BudgetStatus): NotificationRequest {
  const pct = Math.round(threshold * 100);
  const spent = `${moneyText(status.spent, status.currency)} of ${moneyText(status.budget ?? 0, status.currency)}`;
  return {
    kind: 'budget.threshold',
    eventKey: `budget:${status.month}:${pct}`,
    title:
      threshold >= 1
        ? `Monthly budget spent (${status.month})`
        : `${pct}% of the monthly budget used (${status.month})`,
    body: status.holdReason ?? `${spent} this month.`,
  };
}

/** The notification for a dataset import that completed. */
export function importNotification(
  taskId: string,
  datasetId: string,
  name: string | null,
): NotificationRequest {
  return {
    kind: 'dataset.imported',
    eventKey: `task:${taskId}`,
    title: `Import finished: ${name ?? datasetId}`,
    body: 'The dataset is ready to curate and freeze.',
    datasetId,
  };
}
