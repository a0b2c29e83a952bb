import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { DatasetRepositories } from '../../../db/repositories/dataset-repositories';
import type { ErrorCode } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { TaskReporter } from '../../tasks/task-registry';
import { startWorker, workerEntry } from '../../workers/worker-entry';
import { RowQuery } from '../query/row-query';
import { BulkEditCancelledError } from './bulk-edit';
import { type DuplicateGroup, nearDuplicateGroups, type ScanControl } from './dedupe';
import { assignSplit, type SplitOptions, type SplitResult } from './split';
import { countTokenRange, type IdRange, type TokenCounts } from './token-stats';

/** The worker's bundle name (an input of electron.vite.config.ts) and its source. */
const WORKER_NAME = 'curation-worker';
const WORKER_SOURCE = 'main/datasets/curation/curation-worker.ts';

/** The heavy curation work that runs off the main thread. */
export type CurationJob =
  | {
      readonly kind: 'token-counts';
      readonly datasetId: string;
      readonly modelDir: string;
      readonly range: IdRange | null;
    }
  | { readonly kind: 'near-duplicates'; readonly datasetId: string; readonly threshold: number }
  | {
      readonly kind: 'split';
      readonly datasetId: string;
      readonly options: SplitOptions;
      readonly now: number;
    };

/** What each job gives back. */
export interface CurationResults {
  readonly 'token-counts': TokenCounts;
  readonly 'near-duplicates': DuplicateGroup[];
  readonly split: SplitResult;
}

/** Messages from a curation worker to its parent. */
export type CurationMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly result: unknown }
  | {
      readonly type: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      /** Rows a cancelled bulk edit (a split) had changed. */
      readonly changed?: number;
    };

/** Run a job on a connection's repositories (in this thread, or the worker's). */
export async function executeCurationJob(
  repos: DatasetRepositories,
  job: CurationJob,
  control: ScanControl,
): Promise<CurationResults[CurationJob['kind']]> {
  switch (job.kind) {
    case 'token-counts':
      return countTokenRange(repos.rows, job.datasetId, job.modelDir, job.range, control);
    case 'near-duplicates':
      return nearDuplicateGroups(repos.rows, job.datasetId, job.threshold, control);
    case 'split':
      return assignSplit(
        repos.rows,
        new RowQuery(repos.rowQuery, repos.search),
        job.datasetId,
        job.options,
        job.now,
        control,
      );
    default:
      return assertNever(job);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown curation job ${JSON.stringify(value)}`);
}

/** Where a job may run: in a worker on its own connection to `dbFile`, or here on `repos`. */
export interface CurationRunner {
  readonly repos: DatasetRepositories;
  readonly inWorker: boolean;
  readonly dbFile: string;
  readonly nativeBinding?: string;
}

/** Run a job and resolve with its result; progress and cancel go through the task's reporter. */
export function runCurationJob<J extends CurationJob>(
  runner: CurationRunner,
  job: J,
  reporter: TaskReporter | null,
): Promise<CurationResults[J['kind']]> {
  const progress = (done: number, total: number): void => reporter?.progress(done, total);
  const entry = workerEntry(WORKER_NAME, WORKER_SOURCE);
  if (runner.inWorker && !existsSync(entry.file)) {
    console.warn(`${entry.file} is missing (not built?): running ${job.kind} on the main thread`);
  }
  if (!runner.inWorker || !existsSync(entry.file)) {
    const control = { progress, signal: reporter?.signal };
    return executeCurationJob(runner.repos, job, control) as Promise<CurationResults[J['kind']]>;
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = startWorker(WORKER_NAME, WORKER_SOURCE, {
        workerData: { dbFile: runner.dbFile, nativeBinding: runner.nativeBinding, job },
      });
    } catch (error) {
      reject(error);
      return;
    }
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      reporter?.signal.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = (): void => worker.postMessage({ type: 'cancel' });
    reporter?.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: CurationMessage) => {
      if (message.type === 'progress') progress(message.done, message.total);
      else if (message.type === 'done') settle(() => resolve(message.result as CurationResults[J['kind']]));
      else if (message.changed !== undefined) {
        const changed = message.changed;
        settle(() => reject(new BulkEditCancelledError(changed)));
      } else settle(() => reject(new AppError(message.code, message.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(new AppError('INTERNAL', `The curation worker stopped (exit code ${code}) before finishing.`)),
      ),
    );
  });
}
