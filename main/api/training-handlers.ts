import type { JobRequest, PreflightResult } from '../../preload/contract';
import { AppError } from '../errors';
import { estimateForModel } from '../training/estimate-for-model';
import { scanHfCache } from '../training/hf-cache';
import { inspectModel } from '../training/model-inspector';
import type { ResolvedDatasetVersion } from '../training/resolve-dataset-version';
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
  /**
   * A dataset id → its newest frozen version id (frozen now when it has none); a version id
   * unchanged (throws NOT_FOUND).
   */
  readonly resolveDatasetVersion: (id: string) => Promise<ResolvedDatasetVersion>;
}): Pick<Handlers, TrainingChannels> {
  const { training, preflight, env, resolveDatasetVersion } = deps;
  const resolved = async (request: JobRequest) => {
    const { versionId, autoFrozen } = await resolveDatasetVersion(request.datasetVersionId);
    return { request: { ...request, datasetVersionId: versionId }, autoFrozen };
  };
  return {
    'models.inspect': ({ path }) => inspectModel(path),
    'models.scan': () => scanHfCache(env),
    'training.estimate': (input) => estimateForModel(input),
    // Preflight reports rather than throws: an unknown id becomes its failed dataset check, and the
    // other checks (GPUs, VRAM, Python) still answer.
    'jobs.preflight': async (request) => {
      const job = await resolved(request).then(
        (r) => r.request,
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'NOT_FOUND') return request;
          throw error;
        },
      );
      return preflight(job);
    },
    'jobs.create': async (request) => {
      const { request: job, autoFrozen } = await resolved(request);
      const note =
        autoFrozen === null
          ? undefined
          : `dataset frozen automatically as version ${autoFrozen.version} (${autoFrozen.rows} rows)`;
      return training.create(job, { note });
    },
    'jobs.list': () => training.list(),
    'jobs.get': ({ id }) => training.get(id),
    'jobs.cancel': ({ id }) => training.cancel(id),
    'jobs.resume': ({ id }) => training.resume(id),
    'jobs.retry': ({ id }) => training.retry(id),
    'jobs.logs': (input) => training.logs(input),
  };
}
