import type { SqliteDatabase } from '../../db/open';
import { MetricBucketsRepository } from '../../db/repositories/metric-buckets-repository';
import type { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import { metricsCsv } from '../metrics/metrics-csv';
import { queryMetrics } from '../metrics/metrics-downsample';
import { AppError } from './api-error';
import type { Handlers } from './api-router';

/** The metrics channels: a job's charted series (downsampled in the core) and its CSV export. */
export function createMetricsHandlers(deps: {
  readonly sqlite: SqliteDatabase;
  readonly jobs: Pick<TrainingJobsRepository, 'get'>;
}): Pick<Handlers, 'jobs.metrics' | 'jobs.metricsCsv'> {
  const buckets = new MetricBucketsRepository(deps.sqlite);
  const mustExist = (id: string) => {
    if (deps.jobs.get(id) === undefined) throw new AppError('NOT_FOUND', `There is no job ${id}.`);
  };
  return {
    'jobs.metrics': (query) => {
      mustExist(query.id);
      return queryMetrics(buckets, query);
    },
    'jobs.metricsCsv': ({ id }) => {
      mustExist(id);
      return metricsCsv(buckets, id);
    },
  };
}
