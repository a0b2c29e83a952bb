import { resolve } from 'node:path';
import type { ModelArtifactsRepository } from '../../db/repositories/model-artifacts-repository';
import type { JobRequest, PreflightResult } from '../../preload/contract';
import { estimateForModel } from '../training/estimate-for-model';
import { scanHfCache } from '../training/hf-cache';
import { inspectModel } from '../training/model-inspector';
import type { TrainingService } from '../training/training-service';
import type { Handlers } from './api-router';

type TrainingChannels = Exclude<
  Extract<keyof Handlers, `jobs.${string}` | `models.${string}` | 'training.estimate'>,
  'jobs.metrics' | 'jobs.metricsCsv'
>;

/** The training channels: models, the VRAM estimate and jobs. */
export function createTrainingHandlers(deps: {
  readonly training: TrainingService;
  readonly artifacts: ModelArtifactsRepository;
  readonly dataDir: string;
  readonly preflight: (request: JobRequest) => Promise<PreflightResult>;
  readonly env: NodeJS.ProcessEnv;
}): Pick<Handlers, TrainingChannels> {
  const { training, preflight, env, artifacts, dataDir } = deps;
  return {
    'models.inspect': ({ path }) => inspectModel(path),
    'models.scan': () => scanHfCache(env),
    'models.list': () =>
      artifacts.list().map((a) => ({
        id: a.id,
        jobId: a.jobId,
        kind: a.kind,
        name: a.name,
        path: resolve(dataDir, a.path),
        sizeBytes: a.sizeBytes,
        sha256: a.sha256,
        baseModelPath: a.baseModelPath,
        createdAt: a.createdAt,
      })),
    'training.estimate': (input) => estimateForModel(input),
    'jobs.preflight': (request) => preflight(request),
    'jobs.create': (request) => training.create(request),
    'jobs.list': () => training.list(),
    'jobs.get': ({ id }) => training.get(id),
    'jobs.cancel': ({ id }) => training.cancel(id),
    'jobs.resume': ({ id }) => training.resume(id),
    'jobs.retry': ({ id }) => training.retry(id),
    'jobs.logs': (input) => training.logs(input),
  };
}
