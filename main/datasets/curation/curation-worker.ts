/**
 * Worker thread entry of the heavy curation jobs (token counts, near duplicates, splits): runs one
 * CurationJob from workerData on its own database connection and posts CurationMessages back.
 * Built to out/main/curation-worker.js. The parent terminates it once the outcome has arrived.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyPragmas } from '../../../db/open';
import { createDatasetRepositories } from '../../../db/repositories/dataset-repositories';
import { AppError } from '../../errors';
import { BulkEditCancelledError } from './bulk-edit';
import type { CurationJob, CurationMessage } from './curation-jobs';
import { executeCurationJob } from './curation-jobs';

const port = parentPort;
if (!port) throw new Error('curation-worker runs only as a worker thread');
const { dbFile, nativeBinding, job } = workerData as {
  dbFile: string;
  nativeBinding?: string;
  job: CurationJob;
};
const controller = new AbortController();
port.on('message', (message: { type?: string }) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (message: CurationMessage): void => port.postMessage(message);

async function run(): Promise<void> {
  const sqlite = new Database(dbFile, nativeBinding ? { nativeBinding } : {});
  try {
    applyPragmas(sqlite);
    const result = await executeCurationJob(createDatasetRepositories(sqlite), job, {
      signal: controller.signal,
      progress: (done, total) => post({ type: 'progress', done, total }),
    });
    post({ type: 'done', result });
  } catch (error) {
    if (error instanceof BulkEditCancelledError)
      post({ type: 'error', code: 'CONFLICT', message: error.message, changed: error.changed });
    else if (controller.signal.aborted) post({ type: 'error', code: 'CONFLICT', message: 'cancelled' });
    else if (error instanceof AppError) post({ type: 'error', code: error.code, message: error.message });
    else
      post({
        type: 'error',
        code: 'INTERNAL',
        message: error instanceof Error ? error.message : String(error),
      });
  } finally {
    sqlite.close();
  }
}

void run();
