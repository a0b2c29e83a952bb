/**
 * Runs one dataset import in its own process so the benchmark can read that process's peak RSS
 * (worker thread included). Prints `{ id, rows, seconds, cpuSeconds, maxRssMB, timings }`.
 */
import { createCore } from '../../main/core';

const [file, dataDir] = process.argv.slice(2);
const core = await createCore({ dataDir: dataDir as string, shell: 'test' });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const summary = await core.datasets.importer.importNow({ path: file as string });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
await core.close();
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ id: summary.id, rows: summary.rows, seconds, cpuSeconds, maxRssMB, timings: summary.timings })}\n`,
);
