/**
 * Worker thread entry of the dataset import: runs one ImportJob (from workerData) on its own
 * database connection and posts ImportMessages to the parent. Built to out/main/import-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ImportJob, runImportJob } from './import-job';

const port = parentPort;
if (!port) throw new Error('import-worker runs only as a worker thread');
void runImportJob(workerData as ImportJob, (message) => port.postMessage(message));
