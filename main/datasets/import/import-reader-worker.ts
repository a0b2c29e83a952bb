/**
 * Worker thread entry of an import's reading half: runs one ReadJob (from workerData) and posts
 * ReaderMessages to the import worker that started it, which stores the rows. Built to
 * out/main/import-reader-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ReadJob, runReadJob, type WriterMessage } from './read-job';

const port = parentPort;
if (!port) throw new Error('import-reader-worker runs only as a worker thread');
void runReadJob(
  workerData as ReadJob,
  (message) => port.postMessage(message),
  (listener) => port.on('message', (message: WriterMessage) => message.type === 'stored' && listener()),
);
