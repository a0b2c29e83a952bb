import { type ExportDeps, exportJob } from '../cluster/export-bundle';
import { type ImportRunDeps, importRun } from '../cluster/import-run';
import type { Handlers } from './api-router';

/** The cluster channels: export a job as a bundle, import a run that trained elsewhere. */
export function createClusterHandlers(
  deps: ExportDeps & ImportRunDeps,
): Pick<Handlers, 'cluster.exportJob' | 'cluster.importRun'> {
  return {
    'cluster.exportJob': async ({ id, ...options }) => {
      const result = await exportJob(deps, id, options);
      return { dir: result.dir, targets: [...result.targets], files: [...result.files] };
    },
    'cluster.importRun': async ({ dir, name }) => {
      const { job, gpuHours } = await importRun(deps, dir, { name });
      return {
        id: job.id,
        name: job.name,
        status: job.status as never,
        step: job.step,
        maxSteps: job.maxSteps,
        error: job.error,
        datasetVersionId: job.datasetVersionId,
        gpuHours,
      };
    },
  };
}
