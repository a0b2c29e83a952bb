import { existsSync } from 'node:fs';
import type { DatasetCurator } from '../datasets/curation/dataset-curator';
import type { DatasetImporter } from '../datasets/import/dataset-importer';
import { AppError } from '../errors';
import { SAMPLE_DATASET_NAME } from '../setup/sample-dataset';
import type { TaskRegistry } from '../tasks/task-registry';
import type { Handlers } from './api-router';

type DatasetChannels = Extract<keyof Handlers, `datasets.${string}` | `tasks.${string}`>;

/** The dataset channels: import through the importer, everything else through the curator. */
export function createDatasetHandlers(deps: {
  readonly importer: DatasetImporter;
  readonly curator: DatasetCurator;
  readonly tasks: TaskRegistry;
  /** The sample dataset file shipped with the app (main/setup/sample-dataset.ts). */
  readonly sampleFile: string;
}): Pick<Handlers, DatasetChannels> {
  const { importer, curator, tasks, sampleFile } = deps;
  return {
    'tasks.get': ({ taskId }) => {
      const state = tasks.get(taskId);
      if (state === null)
        throw new AppError('NOT_FOUND', `No task "${taskId}" (running or among the last finished).`);
      return state;
    },
    'tasks.cancel': ({ taskId }) => ({ cancelled: tasks.cancel(taskId) }),
    'datasets.inspect': ({ path, format }) => importer.inspect(path, format),
    'datasets.import': (request) => ({ taskId: importer.start(request) }),
    'datasets.importSample': ({ name }) => {
      if (!existsSync(sampleFile))
        throw new AppError('NOT_FOUND', `The sample dataset is missing from this install (${sampleFile}).`);
      return { taskId: importer.start({ path: sampleFile, name: name ?? SAMPLE_DATASET_NAME }) };
    },
    'datasets.list': () => curator.list(),
    'datasets.get': ({ id }) => curator.get(id),
    'datasets.rename': ({ id, name }) => curator.rename(id, name),
    'datasets.delete': ({ id }) => curator.delete(id),
    'datasets.rows': (input) => curator.rows(input),
    'datasets.count': (input) => curator.count(input),
    'datasets.updateRow': (input) => curator.updateRow(input),
    'datasets.setDeleted': (input) => curator.setDeleted(input),
    'datasets.tag': (input) => curator.tag(input),
    'datasets.dedupe': (input) => curator.dedupe(input),
    'datasets.split': (input) => curator.split(input),
    'datasets.tokenStats': (input) => curator.tokenStats(input),
    'datasets.freeze': (input) => curator.freeze(input),
    'datasets.export': (input) => curator.export(input),
  };
}
