/**
 * Runs one dataset import in its own process, through the core's API as every shell does, so the
 * benchmark can read that process's peak RSS (worker thread included). Prints
 * `{ id, rows, seconds, cpuSeconds, maxRssMB }`.
 */
import { createCore } from '../../main/core';
import type { EventPayload } from '../../preload/contract';

const [file, dataDir] = process.argv.slice(2);
const core = await createCore({ dataDir: dataDir as string, shell: 'test' });
const started = performance.now();
const ended = new Promise<EventPayload<'task'>>((resolve) => {
  core.events.subscribe((e) => {
    if (e.name === 'task' && e.payload.kind === 'datasets.import') resolve(e.payload);
  });
});
const cpuBefore = process.cpuUsage();
const begun = await core.api.invoke('datasets.import', { path: file as string });
if (!begun.ok) throw new Error(begun.error.message);
const outcome = await ended;
if (outcome.state !== 'completed' || outcome.resultId === null) {
  throw new Error(`import ${outcome.state}: ${outcome.error?.message ?? ''}`);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const detail = await core.api.invoke('datasets.get', { id: outcome.resultId });
if (!detail.ok) throw new Error(detail.error.message);
await core.close();
const maxRssMB = process.resourceUsage().maxRSS / 1024;
const rows = (detail.value as { rows: number }).rows;
process.stdout.write(`${JSON.stringify({ id: outcome.resultId, rows, seconds, cpuSeconds, maxRssMB })}\n`);
