/**
 * `npm run bench -- metrics --json [--points N]` (issue 8): ingest rows/s through the real parser
 * and batcher against a bare insert loop, live event→chart latency in serve mode, chart.js drawing
 * N points against uPlot, and opening a finished N-point run. Needs the built app (`npm run build`)
 * for the serve-mode figures. Figures only; nothing here passes or fails.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../e2e/serve-harness';
import { benchDraw } from './metrics-draw';
import { benchIngest } from './metrics-ingest';
import { benchLive } from './metrics-live';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Run every part and return one flat object of figures. */
export async function benchMetrics(args: ReadonlyArray<string>): Promise<Record<string, number>> {
  const flag = args.indexOf('--points');
  const points = flag >= 0 ? Number(args[flag + 1]) : 1_000_000;
  if (!Number.isInteger(points) || points < 1000)
    throw new Error(`--points must be a whole number ≥ 1000, got ${args[flag + 1]}`);
  if (!existsSync(resolve(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('The metrics benchmark drives the built app in serve mode: run `npm run build` first.');
  }
  const ingest = await benchIngest(points);
  const browser = await launchChromium();
  try {
    const draw = await benchDraw(browser, points);
    const live = await benchLive(browser, points);
    return {
      points,
      ingestRowsPerS: ingest.ingestRowsPerS,
      rawInsertRowsPerS: ingest.rawInsertRowsPerS,
      latencyP50Ms: live.latencyP50Ms,
      latencyP95Ms: live.latencyP95Ms,
      drawMs: draw.drawMs,
      uplotDrawMs: draw.uplotDrawMs,
      zoomMs: draw.zoomMs,
      openMs: live.openMs,
      appZoomMs: live.appZoomMs,
      latencyEvents: live.latencyEvents,
    };
  } finally {
    await browser.close();
  }
}
