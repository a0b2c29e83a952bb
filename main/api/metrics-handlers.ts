import type { SqliteDatabase } from '../../db/open';
import { MetricBucketsRepository } from '../../db/repositories/metric-buckets-repository';
import type { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import { queryMetrics } from '../metrics/metrics-downsample';
import { AppError } from './api-error';
import type { Handlers } from './api-router';

/** The metrics channels: a job's charted series, downsampled in the core. */
export function createMetricsHandlers(deps: {
  readonly sqlite: SqliteDatabase;
  readonly jobs: Pick<TrainingJobsRepository, 'get'>;
}): Pick<Handlers, 'jobs.metrics'> {
  const buckets = new MetricBucketsRepository(deps.sqlite);
  return {
    'jobs.metrics': (query) => {
      if (deps.jobs.get(query.id) === undefined)
        throw new AppError('NOT_FOUND', `There is no job ${query.id}.`);
      return queryMetrics(buckets, query);
    },
  };
}
