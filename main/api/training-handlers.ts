import type { JobRequest, PreflightResult } from '../../preload/contract';
import { estimateForModel } from '../training/estimate-for-model';
import { scanHfCache } from '../training/hf-cache';
import { inspectModel } from '../training/model-inspector';
import type { TrainingService } from '../training/training-service';
import type { Handlers } from './api-router';

type TrainingChannels = Exclude<
  Extract<keyof Handlers, `jobs.${string}` | 'models.inspect' | 'models.scan' | 'training.estimate'>,
  'jobs.metrics' | 'jobs.metricsCsv'
>;

/** The training channels: models, the VRAM estimate and jobs. */
export function createTrainingHandlers(deps: {
  readonly training: TrainingService;
  readonly preflight: (request: JobRequest) => Promise<PreflightResult>;
  readonly env: NodeJS.ProcessEnv;
  /** A dataset id → its newest frozen version id; a version id unchanged (throws NOT_FOUND/BAD_INPUT). */
  readonly resolveDatasetVersion: (id: string) => string;
}): Pick<Handlers, TrainingChannels> {
  const { training, preflight, env, resolveDatasetVersion } = deps;
  const resolved = (request: JobRequest): JobRequest => ({
    ...request,
    datasetVersionId: resolveDatasetVersion(request.datasetVersionId),
  });
  return {
    'models.inspect': ({ path }) => inspectModel(path),
    'models.scan': () => scanHfCache(env),
    'training.estimate': (input) => estimateForModel(input),
    'jobs.preflight': (request) => preflight(resolved(request)),
    'jobs.create': (request) => training.create(resolved(request)),
    'jobs.list': () => training.list(),
    'jobs.get': ({ id }) => training.get(id),
    'jobs.cancel': ({ id }) => training.cancel(id),
    'jobs.resume': ({ id }) => training.resume(id),
    'jobs.retry': ({ id }) => training.retry(id),
    'jobs.logs': (input) => training.logs(input),
  };
}
