import type { MetricsService } from '../metrics/metrics-service';
import type { Handlers } from './api-router';

/** The metrics channels: a job's charted series (downsampled in the core) and its CSV export. */
export function createMetricsHandlers(deps: {
  readonly metrics: Pick<MetricsService, 'query' | 'csv'>;
}): Pick<Handlers, 'jobs.metrics' | 'jobs.metricsCsv'> {
  return {
    'jobs.metrics': (query) => deps.metrics.query(query),
    'jobs.metricsCsv': ({ id }) => deps.metrics.csv(id),
  };
}
