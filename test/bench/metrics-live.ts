/**
 * The app half of the metrics benchmark, in serve mode and Chromium: how long a finished run with
 * N points per metric takes to open with its charts drawn, how long a drag-zoom on its loss chart
 * takes to come back at full detail, and the latency from a trainer appending a `log` event to
 * events.jsonl until the loss chart in the page has drawn it (p50/p95 over the last 1,000 events).
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fillJobForm } from '../e2e/job-form';
import { makeDataDir, openApp, removeDataDir, startServe } from '../e2e/serve-harness';
import { insertFrozenVersion, setFixtureTrainer, writeTinyModel } from '../e2e/training-setup';
import { seedMetricsJob } from '../helpers/metrics-seed';

const LIVE_EVENTS = 1000;
const LIVE_STEP_MS = 20;

function percentile(values: ReadonlyArray<number>, p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** In the page: time from a hash change to every named chart having points. */
async function openJobMs(page: Page, jobId: string, charts: ReadonlyArray<string>): Promise<number> {
  return page.evaluate(
    `new Promise((resolve) => {
      const ids = ${JSON.stringify(charts)};
      const t0 = performance.now();
      location.hash = '#/training/jobs/${jobId}';
      const check = () => {
        const ok = ids.every((id) => Number(document.querySelector('[data-testid="' + id + '"]')?.getAttribute('data-points') ?? 0) > 0);
        if (ok) resolve(performance.now() - t0); else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })`,
  );
}

/** Open, zoom and live latency figures. */
export async function benchLive(
  browser: Browser,
  points: number,
): Promise<{
  openMs: number;
  appZoomMs: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyEvents: number;
}> {
  const dataDir = await makeDataDir();
  const previousStepMs = process.env.FIXTURE_STEP_MS;
  process.env.FIXTURE_STEP_MS = String(LIVE_STEP_MS);
  let server: Awaited<ReturnType<typeof startServe>> | undefined;
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  try {
    const model = writeTinyModel(join(dataDir, 'models', 'tiny-llama'));
    await mkdir(join(dataDir, 'hf'), { recursive: true });
    await setFixtureTrainer(dataDir, 'ok.mjs');
    const version = insertFrozenVersion(dataDir);
    const bigJob = seedMetricsJob(join(dataDir, 'lora-studio.db'), {
      points,
      allMetrics: true,
      gpus: [0],
      name: `${points} points`,
    });
    server = await startServe({ dataDir });

    // Open: a finished run with N points per metric, from the job list to every chart drawn.
    await openApp(page, server, '#/training');
    await page.getByTestId('page-training').waitFor();
    const openMs = await openJobMs(page, bigJob, [
      'chart-loss-canvas',
      'chart-learning_rate-canvas',
      'chart-tokens_per_s-canvas',
      'chart-gpu-memory-canvas',
    ]);

    // Zoom: drag across a tenth of the loss chart; the core answers with that range's detail.
    const canvas = page.getByTestId('chart-loss-canvas');
    const box = (await canvas.boundingBox())!;
    const before = await canvas.getAttribute('data-points');
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 4 });
    const t = performance.now();
    await page.mouse.up();
    await page.waitForFunction(
      `(() => { const c = document.querySelector('[data-testid="chart-loss-canvas"]');
        return c?.getAttribute('data-zoomed') === 'true' && c.getAttribute('data-points') !== ${JSON.stringify(before)}; })()`,
      undefined,
      { timeout: 60_000 },
    );
    const appZoomMs = performance.now() - t;

    // Live latency: a CPU run logging every step; the page records when the loss chart grew.
    // The CLI core has no live GPU telemetry for the preflight, so the run is queued from the form.
    await page.evaluate(`location.hash = '#/training/new'`);
    await fillJobForm(page, {
      name: 'latency',
      version: version.versionId,
      model,
      settings: {
        max_steps: String(LIVE_EVENTS + 200),
        logging_steps: '1',
        save_steps: String(LIVE_EVENTS * 10),
      },
    });
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-job-id]').waitFor();
    const created = { id: (await page.getByTestId('page-job').getAttribute('data-job-id'))! };
    await page.getByTestId('chart-loss-canvas').waitFor();
    await page.evaluate(`(() => {
      window.__draws = [];
      const canvas = document.querySelector('[data-testid="chart-loss-canvas"]');
      new MutationObserver(() => window.__draws.push([Date.now(), Number(canvas.getAttribute('data-points'))]))
        .observe(canvas, { attributes: true, attributeFilter: ['data-points'] });
      window.__watchFrom = Date.now();
    })()`);
    await page
      .locator('[data-testid="page-job"][data-status="completed"]')
      .waitFor({ timeout: (LIVE_EVENTS + 200) * LIVE_STEP_MS * 20 + 60_000 });
    // The last points arrive after the status changes.
    await page.waitForTimeout(1500);
    const draws = (await page.evaluate('window.__draws')) as Array<[number, number]>;
    const watchFrom = (await page.evaluate('window.__watchFrom')) as number;
    const runDir = join(dataDir, 'runs', created.id);
    const logs = readFileSync(join(runDir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; ts: number; step?: number })
      // Each log and each eval adds one point to the loss chart, in file order.
      .filter((e) => e.type === 'log' || e.type === 'eval');
    const latencies: number[] = [];
    logs.forEach((event, k) => {
      const written = event.ts * 1000;
      if (written < watchFrom + 1000) return;
      const drawn = draws.find(([, count]) => count >= k + 1);
      if (drawn) latencies.push(drawn[0] - written);
    });
    const last = latencies.slice(-LIVE_EVENTS);
    return {
      openMs: Math.round(openMs),
      appZoomMs: Math.round(appZoomMs),
      latencyP50Ms: Math.round(percentile(last, 50)),
      latencyP95Ms: Math.round(percentile(last, 95)),
      latencyEvents: last.length,
    };
  } finally {
    if (previousStepMs === undefined) delete process.env.FIXTURE_STEP_MS;
    else process.env.FIXTURE_STEP_MS = previousStepMs;
    await page.close();
    await server?.stop();
    await removeDataDir(dataDir);
  }
}
