/**
 * Preloaded into the process the import benchmark measures (`node --import rss-probe.mjs …`): at
 * exit it writes the process's peak RSS and CPU time, every thread included, to the file named by
 * LORA_BENCH_PROBE_FILE. A few kB of code: it does not move the figure it takes.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.LORA_BENCH_PROBE_FILE;
if (out) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    writeFileSync(
      out,
      JSON.stringify({
        maxRssMB: process.resourceUsage().maxRSS / 1024,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      }),
    );
  });
}
