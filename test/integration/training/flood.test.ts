import { statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, type Harness, storedSteps } from '../../helpers/training-harness';

/** CI runs 5 s; `LORA_FLOOD_SECONDS=60` runs RELIABILITY.md's full minute (1 GB of stdout). */
const SECONDS = Number(process.env.LORA_FLOOD_SECONDS ?? 5);
const EVENTS_PER_S = 1000;

/**
 * Event-loop lag this process caused: each 10 ms tick's lateness, capped by the CPU time the process
 * spent meanwhile (all its threads: a generous cap). On a loaded machine the OS may not run us for
 * 200 ms: that is lateness with no CPU spent, not a loop our code blocked (which spends the CPU it
 * delays by), and it once failed this test at load 11 with the product unchanged. A loop blocked on
 * synchronous I/O without CPU would be under-counted here; the wall-clock p99 is reported beside it.
 */
function blockedLoopSampler(intervalMs = 10) {
  const blocked: number[] = [];
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const late = Math.max(0, now - last - intervalMs);
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    blocked.push(Math.min(late, cpuMs));
    last = now;
    lastCpu = cpu;
  }, intervalMs);
  return {
    stop: () => clearInterval(timer),
    percentile(p: number): number {
      const sorted = [...blocked].sort((x, y) => x - y);
      return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    },
    get max(): number {
      return Math.max(0, ...blocked);
    },
  };
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('PROC-flood', () => {
  it(
    `stores every event of a trainer flooding stdout and 1,000 events/s for ${SECONDS} s, with bounded memory and lag`,
    async () => {
      h = await createHarness({
        fixture: 'flood.mjs',
        fixtureEnv: { FLOOD_SECONDS: String(SECONDS), FLOOD_EVENTS_PER_S: String(EVENTS_PER_S) },
      });
      await h.service.start();
      const lag = monitorEventLoopDelay({ resolution: 10 });
      const rss0 = process.memoryUsage().rss;
      let rssMax = rss0;
      const sampler = setInterval(() => {
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }, 50);
      lag.enable();
      const blocked = blockedLoopSampler();
      const { id } = await h.service.create(h.request({ max_steps: SECONDS * EVENTS_PER_S }));
      const job = await waitFor(
        () => {
          const j = h?.service.list().find((x) => x.id === id);
          return j && ['completed', 'failed'].includes(j.status) ? j : null;
        },
        { timeoutMs: (SECONDS + 20) * 1000, intervalMs: 100, what: 'the flood to end' },
      );
      lag.disable();
      blocked.stop();
      clearInterval(sampler);
      expect(job.status).toBe('completed');
      const total = SECONDS * EVENTS_PER_S;
      expect(storedSteps(h.opened, id)).toHaveLength(total);
      const stdoutMb = statSync(join(h.dataDir, 'runs', id, 'stdout.log')).size / 1e6;
      const growthMb = (rssMax - rss0) / 1e6;
      const p99 = lag.percentile(99) / 1e6;
      const blockedP99 = blocked.percentile(99);
      console.log(
        `PROC-flood: ${SECONDS} s, ${total} events stored, stdout ${stdoutMb.toFixed(0)} MB; ` +
          `RSS growth ${growthMb.toFixed(1)} MB; event loop lag p99 ${p99.toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms ` +
          `(wall clock); blocked by this process p99 ${blockedP99.toFixed(1)} ms, max ${blocked.max.toFixed(1)} ms`,
      );
      expect(stdoutMb).toBeGreaterThan(SECONDS * 10);
      expect(growthMb).toBeLessThan(100);
      expect(blockedP99).toBeLessThan(100);
    },
    (SECONDS + 30) * 1000,
  );
});
